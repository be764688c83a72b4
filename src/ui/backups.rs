//! The backups screen: every blob grouped by storage account and container, newest first, with
//! source service, tier, region, created, age, expiry and size. Expired blobs stay visible,
//! greyed, with the reason; blobs without apim-dr's catalog say their tier is unknown.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::grid::{Column, Grid};
use super::layout::table_with_details;
use super::text::{age, ellipsize, full_date, short_date};
use super::theme::Theme;
use super::widgets::{cache_age, centered_text, pane, render_placeholder, styled, window};
use crate::app::action::Action;
use crate::app::catalog::{
    BackupLine, NO_CATALOG, expiry_refusal, human_size, provenance, selected_backup,
};
use crate::app::keymap::KeyContext;
use crate::app::loadable::{Listing, Loadable};
use crate::app::sort::Order;
use crate::app::state::AppState;
use crate::app::views;
use crate::domain::backup::{BackupEntry, Freshness};

const COLUMNS: [Column; 8] = [
    Column::flex("Blob", 44, 0),
    Column::flex("Source", 18, 4),
    Column::fixed("Tier", 9, 3),
    Column::flex("Region", 12, 7),
    Column::fixed("Created", 11, 6),
    Column::fixed("Age", 7, 2),
    Column::fixed("Expires in", 10, 1),
    Column::fixed("Size", 8, 5),
];

/// Where the backup rows are drawn: the table (with its header), the rows alone, the accounts
/// status line and the details strip. Shared with mouse hit-testing.
pub fn areas(area: Rect, state: &AppState) -> (Rect, Rect, Rect, Rect) {
    let status_rows = u16::from(!account_problems(state, &Theme::default()).is_empty());
    let [status, pane_area] =
        Layout::vertical([Constraint::Length(status_rows), Constraint::Min(0)]).areas(area);
    let (table, rows, info) = table_with_details(pane_area, 3);
    (table, rows, status, info)
}

/// Draws the backups screen.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if state.details
        && let Some(b) = selected_backup(state)
    {
        super::details::backup(frame, area, state, b, theme);
        return;
    }
    let visible = views::backups(state);
    let accounts = visible.accounts(state);
    let (table_area, rows_area, status, info) = areas(area, state);
    let pane_area = Rect {
        y: status.bottom(),
        height: area.height.saturating_sub(status.height),
        ..area
    };
    frame.render_widget(
        Paragraph::new(Line::from(account_problems(state, theme))),
        status,
    );
    let hidden = if state.order.hide_expired {
        " · expired hidden"
    } else {
        ""
    };
    let title = vec![Span::raw(format!(
        "Backups · {} blob(s) in {accounts} storage account(s){}{hidden}",
        visible.len(),
        state.order.backups.title(Order::DEFAULT.backups)
    ))];
    let block = pane(title, true, theme);
    let inner = block.inner(pane_area);
    frame.render_widget(block, pane_area);
    if visible.is_empty() {
        let text = if !state.filters.backups.is_empty() {
            format!(
                "No backup matches '{}'; esc clears the filter.",
                state.filters.backups
            )
        } else if state.storage_accounts.values().any(Listing::is_busy)
            || state.backups.values().any(Listing::is_busy)
        {
            "⟳ Looking for backups in the storage accounts…".to_owned()
        } else {
            "No backups found in the storage accounts visible to this identity.".to_owned()
        };
        render_placeholder(
            frame,
            inner,
            centered_text(vec![Line::styled(text, theme.muted)]),
        );
        return;
    }
    let selected =
        (state.cursors.backups < visible.len()).then(|| visible.line_of(state.cursors.backups));
    let (shown, mut ts) = window(
        visible.line_count(),
        selected,
        usize::from(rows_area.height),
    );
    let cells: Vec<Vec<Span<'static>>> = shown
        .filter_map(|l| visible.line(state, l))
        .map(|line| match line {
            BackupLine::Group {
                account,
                container,
                count,
            } => vec![styled(
                format!("{account} / {container} ({count})"),
                theme.group,
            )],
            BackupLine::Blob(i) => visible
                .get(state, i)
                .map(|b| blob_cells(b, state, theme))
                .unwrap_or_default(),
        })
        .collect();
    let grid = Grid::fit_rows(&COLUMNS, table_area.width, &cells);
    let rows: Vec<Row<'static>> = cells.into_iter().map(|c| grid.row(c)).collect();
    let table = grid.table(rows, &COLUMNS, theme.table_header, theme.selected);
    frame.render_stateful_widget(table, table_area, &mut ts);
    if let Some(b) = selected_backup(state) {
        frame.render_widget(
            Paragraph::new(details(b, state, theme, usize::from(info.width))),
            info,
        );
    }
}

