//! [`Grid`]: table columns that fit the width. Columns have a minimum width and a priority; the
//! least important are dropped on narrow terminals and one flexible column takes what is left,
//! so tables read well at 80 columns and use the room at 200. Cells are cut with `…`.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::text::ellipsize;

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Width it needs.
    pub min: u16,
    /// Takes the room left over (the first flexible column only).
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
    /// Fits `columns` into `total` columns of screen.
    pub fn fit(columns: &[Column], total: u16) -> Self {
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
        let spare = total.saturating_sub(used);
        if let Some(i) = (0..columns.len()).find(|&i| columns[i].flex && widths[i].is_some()) {
            widths[i] = widths[i].map(|w| w + spare);
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

    #[test]
    fn narrow_tables_drop_the_least_important_columns() {
        let g = Grid::fit(&COLS, 40);
        assert_eq!(g.widths[2], None, "tier goes first");
        assert_eq!(g.widths[3], Some(7));
        assert_eq!(g.widths[0], Some(40 - 12 - 7 - 2));
        assert_eq!(Grid::fit(&COLS, 5).constraints(), vec![]);
    }
}
