//! One correlation id per operation: every request of a backup or a restore (ARM and Blob, from
//! the first read to the catalog metadata) and of a resumed watch carries the same
//! `x-ms-correlation-request-id`, the one the journal keeps and the progress reports; each
//! request has a client request id of its own; a listing walk has one id, the next walk
//! another. Checked over loopback against the emulator's log of what it received.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::path::Path;

use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, Outcome, RestorePlan};
use apim_dr::domain::progress::{CorrelationId, ProgressUpdate};
use apim_dr::emulator::{EmulatorHandle, RequestRecord};
use apim_dr::engine::{Engine, Prepared, RunEnd, inventory};
use apim_dr::journal::Journal;
use common::emu::{self, DR};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

fn engine(h: &EmulatorHandle, journal: &Path) -> Engine {
    Engine::from_client(emu::client(h), Journal::open(journal).unwrap(), false)
}

/// Sends and watches `prepared` to its end; returns the end and every update.
async fn run(prepared: Prepared) -> (RunEnd, Vec<ProgressUpdate>) {
    let (tx, mut rx) = mpsc::channel(256);
    let updates = tokio::spawn(async move {
        let mut all = Vec::new();
        while let Some(u) = rx.recv().await {
            all.push(u);
        }
        all
    });
    let end = prepared
        .send_and_watch(tx, CancellationToken::new())
        .await
        .unwrap();
    (end, updates.await.unwrap())
}

/// Checks that every request in `log` carried one and the same correlation id and a client
/// request id of its own; returns the correlation id.
fn one_correlation_id(log: &[RequestRecord]) -> CorrelationId {
    assert!(!log.is_empty());
    let ids: HashSet<Option<String>> = log.iter().map(|r| r.correlation_id.clone()).collect();
    assert_eq!(ids.len(), 1, "more than one correlation id: {log:#?}");
    let id = ids
        .into_iter()
        .next()
        .flatten()
        .unwrap_or_else(|| panic!("sent without a correlation id: {log:#?}"));
    let clients: HashSet<&str> = log
        .iter()
        .map(|r| r.client_request_id.as_deref().expect("a client request id"))
        .collect();
    assert_eq!(
        clients.len(),
        log.len(),
        "one client request id per request"
    );
    CorrelationId(id)
}

fn sent(log: &[RequestRecord], port: &str, method: &str, path_end: &str) -> bool {
    log.iter()
        .any(|r| r.port == port && r.method == method && r.path.ends_with(path_end))
}

#[tokio::test]
async fn every_request_of_a_backup_and_of_a_restore_carries_one_correlation_id() {
    let h = emu::start(emu::fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, &dir.path().join("journal.jsonl"));

    let mark = h.requests().len();
    let (prepared, _) = engine
        .prepare_backup(&emu::backup_plan("corr/one.apimbackup"))
        .await
        .unwrap();
    let backup_id = prepared.info.correlation_id.clone().unwrap();
    let (end, updates) = run(prepared).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let log = &h.requests()[mark..];
    assert_eq!(one_correlation_id(log), backup_id);
    // The walk: ARM reads (the pre-flight's, the container among them), listKeys, the POST
    // and its polls; Blob: the blob check, and the catalog metadata written at the end.
    assert!(sent(log, "arm", "GET", "/apim-contoso-weu"));
    assert!(sent(log, "arm", "POST", "/listKeys"));
    assert!(sent(log, "arm", "POST", "/apim-contoso-weu/backup"));
    assert!(log.iter().any(|r| r.path.contains("/operationresults/")));
    assert!(sent(
        log,
        "arm",
        "GET",
        "/blobServices/default/containers/apim-backups"
    ));
    assert!(sent(log, "blob", "HEAD", "/corr/one.apimbackup"));
    assert!(sent(log, "blob", "PUT", "/corr/one.apimbackup"));
    // The journal and the progress report give the same id.
    let ops = engine.operations().await.unwrap();
    assert_eq!(ops[0].info.correlation_id.as_ref(), Some(&backup_id));
    assert!(updates.iter().any(|u| matches!(
        u,
        ProgressUpdate::Accepted { correlation_id, .. } if *correlation_id == backup_id
    )));

    // Pre-flight is a walk of its own; the restore, from listKeys to the check of the target's
    // APIs, is one more.
    let plan = RestorePlan {
        backup: BackupRef::parse("stcontosodrneu/apim-backups/corr/one.apimbackup").unwrap(),
        target: ServiceId::parse(&emu::standby_neu()).unwrap(),
        access: AccessType::AccessKey,
        began: None,
    };
    let report = engine.preflight(&plan, false).await.unwrap();
    let mark = h.requests().len();
    let prepared = engine.prepare_restore(&plan, &report).await.unwrap();
    let restore_id = prepared.info.correlation_id.clone().unwrap();
    let (end, _) = run(prepared).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let log = &h.requests()[mark..];
    assert_eq!(one_correlation_id(log), restore_id);
    assert!(sent(log, "arm", "POST", "/listKeys"));
    assert!(sent(log, "arm", "POST", "/apim-contoso-neu/restore"));
    assert!(log.iter().any(|r| r.path.contains("/operationresults/")));
    assert!(sent(log, "arm", "GET", "/apim-contoso-neu/apis"));
    assert_ne!(restore_id, backup_id);
    h.shutdown().await;
}

