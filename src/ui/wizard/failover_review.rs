//! Failover steps 4–6: the pre-flight checklist (✔ ⚠ ✖ with reasons), what the backup does not
//! carry, and the confirm dialog where the target's name must be typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::super::layout::centered;
use super::super::text::{ellipsize, width};
use super::super::theme::Theme;
use super::super::widgets::{failed, key_label, loading, render_placeholder, styled, typed_check};
use crate::app::action::Action;
use crate::app::catalog::access_phrase;
use crate::app::failover::{AFTER_RESTORE, FailoverWizard, NOT_CARRIED};
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::domain::estimate::estimate;
use crate::domain::operation::OperationKind;
use crate::domain::preflight::{Level, Verdict};

use super::super::text::wrap;

/// Step 4: the checklist, or its loading / failed state.
pub fn preflight(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    w: &FailoverWizard,
    theme: &Theme,
) {
    let retry = state.keymap.key_for(KeyContext::Failover, &Action::Refresh);
    match &w.preflight {
        Loadable::NotRequested => {}
        Loadable::Loading { since } => {
            render_placeholder(
                frame,
                area,
                loading("Running pre-flight checks", *since, state.now, theme),
            );
        }
        Loadable::Failed(e) => frame.render_widget(failed(e, retry.as_deref(), theme), area),
        Loadable::Loaded(r) => {
            checklist(
                frame,
                area,
                state,
                (&r.verdict, w.preflight_scroll, KeyContext::Failover),
                theme,
            );
        }
    }
}

/// The checks from `scroll` on, each with its reason and (unless ok) its fix; when they do
/// not fit, as many as fit and a hint line saying how many are above and below. The last line
/// is the verdict with the keys of `ctx` (the failover wizard, or the backup wizard's review).
pub fn checklist(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    (v, scroll, ctx): (&Verdict, usize, KeyContext),
    theme: &Theme,
) {
    let [list, verdict] = Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(area);
    let total = usize::from(area.width);
    let title_w = v
        .checks
        .iter()
        .map(|c| width(&c.title))
        .max()
        .unwrap_or(0)
        .min(total * 2 / 5);
    let indent = 2 + title_w + 2;
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    for c in &v.checks {
        let mut lines = Vec::new();
        let style = match c.level {
            Level::Pass => theme.ok,
            Level::Warn => theme.warn,
            Level::Block => theme.error,
        };
        let reason_style = if c.level == Level::Pass {
            theme.muted
        } else {
            style
        };
        let title_style = if c.level == Level::Pass {
            theme.text
        } else {
            style
        };
        for (i, part) in wrap(&c.reason, total.saturating_sub(indent))
            .into_iter()
            .enumerate()
        {
            let head = if i == 0 {
                vec![
                    styled(format!("{} ", c.level.symbol()), style),
                    styled(
                        format!("{:<title_w$}  ", ellipsize(&c.title, title_w)),
                        title_style,
                    ),
                ]
            } else {
                vec![styled(" ".repeat(indent), theme.text)]
            };
            let mut spans = head;
            spans.push(styled(part, reason_style));
            lines.push(Line::from(spans));
        }
        if let Some(fix) = &c.fix {
            for part in wrap(&format!("fix: {fix}"), total.saturating_sub(indent)) {
                lines.push(Line::from(vec![
                    styled(" ".repeat(indent), theme.text),
                    styled(part, theme.muted),
                ]));
            }
        }
        blocks.push(lines);
    }
    frame.render_widget(
        Paragraph::new(visible(state, &blocks, scroll, list, theme)),
        list,
    );
    let line = if ctx == KeyContext::Failover {
        verdict_line(state, v, theme)
    } else {
        backup_verdict_line(state, v, ctx, theme)
    };
    frame.render_widget(
        Paragraph::new(vec![Line::default(), line]).wrap(Wrap { trim: false }),
        verdict,
    );
}

/// The backup's verdict: what blocks it and how to change it, or the key that starts it.
fn backup_verdict_line(
    state: &AppState,
    v: &Verdict,
    ctx: KeyContext,
    theme: &Theme,
) -> Line<'static> {
    let blockers = v.blockers().count();
    let warnings = v.checks.iter().filter(|c| c.level == Level::Warn).count();
    let (text, style, key, what) = if blockers > 0 {
        (
            format!("✖ Cannot start: {blockers} blocking problem(s).  "),
            theme.error,
            key_label(state, ctx, &Action::Back),
            " change it",
        )
    } else if warnings > 0 {
        (
            format!("⚠ Passed with {warnings} warning(s): read them first.  "),
            theme.warn,
            key_label(state, ctx, &Action::Submit),
            " start backup",
        )
    } else {
        (
            "✔ Every check passed.  ".to_owned(),
            theme.ok,
            key_label(state, ctx, &Action::Submit),
            " start backup",
        )
    };
    Line::from(vec![
        styled(text, style),
        styled(key, theme.key),
        styled(what, theme.hint),
    ])
}

