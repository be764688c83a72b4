//! Standby creation (issue 12 item 2), over loopback against the emulator's demo world, where
//! a soft-deleted `apim-contoso-weu-northeurope` holds the default name of a standby of
//! apim-contoso-weu in North Europe: refused with the offer to purge or choose another name;
//! with `purge`, purged, created (`Activating`, then `Succeeded`) with the source's tier,
//! units and publisher, a system-assigned identity, and a serving gateway. The creation is an
//! operation of the journal: its intent before anything is sent, its states, its end; a
//! creation whose process died is followed to its end by `resume`, with one `PUT` in all, and
//! one that died before its `PUT` is not sent again by a resume.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::domain::names::ServiceId;
use apim_dr::domain::operation::{OperationKind, Outcome};
use apim_dr::domain::progress::ProgressUpdate;
use apim_dr::engine::standby::StandbyAsk;
use apim_dr::engine::{Engine, EngineError, RunEnd};
use apim_dr::journal::Stage;
use common::cli::{EmulatorProcess, code, stderr};
use common::direct;
use common::emu;
use tokio_util::sync::CancellationToken;

fn ask(purge: bool) -> StandbyAsk {
    StandbyAsk {
        like: ServiceId::parse(&emu::source_weu()).unwrap(),
        region: "northeurope".into(),
        name: None,
        resource_group: None,
        purge,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soft_deleted_name_in_the_way_is_offered_for_purge_then_the_standby_is_created() {
    let mut cfg = emu::fast_config();
    cfg.speed = 1200.0; // creation: 40 min / 1200 = 2 s
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = direct::engine(&h, dir.path());

    let held = engine.plan_standby(&ask(false)).await.unwrap();
    let holder = held
        .held_by
        .clone()
        .expect("the soft-deleted service is reported");
    assert_eq!(holder.location, "North Europe");
    assert!(holder.purge_date.is_some(), "{holder:?}");
    let why = held.name_refusal("WAYS OUT").unwrap();
    assert!(
        why.contains("apim-contoso-weu-northeurope is held by a soft-deleted service")
            && why.ends_with(": WAYS OUT"),
        "{why}"
    );
    // Nothing is journaled or sent without the operator's choice.
    let Err(EngineError::Refused(why)) = engine.prepare_standby(&held, None).await else {
        panic!("a soft-deleted name in the way is not refused");
    };
    assert!(why.contains("purge it for good"), "{why}");
    assert!(engine.operations().await.unwrap().is_empty());
    assert!(
        h.snapshot()
            .service("apim-contoso-weu-northeurope")
            .is_none()
    );

    let plan = engine.plan_standby(&ask(true)).await.unwrap();
    assert_eq!(plan.target.name.as_str(), "apim-contoso-weu-northeurope");
    assert_eq!((plan.sku.as_str(), plan.capacity), ("Standard", 2));
    assert_eq!(plan.location, "North Europe");
    let prepared = engine.prepare_standby(&plan, None).await.unwrap();
    let (tx, drain) = direct::collect_updates();
    let end = prepared
        .create_and_follow(tx, CancellationToken::new())
        .await
        .unwrap();
    let updates = drain.await.unwrap();
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded), "{updates:?}");
    assert!(
        updates.iter().any(
            |u| matches!(u, ProgressUpdate::Running { status: Some(s), .. } if s == "Activating")
        ),
        "the creation is shown while it runs: {updates:?}"
    );

    let created = h.snapshot();
    let svc = created.service("apim-contoso-weu-northeurope").unwrap();
    assert_eq!((svc.sku.as_str(), svc.capacity), ("Standard", 2));
    assert_eq!(svc.location, "North Europe");
    assert_eq!(svc.provisioning_state, "Succeeded");
    let client = emu::client(&h);
    let raw = client.get_service_resource(&plan.target).await.unwrap();
    assert_eq!(
        raw.properties.publisher_email.as_deref(),
        Some("api-team@contoso.com")
    );
    assert!(raw.identity.is_some(), "system-assigned identity on");
    let gateway = client
        .get_service(&plan.target)
        .await
        .unwrap()
        .gateway_url()
        .unwrap()
        .into_owned();
    assert_eq!(client.gateway_health(&gateway).await.unwrap(), 200);
    // The name is taken now, and the soft-deleted entry is gone.
    let again = engine.plan_standby(&ask(true)).await;
    assert!(matches!(again, Err(EngineError::Refused(w)) if w.contains("already exists")));
    let sub = plan.target.subscription.clone();
    assert!(client.deleted_services(&sub).await.unwrap().is_empty());
    h.shutdown().await;
}

fn named(name: &str) -> StandbyAsk {
    StandbyAsk {
        name: Some(apim_dr::domain::names::ServiceName::parse(name).unwrap()),
        ..ask(false)
    }
}

/// The `PUT`s the emulator answered for the service `name`.
fn puts(h: &apim_dr::emulator::EmulatorHandle, name: &str) -> usize {
    h.requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with(&format!("/service/{name}")))
        .count()
}

