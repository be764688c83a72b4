//! Backup and restore as long-running operations, client against emulator over loopback:
//! `Location` only, `Azure-AsyncOperation`, both; `Retry-After` in seconds, as a date, absent;
//! the service's refusals and failures in its own words; transient failures while polling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use apim_dr::azure::AzureClient;
use apim_dr::azure::arm::{LroHandle, Started};
use apim_dr::azure::lro::{LroEnd, PollEvent, poll};
use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, PostKind};
use apim_dr::emulator::{EmulatorHandle, LroHeaders, RetryAfterMode};
use apim_dr::engine::inventory;
use apim_dr::secret::Secret;
use common::emu::{self, DR, PROD};
use futures::StreamExt;

async fn key(c: &AzureClient, sub: &str, account: &str) -> Secret {
    let accounts = inventory::storage_accounts(c, sub).await.unwrap();
    let a = accounts.iter().find(|a| a.name == account).unwrap();
    c.storage_key(&a.id).await.unwrap()
}

async fn start(
    c: &AzureClient,
    kind: PostKind,
    service: &str,
    blob: &str,
) -> Result<LroHandle, apim_dr::azure::ApiError> {
    let k = key(c, DR, "stcontosodrneu").await;
    let started = c
        .start_operation(
            kind,
            &ServiceId::parse(service).unwrap(),
            &BackupRef::parse(blob).unwrap(),
            &AccessType::AccessKey,
            Some(&k),
        )
        .await?;
    match started {
        Started::Accepted(h) => Ok(h),
        Started::Completed => panic!("expected a 202"),
    }
}

/// An emulator at `speed` with retry hints in `mode`, a client, and a backup of the demo source
/// into `stcontosodrneu/apim-backups/{blob}` just accepted.
async fn backup_started(
    speed: f64,
    mode: RetryAfterMode,
    blob: &str,
) -> (EmulatorHandle, AzureClient, LroHandle) {
    let mut cfg = emu::fast_config();
    cfg.speed = speed;
    cfg.retry_after = mode;
    let h = emu::start(cfg).await;
    let c = emu::client(&h);
    let handle = start(
        &c,
        PostKind::Backup,
        &emu::source_weu(),
        &format!("stcontosodrneu/apim-backups/{blob}"),
    )
    .await
    .unwrap();
    (h, c, handle)
}

/// Polls to the end; returns the events.
async fn watch(c: &AzureClient, h: &LroHandle) -> Vec<PollEvent> {
    tokio::time::timeout(Duration::from_secs(30), poll(c, h).collect::<Vec<_>>())
        .await
        .expect("the operation ends")
}

fn end(events: &[PollEvent]) -> &LroEnd {
    match events.last() {
        Some(PollEvent::Finished(e)) => e,
        other => panic!("no end: {other:?}"),
    }
}

async fn backup_then_restore(
    lro: LroHeaders,
    retry_after: RetryAfterMode,
    speed: f64,
) -> (EmulatorHandle, Vec<PollEvent>, LroHandle) {
    let mut cfg = emu::fast_config();
    cfg.lro_headers = lro;
    cfg.retry_after = retry_after;
    cfg.speed = speed;
    let h = emu::start(cfg).await;
    let c = emu::client(&h);
    let blob = "stcontosodrneu/apim-backups/lro/test.apimbackup";
    let handle = start(&c, PostKind::Backup, &emu::source_weu(), blob)
        .await
        .unwrap();
    let events = watch(&c, &handle).await;
    assert_eq!(end(&events), &LroEnd::Succeeded, "{events:?}");
    let handle = start(&c, PostKind::Restore, &emu::standby_neu(), blob)
        .await
        .unwrap();
    let events = watch(&c, &handle).await;
    assert_eq!(end(&events), &LroEnd::Succeeded, "{events:?}");
    let snap = h.snapshot();
    let target = snap.service("apim-contoso-neu").unwrap();
    assert_eq!(
        target.apis.len(),
        14,
        "the target now holds the source's APIs"
    );
    assert_eq!(target.sku, "Standard");
    (h, events, handle)
}

