//! [`Grid`]: table columns that fit the width. Columns have a minimum width and a priority; the
//! least important are dropped on narrow terminals. Fixed columns (dates, ages, sizes) keep
//! their width; flexible ones (names, ids, regions) grow towards the widest cell they hold,
//! sharing the spare room evenly, so no one column swallows a wide terminal while another is
//! cut. Room nobody needs stays at the right. Cells are cut with `…`.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::text::{ellipsize, width};

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Width it needs.
    pub min: u16,
    /// Grows towards its widest cell when there is room.
    pub flex: bool,
    /// 0 is kept first; higher numbers are dropped first.
    pub priority: u8,
}

impl Column {
    /// A fixed-width column.
    pub const fn fixed(title: &'static str, min: u16, priority: u8) -> Self {
        Self {
            title,
            min,
            flex: false,
            priority,
        }
    }

    /// A column that grows.
    pub const fn flex(title: &'static str, min: u16, priority: u8) -> Self {
        Self {
            title,
            min,
            flex: true,
            priority,
        }
    }
}

/// Column widths chosen for one width; `None` means the column is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    widths: Vec<Option<u16>>,
}

/// Space between columns.
pub const SPACING: u16 = 1;

impl Grid {
    /// Fits `columns` into `total` columns of screen without looking at the cells: the
    /// flexible columns share the spare room evenly.
    pub fn fit(columns: &[Column], total: u16) -> Self {
        Self::fit_to(columns, total, &vec![u16::MAX; columns.len()])
    }

    /// Fits `columns` into `total` columns, each flexible column growing towards the widest
    /// of its cells in `rows` (one span per column, as for [`Grid::row`]).
    pub fn fit_rows(columns: &[Column], total: u16, rows: &[Vec<Span<'static>>]) -> Self {
        let mut wants: Vec<u16> = columns.iter().map(|c| cell_width(c.title)).collect();
        for row in rows {
            for (want, span) in wants.iter_mut().zip(row) {
                *want = (*want).max(cell_width(&span.content));
            }
        }
        Self::fit_to(columns, total, &wants)
    }

    /// Drops the least important columns until the rest fit at their minimum, then shares
    /// the spare room between the flexible columns, each capped at its `wants`.
    fn fit_to(columns: &[Column], total: u16, wants: &[u16]) -> Self {
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&i| (columns[i].priority, i));
        let mut widths = vec![None; columns.len()];
        let mut used: u16 = 0;
        for i in order {
            let need = columns[i].min + if used == 0 { 0 } else { SPACING };
            if used + need <= total {
                widths[i] = Some(columns[i].min);
                used += need;
            }
        }
        let mut spare = total.saturating_sub(used);
        loop {
            let hungry: Vec<usize> = (0..columns.len())
                .filter(|&i| columns[i].flex && widths[i].is_some_and(|w| w < wants[i]))
                .collect();
            let Ok(count) = u16::try_from(hungry.len()) else {
                break;
            };
            if count == 0 || spare == 0 {
                break;
            }
            // Each hungry column gets an even share (the first ones one more when it does
            // not divide), no more than it wants; what a sated column leaves goes round again.
            let even = spare / count;
            let extra = spare % count;
            for (n, &i) in hungry.iter().enumerate() {
                let offer = even + u16::from(u16::try_from(n).unwrap_or(u16::MAX) < extra);
                let w = widths[i].unwrap_or(0);
                let take = offer.min(wants[i] - w);
                widths[i] = Some(w + take);
                spare -= take;
            }
        }
        Self { widths }
    }

    /// The constraints for `Table::new`.
    pub fn constraints(&self) -> Vec<Constraint> {
        self.widths
            .iter()
            .flatten()
            .map(|w| Constraint::Length(*w))
            .collect()
    }

