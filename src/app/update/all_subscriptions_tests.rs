//! Every subscription's services at once (issue 10, like k9s `-A`): `0` or `:all` switches the
//! services table to every listed subscription's services, one filter across them (the
//! subscription's name too), the cursor and `f`/`b`/`enter`/`y` on the service under it, a
//! subscription still loading never shown as empty; `0` again restores one subscription's view.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::{
    ServicesProgress, all_services, selected_service, services_progress, visible_services,
};
use crate::app::fixtures::{self, DEV, DR, PROD, run};
use crate::app::keymap::KeyContext;
use crate::app::state::{AppState, ListId, Pane, Screen, ServicesOf, Wizard};

fn zero(state: &AppState, context: KeyContext) -> Option<Action> {
    state.keymap.resolve(
        context,
        KeyEvent::new(KeyCode::Char('0'), KeyModifiers::NONE),
    )
}

fn names(state: &AppState) -> Vec<(String, String)> {
    visible_services(state)
        .iter()
        .map(|r| (r.subscription.to_owned(), r.service.name.clone()))
        .collect()
}

#[test]
fn zero_shows_every_subscriptions_services_and_again_restores_the_one() {
    let mut state = fixtures::loaded(false);
    for context in [KeyContext::Services, KeyContext::Subscriptions] {
        assert_eq!(zero(&state, context), Some(Action::ToggleAllSubscriptions));
    }
    let one = names(&state);
    assert!(one.iter().all(|(sub, _)| sub == "Contoso Production"));
    run(&mut state, [Action::MoveDown]);
    let selected = selected_service(&state).unwrap().id().into_owned();

    run(&mut state, [Action::ToggleAllSubscriptions]);
    assert_eq!(state.services_of, ServicesOf::All);
    let all = names(&state);
    assert_eq!(all.len(), all_services(&state).count(), "every service");
    for sub in [
        "Contoso Production",
        "Contoso DR Standby",
        "Contoso Dev & Test",
    ] {
        assert!(all.iter().any(|(s, _)| s == sub), "{sub} in {all:?}");
    }
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(all, sorted, "sorted by name as today, across subscriptions");
    assert_eq!(
        selected_service(&state).unwrap().id(),
        selected,
        "the cursor stays on its service"
    );

    run(&mut state, [Action::ToggleAllSubscriptions]);
    assert_eq!(state.services_of, ServicesOf::Selected);
    assert_eq!(names(&state), one, "one subscription's view again");
    assert_eq!(selected_service(&state).unwrap().id(), selected);
}

#[test]
fn one_filter_goes_across_every_subscription_and_matches_its_name() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::ToggleAllSubscriptions, Action::OpenFilter],
    );
    run(&mut state, "contoso-".chars().map(Action::TypeChar));
    let hits: Vec<String> = names(&state).into_iter().map(|(_, n)| n).collect();
    assert_eq!(
        hits,
        [
            "apim-contoso-neu",
            "apim-contoso-stage-eus",
            "apim-contoso-weu"
        ],
        "from three subscriptions"
    );
    run(&mut state, [Action::ClearInput]);
    run(&mut state, "dev & test".chars().map(Action::TypeChar));
    run(&mut state, [Action::Submit]);
    assert_eq!(
        names(&state),
        [(
            "Contoso Dev & Test".to_owned(),
            "apim-contoso-stage-eus".to_owned()
        )],
        "the subscription's name matches"
    );
    // One subscription's view does not match on its own name: every row would.
    run(&mut state, [Action::ToggleAllSubscriptions]);
    assert!(visible_services(&state).is_empty());
}