#[tokio::test]
async fn location_only_without_retry_after() {
    let (h, events, handle) =
        backup_then_restore(LroHeaders::Location, RetryAfterMode::Off, 3000.0).await;
    assert!(handle.location.unwrap().contains("/operationresults/"));
    assert!(handle.async_operation.is_none());
    assert!(handle.retry_after_secs.is_none());
    assert!(
        events
            .iter()
            .any(|e| matches!(e, PollEvent::Running { .. })),
        "it was seen running: {events:?}"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn azure_async_operation_only_with_retry_after_seconds() {
    let started = Instant::now();
    let (h, events, handle) =
        backup_then_restore(LroHeaders::AsyncOperation, RetryAfterMode::Seconds, 600.0).await;
    assert!(handle.async_operation.is_some());
    assert_eq!(handle.retry_after_secs, Some(1));
    // The status resource reports its own word while running.
    assert!(
        events
            .iter()
            .any(|e| matches!(e, PollEvent::Running { status: Some(s), .. } if s == "InProgress")),
        "{events:?}"
    );
    // Retry-After: 1 was honoured: at least one second between a 202 and its first poll.
    assert!(started.elapsed() >= Duration::from_secs(2));
    h.shutdown().await;
}

#[tokio::test]
async fn both_headers_with_retry_after_as_an_http_date() {
    let (h, _events, handle) =
        backup_then_restore(LroHeaders::Both, RetryAfterMode::HttpDate, 3000.0).await;
    assert!(handle.location.is_some() && handle.async_operation.is_some());
    assert!(
        handle.retry_after_secs.is_some(),
        "an HTTP-date Retry-After is understood"
    );
    h.shutdown().await;
}

/// The first events of a backup's watch, with the emulator's retry hint in `mode`, at a speed
/// where it asks for 100 ms between polls.
async fn first_events(mode: RetryAfterMode, faults: &str, n: usize) -> (LroHandle, Vec<PollEvent>) {
    // 10 s of Azure time between polls is 100 ms here; a backup takes 6 s.
    let (h, c, handle) = backup_started(100.0, mode, "lro/ms.apimbackup").await;
    h.add_faults(faults).unwrap();
    let events = tokio::time::timeout(
        Duration::from_secs(20),
        poll(&c, &handle).take(n).collect::<Vec<_>>(),
    )
    .await
    .expect("the first polls");
    h.shutdown().await;
    (handle, events)
}

#[tokio::test]
async fn millisecond_retry_hints_pace_the_polls_before_retry_after() {
    for mode in [
        RetryAfterMode::RetryAfterMs,
        RetryAfterMode::XMsRetryAfterMs,
    ] {
        let (handle, events) = first_events(mode, "", 2).await;
        // The 202 said `retry-after-ms: 100` and `Retry-After: 1`: the journaled handle keeps
        // whole seconds, rounded up; each poll's own hint paces the next one to the millisecond.
        assert_eq!(handle.retry_after_secs, Some(1), "{mode:?}");
        for e in &events {
            assert!(
                matches!(e, PollEvent::Running { next_poll_in, .. } if *next_poll_in == Duration::from_millis(100)),
                "{mode:?}: {events:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_throttled_poll_waits_as_long_as_its_hint_says_in_any_form() {
    for (fault, want) in [
        ("throttle-ms:250@poll*1", Duration::from_millis(250)),
        ("throttle-x-ms:120@poll*1", Duration::from_millis(120)),
        ("throttle:2@poll*1", Duration::from_secs(2)),
    ] {
        let (_, events) = first_events(RetryAfterMode::Seconds, fault, 1).await;
        match events.as_slice() {
            [
                PollEvent::Transient {
                    error, retry_in, ..
                },
            ] => {
                assert_eq!(error.status, Some(429), "{fault}");
                assert_eq!(*retry_in, want, "{fault}");
            }
            other => panic!("{fault}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn tier_mismatch_and_expiry_fail_while_polling_in_azures_words() {
    for lro in [LroHeaders::Location, LroHeaders::AsyncOperation] {
        let mut cfg = emu::fast_config();
        cfg.lro_headers = lro;
        let h = emu::start(cfg).await;
        let c = emu::client(&h);
        let snap = h.snapshot();
        let blobs = snap.blobs("stcontosodrneu", "apim-backups").unwrap();
        let premium = blobs
            .iter()
            .find(|b| b.backup_sku.as_deref() == Some("Premium"))
            .unwrap();
        let handle = start(
            &c,
            PostKind::Restore,
            &emu::standby_neu(),
            &format!("stcontosodrneu/apim-backups/{}", premium.name),
        )
        .await
        .unwrap();
        match end(&watch(&c, &handle).await) {
            LroEnd::Failed(e) => {
                assert_eq!(e.code, "RestoreFailed");
                assert_eq!(
                    e.message,
                    "Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'"
                );
                assert!(e.request_id.is_some());
            }
            other => panic!("{lro:?}: {other:?}"),
        }
        let expired = blobs
            .iter()
            .filter(|b| b.backup_sku.as_deref() == Some("Standard"))
            .min_by(|a, b| a.created.cmp(&b.created))
            .unwrap();
        let handle = start(
            &c,
            PostKind::Restore,
            &emu::standby_neu(),
            &format!("stcontosodrneu/apim-backups/{}", expired.name),
        )
        .await
        .unwrap();
        match end(&watch(&c, &handle).await) {
            LroEnd::Failed(e) => assert_eq!(e.message, "Cannot restore: backup expired"),
            other => panic!("{lro:?}: {other:?}"),
        }
        assert_eq!(
            h.snapshot().service("apim-contoso-neu").unwrap().apis.len(),
            3,
            "a failed restore changes nothing"
        );
        h.shutdown().await;
    }
}

#[tokio::test]
async fn refusals_at_post_time_keep_the_services_code() {
    let mut cfg = emu::fast_config();
    cfg.speed = 1.0; // keep the first operation running
    let h = emu::start(cfg).await;
    let c = emu::client(&h);
    let blob = "stcontosodrneu/apim-backups/refusals/a.apimbackup";

    // Consumption cannot be backed up.
    let e = start(
        &c,
        PostKind::Backup,
        &emu::service_id(PROD, "rg-apim-prod-weu", "apim-mobile-cons"),
        blob,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (Some(400), "MethodNotAllowedInPricingTier")
    );
    assert_eq!(e.message, "Method not allowed in Consumption pricing tier");

    // A wrong access key.
    let e = c
        .start_operation(
            PostKind::Backup,
            &ServiceId::parse(&emu::source_weu()).unwrap(),
            &BackupRef::parse(blob).unwrap(),
            &AccessType::AccessKey,
            Some(&Secret::new("d3JvbmcK")),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status, Some(400), "{e}");

    // A second operation on a busy service: 409.
    let _running = start(&c, PostKind::Backup, &emu::source_weu(), blob)
        .await
        .unwrap();
    let e = start(&c, PostKind::Backup, &emu::source_weu(), blob)
        .await
        .unwrap_err();
    assert_eq!(e.status, Some(409), "{e}");
    assert!(e.request_id.is_some());
    assert_eq!(h.post_count("backup", &emu::source_weu()), 3);
    h.shutdown().await;
}

#[tokio::test]
async fn missing_container_and_blob_fail_the_restore() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    for blob in [
        "stcontosodrneu/no-such-container/x.apimbackup",
        "stcontosodrneu/apim-backups/no-such.apimbackup",
    ] {
        match start(&c, PostKind::Restore, &emu::standby_neu(), blob).await {
            Ok(handle) => match end(&watch(&c, &handle).await) {
                LroEnd::Failed(e) => assert!(!e.message.is_empty(), "{e:?}"),
                other => panic!("{blob}: {other:?}"),
            },
            Err(e) => assert_eq!(e.status, Some(400), "{blob}: {e}"),
        }
    }
    h.shutdown().await;
}

#[tokio::test]
async fn transient_failures_while_polling_are_retried_to_the_end() {
    let (h, c, handle) = backup_started(600.0, RetryAfterMode::Off, "t/a.apimbackup").await;
    h.add_faults("throttle:1@poll*1,503@poll*1,reset@poll*1,malformed-json@poll*1")
        .unwrap();
    let events = watch(&c, &handle).await;
    let transient: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            PollEvent::Transient { error, .. } => Some(error.transient_label()),
            _ => None,
        })
        .collect();
    assert!(transient.contains(&"throttled".to_owned()), "{transient:?}");
    assert!(
        transient.contains(&"server error 503".to_owned()),
        "{transient:?}"
    );
    assert!(transient.len() >= 3, "{transient:?}");
    assert_eq!(end(&events), &LroEnd::Succeeded);
    assert_eq!(
        h.post_count("backup", &emu::source_weu()),
        1,
        "no POST was re-sent"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn a_post_that_gets_no_answer_is_not_resent() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    h.add_faults("reset@backup*1").unwrap();
    let e = start(
        &c,
        PostKind::Backup,
        &emu::source_weu(),
        "stcontosodrneu/apim-backups/t/b.apimbackup",
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind, apim_dr::azure::ErrorKind::Connection, "{e}");
    assert_eq!(
        h.post_count("backup", &emu::source_weu()),
        1,
        "the emulator saw exactly one POST: no blind re-send"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn a_409_in_a_race_is_the_operations_failure_explained() {
    use apim_dr::domain::operation::{Outcome, RestorePlan};
    use apim_dr::domain::progress::ProgressUpdate;
    use apim_dr::engine::{Engine, RunEnd};
    let mut cfg = emu::fast_config();
    cfg.speed = 1.0; // the racing backup keeps the service busy
    let h = emu::start(cfg).await;
    let c = emu::client(&h);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::from_client(
        c.clone(),
        apim_dr::journal::Journal::open(&dir.path().join("j.jsonl")).unwrap(),
        false,
    );
    let blob = h
        .snapshot()
        .blobs("stcontosodrneu", "apim-backups")
        .unwrap()
        .iter()
        .filter(|b| b.backup_sku.as_deref() == Some("Standard"))
        .max_by(|a, b| a.created.cmp(&b.created))
        .unwrap()
        .name
        .clone();
    let plan = RestorePlan {
        backup: BackupRef::parse(&format!("stcontosodrneu/apim-backups/{blob}")).unwrap(),
        target: ServiceId::parse(&emu::standby_neu()).unwrap(),
        access: AccessType::AccessKey,
        began: None,
    };
    // Pre-flight passes; then someone else starts a backup of the target before our POST.
    let report = engine.preflight(&plan, false).await.unwrap();
    let prepared = engine.prepare_restore(&plan, &report).await.unwrap();
    start(
        &c,
        PostKind::Backup,
        &emu::standby_neu(),
        "stcontosodrneu/apim-backups/race.apimbackup",
    )
    .await
    .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let end = prepared
        .send_and_watch(tx, tokio_util::sync::CancellationToken::new())
        .await
        .unwrap();
    let mut notes = Vec::new();
    while let Ok(u) = rx.try_recv() {
        if let ProgressUpdate::Note(n) = u {
            notes.push(n);
        }
    }
    match end {
        RunEnd::Finished(Outcome::Failed(e)) => assert_eq!(e.status, Some(409)),
        other => panic!("{other:?}"),
    }
    assert!(
        notes
            .iter()
            .any(|n| n.contains("another operation is running on this service")),
        "{notes:?}"
    );
    h.shutdown().await;
}