#[tokio::test]
async fn a_resumed_watch_sends_the_journaled_correlation_id() {
    let mut cfg = emu::fast_config();
    // A backup takes 2 s: time to stop watching and start again.
    cfg.speed = 300.0;
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let first = engine(&h, &journal);
    let (prepared, _) = first
        .prepare_backup(&emu::backup_plan("corr/resumed.apimbackup"))
        .await
        .unwrap();
    let id = prepared.info.correlation_id.clone().unwrap();
    let (tx, mut rx) = mpsc::channel(256);
    let cancel = CancellationToken::new();
    let watch = tokio::spawn(prepared.send_and_watch(tx, cancel.clone()));
    while let Some(u) = rx.recv().await {
        if matches!(u, ProgressUpdate::Accepted { .. }) {
            cancel.cancel();
        }
    }
    assert_eq!(watch.await.unwrap().unwrap(), RunEnd::Detached);

    // As after a restart: a new client (with an id of its own) and the journal read back.
    let second = engine(&h, &journal);
    assert_ne!(second.client().correlation_id(), &id);
    let op = second.operations().await.unwrap().remove(0);
    assert_eq!(op.info.correlation_id.as_ref(), Some(&id));
    let mark = h.requests().len();
    let (tx, mut rx) = mpsc::channel(256);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let end = second
        .resume(op, tx, CancellationToken::new())
        .await
        .unwrap();
    drain.await.unwrap();
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let log = &h.requests()[mark..];
    assert!(log.iter().any(|r| r.path.contains("/operationresults/")));
    assert_eq!(one_correlation_id(log), id);
    h.shutdown().await;
}

#[tokio::test]
async fn a_listing_walk_has_one_correlation_id_and_the_next_walk_another() {
    let h = emu::start(emu::fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, &dir.path().join("journal.jsonl"));
    let mut seen = Vec::new();
    for _ in 0..2 {
        let walk = engine.walk();
        let mark = h.requests().len();
        let accounts = inventory::storage_accounts(walk.client(), DR)
            .await
            .unwrap();
        let backups = inventory::backups(walk.client(), &accounts[0], None)
            .await
            .unwrap();
        assert!(!backups.is_empty());
        let log = &h.requests()[mark..];
        // ARM (the account list, listKeys) and Blob (containers, blobs) in one walk.
        assert!(log.iter().any(|r| r.port == "arm") && log.iter().any(|r| r.port == "blob"));
        let id = one_correlation_id(log);
        assert_eq!(&id, walk.client().correlation_id());
        seen.push(id);
    }
    assert_ne!(seen[0], seen[1]);
    h.shutdown().await;
}

#[tokio::test]
async fn the_emulator_echoes_the_callers_id_makes_one_up_otherwise_and_logs_what_was_sent() {
    let h = emu::start(emu::fast_config()).await;
    let http = reqwest::Client::new();
    let url = h
        .arm_endpoint()
        .join("/subscriptions?api-version=2022-12-01")
        .unwrap();
    let token = h.token();
    let r = http
        .get(url.clone())
        .bearer_auth(token.expose())
        .header("x-ms-correlation-request-id", "corr-123")
        .header("x-ms-client-request-id", "client-9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-ms-correlation-request-id"], "corr-123");
    let r = http
        .get(url)
        .bearer_auth(token.expose())
        .send()
        .await
        .unwrap();
    let made_up = r.headers()["x-ms-correlation-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(made_up).is_ok(), "{made_up}");

    let log = h.requests();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(
        (
            log[0].port.as_str(),
            log[0].method.as_str(),
            log[0].path.as_str(),
            log[0].status
        ),
        ("arm", "GET", "/subscriptions", 200)
    );
    assert_eq!(log[0].correlation_id.as_deref(), Some("corr-123"));
    assert_eq!(log[0].client_request_id.as_deref(), Some("client-9"));
    assert_eq!(
        log[1].correlation_id, None,
        "what the caller sent, not what ARM made up"
    );
    h.shutdown().await;
}
