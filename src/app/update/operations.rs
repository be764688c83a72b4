//! Operation facts (started, updated, found in the journal, history), stopping a watch, and
//! quitting while operations run.

use super::{inventory, journal};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::operation::{OpId, OperationView, Phase, selected_operation};
use crate::app::state::{AppState, FlashLevel, ListId, Overlay, Screen};
use crate::domain::duration;
use crate::domain::error::UserError;
use crate::domain::operation::{OperationKind, Outcome};
use crate::domain::progress::{JournalId, PastOperation, ProgressUpdate};

/// Handles an operation fact or a stop-watching intent.
pub(super) fn handle(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::OperationStarted { op, info } => {
            if let Some(view) = state.operations.iter_mut().find(|o| o.op == op) {
                view.journaled(&info);
            } else {
                let mut view = OperationView::resumed(op, &info);
                view.phase = Phase::Starting;
                state.operations.push(view);
            }
            Vec::new()
        }
        Action::OperationUpdated { op, update } => updated(state, op, update),
        Action::OperationsFound(found) => {
            let mut effects = Vec::new();
            for operation in found {
                let known = state
                    .operations
                    .iter()
                    .any(|o| o.journal_id.as_ref() == Some(&operation.info.id));
                if known {
                    continue;
                }
                let op = state.allocate_op();
                state
                    .operations
                    .push(OperationView::resumed(op, &operation.info));
                effects.push(Effect::ResumeWatch {
                    op,
                    operation: Box::new(operation),
                });
            }
            if !effects.is_empty() {
                state.flash(
                    FlashLevel::Info,
                    format!(
                        "{} unfinished operation(s) found in the journal: watching them again",
                        effects.len()
                    ),
                );
            }
            effects
        }
        Action::HistoryLoaded(history) => {
            state.history = history;
            Vec::new()
        }
        Action::JournalWarning(text) => {
            state.flash(FlashLevel::Warn, text);
            Vec::new()
        }
        Action::JournalListed {
            operations,
            endpoint,
        } => {
            journal::listed(state, operations, &endpoint);
            Vec::new()
        }
        Action::WatchAgainSelected => journal::watch_again(state),
        Action::StopWatching(op) => stop_watching(state, op),
        Action::StopWatchingSelected => match selected_operation(state).map(|o| o.op) {
            Some(op) if state.screen == Screen::Operations => stop_watching(state, op),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `v` on Operations: the selected finished operation's report, built by the runtime.
pub(super) fn show_report(state: &mut AppState) -> Vec<Effect> {
    if state.screen != Screen::Operations || state.wizard.is_some() || state.overlay.is_some() {
        return Vec::new();
    }
    let Some(op) = selected_operation(state) else {
        return Vec::new();
    };
    let Some(id) = op.journal_id.clone().filter(|_| op.has_report()) else {
        state.flash(
            FlashLevel::Info,
            "a report is made once the operation has ended: select a finished one",
        );
        return Vec::new();
    };
    state.overlay = Some(Overlay::Report {
        id: id.clone(),
        text: Loadable::Loading { since: state.now },
        scroll: 0,
    });
    vec![Effect::BuildReport { id }]
}

/// The report asked for is built (or not); one for a report no longer open is dropped.
pub(super) fn report_built(
    state: &mut AppState,
    id: &JournalId,
    result: Result<String, UserError>,
) {
    if let Some(Overlay::Report { id: open, text, .. }) = &mut state.overlay
        && open == id
    {
        *text = match result {
            Ok(md) => Loadable::Loaded(md),
            Err(e) => Loadable::Failed(e),
        };
    }
}

fn updated(state: &mut AppState, op: OpId, update: ProgressUpdate) -> Vec<Effect> {
    let now = state.now;
    let Some(view) = state.operations.iter_mut().find(|o| o.op == op) else {
        return Vec::new();
    };
    view.apply(update, now);
    let Some(outcome) = view.outcome().cloned() else {
        return Vec::new();
    };
    let view = view.clone();
    if let Some(service) = &view.service {
        state.history.push(PastOperation {
            kind: view.kind,
            service: service.clone(),
            duration: std::time::Duration::try_from(view.elapsed(now)).unwrap_or_default(),
            succeeded: outcome.is_success(),
            tier: view.tier.clone(),
        });
    }
    let took = duration::short(view.elapsed(now));
    let (level, text) = match (&outcome, view.kind) {
        (Outcome::Succeeded, OperationKind::Restore) => (
            FlashLevel::Info,
            format!(
                "restore into {} succeeded after {took}: switch DNS/CNAME to it now",
                view.target
            ),
        ),
        (Outcome::Succeeded, OperationKind::Backup) => (
            FlashLevel::Info,
            format!("backup of {} succeeded after {took}", view.source),
        ),
        (Outcome::Succeeded, OperationKind::Create) => (
            FlashLevel::Info,
            format!("{} created after {took}", view.target),
        ),
        (Outcome::Unconfirmed { .. }, _) => (
            FlashLevel::Warn,
            format!("{} on {}: {outcome}", view.kind, view.service_name()),
        ),
        _ => (
            FlashLevel::Error,
            format!("{} on {} {outcome}", view.kind, view.service_name()),
        ),
    };
    state.flash(level, text);
    let mut effects = Vec::new();
    if let Some(service) = &view.service {
        let sub = service.subscription.as_str();
        let key = state
            .services
            .keys()
            .find(|k| k.eq_ignore_ascii_case(sub))
            .cloned()
            .unwrap_or_else(|| sub.to_owned());
        effects.extend(inventory::fetch_services(state, &key));
    }
    if view.kind == OperationKind::Backup {
        let account = view.target.split('/').next().unwrap_or_default().to_owned();
        if let Some(a) = inventory::known_accounts(state)
            .into_iter()
            .find(|a| a.name == account)
        {
            effects.extend(inventory::fetch_backups(state, &a));
        }
    }
    effects
}

fn stop_watching(state: &mut AppState, op: OpId) -> Vec<Effect> {
    let watch_key = state
        .keymap
        .key_for(KeyContext::Operations, &Action::WatchAgainSelected);
    let Some(view) = state.operations.iter_mut().find(|o| o.op == op) else {
        return Vec::new();
    };
    let what = format!("the {} on {}", view.kind, view.service_name());
    if !view.is_live() {
        let text = match (view.outcome(), watch_key) {
            (Some(outcome), _) => format!("{what} ended ({outcome}): there is nothing to stop"),
            (None, Some(k)) if view.can_watch_again() => {
                format!("{what} is not watched here: nothing to stop ({k} watches it again)")
            }
            (None, _) => format!("{what} is not watched here: nothing to stop"),
        };
        state.flash(FlashLevel::Info, text);
        return Vec::new();
    }
    view.watching = false;
    let fate = state.unwatched_fate();
    state.flash(FlashLevel::Info, format!("stopped watching {what}: {fate}"));
    vec![Effect::CancelWatch(op)]
}

/// Shows a just-started operation: closes the wizard and selects it on the Operations screen.
pub(super) fn show_started(state: &mut AppState, view: OperationView) {
    state.operations.push(view);
    state.wizard = None;
    state.screen = Screen::Operations;
    state.filters.get_mut(ListId::Operations).clear();
    state.cursors.operations = 0;
}

/// `q`: exits at once, or asks first while operations still run.
pub(super) fn quit(state: &mut AppState) -> Vec<Effect> {
    let live = state.live_operations();
    let queued = super::region_failover::queued(state);
    if live == 0 && queued == 0 {
        return vec![Effect::Exit];
    }
    state.overlay = Some(Overlay::Quit { live, queued });
    Vec::new()
}
