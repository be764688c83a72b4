//! Which keys do something right now: the footer offers only those, so a key it shows never
//! does nothing silently.

use super::action::Action;
use super::backup_wizard::BackupStep;
use super::catalog::selected_backup;
use super::estate::{backup_refusal, selected_service};
use super::failover::source_refusal;
use super::loadable::Loadable;
use super::operation::{OperationView, selected_operation};
use super::state::{AppState, Overlay, Pane, Screen, Wizard};
use crate::domain::sku::BackupSupport;

/// True when `action` does something on the current screen now (the footer shows it then):
/// `f` on a service that has backups to fail over from or on a backup that can be restored,
/// `b` on a service whose tier can be backed up, `s` on a watched operation, `w` on one that
/// can be watched again, Enter at the backup's review once its pre-flight allows it. A key
/// not offered still answers a press with why.
pub fn offered(state: &AppState, action: &Action) -> bool {
    let on = |screen| state.wizard.is_none() && state.screen == screen;
    let on_services = on(Screen::Estate) && state.focus == Pane::Services;
    let on_operations = on(Screen::Operations);
    match action {
        Action::StartFailover if on_services => selected_service(state)
            .is_some_and(|s| !matches!(s.sku.backup_support(), BackupSupport::Unsupported(_))),
        Action::StartFailover if on(Screen::Backups) => {
            selected_backup(state).is_some_and(|b| source_refusal(b, state).is_none())
        }
        Action::StartBackup if on_services => {
            selected_service(state).is_some_and(|s| backup_refusal(s).is_none())
        }
        // The cutover dialog fits its box: nothing to scroll.
        Action::MoveDown => !matches!(state.overlay, Some(Overlay::Cutover(_))),
        Action::SwitchGateway => matches!(
            &state.overlay,
            Some(Overlay::Regions {
                regions: Loadable::Loaded(_),
                switch: None,
                ..
            })
        ),
        Action::ShowRegions => {
            on_services
                && selected_service(state).is_some_and(|s| !s.additional_locations().is_empty())
        }
        Action::StartCutover => {
            (on_operations || on_services) && super::cutover::offer(state).is_ok()
        }
        // Asked at every frame: a scan that stops at the first expired backup, not the plan.
        Action::StartPrune if on(Screen::Backups) => super::catalog::all_backups(state)
            .any(|b| crate::domain::backup::expired_backup(b, state.now)),
        Action::StartDrill => {
            (on_services && selected_service(state).is_some_and(|s| backup_refusal(s).is_none()))
                || (on_operations && state.drill.is_some())
        }
        Action::StartRegionFailover => {
            (on_services && selected_service(state).is_some())
                || (on_operations && state.region_failover.is_some())
        }
        Action::CopyRunbook => super::copy::runbook(state).is_some(),
        Action::StopWatchingSelected => {
            on_operations && selected_operation(state).is_some_and(OperationView::is_live)
        }
        Action::WatchAgainSelected => {
            on_operations && selected_operation(state).is_some_and(OperationView::can_watch_again)
        }
        Action::ShowReportSelected => {
            on_operations && selected_operation(state).is_some_and(OperationView::has_report)
        }
        Action::Submit => match &state.wizard {
            Some(Wizard::Backup(w)) if w.step == BackupStep::Review => {
                matches!(&w.preflight, Loadable::Loaded(r) if r.verdict.allows_restore())
            }
            _ => true,
        },
        Action::TogglePurge => match &state.wizard {
            Some(Wizard::Failover(w)) => w
                .standby
                .as_ref()
                .and_then(|o| o.ready())
                .is_some_and(|p| p.held_by.is_some()),
            _ => false,
        },
        Action::Open if on_services => selected_service(state).is_some(),
        Action::Open if on_operations => selected_operation(state).is_some(),
        Action::Open if on(Screen::Backups) => selected_backup(state).is_some(),
        _ => true,
    }
}
