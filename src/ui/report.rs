//! An operation's report over the Operations screen (`v` on a finished operation): the same
//! Markdown `apim-dr report ID` prints and saves (`domain/report.rs`), as text, scrolled with
//! the movement keys; Esc closes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::layout::centered;
use super::theme::Theme;
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::domain::duration;
use crate::domain::progress::JournalId;

/// The lines of the report: a heading, a list item or text, each styled by its Markdown role.
fn lines(text: &Loadable<String>, state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    match text {
        Loadable::Loaded(md) => md
            .lines()
            .map(|l| {
                let style = if l.starts_with('#') {
                    theme.table_header
                } else if l.starts_with("- [ ]") {
                    theme.warn
                } else {
                    theme.text
                };
                Line::styled(l.to_owned(), style)
            })
            .collect(),
        Loadable::Loading { since } => vec![Line::styled(
            format!(
                "building the report (the journal, the blob's catalog, the service now)… {}",
                duration::short(state.now - *since)
            ),
            theme.muted,
        )],
        Loadable::Failed(e) => vec![Line::styled(e.to_string(), theme.error)],
        Loadable::NotRequested => Vec::new(),
    }
}

/// Draws the report over `body`, scrolled by `scroll` lines.
pub fn render(
    frame: &mut Frame,
    body: Rect,
    state: &AppState,
    (id, text, scroll): (&JournalId, &Loadable<String>, u16),
    theme: &Theme,
) {
    let area = centered(body, body.width.saturating_sub(4).min(110), body.height);
    let title = Line::from(vec![Span::styled(
        format!(" Report {id} · esc closes "),
        theme.pane_title_focused,
    )]);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(title);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines(text, state, theme))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn a_finished_operations_report_over_the_operations_screen() {
        snap!("ops_report", scenes::ops_report());
        snap!("ops_report_scrolled", scenes::ops_report_scrolled());
    }
}
