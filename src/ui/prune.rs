//! The prune dialog over the Backups screen: the expired backups to delete (account,
//! container, blob, age, expired since), the words to type, then each blob's result.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, TableState, Wrap};

use super::grid::{Column, Grid};
use super::layout::centered;
use super::text::{age, wrap};
use super::theme::Theme;
use super::widgets::{styled, text_under, typed_confirmation};
use crate::app::keymap::KeyContext;
use crate::app::prune::{PruneDialog, PruneRow, PruneStatus};
use crate::app::state::AppState;
use crate::domain::duration;

/// The blob first; on a narrow terminal the container, the age and the account go.
const COLUMNS: [Column; 6] = [
    Column::flex("ACCOUNT", 10, 3),
    Column::flex("CONTAINER", 10, 5),
    Column::flex("BLOB", 20, 0),
    Column::fixed("AGE", 8, 4),
    Column::fixed("EXPIRED", 10, 2),
    Column::fixed("STATUS", 10, 1),
];

fn status(row: &PruneRow, theme: &Theme) -> Span<'static> {
    match &row.status {
        PruneStatus::Listed => styled("", theme.muted),
        PruneStatus::Deleting => styled("deleting…", theme.muted),
        PruneStatus::Deleted => styled("✔ deleted", theme.ok),
        PruneStatus::Failed(_) => styled("✖ failed", theme.error),
    }
}

fn cells(row: &PruneRow, state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let e = &row.entry;
    let expired = e.expires().map_or_else(
        || "—".to_owned(),
        |t| format!("{} ago", duration::short(state.now - t)),
    );
    vec![
        styled(e.account.clone(), theme.text),
        styled(e.container.clone(), theme.text),
        styled(e.name.clone(), theme.accent),
        styled(age(e.own_time(), state.now), theme.text),
        styled(expired, theme.text),
        status(row, theme),
    ]
}

/// Under the table: each failure's reason, then the prompt or the tally; and where the cursor
/// goes (line, column) while the words are typed.
fn below(
    d: &PruneDialog,
    state: &AppState,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let mut lines = Vec::new();
    for row in &d.rows {
        if let PruneStatus::Failed(e) = &row.status {
            lines.push(Line::from(styled(
                format!("✖ {}", e.one_line()),
                theme.error,
            )));
        }
    }
    if d.started() {
        let (deleted, failed) = d.tally();
        lines.push(Line::from(if d.running() {
            styled(format!("{deleted} deleted so far…"), theme.muted)
        } else if failed == 0 {
            styled(format!("✔ {deleted} deleted"), theme.ok)
        } else {
            styled(
                format!("{deleted} deleted, ✖ {failed} not deleted"),
                theme.error,
            )
        }));
        return (lines, None);
    }
    let words = d.confirm_words();
    let mismatch = format!("does not match '{words}'");
    let (field, (line, col)) = typed_confirmation(
        state,
        KeyContext::Prune,
        (&words, &d.typed),
        ("to delete them", "deletes them", &mismatch),
        theme,
    );
    let cursor = Some((lines.len() + line, col));
    lines.extend(field);
    (lines, cursor)
}

/// Draws the dialog over `body`; the table scrolls with the movement keys.
pub fn render(frame: &mut Frame, body: Rect, state: &AppState, d: &PruneDialog, theme: &Theme) {
    let rows = u16::try_from(d.rows.len()).unwrap_or(u16::MAX);
    let area = centered(
        body,
        body.width.saturating_sub(4).min(120),
        rows.saturating_add(14).min(body.height),
    );
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.danger)
        .title(Span::styled(" Prune expired backups ", theme.danger))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let mut intro = vec![format!(
        "{} backup(s) past Azure's 30 days: a restore from them is refused. Deleting them \
         cannot be undone.",
        d.rows.len()
    )];
    if !d.complete {
        intro.push(
            "Some listings still load or failed: only the backups loaded so far are listed."
                .to_owned(),
        );
    }
    let room = usize::from(inner.width).max(1);
    let intro_h: usize = intro.iter().map(|t| wrap(t, room).len()).sum();
    let (after, cursor) = below(d, state, theme);
    let after_h = u16::try_from(after.len())
        .unwrap_or(u16::MAX)
        .saturating_add(1);
    let [top, table_area, bottom] = Layout::vertical([
        Constraint::Length(u16::try_from(intro_h + 1).unwrap_or(u16::MAX)),
        Constraint::Max(rows.saturating_add(1)),
        Constraint::Min(after_h),
    ])
    .areas(inner);
    let intro_lines: Vec<Line<'static>> = intro
        .into_iter()
        .enumerate()
        .map(|(i, t)| Line::from(styled(t, if i == 0 { theme.text } else { theme.warn })))
        .collect();
    frame.render_widget(Paragraph::new(intro_lines).wrap(Wrap { trim: false }), top);
    let all: Vec<Vec<Span<'static>>> = d.rows.iter().map(|r| cells(r, state, theme)).collect();
    let table = Grid::fitted(
        &COLUMNS,
        table_area.width,
        all,
        theme.table_header,
        theme.selected,
    );
    let mut at = TableState::default().with_offset(usize::from(d.scroll));
    frame.render_stateful_widget(table, table_area, &mut at);
    text_under(frame, bottom, after, cursor);
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn the_expired_backups_then_the_words_to_type() {
        snap!("prune_typing", scenes::prune_typing());
    }

    #[test]
    fn each_blobs_result_once_the_deletes_answered() {
        snap!("prune_deleted", scenes::prune_deleted());
        snap!("prune_failed", scenes::prune_failed());
    }
}
