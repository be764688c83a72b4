//! Tests of `journal`.
use super::*;
use crate::domain::names::BackupRef;
use crate::domain::operation::{AccessType, NewService, OperationKind, Outcome};
use crate::domain::progress::CorrelationId;

fn intent() -> JournalEvent {
    JournalEvent::Intent {
        kind: OperationKind::Restore,
        service: ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b").unwrap(),
        blob: Some(Box::new(BackupRef::parse("stdr/apim-backups/a.apimbackup").unwrap())),
        creating: None,
        access: Some(AccessType::AccessKey),
        endpoint: "http://127.0.0.1:1".into(),
        correlation_id: Some(CorrelationId("corr-1".into())),
        tier: None,
        began: None,
        preflight: Vec::new(),
    }
}

fn handle() -> OperationHandle {
    OperationHandle {
        location: Some("http://127.0.0.1:1/op".into()),
        async_operation: None,
        retry_after_secs: Some(1),
        request_id: None,
    }
}

#[test]
fn folds_stages_and_finds_unfinished() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(&dir.path().join("sub/journal.jsonl")).unwrap();
    let (a, b, c) = (
        JournalId("a".into()),
        JournalId("b".into()),
        JournalId("c".into()),
    );
    j.append(&a, intent()).unwrap();
    j.append(&b, intent()).unwrap();
    j.append(&b, JournalEvent::Accepted { handle: handle() })
        .unwrap();
    j.append(&c, intent()).unwrap();
    j.append(&c, JournalEvent::Accepted { handle: handle() })
        .unwrap();
    j.append(
        &c,
        JournalEvent::Finished {
            outcome: Outcome::Succeeded,
        },
    )
    .unwrap();
    let ops = j.operations().unwrap();
    assert_eq!(
        ops.iter().map(OperationState::stage).collect::<Vec<_>>(),
        [Stage::MayHaveStarted, Stage::Running, Stage::Finished]
    );
    let unfinished = j.unfinished("http://127.0.0.1:1").unwrap();
    assert_eq!(unfinished.len(), 2);
    assert!(
        j.unfinished("https://management.azure.com")
            .unwrap()
            .is_empty()
    );
    assert_eq!(history(&j.operations().unwrap()).len(), 1);
    let svc = ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/RG/providers/Microsoft.ApiManagement/service/APIM-B").unwrap();
    assert!(j.live_on(&svc, "http://127.0.0.1:1").unwrap().is_some());
}

/// A journal with the intent of `first`, then `raw` bytes written behind its back.
fn journal_then(first: &str, raw: &[u8]) -> (tempfile::TempDir, std::path::PathBuf, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let j = Journal::open(&path).unwrap();
    j.append(&JournalId(first.into()), intent()).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(raw)
        .unwrap();
    (dir, path, j)
}

