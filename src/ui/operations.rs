//! The operations screen: every operation started or resumed, newest first, with its status in
//! plain words, elapsed time, polls, next poll and the last transient error; the selected one
//! in full below, including the estimate from history and how to stop watching it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::grid::{Column, Grid};
use super::text::{clock, full_date, gauge, short_date, width as width_of, wrap};
use super::theme::Theme;
use super::widgets::{
    centered_text, field, field_wrapped, pane, render_placeholder, styled, window,
};
use crate::app::action::Action;
use crate::app::keymap::KeyContext;
use crate::app::operation::{OperationView, Phase, selected_operation, visible_operations};
use crate::app::state::AppState;
use crate::domain::duration;
use crate::domain::estimate::rough;
use crate::domain::operation::{OperationKind, Outcome};

const COLUMNS: [Column; 9] = [
    Column::fixed("Kind", 7, 0),
    Column::fixed("Service", 20, 1),
    Column::flex("Backup", 30, 7),
    Column::fixed("Started", 11, 4),
    Column::fixed("Status", 12, 0),
    Column::fixed("Duration", 8, 2),
    Column::fixed("Progress", 16, 2),
    Column::fixed("Polls", 5, 6),
    Column::fixed("Next poll", 9, 3),
];

/// Cells of the gauge in the table and in the details.
const ROW_GAUGE: usize = 8;
const DETAILS_GAUGE: usize = 20;

/// The table pane and the details pane. Shared with mouse hit-testing.
pub fn areas(area: Rect, count: usize) -> (Rect, Rect) {
    let rows = u16::try_from(count).unwrap_or(u16::MAX).clamp(1, 8);
    let [table, details] =
        Layout::vertical([Constraint::Length(rows + 3), Constraint::Min(0)]).areas(area);
    (table, details)
}

/// Draws the operations screen.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let ops = visible_operations(state);
    let live = state.live_operations();
    if state.operations.is_empty() {
        let block = pane(vec![Span::raw("Operations")], true, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        render_placeholder(frame, inner, centered_text(empty_text(state, theme)));
        return;
    }
    if state.details
        && let Some(op) = selected_operation(state)
    {
        render_details(frame, area, op, state, theme);
        return;
    }
    let (table_area, details_area) = areas(area, ops.len());
    let title = vec![Span::raw(format!(
        "Operations ({}) · {live} watched",
        ops.len()
    ))];
    let block = pane(title, true, theme);
    let inner = block.inner(table_area);
    frame.render_widget(block, table_area);
    let grid = Grid::fit(&COLUMNS, inner.width);
    let (shown, mut ts) = window(
        ops.len(),
        Some(state.cursors.operations),
        usize::from(inner.height.saturating_sub(1)),
    );
    let rows: Vec<Row<'static>> = ops[shown]
        .iter()
        .map(|o| row(&grid, o, state, theme))
        .collect();
    let table = grid.table(rows, &COLUMNS, theme.table_header, theme.selected);
    frame.render_stateful_widget(table, inner, &mut ts);
    if let Some(op) = selected_operation(state) {
        render_details(frame, details_area, op, state, theme);
    }
}

