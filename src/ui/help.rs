//! The `?` help popup, generated from the keymap for the context under it (its own keys, then
//! moving around, then the keys that work everywhere). Dangerous keys are red; in read-only
//! mode they are not there at all.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::layout::centered;
use super::text::width;
use super::theme::Theme;
use super::widgets::styled;
use crate::app::colon;
use crate::app::keymap::KeyContext;
use crate::app::state::AppState;

fn context_title(ctx: KeyContext) -> &'static str {
    match ctx {
        KeyContext::Subscriptions => "Estate · subscriptions",
        KeyContext::Services => "Estate · services",
        KeyContext::Backups => "Backups",
        KeyContext::Operations => "Operations",
        KeyContext::Rpo => "RPO",
        KeyContext::Failover => "Failover wizard",
        KeyContext::Confirm => "Confirm the restore",
        KeyContext::Standby => "Create a standby",
        KeyContext::BackupWizard => "Backup wizard",
        KeyContext::BackupReview => "Backup wizard · review",
        KeyContext::Prune => "Prune expired backups",
        KeyContext::Cutover => "Traffic cutover",
        KeyContext::Regions => "A service's regions",
        KeyContext::Gateway => "Switch a region's gateway",
        KeyContext::RegionPick => "Fail over a region",
        KeyContext::Batch => "Run the region's restores",
        KeyContext::Drill => "Drill a service",
        KeyContext::Input => "Text field",
        KeyContext::Help => "Help",
        KeyContext::Quit => "Quit",
    }
}

/// The help lines for `state` (what is under the popup).
pub fn lines(state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let ctx = state.base_context();
    let sections = state.keymap.help(ctx);
    let key_w = sections
        .iter()
        .flat_map(|s| &s.entries)
        .map(|e| width(&e.keys))
        .max()
        .unwrap_or(0)
        .clamp(6, 14);
    let mut lines = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::from(styled(s.title, theme.table_header)));
        for e in &s.entries {
            let key_style = if e.dangerous {
                theme.key_danger
            } else {
                theme.key
            };
            let mut spans = vec![
                styled(format!("  {:<key_w$}  ", e.keys), key_style),
                styled(e.desc.clone(), theme.text),
            ];
            if e.dangerous {
                spans.push(styled("  (changes Azure)", theme.muted));
            }
            lines.push(Line::from(spans));
        }
    }
    lines.extend(commands(key_w, theme));
    lines.extend(legend(key_w, theme));
    if state.read_only {
        lines.push(Line::default());
        lines.push(Line::from(styled(
            "Read-only mode: keys that change Azure are hidden; pressed, they say why.",
            theme.warn,
        )));
    }
    lines
}

/// What each mark on the screens means.
const LEGEND: [(&str, &str); 9] = [
    ("✔", "passed, succeeded"),
    (
        "⚠",
        "needs attention: a warning, a stale list, a backup in its region",
    ),
    (
        "✖",
        "blocks or failed; an expired backup (Azure refuses it)",
    ),
    ("⊘", "a tier that cannot be backed up or restored"),
    (
        "?",
        "a tier whose backup support is unknown; a last backup unknown (a listing failed)",
    ),
    (
        "…",
        "a last backup not known yet: backup listings still load",
    ),
    ("•", "a backup of the service the wizard started from"),
    ("●", "operations watched now (header)"),
    ("⟳", "lists loading (header)"),
];

fn commands(key_w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let key_w = colon::COMMANDS
        .iter()
        .map(|(names, _, _)| names[0].len() + 1)
        .fold(key_w, usize::max);
    let mut lines = vec![
        Line::default(),
        Line::from(styled(
            ": commands (tab completes, a unique start is enough)",
            theme.table_header,
        )),
    ];
    for (names, about, _) in colon::COMMANDS {
        lines.push(Line::from(vec![
            styled(
                format!("  {:<key_w$}  ", format!(":{}", names[0])),
                theme.key,
            ),
            styled(about.to_owned(), theme.text),
        ]));
    }
    lines
}

fn legend(key_w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::default(),
        Line::from(styled("Symbols", theme.table_header)),
    ];
    for (mark, meaning) in LEGEND {
        lines.push(Line::from(vec![
            styled(format!("  {mark:<key_w$}  "), theme.text),
            styled(meaning.to_owned(), theme.text),
        ]));
    }
    lines
}

/// Draws the popup over `body`, scrolled by `scroll` lines.
pub fn render(frame: &mut Frame, body: Rect, state: &AppState, scroll: u16, theme: &Theme) {
    let lines = lines(state, theme);
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let area = centered(body, 60, height);
    let max_scroll = height.saturating_sub(area.height);
    let title = Line::from(vec![
        Span::styled(" Keys · ", theme.pane_title_focused),
        Span::styled(
            context_title(state.base_context()),
            theme.pane_title_focused,
        ),
        Span::styled(" ", theme.pane_title_focused),
    ]);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(title);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn help_is_generated_from_the_keymap() {
        snap!("help_services", scenes::help());
        let state = scenes::help();
        let text: String = super::lines(&state, &super::Theme::default())
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("failover"));
        let mut ro = scenes::read_only();
        crate::app::update::update(&mut ro, crate::app::Action::OpenHelp);
        let text: String = super::lines(&ro, &super::Theme::default())
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            !text.contains("failover"),
            "read-only help hides dangerous keys"
        );
        assert!(text.contains("Read-only mode"));
        // Issue 9: help lists the `:` commands and a legend for every symbol.
        for needle in [":backups", ":ops", "⊘", "⚠", "✖", "•", "●", "⟳"] {
            assert!(text.contains(needle), "help lacks {needle}");
        }
    }
}
