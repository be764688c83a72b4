//! Sorting the services and backups tables and hiding expired backups, keeping the cursor on
//! the row it was on.

use crate::app::action::Action;
use crate::app::catalog::{selected_backup, visible_backups};
use crate::app::estate::{selected_service, visible_services};
use crate::app::state::{AppState, FlashLevel, Pane, Screen};

/// Handles `SortBy` and `ToggleExpired` on a screen.
pub(super) fn handle(state: &mut AppState, action: &Action) {
    let on_services = state.screen == Screen::Estate && state.focus == Pane::Services;
    let on_backups = state.screen == Screen::Backups;
    match action {
        Action::SortBy(key) if on_services => {
            let kept = selected_service(state).map(|s| s.id().into_owned());
            state.order.services = state.order.services.pressed(*key);
            if let Some(id) = kept
                && let Some(i) = visible_services(state)
                    .iter()
                    .position(|r| r.service.id_is(&id))
            {
                state.cursors.services = i;
            }
        }
        Action::SortBy(key) if on_backups => {
            state.order.backups = state.order.backups.pressed(*key);
            keep_backup(state, |_| {});
        }
        Action::ToggleExpired if on_backups => {
            keep_backup(state, |s| s.order.hide_expired = !s.order.hide_expired);
            let text = if state.order.hide_expired {
                "expired backups hidden; x shows them again"
            } else {
                "expired backups shown"
            };
            state.flash(FlashLevel::Info, text);
        }
        Action::SortBy(_) => state.flash(
            FlashLevel::Info,
            "sorting works on the services and backups tables",
        ),
        _ => state.flash(
            FlashLevel::Info,
            "expired backups are hidden on the Backups screen",
        ),
    }
}

/// Applies `change` and puts the cursor back on the backup it was on (the first row if that
/// one is gone).
fn keep_backup(state: &mut AppState, change: impl FnOnce(&mut AppState)) {
    let kept = selected_backup(state).map(crate::domain::backup::BackupEntry::display_ref);
    change(state);
    state.cursors.backups = kept
        .and_then(|k| {
            visible_backups(state)
                .iter()
                .position(|b| b.display_ref() == k)
        })
        .unwrap_or(0);
}