    /// The header row.
    pub fn header(&self, columns: &[Column], style: Style) -> Row<'static> {
        let cells = columns.iter().map(|c| Span::raw(c.title)).collect();
        self.row(cells).style(style)
    }

    /// A table of `rows` under the header row, `highlight` on the selected row.
    pub fn table(
        &self,
        rows: impl IntoIterator<Item = Row<'static>>,
        columns: &[Column],
        header: Style,
        highlight: Style,
    ) -> Table<'static> {
        Table::new(rows, self.constraints())
            .header(self.header(columns, header))
            .column_spacing(SPACING)
            .row_highlight_style(highlight)
    }

    /// A table of `rows` (one span per column) under the header row, its columns fitted to
    /// `total` columns of screen and to the cells.
    pub fn fitted(
        columns: &[Column],
        total: u16,
        rows: Vec<Vec<Span<'static>>>,
        header: Style,
        highlight: Style,
    ) -> Table<'static> {
        let grid = Self::fit_rows(columns, total, &rows);
        grid.table(
            rows.into_iter().map(|c| grid.row(c)),
            columns,
            header,
            highlight,
        )
    }

    /// A row from one span per column (dropped columns are skipped, long text cut).
    pub fn row(&self, cells: Vec<Span<'static>>) -> Row<'static> {
        Row::new(cells.into_iter().zip(&self.widths).filter_map(|(span, w)| {
            w.map(|w| {
                let text = ellipsize(&span.content, usize::from(w));
                Cell::from(Line::from(Span::styled(text, span.style)))
            })
        }))
    }
}

/// A cell's width on screen, as a column width.
fn cell_width(s: &str) -> u16 {
    u16::try_from(width(s)).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 4] = [
        Column::flex("Name", 16, 0),
        Column::fixed("Region", 12, 1),
        Column::fixed("Tier", 11, 3),
        Column::fixed("Age", 7, 2),
    ];

    #[test]
    fn wide_tables_keep_everything_and_grow_the_flexible_column() {
        let g = Grid::fit(&COLS, 80);
        assert_eq!(g.widths[0], Some(80 - 12 - 11 - 7 - 3));
        assert_eq!(g.widths[2], Some(11));
    }

    fn cells(texts: [&str; 4]) -> Vec<Span<'static>> {
        texts.iter().map(|t| Span::raw((*t).to_owned())).collect()
    }

    /// Issue 9, defect 9: at 200 columns one column took ~100 empty columns while the others
    /// were cut. Flexible columns now grow to their widest cell, sharing the room.
    #[test]
    fn wide_tables_give_each_flexible_column_its_content_and_leave_the_rest() {
        let cols = [
            Column::flex("Name", 16, 0),
            Column::flex("Region", 8, 1),
            Column::fixed("Tier", 11, 3),
            Column::fixed("Age", 7, 2),
        ];
        let rows = vec![
            cells([
                "apim-contoso-prod-weu",
                "Germany West Central",
                "Premium",
                "3d",
            ]),
            cells(["apim-b", "West Europe", "Developer", "1h"]),
        ];
        let g = Grid::fit_rows(&cols, 200, &rows);
        assert_eq!(g.widths, vec![Some(21), Some(20), Some(11), Some(7)]);
    }

    #[test]
    fn tight_room_is_shared_evenly_between_the_flexible_columns() {
        let cols = [
            Column::flex("Name", 10, 0),
            Column::flex("Source", 10, 1),
            Column::fixed("Age", 5, 2),
        ];
        let long = "x".repeat(100);
        let rows = vec![vec![
            Span::raw(long.clone()),
            Span::raw(long),
            Span::raw("1d"),
        ]];
        // 10 + 10 + 5 + 2 spaces = 27; 13 spare: 7 and 6.
        let g = Grid::fit_rows(&cols, 40, &rows);
        assert_eq!(g.widths, vec![Some(17), Some(16), Some(5)]);
        // A short column takes only what it needs; the other gets the rest.
        let rows = vec![vec![
            Span::raw("x".repeat(100)),
            Span::raw("short"),
            Span::raw("1d"),
        ]];
        let g = Grid::fit_rows(&cols, 40, &rows);
        assert_eq!(g.widths, vec![Some(23), Some(10), Some(5)]);
    }

    #[test]
    fn narrow_tables_drop_the_least_important_columns() {
        let g = Grid::fit(&COLS, 40);
        assert_eq!(g.widths[2], None, "tier goes first");
        assert_eq!(g.widths[3], Some(7));
        assert_eq!(g.widths[0], Some(40 - 12 - 7 - 2));
        assert_eq!(Grid::fit(&COLS, 5).constraints(), vec![]);
    }
}