/// An emulator at `speed` (a creation takes 40 min / speed), an engine with its journal, and
/// the plan of the free name apim-contoso-dr2 like apim-contoso-weu in North Europe.
async fn planned(
    speed: f64,
) -> (
    apim_dr::emulator::EmulatorHandle,
    tempfile::TempDir,
    Engine,
    apim_dr::engine::standby::StandbyPlan,
) {
    let mut cfg = emu::fast_config();
    cfg.speed = speed;
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = direct::engine(&h, dir.path());
    let plan = engine
        .plan_standby(&named("apim-contoso-dr2"))
        .await
        .unwrap();
    (h, dir, engine, plan)
}

/// The journal's only operation, resumed to its end.
async fn resume_only(engine: &Engine) -> (RunEnd, Vec<ProgressUpdate>) {
    let ops = engine.operations().await.unwrap();
    assert_eq!(ops.len(), 1, "{ops:?}");
    let (tx, drain) = direct::collect_updates();
    let end = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        engine.resume(ops[0].clone(), tx, CancellationToken::new()),
    )
    .await
    .expect("the resumed creation ends")
    .unwrap();
    (end, drain.await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_creation_is_journaled_from_its_intent_to_its_end() {
    let (h, _dir, engine, plan) = planned(1200.0).await;
    let prepared = engine.prepare_standby(&plan, None).await.unwrap();
    // The intent is on disk before anything is sent.
    let ops = engine.operations().await.unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].info.kind, OperationKind::Create);
    assert_eq!(ops[0].stage(), Stage::MayHaveStarted);
    assert_eq!(puts(&h, "apim-contoso-dr2"), 0);
    let new = ops[0].info.creating.clone().unwrap();
    assert_eq!((new.location.as_str(), new.capacity), ("North Europe", 2));
    assert_eq!(ops[0].info.tier.as_ref().unwrap().as_str(), "Standard");
    assert_eq!(ops[0].info.subject(), "new Standard ×2 in North Europe");
    // A second creation of the same name is refused while this one has no end.
    assert!(matches!(
        engine.prepare_standby(&plan, None).await,
        Err(EngineError::Busy { .. })
    ));

    let (tx, drain) = direct::collect_updates();
    let end = prepared
        .create_and_follow(tx, CancellationToken::new())
        .await
        .unwrap();
    drain.await.unwrap();
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let ops = engine.operations().await.unwrap();
    assert_eq!(ops[0].outcome, Some(Outcome::Succeeded));
    assert_eq!(ops[0].last_status.as_deref(), Some("Activating"));
    assert_eq!(puts(&h, "apim-contoso-dr2"), 1);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_holding_only_the_intent_is_not_sent_again_by_a_resume() {
    let (h, _dir, engine, plan) = planned(1200.0).await;
    // The process dies between the intent and the PUT.
    drop(engine.prepare_standby(&plan, None).await.unwrap());

    // A resume runs at every start, perhaps in read-only mode, with nobody confirming: it
    // follows what exists and sends nothing (no purge, no PUT); the end says what is unknown.
    let (end, updates) = resume_only(&engine).await;
    let RunEnd::Finished(Outcome::Unconfirmed { reason }) = &end else {
        panic!("unconfirmed, not created again: {end:?} {updates:?}")
    };
    assert!(reason.contains("nothing was sent again"), "{reason}");
    assert_eq!(puts(&h, "apim-contoso-dr2"), 0);
    assert!(h.snapshot().service("apim-contoso-dr2").is_none());
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_creation_killed_while_activating_is_followed_again_without_a_second_put() {
    let (h, _dir, engine, plan) = planned(600.0).await; // 40 min / 600 = 4 s
    let prepared = engine.prepare_standby(&plan, None).await.unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let running = tokio::spawn(prepared.create_and_follow(tx, CancellationToken::new()));
    // Killed once the service is Activating: no end, no "detached" in the journal.
    while let Some(u) = rx.recv().await {
        if matches!(u, ProgressUpdate::Running { .. }) {
            break;
        }
    }
    running.abort();
    let ops = engine.operations().await.unwrap();
    assert!(ops[0].outcome.is_none() && !ops[0].detached, "{ops:?}");

    let (end, updates) = resume_only(&engine).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded), "{updates:?}");
    assert_eq!(puts(&h, "apim-contoso-dr2"), 1, "no second PUT");
    assert_eq!(
        engine.operations().await.unwrap()[0].outcome,
        Some(Outcome::Succeeded)
    );
    h.shutdown().await;
}

#[test]
fn the_cli_refuses_a_soft_deleted_name_without_purge_and_a_creation_without_yes() {
    let emu = EmulatorProcess::start(&[]);
    let like = emu::source_weu();
    let o = emu.run(&[
        "standby",
        "create",
        "--like",
        &like,
        "--region",
        "northeurope",
        "--yes",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("soft-deleted service"),
        "{}",
        stderr(&o)
    );
    let o = emu.run(&[
        "standby",
        "create",
        "--like",
        &like,
        "--region",
        "North Europe",
        "--name",
        "apim-contoso-dr2",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("add --yes"), "{}", stderr(&o));
    let o = emu.run(&[
        "standby", "create", "--like", &like, "--region", "Mars", "--yes",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("'Mars' is not a region"),
        "{}",
        stderr(&o)
    );
}
