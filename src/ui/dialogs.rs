//! Small dialogs over the screen: the quit question while operations still run.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::layout::centered;
use super::theme::Theme;
use super::widgets::styled;
use crate::app::action::Action;
use crate::app::keymap::KeyContext;
use crate::app::state::AppState;

/// "N operations still run in Azure; apim-dr will watch them again at next start. Quit? (y/n)",
/// and how many restores of a region's failover would never start.
pub fn quit(
    frame: &mut Frame,
    body: Rect,
    state: &AppState,
    (live, queued): (usize, usize),
    theme: &Theme,
) {
    let area = centered(body, 58, if queued > 0 { 10 } else { 8 });
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.warn)
        .title(Span::styled(" Quit apim-dr? ", theme.warn));
    let yes = state
        .keymap
        .key_for(KeyContext::Quit, &Action::ConfirmQuit)
        .unwrap_or_else(|| "y".into());
    let no = state
        .keymap
        .key_for(KeyContext::Quit, &Action::Cancel)
        .unwrap_or_else(|| "n".into());
    let (count, them) = if live == 1 {
        ("1 operation still runs".to_owned(), "it")
    } else {
        (format!("{live} operations still run"), "them")
    };
    let mut lines = vec![
        Line::from(vec![
            styled(count, theme.warn),
            styled(
                if state.starts_over {
                    " in the demo emulator, which stops when you quit; the demo starts over next time."
                        .to_owned()
                } else {
                    format!(" in Azure; apim-dr will watch {them} again at next start.")
                },
                theme.text,
            ),
        ]),
        Line::default(),
    ];
    if queued > 0 {
        lines.push(Line::from(vec![
            styled(
                format!("{queued} restore(s) waiting for their turn have not started"),
                theme.error,
            ),
            styled(": quitting leaves them unstarted.", theme.text),
        ]));
        lines.push(Line::default());
    }
    lines.extend([Line::from(vec![
        styled("Quit? (", theme.text),
        styled(yes, theme.key),
        styled("/", theme.text),
        styled(no, theme.key),
        styled(")", theme.text),
    ])]);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block.padding(ratatui::widgets::Padding::new(1, 1, 1, 0)))
            .wrap(Wrap { trim: true }),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;

    #[test]
    fn quit_asks_while_operations_run() {
        snap!("quit_dialog", scenes::quit());
    }

    /// Issue 9, defect 2: the demo's quit dialog promised a watch at next start.
    #[test]
    fn the_demo_quit_dialog_says_it_starts_over() {
        let mut state = scenes::quit();
        state.starts_over = true;
        let theme = crate::ui::theme::Theme::default_embedded();
        let terminal = super::super::test_support::draw(&state, &theme, 120, 40);
        let buf = terminal.backend().buffer();
        assert!(super::super::test_support::find(buf, "the demo starts over").is_some());
        assert!(super::super::test_support::find(buf, "again at next start").is_none());
    }
}
