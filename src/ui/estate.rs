//! The estate screen: subscriptions (name, state, service count) and the selected
//! subscription's APIM services (region, tier, state, newest backup and its age, and a ⊘ on
//! tiers that cannot be backed up), or every subscription's with a Subscription column (`0`,
//! `:all`), with a details strip for the selected service.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::grid::{Column, Grid};
use super::layout::{estate_panes, table_with_details};
use super::text::{age, ellipsize, short_date};
use super::theme::Theme;
use super::widgets::{
    centered_text, freshness_marks, listing_placeholder, pane, render_placeholder, styled,
    table_state, window,
};
use crate::app::action::Action;
use crate::app::catalog::{Coverage, backup_coverage};
use crate::app::estate::{
    ServiceRow, backup_refusal, selected_service, selected_subscription, services_progress,
    visible_subscriptions,
};
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::sort::Order;
use crate::app::state::{AppState, ListId, Pane};
use crate::app::views::{self, ServicesView};
use crate::domain::backup::Freshness;
use crate::domain::service::ServiceSummary;
use crate::domain::sku::BackupSupport;

const SUB_COLUMNS: [Column; 3] = [
    Column::flex("Subscription", 20, 0),
    Column::fixed("State", 8, 2),
    Column::fixed("Services", 8, 1),
];

const SERVICE_COLUMNS: [Column; 7] = [
    Column::fixed(" ", 1, 0),
    Column::flex("Service", 16, 0),
    Column::flex("Region", 13, 1),
    Column::fixed("Tier", 14, 1),
    Column::fixed("State", 10, 3),
    Column::fixed("Last backup", 11, 4),
    Column::fixed("Last backup age", 15, 2),
];

/// The services table of every subscription: a Subscription column after the name.
const ALL_SERVICE_COLUMNS: [Column; 8] = [
    Column::fixed(" ", 1, 0),
    Column::flex("Service", 16, 0),
    Column::flex("Subscription", 12, 1),
    Column::flex("Region", 13, 1),
    Column::fixed("Tier", 14, 1),
    Column::fixed("State", 10, 3),
    Column::fixed("Last backup", 11, 4),
    Column::fixed("Last backup age", 15, 2),
];

/// Draws the estate screen.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if state.details
        && state.focus == Pane::Services
        && let Some(svc) = selected_service(state)
    {
        super::details::service(frame, area, state, svc, theme);
        return;
    }
    if state.subscriptions.rows().is_none() {
        subscriptions(frame, area, state, theme);
        return;
    }
    let subs = visible_subscriptions(state);
    let (subs_area, services_area) = estate_panes(area, subs.len());
    subscriptions(frame, subs_area, state, theme);
    services(frame, services_area, state, theme);
}

fn retry_key(state: &AppState, ctx: KeyContext) -> Option<String> {
    state.keymap.key_for(ctx, &Action::Refresh)
}

