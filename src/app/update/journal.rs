//! The journal on the Operations screen: every operation it holds merged into the list (the
//! CLI's runs too, newest first), `r` reading it again, `w` watching one again.

use crate::app::effect::Effect;
use crate::app::operation::{OpId, OperationView, Phase, selected_operation, visible_operations};
use crate::app::state::{AppState, FlashLevel, Screen};
use crate::journal::{OperationState, Stage};

/// Merges the journal as read now: new operations join the list, an operation nobody here
/// watches takes the end the journal holds (another process finished it); the cursor stays on
/// the operation it was on.
pub(super) fn listed(state: &mut AppState, operations: Vec<OperationState>, endpoint: &str) {
    let selected = selected_operation(state).map(|o| o.op);
    for o in operations {
        let known = state
            .operations
            .iter_mut()
            .find(|v| v.journal_id.as_ref() == Some(&o.info.id));
        match known {
            Some(view) if !view.is_live() && o.stage() == Stage::Finished => view.take_journal(&o),
            Some(_) => {}
            None => {
                let op = state.allocate_op();
                let view = OperationView::from_journal(op, &o, endpoint);
                state.operations.push(view);
            }
        }
    }
    state.operations.sort_by_key(|o| o.started_at);
    if let Some(op) = selected {
        select(state, op);
    }
}

/// `r` on the Operations screen: the journal read again, for what other processes did.
pub(super) fn refresh(state: &mut AppState) -> Vec<Effect> {
    state.flash(
        FlashLevel::Info,
        "reading the journal again (watched operations update by themselves)",
    );
    vec![Effect::ReadJournal]
}

/// `w`: watches the selected operation again, or says why it cannot.
pub(super) fn watch_again(state: &mut AppState) -> Vec<Effect> {
    if state.screen != Screen::Operations {
        return Vec::new();
    }
    let Some(view) = selected_operation(state) else {
        state.flash(FlashLevel::Info, "no operation selected");
        return Vec::new();
    };
    let what = format!("the {} on {}", view.kind, view.service_name());
    let refusal = if view.is_live() {
        Some(format!("{what} is already watched here"))
    } else if let Some(endpoint) = &view.elsewhere {
        Some(format!(
            "{what} was started against {endpoint}: run `apim-dr --arm-endpoint {endpoint}` to watch it"
        ))
    } else if !view.can_watch_again() {
        Some(match view.outcome() {
            Some(outcome) => format!("{what} ended ({outcome}): there is nothing left to watch"),
            None => format!("{what} is not in the journal yet: wait for it to start"),
        })
    } else {
        None
    };
    if let Some(text) = refusal {
        state.flash(FlashLevel::Info, text);
        return Vec::new();
    }
    let (op, id) = (view.op, view.journal_id.clone());
    let Some(id) = id else { return Vec::new() };
    if let Some(view) = state.operations.iter_mut().find(|o| o.op == op) {
        view.watching = true;
        view.phase = Phase::Resuming;
        view.finished_at = None;
        view.transient = None;
        view.note = None;
    }
    state.flash(FlashLevel::Info, format!("watching {what} again"));
    vec![Effect::WatchAgain { op, id }]
}

fn select(state: &mut AppState, op: OpId) {
    if let Some(i) = visible_operations(state).iter().position(|o| o.op == op) {
        state.cursors.operations = i;
    }
}
