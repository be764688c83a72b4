//! Test-only: the cutover dialog over the Operations screen, its dry run with the host name
//! half typed, and its end.

use crate::app::action::Action;
use crate::app::fixtures::run;
use crate::app::state::AppState;
use crate::app::update::cutover_tests::{plan, restored, target};
use crate::engine::cutover::CutoverEnd;

/// `c` on the restore that succeeded, the dry run read, `api.contoso` typed.
pub fn cutover_typing() -> AppState {
    let mut s = restored(false);
    run(&mut s, [Action::StartCutover]);
    let to = target(&s);
    run(
        &mut s,
        [Action::CutoverPlanned {
            hostname: "api.contoso.com".into(),
            to,
            result: Ok(plan()),
        }],
    );
    run(&mut s, "api.contoso".chars().map(Action::TypeChar));
    s
}

/// The host name typed, the write done.
pub fn cutover_done() -> AppState {
    let mut s = cutover_typing();
    run(&mut s, ".com".chars().map(Action::TypeChar));
    run(&mut s, [Action::Submit]);
    let to = target(&s);
    run(
        &mut s,
        [Action::CutoverApplied {
            hostname: "api.contoso.com".into(),
            to,
            result: Ok(CutoverEnd::Done),
        }],
    );
    s
}
