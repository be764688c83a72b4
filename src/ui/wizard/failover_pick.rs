//! Failover steps 1–3: pick the backup, the region, the target service. Rows that cannot be
//! picked stay visible, greyed, with the reason (expired; tier mismatch in Azure's words; tier
//! cannot restore; busy; is the source).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::super::grid::{Column, Grid};
use super::super::layout::below_header;
use super::super::text::{age, ellipsize};
use super::super::theme::Theme;
use super::super::widgets::{centered_text, key_label, render_placeholder, styled, table_state};
use super::{areas, failover_summary_lines};
use crate::app::action::Action;
use crate::app::catalog::provenance;
use crate::app::failover::{
    FailoverStep, FailoverWizard, no_target_hint, region_rows, source_rows, standby_ask,
    target_rows, unknown_tier_hint,
};
use crate::app::keymap::KeyContext;
use crate::app::pairing::{STANDBY_TAG, is_paired, standby};
use crate::app::state::AppState;
use crate::domain::backup::{BackupEntry, Freshness};
use crate::domain::refusal::refused;
use crate::domain::region::same_region;

const SOURCE_COLUMNS: [Column; 6] = [
    Column::flex("Backup", 44, 0),
    Column::flex("Account", 16, 4),
    Column::fixed("Tier", 9, 2),
    Column::flex("Region", 13, 3),
    Column::fixed("Age", 8, 1),
    Column::fixed("Expires in", 11, 0),
];

const REGION_COLUMNS: [Column; 4] = [
    Column::flex("Region", 16, 0),
    Column::fixed("Services", 8, 1),
    Column::fixed("Can take it", 11, 0),
    Column::fixed("", 20, 0),
];

const TARGET_COLUMNS: [Column; 5] = [
    Column::flex("Service", 22, 0),
    Column::flex("Subscription", 20, 3),
    Column::fixed("Tier", 13, 1),
    Column::fixed("State", 10, 2),
    Column::flex("Why not", 20, 0),
];

fn split(content: Rect) -> (Rect, Rect, Rect) {
    let [intro, table, details] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(content);
    (intro, table, details)
}

/// The rows area of the current list step, its cursor and its length (for mouse clicks).
pub fn list_rows(body: Rect, state: &AppState, w: &FailoverWizard) -> Option<(Rect, usize, usize)> {
    let content = areas(body, failover_summary_lines(w)).content;
    let (_, table, _) = split(content);
    let rows = below_header(table);
    match w.step {
        FailoverStep::Source => Some((rows, w.source_cursor, source_rows(state, w).len())),
        FailoverStep::Region => Some((rows, w.region_cursor, region_rows(state, w).len())),
        FailoverStep::Target => Some((rows, w.target_cursor, target_rows(state, w).len())),
        _ => None,
    }
}

/// Draws steps 1–3.
pub fn render(
    frame: &mut Frame,
    content: Rect,
    state: &AppState,
    w: &FailoverWizard,
    theme: &Theme,
) {
    if let (FailoverStep::Target, Some(offer)) = (w.step, &w.standby) {
        super::failover_standby::render(frame, content, state, w, offer, theme);
        return;
    }
    let (intro, table_area, details) = split(content);
    let width = usize::from(content.width);
    let visible = usize::from(table_area.height.saturating_sub(1));
    let (intro_text, table, cursor, detail, empty) = match w.step {
        FailoverStep::Source => source(state, w, table_area.width, theme),
        FailoverStep::Region => region(state, w, table_area.width, theme),
        _ => target(state, w, table_area.width, theme),
    };
    frame.render_widget(
        Paragraph::new(styled(ellipsize(&intro_text, width), theme.text)),
        intro,
    );
    if let Some(text) = empty {
        render_placeholder(
            frame,
            table_area,
            centered_text(vec![Line::styled(text, theme.muted)]),
        );
        return;
    }
    let mut ts = table_state(Some(cursor), visible);
    frame.render_stateful_widget(table, table_area, &mut ts);
    frame.render_widget(Paragraph::new(detail).wrap(Wrap { trim: false }), details);
}

type Step = (String, Table<'static>, usize, Line<'static>, Option<String>);

fn table(
    rows: Vec<Row<'static>>,
    grid: &Grid,
    columns: &[Column],
    theme: &Theme,
) -> Table<'static> {
    grid.table(rows, columns, theme.table_header, theme.selected)
}