fn render_details(
    frame: &mut Frame,
    area: Rect,
    op: &OperationView,
    state: &AppState,
    theme: &Theme,
) {
    let title = vec![Span::raw(format!("{} {} · details", op.kind, op.op))];
    let block = pane(title, state.details, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = details(op, state, theme, usize::from(inner.width));
    // Short of room, the spacers go before the key hint does.
    if lines.len() > usize::from(inner.height) {
        lines.retain(|l| l.width() > 0);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn empty_text(state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("No operations yet.", theme.muted)];
    let f = state
        .keymap
        .key_for(KeyContext::Services, &Action::StartFailover);
    let b = state
        .keymap
        .key_for(KeyContext::Services, &Action::StartBackup);
    match (f, b) {
        (Some(f), Some(b)) => lines.push(Line::from(vec![
            styled("On a service, ", theme.muted),
            styled(f, theme.key_danger),
            styled(" starts a failover and ", theme.muted),
            styled(b, theme.key_danger),
            styled(" a backup.", theme.muted),
        ])),
        _ if state.read_only => lines.push(Line::styled(
            "Read-only mode: failover and backup are disabled.",
            theme.muted,
        )),
        _ => {}
    }
    lines
}

fn status_style(op: &OperationView, theme: &Theme) -> ratatui::style::Style {
    match &op.phase {
        Phase::Finished(Outcome::Succeeded) => theme.ok,
        Phase::Finished(Outcome::Failed(_)) => theme.error,
        Phase::Finished(_) => theme.warn,
        _ if !op.watching => theme.muted,
        _ if op.transient.is_some() => theme.warn,
        _ => theme.text,
    }
}

fn row(grid: &Grid, op: &OperationView, state: &AppState, theme: &Theme) -> Row<'static> {
    let now = state.now;
    let next = match op.next_poll_at {
        Some(t) if op.is_live() && t > now => duration::short(t - now),
        Some(_) if op.is_live() => "now".to_owned(),
        _ => "—".to_owned(),
    };
    grid.row(vec![
        styled(op.kind.to_string(), theme.text),
        styled(op.service_name(), theme.text),
        styled(short_ref(backup_ref(op)), theme.text),
        styled(short_date(op.started_at), theme.muted),
        styled(op.short_status(now), status_style(op, theme)),
        styled(duration::short(op.elapsed(now)), theme.text),
        row_progress(op, state, theme),
        styled(op.polls.to_string(), theme.text),
        styled(next, theme.muted),
    ])
}

/// The table's gauge against the estimate and the time left ("███░░░░░ ~18m"), "late" once
/// past the typical duration; "—" when it is not running here.
fn row_progress(op: &OperationView, state: &AppState, theme: &Theme) -> Span<'static> {
    if !op.is_live() {
        return styled("—", theme.muted);
    }
    let p = op
        .estimate(&state.history)
        .progress(op.started_at, state.now);
    let left = p
        .remaining
        .map_or_else(|| "late".to_owned(), |d| format!("~{}", rough(d)));
    styled(
        format!("{} {left}", gauge(p.fraction, ROW_GAUGE)),
        theme.accent,
    )
}

/// The blob an operation reads (restore) or writes (backup); what a creation makes.
fn backup_ref(op: &OperationView) -> &str {
    match op.kind {
        OperationKind::Restore | OperationKind::Create => &op.source,
        OperationKind::Backup => &op.target,
    }
}

/// `account/container/blob` without the account and container, for narrow columns.
fn short_ref(s: &str) -> String {
    let parts: Vec<&str> = s.splitn(3, '/').collect();
    match parts.as_slice() {
        [_, _, blob] if s.ends_with(".apimbackup") => (*blob).to_owned(),
        _ => s.to_owned(),
    }
}

/// "started 12:00:00 UTC · elapsed 12m 30s"; once ended, "… · took 31m 05s · ended 12:31:05
/// UTC". An earlier day shows its date.
fn timing(op: &OperationView, state: &AppState) -> String {
    let now = state.now;
    let at = |t: time::OffsetDateTime| {
        if t.date() == now.date() {
            format!("{} UTC", clock(t))
        } else {
            full_date(t)
        }
    };
    let took = duration::short(op.elapsed(now));
    match op.finished_at.filter(|_| op.outcome().is_some()) {
        Some(end) => format!(
            "started {} · took {took} · ended {}",
            at(op.started_at),
            at(end)
        ),
        None => format!("started {} · elapsed {took}", at(op.started_at)),
    }
}

