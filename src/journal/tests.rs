//! Tests of `journal`.
use super::*;
use crate::domain::names::BackupRef;
use crate::domain::operation::{AccessType, OperationKind, Outcome};
use crate::domain::progress::CorrelationId;

fn intent() -> JournalEvent {
    JournalEvent::Intent {
        kind: OperationKind::Restore,
        service: ServiceId::parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b").unwrap(),
        blob: BackupRef::parse("stdr/apim-backups/a.apimbackup").unwrap(),
        access: AccessType::AccessKey,
        endpoint: "http://127.0.0.1:1".into(),
        correlation_id: Some(CorrelationId("corr-1".into())),
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