/// The restore's verdict, with the failover wizard's keys.
fn verdict_line(state: &AppState, v: &Verdict, theme: &Theme) -> Line<'static> {
    let warnings = v.checks.iter().filter(|c| c.level == Level::Warn).count();
    let blockers = v.blockers().count();
    let next = key_label(state, KeyContext::Failover, &Action::Submit);
    let back = key_label(state, KeyContext::Failover, &Action::Back);
    if blockers > 0 {
        let rerun = key_label(state, KeyContext::Failover, &Action::Refresh);
        Line::from(vec![
            styled(
                format!("✖ Cannot start: {blockers} blocking problem(s).  "),
                theme.error,
            ),
            styled(back, theme.key),
            styled(" other target  ", theme.hint),
            styled(rerun, theme.key),
            styled(" check again", theme.hint),
        ])
    } else if warnings > 0 {
        Line::from(vec![
            styled(
                format!("⚠ Passed with {warnings} warning(s): read them first.  "),
                theme.warn,
            ),
            styled(next, theme.key),
            styled(" continue", theme.hint),
        ])
    } else {
        Line::from(vec![
            styled("✔ Every check passed.  ", theme.ok),
            styled(next, theme.key),
            styled(" continue", theme.hint),
        ])
    }
}

/// The lines of the blocks from `scroll` on that fit in `area`, with a hint line when some
/// checks are above or below.
fn visible<'a>(
    state: &AppState,
    blocks: &[Vec<Line<'a>>],
    scroll: usize,
    area: Rect,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let room = usize::from(area.height);
    let start = scroll.min(blocks.len().saturating_sub(1));
    let total: usize = blocks[start..].iter().map(Vec::len).sum();
    if start == 0 && total <= room {
        return blocks.iter().flatten().cloned().collect();
    }
    let mut out = Vec::new();
    let mut shown = 0;
    for b in &blocks[start..] {
        if out.len() + b.len() > room.saturating_sub(1) {
            break;
        }
        out.extend(b.iter().cloned());
        shown += 1;
    }
    let below = blocks.len() - start - shown;
    let down = key_label(state, KeyContext::Failover, &Action::MoveDown);
    let up = key_label(state, KeyContext::Failover, &Action::MoveUp);
    out.push(Line::from(styled(
        format!("↑ {start} above · ↓ {below} below · {up}/{down} scroll"),
        theme.hint,
    )));
    out
}