#[test]
fn the_correlation_id_is_kept_and_older_intents_without_it_still_read() {
    // An intent as journals before correlation ids wrote it, after a new one.
    let (_dir, path, j) = journal_then(
        "new",
        br#"{"id":"old","at":"2026-11-26T12:00:00Z","event":"intent","kind":"restore","service":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b","blob":"stdr/apim-backups/a.apimbackup","access":{"type":"AccessKey"},"endpoint":"http://127.0.0.1:1"}
"#,
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains(r#""correlation_id":"corr-1""#)
    );
    let ops = j.operations().unwrap();
    assert_eq!(ops.len(), 2, "{text}");
    assert_eq!(
        ops[0].info.correlation_id,
        Some(CorrelationId("corr-1".into()))
    );
    assert_eq!(ops[1].info.correlation_id, None);
}

#[test]
fn a_creation_is_journaled_without_blob_and_older_intents_keep_theirs() {
    let create = JournalEvent::Intent {
        kind: OperationKind::Create,
        service: ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-new").unwrap(),
        blob: None,
        access: None,
        creating: Some(Box::new(NewService {
            location: "North Europe".into(),
            capacity: 2,
            like: ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b").unwrap(),
            purge: false,
        })),
        endpoint: "http://127.0.0.1:1".into(),
        correlation_id: None,
        tier: None,
        began: None,
        preflight: Vec::new(),
    };
    // An intent as journals before creations wrote it, then a creation.
    let (_dir, path, j) = journal_then("old", b"");
    j.append(&JournalId("new".into()), create).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let second = text.lines().nth(1).unwrap();
    assert!(second.contains(r#""kind":"create""#), "{second}");
    assert!(
        !second.contains("blob") && !second.contains("access"),
        "{second}"
    );
    let ops = j.operations().unwrap();
    assert_eq!(
        ops[0]
            .info
            .blob
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("stdr/apim-backups/a.apimbackup")
    );
    assert_eq!(ops[0].access, Some(AccessType::AccessKey));
    assert_eq!(ops[1].info.kind, OperationKind::Create);
    assert_eq!(ops[1].info.creating.as_ref().map(|c| c.capacity), Some(2));
    assert_eq!(ops[1].stage(), Stage::MayHaveStarted);
}

#[test]
fn a_torn_line_is_skipped_not_fatal() {
    let (_dir, path, j) = journal_then("a", b"{\"id\":\"b\",\"at\":\"2026-");
    let (records, skipped) = j.read().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].line, 2);
    // Reopening after the torn write keeps the next record whole.
    drop(j);
    let j = Journal::open(&path).unwrap();
    j.append(&JournalId("c".into()), intent()).unwrap();
    let (records, skipped) = j.read().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(skipped.len(), 1);
}

#[cfg(unix)]
#[test]
fn file_mode_is_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    Journal::open(&path).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn ids_are_sortable_and_unique() {
    let now = time::macros::datetime!(2026-11-26 12:00:05 UTC);
    let (a, b) = (new_id(now), new_id(now));
    assert!(a.0.starts_with("20261126T120005Z-"));
    assert_ne!(a, b);
}

/// A journal holding two good operations, then (after `damage`) one more.
fn damaged(damage: &[u8], at_end: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let j = Journal::open(&path).unwrap();
    j.append(&JournalId("a".into()), intent()).unwrap();
    j.append(&JournalId("b".into()), intent()).unwrap();
    drop(j);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    if at_end {
        f.write_all(damage).unwrap();
    } else {
        f.write_all(damage).unwrap();
        f.write_all(b"\n").unwrap();
        drop(f);
        let j = Journal::open(&path).unwrap();
        j.append(&JournalId("c".into()), intent()).unwrap();
    }
    (dir, path)
}

#[test]
fn invalid_utf8_in_the_middle_is_skipped_and_reported_and_the_rest_is_read() {
    // Garbage, and a record torn inside the two-byte 'ü' of a blob name.
    let torn = b"{\"id\":\"d\",\"at\":\"2026-11-26T12:00:00Z\",\"event\":\"intent\",\"blob\":\"stdr/c/\xc3";
    for damage in [&b"\xff\xfe garbage \x80"[..], &torn[..]] {
        let (_dir, path) = damaged(damage, false);
        let loaded = Journal::open(&path).unwrap().load().unwrap();
        let ids: Vec<&str> = loaded
            .operations
            .iter()
            .map(|o| o.info.id.0.as_str())
            .collect();
        assert_eq!(
            ids,
            ["a", "b", "c"],
            "the good records around it are all kept"
        );
        assert_eq!(loaded.skipped.len(), 1);
        assert_eq!(loaded.skipped[0].line, 3);
        assert!(
            loaded.skipped[0].reason.starts_with("not valid UTF-8"),
            "{:?}",
            loaded.skipped
        );
    }
    let (_dir, path) = damaged(torn, false);
    let loaded = Journal::open(&path).unwrap().load().unwrap();
    assert_eq!(loaded.skipped[0].operation, Some(JournalId("d".into())));
    let text = report(&path, &loaded.skipped).unwrap();
    assert!(text.contains("1 unreadable line (3)"), "{text}");
    assert!(
        text.contains("line 3 of operation d: not valid UTF-8"),
        "{text}"
    );
}

#[test]
fn invalid_utf8_at_the_end_is_skipped_and_the_next_record_is_not_lost() {
    let (_dir, path) = damaged(b"{\"id\":\"e\",\"blob\":\"\xe2\x82", true);
    let j = Journal::open(&path).unwrap();
    let loaded = j.load().unwrap();
    assert_eq!(loaded.operations.len(), 2);
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].line, 3);
    j.append(&JournalId("f".into()), intent()).unwrap();
    let loaded = j.load().unwrap();
    assert_eq!(
        loaded.operations.len(),
        3,
        "the record after the torn line is whole"
    );
    assert_eq!(
        summary(&path, &loaded.skipped).map(|s| s.contains("1 unreadable line (3)")),
        Some(true)
    );
}

