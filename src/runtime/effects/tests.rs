//! The effects of one action are one walk: their requests share a correlation id, and the next
//! batch has another; the prune dialog's deletes reach Blob storage. Over loopback against the
//! emulator.

use crossterm::event::KeyCode;

use super::live::{Live, engine};
use super::*;
use crate::azure::auth::TokenSource;
use crate::azure::{AzureClient, ClientOptions};
use crate::emulator::{Emulator, EmulatorConfig, World};
use crate::journal::Journal;

const PROD: &str = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
const DR: &str = "7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f";

/// Runs one batch of listings and waits for every answer: one per effect, and one more per
/// storage account listed (a walk of the accounts walks their backups too).
async fn batch(runner: &mut EffectRunner, rx: &mut mpsc::Receiver<Action>, effects: Vec<Effect>) {
    let mut outstanding = effects.len();
    assert_eq!(runner.run(effects), Next::Continue);
    while outstanding > 0 {
        let action = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap()
            .unwrap();
        outstanding -= 1;
        match &action {
            Action::StorageAccountsLoaded {
                result: Ok(accounts),
                ..
            } => outstanding += accounts.len(),
            Action::ServicesLoaded { result: Ok(_), .. }
            | Action::BackupsLoaded { result: Ok(_), .. } => {}
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn the_effects_of_one_action_share_a_correlation_id() {
    let h = Emulator::start(EmulatorConfig::new(World::demo().unwrap()))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = mpsc::channel(16);
    let mut runner = EffectRunner::new(engine(&h, dir.path()), None, tx);
    let fetches = |sub: &str| {
        vec![
            Effect::FetchServices {
                subscription: sub.to_owned(),
            },
            Effect::FetchStorageAccounts {
                subscription: sub.to_owned(),
            },
        ]
    };
    let mut ids = Vec::new();
    for sub in [PROD, DR] {
        let mark = h.requests().len();
        batch(&mut runner, &mut rx, fetches(sub)).await;
        let sent: std::collections::HashSet<Option<String>> = h.requests()[mark..]
            .iter()
            .map(|r| r.correlation_id.clone())
            .collect();
        assert_eq!(sent.len(), 1, "{sent:?}");
        ids.extend(sent);
    }
    assert!(ids.iter().all(Option::is_some));
    assert_ne!(ids[0], ids[1], "the next action is another walk");
    runner.shutdown().await;
}

/// Issue 9 item 7: a wait over ten seconds inside an operation's call (here a 429 with
/// `Retry-After: 11`) reaches the TUI as the operation's note: what waits, why, until when.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_wait_becomes_the_operations_note() {
    let h = Emulator::start(EmulatorConfig::new(World::demo().unwrap()))
        .await
        .unwrap();
    h.add_faults("throttle:11@services*1").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&h, dir.path());
    let (tx, mut rx) = mpsc::channel(16);
    let op = OpId(7);
    let noting = noting_waits(&engine, op, &tx);
    crate::engine::inventory::services(noting.client(), PROD)
        .await
        .unwrap();
    match rx.try_recv().unwrap() {
        Action::OperationUpdated {
            op: got,
            update: ProgressUpdate::Note(line),
        } => {
            assert_eq!(got, op);
            assert!(
                line.starts_with("waiting 11s (until ") && line.contains("throttled"),
                "{line}"
            );
        }
        other => panic!("expected the wait as a note, got {other:?}"),
    }
}

/// Issue 11: `p` on Backups lists the demo world's expired backups, `delete 2` typed deletes
/// them through Blob DELETE on the emulator, each blob says so, and the listing loaded again
/// holds none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_deletes_the_expired_backups_over_the_emulator() {
    let h = Emulator::start(EmulatorConfig::new(World::demo().unwrap()))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut live = Live::start(&h, dir.path()).await;
    live.press(KeyCode::Char('2')).await;
    let mut expired = live.expired();
    expired.sort();
    assert_eq!(expired.len(), 2, "{expired:?}");

    live.press(KeyCode::Char('p')).await;
    let Some(crate::app::state::Overlay::Prune(d)) = &live.state.overlay else {
        panic!("p opens the prune dialog")
    };
    let mut listed: Vec<String> = d.rows.iter().map(|r| r.entry.display_ref()).collect();
    listed.sort();
    assert_eq!(
        listed, expired,
        "the dialog lists what the CLI would delete"
    );

    live.type_text("delete 2").await;
    let deletes_before = h.requests().iter().filter(|r| r.method == "DELETE").count();
    live.press(KeyCode::Enter).await;
    let deletes = h.requests().iter().filter(|r| r.method == "DELETE").count();
    assert_eq!(deletes - deletes_before, 2, "one Blob DELETE per blob");
    let Some(crate::app::state::Overlay::Prune(d)) = &live.state.overlay else {
        panic!("the dialog stays with the results")
    };
    assert!(
        d.rows
            .iter()
            .all(|r| r.status == crate::app::prune::PruneStatus::Deleted),
        "{:?}",
        d.rows
    );
    assert!(live.expired().is_empty(), "the listing loaded again");
    live.press(KeyCode::Esc).await;
    assert!(live.state.overlay.is_none());
    live.runner.shutdown().await;
}