fn subscriptions(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let focused = state.focus == Pane::Subscriptions;
    let subs = visible_subscriptions(state);
    let mut title = vec![Span::raw("Subscriptions")];
    if state.subscriptions.rows().is_some() {
        title.push(Span::raw(format!(" ({})", subs.len())));
    }
    title.extend(freshness_marks(&state.subscriptions, state.now, theme));
    let block = pane(title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let retry = retry_key(state, KeyContext::Subscriptions);
    if let Some(p) = listing_placeholder(
        Some(&state.subscriptions),
        "subscriptions",
        state.now,
        retry.as_deref(),
        theme,
    ) {
        render_placeholder(frame, inner, p);
        return;
    }
    if subs.is_empty() {
        let text = if state.filters.subscriptions.is_empty() {
            "No subscriptions are visible to this identity: check `az login` and its RBAC roles."
        } else {
            "No subscription matches the filter; esc clears it."
        };
        render_placeholder(
            frame,
            inner,
            centered_text(vec![Line::styled(text, theme.muted)]),
        );
        return;
    }
    let cells: Vec<_> = subs
        .iter()
        .map(|s| {
            let count = match state.services.get(&s.id).map(|l| &l.data) {
                Some(Loadable::Loaded(v)) => styled(v.len().to_string(), theme.text),
                Some(Loadable::Failed(_)) => styled("failed", theme.error),
                Some(Loadable::Loading { .. }) => styled("…", theme.muted),
                _ => styled("—", theme.muted),
            };
            let state_style = if s.state.eq_ignore_ascii_case("Enabled") {
                theme.text
            } else {
                theme.warn
            };
            vec![
                styled(s.name.clone(), theme.text),
                styled(s.state.clone(), state_style),
                count,
            ]
        })
        .collect();
    let grid = Grid::fit_rows(&SUB_COLUMNS, inner.width, &cells);
    let rows = cells.into_iter().map(|c| grid.row(c));
    let highlight = if focused {
        theme.selected
    } else {
        theme.accent
    };
    let table = grid.table(rows, &SUB_COLUMNS, theme.table_header, highlight);
    let mut ts = table_state(
        Some(state.cursors.subscriptions),
        usize::from(inner.height.saturating_sub(1)),
    );
    frame.render_stateful_widget(table, inner, &mut ts);
}

fn services(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let focused = state.focus == Pane::Services;
    let rows = views::services(state);
    if rows.is_all() {
        all_services(frame, area, state, &rows, theme);
        return;
    }
    let sub = selected_subscription(state);
    let listing = sub.and_then(|s| state.services.get(&s.id));
    let mut title = vec![Span::raw("Services")];
    if let Some(sub) = sub {
        title.push(Span::raw(format!(" · {}", sub.name)));
    }
    if listing.is_some_and(|l| l.rows().is_some()) {
        title.push(Span::raw(format!(" ({})", rows.len())));
    }
    title.push(Span::raw(
        state.order.services.title(Order::DEFAULT.services),
    ));
    if let Some(l) = listing {
        title.extend(freshness_marks(l, state.now, theme));
    }
    let block = pane(title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(sub) = sub else {
        let p = centered_text(vec![Line::styled(
            "Services appear here once a subscription is selected.",
            theme.muted,
        )]);
        render_placeholder(frame, inner, p);
        return;
    };
    let what = format!("services of {}", sub.name);
    let retry = retry_key(state, KeyContext::Services);
    if let Some(p) = listing_placeholder(listing, &what, state.now, retry.as_deref(), theme) {
        render_placeholder(frame, inner, p);
        return;
    }
    if rows.is_empty() {
        let text = if state.filters.get(ListId::Services).is_empty() {
            format!("No API Management services in {}.", sub.name)
        } else {
            "No service matches the filter; esc clears it.".to_owned()
        };
        render_placeholder(
            frame,
            inner,
            centered_text(vec![Line::styled(text, theme.muted)]),
        );
        return;
    }
    service_table(frame, area, state, &rows, theme);
}

/// The services pane showing every subscription's services: the title says so and how many
/// subscriptions are not in yet or failed; a subscription still loading is never "no services".
fn all_services(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    rows: &ServicesView,
    theme: &Theme,
) {
    let progress = services_progress(state);
    let mut title = vec![Span::raw(format!(
        "Services · all subscriptions ({})",
        rows.len()
    ))];
    title.push(Span::raw(
        state.order.services.title(Order::DEFAULT.services),
    ));
    if progress.loading > 0 {
        title.push(styled(
            format!(" · {} of {} loading…", progress.loading, progress.total),
            theme.warn,
        ));
    }
    if progress.failed > 0 {
        title.push(styled(
            format!(" · {} failed", progress.failed),
            theme.error,
        ));
    }
    // Rows from the cache, or being refreshed, or stale: said as for one subscription.
    let listings = || {
        state
            .subscriptions
            .rows()
            .into_iter()
            .flatten()
            .filter_map(|s| state.services.get(&s.id))
    };
    let marked = listings()
        .find(|l| l.cached)
        .or_else(|| listings().find(|l| l.refreshing_since.is_some()))
        .or_else(|| listings().find(|l| l.is_stale()));
    if let Some(l) = marked {
        title.extend(freshness_marks(l, state.now, theme));
    }
    let block = pane(title, state.focus == Pane::Services, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        let retry = retry_key(state, KeyContext::Services)
            .map(|k| format!("; {k} retries"))
            .unwrap_or_default();
        let text = if !state.filters.get(ListId::Services).is_empty() {
            "No service matches the filter; esc clears it.".to_owned()
        } else if progress.loading > 0 {
            format!(
                "Loading the services of {} of {} subscriptions…",
                progress.loading, progress.total
            )
        } else if progress.failed > 0 {
            format!(
                "No services in the subscriptions listed; {} could not be listed{retry}.",
                progress.failed
            )
        } else {
            "No API Management services in any subscription.".to_owned()
        };
        let mut lines = vec![Line::styled(text, theme.muted)];
        if progress.loading > 0 && !state.filters.get(ListId::Services).is_empty() {
            lines.push(Line::styled(
                format!(
                    "{} of {} subscriptions still loading.",
                    progress.loading, progress.total
                ),
                theme.warn,
            ));
        }
        render_placeholder(frame, inner, centered_text(lines));
        return;
    }
    service_table(frame, area, state, rows, theme);
}

/// The services table's visible window and the selected service's details strip.
fn service_table(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    rows: &ServicesView,
    theme: &Theme,
) {
    let all = rows.is_all();
    let columns: &[Column] = if all {
        &ALL_SERVICE_COLUMNS
    } else {
        &SERVICE_COLUMNS
    };
    let (table_area, rows_area, info) = table_with_details(area, 2);
    let (shown, mut ts) = window(
        rows.len(),
        Some(state.cursors.services),
        usize::from(rows_area.height),
    );
    let coverage = backup_coverage(state);
    let cells: Vec<_> = rows
        .rows(state, shown)
        .iter()
        .map(|r| {
            let mut cells = service_cells(r, coverage, state, theme);
            if all {
                cells.insert(2, styled(r.subscription.to_owned(), theme.text));
            }
            cells
        })
        .collect();
    let grid = Grid::fit_rows(columns, table_area.width, &cells);
    let table_rows = cells.into_iter().map(|c| grid.row(c));
    let highlight = if state.focus == Pane::Services {
        theme.selected
    } else {
        theme.accent
    };
    let table = grid.table(table_rows, columns, theme.table_header, highlight);
    frame.render_stateful_widget(table, table_area, &mut ts);
    if let Some(row) = rows.row(state, state.cursors.services) {
        let lines = details(&row, state, theme, usize::from(info.width));
        frame.render_widget(Paragraph::new(lines), info);
    }
}

fn tier(svc: &ServiceSummary) -> String {
    if svc.capacity == 0 {
        svc.sku.to_string()
    } else {
        format!("{} ×{}", svc.sku, svc.capacity)
    }
}

/// A service's cells. Its last backup says "none" (and its age "—") only when every backup
/// listing is in (`coverage`): "…" while they load, "?" when one failed, as a missing backup
/// may be there.
fn service_cells(
    r: &ServiceRow<'_>,
    coverage: Coverage,
    state: &AppState,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let svc = r.service;
    let (mark, tier_style) = match svc.sku.backup_support() {
        BackupSupport::Supported => (styled(" ", theme.text), theme.text),
        BackupSupport::Unsupported(_) => (styled("⊘", theme.warn), theme.muted),
        BackupSupport::Unknown(_) => (styled("?", theme.warn), theme.text),
    };
    let state_word = svc.state_word();
    let state_style = if svc.is_busy() {
        theme.warn
    } else if state_word.eq_ignore_ascii_case("Failed") {
        theme.error
    } else {
        theme.ok
    };
    let (last, age_cell) = match r.newest {
        Some(b) => {
            // Expired says so in a symbol too, not only in colour (NO_COLOR shows it).
            let expired = matches!(b.freshness(state.now), Freshness::Expired { .. });
            let mark = if expired { "✖ " } else { "" };
            let style = match b.freshness(state.now) {
                Freshness::Expired { .. } => theme.error,
                _ if b
                    .age(state.now)
                    .is_some_and(|a| a > time::Duration::days(1)) =>
                {
                    theme.warn
                }
                _ => theme.text,
            };
            (
                styled(b.created.map(short_date).unwrap_or_default(), theme.text),
                styled(format!("{mark}{}", age(b.created, state.now)), style),
            )
        }
        None if svc.sku.can_back_up() => match coverage {
            Coverage::Complete => (styled("none", theme.warn), styled("—", theme.muted)),
            Coverage::Loading => (styled("…", theme.muted), styled("…", theme.muted)),
            Coverage::Partial => (styled("?", theme.warn), styled("?", theme.warn)),
        },
        None => (styled("—", theme.muted), styled("—", theme.muted)),
    };
    vec![
        mark,
        styled(svc.name.clone(), theme.text),
        styled(svc.location.clone(), theme.text),
        styled(tier(svc), tier_style),
        styled(state_word.to_owned(), state_style),
        last,
        age_cell,
    ]
}

fn details(
    row: &ServiceRow<'_>,
    state: &AppState,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let svc = row.service;
    let mut first = vec![
        styled(svc.name.clone(), theme.accent),
        styled(format!(" · {}", svc.resource_group), theme.muted),
    ];
    if let Some(url) = svc.gateway_url() {
        first.push(styled(format!(" · {url}"), theme.muted));
    }
    if svc.is_busy() {
        first.push(styled(
            format!(" · busy: {}", svc.provisioning_state),
            theme.warn,
        ));
    }
    let second = if let Some(why) = backup_refusal(svc) {
        vec![styled(
            ellipsize(&format!("⊘ no backup or restore: {why}"), width),
            theme.warn,
        )]
    } else if let Some(b) = row.newest {
        let head = format!(
            "newest backup {} old · {} · ",
            age(b.created, state.now),
            b.freshness(state.now).phrase()
        );
        let room = width.saturating_sub(super::text::width(&head));
        vec![
            styled(head, theme.muted),
            styled(ellipsize(&b.display_ref(), room), theme.text),
        ]
    } else {
        let key = state
            .keymap
            .key_for(KeyContext::Services, &Action::StartBackup);
        let tail = key
            .map(|k| format!(": press {k} to take one"))
            .unwrap_or_default();
        vec![styled(
            format!("no backup in the loaded storage accounts{tail}"),
            theme.warn,
        )]
    };
    vec![Line::from(first), Line::from(second)]
}

#[cfg(test)]
mod tests;
