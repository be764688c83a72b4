//! Standby creation (issue 12 item 2), over loopback against the emulator's demo world, where
//! a soft-deleted `apim-contoso-weu-northeurope` holds the default name of a standby of
//! apim-contoso-weu in North Europe: refused with the offer to purge or choose another name;
//! with `purge`, purged, created (`Activating`, then `Succeeded`) with the source's tier,
//! units and publisher, a system-assigned identity, and a serving gateway.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::domain::names::ServiceId;
use apim_dr::domain::operation::Outcome;
use apim_dr::domain::progress::ProgressUpdate;
use apim_dr::engine::standby::StandbyAsk;
use apim_dr::engine::{EngineError, RunEnd};
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

    let Err(EngineError::Refused(why)) = engine.plan_standby(&ask(false)).await else {
        panic!("a soft-deleted name in the way is not refused");
    };
    assert!(
        why.contains("apim-contoso-weu-northeurope is held by a soft-deleted service"),
        "{why}"
    );
    assert!(why.contains("--purge") && why.contains("--name"), "{why}");
    assert!(
        h.snapshot()
            .service("apim-contoso-weu-northeurope")
            .is_none()
    );

    let plan = engine.plan_standby(&ask(true)).await.unwrap();
    assert_eq!(plan.target.name.as_str(), "apim-contoso-weu-northeurope");
    assert_eq!((plan.sku.as_str(), plan.capacity), ("Standard", 2));
    assert_eq!(plan.location, "North Europe");
    let (tx, drain) = direct::collect_updates();
    let end = engine
        .create_standby(&plan, tx, CancellationToken::new())
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
        .gateway_url
        .unwrap();
    assert_eq!(client.gateway_health(&gateway).await.unwrap(), 200);
    // The name is taken now, and the soft-deleted entry is gone.
    let again = engine.plan_standby(&ask(true)).await;
    assert!(matches!(again, Err(EngineError::Refused(w)) if w.contains("already exists")));
    let sub = plan.target.subscription.clone();
    assert!(client.deleted_services(&sub).await.unwrap().is_empty());
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
