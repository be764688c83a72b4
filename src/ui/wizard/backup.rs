//! The backup wizard's steps: storage account, container (or a new one), blob name, review.
//! The review warns when the blob exists and would be overwritten.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

use super::super::grid::{Column, Grid};
use super::super::layout::below_header;
use super::super::text::{ellipsize, short_date, width};
use super::super::theme::Theme;
use super::super::widgets::{
    centered_text, failed, loading, render_placeholder, styled, table_state,
};
use super::areas;
use super::failover_review::checklist;
use crate::app::backup_wizard::{
    BackupStep, BackupWizard, account_rows, blob_exists, container_rows, containers_loadable,
};
use crate::app::catalog::{access_for, access_phrase};
use crate::app::estate::region_name;
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::domain::estimate::estimate;
use crate::domain::operation::OperationKind;
use crate::domain::region::same_region;

const ACCOUNT_COLUMNS: [Column; 4] = [
    Column::flex("Storage account", 24, 0),
    Column::flex("Subscription", 20, 2),
    Column::flex("Region", 14, 1),
    Column::flex("", 14, 0),
];

const CONTAINER_COLUMNS: [Column; 3] = [
    Column::flex("Container", 24, 0),
    Column::fixed("Backups", 8, 1),
    Column::fixed("Newest", 11, 2),
];

/// The summary lines above the step.
pub fn summary(state: &AppState, w: &BackupWizard, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        styled("Service  ", theme.muted),
        styled(w.service.name.clone(), theme.accent),
        styled(
            format!(
                " · {} · {} ×{}",
                w.service.location, w.service.sku, w.service.capacity
            ),
            theme.muted,
        ),
    ])];
    if let Some(a) = &w.account
        && w.step > BackupStep::Account
    {
        let container = match (&w.container, w.step > BackupStep::NewContainer) {
            (Some(c), true) => format!(" / {c}"),
            _ => String::new(),
        };
        lines.push(Line::from(vec![
            styled("Into     ", theme.muted),
            styled(format!("{}{container}", a.name), theme.accent),
            styled(
                format!(" · {}", region_name(state, &a.location)),
                theme.muted,
            ),
        ]));
    }
    lines
}

fn split(content: Rect) -> (Rect, Rect) {
    let [intro, rest] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(content);
    (intro, rest)
}

/// The rows area of the current list step, its cursor and its length (for mouse clicks).
pub fn list_rows(body: Rect, state: &AppState, w: &BackupWizard) -> Option<(Rect, usize, usize)> {
    let summary_lines = 1 + u16::from(w.account.is_some() && w.step > BackupStep::Account);
    let (_, table) = split(areas(body, summary_lines).content);
    let rows = below_header(table);
    match w.step {
        BackupStep::Account => Some((rows, w.account_cursor, account_rows(state).len())),
        BackupStep::Container => {
            Some((rows, w.container_cursor, container_rows(state, w).len() + 1))
        }
        _ => None,
    }
}

/// Draws the current step.
pub fn render(frame: &mut Frame, content: Rect, state: &AppState, w: &BackupWizard, theme: &Theme) {
    let (intro, rest) = split(content);
    let say = |frame: &mut Frame, text: String| {
        frame.render_widget(
            Paragraph::new(styled(text, theme.text)).wrap(Wrap { trim: false }),
            intro,
        );
    };
    match w.step {
        BackupStep::Account => {
            say(frame, "Pick the storage account to write the backup to. Keep it outside the service's region: a regional outage takes both.".into());
            accounts(frame, rest, state, w, theme);
        }
        BackupStep::Container => {
            say(
                frame,
                "Pick a container, or create a new one (the last row).".into(),
            );
            containers(frame, rest, state, w, theme);
        }
        BackupStep::NewContainer => {
            say(
                frame,
                "Name the new container: 3-63 lowercase letters, digits and single hyphens.".into(),
            );
            input(frame, rest, "Container", &w.new_container, theme);
        }
        BackupStep::Name => {
            say(frame, "Name the blob. The default is the service and a UTC timestamp, so names sort by time.".into());
            input(frame, rest, "Blob", &w.blob, theme);
            if blob_exists(state, w) {
                let warn = Rect {
                    y: rest.y + 2,
                    height: 1.min(rest.height.saturating_sub(2)),
                    ..rest
                };
                frame.render_widget(
                    Paragraph::new(styled(
                        "⚠ a blob with this name exists: the backup would overwrite it",
                        theme.warn,
                    )),
                    warn,
                );
            }
        }
        BackupStep::Review => {
            say(
                frame,
                "Review and start. A backup does not change the service, which keeps serving traffic; configuration changed while it runs may be left out."
                    .into(),
            );
            review(frame, rest, state, w, theme);
        }
    }
}

