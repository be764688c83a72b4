//! [`update`]: the one function that changes [`AppState`]. It routes each [`Action`] to the
//! part of the state it concerns (an overlay, a wizard, a screen, the inventory, an
//! operation) and returns the [`Effect`]s the runtime must carry out. No I/O, no clock.

mod backup;
mod cutover;
mod drill;
mod failover;
mod inventory;
mod journal;
mod navigation;
mod operations;
mod overlay;
mod prune;
mod region_failover;
mod regions;
mod sort;
mod standby;

#[cfg(test)]
mod all_subscriptions_tests;
#[cfg(test)]
mod backup_preflight_tests;
#[cfg(test)]
mod backups_tests;
#[cfg(test)]
mod cache_tests;
#[cfg(test)]
pub(crate) mod cutover_tests;
#[cfg(test)]
mod drill_tests;
#[cfg(test)]
mod flash_tests;
#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod journal_tests;
#[cfg(test)]
mod keys_tests;
#[cfg(test)]
mod pairing_tests;
#[cfg(test)]
mod prune_tests;
#[cfg(test)]
mod refusal_tests;
#[cfg(test)]
mod region_failover_tests;
#[cfg(test)]
mod screen_tests;
#[cfg(test)]
mod sort_tests;
#[cfg(test)]
mod standby_tests;

use super::action::Action;
use super::copy::{runbook, what_to_copy};
use super::effect::Effect;
use super::state::{AppState, FLASH_TTL, FlashLevel, Overlay, Wizard};
use crate::domain::progress::ProgressUpdate;

/// Applies one action to the state and returns what the runtime must do about it. A flash line
/// belongs to the place (screen or wizard step) that raised it: when the operator moves on, an
/// older flash goes, and one this action raised follows to where it led.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let (place, flash) = (state.place(), state.flash.clone());
    let effects = dispatch(state, action);
    if state.place() != place && state.flash == flash {
        state.flash = None;
    }
    super::views::refresh(state);
    effects
}

/// `y`: says what was copied and hands the text to the terminal layer.
fn copy(state: &mut AppState) -> Vec<Effect> {
    let Some(c) = what_to_copy(state) else {
        state.flash(FlashLevel::Info, "nothing to copy here");
        return Vec::new();
    };
    state.flash(
        FlashLevel::Info,
        format!("copied {} to the clipboard: {}", c.what, c.text),
    );
    vec![Effect::Copy(c.text)]
}

/// `Y` in the failover wizard: the runbook of its restore, once the target is picked.
fn copy_runbook(state: &mut AppState) -> Vec<Effect> {
    let Some(c) = runbook(state) else {
        state.flash(
            FlashLevel::Info,
            "pick the backup and the target first: the runbook is of one restore",
        );
        return Vec::new();
    };
    state.flash(
        FlashLevel::Info,
        format!(
            "copied {} to the clipboard ({} lines; secrets stay shell variables)",
            c.what,
            c.text.lines().count()
        ),
    );
    vec![Effect::Copy(c.text)]
}

fn dispatch(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick { now } => {
            state.now = now;
            if state
                .flash
                .as_ref()
                .is_some_and(|f| now - f.at >= FLASH_TTL)
            {
                state.flash = None;
            }
            Vec::new()
        }
        Action::Resized { width, height } => {
            state.size = (width, height);
            Vec::new()
        }
        Action::SubscriptionsLoaded(_)
        | Action::ServicesLoaded { .. }
        | Action::StorageAccountsLoaded { .. }
        | Action::BackupsLoaded { .. }
        | Action::InventoryCached { .. } => inventory::loaded(state, action),
        Action::PreflightDone { plan, result } => {
            let mut effects = drill::preflight_done(state, &plan, &result);
            effects.extend(failover::preflight_done(state, &plan, result));
            effects
        }
        Action::BackupPreflightDone { plan, result } => {
            backup::preflight_done(state, &plan, result);
            Vec::new()
        }
        Action::StandbyPlanned { ask, result } => {
            standby::planned(state, &ask, result);
            Vec::new()
        }
        Action::OperationUpdated { op, update } => {
            let ended = match &update {
                ProgressUpdate::Finished(outcome) => Some(outcome.clone()),
                _ => None,
            };
            region_failover::progress(state, op, &update);
            let next = update.clone();
            let mut effects = operations::handle(state, Action::OperationUpdated { op, update });
            effects.extend(drill::progress(state, op, &next));
            if let Some(outcome) = ended {
                effects.extend(standby::ended(state, op, &outcome));
            }
            effects.extend(region_failover::pump(state));
            effects
        }
        Action::StopWatching(_) | Action::StopWatchingSelected => {
            let mut effects = operations::handle(state, action);
            drill::unwatched(state);
            effects.extend(region_failover::pump(state));
            effects
        }
        Action::OperationStarted { .. }
        | Action::OperationsFound(_)
        | Action::HistoryLoaded(_)
        | Action::JournalWarning(_)
        | Action::JournalListed { .. }
        | Action::WatchAgainSelected => operations::handle(state, action),
        Action::ShowReportSelected => operations::show_report(state),
        answer @ (Action::BackupsDeleted { .. }
        | Action::RegionsLoaded { .. }
        | Action::GatewaySwitched { .. }
        | Action::CutoverPlanned { .. }
        | Action::CutoverApplied { .. }
        | Action::RegionFailoverPlanned { .. }
        | Action::BatchReportSaved { .. }
        | Action::ReportBuilt { .. }) => dialog_answer(state, answer),
        Action::Copy if state.overlay.is_none() => copy(state),
        Action::CopyRunbook if state.overlay.is_none() => copy_runbook(state),
        Action::Quit if matches!(state.overlay, Some(Overlay::Quit { .. })) => Vec::new(),
        Action::Quit => {
            state.overlay = None;
            operations::quit(state)
        }
        action if state.overlay.is_some() => overlay::handle(state, &action),
        action => match state.wizard {
            Some(Wizard::Failover(_)) => failover::handle(state, &action),
            Some(Wizard::Backup(_)) => backup::handle(state, &action),
            None => navigation::handle(state, &action),
        },
    }
}

/// The answer to a dialog's effect (prune, regions, cutover, a region's failover, a report):
/// taken by the dialog that asked, when it is still open for it.
fn dialog_answer(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::BackupsDeleted { account, results } => prune::deleted(state, &account, results),
        Action::RegionsLoaded { service, result } => {
            regions::loaded(state, &service, result);
            Vec::new()
        }
        Action::GatewaySwitched {
            service,
            region,
            disabled,
            result,
        } => regions::switched(state, &service, (&region, disabled), result),
        Action::CutoverPlanned {
            hostname,
            to,
            result,
        } => {
            cutover::planned(state, (&hostname, &to), result);
            Vec::new()
        }
        Action::CutoverApplied {
            hostname,
            to,
            result,
        } => {
            cutover::applied(state, (&hostname, &to), result);
            Vec::new()
        }
        Action::RegionFailoverPlanned { lost, to, plan } => {
            region_failover::planned(state, &lost, &to, *plan);
            Vec::new()
        }
        Action::BatchReportSaved { id, result } => {
            region_failover::report_saved(state, &id, result);
            Vec::new()
        }
        Action::ReportBuilt { id, result } => {
            operations::report_built(state, &id, result);
            Vec::new()
        }
        _ => Vec::new(),
    }
}
