//! Operations for verdict tests: a prepared operation run to its end with its notes and the
//! emulator's state at that moment, a fresh catalogued backup prepared for restore into the
//! standby, and a POST sent by hand past the engine (with the DR account's key) for tests that
//! then watch the 202 their own way.

use std::time::Duration;

use apim_dr::azure::AzureClient;
use apim_dr::azure::arm::{LroHandle, Started};
use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, OperationKind, Outcome, PostKind, RestorePlan};
use apim_dr::domain::progress::{OperationInfo, ProgressUpdate};
use apim_dr::emulator::{EmulatorHandle, WorldSnapshot};
use apim_dr::engine::{Engine, Prepared, RunEnd};
use tokio_util::sync::CancellationToken;

use super::emu;

/// An engine on the test client, journaling into `dir/journal.jsonl`.
pub fn engine(h: &EmulatorHandle, dir: &std::path::Path) -> Engine {
    Engine::from_client(
        emu::client(h),
        apim_dr::journal::Journal::open(&dir.join("journal.jsonl")).expect("journal"),
        false,
    )
}

/// A progress channel whose updates are all gathered, in order, until it closes.
pub fn collect_updates() -> (
    tokio::sync::mpsc::Sender<ProgressUpdate>,
    tokio::task::JoinHandle<Vec<ProgressUpdate>>,
) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    let drain = tokio::spawn(async move {
        let mut all = Vec::new();
        while let Some(u) = rx.recv().await {
            all.push(u);
        }
        all
    });
    (tx, drain)
}

/// Sends a prepared operation and watches it to its end (within a minute), its progress to `tx`.
async fn watch(prepared: Prepared, tx: tokio::sync::mpsc::Sender<ProgressUpdate>) -> RunEnd {
    tokio::time::timeout(
        Duration::from_secs(60),
        Box::pin(prepared.send_and_watch(tx, CancellationToken::new())),
    )
    .await
    .expect("the watch ends")
    .expect("the journal is written")
}

/// Sends a prepared operation and watches it to its end (within a minute): the end and every
/// progress update, in order.
pub async fn run_with_updates(prepared: Prepared) -> (RunEnd, Vec<ProgressUpdate>) {
    let (tx, drain) = collect_updates();
    let end = watch(prepared, tx).await;
    (end, drain.await.expect("updates"))
}

/// The notes among `updates`.
fn notes_of(updates: Vec<ProgressUpdate>) -> Vec<String> {
    updates
        .into_iter()
        .filter_map(|u| match u {
            ProgressUpdate::Note(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// A progress channel whose notes are gathered until it closes.
pub fn collect_notes() -> (
    tokio::sync::mpsc::Sender<ProgressUpdate>,
    tokio::task::JoinHandle<Vec<String>>,
) {
    let (tx, all) = collect_updates();
    let notes = tokio::spawn(async move { notes_of(all.await.expect("updates")) });
    (tx, notes)
}

/// Runs a prepared operation to its end (within a minute): the end, the notes said on the
/// way, and the emulator's state at the moment the verdict came.
pub async fn run_to_end(
    h: &EmulatorHandle,
    prepared: Prepared,
) -> (RunEnd, Vec<String>, WorldSnapshot) {
    let (tx, drain) = collect_updates();
    let end = watch(prepared, tx).await;
    let snap = h.snapshot();
    (end, notes_of(drain.await.expect("updates")), snap)
}

/// Backs the source up to `blob` in the DR account now (so it is fresh and catalogued), and
/// prepares a restore of it into the standby after its pre-flight.
pub async fn fresh_restore(h: &EmulatorHandle, engine: &Engine, blob: &str) -> Prepared {
    let (backup, _) = Box::pin(engine.prepare_backup(&emu::backup_plan(blob)))
        .await
        .unwrap();
    let (end, notes, _) = Box::pin(run_to_end(h, backup)).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded), "{notes:?}");
    let plan = RestorePlan {
        backup: BackupRef::parse(&format!("stcontosodrneu/apim-backups/{blob}")).unwrap(),
        target: ServiceId::parse(&emu::standby_neu()).unwrap(),
        access: AccessType::AccessKey,
        began: None,
    };
    let report = Box::pin(engine.preflight(&plan, false)).await.unwrap();
    Box::pin(engine.prepare_restore(&plan, &report))
        .await
        .unwrap()
}

/// The POST of a backup or restore (these helpers send no creation).
fn post_kind(kind: OperationKind) -> PostKind {
    if kind == OperationKind::Backup {
        PostKind::Backup
    } else {
        PostKind::Restore
    }
}

/// Sends the POST of `info` with the key of `stcontosodrneu`: where to watch it when Azure
/// answered 202, `None` when it answered 200 at once.
pub async fn start_with_dr_key(c: &AzureClient, info: &OperationInfo) -> Option<LroHandle> {
    let accounts = apim_dr::engine::inventory::storage_accounts(c, emu::DR)
        .await
        .unwrap();
    let account = accounts
        .iter()
        .find(|a| a.name == "stcontosodrneu")
        .unwrap();
    let key = c.storage_key(&account.id).await.unwrap();
    match c
        .start_operation(
            post_kind(info.kind),
            &info.service,
            info.blob
                .as_ref()
                .expect("a backup or restore names its blob"),
            &AccessType::AccessKey,
            Some(&key),
        )
        .await
        .unwrap()
    {
        Started::Accepted(handle) => Some(handle),
        Started::Completed => None,
    }
}
