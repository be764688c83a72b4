//! No silent or endless waits (issue 13 item 8): a dead poll URL is given up within a time
//! bound, a dead listing fails within its budget with the reason, and a long wait is said
//! before it starts. Short, configured bounds stand in for minutes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use apim_dr::engine::Engine;
use apim_dr::journal::Journal;
use common::emu;

/// Issue 13 item 8: a dead poll URL is given up after `dead_url_after`, not after dozens of
/// failures spread over a quarter of an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_poll_url_is_given_up_within_its_time_bound() {
    use apim_dr::azure::lro::{LroEnd, PollEvent, poll};
    use futures::StreamExt;
    let mut cfg = emu::fast_config();
    cfg.speed = 60.0; // a backup takes 10 s: it is still running when the watch gives up
    let h = emu::start(cfg).await;
    let mut o = emu::fast_options(&h);
    o.poll.max_consecutive_failures = 100_000;
    o.poll.dead_url_after = Duration::from_secs(1);
    let c = emu::client_with(&h, o);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::from_client(
        c.clone(),
        Journal::open(&dir.path().join("journal.jsonl")).unwrap(),
        false,
    );
    let (prepared, _) = engine
        .prepare_backup(&emu::backup_plan("verdicts/dead.apimbackup"))
        .await
        .unwrap();
    let info = prepared.info.clone();
    drop(prepared);
    let handle = common::direct::start_with_dr_key(&c, &info)
        .await
        .expect("a 202");
    h.add_faults("reset@poll*inf").unwrap();
    let t0 = std::time::Instant::now();
    let events: Vec<PollEvent> =
        tokio::time::timeout(Duration::from_secs(20), poll(&c, &handle).collect())
            .await
            .expect("the watch gives up in time");
    let took = t0.elapsed();
    assert!(
        matches!(
            events.last(),
            Some(PollEvent::Finished(LroEnd::Unreachable(_)))
        ),
        "{:?}",
        events.last()
    );
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(5),
        "{took:?}"
    );
    h.shutdown().await;
}

/// Issue 13 item 8: a listing that never gets an answer fails within its time budget, with
/// the reason, however many attempts the policy would still allow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_listing_fails_within_its_time_budget_with_the_reason() {
    for faults in ["503@services*inf", "slow:30@services*inf"] {
        let h = emu::start(emu::fast_config()).await;
        h.add_faults(faults).unwrap();
        let mut o = emu::fast_options(&h);
        o.retry.max_attempts = 100_000;
        o.retry.max_total = Duration::from_secs(1);
        let c = emu::client_with(&h, o);
        let t0 = std::time::Instant::now();
        let err = apim_dr::engine::inventory::services(&c, emu::DR)
            .await
            .unwrap_err();
        let took = t0.elapsed();
        assert!(took < Duration::from_secs(3), "{faults}: {took:?}");
        assert!(err.message.contains("gave up after"), "{faults}: {err}");
        h.shutdown().await;
    }
}

/// Issue 13 item 8: a wait over ten seconds inside a call is said before it starts: what,
/// why, until when.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_wait_is_said_with_what_why_and_until_when() {
    let h = emu::start(emu::fast_config()).await;
    h.add_faults("throttle:11@services*1").unwrap();
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = lines.clone();
    let c = emu::client(&h).with_wait_listener(std::sync::Arc::new(move |l: &str| {
        seen.lock().unwrap().push(l.to_owned());
    }));
    let list = apim_dr::engine::inventory::services(&c, emu::DR)
        .await
        .unwrap();
    assert!(!list.is_empty());
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("waiting 11s (until ")
            && lines[0].contains("UTC): GET ")
            && lines[0].contains("throttled"),
        "{lines:?}"
    );
    h.shutdown().await;
}
