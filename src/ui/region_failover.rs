//! The region failover dialog: the regions to fail over into; then the plan, one row per
//! service of the lost region (its backup, the standby it restores into, where it stands),
//! each blocked item's reason, the targets the restores overwrite and the words to type; then
//! each restore's status and the batch report's path.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, TableState, Wrap};

use super::grid::{Column, Grid};
use super::layout::centered;
use super::text::wrap;
use super::theme::Theme;
use super::widgets::{loading, styled, text_under, typed_confirmation};
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::region_failover::{BatchItem, ItemState, PARALLEL_DEFAULT, RegionFailover};
use crate::app::state::AppState;
use crate::domain::batch_report::ItemStatus;

const REGION_COLUMNS: [Column; 2] = [
    Column::flex("REGION", 16, 0),
    Column::fixed("SERVICES", 8, 1),
];

/// The service and its status first; on a narrow terminal the backup and the tier go.
const PLAN_COLUMNS: [Column; 6] = [
    Column::fixed(" ", 1, 0),
    Column::flex("SERVICE", 12, 0),
    Column::fixed("TIER", 10, 3),
    Column::flex("BACKUP", 12, 4),
    Column::flex("INTO", 12, 1),
    Column::flex("STATUS", 14, 0),
];

/// The mark and the status words of one item.
fn status(
    b: &RegionFailover,
    item: &BatchItem,
    state: &AppState,
    theme: &Theme,
) -> (Span<'static>, Span<'static>) {
    match b.state_of(item, &state.operations) {
        ItemState::NotNeeded(_) => (styled("•", theme.muted), styled("not needed", theme.muted)),
        ItemState::Blocked(_) => (styled("✖", theme.error), styled("blocked", theme.error)),
        ItemState::Ready => (styled("✔", theme.ok), styled("ready", theme.ok)),
        ItemState::Queued => (styled("…", theme.muted), styled("queued", theme.muted)),
        ItemState::Running(op) => {
            let words = state
                .operations
                .iter()
                .find(|o| o.op == op)
                .map_or_else(|| "running".to_owned(), |o| o.short_status(state.now));
            (
                styled("⟳", theme.warn),
                styled(format!("{op} {words}"), theme.warn),
            )
        }
        ItemState::Unwatched(op) => (
            styled("?", theme.warn),
            styled(format!("{op} not watched"), theme.warn),
        ),
        ItemState::Ended(op, st, _) => {
            let style = match st {
                ItemStatus::Succeeded if item.verified == Some(false) => theme.warn,
                ItemStatus::Succeeded => theme.ok,
                ItemStatus::Unconfirmed => theme.warn,
                _ => theme.error,
            };
            let verified = match (st, item.verified) {
                (ItemStatus::Succeeded, Some(true)) => ", verified",
                (ItemStatus::Succeeded, Some(false)) => ", not verified",
                _ => "",
            };
            let mark = match st {
                ItemStatus::Succeeded if item.verified != Some(false) => "✔",
                ItemStatus::Succeeded | ItemStatus::Unconfirmed => "?",
                _ => "✖",
            };
            (
                styled(mark, style),
                styled(format!("{op} {}{verified}", st.word()), style),
            )
        }
    }
}

fn cells(
    b: &RegionFailover,
    item: &BatchItem,
    state: &AppState,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let pick = &item.planned.pick;
    let (mark, words) = status(b, item, state, theme);
    vec![
        mark,
        styled(pick.source.name.clone(), theme.accent),
        styled(pick.source.sku.to_string(), theme.text),
        styled(
            pick.backup.as_ref().map_or_else(
                || "—".to_owned(),
                |e| e.name.rsplit('/').next().unwrap_or(&e.name).to_owned(),
            ),
            theme.text,
        ),
        styled(
            pick.target
                .as_ref()
                .map_or_else(|| "—".to_owned(), |t| t.name.clone()),
            theme.text,
        ),
        words,
    ]
}

/// Under the plan: the targets and the words to type (or the batch's tally), then why each
/// item is blocked or not needed and the listings that failed; and where the cursor goes.
fn below(
    b: &RegionFailover,
    state: &AppState,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let (mut lines, cursor) = next_step(b, state, theme);
    for item in b.items() {
        let name = &item.planned.pick.source.name;
        match b.state_of(item, &state.operations) {
            ItemState::Blocked(why) => lines.push(Line::from(vec![
                styled(format!("✖ {name}: "), theme.error),
                styled(why, theme.text),
            ])),
            ItemState::NotNeeded(note) => lines.push(Line::from(vec![
                styled(format!("• {name}: "), theme.muted),
                styled(note, theme.muted),
            ])),
            ItemState::Ended(_, _, Some(why)) => lines.push(Line::from(vec![
                styled(format!("{name}: "), theme.warn),
                styled(why, theme.text),
            ])),
            _ => {}
        }
    }
    for f in &b.listing_failures {
        lines.push(Line::from(styled(
            format!("⚠ {f}: a service there may be missing from this plan"),
            theme.warn,
        )));
    }
    (lines, cursor)
}