/// Step 5: what a restore does not bring over, and what to do after it.
pub fn caveats(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let total = usize::from(area.width);
    let mut lines = vec![Line::from(styled(
        ellipsize(
            "The restore replaces the target's configuration, but it does not carry:",
            total,
        ),
        theme.text,
    ))];
    let col = NOT_CARRIED.iter().map(|i| width(i)).max().unwrap_or(0) + 6;
    if total >= 2 * col {
        let half = NOT_CARRIED.len().div_ceil(2);
        for (i, left) in NOT_CARRIED.iter().take(half).enumerate() {
            let mut spans = vec![
                styled("  • ", theme.muted),
                styled(format!("{left:<w$}", w = col - 4), theme.text),
            ];
            if let Some(right) = NOT_CARRIED.get(i + half) {
                spans.push(styled("  • ", theme.muted));
                spans.push(styled(*right, theme.text));
            }
            lines.push(Line::from(spans));
        }
    } else {
        for item in NOT_CARRIED {
            lines.push(Line::from(vec![
                styled("  • ", theme.muted),
                styled(item, theme.text),
            ]));
        }
    }
    lines.push(Line::default());
    for note in AFTER_RESTORE {
        for (i, part) in wrap(note, total.saturating_sub(4)).into_iter().enumerate() {
            let head = if i == 0 { "  ⚠ " } else { "    " };
            lines.push(Line::from(vec![
                styled(head, theme.warn),
                styled(part, theme.warn),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        styled(
            key_label(state, KeyContext::Failover, &Action::Submit),
            theme.key,
        ),
        styled(
            " I have read this: continue to the confirmation",
            theme.hint,
        ),
    ]));
    frame.render_widget(Paragraph::new(lines), area);
}

/// Step 6: the confirm dialog over the wizard. The restore starts only when the exact name of
/// the target is typed.
pub fn confirm(
    frame: &mut Frame,
    content: Rect,
    state: &AppState,
    w: &FailoverWizard,
    theme: &Theme,
) {
    let (Some(target), Some(source)) = (&w.target, &w.source) else {
        return;
    };
    let box_area = centered(content, 76, 15);
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.danger)
        .title(Span::styled(" Confirm the restore ", theme.danger))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let room = usize::from(inner.width).saturating_sub(10);
    let e = estimate(
        &state.history,
        OperationKind::Restore,
        w.target.as_ref().map(|t| &t.sku),
        w.plan.as_ref().map(|p| &p.target),
    );
    let usually = format!("{} ({})", e.phrase(), e.basis_text());
    let typed = &w.typed;
    let access = w
        .plan
        .as_ref()
        .map(|p| p.access.clone())
        .unwrap_or_default();
    let verdict = typed_check(
        state,
        KeyContext::Confirm,
        (&target.name, typed),
        ("starts the restore", "does not match the target's name"),
        theme,
    );
    let lines = vec![
        Line::from(vec![
            styled("This overwrites the configuration of ", theme.text),
            styled(target.name.clone(), theme.danger),
            styled(format!(" ({}).", target.location), theme.text),
        ]),
        Line::from(styled(
            "Once started it cannot be cancelled in Azure.",
            theme.text,
        )),
        Line::default(),
        Line::from(vec![
            styled("Backup    ", theme.muted),
            styled(ellipsize(&source.name, room), theme.accent),
            styled(
                format!(
                    " · {} old",
                    super::super::text::age(source.created, state.now)
                ),
                theme.muted,
            ),
        ]),
        Line::from(vec![
            styled("Stored in ", theme.muted),
            styled(
                format!("{} / {}", source.account, source.container),
                theme.text,
            ),
        ]),
        Line::from(vec![
            styled("Access    ", theme.muted),
            styled(ellipsize(access_phrase(&access), room), theme.text),
        ]),
        Line::from(vec![
            styled("Target    ", theme.muted),
            styled(target.name.clone(), theme.accent),
            styled(
                format!(" · {}", state.subscription_name(&target.subscription_id)),
                theme.muted,
            ),
        ]),
        Line::from(vec![
            styled("Duration  ", theme.muted),
            styled(ellipsize(&usually, room), theme.text),
        ]),
        Line::default(),
        Line::from(vec![
            styled("Type ", theme.text),
            styled(target.name.clone(), theme.accent),
            styled(" to confirm:", theme.text),
        ]),
        Line::from(vec![
            styled("> ", theme.key),
            styled(typed.clone(), theme.input),
        ]),
        Line::from(verdict),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    let x = inner
        .x
        .saturating_add(2)
        .saturating_add(u16::try_from(width(typed)).unwrap_or(u16::MAX));
    let y = inner.y.saturating_add(10);
    if x < inner.right() && y < inner.bottom() {
        frame.set_cursor_position(Position::new(x, y));
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::Color;

    use super::super::super::scenes;
    use super::super::super::test_support::{draw, find, snap};
    use super::super::super::theme::Theme;

    #[test]
    fn failover_steps_four_to_six() {
        snap!("failover_4_preflight_loading", scenes::preflight_loading());
        snap!("failover_4_preflight_warn", scenes::preflight_warn());
        snap!("failover_4_preflight_block", scenes::preflight_block());
        snap!("failover_4_preflight_long", scenes::preflight_long(0));
        snap!(
            "failover_4_preflight_long_scrolled",
            scenes::preflight_long(10)
        );
        snap!("failover_5_not_carried", scenes::caveats());
        snap!("failover_6_confirm_empty", scenes::confirm_empty());
        snap!("failover_6_confirm_wrong_name", scenes::confirm_wrong());
    }

    #[test]
    fn a_blocking_check_is_red() {
        let terminal = draw(
            &scenes::preflight_block(),
            &Theme::default_embedded(),
            120,
            40,
        );
        let buf = terminal.backend().buffer();
        let (x, y) = find(buf, "✖ Target is idle").expect("the blocking check is drawn");
        assert_eq!(buf[(x, y)].fg, Color::LightRed);
        let (x, y) = find(buf, "✔ Target tier").expect("a passing check");
        assert_eq!(buf[(x, y)].fg, Color::Green);
    }
}