#[test]
fn a_second_end_of_one_operation_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    // Two opens of one file, as two processes (two TUIs) have.
    let (first, second) = (Journal::open(&path).unwrap(), Journal::open(&path).unwrap());
    let id = JournalId("a".into());
    first.append(&id, intent()).unwrap();
    first
        .append(&id, JournalEvent::Accepted { handle: handle() })
        .unwrap();
    let end = |o| JournalEvent::Finished { outcome: o };
    first.append(&id, end(Outcome::Succeeded)).unwrap();
    second.append(&id, end(Outcome::Canceled)).unwrap();
    let (records, _) = second.read().unwrap();
    let ends: Vec<_> = records
        .iter()
        .filter(|r| matches!(r.event, JournalEvent::Finished { .. }))
        .collect();
    assert_eq!(ends.len(), 1);
    assert_eq!(
        second.operations().unwrap()[0].outcome,
        Some(Outcome::Succeeded)
    );
}

#[test]
fn append_if_checks_and_writes_under_one_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (a, b) = (Journal::open(&path).unwrap(), Journal::open(&path).unwrap());
    let svc = ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b").unwrap();
    let endpoint = "http://127.0.0.1:1";
    let free = |ops: &[OperationState]| {
        live_on(ops, &svc, endpoint).map_or(Ok(()), |o| Err(o.info.id.clone()))
    };
    // Threads stand in for processes: each has its own open file, so its own lock owner.
    let results: Vec<Result<(), JournalId>> = std::thread::scope(|s| {
        let handles: Vec<_> = [(&a, "x"), (&b, "y")]
            .into_iter()
            .map(|(j, id)| {
                s.spawn(move || j.append_if(&JournalId(id.into()), intent(), free).unwrap())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let winner = if results[0].is_ok() { "x" } else { "y" };
    assert!(
        results.contains(&Err(JournalId(winner.into()))),
        "{results:?}"
    );
    assert_eq!(a.operations().unwrap().len(), 1);
}

#[test]
fn backup_facts_keep_succeeded_backups_of_this_endpoint_by_blob() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    let backup = |blob: &str, endpoint: &str| {
        JournalEvent::Intent {
        kind: OperationKind::Backup,
        service: ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a").unwrap(),
        blob: Some(Box::new(BackupRef::parse(blob).unwrap())),
        creating: None,
        access: Some(AccessType::AccessKey),
        endpoint: endpoint.into(),
        correlation_id: None,
        tier: None,
        began: None,
        preflight: Vec::new(),
    }
    };
    let end = |outcome| JournalEvent::Finished { outcome };
    let local = "http://127.0.0.1:1";
    for (id, blob, endpoint, outcome) in [
        (
            "a",
            "stdr/apim/ok.apimbackup",
            local,
            Some(Outcome::Succeeded),
        ),
        (
            "b",
            "stdr/apim/failed.apimbackup",
            local,
            Some(Outcome::Canceled),
        ),
        ("c", "stdr/apim/running.apimbackup", local, None),
        (
            "d",
            "stdr/apim/other.apimbackup",
            "https://x",
            Some(Outcome::Succeeded),
        ),
    ] {
        let id = JournalId(id.into());
        j.append(&id, backup(blob, endpoint)).unwrap();
        if let Some(o) = outcome {
            j.append(&id, end(o)).unwrap();
        }
    }
    // A restore of a blob tells nothing about who wrote it.
    j.append(&JournalId("e".into()), intent()).unwrap();
    j.append(&JournalId("e".into()), end(Outcome::Succeeded))
        .unwrap();
    let facts = backup_facts(&j.operations().unwrap(), local);
    assert_eq!(
        facts.keys().collect::<Vec<_>>(),
        ["stdr/apim/ok.apimbackup"]
    );
    let f = &facts["stdr/apim/ok.apimbackup"];
    assert!(f.service.ends_with("/service/apim-a"));
    assert!(f.ended.is_some_and(|e| e >= f.started));
}