/// What the operator can do next: type the words (with the targets they overwrite), or why
/// nothing can start, or the batch's tally.
fn next_step(
    b: &RegionFailover,
    state: &AppState,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    if b.started.is_some() {
        return (vec![tally(b, state, theme), Line::default()], None);
    }
    if state.read_only {
        let line = styled(
            "read-only mode: the plan only; nothing can be started",
            theme.warn,
        );
        return (vec![Line::from(line), Line::default()], None);
    }
    if b.ready() == 0 {
        let line = styled(
            "no restore of this plan can run: each ✖ says why",
            theme.error,
        );
        return (vec![Line::from(line), Line::default()], None);
    }
    let targets: Vec<String> = b
        .items()
        .iter()
        .filter(|i| i.ready())
        .filter_map(|i| i.planned.pick.target.as_ref())
        .map(|t| t.name.clone())
        .collect();
    let mut lines = vec![Line::from(vec![
        styled("Overwrites the configuration of ", theme.text),
        styled(targets.join(", "), theme.danger),
        styled(
            format!(" ({PARALLEL_DEFAULT} restores at a time)."),
            theme.text,
        ),
    ])];
    let words = b.confirm_words();
    let mismatch = format!("does not match '{words}'");
    let (field, (line, col)) = typed_confirmation(
        state,
        KeyContext::Batch,
        (&words, &b.typed),
        ("to start them", "starts them", &mismatch),
        theme,
    );
    let cursor = Some((lines.len() + line, col));
    lines.extend(field);
    lines.push(Line::default());
    (lines, cursor)
}

/// "2 running, 1 queued, 3 ended" while it runs; the report's path once it ended.
fn tally(b: &RegionFailover, state: &AppState, theme: &Theme) -> Line<'static> {
    let running = b.running(&state.operations);
    if !b.finished(&state.operations) {
        return Line::from(styled(
            format!(
                "{running} running, {} queued: Esc closes this; the restores go on",
                b.queued()
            ),
            theme.muted,
        ));
    }
    match &b.report {
        Some(Loadable::Loaded(path)) => Line::from(vec![
            styled("Ended. Report: ", theme.text),
            styled(path.clone(), theme.accent),
        ]),
        Some(Loadable::Failed(e)) => Line::from(styled(
            format!("Ended. The report could not be written: {}", e.one_line()),
            theme.error,
        )),
        _ => Line::from(styled("Ended. Writing the report…", theme.muted)),
    }
}

/// Draws the dialog over `body`.
pub fn render(frame: &mut Frame, body: Rect, state: &AppState, theme: &Theme) {
    let Some(b) = state.region_failover.as_deref() else {
        return;
    };
    let area = centered(body, body.width.saturating_sub(4).min(120), body.height);
    let title = match &b.to {
        Some(to) => format!(" Fail over {} into {to} ", b.lost),
        None => format!(" Fail over {} ", b.lost),
    };
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.danger)
        .title(Span::styled(title, theme.danger))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    match &b.plan {
        _ if b.picking() => regions(frame, inner, b, theme),
        Loadable::Loading { since } => frame.render_widget(
            loading(
                "Planning: reading the estate and each restore's pre-flight (nothing is sent)",
                *since,
                state.now,
                theme,
            ),
            inner,
        ),
        _ => plan(frame, inner, b, state, theme),
    }
}

/// Step 1: the regions to fail over into.
fn regions(frame: &mut Frame, inner: Rect, b: &RegionFailover, theme: &Theme) {
    let intro = format!(
        "Every API Management service of {} gets a planned restore into the region you pick: \
         its newest backup Azure still restores, into a standby of its tier there, each with \
         its pre-flight. Planning sends nothing.",
        b.lost
    );
    let room = usize::from(inner.width).max(1);
    let intro_h = u16::try_from(wrap(&intro, room).len() + 1).unwrap_or(u16::MAX);
    let [top, table_area] =
        Layout::vertical([Constraint::Length(intro_h), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(styled(intro, theme.text))).wrap(Wrap { trim: false }),
        top,
    );
    let all: Vec<Vec<Span<'static>>> = b
        .regions
        .iter()
        .map(|c| {
            vec![
                styled(c.name.clone(), theme.accent),
                styled(c.services.to_string(), theme.text),
            ]
        })
        .collect();
    let table = Grid::fitted(
        &REGION_COLUMNS,
        table_area.width,
        all,
        theme.table_header,
        theme.selected,
    );
    let mut at = TableState::default().with_selected(Some(b.cursor));
    frame.render_stateful_widget(table, table_area, &mut at);
}

/// Step 2 and on: the plan, each item's status, and what is below it.
fn plan(frame: &mut Frame, inner: Rect, b: &RegionFailover, state: &AppState, theme: &Theme) {
    let items = b.items();
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(styled(
                format!(
                    "No API Management service in {}: nothing to fail over.",
                    b.lost
                ),
                theme.text,
            ))),
            inner,
        );
        return;
    }
    let rows = u16::try_from(items.len()).unwrap_or(u16::MAX);
    let (after, cursor) = below(b, state, theme);
    let room = usize::from(inner.width).max(1);
    let after_h: usize = after.iter().map(|l| wrap(&l.to_string(), room).len()).sum();
    // The table keeps its header and three rows; what is below gets the rest it needs.
    let below_h = u16::try_from(after_h + 1)
        .unwrap_or(u16::MAX)
        .min(inner.height.saturating_sub(4));
    let [table_area, bottom] = Layout::vertical([
        Constraint::Max(rows.saturating_add(1)),
        Constraint::Min(below_h),
    ])
    .areas(inner);
    let all: Vec<Vec<Span<'static>>> = items.iter().map(|i| cells(b, i, state, theme)).collect();
    let table = Grid::fitted(
        &PLAN_COLUMNS,
        table_area.width,
        all,
        theme.table_header,
        theme.selected,
    );
    let mut at = TableState::default().with_offset(usize::from(b.scroll));
    frame.render_stateful_widget(table, table_area, &mut at);
    text_under(frame, bottom, after, cursor);
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn the_regions_then_the_plan_with_the_words_to_type() {
        snap!("region_failover_pick", scenes::region_pick());
        snap!("region_failover_plan", scenes::region_plan());
    }

    #[test]
    fn each_restores_status_then_the_report() {
        snap!("region_failover_running", scenes::region_running());
        snap!("region_failover_done", scenes::region_done());
    }
}