/// What the keys do for this operation, from the keymap: `s` while it is watched, `w` when it
/// can be watched again.
fn key_hints(
    op: &OperationView,
    state: &AppState,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let key = |action| state.keymap.key_for(KeyContext::Operations, &action);
    let (action, text) = if op.is_live() {
        (
            Action::StopWatchingSelected,
            format!("stops watching: {}", state.unwatched_fate()),
        )
    } else if op.can_watch_again() {
        (
            Action::WatchAgainSelected,
            "watches it again, from what the journal holds now".to_owned(),
        )
    } else {
        return Vec::new();
    };
    let Some(k) = key(action) else {
        return Vec::new();
    };
    let indent = width_of(&k) + 1;
    let mut lines = vec![Line::default()];
    for (i, part) in wrap(&text, width.saturating_sub(indent))
        .into_iter()
        .enumerate()
    {
        let head = if i == 0 {
            styled(format!("{k} "), theme.key)
        } else {
            styled(" ".repeat(indent), theme.hint)
        };
        lines.push(Line::from(vec![head, styled(part, theme.hint)]));
    }
    lines
}

fn details(
    op: &OperationView,
    state: &AppState,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let now = state.now;
    let (from, to) = match op.kind {
        OperationKind::Restore => ("Backup", "Target"),
        OperationKind::Backup => ("Service", "Blob"),
        OperationKind::Create => ("Creating", "Service"),
    };
    let mut lines = field_wrapped(from, &op.source, theme.text, width, theme);
    lines.extend(field_wrapped(to, &op.target, theme.accent, width, theme));
    lines.extend(field_wrapped(
        "Status",
        &op.status_sentence(state.unwatched_fate()),
        status_style(op, theme),
        width,
        theme,
    ));
    let timing = timing(op, state);
    lines.extend(field_wrapped("Time", &timing, theme.text, width, theme));
    // Only while it runs: a finished operation is already part of the history.
    if op.is_live() {
        let e = op.estimate(&state.history);
        let p = e.progress(op.started_at, now);
        let text = format!(
            "{} ETA {} UTC · {} · {}",
            gauge(p.fraction, DETAILS_GAUGE),
            clock(p.eta),
            e.phrase(),
            e.remaining_text(op.started_at, now)
        );
        lines.extend(field_wrapped("Progress", &text, theme.accent, width, theme));
    }
    let polls = if op.is_live() {
        let next = op.next_poll_at.map_or_else(
            || "—".to_owned(),
            |t| duration::short((t - now).max(time::Duration::ZERO)),
        );
        format!("{} · next poll in {next}", op.polls)
    } else {
        op.polls.to_string()
    };
    lines.push(field("Polls", vec![styled(polls, theme.text)], theme));
    if let Some(t) = &op.transient {
        let text = if t.retry_at > now && op.is_live() {
            format!(
                "{}, retrying in {} (attempt {}): {}",
                t.reason,
                duration::short(t.retry_at - now),
                t.attempt,
                t.detail
            )
        } else {
            format!(
                "{} at {} UTC (attempt {}): {}",
                t.reason,
                clock(t.at),
                t.attempt,
                t.detail
            )
        };
        lines.extend(field_wrapped("Last retry", &text, theme.warn, width, theme));
    }
    if let Some(id) = &op.request_id {
        lines.push(field(
            "Request id",
            vec![styled(id.clone(), theme.text)],
            theme,
        ));
    }
    if let Some(id) = &op.correlation_id {
        lines.push(field(
            "Correlation",
            vec![styled(id.to_string(), theme.text)],
            theme,
        ));
    }
    if let Some(id) = &op.journal_id {
        lines.push(field(
            "Journal",
            vec![styled(id.to_string(), theme.muted)],
            theme,
        ));
    }
    if let Some(note) = &op.note {
        lines.extend(field_wrapped("Note", note, theme.warn, width, theme));
    }
    lines.extend(key_hints(op, state, theme, width));
    lines
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn operations_mid_run_finished_and_empty() {
        snap!("ops_running_throttled", scenes::ops_running());
        snap!("ops_succeeded", scenes::ops_succeeded());
        snap!("ops_failed", scenes::ops_failed());
        snap!("ops_empty", scenes::ops_empty());
    }

    #[test]
    fn operations_lists_the_whole_journal_and_opens_details() {
        snap!("ops_journal", scenes::ops_journal());
        snap!("ops_journal_unwatched", scenes::ops_journal_unwatched());
        snap!("ops_journal_details", scenes::ops_journal_details());
        snap!("ops_journal_creation", scenes::ops_journal_creation());
    }
}
