//! The effects of one action are one walk: their requests share a correlation id, and the next
//! batch has another. Over loopback against the emulator.

use super::*;
use crate::azure::auth::TokenSource;
use crate::azure::{AzureClient, ClientOptions};
use crate::emulator::{Emulator, EmulatorConfig, World};
use crate::journal::Journal;

const PROD: &str = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
const DR: &str = "7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f";

/// An engine over the emulator `h`, its journal in `dir`.
fn engine(h: &crate::emulator::EmulatorHandle, dir: &std::path::Path) -> Engine {
    let client = AzureClient::new(
        ClientOptions::new(h.arm_endpoint()),
        TokenSource::fixed(h.token(), None),
    )
    .unwrap();
    let journal = Journal::open(&dir.join("journal.jsonl")).unwrap();
    Engine::from_client(client, journal, false)
}

/// Runs one batch and waits for an answer to each of its effects.
async fn batch(runner: &mut EffectRunner, rx: &mut mpsc::Receiver<Action>, effects: Vec<Effect>) {
    let n = effects.len();
    assert_eq!(runner.run(effects), Next::Continue);
    for _ in 0..n {
        let action = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert!(
            matches!(
                &action,
                Action::ServicesLoaded { result: Ok(_), .. }
                    | Action::StorageAccountsLoaded { result: Ok(_), .. }
            ),
            "{action:?}"
        );
    }
}

#[tokio::test]
async fn the_effects_of_one_action_share_a_correlation_id() {
    let h = Emulator::start(EmulatorConfig::new(World::demo().unwrap()))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = mpsc::channel(16);
    let mut runner = EffectRunner::new(engine(&h, dir.path()), tx);
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
    inventory::services(noting.client(), PROD).await.unwrap();
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
    let mut runner = EffectRunner::new(Engine::from_client(client, journal, false), tx);
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
