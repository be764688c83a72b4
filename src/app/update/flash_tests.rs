//! Flash lines belong to the place that raised them (issue 9, defect 6): a refusal from one
//! wizard step or screen does not follow the operator to the next one, where at 80×24 it would
//! push the last pre-flight check off screen.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::failover::FailoverStep;
use crate::app::fixtures::{self, run};
use crate::app::state::{Screen, Wizard};

#[test]
fn a_refusal_at_one_step_is_gone_at_the_next() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [
            Action::StartFailover,
            Action::Submit,
            Action::MoveDown,
            Action::Submit,
            Action::MoveDown,
            Action::Submit,
        ],
    );
    assert!(
        state
            .flash
            .as_ref()
            .is_some_and(|f| f.text.contains("cannot take")),
        "refused at step 3: {:?}",
        state.flash
    );
    // Issue 9, defect 20: one colon, not "cannot take this backup: tier cannot restore: …".
    let text = &state.flash.as_ref().unwrap().text;
    assert_eq!(text.matches(": ").count(), 1, "{text}");
    let effects = run(&mut state, [Action::MoveUp, Action::Submit]);
    assert!(matches!(effects.as_slice(), [Effect::RunPreflight { .. }]));
    assert!(
        matches!(&state.wizard, Some(Wizard::Failover(w)) if w.step == FailoverStep::Preflight)
    );
    assert_eq!(state.flash, None, "step 3's refusal stays at step 3");
}

#[test]
fn a_screens_flash_stays_on_that_screen() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::Jump(Screen::Operations), Action::Refresh],
    );
    assert!(state.flash.is_some());
    run(&mut state, [Action::MoveDown]);
    assert!(state.flash.is_some(), "moving within the screen keeps it");
    run(&mut state, [Action::Jump(Screen::Estate)]);
    assert_eq!(state.flash, None);
}
