//! The failover wizard's offer to create a standby, through `update`: offered only where no
//! service can take the backup, the purge choice, another name planned, paste refused, and the
//! wizard going on to the pre-flight of the new service once it is created.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::failover::FailoverStep;
use crate::app::fixtures::run;
use crate::app::fixtures::standby::{standby_confirm, standby_offer, standby_target_step};
use crate::app::state::{AppState, FlashLevel};
use crate::domain::operation::Outcome;
use crate::domain::progress::ProgressUpdate;

use super::flow_tests::failover;

fn flash(state: &AppState) -> String {
    state
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[test]
fn enter_where_no_service_can_take_the_backup_plans_a_standby_like_its_source() {
    let mut state = standby_target_step();
    let effects = run(&mut state, [Action::Submit]);
    let [Effect::PlanStandby { ask }] = effects.as_slice() else {
        panic!("expected the standby's plan, got {effects:?}");
    };
    assert_eq!(ask.like.name.as_str(), "apim-partners-weu");
    assert_eq!(ask.region, "North Europe");
    assert!(ask.name.is_none() && !ask.purge);
    assert_eq!(failover(&state).step, FailoverStep::Target);
    assert!(failover(&state).standby.is_some());
}

#[test]
fn no_standby_is_offered_while_a_services_listing_is_not_in() {
    use crate::domain::error::UserError;

    let mut state = standby_target_step();
    let now = state.now;
    // A refresh of one subscription's services failed: its rows are stale, a service there
    // may take the backup.
    let sub = state.services.keys().next().cloned().unwrap();
    let listing = state.services.get_mut(&sub).unwrap();
    assert!(listing.begin(now));
    listing.settle(Err(UserError::new("throttled")), now);
    let effects = run(&mut state, [Action::Submit]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(failover(&state).standby.is_none());
    assert!(
        flash(&state).contains("not every subscription"),
        "{}",
        flash(&state)
    );
}

#[test]
fn a_name_held_by_a_soft_deleted_service_is_not_created_until_purge_is_chosen() {
    let mut state = standby_offer();
    let name = "apim-partners-weu-northeurope";
    run(&mut state, name.chars().map(Action::TypeChar));
    let effects = run(&mut state, [Action::Submit]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        flash(&state).contains("held by a soft-deleted service"),
        "{}",
        flash(&state)
    );
    run(&mut state, [Action::PasteRefused]);
    assert_eq!(
        state.flash.as_ref().map(|f| f.level),
        Some(FlashLevel::Warn)
    );
    // Another name is planned instead.
    run(&mut state, [Action::ClearInput]);
    let effects = run(&mut state, "apim-partners-dr".chars().map(Action::TypeChar));
    assert!(effects.is_empty());
    let effects = run(&mut state, [Action::Submit]);
    let [Effect::PlanStandby { ask }] = effects.as_slice() else {
        panic!("expected a plan of the other name, got {effects:?}");
    };
    assert_eq!(
        ask.name
            .as_ref()
            .map(crate::domain::names::ServiceName::as_str),
        Some("apim-partners-dr")
    );
}

#[test]
fn the_created_standby_becomes_the_target_and_the_wizard_runs_its_preflight() {
    let mut state = standby_confirm();
    let effects = run(&mut state, [Action::Submit]);
    let [Effect::StartStandby { op, ask, began }] = effects.as_slice() else {
        panic!("expected the creation, got {effects:?}");
    };
    assert!(ask.purge, "purge was chosen");
    assert!(began.is_some());
    let op = *op;
    // Esc would leave the creation running; it is followed here until it ends.
    let effects = run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    );
    let w = failover(&state);
    assert_eq!(w.step, FailoverStep::Preflight);
    assert!(w.standby.is_none());
    assert_eq!(
        w.target.as_ref().map(|t| t.name.as_str()),
        Some("apim-partners-weu-northeurope")
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RunPreflight { plan, .. }
            if plan.target.name.as_str() == "apim-partners-weu-northeurope")),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchServices { .. }))
    );
}

#[test]
fn a_failed_creation_stays_on_the_offer_and_says_so() {
    let mut state = standby_confirm();
    let effects = run(&mut state, [Action::Submit]);
    let Some(Effect::StartStandby { op, .. }) = effects.first() else {
        panic!("no creation: {effects:?}");
    };
    let op = *op;
    let effects = run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Unconfirmed {
                reason: "the service ended Failed".into(),
            }),
        }],
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RunPreflight { .. })),
        "{effects:?}"
    );
    assert_eq!(failover(&state).step, FailoverStep::Target);
    assert!(flash(&state).contains("the creation of apim-partners-weu-northeurope ended"));
}
