//! DR pairing: a `dr-standby` tag on the source service preselects the standby on the target
//! step; the region step keeps its cursor at the top (the README's first failover keeps its
//! keys: `enter`, `j` `enter`, `enter`).

use super::flow_tests::failover;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::{self, run};
use crate::app::loadable::Loadable;
use crate::app::state::AppState;

fn tag(state: &mut AppState, service: &str, value: &str) {
    for listing in state.services.values_mut() {
        if let Loadable::Loaded(services) = &mut listing.data {
            for s in std::sync::Arc::make_mut(services)
                .iter_mut()
                .filter(|s| s.name == service)
            {
                s.rare_mut().tags.insert("dr-standby".into(), value.into());
            }
        }
    }
}

fn neu_id(state: &AppState) -> String {
    crate::app::estate::all_services(state)
        .find(|s| s.name == "apim-contoso-neu")
        .unwrap()
        .id()
        .into_owned()
}

#[test]
fn the_dr_standby_tag_preselects_the_standby_and_keeps_the_region_keys() {
    for by_id in [false, true] {
        let mut state = fixtures::loaded(false);
        let value = if by_id {
            neu_id(&state)
        } else {
            "apim-contoso-neu".to_owned()
        };
        tag(&mut state, "apim-contoso-weu", &value);
        run(&mut state, [Action::StartFailover, Action::Submit]);
        assert_eq!(
            failover(&state).region_cursor,
            0,
            "the cursor keeps its place"
        );
        let effects = run(
            &mut state,
            [Action::MoveDown, Action::Submit, Action::Submit],
        );
        match effects.as_slice() {
            [Effect::RunPreflight { plan, .. }] => {
                assert_eq!(plan.target.name.to_string(), "apim-contoso-neu");
            }
            other => panic!("expected the pre-flight, got {other:?}"),
        }
    }
}

#[test]
fn without_a_tag_the_cursors_start_at_the_top() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartFailover, Action::Submit]);
    assert_eq!(failover(&state).region_cursor, 0);
}
