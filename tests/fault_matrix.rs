//! The fault matrix: every scripted fault against listing, backup, restore, polling and blob
//! listing, through the engine and the real client over loopback. Each scenario must end
//! correctly — done, or failed with the service's code, message and request id, or honestly
//! unconfirmed — with nothing lost (every journaled operation has an end) and no POST sent
//! twice. Each verdict is checked against what the emulator really did at that moment (its
//! operation's state, the blob, what the target holds): "done" only when it is done there,
//! "failed" only when nothing ran or it failed there.
//!
//! `APIM_DR_FAULT_MATRIX=docs/fault-matrix.md cargo test --test fault_matrix` rewrites the
//! matrix that `docs/RELIABILITY.md` shows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::time::Duration;

use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, Outcome, RestorePlan};
use apim_dr::engine::{Engine, RunEnd, inventory};
use apim_dr::journal::{Journal, Stage};
use common::emu::{self, DR};
use tokio_util::sync::CancellationToken;

const FAULTS: [&str; 15] = [
    "throttle:1",
    "throttle-date:1",
    "throttle-ms:300",
    "throttle-x-ms:300",
    "quota:0",
    "500",
    "503",
    "reset",
    "lost-reply",
    "slow:3",
    "malformed-json",
    "malformed-xml",
    "truncated",
    "expired-token",
    "forbidden",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    Listing,
    Backup,
    Restore,
    Polling,
    BlobListing,
}

impl Target {
    const ALL: [Self; 5] = [
        Self::Listing,
        Self::Backup,
        Self::Restore,
        Self::Polling,
        Self::BlobListing,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Listing => "listing services",
            Self::Backup => "backup POST",
            Self::Restore => "restore POST",
            Self::Polling => "polling",
            Self::BlobListing => "blob listing",
        }
    }

    fn fault_target(self) -> &'static str {
        match self {
            Self::Listing => "services",
            Self::Backup => "backup",
            Self::Restore => "restore",
            Self::Polling => "poll",
            Self::BlobListing => "blobs",
        }
    }
}

/// How a scenario ended, in words for the matrix.
#[derive(Debug)]
struct Ending {
    class: &'static str,
    detail: String,
    /// What the emulator really holds when the verdict comes.
    truth: String,
}

fn describe_err(e: &apim_dr::azure::ApiError) -> String {
    let rid = if e.request_id.is_some() {
        "request id ✓"
    } else {
        "no request id"
    };
    match e.status {
        Some(s) => format!("{} (HTTP {s}, {rid})", e.code),
        None => format!("{} ({rid})", e.code),
    }
}

fn engine(h: &apim_dr::emulator::EmulatorHandle, dir: &std::path::Path) -> Engine {
    let mut o = emu::fast_options(h);
    o.request_timeout = Duration::from_secs(1);
    Engine::from_client(
        emu::client_with(h, o),
        Journal::open(&dir.join("journal.jsonl")).unwrap(),
        false,
    )
}

fn unconfirmed(reason: &str) -> Ending {
    Ending {
        class: "unconfirmed",
        detail: if reason.contains("whether it started is unknown") {
            "unknown whether it arrived; not re-sent".into()
        } else {
            "service idle again; result unreadable".into()
        },
        truth: String::new(),
    }
}

fn ending_of(end: Result<RunEnd, apim_dr::engine::EngineError>) -> Ending {
    match end {
        Ok(RunEnd::Finished(Outcome::Succeeded)) => Ending {
            class: "done",
            detail: String::new(),
            truth: String::new(),
        },
        Ok(RunEnd::Finished(Outcome::Failed(e))) => Ending {
            class: "failed",
            detail: format!(
                "{} ({})",
                e.code,
                if e.request_id.is_some() {
                    "request id ✓"
                } else {
                    "no request id"
                }
            ),
            truth: String::new(),
        },
        Ok(RunEnd::Finished(Outcome::Unconfirmed { reason })) => {
            // Never advise a re-send while it may be running (issue 13 item 6).
            assert!(
                !reason.contains("start it again") && !reason.contains("most likely"),
                "{reason}"
            );
            unconfirmed(&reason)
        }
        Ok(other) => Ending {
            class: "other",
            detail: format!("{other:?}"),
            truth: String::new(),
        },
        Err(e) => Ending {
            class: "refused",
            detail: e.to_string(),
            truth: String::new(),
        },
    }
}

