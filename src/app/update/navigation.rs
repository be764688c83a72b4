//! Keys on the three screens (no wizard, no overlay): cursor movement, panes, screens, Back,
//! Open, and the doors to the filter, the command line, help and the wizards.

use super::{backup, cutover, drill, failover, inventory, prune, region_failover, regions, sort};
use crate::app::action::Action;
use crate::app::catalog;
use crate::app::effect::Effect;
use crate::app::estate;
use crate::app::operation::{selected_operation, visible_operations};
use crate::app::state::{AppState, ListId, Overlay, Pane, Screen, ServicesOf};

/// Handles an action on a screen.
pub(super) fn handle(state: &mut AppState, action: &Action) -> Vec<Effect> {
    match action {
        Action::MoveUp
        | Action::MoveDown
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::SelectRow(_) => {
            let list = state.focused_list();
            let len = list_len(state, list);
            let page = state.page_size();
            let before = *state.cursors.get(list);
            step(state.cursors.get_mut(list), len, action, page);
            if list == ListId::Subscriptions
                && *state.cursors.get(list) != before
                && !state.all_subscriptions()
            {
                state.cursors.services = 0;
            }
        }
        Action::NextPane | Action::PrevPane if state.screen == Screen::Estate => {
            state.focus = match state.focus {
                Pane::Subscriptions => Pane::Services,
                Pane::Services => Pane::Subscriptions,
            };
        }
        Action::Focus(pane) if state.screen == Screen::Estate => state.focus = *pane,
        Action::Jump(screen) => go(state, *screen),
        Action::Back => back(state),
        Action::OpenHelp => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::OpenFilter => {
            let list = state.focused_list();
            state.overlay = Some(Overlay::Filter {
                list,
                before: state.filters.get(list).clone(),
            });
        }
        Action::OpenCommand => {
            state.overlay = Some(Overlay::Command {
                text: String::new(),
            });
        }
        Action::Refresh => return inventory::refresh_screen(state),
        Action::Open => open(state),
        Action::StartFailover => return failover::start(state),
        Action::StartBackup => backup::start(state),
        Action::StartPrune => return prune::start(state),
        Action::StartCutover => return cutover::start(state),
        Action::StartDrill if state.screen == Screen::Estate || state.drill.is_some() => {
            return drill::start(state);
        }
        Action::StartRegionFailover
            if state.screen == Screen::Estate || state.region_failover.is_some() =>
        {
            return region_failover::start(state);
        }
        Action::ShowRegions if state.screen == Screen::Estate => return regions::show(state),
        Action::SortBy(_) | Action::ToggleExpired => sort::handle(state, action),
        Action::ToggleAllSubscriptions => toggle_all_subscriptions(state),
        _ => {}
    }
    Vec::new()
}

fn back(state: &mut AppState) {
    let list = state.focused_list();
    if state.details {
        state.details = false;
    } else if !state.filters.get(list).is_empty() {
        state.filters.get_mut(list).clear();
        *state.cursors.get_mut(list) = 0;
    } else if state.screen == Screen::Estate && state.focus == Pane::Services {
        state.focus = Pane::Subscriptions;
    } else if state.screen != Screen::Estate {
        state.screen = Screen::Estate;
    }
}

fn open(state: &mut AppState) {
    match (state.screen, state.focus) {
        // Enter on a subscription shows its services, also from every subscription's.
        (Screen::Estate, Pane::Subscriptions) if estate::selected_subscription(state).is_some() => {
            if state.all_subscriptions() {
                state.services_of = ServicesOf::Selected;
                state.cursors.services = 0;
            }
            state.focus = Pane::Services;
        }
        // Enter shows the service's details; Enter again lists its backups.
        (Screen::Estate, Pane::Services) if !state.details => {
            state.details = estate::selected_service(state).is_some();
        }
        (Screen::Estate, Pane::Services) => {
            if let Some(name) = estate::selected_service(state).map(|s| s.name.clone()) {
                state.details = false;
                state.screen = Screen::Backups;
                state.filters.backups = name;
                state.cursors.backups = catalog::newest_restorable(state);
            }
        }
        (Screen::Backups, _) => state.details = catalog::selected_backup(state).is_some(),
        (Screen::Operations, _) if selected_operation(state).is_some() => {
            state.details = !state.details;
        }
        _ => {}
    }
}

/// `0`, `:all`: the services table shows every subscription's services at once, or again
/// only the selected subscription's; on the estate's services pane, the cursor stays on its
/// service when the table still shows it.
pub(super) fn toggle_all_subscriptions(state: &mut AppState) {
    let kept = estate::selected_service(state).map(|s| s.id().into_owned());
    state.services_of = state.services_of.toggled();
    go(state, Screen::Estate);
    state.focus = Pane::Services;
    state.cursors.services = kept
        .and_then(|id| {
            estate::visible_services(state)
                .iter()
                .position(|r| r.service.id_is(&id))
        })
        .unwrap_or(0);
}

/// Goes to `screen`; arriving on Backups, the cursor starts on the newest restorable backup.
pub(super) fn go(state: &mut AppState, screen: Screen) {
    if screen != state.screen {
        state.details = false;
    }
    if screen == Screen::Backups && state.screen != Screen::Backups {
        state.cursors.backups = catalog::newest_restorable(state);
    }
    state.screen = screen;
}

/// How many rows `list` shows now.
pub(super) fn list_len(state: &AppState, list: ListId) -> usize {
    match list {
        ListId::Subscriptions => estate::visible_subscriptions(state).len(),
        ListId::Services => crate::app::views::services(state).len(),
        ListId::Backups => crate::app::views::backups(state).len(),
        ListId::Operations => visible_operations(state).len(),
        // The RPO screen has a row per loaded service.
        ListId::Rpo => estate::all_services(state).count(),
    }
}

/// Keeps every cursor on a row after the lists changed.
pub(super) fn clamp_cursors(state: &mut AppState) {
    for list in [
        ListId::Subscriptions,
        ListId::Services,
        ListId::Backups,
        ListId::Operations,
        ListId::Rpo,
    ] {
        let len = list_len(state, list);
        let cursor = state.cursors.get_mut(list);
        *cursor = (*cursor).min(len.saturating_sub(1));
    }
}

/// Moves a cursor over `len` rows for a navigation action; `SelectRow` beyond the end is
/// ignored.
pub(super) fn step(cursor: &mut usize, len: usize, action: &Action, page: usize) {
    if len == 0 {
        *cursor = 0;
        return;
    }
    let last = len - 1;
    *cursor = match action {
        Action::MoveUp => cursor.saturating_sub(1),
        Action::MoveDown => (*cursor + 1).min(last),
        Action::PageUp => cursor.saturating_sub(page),
        Action::PageDown => (*cursor + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::SelectRow(i) if *i <= last => *i,
        _ => *cursor,
    };
}
