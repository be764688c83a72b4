//! Issue 10, start-up from cache: the last session's inventory shows, stale, until each
//! listing is fetched again; a finished walk is kept for the next start (not in the demo).

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::visible_services;
use crate::app::fixtures::{self, DEV, DR, NOW, PROD, run};
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
    assert!(effects.is_empty(), "the walk goes on: {effects:?}");
    assert!(
        state.services[PROD].is_stale() && state.services[PROD].is_busy(),
        "each listing loads again over the cached rows"
    );
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

#[test]
fn a_cached_account_the_walk_no_longer_reaches_is_dropped_and_stale_rows_are_not_kept() {
    let mut inventory = fixtures::inventory();
    inventory
        .backups
        .insert("stgone".to_owned(), fixtures::backups().remove(0).1.into());
    let mut state = fixtures::fresh(false);
    run(
        &mut state,
        [Action::InventoryCached {
            inventory: Box::new(inventory),
            saved_at: NOW - Duration::hours(3),
        }],
    );
    assert!(state.backups["stgone"].cached);
    // The walk: every listing answers as in the fixtures, none of them "stgone".
    let mut facts = vec![Action::SubscriptionsLoaded(Ok(fixtures::subscriptions()))];
    for (sub, services) in fixtures::services() {
        facts.push(Action::ServicesLoaded {
            subscription: sub.into(),
            result: Ok(services),
        });
    }
    for sub in [PROD, DR, DEV] {
        facts.push(Action::StorageAccountsLoaded {
            result: Ok(fixtures::accounts()
                .into_iter()
                .filter(|(s, _)| *s == sub)
                .map(|(_, a)| a)
                .collect()),
            subscription: sub.into(),
        });
    }
    for (account, result) in fixtures::backups() {
        facts.push(Action::BackupsLoaded {
            account,
            result: Ok(result),
        });
    }
    let effects = run(&mut state, facts);
    let [Effect::SaveInventory { inventory, .. }] = &effects[..] else {
        panic!("one save at the walk's end: {effects:?}")
    };
    assert!(!inventory.backups.contains_key("stgone"), "kept an orphan");
    assert!(
        !state.backups.contains_key("stgone"),
        "the orphan is dropped"
    );
    assert_eq!(
        crate::app::catalog::backup_coverage(&state),
        crate::app::catalog::Coverage::Complete
    );

    // A refresh that fails leaves stale rows: nothing is kept (they would get a new date).
    let account = state.backups.keys().next().cloned().unwrap();
    state.backups.get_mut(&account).unwrap().begin(NOW);
    let effects = run(
        &mut state,
        [Action::BackupsLoaded {
            account,
            result: Err(crate::domain::error::UserError::new("throttled")),
        }],
    );
    assert_eq!(saves(&effects), 0);
}

#[test]
fn a_walk_whose_subscription_list_failed_drops_no_cached_rows() {
    let mut state = from_cache();
    let effects = run(
        &mut state,
        [Action::SubscriptionsLoaded(Err(
            crate::domain::error::UserError::new("listing subscriptions failed: throttled"),
        ))],
    );
    assert_eq!(saves(&effects), 0);
    assert!(
        state.services.get(PROD).is_some_and(|l| l.cached),
        "the cached services stay, marked stale"
    );
    assert!(state.backups.values().all(|l| l.cached));
}
