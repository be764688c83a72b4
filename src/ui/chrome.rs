//! The rows around the body: header, breadcrumbs, flash line (or prompt) and key hints. The
//! hints come from the keymap for the current context, never from text written here.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::{clock, clock_minutes, ellipsize, width};
use super::theme::Theme;
use crate::app::catalog;
use crate::app::colon;
use crate::app::estate;
use crate::app::keymap::Hint;
use crate::app::loadable::Listing;
use crate::app::offered::offered;
use crate::app::operation::selected_operation;
use crate::app::state::{AppState, FlashLevel, Overlay, Pane, Screen, Wizard};

/// `apim-dr │ demo emulator │ READ-ONLY            ● 1 operation running │ 12:00:00 UTC`
/// (`12:00 UTC` while nothing counts seconds).
pub fn header(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut left = vec![
        Span::styled(" apim-dr ", theme.title),
        Span::styled("│ ", theme.title_bar),
        Span::styled(state.context_label.clone(), theme.context),
        Span::styled(" ", theme.title_bar),
    ];
    if state.read_only {
        left.push(Span::styled(" READ-ONLY ", theme.read_only));
    }
    let live = state.live_operations();
    let mut right = Vec::new();
    if live > 0 {
        let noun = if live == 1 { "operation" } else { "operations" };
        right.push(Span::styled(
            format!("● {live} {noun} running "),
            theme.live,
        ));
        right.push(Span::styled("│ ", theme.title_bar));
    }
    // Seconds only while the runtime ticks every second: a clock never shows a frozen figure.
    let now = if state.counts_seconds() {
        clock(state.now)
    } else {
        clock_minutes(state.now)
    };
    right.push(Span::styled(format!("{now} UTC "), theme.title_bar));
    frame.render_widget(Paragraph::new("").style(theme.title_bar), area);
    justify(frame, area, left, right);
}

/// `Estate › Contoso Production › apim-contoso-weu                      filter: weu`.
pub fn crumbs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let crumbs = breadcrumbs(state);
    let mut left = vec![Span::raw(" ")];
    for (i, c) in crumbs.iter().enumerate() {
        if i > 0 {
            left.push(Span::styled(" › ", theme.crumb));
        }
        let style = if i + 1 == crumbs.len() {
            theme.crumb_current
        } else {
            theme.crumb
        };
        left.push(Span::styled(c.clone(), style));
    }
    let mut right = Vec::new();
    let busy = loads_in_flight(state);
    if busy > 0 {
        right.push(Span::styled(format!("⟳ loading {busy} "), theme.warn));
    }
    if state.wizard.is_none() {
        let filter = state.filters.get(state.focused_list());
        if !filter.is_empty() {
            right.push(Span::styled(format!("filter: {filter} "), theme.accent));
        }
    }
    justify(frame, area, left, right);
}

fn loads_in_flight(state: &AppState) -> usize {
    usize::from(state.subscriptions.is_busy())
        + state.services.values().filter(|l| l.is_busy()).count()
        + state
            .storage_accounts
            .values()
            .filter(|l| l.is_busy())
            .count()
        + state
            .backups
            .values()
            .filter(|l| Listing::is_busy(l))
            .count()
}

/// Where the operator is, as breadcrumbs.
pub fn breadcrumbs(state: &AppState) -> Vec<String> {
    match &state.wizard {
        Some(Wizard::Failover(w)) => {
            let mut c = match &w.origin {
                Some(o) => vec![
                    "Estate".to_owned(),
                    state.subscription_name(&o.subscription_id).to_owned(),
                    o.name.clone(),
                ],
                None => vec!["Backups".to_owned()],
            };
            c.push("Failover".to_owned());
            c
        }
        Some(Wizard::Backup(w)) => vec![
            "Estate".to_owned(),
            state
                .subscription_name(&w.service.subscription_id)
                .to_owned(),
            w.service.name.clone(),
            "Backup".to_owned(),
        ],
        None => {
            let mut c = vec![state.screen.title().to_owned()];
            match state.screen {
                Screen::Estate if state.all_subscriptions() => {
                    let svc =
                        estate::selected_service(state).filter(|_| state.focus == Pane::Services);
                    match svc {
                        Some(svc) => {
                            c.push(state.subscription_name(&svc.subscription_id).to_owned());
                            c.push(svc.name.clone());
                        }
                        None => c.push("all subscriptions".to_owned()),
                    }
                }
                Screen::Estate => {
                    if let Some(sub) = estate::selected_subscription(state) {
                        c.push(sub.name.clone());
                        if state.focus == Pane::Services
                            && let Some(svc) = estate::selected_service(state)
                        {
                            c.push(svc.name.clone());
                        }
                    }
                }
                Screen::Backups => {
                    if let Some(b) = catalog::selected_backup(state) {
                        c.push(format!("{} / {}", b.account, b.container));
                    }
                }
                Screen::Rpo => {}
                Screen::Operations => {
                    if let Some(o) = selected_operation(state) {
                        c.push(format!("{} {}", o.kind, o.op));
                    }
                }
            }
            c
        }
    }
}