/// A restore of the newest fresh Standard backup into the standby.
async fn restore_plan(engine: &Engine) -> RestorePlan {
    let account = inventory::storage_accounts(engine.client(), DR)
        .await
        .unwrap()
        .remove(0);
    let list = inventory::backups(engine.client(), &account, None)
        .await
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let fresh = list[0]
        .backups
        .iter()
        .find(|b| {
            b.catalog
                .source_sku
                .as_ref()
                .is_some_and(|s| s.as_str() == "Standard")
                && !b.is_expired(now)
        })
        .unwrap();
    RestorePlan {
        backup: BackupRef::parse(&fresh.display_ref()).unwrap(),
        target: ServiceId::parse(&emu::standby_neu()).unwrap(),
        access: AccessType::AccessKey,
        began: None,
    }
}

/// Runs one scenario; returns how it ended. Asserts nothing was lost or sent twice.
async fn run(fault: &str, target: Target, times: &str) -> Ending {
    let mut cfg = emu::fast_config();
    cfg.speed = 1200.0; // backup 0.5 s, restore 1.5 s
    cfg.blob_page_size = 3;
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, dir.path());
    let spec = format!("{fault}@{}{times}", target.fault_target());
    h.add_faults(&spec).unwrap();
    let mut restored_from = None;
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    // Keep the notes: a fallback must be said, not just done.
    let drain = tokio::spawn(async move {
        let mut notes = Vec::new();
        while let Some(u) = rx.recv().await {
            if let apim_dr::domain::progress::ProgressUpdate::Note(n) = u {
                notes.push(n);
            }
        }
        notes
    });
    let ending = match target {
        Target::Listing => {
            drop(tx);
            match inventory::services(engine.client(), DR).await {
                Ok(list) => Ending {
                    class: "done",
                    detail: format!("{} services", list.len()),
                    truth: String::new(),
                },
                Err(e) => Ending {
                    class: "failed",
                    detail: describe_err(&e),
                    truth: String::new(),
                },
            }
        }
        Target::BlobListing => {
            drop(tx);
            let account = inventory::storage_accounts(engine.client(), DR)
                .await
                .unwrap()
                .remove(0);
            match inventory::backups(engine.client(), &account, None).await {
                Ok(c) => Ending {
                    class: "done",
                    detail: format!("{} blobs", c.iter().map(|c| c.backups.len()).sum::<usize>()),
                    truth: String::new(),
                },
                Err(e) => Ending {
                    class: "failed",
                    detail: describe_err(&e),
                    truth: String::new(),
                },
            }
        }
        Target::Backup | Target::Polling => {
            let (prepared, _) = engine
                .prepare_backup(&emu::backup_plan("matrix/b.apimbackup"))
                .await
                .unwrap();
            ending_of(prepared.send_and_watch(tx, CancellationToken::new()).await)
        }
        Target::Restore => {
            let plan = restore_plan(&engine).await;
            restored_from = Some(plan.backup.clone());
            let report = engine.preflight(&plan, false).await.unwrap();
            let prepared = engine.prepare_restore(&plan, &report).await.unwrap();
            ending_of(prepared.send_and_watch(tx, CancellationToken::new()).await)
        }
    };
    // The emulator's state at the moment of the verdict.
    let truth = h.snapshot();
    let mut ending = ending;
    if target_runs_operation(target) {
        check_truth(&spec, &mut ending, &truth, target, restored_from.as_ref());
    }
    if let Ok(Ok(notes)) = tokio::time::timeout(Duration::from_secs(1), drain).await
        && notes.iter().any(|n| n.contains("provisioning state"))
    {
        let how = if notes.iter().any(|n| n.starts_with("succeeded by evidence")) {
            "by evidence: the service's provisioning state, then the new blob"
        } else {
            "fell back to the service's provisioning state"
        };
        how.clone_into(&mut ending.detail);
    }
    // Nothing lost: every journaled operation has an end. Nothing sent twice.
    for op in engine.operations().await.unwrap() {
        assert_eq!(op.stage(), Stage::Finished, "{spec}: {op:?}");
    }
    let snap = h.snapshot();
    for p in &snap.posts {
        assert!(p.accepted <= 1, "{spec}: a POST was accepted twice: {p:?}");
    }
    h.shutdown().await;
    ending
}

fn target_runs_operation(target: Target) -> bool {
    matches!(target, Target::Backup | Target::Restore | Target::Polling)
}

