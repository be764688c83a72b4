//! The cutover dialog: `c` on a restore that succeeded reads the dry run of pointing the
//! source's custom host name at the restored target; the host name typed (a paste is refused)
//! writes it; the end and the rollback command stay on screen, `y` copies the rollback.
//! Read-only mode refuses it.

use crate::app::action::Action;
use crate::app::cutover::{CutoverDialog, offer};
use crate::app::effect::Effect;
use crate::app::loadable::Loadable;
use crate::app::state::{AppState, FlashLevel, Overlay};
use crate::domain::cutover::CutoverPlan;
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::engine::cutover::CutoverEnd;

/// `c`: opens the dialog and asks for the dry run, or says why not.
pub(super) fn start(state: &mut AppState) -> Vec<Effect> {
    if state.read_only {
        state.flash(
            FlashLevel::Warn,
            "read-only mode: traffic cutover is disabled (start apim-dr without --read-only)",
        );
        return Vec::new();
    }
    match offer(state) {
        Err(e) => {
            state.flash(FlashLevel::Info, e.to_string());
            Vec::new()
        }
        Ok((hostname, to)) => {
            let d = CutoverDialog::new(hostname.clone(), to.clone(), state.now);
            state.overlay = Some(Overlay::Cutover(Box::new(d)));
            vec![Effect::PlanCutover { hostname, to }]
        }
    }
}

/// An action while the dialog is open (it was taken out of the state; put back unless closed).
pub(super) fn handle(state: &mut AppState, mut d: CutoverDialog, action: &Action) -> Vec<Effect> {
    let typing = d.takes_name();
    match action {
        Action::Back | Action::Cancel if matches!(d.applied, Some(Loadable::Loading { .. })) => {
            state.flash(
                FlashLevel::Info,
                "the write is on its way: the dialog stays until it answers",
            );
        }
        Action::Back | Action::Cancel => return Vec::new(),
        Action::TypeChar(c) if typing => d.typed.push(*c),
        Action::Backspace if typing => {
            d.typed.pop();
        }
        Action::ClearInput if typing => d.typed.clear(),
        Action::PasteRefused => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the host name, so a wrong clipboard cannot \
             move traffic",
        ),
        Action::Submit if typing => return confirm(state, d),
        Action::Copy => {
            if let Some(cmd) = d.rollback() {
                state.flash(
                    FlashLevel::Info,
                    format!("copied the rollback command to the clipboard: {cmd}"),
                );
                state.overlay = Some(Overlay::Cutover(Box::new(d)));
                return vec![Effect::Copy(cmd)];
            }
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Cutover(Box::new(d)));
    Vec::new()
}

/// Enter: the exact host name writes the change shown.
fn confirm(state: &mut AppState, mut d: CutoverDialog) -> Vec<Effect> {
    let shown = d.change().cloned();
    let effects = match shown {
        _ if state.read_only => {
            state.flash(FlashLevel::Error, "read-only mode: nothing was changed");
            Vec::new()
        }
        Some(shown) if d.typed == d.hostname => {
            d.applied = Some(Loadable::Loading { since: state.now });
            vec![Effect::ApplyCutover {
                hostname: d.hostname.clone(),
                to: d.target.clone(),
                shown,
            }]
        }
        _ => {
            let text = format!(
                "'{}' does not match {}: nothing was changed",
                d.typed, d.hostname
            );
            state.flash(FlashLevel::Error, text);
            Vec::new()
        }
    };
    state.overlay = Some(Overlay::Cutover(Box::new(d)));
    effects
}

/// The open dialog for `hostname` pointed at `to`: an answer for another host name or another
/// target (a dialog closed and opened again meanwhile) is not taken.
fn dialog_for<'a>(
    state: &'a mut AppState,
    (hostname, to): (&str, &ServiceId),
) -> Option<&'a mut CutoverDialog> {
    match &mut state.overlay {
        Some(Overlay::Cutover(d)) if d.hostname == hostname && d.target == *to => Some(d),
        _ => None,
    }
}

/// `CutoverPlanned`: the dry run in the dialog that asked for it.
pub(super) fn planned(
    state: &mut AppState,
    asked: (&str, &ServiceId),
    result: Result<CutoverPlan, UserError>,
) {
    if let Some(d) = dialog_for(state, asked) {
        d.plan = match result {
            Ok(p) => Loadable::Loaded(p),
            Err(e) => Loadable::Failed(e),
        };
    }
}

/// `CutoverApplied`: the end in the dialog, and in the flash line.
pub(super) fn applied(
    state: &mut AppState,
    (hostname, to): (&str, &ServiceId),
    result: Result<CutoverEnd, UserError>,
) {
    let (level, text) = match &result {
        Ok(CutoverEnd::Done) => (
            FlashLevel::Info,
            format!("{hostname} was cut over; the rollback command is in the dialog"),
        ),
        Ok(CutoverEnd::Unconfirmed(_)) => (
            FlashLevel::Warn,
            format!("the cutover of {hostname} is unconfirmed: look at the record"),
        ),
        Err(e) => (
            FlashLevel::Error,
            format!("the cutover of {hostname} did not happen: {}", e.one_line()),
        ),
    };
    state.flash(level, text);
    if let Some(d) = dialog_for(state, (hostname, to)) {
        d.applied = Some(match result {
            Ok(end) => Loadable::Loaded(end),
            Err(e) => Loadable::Failed(e),
        });
    }
}
