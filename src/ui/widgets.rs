//! Pieces several screens share: a titled pane, the loading / failed / empty placeholders that
//! stand in for a table, the stale and refreshing marks, and a selected table's state.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, TableState, Wrap};
use std::ops::Range;
use time::OffsetDateTime;

use super::layout::offset;
use super::text::clock;
use super::theme::Theme;
use crate::app::action::Action;
use crate::app::keymap::KeyContext;
use crate::app::loadable::{Listing, Loadable};
use crate::app::state::AppState;
use crate::domain::duration;
use crate::domain::error::UserError;

/// A bordered pane; the focused one is highlighted.
pub fn pane(title: Vec<Span<'static>>, focused: bool, theme: &Theme) -> Block<'static> {
    let (border, title_style) = if focused {
        (theme.border_focused, theme.pane_title_focused)
    } else {
        (theme.border, theme.pane_title)
    };
    let mut spans = vec![Span::styled(" ", title_style)];
    for s in title {
        let style = title_style.patch(s.style);
        spans.push(Span::styled(s.content, style));
    }
    spans.push(Span::styled(" ", title_style));
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(Line::from(spans))
}

/// A table state with `selected` visible in `visible` rows.
/// The rows a table `visible` rows high shows when `selected` is selected: the only rows worth
/// building (a list of 100 000 draws as fast as one of 40), and the table state for a table
/// built from them (selection relative to the window, no offset).
pub fn window(len: usize, selected: Option<usize>, visible: usize) -> (Range<usize>, TableState) {
    let start = selected.map_or(0, |s| offset(s, visible)).min(len);
    let end = if visible == 0 {
        len
    } else {
        (start + visible).min(len)
    };
    let state = TableState::new().with_selected(selected.map(|s| s.saturating_sub(start)));
    (start..end, state)
}

/// Table state that keeps `selected` in view in a table of every row.
pub fn table_state(selected: Option<usize>, visible: usize) -> TableState {
    let off = selected.map_or(0, |s| offset(s, visible));
    TableState::new().with_selected(selected).with_offset(off)
}

/// Marks for a pane title: "from cache, 3h old", then "refreshing…" or "stale since 12:03:10".
pub fn freshness_marks<T>(
    listing: &Listing<T>,
    now: OffsetDateTime,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    if listing.cached {
        out.push(Span::styled(
            format!(" · {}", cache_age(listing, now)),
            theme.error,
        ));
        if listing.refreshing_since.is_some() {
            out.push(Span::styled(" · refreshing…", theme.warn));
        }
    } else if listing.refreshing_since.is_some() {
        out.push(Span::styled(" · refreshing…", theme.warn));
    } else if listing.is_stale() {
        let when = listing.loaded_at.map(clock).unwrap_or_default();
        out.push(Span::styled(format!(" · stale since {when}"), theme.error));
    }
    out
}

/// "from cache, 3h old": the age of rows an earlier session loaded.
pub fn cache_age<T>(listing: &Listing<T>, now: OffsetDateTime) -> String {
    let age = listing
        .loaded_at
        .map_or_else(|| "?".to_owned(), |t| duration::short(now - t));
    format!("from cache, {age} old")
}

/// The placeholder for a listing that has no rows to show, or `None` when it has rows.
pub fn listing_placeholder<T>(
    listing: Option<&Listing<T>>,
    what: &str,
    now: OffsetDateTime,
    retry_key: Option<&str>,
    theme: &Theme,
) -> Option<Paragraph<'static>> {
    match listing.map(|l| &l.data) {
        None | Some(Loadable::NotRequested) => Some(centered_text(vec![Line::styled(
            format!("{what}: not loaded yet"),
            theme.muted,
        )])),
        Some(Loadable::Loading { since }) => {
            Some(loading(&format!("Loading {what}"), *since, now, theme))
        }
        Some(Loadable::Failed(e)) => Some(failed(e, retry_key, theme)),
        Some(Loadable::Loaded(_)) => None,
    }
}

/// "⟳ Loading services of Contoso Production… 3s" (`doing` is "Loading services of …").
pub fn loading(
    doing: &str,
    since: OffsetDateTime,
    now: OffsetDateTime,
    theme: &Theme,
) -> Paragraph<'static> {
    let waited = duration::short(now - since);
    centered_text(vec![Line::from(vec![
        Span::styled("⟳ ", theme.warn),
        Span::styled(format!("{doing}… "), theme.text),
        Span::styled(waited, theme.muted),
    ])])
}