#[test]
fn the_keys_act_on_the_service_under_the_cursor() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::ToggleAllSubscriptions]);
    let rows: Vec<_> = visible_services(&state)
        .iter()
        .map(|r| r.service.clone())
        .collect();
    for (i, service) in rows.iter().enumerate() {
        state.cursors.services = i;
        assert_eq!(selected_service(&state), Some(service));
        assert_eq!(
            run(&mut state, [Action::Copy]),
            [Effect::Copy(service.id().into_owned())],
            "y copies {}",
            service.name
        );
    }
    let neu = rows
        .iter()
        .position(|s| s.subscription_id == DR)
        .expect("the DR subscription's service");
    state.cursors.services = neu;
    run(&mut state, [Action::StartFailover]);
    match &state.wizard {
        Some(Wizard::Failover(w)) => assert_eq!(w.origin.as_ref(), Some(&rows[neu])),
        other => panic!("no failover wizard: {other:?}"),
    }
    state.wizard = None;
    run(&mut state, [Action::StartBackup]);
    match &state.wizard {
        Some(Wizard::Backup(w)) => assert_eq!(w.service, rows[neu]),
        other => panic!("no backup wizard: {other:?}, {:?}", state.flash),
    }
    state.wizard = None;
    run(&mut state, [Action::Open]);
    assert!(state.details, "enter shows its details");
    run(&mut state, [Action::Open]);
    assert_eq!(state.screen, Screen::Backups);
    assert_eq!(state.filters.get(ListId::Backups), &rows[neu].name);
}

#[test]
fn a_subscription_still_loading_is_said_so() {
    let mut state = fixtures::fresh(false);
    run(
        &mut state,
        [
            Action::SubscriptionsLoaded(Ok(fixtures::subscriptions())),
            Action::ServicesLoaded {
                subscription: PROD.into(),
                result: Ok(fixtures::services()[&PROD].clone()),
            },
            Action::ToggleAllSubscriptions,
        ],
    );
    assert_eq!(
        services_progress(&state),
        ServicesProgress {
            total: 3,
            loading: 2,
            failed: 0
        }
    );
    assert!(names(&state).iter().all(|(s, _)| s == "Contoso Production"));
    run(
        &mut state,
        [
            Action::ServicesLoaded {
                subscription: DEV.into(),
                result: Err(crate::domain::error::UserError::new("listing failed")),
            },
            Action::ServicesLoaded {
                subscription: DR.into(),
                result: Ok(fixtures::services()[&DR].clone()),
            },
        ],
    );
    assert_eq!(
        services_progress(&state),
        ServicesProgress {
            total: 3,
            loading: 0,
            failed: 1
        }
    );
    assert_eq!(names(&state).len(), 5, "the services arrived shown at once");
    let effects = run(&mut state, [Action::Refresh]);
    assert_eq!(effects.len(), 3, "r reloads every subscription's services");
}

#[test]
fn colon_all_toggles_and_enter_on_a_subscription_shows_only_its_services() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::Jump(Screen::Backups), Action::OpenCommand],
    );
    run(&mut state, "all".chars().map(Action::TypeChar));
    run(&mut state, [Action::Submit]);
    assert_eq!(
        (state.screen, state.focus, state.services_of),
        (Screen::Estate, Pane::Services, ServicesOf::All)
    );
    run(
        &mut state,
        [
            Action::Focus(Pane::Subscriptions),
            Action::MoveDown,
            Action::Open,
        ],
    );
    assert_eq!(state.services_of, ServicesOf::Selected);
    assert_eq!(state.focus, Pane::Services);
    assert_eq!(
        names(&state),
        [(
            "Contoso DR Standby".to_owned(),
            "apim-contoso-neu".to_owned()
        )]
    );
}

#[test]
fn moving_or_filtering_the_subscriptions_leaves_every_subscriptions_cursor_alone() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::ToggleAllSubscriptions, Action::MoveDown],
    );
    let selected = selected_service(&state).unwrap().id().into_owned();
    run(
        &mut state,
        [
            Action::Focus(Pane::Subscriptions),
            Action::MoveDown,
            Action::OpenFilter,
            Action::TypeChar('d'),
            Action::Submit,
        ],
    );
    assert_eq!(selected_service(&state).unwrap().id(), selected);
}
