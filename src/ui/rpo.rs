//! The RPO screen (`:rpo`, key `4`): per service, its newest restorable backup, age, expiry,
//! whether it is stored off the service's region (`⚠ same region` is lost with it), and the
//! verdict against the objective; the same rules as `apim-dr rpo`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Row;

use super::grid::{Column, Grid};
use super::theme::Theme;
use super::widgets::{centered_text, pane, render_placeholder, styled, window};
use crate::app::rpo::inputs;
use crate::app::state::AppState;
use crate::domain::duration::short;
use crate::domain::rpo::{RpoRow, RpoVerdict, all_within};

const COLUMNS: [Column; 8] = [
    Column::flex("Service", 22, 0),
    Column::fixed("Tier", 11, 6),
    Column::flex("Region", 14, 5),
    Column::flex("Newest backup", 30, 2),
    Column::fixed("Age", 8, 1),
    Column::fixed("Expires in", 10, 4),
    Column::fixed("Stored", 14, 3),
    Column::fixed("RPO", 13, 0),
];

fn cells(r: &RpoRow<'_>, state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let s = r.service;
    let verdict_style = match r.verdict {
        RpoVerdict::Within => theme.ok,
        RpoVerdict::NotApplicable => theme.muted,
        RpoVerdict::Unconfirmed => theme.warn,
        RpoVerdict::Exceeded | RpoVerdict::NoBackup => theme.error,
    };
    let stored = match (r.newest, r.off_region) {
        (None, _) => styled("", theme.muted),
        (Some(_), Some(true)) => styled("off-region", theme.ok),
        (Some(_), Some(false)) => styled("⚠ same region", theme.warn),
        (Some(_), None) => styled("?", theme.muted),
    };
    let expires = match r.expires {
        Some(t) if r.expiring_soon => styled(format!("⚠ {}", short(t - state.now)), theme.warn),
        Some(t) => styled(short(t - state.now), theme.text),
        None => styled("", theme.muted),
    };
    let mark = if r.inferred { "*" } else { "" };
    vec![
        styled(s.name.clone(), theme.text),
        styled(s.sku.to_string(), theme.text),
        styled(s.location.clone(), theme.text),
        styled(
            r.newest
                .map_or_else(|| "-".to_owned(), |b| format!("{}{mark}", b.name)),
            theme.text,
        ),
        styled(r.age.map_or_else(String::new, short), theme.text),
        expires,
        stored,
        styled(r.verdict.word(), verdict_style),
    ]
}

/// Draws the RPO screen.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let data = inputs(state);
    let rows = data.rows(state);
    let failing = rows.iter().filter(|r| r.verdict.fails()).count();
    let mut title = vec![Span::raw(format!(
        "RPO {} h · {} service(s)",
        state.rpo_hours,
        rows.len()
    ))];
    if !rows.is_empty() {
        title.push(if all_within(&rows) {
            styled(" · all within", theme.ok)
        } else {
            styled(
                format!(" · {failing} past it or without a backup"),
                theme.error,
            )
        });
    }
    if !data.complete {
        title.push(styled(" · still loading or partly failed", theme.warn));
    }
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        render_placeholder(
            frame,
            inner,
            centered_text(vec![Line::styled(
                "No services loaded yet; r refreshes.",
                theme.muted,
            )]),
        );
        return;
    }
    let selected = Some(state.cursors.rpo.min(rows.len().saturating_sub(1)));
    let (shown, mut ts) = window(
        rows.len(),
        selected,
        usize::from(inner.height.saturating_sub(1)),
    );
    let cells: Vec<_> = rows[shown].iter().map(|r| cells(r, state, theme)).collect();
    let grid = Grid::fit_rows(&COLUMNS, inner.width, &cells);
    let table_rows: Vec<Row<'static>> = cells.into_iter().map(|c| grid.row(c)).collect();
    let table = grid.table(table_rows, &COLUMNS, theme.table_header, theme.selected);
    frame.render_stateful_widget(table, inner, &mut ts);
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;
    use crate::app::action::Action;
    use crate::app::colon::{ColonCommand, parse};
    use crate::app::fixtures::{self, run};
    use crate::app::state::{Pane, Screen};
    use crate::domain::rpo::RpoVerdict;

    #[test]
    fn every_loaded_service_with_its_recovery_point() {
        let s = scenes::rpo();
        let data = crate::app::rpo::inputs(&s);
        let rows = data.rows(&s);
        assert_eq!(rows.len(), data.services.len());
        assert!(rows.iter().any(|r| r.verdict == RpoVerdict::NotApplicable));
        snap!("rpo", s);
    }

    #[test]
    fn reachable_by_colon_rpo_and_the_key_4() {
        assert_eq!(
            parse("rpo"),
            Ok(ColonCommand::Go(Screen::Rpo, Pane::Services))
        );
        let mut s = fixtures::loaded(false);
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('4'));
        let action = s.resolve_key(key);
        assert_eq!(action, Some(Action::Jump(Screen::Rpo)));
        run(&mut s, action);
        assert_eq!(s.screen, Screen::Rpo);
    }
}
