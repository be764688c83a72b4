//! The wizards' frame: a pane titled with the step, a step indicator (`✔ 1 Backup › 2 Region ›
//! …`), a summary of what has been chosen so far, and the step's own content (drawn by
//! `pick`, `review` and `backup`).

mod backup;
mod failover_pick;
mod failover_review;
mod failover_standby;

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{age, ellipsize};
use super::theme::Theme;
use super::widgets::{pane, styled};
use crate::app::backup_wizard::{BackupStep, BackupWizard};
use crate::app::failover::{FailoverStep, FailoverWizard};
use crate::app::state::AppState;

pub use backup::list_rows as backup_list_rows;
pub use failover_pick::list_rows as failover_list_rows;

/// The parts of a wizard pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WizardAreas {
    /// The step indicator.
    pub indicator: Rect,
    /// What has been chosen so far.
    pub summary: Rect,
    /// The step's content.
    pub content: Rect,
}

/// Splits a wizard pane (`area` is the whole body) for `summary_lines` lines of summary.
pub fn areas(area: Rect, summary_lines: u16) -> WizardAreas {
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    let gap = u16::from(summary_lines > 0);
    let [indicator, _, summary, _, content] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(summary_lines),
        Constraint::Length(gap),
        Constraint::Min(0),
    ])
    .areas(inner);
    WizardAreas {
        indicator,
        summary,
        content,
    }
}

/// How many summary lines the failover wizard shows at its current step.
pub fn failover_summary_lines(w: &FailoverWizard) -> u16 {
    if w.step == FailoverStep::Confirm {
        return 0;
    }
    let source = w.source.is_some() && w.step > FailoverStep::Source;
    let target = (w.target.is_some() && w.step > FailoverStep::Target)
        || (w.region.is_some() && w.step > FailoverStep::Region);
    u16::from(source) + u16::from(target)
}

fn failover_summary_styled(
    state: &AppState,
    w: &FailoverWizard,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if w.step == FailoverStep::Confirm {
        return lines;
    }
    if let Some(b) = &w.source
        && w.step > FailoverStep::Source
    {
        let sku = match (&b.catalog.source_sku, b.catalog.source_capacity) {
            (Some(s), Some(n)) => format!("{s} ×{n}"),
            (Some(s), None) => s.to_string(),
            (None, _) => "tier unknown".to_owned(),
        };
        let mut tail = format!(" · {sku} · {} old", age(b.created, state.now));
        if let Some(loc) = &b.catalog.source_location {
            let _ = write!(tail, " · {loc}");
        }
        let _ = write!(tail, " · {}/{}", b.account, b.container);
        let room = width.saturating_sub(9 + super::text::width(&b.name));
        lines.push(Line::from(vec![
            styled("Backup   ", theme.muted),
            styled(b.name.clone(), theme.accent),
            styled(ellipsize(&tail, room), theme.muted),
        ]));
    }
    match (&w.target, &w.region) {
        (Some(t), _) if w.step > FailoverStep::Target => lines.push(Line::from(vec![
            styled("Target   ", theme.muted),
            styled(t.name.clone(), theme.accent),
            styled(
                format!(
                    " · {} · {} · {} ×{}",
                    t.location,
                    state.subscription_name(&t.subscription_id),
                    t.sku,
                    t.capacity
                ),
                theme.muted,
            ),
        ])),
        (_, Some(r)) if w.step > FailoverStep::Region => lines.push(Line::from(vec![
            styled("Region   ", theme.muted),
            styled(r.clone(), theme.accent),
        ])),
        _ => {}
    }
    lines
}

fn indicator<'a>(
    steps: impl Iterator<Item = (usize, &'static str)>,
    current: usize,
    theme: &Theme,
) -> Line<'a> {
    let mut spans = Vec::new();
    for (n, title) in steps {
        if n > 1 {
            spans.push(Span::styled(" › ", theme.muted));
        }
        let (text, style) = match n.cmp(&current) {
            std::cmp::Ordering::Less => (format!("✔ {title}"), theme.step_done),
            std::cmp::Ordering::Equal => (format!(" {n} {title} "), theme.step_current),
            std::cmp::Ordering::Greater => (format!("{n} {title}"), theme.step_todo),
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

/// Draws the failover wizard.
pub fn failover(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    w: &FailoverWizard,
    theme: &Theme,
) {
    let n = w.step.number();
    let title = vec![Span::raw(format!(
        "Failover · step {n} of {} · {}",
        FailoverStep::ALL.len(),
        w.step.title()
    ))];
    let block = pane(title, true, theme);
    frame.render_widget(block, area);
    let width = usize::from(area.width.saturating_sub(2));
    let summary = failover_summary_styled(state, w, width, theme);
    let a = areas(area, u16::try_from(summary.len()).unwrap_or(0));
    let steps = FailoverStep::ALL.iter().map(|s| (s.number(), s.title()));
    frame.render_widget(Paragraph::new(indicator(steps, n, theme)), a.indicator);
    frame.render_widget(Paragraph::new(summary), a.summary);
    match w.step {
        FailoverStep::Source | FailoverStep::Region | FailoverStep::Target => {
            failover_pick::render(frame, a.content, state, w, theme);
        }
        FailoverStep::Preflight => failover_review::preflight(frame, a.content, state, w, theme),
        FailoverStep::Caveats => failover_review::caveats(frame, a.content, state, theme),
        FailoverStep::Confirm => failover_review::confirm(frame, a.content, state, w, theme),
    }
}

/// Draws the backup wizard.
pub fn backup(frame: &mut Frame, area: Rect, state: &AppState, w: &BackupWizard, theme: &Theme) {
    let n = w.step.number();
    let title = vec![Span::raw(format!(
        "Backup of {} · step {n} of {} · {}",
        w.service.name,
        BackupStep::SHOWN.len(),
        w.step.title()
    ))];
    let block = pane(title, true, theme);
    frame.render_widget(block, area);
    let summary = backup::summary(state, w, theme);
    let a = areas(area, u16::try_from(summary.len()).unwrap_or(0));
    let steps = BackupStep::SHOWN.iter().map(|s| (s.number(), s.title()));
    frame.render_widget(Paragraph::new(indicator(steps, n, theme)), a.indicator);
    frame.render_widget(Paragraph::new(summary), a.summary);
    backup::render(frame, a.content, state, w, theme);
}