/// The error, its detail, request id and hint, and how to retry.
pub fn failed(e: &UserError, retry_key: Option<&str>, theme: &Theme) -> Paragraph<'static> {
    let mut lines = vec![Line::from(vec![
        Span::styled("✖ ", theme.error),
        Span::styled(e.summary.clone(), theme.error),
    ])];
    let mut field = |label: &str, value: &Option<String>| {
        if let Some(v) = value {
            lines.push(Line::from(vec![
                Span::styled(format!("  {label:<11}"), theme.muted),
                Span::styled(v.clone(), theme.text),
            ]));
        }
    };
    field("detail", &e.detail);
    field("request id", &e.request_id);
    field("hint", &e.hint);
    if let Some(key) = retry_key {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(format!("  {key}"), theme.key),
            Span::styled(" retry", theme.hint),
        ]));
    }
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// Lines centred horizontally, a third of the way down.
pub fn centered_text(lines: Vec<Line<'static>>) -> Paragraph<'static> {
    Paragraph::new(lines)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
}

/// Renders a placeholder a little below the top of `area`.
pub fn render_placeholder(frame: &mut Frame, area: Rect, p: Paragraph<'static>) {
    let top = (area.height / 3).min(2);
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        x: area.x + 1.min(area.width),
        width: area.width.saturating_sub(2),
    };
    frame.render_widget(p, inner);
}

/// A label/value line for details panes: `Label     value`.
pub fn field(label: &str, value: Vec<Span<'static>>, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{label:<11} "), theme.muted)];
    spans.extend(value);
    Line::from(spans)
}

/// A label/value field whose value wraps under itself (hanging indent) within `width`.
pub fn field_wrapped(
    label: &str,
    value: &str,
    style: Style,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    super::text::wrap(value, width.saturating_sub(12))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 {
                format!("{label:<11} ")
            } else {
                " ".repeat(12)
            };
            Line::from(vec![
                Span::styled(head, theme.muted),
                Span::styled(part, style),
            ])
        })
        .collect()
}

/// The key bound to `action` in `ctx`, short form, for sentences ("enter continue"); `?` if
/// the keymap has none.
pub fn key_label(state: &AppState, ctx: KeyContext, action: &Action) -> String {
    state
        .keymap
        .key_for(ctx, action)
        .unwrap_or_else(|| "?".into())
}

/// What a typed confirmation says about the text typed so far: nothing yet, `✔ matches: {key}
/// {does}` (the key that submits in `ctx`), `… keep typing`, or `✖ {mismatch}`.
pub fn typed_check(
    state: &AppState,
    ctx: KeyContext,
    (expected, typed): (&str, &str),
    (does, mismatch): (&str, &str),
    theme: &Theme,
) -> Span<'static> {
    if typed.is_empty() {
        styled("", theme.muted)
    } else if typed == expected {
        let k = key_label(state, ctx, &Action::Submit);
        styled(format!("✔ matches: {k} {does}"), theme.ok)
    } else if expected.starts_with(typed) {
        styled("… keep typing", theme.muted)
    } else {
        styled(format!("✖ {mismatch}"), theme.error)
    }
}

/// A typed confirmation's lines: `Type {expected} {to_do}:`, the field with what was typed, and
/// [`typed_check`]'s word on it (`does`, `mismatch`); and where the field's cursor goes (line,
/// column), counted from the first of these lines.
pub fn typed_confirmation(
    state: &AppState,
    ctx: KeyContext,
    (expected, typed): (&str, &str),
    (to_do, does, mismatch): (&str, &str, &str),
    theme: &Theme,
) -> (Vec<Line<'static>>, (usize, usize)) {
    let lines = vec![
        Line::from(vec![
            styled("Type ", theme.text),
            styled(expected.to_owned(), theme.accent),
            styled(format!(" {to_do}:"), theme.text),
        ]),
        Line::from(vec![
            styled("> ", theme.key),
            styled(typed.to_owned(), theme.input),
        ]),
        Line::from(typed_check(
            state,
            ctx,
            (expected, typed),
            (does, mismatch),
            theme,
        )),
    ];
    (lines, (1, 2 + super::text::width(typed)))
}

/// Draws `lines` one row below the top of `area` (under a table), wrapped, with the terminal's
/// cursor at `cursor` (line, column) while a confirmation is typed there.
pub fn text_under(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    cursor: Option<(usize, usize)>,
) {
    let area = Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(1),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    if let Some(at) = cursor {
        cursor_at(frame, area, at);
    }
}

/// Puts the terminal's cursor at (line, column) of `area`, when that is inside it.
pub fn cursor_at(frame: &mut Frame, area: Rect, (line, col): (usize, usize)) {
    let x = area
        .x
        .saturating_add(u16::try_from(col).unwrap_or(u16::MAX));
    let y = area
        .y
        .saturating_add(u16::try_from(line).unwrap_or(u16::MAX));
    if x < area.right() && y < area.bottom() {
        frame.set_cursor_position(ratatui::layout::Position::new(x, y));
    }
}

/// A span in a style.
pub fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}
