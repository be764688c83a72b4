//! The drill dialog: what the drill does, the standbys to pick from and the name to type; then
//! its steps (backup, pre-flight, restore, verification), each with where it stands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, TableState, Wrap};

use super::grid::{Column, Grid};
use super::layout::centered;
use super::text::wrap;
use super::theme::Theme;
use super::widgets::{styled, text_under, typed_confirmation};
use crate::app::drill::{Drill, DrillStage};
use crate::app::keymap::KeyContext;
use crate::app::operation::OpId;
use crate::app::state::AppState;
use crate::domain::operation::Outcome;
use crate::domain::verification::{summary, verified};

const COLUMNS: [Column; 4] = [
    Column::flex("STANDBY", 16, 0),
    Column::flex("REGION", 12, 1),
    Column::fixed("UNITS", 5, 3),
    Column::flex("STATE", 10, 2),
];

/// Draws the dialog over `body`.
pub fn render(frame: &mut Frame, body: Rect, state: &AppState, theme: &Theme) {
    let Some(d) = state.drill.as_deref() else {
        return;
    };
    let area = centered(body, body.width.saturating_sub(4).min(110), body.height);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.danger)
        .title(Span::styled(
            format!(" Drill {} ", d.source.name),
            theme.danger,
        ))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    if d.picking() {
        pick(frame, inner, d, state, theme);
    } else {
        frame.render_widget(
            Paragraph::new(steps(d, state, theme)).wrap(Wrap { trim: false }),
            inner,
        );
    }
}

/// Before it starts: what it does, the standbys, the name to type.
fn pick(frame: &mut Frame, inner: Rect, d: &Drill, state: &AppState, theme: &Theme) {
    let (account, container) = &d.place;
    let intro = format!(
        "Backs {} up into {account}/{container} (a new blob), restores that backup into the \
         standby you pick — its configuration is overwritten — and verifies it; the restore's \
         report is kept. Traffic is not touched.",
        d.source.name
    );
    let room = usize::from(inner.width).max(1);
    let intro_h = u16::try_from(wrap(&intro, room).len() + 1).unwrap_or(u16::MAX);
    let rows = u16::try_from(d.targets.len()).unwrap_or(u16::MAX);
    let [top, table_area, bottom] = Layout::vertical([
        Constraint::Length(intro_h),
        Constraint::Max(rows.saturating_add(1)),
        Constraint::Min(5),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(styled(intro, theme.text))).wrap(Wrap { trim: false }),
        top,
    );
    let all: Vec<Vec<Span<'static>>> = d
        .targets
        .iter()
        .map(|t| {
            vec![
                styled(t.name.clone(), theme.accent),
                styled(t.location.clone(), theme.text),
                styled(t.capacity.to_string(), theme.text),
                styled(t.state_word(), theme.text),
            ]
        })
        .collect();
    let table = Grid::fitted(
        &COLUMNS,
        table_area.width,
        all,
        theme.table_header,
        theme.selected,
    );
    let mut at = TableState::default().with_selected(Some(d.cursor));
    frame.render_stateful_widget(table, table_area, &mut at);
    let Some(target) = d.selected() else {
        return;
    };
    if state.read_only {
        let line = styled("read-only mode: a drill cannot start", theme.warn);
        text_under(frame, bottom, vec![Line::from(line)], None);
        return;
    }
    let mismatch = format!("does not match {}", target.name);
    let (lines, cursor) = typed_confirmation(
        state,
        KeyContext::Drill,
        (&target.name, &d.typed),
        ("to start the drill", "starts the drill", &mismatch),
        theme,
    );
    text_under(frame, bottom, lines, Some(cursor));
}

/// Once started: one line per step.
fn steps(d: &Drill, state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let target = d.target.as_ref().map_or("", |t| t.name.as_str());
    let op_status = |op: OpId| {
        state
            .operations
            .iter()
            .find(|o| o.op == op)
            .map_or_else(String::new, |o| {
                format!("{op} {}", o.short_status(state.now))
            })
    };
    let backup = d.backup_op.map(op_status).unwrap_or_default();
    let (check, restore) = match &d.stage {
        DrillStage::Pick | DrillStage::BackingUp(_) => (String::new(), String::new()),
        DrillStage::Checking(_) => ("running…".to_owned(), String::new()),
        DrillStage::Restoring(op) => ("allows it".to_owned(), op_status(*op)),
        DrillStage::Restored(op, _) => ("allowed it".to_owned(), op_status(*op)),
        DrillStage::Stopped(why) => (why.clone(), "not started".to_owned()),
    };
    let verification = match (&d.stage, &d.verified) {
        (_, Some(v)) => summary(v),
        (DrillStage::Restored(_, Outcome::Succeeded), None) => "not reported".to_owned(),
        _ => String::new(),
    };
    let row = |n: &str, what: String, status: String| {
        Line::from(vec![
            styled(format!("{n} "), theme.key),
            styled(format!("{what:<34}"), theme.text),
            styled(status, theme.muted),
        ])
    };
    let mut lines = vec![
        row("1", format!("back up {}", d.source.name), backup),
        row("2", "the restore's pre-flight".to_owned(), check),
        row("3", format!("restore into {target}"), restore),
        row("4", "verify it serves".to_owned(), verification),
        Line::default(),
    ];
    lines.push(match (&d.stage, &d.verified) {
        (DrillStage::Restored(_, Outcome::Succeeded), Some(v)) if verified(v) => {
            Line::from(styled(
                "✔ drill passed: v on its restore (Operations) shows the report for the auditors",
                theme.ok,
            ))
        }
        (DrillStage::Restored(..) | DrillStage::Stopped(_), _) => Line::from(styled(
            "✖ drill did not pass: each step above says where it stopped",
            theme.error,
        )),
        _ => Line::from(styled(
            "Esc closes this; the drill goes on (D shows it again)",
            theme.muted,
        )),
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn the_standbys_then_each_step() {
        snap!("drill_pick", scenes::drill_pick());
        snap!("drill_done", scenes::drill_done());
    }
}
