//! Issue 10, start-up from cache: the last session's inventory shows, stale, until each
//! listing is fetched again; a finished walk is kept for the next start (not in the demo).

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::visible_services;
use crate::app::fixtures::{self, NOW, PROD, run};
use crate::app::state::AppState;

fn from_cache() -> AppState {
    let mut state = fixtures::fresh(false);
    let effects = run(
        &mut state,
        [Action::InventoryCached {
            inventory: Box::new(fixtures::inventory()),
            saved_at: NOW - Duration::hours(3),
        }],
    );
    assert!(effects.is_empty(), "the fetch already started: {effects:?}");
    state
}

fn saves(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::SaveInventory { .. }))
        .count()
}

#[test]
fn cached_rows_show_stale_and_the_fetch_replaces_them() {
    let mut state = from_cache();
    assert!(!visible_services(&state).is_empty());
    assert!(state.subscriptions.is_stale() && state.subscriptions.is_busy());
    assert!(state.services.values().all(|l| l.cached));
    let effects = run(
        &mut state,
        [Action::SubscriptionsLoaded(Ok(fixtures::subscriptions()))],
    );
    assert!(!state.subscriptions.is_stale());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchServices { subscription } if subscription == PROD)),
        "each listing is fetched again over the cached rows: {effects:?}"
    );
    assert!(state.services[PROD].is_stale() && state.services[PROD].is_busy());
    run(
        &mut state,
        [Action::ServicesLoaded {
            subscription: PROD.into(),
            result: Ok(vec![]),
        }],
    );
    assert!(!state.services[PROD].is_stale());
}

#[test]
fn a_finished_walk_is_kept_once_and_never_in_the_demo() {
    let mut state = fixtures::fresh(false);
    run(
        &mut state,
        [Action::SubscriptionsLoaded(Ok(fixtures::subscriptions()))],
    );
    let mut effects = Vec::new();
    for (sub, list) in fixtures::services() {
        effects.extend(run(
            &mut state,
            [Action::ServicesLoaded {
                subscription: sub.into(),
                result: Ok(list),
            }],
        ));
    }
    assert_eq!(saves(&effects), 0, "storage accounts still load");
    let loaded = fixtures::loaded(false);
    let walked = fixtures::inventory();
    let mut state = loaded.clone();
    let (account, containers) = fixtures::backups().remove(0);
    state.backups.get_mut(&account).unwrap().begin(NOW);
    let effects = run(
        &mut state,
        [Action::BackupsLoaded {
            account,
            result: Ok(containers),
        }],
    );
    assert_eq!(saves(&effects), 1);
    let Some(Effect::SaveInventory { inventory, at }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!((**inventory).clone(), walked);
    assert_eq!(*at, NOW);

    // An estate with no subscription is a finished walk too; the demo keeps nothing.
    let mut azure = fixtures::fresh(false);
    let effects = run(&mut azure, [Action::SubscriptionsLoaded(Ok(vec![]))]);
    assert_eq!(saves(&effects), 1);
    let mut demo = fixtures::fresh(false);
    demo.starts_over = true;
    let effects = run(&mut demo, [Action::SubscriptionsLoaded(Ok(vec![]))]);
    assert_eq!(saves(&effects), 0);
}