fn source(state: &AppState, w: &FailoverWizard, width: u16, theme: &Theme) -> Step {
    let rows = source_rows(state, w);
    let intro = match &w.origin {
        Some(o) => format!(
            "Pick the backup to restore: {}'s first, newest first.",
            o.name
        ),
        None => "Pick the backup to restore, newest first.".into(),
    };
    let cells: Vec<Vec<Span<'static>>> = rows
        .iter()
        .map(|r| {
            let b = r.entry;
            let base = if r.refusal.is_some() {
                theme.muted
            } else {
                theme.text
            };
            let freshness = b.freshness(state.now);
            let stranded = r.refusal.is_none() && no_target_hint(state, b).is_some();
            let status = match (&r.refusal, &freshness) {
                (None, _) if stranded => styled("⚠ no target", theme.warn),
                (Some(_), Freshness::Expired { .. }) | (None, _) => styled(
                    freshness.cell(),
                    match freshness {
                        Freshness::Fresh { .. } => base,
                        Freshness::ExpiringSoon { .. } => theme.warn,
                        Freshness::Expired { .. } | Freshness::Unknown => theme.muted,
                    },
                ),
                (Some(_), _) => styled("✖ unusable", theme.muted),
            };
            vec![
                styled(
                    format!("{}{}", if r.from_origin { "• " } else { "  " }, b.name),
                    base,
                ),
                styled(b.account.clone(), base),
                styled(
                    b.catalog
                        .source_sku
                        .as_ref()
                        .map_or_else(|| "unknown".into(), ToString::to_string),
                    base,
                ),
                styled(
                    b.catalog
                        .source_location
                        .clone()
                        .unwrap_or_else(|| "—".into()),
                    base,
                ),
                styled(age(b.created, state.now), base),
                status,
            ]
        })
        .collect();
    let grid = Grid::fit_rows(&SOURCE_COLUMNS, width, &cells);
    let cells = cells.into_iter().map(|c| grid.row(c)).collect();
    let detail = rows
        .get(w.source_cursor)
        .map_or_else(Line::default, |r| match &r.refusal {
            Some(why) => Line::from(styled(
                format!("✖ {}", refused("cannot be restored", why)),
                theme.error,
            )),
            None => Line::from(vec![
                styled(
                    hint(state, r.entry, None).map_or_else(String::new, |h| format!("⚠ {h} · ")),
                    theme.warn,
                ),
                styled(provenance(r.entry), theme.text),
                styled(
                    format!(
                        " · {} · {}",
                        r.entry.freshness(state.now).phrase(),
                        r.entry.display_ref()
                    ),
                    theme.muted,
                ),
            ]),
        });
    let empty = rows.is_empty().then(|| {
        "No backups loaded yet: they appear as the storage accounts are listed.".to_owned()
    });
    (
        intro,
        table(cells, &grid, &SOURCE_COLUMNS, theme),
        w.source_cursor,
        detail,
        empty,
    )
}

fn region(state: &AppState, w: &FailoverWizard, width: u16, theme: &Theme) -> Step {
    let rows = region_rows(state, w);
    let intro = "Pick the region to fail over to. The backup's own region is last.".to_owned();
    let standby = standby(state, w);
    let cells: Vec<Vec<Span<'static>>> = rows
        .iter()
        .map(|r| {
            let base = if r.eligible == 0 {
                theme.muted
            } else {
                theme.text
            };
            let note = if r.is_source {
                styled("source region", theme.warn)
            } else if r.eligible == 0 {
                styled("no eligible service", theme.muted)
            } else if standby.is_some_and(|s| same_region(&s.location, &r.name)) {
                styled("dr-standby here", theme.ok)
            } else if is_paired(state, w, &r.name) {
                styled("Azure's pair", base)
            } else {
                styled("", base)
            };
            vec![
                styled(r.name.clone(), base),
                styled(r.services.to_string(), base),
                styled(
                    r.eligible.to_string(),
                    if r.eligible > 0 {
                        theme.ok
                    } else {
                        theme.muted
                    },
                ),
                note,
            ]
        })
        .collect();
    let grid = Grid::fit_rows(&REGION_COLUMNS, width, &cells);
    let cells = cells.into_iter().map(|c| grid.row(c)).collect();
    let empty = rows
        .is_empty()
        .then(|| "No services loaded yet: no region to pick.".to_owned());
    let detail = w
        .source
        .as_ref()
        .and_then(|b| hint(state, b, None))
        .map_or_else(Line::default, |h| {
            Line::from(styled(format!("⚠ {h}"), theme.warn))
        });
    (
        intro,
        table(cells, &grid, &REGION_COLUMNS, theme),
        w.region_cursor,
        detail,
        empty,
    )
}