fn blob_cells(b: &BackupEntry, state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let base = if b.is_expired(state.now) {
        theme.muted
    } else {
        theme.text
    };
    let c = &b.catalog;
    let (source, tier) = if c.source_sku.is_none() && c.source_service.is_none() {
        (
            styled("(no catalog)", theme.muted),
            styled("unknown", theme.muted),
        )
    } else {
        (
            styled(c.source_service_name().unwrap_or("?").to_owned(), base),
            styled(
                c.source_sku
                    .as_ref()
                    .map_or_else(|| "unknown".to_owned(), ToString::to_string),
                base,
            ),
        )
    };
    let freshness = b.freshness(state.now);
    let expires = styled(
        freshness.cell(),
        match freshness {
            Freshness::Expired { .. } | Freshness::Unknown => theme.muted,
            Freshness::ExpiringSoon { .. } => theme.warn,
            Freshness::Fresh { .. } => base,
        },
    );
    vec![
        styled(format!("  {}", b.name), base),
        source,
        tier,
        styled(
            c.source_location.clone().unwrap_or_else(|| "—".into()),
            base,
        ),
        styled(b.created.map_or_else(|| "—".into(), short_date), base),
        styled(age(b.created, state.now), base),
        expires,
        styled(human_size(b.size_bytes), base),
    ]
}

fn details(b: &BackupEntry, state: &AppState, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let first = Line::from(vec![styled(
        ellipsize(&b.display_ref(), width),
        theme.accent,
    )]);
    let prov = provenance(b);
    let prov_style = if prov == NO_CATALOG {
        theme.warn
    } else {
        theme.text
    };
    let created = b.created.map_or_else(
        || "creation time unknown".into(),
        |c| format!("created {}", full_date(c)),
    );
    let rest = format!(" · {} · {created}", human_size(b.size_bytes));
    let room = width.saturating_sub(super::text::width(&prov));
    let second = Line::from(vec![
        styled(prov, prov_style),
        styled(ellipsize(&rest, room), theme.muted),
    ]);
    let mut third = Vec::new();
    if let Some(why) = expiry_refusal(b, state.now) {
        third.push(styled(format!("✖ {why}"), theme.error));
    } else {
        third.push(styled(b.freshness(state.now).phrase(), theme.text));
        if let Some(k) = state
            .keymap
            .key_for(KeyContext::Backups, &Action::StartFailover)
        {
            third.push(styled(format!(" · {k} restores it"), theme.muted));
        }
    }
    vec![first, second, Line::from(third)]
}

/// "⟳ listing stcontosoweu… · ✖ stfoo: listing failed: …" for accounts without rows.
fn account_problems(state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    // Rows from the cache are said once, for every account they fill.
    if let Some(cached) = state.backups.values().find(|l| l.cached) {
        let refreshing = if state.backups.values().any(|l| l.cached && l.is_busy()) {
            "; refreshing…"
        } else {
            ""
        };
        out.push(styled(
            format!("⚠ backups {}{refreshing} ", cache_age(cached, state.now)),
            theme.warn,
        ));
    }
    for (account, listing) in &state.backups {
        let part = match &listing.data {
            _ if listing.cached => continue,
            Loadable::Loading { .. } => styled(format!("⟳ listing {account}… "), theme.warn),
            Loadable::Failed(e) => styled(format!("✖ {account}: {} ", e.one_line()), theme.error),
            _ if listing.is_stale() => {
                styled(format!("⚠ {account}: stale, refresh failed "), theme.warn)
            }
            _ => continue,
        };
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn backups_grouped_with_expired_and_no_catalog_blobs() {
        snap!("backups", scenes::backups());
        snap!(
            "backups_expired_selected",
            scenes::backups_expired_selected()
        );
        snap!("backups_sorted_no_expired", scenes::backups_sorted());
    }

    /// Issue 10: backups from the cache say so once, with their age, until fetched again.
    #[test]
    fn cached_backups_say_so() {
        snap!("backups_from_cache", scenes::backups_from_cache());
    }

    /// Issue 9, defect 9: on a wide terminal the blob, source and region are whole and no
    /// column takes ~100 empty columns.
    #[test]
    fn wide_backups_share_the_room() {
        super::super::test_support::snap_at!("backups", scenes::backups(), 200, 40);
    }

    /// Issue 9, defect 17: under a filter the title counted every loaded account.
    #[test]
    fn the_title_counts_what_the_filter_shows() {
        let mut state = scenes::backups();
        state.filters.backups = "stcontosoweu".into();
        let theme = crate::ui::theme::Theme::default_embedded();
        let terminal = super::super::test_support::draw(&state, &theme, 80, 24);
        let buf = terminal.backend().buffer();
        assert!(
            super::super::test_support::find(buf, "1 blob(s) in 1 storage account(s)").is_some(),
            "{buf:?}"
        );
    }
}
