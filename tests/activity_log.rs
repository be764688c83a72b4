//! "May have started" does not rely on provisioningState alone (issue 13 item 6): when a POST's
//! answer is lost, the watcher reads the Activity Log through ARM under the POST's correlation
//! id. A recorded end decides the verdict, a recorded start means "running: never send it
//! again", and no record means "unknown". The emulator keeps the log as ARM does; with
//! `steady_provisioning` it never shows `Updating`, so the log is the only evidence left.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, Outcome, RestorePlan};
use apim_dr::emulator::{EmulatorConfig, EmulatorHandle, WorldSnapshot};
use apim_dr::engine::{Engine, RunEnd};
use apim_dr::journal::Journal;
use common::direct::{fresh_restore, run_to_end as run};
use common::emu;
use serde_json::Value;

fn engine(h: &EmulatorHandle, dir: &std::path::Path) -> Engine {
    Engine::from_client(
        emu::client(h),
        Journal::open(&dir.join("journal.jsonl")).unwrap(),
        false,
    )
}

fn config(steady: bool) -> EmulatorConfig {
    let mut cfg = emu::fast_config();
    cfg.speed = 1200.0; // backup 0.5 s, restore 1.5 s
    cfg.steady_provisioning = steady;
    cfg
}

fn restores(snap: &WorldSnapshot) -> (usize, String) {
    let accepted = snap
        .posts
        .iter()
        .filter(|p| p.kind == "restore")
        .map(|p| p.accepted)
        .sum();
    let status = snap
        .operations
        .iter()
        .rfind(|o| o.kind == "restore")
        .map_or_else(|| "none".to_owned(), |o| o.status.clone());
    (accepted, status)
}

/// The Activity Log of the source service's subscription, read over HTTP.
async fn activity(h: &EmulatorHandle, query: &[(&str, &str)]) -> (u16, Value) {
    let source = emu::source_weu();
    let sub = source.split('/').nth(2).unwrap();
    let url = h
        .arm_endpoint()
        .join(&format!(
            "subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values"
        ))
        .unwrap();
    let r = reqwest::Client::new()
        .get(url)
        .query(query)
        .bearer_auth(h.token().expose())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_records_each_backup_in_the_activity_log_under_its_correlation_id() {
    let h = emu::start(config(false)).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, dir.path());
    let (backup, _) = engine
        .prepare_backup(&emu::backup_plan("activity/one.apimbackup"))
        .await
        .unwrap();
    let correlation = backup.info.correlation_id.clone().unwrap().0;
    let (end, _, _) = run(&h, backup).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let filter =
        format!("eventTimestamp ge '2020-01-01T00:00:00Z' and correlationId eq '{correlation}'");
    let (status, body) = activity(
        &h,
        &[("api-version", "2015-04-01"), ("$filter", filter.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let statuses: Vec<&str> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["Succeeded", "Accepted", "Started"],
        "newest first"
    );
    let first = &body["value"][0];
    assert_eq!(
        first["operationName"]["value"],
        "Microsoft.ApiManagement/service/backup/action"
    );
    assert_eq!(first["correlationId"], correlation.as_str());
    assert!(
        first["resourceId"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(&emu::source_weu())
    );

    // Another correlation id finds nothing; no $filter, or another api-version, is refused.
    let other = "eventTimestamp ge '2020-01-01T00:00:00Z' and correlationId eq 'nobody'";
    let (_, body) = activity(&h, &[("api-version", "2015-04-01"), ("$filter", other)]).await;
    assert_eq!(body["value"].as_array().unwrap().len(), 0, "{body}");
    let (status, body) = activity(&h, &[("api-version", "2015-04-01")]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "BadRequest");
    let (status, body) = activity(&h, &[("api-version", "2024-05-01"), ("$filter", other)]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "InvalidApiVersionParameter");
    h.shutdown().await;
}

/// The restore arrived but its 202 was lost, and the service never shows `Updating`: before,
/// the watch ended "most likely never arrived"; now the Activity Log shows it was taken, it is
/// followed there to its recorded end, and nothing is sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_202_on_a_steady_service_is_followed_through_the_activity_log() {
    let h = emu::start(config(true)).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, dir.path());
    let prepared = fresh_restore(&h, &engine, "activity/steady.apimbackup").await;
    h.add_faults("lost-reply@restore*1").unwrap();
    let (end, notes, snap) = run(&h, prepared).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded), "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("Activity Log records that Azure took the restore")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("succeeded by evidence")),
        "{notes:?}"
    );
    assert_eq!(
        restores(&snap),
        (1, "Succeeded".to_owned()),
        "one POST, really succeeded"
    );
    assert!(
        snap.service("apim-contoso-neu")
            .unwrap()
            .restored_from
            .is_some()
    );
    h.shutdown().await;
}

/// A restore that arrived and failed (its backup was gone when Azure read it) while its 202 was
/// lost is failed by the Activity Log's record, in the operation's own words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_202_of_a_restore_that_failed_is_failed_by_its_recorded_end() {
    let mut cfg = config(false);
    cfg.storage_errors = apim_dr::emulator::StorageErrors::Poll;
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, dir.path());
    let blob = "activity/fails.apimbackup";
    let (backup, _) = engine
        .prepare_backup(&emu::backup_plan(blob))
        .await
        .unwrap();
    assert_eq!(
        run(&h, backup).await.0,
        RunEnd::Finished(Outcome::Succeeded)
    );
    let mut plan = RestorePlan {
        backup: BackupRef::parse(&format!("stcontosodrneu/apim-backups/{blob}")).unwrap(),
        target: ServiceId::parse(&emu::standby_neu()).unwrap(),
        access: AccessType::AccessKey,
        began: None,
    };
    let report = engine.preflight(&plan, false).await.unwrap();
    // Sent for a blob that is not there: Azure takes the POST and fails when it reads storage.
    plan.backup = BackupRef::parse("stcontosodrneu/apim-backups/activity/gone.apimbackup").unwrap();
    let prepared = engine.prepare_restore(&plan, &report).await.unwrap();
    h.add_faults("lost-reply@restore*1").unwrap();
    let (end, notes, snap) = run(&h, prepared).await;
    let RunEnd::Finished(Outcome::Failed(e)) = &end else {
        panic!("expected failed, got {end:?} {notes:?}");
    };
    assert_eq!(e.code, "InvalidParameters", "{e}");
    assert!(e.message.contains("blob does not exist"), "{e}");
    assert!(
        notes.iter().any(|n| n.contains("failed by evidence")),
        "{notes:?}"
    );
    assert_eq!(restores(&snap), (1, "Failed".to_owned()));
    h.shutdown().await;
}

/// The POST never arrived (dropped before the emulator carried it out): nothing in the log,
/// nothing running. The verdict is "unknown", with no advice to send it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_that_never_arrived_is_unknown_never_resent() {
    let h = emu::start(config(true)).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, dir.path());
    let prepared = fresh_restore(&h, &engine, "activity/lost.apimbackup").await;
    h.add_faults("reset@restore*1").unwrap();
    let (end, notes, snap) = run(&h, prepared).await;
    let RunEnd::Finished(Outcome::Unconfirmed { reason }) = &end else {
        panic!("expected unconfirmed, got {end:?} {notes:?}");
    };
    assert!(reason.contains("whether it started is unknown"), "{reason}");
    assert!(reason.contains("Activity Log holds no record"), "{reason}");
    assert!(
        reason.contains("Do not start the restore again"),
        "{reason}"
    );
    assert_eq!(
        restores(&snap),
        (0, "none".to_owned()),
        "nothing was re-sent"
    );
    h.shutdown().await;
}