/// Rows the status line needs: 2 when the flash does not fit on one.
pub fn status_rows(state: &AppState, width_: u16) -> u16 {
    match (&state.flash, &state.overlay) {
        (Some(f), None) if width(&f.text) + 3 > usize::from(width_) => 2,
        _ => 1,
    }
}

/// The flash line, or the prompt of the filter or command line being typed.
pub fn status_line(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match &state.overlay {
        Some(Overlay::Filter { list, .. }) => {
            let text = state.filters.get(*list);
            prompt(frame, area, "/", text, Vec::new(), theme);
        }
        Some(Overlay::Command { text }) => {
            let mut hints = Vec::new();
            for (i, (name, _)) in colon::suggestions(text).into_iter().enumerate() {
                if i > 0 {
                    hints.push(Span::styled(" · ", theme.muted));
                }
                hints.push(Span::styled(name, theme.muted));
            }
            if hints.is_empty() {
                hints.push(Span::styled("no such command", theme.error));
            }
            prompt(frame, area, ":", text, hints, theme);
        }
        _ => {
            if let Some(flash) = &state.flash {
                let (symbol, style) = match flash.level {
                    FlashLevel::Info => ("✔", theme.flash_info),
                    FlashLevel::Warn => ("⚠", theme.flash_warn),
                    FlashLevel::Error => ("✖", theme.flash_error),
                };
                let text = format!(" {symbol} {}", flash.text);
                let max = usize::from(area.width) * usize::from(area.height);
                let text = ellipsize(&text, max.saturating_sub(usize::from(area.height)));
                frame.render_widget(
                    Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: false }),
                    area,
                );
            }
        }
    }
}

fn prompt(
    frame: &mut Frame,
    area: Rect,
    sigil: &str,
    text: &str,
    after: Vec<Span<'static>>,
    theme: &Theme,
) {
    let mut spans = vec![
        Span::styled(format!(" {sigil}"), theme.key),
        Span::styled(text.to_owned(), theme.input),
        Span::raw("   "),
    ];
    spans.extend(after);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let x = area
        .x
        .saturating_add(u16::try_from(2 + width(text)).unwrap_or(u16::MAX));
    if area.height > 0 && x < area.right() {
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// Key hints for the current context, from the keymap. When they do not fit, the last two
/// (help and quit, usually) stay and the ones before them go.
pub fn footer(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let hints = state
        .keymap
        .hints_where(state.key_context(), |a| offered(state, a));
    let line = hint_line(&hints, usize::from(area.width), theme);
    frame.render_widget(Paragraph::new(line), area);
}

/// Builds a line of hints that fits `max` columns.
pub fn hint_line(hints: &[Hint], max: usize, theme: &Theme) -> Line<'static> {
    let cost = |h: &Hint| width(&h.keys) + 1 + width(&h.desc) + 2;
    let keep_tail = hints.len().min(2);
    let tail_cost: usize = hints[hints.len() - keep_tail..].iter().map(cost).sum();
    let mut chosen: Vec<&Hint> = Vec::new();
    let mut used = 1 + tail_cost;
    for h in &hints[..hints.len() - keep_tail] {
        if used + cost(h) > max {
            break;
        }
        used += cost(h);
        chosen.push(h);
    }
    chosen.extend(&hints[hints.len() - keep_tail..]);
    let mut spans = vec![Span::raw(" ")];
    for h in chosen {
        let key_style = if h.dangerous {
            theme.key_danger
        } else {
            theme.key
        };
        spans.push(Span::styled(h.keys.clone(), key_style));
        spans.push(Span::styled(format!(" {}  ", h.desc), theme.hint));
    }
    Line::from(spans)
}

/// Draws `left` flush left and `right` flush right on one row; the left side is cut first.
fn justify(frame: &mut Frame, area: Rect, left: Vec<Span<'static>>, right: Vec<Span<'static>>) {
    let right_w: usize = right.iter().map(Span::width).sum();
    let right_w = u16::try_from(right_w).unwrap_or(u16::MAX).min(area.width);
    let left_area = Rect {
        width: area.width - right_w,
        ..area
    };
    let right_area = Rect {
        x: area.right() - right_w,
        width: right_w,
        ..area
    };
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    frame.render_widget(
        Paragraph::new(Line::from(right)).style(Style::default()),
        right_area,
    );
}
