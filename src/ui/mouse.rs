//! Mouse clicks: which row of which list is under the pointer. Uses the same layout functions
//! as `render`, so a click lands on the row that is drawn there. The runtime maps a left click
//! to `click(…)`'s actions and the wheel to `MoveUp`/`MoveDown`.

use ratatui::layout::{Position, Rect};

use super::layout::{chrome, estate_panes, offset, table_with_details};
use super::{backups, operations, wizard};
use crate::app::action::Action;
use crate::app::catalog::BackupLine;
use crate::app::estate::visible_subscriptions;
use crate::app::operation::visible_operations;
use crate::app::state::{AppState, Pane, Screen, Wizard};

/// The actions for a left click at (`column`, `row`) on a terminal of `area`: usually
/// `[SelectRow(i)]`, preceded by `Focus(pane)` on the estate. Empty when nothing is there.
pub fn click(state: &AppState, area: Rect, column: u16, row: u16) -> Vec<Action> {
    if state.overlay.is_some() {
        return Vec::new();
    }
    let at = Position::new(column, row);
    let body = chrome(area, super::chrome::status_rows(state, area.width)).body;
    let hit = |rows: Rect, cursor: usize, len: usize| -> Option<usize> {
        if !rows.contains(at) {
            return None;
        }
        let i = offset(cursor, usize::from(rows.height)) + usize::from(row - rows.y);
        (i < len).then_some(i)
    };
    match &state.wizard {
        Some(Wizard::Failover(w)) => wizard::failover_list_rows(body, state, w)
            .and_then(|(rows, cursor, len)| hit(rows, cursor, len))
            .map(|i| vec![Action::SelectRow(i)])
            .unwrap_or_default(),
        Some(Wizard::Backup(w)) => wizard::backup_list_rows(body, state, w)
            .and_then(|(rows, cursor, len)| hit(rows, cursor, len))
            .map(|i| vec![Action::SelectRow(i)])
            .unwrap_or_default(),
        None => match state.screen {
            Screen::Estate if state.subscriptions.rows().is_some() => {
                let subs = visible_subscriptions(state).len();
                let (subs_pane, services_pane) = estate_panes(body, subs);
                let subs_rows = table_with_details(subs_pane, 0).1;
                let services_rows = table_with_details(services_pane, 2).1;
                let services = crate::app::views::services(state).len();
                if let Some(i) = hit(subs_rows, state.cursors.subscriptions, subs) {
                    vec![Action::Focus(Pane::Subscriptions), Action::SelectRow(i)]
                } else if let Some(i) = hit(services_rows, state.cursors.services, services) {
                    vec![Action::Focus(Pane::Services), Action::SelectRow(i)]
                } else if subs_pane.contains(at) {
                    vec![Action::Focus(Pane::Subscriptions)]
                } else if services_pane.contains(at) {
                    vec![Action::Focus(Pane::Services)]
                } else {
                    Vec::new()
                }
            }
            Screen::Estate | Screen::Rpo => Vec::new(),
            Screen::Backups => {
                let visible = crate::app::views::backups(state);
                let (_, rows, _, _) = backups::areas(body, state);
                let selected = if state.cursors.backups < visible.len() {
                    visible.line_of(state.cursors.backups)
                } else {
                    0
                };
                match hit(rows, selected, visible.line_count()).and_then(|i| visible.line(state, i))
                {
                    Some(BackupLine::Blob(i)) => vec![Action::SelectRow(i)],
                    _ => Vec::new(),
                }
            }
            Screen::Operations => {
                let len = visible_operations(state).len();
                let (pane, _) = operations::areas(body, len);
                let rows = table_with_details(pane, 0).1;
                hit(rows, state.cursors.operations, len)
                    .map(|i| vec![Action::SelectRow(i)])
                    .unwrap_or_default()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::click;
    use crate::app::action::Action;
    use crate::app::estate::selected_service;
    use crate::app::fixtures::run;
    use crate::app::state::Pane;
    use crate::ui::scenes;

    const SCREEN: Rect = Rect::new(0, 0, 80, 24);

    #[test]
    fn clicks_land_on_the_row_drawn_there() {
        let mut state = scenes::estate_loaded();
        // Row 11 is apim-edge-v2-neu in the estate_loaded_80x24 snapshot.
        let actions = click(&state, SCREEN, 10, 11);
        assert_eq!(
            actions,
            [Action::Focus(Pane::Services), Action::SelectRow(1)]
        );
        run(&mut state, actions);
        assert_eq!(selected_service(&state).unwrap().name, "apim-edge-v2-neu");
        assert_eq!(
            click(&state, SCREEN, 10, 5),
            [Action::Focus(Pane::Subscriptions), Action::SelectRow(1)]
        );
        assert_eq!(click(&state, SCREEN, 10, 0), [], "the header is not a list");
    }

    #[test]
    fn group_headings_are_not_rows_and_wizard_lists_take_clicks() {
        let state = scenes::backups();
        assert_eq!(click(&state, SCREEN, 10, 4), [], "a group heading");
        assert_eq!(click(&state, SCREEN, 10, 5), [Action::SelectRow(0)]);
        assert_eq!(click(&state, SCREEN, 10, 12), [Action::SelectRow(6)]);

        let state = scenes::failover_step(0);
        assert_eq!(click(&state, SCREEN, 10, 8), [Action::SelectRow(1)]);
        assert_eq!(
            click(&scenes::help(), SCREEN, 10, 12),
            [],
            "popups swallow clicks"
        );
    }
}
