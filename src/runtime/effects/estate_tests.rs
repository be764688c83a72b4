//! Issue 10: the TUI loads the estate through the discovery engine, as the CLI does: one walk
//! whose listings arrive each as soon as it is complete, and a 429 on some subscriptions loses
//! nothing. Over loopback against the emulator.

use std::collections::BTreeSet;

use super::live::Live;
use crate::app::state::AppState;
use crate::domain::backup::BackupEntry;
use crate::emulator::{Emulator, EmulatorConfig, World};
use crate::engine::discovery::{Estate, Scope};

/// Every service id and every backup blob the TUI holds.
fn held(state: &AppState) -> (BTreeSet<String>, BTreeSet<String>) {
    let services = state
        .services
        .values()
        .filter_map(|l| l.rows())
        .flatten()
        .map(|s| s.id().into_owned())
        .collect();
    let backups = state
        .backups
        .values()
        .filter_map(|l| l.rows())
        .flatten()
        .flat_map(|c| c.backups.iter().map(BackupEntry::display_ref))
        .collect();
    (services, backups)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tuis_walk_holds_every_item_of_a_throttled_estate() {
    let world = World::generate("gen:subs=6,services=5,backups=8,accounts=4,open=1").unwrap();
    let h = Emulator::start(EmulatorConfig::new(world)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let whole = {
        let engine = super::live::engine(&h, dir.path());
        Estate::collect(engine.client(), Scope::everything()).await
    };
    assert!(whole.failures.is_empty());
    let (throttled, other) = (&whole.subscriptions[1].id, &whole.subscriptions[3].id);
    h.add_faults(&format!(
        "throttle:1@services/{throttled}*2,throttle:1@storage/{throttled}*2,throttle:1@services/{other}"
    ))
    .unwrap();
    let walks_before = h.requests().len();

    let live = Live::start(&h, dir.path()).await;

    let (services, backups) = held(&live.state);
    let want_services: BTreeSet<String> =
        whole.services.iter().map(|s| s.id().into_owned()).collect();
    let want_backups: BTreeSet<String> =
        whole.backups.iter().map(BackupEntry::display_ref).collect();
    assert_eq!(services, want_services, "every service, under throttling");
    assert_eq!(backups, want_backups, "every backup, under throttling");
    assert!(!want_backups.is_empty());
    assert!(!live.state.estate_loading());
    assert!(
        live.state
            .services
            .values()
            .all(|l| l.refresh_error.is_none()),
        "no listing failed"
    );
    let met_429 = h.requests()[walks_before..]
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(met_429, 5, "the faults were met");
}