fn accounts(frame: &mut Frame, area: Rect, state: &AppState, w: &BackupWizard, theme: &Theme) {
    let rows = account_rows(state);
    if rows.is_empty() {
        let text = "No storage accounts loaded yet: they appear as subscriptions are listed.";
        render_placeholder(
            frame,
            area,
            centered_text(vec![Line::styled(text, theme.muted)]),
        );
        return;
    }
    let cells: Vec<Vec<Span<'static>>> = rows
        .iter()
        .map(|a| {
            let note = if same_region(&a.location, &w.service.location) {
                styled("⚠ same region", theme.warn)
            } else if a.shared_key_disabled {
                styled("Shared Key disabled", theme.warn)
            } else {
                styled("", theme.text)
            };
            vec![
                styled(a.name.clone(), theme.text),
                styled(
                    state.subscription_name(&a.subscription_id).to_owned(),
                    theme.text,
                ),
                styled(region_name(state, &a.location), theme.text),
                note,
            ]
        })
        .collect();
    let grid = Grid::fit_rows(&ACCOUNT_COLUMNS, area.width, &cells);
    let cells: Vec<Row<'static>> = cells.into_iter().map(|c| grid.row(c)).collect();
    let table = grid.table(cells, &ACCOUNT_COLUMNS, theme.table_header, theme.selected);
    let mut ts = table_state(
        Some(w.account_cursor),
        usize::from(area.height.saturating_sub(1)),
    );
    frame.render_stateful_widget(table, area, &mut ts);
}

fn containers(frame: &mut Frame, area: Rect, state: &AppState, w: &BackupWizard, theme: &Theme) {
    match containers_loadable(state, w) {
        Some(Loadable::Loading { since }) => {
            render_placeholder(
                frame,
                area,
                loading("Loading containers", *since, state.now, theme),
            );
            return;
        }
        Some(Loadable::Failed(e)) => {
            frame.render_widget(failed(e, None, theme), area);
            return;
        }
        _ => {}
    }
    let cells: Vec<Vec<Span<'static>>> = container_rows(state, w)
        .iter()
        .map(|c| {
            let newest = c.backups.iter().filter_map(|b| b.created).max();
            vec![
                styled(c.container.clone(), theme.text),
                styled(c.backups.len().to_string(), theme.text),
                styled(newest.map_or_else(|| "—".into(), short_date), theme.text),
            ]
        })
        .collect();
    let grid = Grid::fit_rows(&CONTAINER_COLUMNS, area.width, &cells);
    let mut cells: Vec<Row<'static>> = cells.into_iter().map(|c| grid.row(c)).collect();
    cells.push(grid.row(vec![styled("+ new container…", theme.accent)]));
    let table = grid.table(
        cells,
        &CONTAINER_COLUMNS,
        theme.table_header,
        theme.selected,
    );
    let mut ts = table_state(
        Some(w.container_cursor),
        usize::from(area.height.saturating_sub(1)),
    );
    frame.render_stateful_widget(table, area, &mut ts);
}

fn input(frame: &mut Frame, area: Rect, label: &str, text: &str, theme: &Theme) {
    let prefix = format!("{label}: ");
    let room = usize::from(area.width).saturating_sub(width(&prefix) + 1);
    let shown = if width(text) > room {
        let skip = text.chars().count().saturating_sub(room);
        text.chars().skip(skip).collect()
    } else {
        text.to_owned()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            styled(prefix.clone(), theme.muted),
            styled(shown.clone(), theme.input),
        ])),
        area,
    );
    let x = area
        .x
        .saturating_add(u16::try_from(width(&prefix) + width(&shown)).unwrap_or(u16::MAX));
    if area.height > 0 && x < area.right() {
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// Step 4: the blob, the access and the estimate, then the pre-flight checklist (each check
/// with its status, reason and fix) and the key that starts the backup.
fn review(frame: &mut Frame, area: Rect, state: &AppState, w: &BackupWizard, theme: &Theme) {
    let room = usize::from(area.width).saturating_sub(10);
    let mut lines = vec![
        Line::from(vec![
            styled("Blob      ", theme.muted),
            styled(ellipsize(&w.blob, room), theme.accent),
        ]),
        Line::from(vec![
            styled("Access    ", theme.muted),
            styled(
                access_phrase(&access_for(
                    state,
                    w.account.as_ref().map_or("", |a| a.name.as_str()),
                )),
                theme.text,
            ),
        ]),
    ];
    let service_id = w.service.service_id();
    let e = estimate(
        &state.history,
        OperationKind::Backup,
        Some(&w.service.sku),
        service_id.as_ref(),
    );
    lines.push(Line::from(vec![
        styled("Duration  ", theme.muted),
        styled(format!("{} ({})", e.phrase(), e.basis_text()), theme.text),
    ]));
    lines.push(Line::default());
    let head = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let [top, checks] =
        Layout::vertical([Constraint::Length(head), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), top);
    match &w.preflight {
        Loadable::NotRequested => {}
        Loadable::Loading { since } => render_placeholder(
            frame,
            checks,
            loading("Running pre-flight checks", *since, state.now, theme),
        ),
        Loadable::Failed(e) => frame.render_widget(failed(e, None, theme), checks),
        Loadable::Loaded(r) => checklist(
            frame,
            checks,
            state,
            (&r.verdict, w.preflight_scroll, KeyContext::BackupReview),
            theme,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::scenes;
    use super::super::super::test_support::snap;

    #[test]
    fn backup_wizard_steps() {
        snap!("backup_1_account", scenes::backup_step(0));
        snap!("backup_2_container", scenes::backup_step(1));
        snap!("backup_3_name", scenes::backup_step(2));
        snap!("backup_3_name_overwrites", scenes::backup_overwrite());
        snap!("backup_4_review", scenes::backup_step(3));
        snap!(
            "backup_4_review_overwrites",
            scenes::backup_review_overwrite()
        );
        snap!("backup_4_review_checked", scenes::backup_review_checked());
        snap!("backup_4_review_blocked", scenes::backup_review_blocked());
    }
}