/// Issue 12: the cutover dialog's dry run and write over the emulator: api.contoso.com (the
/// demo's CNAME to apim-contoso-weu) shown before → after, the host name typed, the record
/// written, the rollback kept; the dry run read again then has nothing to change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cutover_dialog_moves_the_demo_host_name_over_the_emulator() {
    use crate::app::cutover::CutoverDialog;
    use crate::app::loadable::Loadable;
    use crate::app::state::Overlay;
    use crate::engine::cutover::CutoverEnd;

    let h = Emulator::start(EmulatorConfig::new(World::demo().unwrap()))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut live = Live::start(&h, dir.path()).await;
    let neu = crate::domain::names::ServiceId::parse(&format!(
        "/subscriptions/{DR}/resourceGroups/rg-apim-dr-neu/providers/Microsoft.ApiManagement/service/apim-contoso-neu"
    ))
    .unwrap();
    let host = "api.contoso.com".to_owned();
    let open = |live: &mut Live| {
        live.state.overlay = Some(Overlay::Cutover(Box::new(CutoverDialog::new(
            host.clone(),
            neu.clone(),
            live.state.now,
        ))));
    };
    open(&mut live);
    live.settle(vec![Effect::PlanCutover {
        hostname: host.clone(),
        to: neu.clone(),
    }])
    .await;
    let Some(Overlay::Cutover(d)) = &live.state.overlay else {
        panic!("the dialog is open")
    };
    let Loadable::Loaded(plan) = &d.plan else {
        panic!("the dry run: {:?}", d.plan)
    };
    assert_eq!(plan.before, "apim-contoso-weu.azure-api.net");
    assert_eq!(plan.after, "apim-contoso-neu.azure-api.net");
    let rollback = plan.rollback_command();

    live.type_text(&host).await;
    live.press(KeyCode::Enter).await;
    let Some(Overlay::Cutover(d)) = &live.state.overlay else {
        panic!("the dialog stays with the end")
    };
    assert_eq!(d.applied, Some(Loadable::Loaded(CutoverEnd::Done)));
    assert_eq!(d.rollback(), Some(rollback));
    let log = std::fs::read_to_string(dir.path().join("cutover.jsonl")).unwrap();
    assert!(log.contains("\"stage\":\"done\""), "{log}");

    open(&mut live);
    live.settle(vec![Effect::PlanCutover {
        hostname: host.clone(),
        to: neu,
    }])
    .await;
    let Some(Overlay::Cutover(d)) = &live.state.overlay else {
        panic!("the dialog is open")
    };
    assert!(
        matches!(&d.plan, Loadable::Loaded(p) if p.is_noop()),
        "{:?}",
        d.plan
    );
    live.runner.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizards_standby_is_planned_then_created_as_a_journaled_operation() {
    let mut config = EmulatorConfig::new(World::demo().unwrap());
    config.speed = 1200.0; // creation: 40 min / 1200 = 2 s
    let h = Emulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = ClientOptions::new(h.arm_endpoint());
    options.poll.default_interval = Duration::from_millis(100);
    let client = AzureClient::new(options, TokenSource::fixed(h.token(), None)).unwrap();
    let journal = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    let (tx, mut rx) = mpsc::channel(64);
    let mut runner = EffectRunner::new(Engine::from_client(client, journal, false), None, tx);
    let next = async |rx: &mut mpsc::Receiver<Action>| {
        tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .unwrap()
            .unwrap()
    };
    let ask = crate::domain::standby::StandbyAsk {
        like: format!(
            "/subscriptions/{PROD}/resourceGroups/rg-apim-prod-weu/providers/Microsoft.ApiManagement/service/apim-contoso-weu"
        )
        .parse()
        .unwrap(),
        region: "North Europe".into(),
        name: None,
        resource_group: None,
        purge: false,
    };
    runner.run(vec![Effect::PlanStandby { ask: ask.clone() }]);
    let Action::StandbyPlanned {
        result: Ok(plan), ..
    } = next(&mut rx).await
    else {
        panic!("no plan");
    };
    assert_eq!(plan.target.name.as_str(), "apim-contoso-weu-northeurope");
    assert!(plan.held_by.is_some() && !plan.purge, "{plan:?}");

    let ask = crate::domain::standby::StandbyAsk { purge: true, ..ask };
    let op = OpId(3);
    runner.run(vec![Effect::StartStandby {
        op,
        ask,
        began: None,
    }]);
    let Action::OperationStarted { op: got, info } = next(&mut rx).await else {
        panic!("not started");
    };
    assert_eq!(
        (got, info.kind),
        (op, crate::domain::operation::OperationKind::Create)
    );
    let end = loop {
        if let Action::OperationUpdated {
            update: ProgressUpdate::Finished(outcome),
            ..
        } = next(&mut rx).await
        {
            break outcome;
        }
    };
    assert_eq!(end, Outcome::Succeeded);
    assert_eq!(
        h.snapshot()
            .service("apim-contoso-weu-northeurope")
            .map(|s| s.provisioning_state.clone())
            .as_deref(),
        Some("Succeeded")
    );
}