/// Compares a verdict with the emulator's own state and writes that state into the ending:
/// the operation's status, whether the blob exists (backup) or the target was restored from
/// the backup (restore).
fn check_truth(
    spec: &str,
    ending: &mut Ending,
    snap: &apim_dr::emulator::WorldSnapshot,
    target: Target,
    restored_from: Option<&BackupRef>,
) {
    let kind = if target == Target::Restore {
        "restore"
    } else {
        "backup"
    };
    let op = snap
        .operations
        .iter()
        .rev()
        .find(|o| o.kind == kind)
        .map_or_else(|| "not started".to_owned(), |o| o.status.clone());
    let landed = match restored_from {
        Some(b) => snap.service("apim-contoso-neu").is_some_and(|s| {
            s.restored_from
                .as_ref()
                .is_some_and(|r| r.blob == b.blob.as_str())
        }),
        None => snap
            .blobs("stcontosodrneu", "apim-backups")
            .is_some_and(|bs| bs.iter().any(|b| b.name == "matrix/b.apimbackup")),
    };
    let what = if target == Target::Restore {
        "target restored"
    } else {
        "blob"
    };
    ending.truth = format!("{op}, {what} {}", if landed { "✓" } else { "✗" });
    match ending.class {
        "done" => assert!(
            op == "Succeeded" && landed,
            "{spec}: said done while the emulator holds {}",
            ending.truth
        ),
        "failed" => assert!(
            op == "not started" || op == "Failed",
            "{spec}: said failed while the emulator holds {}",
            ending.truth
        ),
        _ => {}
    }
}

fn expected(fault: &str, target: Target) -> &'static str {
    let post = matches!(target, Target::Backup | Target::Restore);
    match (fault, post) {
        // A 403 on a read is the caller's missing right, said in Azure's words; on a poll it is
        // the watcher's problem: the fallback finds the backup's blob.
        ("forbidden", false) if target != Target::Polling => "failed",
        // Reads retry every transient fault; a POST only 429 and 401, which say nothing was done.
        // A drained quota only slows the calls after it down. A POST Azure took whose answer was
        // lost: the service's state and the Activity Log show it running, so it is followed to
        // its end (a backup's blob or the log's record).
        (_, false)
        | (
            "throttle:1" | "throttle-date:1" | "throttle-ms:300" | "throttle-x-ms:300" | "quota:0"
            | "expired-token" | "lost-reply",
            true,
        ) => "done",
        // A refusal with a status: Azure did not take it.
        ("500" | "503" | "forbidden", true) => "failed",
        // A POST still unanswered at the client's timeout: the emulator drops the request with
        // the connection, so the service never starts it, and the engine says so after watching.
        (_, true) => "unconfirmed",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fault_against_every_call_ends_correctly() {
    let mut rows = Vec::new();
    for target in Target::ALL {
        let endings = futures::future::join_all(FAULTS.iter().map(|f| run(f, target, "*1"))).await;
        for (fault, ending) in FAULTS.iter().zip(endings) {
            assert_eq!(
                ending.class,
                expected(fault, target),
                "{fault} on {}: {ending:?}",
                target.label()
            );
            if ending.class == "failed" {
                assert!(
                    ending.detail.contains("request id ✓"),
                    "{fault} on {}: {ending:?}",
                    target.label()
                );
            }
            rows.push((fault.to_string(), target, "once", ending));
        }
    }
    // Faults that never stop: the call fails in the service's words, or the watch falls back.
    for (fault, target, want) in [
        ("503", Target::Listing, "failed"),
        ("503", Target::BlobListing, "failed"),
        ("malformed-json", Target::Listing, "failed"),
        ("reset", Target::Polling, "done"),
        ("500", Target::Polling, "done"),
        ("malformed-json", Target::Polling, "done"),
        ("expired-token", Target::Polling, "done"),
        ("forbidden", Target::Polling, "done"),
    ] {
        let ending = Box::pin(run(fault, target, "*inf")).await;
        assert_eq!(
            ending.class,
            want,
            "{fault}*inf on {}: {ending:?}",
            target.label()
        );
        if target == Target::Polling {
            assert!(
                ending.detail.contains("provisioning state"),
                "{fault}*inf: the fallback is said: {ending:?}"
            );
        }
        rows.push((fault.to_string(), target, "always", ending));
    }
    if let Ok(path) = std::env::var("APIM_DR_FAULT_MATRIX") {
        let mut md = String::from(
            "<!-- generated by: APIM_DR_FAULT_MATRIX=docs/fault-matrix.md cargo test --test fault_matrix -->\n\n\
             `emulator` is what the emulator held when the verdict came: its operation's state and whether the \
             backup blob exists or the target was restored from the backup.\n\n\
             | fault | call | fires | outcome | emulator |\n| --- | --- | --- | --- | --- |\n",
        );
        for (fault, target, fires, e) in rows {
            let outcome = if e.detail.is_empty() {
                e.class.to_owned()
            } else {
                format!("{}: {}", e.class, e.detail)
            };
            let truth = if e.truth.is_empty() { "–" } else { &e.truth };
            writeln!(
                md,
                "| `{fault}` | {} | {fires} | {outcome} | {truth} |",
                target.label()
            )
            .unwrap();
        }
        std::fs::write(path, md).unwrap();
    }
}