fn target(state: &AppState, w: &FailoverWizard, width: u16, theme: &Theme) -> Step {
    let rows = target_rows(state, w);
    let sku = w
        .source
        .as_ref()
        .and_then(|s| s.catalog.source_sku.as_ref())
        .map_or_else(|| "a classic tier".to_owned(), ToString::to_string);
    let intro = format!(
        "Pick the service to overwrite in {}. It must be {sku} and idle.",
        w.region.as_deref().unwrap_or("the region")
    );
    let standby = standby(state, w);
    let cells: Vec<Vec<Span<'static>>> = rows
        .iter()
        .map(|r| {
            let s = r.service;
            let base = if r.refusal.is_some() {
                theme.muted
            } else {
                theme.text
            };
            vec![
                styled(s.name.clone(), base),
                styled(state.subscription_name(&s.subscription_id).to_owned(), base),
                styled(format!("{} ×{}", s.sku, s.capacity), base),
                styled(
                    s.state_word().to_owned(),
                    if s.is_busy() { theme.warn } else { base },
                ),
                match &r.refusal {
                    Some(why) => styled(why.clone(), theme.muted),
                    None if standby.is_some_and(|t| t.id_is(&s.id())) => {
                        styled(format!("the source's {STANDBY_TAG}"), theme.ok)
                    }
                    None => styled("", theme.muted),
                },
            ]
        })
        .collect();
    let grid = Grid::fit_rows(&TARGET_COLUMNS, width, &cells);
    let cells = cells.into_iter().map(|c| grid.row(c)).collect();
    let offer = standby_ask(state, w).filter(|_| !state.read_only).map(|_| {
        if !crate::app::estate::services_complete(state) {
            return "not every service is listed yet: wait, or r, before creating a standby"
                .to_owned();
        }
        let k = key_label(state, KeyContext::Failover, &Action::Submit);
        format!("{k} offers to create a {sku} standby here")
    });
    let detail = rows.get(w.target_cursor).map_or_else(Line::default, |r| {
        if let (Some(_), Some(offer)) = (&r.refusal, &offer) {
            return Line::from(vec![
                styled("✖ no service here can take this backup · ", theme.error),
                styled(offer.clone(), theme.warn),
            ]);
        }
        if let Some(why) = &r.refusal {
            let subject = format!("{} cannot take this backup", r.service.name);
            return Line::from(styled(format!("✖ {}", refused(&subject, why)), theme.error));
        }
        let unknown = w
            .source
            .as_ref()
            .and_then(|b| unknown_tier_hint(state, b, w.region.as_deref()))
            .map_or_else(String::new, |h| format!(" · {h}"));
        Line::from(styled(
            format!(
                "{} will be overwritten by the backup{unknown}",
                r.service.name
            ),
            theme.warn,
        ))
    });
    let empty = rows.is_empty().then(|| match &offer {
        Some(o) => format!("No service in this region: {o}."),
        None => "No service in this region.".to_owned(),
    });
    (
        intro,
        table(cells, &grid, &TARGET_COLUMNS, theme),
        w.target_cursor,
        detail,
        empty,
    )
}

/// What the operator should know about a backup before going on: nobody outside its region
/// can take it, or its tier is unknown and these services could.
fn hint(state: &AppState, b: &BackupEntry, region: Option<&str>) -> Option<String> {
    no_target_hint(state, b).or_else(|| unknown_tier_hint(state, b, region))
}

#[cfg(test)]
mod tests {
    use super::super::super::scenes;
    use super::super::super::test_support::snap;

    #[test]
    fn failover_steps_one_to_three() {
        snap!("failover_1_backup", scenes::failover_step(0));
        snap!("failover_2_region", scenes::failover_step(1));
        snap!("failover_3_target", scenes::failover_step(2));
        snap!(
            "failover_3_target_refused",
            scenes::failover_target_refused()
        );
        snap!("failover_1_multi_region", scenes::failover_multi_region());
    }

    #[test]
    fn the_standby_offer_from_plan_to_creation() {
        snap!(
            "failover_3_standby_target",
            crate::app::fixtures::standby::standby_target_step()
        );
        snap!(
            "failover_3_standby_offer",
            crate::app::fixtures::standby::standby_offer()
        );
        snap!(
            "failover_3_standby_confirm",
            crate::app::fixtures::standby::standby_confirm()
        );
        snap!(
            "failover_3_standby_creating",
            crate::app::fixtures::standby::standby_creating()
        );
    }
}
