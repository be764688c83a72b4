//! The traffic cutover dialog over the Operations screen: the dry run (where the host name is
//! served, before → after), the host name to type, then the end and the rollback command.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::layout::centered;
use super::theme::Theme;
use super::widgets::{cursor_at, styled, typed_confirmation};
use crate::app::cutover::CutoverDialog;
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::domain::cutover::CutoverPlan;
use crate::domain::duration;
use crate::engine::cutover::CutoverEnd;

fn field(label: &str, value: String, style: ratatui::style::Style, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        styled(format!("{label:<10}"), theme.muted),
        styled(value, style),
    ])
}

fn plan_lines(d: &CutoverDialog, p: &CutoverPlan, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        field("Served by", p.place.describe(), theme.text, theme),
        field("Before", p.before.clone(), theme.text, theme),
        field(
            "After",
            format!("{}   (the gateway of {})", p.after, d.target.name),
            theme.accent,
            theme,
        ),
    ];
    if p.is_noop() {
        lines.push(Line::default());
        lines.push(Line::from(styled(
            format!("✔ {} already points there: nothing to change", p.hostname),
            theme.ok,
        )));
    } else {
        lines.push(field("Rollback", p.rollback_command(), theme.text, theme));
    }
    lines
}

fn end_line(
    applied: &Loadable<CutoverEnd>,
    d: &CutoverDialog,
    state: &AppState,
    theme: &Theme,
) -> Line<'static> {
    match applied {
        Loadable::Loading { since } => Line::from(styled(
            format!("writing… {}", duration::short(state.now - *since)),
            theme.muted,
        )),
        Loadable::Loaded(CutoverEnd::Done) => Line::from(styled(
            format!(
                "✔ {} now points at {} (logged in cutover.jsonl); y copies the rollback command",
                d.hostname, d.target.name
            ),
            theme.ok,
        )),
        Loadable::Loaded(CutoverEnd::Unconfirmed(why)) => {
            Line::from(styled(format!("? unconfirmed: {why}"), theme.warn))
        }
        Loadable::Failed(e) => Line::from(styled(format!("✖ {e}"), theme.error)),
        Loadable::NotRequested => Line::default(),
    }
}

/// Draws the dialog over `body`.
pub fn render(frame: &mut Frame, body: Rect, state: &AppState, d: &CutoverDialog, theme: &Theme) {
    let area = centered(body, body.width.saturating_sub(4).min(110), 17);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.danger)
        .title(Span::styled(" Traffic cutover ", theme.danger))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::from(vec![
            styled("Point ", theme.text),
            styled(d.hostname.clone(), theme.accent),
            styled(" at the restored ", theme.text),
            styled(d.target.name.to_string(), theme.accent),
            styled(": clients follow once DNS caches expire.", theme.text),
        ]),
        Line::default(),
    ];
    match &d.plan {
        Loadable::Loading { since } => lines.push(Line::from(styled(
            format!(
                "reading where {} is served (Azure DNS, Traffic Manager)… {}",
                d.hostname,
                duration::short(state.now - *since)
            ),
            theme.muted,
        ))),
        Loadable::Failed(e) => lines.push(Line::from(styled(e.to_string(), theme.error))),
        Loadable::Loaded(p) => lines.extend(plan_lines(d, p, theme)),
        Loadable::NotRequested => {}
    }
    let mut cursor = None;
    if d.takes_name() {
        lines.push(Line::default());
        let (field, (line, col)) = typed_confirmation(
            state,
            KeyContext::Cutover,
            (&d.hostname, &d.typed),
            (
                "to cut it over",
                "points it at the target",
                "does not match the host name",
            ),
            theme,
        );
        cursor = Some((lines.len() + line, col));
        lines.extend(field);
    } else if let Some(applied) = &d.applied {
        lines.push(Line::default());
        lines.push(end_line(applied, d, state, theme));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(at) = cursor {
        cursor_at(frame, inner, at);
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn the_dry_run_then_the_host_name_to_type() {
        snap!("cutover_typing", scenes::cutover_typing());
    }

    #[test]
    fn the_end_and_the_rollback_command() {
        snap!("cutover_done", scenes::cutover_done());
    }
}