/// Issue 12, Premium multi-region: `l` on apim-partners-weu shows both its regions over the
/// emulator, primary first, each gateway answering its health endpoint; `d` switches North
/// Europe's gateway off and on again for a drill.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regions_of_a_premium_service_over_the_emulator() {
    use crate::app::loadable::Loadable;
    use crate::app::state::Overlay;

    let h = Emulator::start(EmulatorConfig::new(World::demo().unwrap()))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut live = Live::start(&h, dir.path()).await;
    let rows = crate::app::estate::visible_services(&live.state);
    let at = rows
        .iter()
        .position(|r| r.service.name == "apim-partners-weu")
        .unwrap();
    live.state.cursors.services = at;
    live.press(KeyCode::Char('l')).await;
    let Some(Overlay::Regions {
        regions: Loadable::Loaded(r),
        ..
    }) = &live.state.overlay
    else {
        panic!("l shows the regions: {:?}", live.state.overlay)
    };
    let names: Vec<_> = r.regions.iter().map(|g| g.location.as_str()).collect();
    assert_eq!(names, ["West Europe", "North Europe"]);
    assert!(r.regions[0].primary);
    assert!(r.regions.iter().all(|g| g.serves() && !g.disabled), "{r:?}");

    // `j` `d`, North Europe typed, enter: its gateway is switched off through ARM and the
    // regions read again say so; the same keys switch it back on.
    for disabled in [true, false] {
        live.press(KeyCode::Char('j')).await;
        live.press(KeyCode::Char('d')).await;
        live.type_text("North Europe").await;
        live.press(KeyCode::Enter).await;
        let Some(Overlay::Regions {
            regions: Loadable::Loaded(r),
            switch: None,
            ..
        }) = &live.state.overlay
        else {
            panic!("the switch answered: {:?}", live.state.overlay)
        };
        let neu = &r.regions[1];
        assert_eq!(neu.location, "North Europe");
        assert_eq!(neu.disabled, disabled, "{r:?}");
        assert!(
            r.regions[0].serves(),
            "West Europe serves throughout: {r:?}"
        );
    }
    let patches = h.requests().iter().filter(|r| r.method == "PATCH").count();
    assert_eq!(patches, 2, "one PATCH per switch");
    live.press(KeyCode::Esc).await;
    assert!(live.state.overlay.is_none());
    live.runner.shutdown().await;
}
