//! The top-level layout, shared by `render` and mouse hit-testing so both agree on where
//! things are.

use ratatui::layout::{Constraint, Layout, Rect};

/// The fixed rows around the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chrome {
    /// Name, context, live operations, clock.
    pub header: Rect,
    /// Breadcrumbs and the active filter.
    pub crumbs: Rect,
    /// The screen or wizard.
    pub body: Rect,
    /// The flash line, or the prompt while typing a filter or a command.
    pub status: Rect,
    /// Key hints.
    pub footer: Rect,
}

/// Splits the terminal into header, breadcrumbs, body, status line (`status_rows` high: 1, or
/// 2 for a long flash) and footer.
pub fn chrome(area: Rect, status_rows: u16) -> Chrome {
    let [header, crumbs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(status_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    Chrome {
        header,
        crumbs,
        body,
        status,
        footer,
    }
}

/// True when the estate panes sit side by side (wide terminals); stacked otherwise.
pub fn estate_side_by_side(body: Rect) -> bool {
    body.width >= 110
}

/// The estate's two panes: subscriptions, services.
pub fn estate_panes(body: Rect, subscriptions: usize) -> (Rect, Rect) {
    if estate_side_by_side(body) {
        let [subs, services] =
            Layout::horizontal([Constraint::Length(36), Constraint::Min(0)]).areas(body);
        (subs, services)
    } else {
        let rows = u16::try_from(subscriptions).unwrap_or(u16::MAX).clamp(1, 5);
        let [subs, services] =
            Layout::vertical([Constraint::Length(rows + 3), Constraint::Min(0)]).areas(body);
        (subs, services)
    }
}

/// A table inside a bordered pane with `details` lines of details at the bottom: the rows
/// area (under the header row) and the details area.
pub fn table_with_details(pane: Rect, details: u16) -> (Rect, Rect, Rect) {
    let inner = pane.inner(ratatui::layout::Margin::new(1, 1));
    let [table, info] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(details)]).areas(inner);
    (table, below_header(table), info)
}

/// The rows of a table drawn in `table`: everything under its header row.
pub fn below_header(table: Rect) -> Rect {
    Rect {
        y: table.y.saturating_add(1).min(table.bottom()),
        height: table.height.saturating_sub(1),
        ..table
    }
}

/// The first visible row when `selected` must be visible in `visible` rows (as ratatui's
/// `Table` scrolls from offset 0).
pub fn offset(selected: usize, visible: usize) -> usize {
    if visible == 0 {
        return selected;
    }
    (selected + 1).saturating_sub(visible)
}

/// A `width`×`height` box centred in `area`, clamped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_keep_the_selection_visible() {
        assert_eq!(offset(0, 10), 0);
        assert_eq!(offset(9, 10), 0);
        assert_eq!(offset(10, 10), 1);
        assert_eq!(offset(3, 0), 3);
    }

    #[test]
    fn tiny_areas_do_not_underflow() {
        let c = centered(Rect::new(0, 0, 3, 2), 50, 10);
        assert_eq!(c, Rect::new(0, 0, 3, 2));
        let (table, rows, info) = table_with_details(Rect::new(0, 0, 1, 1), 2);
        assert_eq!((table.height, rows.height, info.height), (0, 0, 0));
    }
}
