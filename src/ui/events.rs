//! Terminal events → actions, for the runtime: keys through the keymap, a left click through
//! [`super::mouse::click`], the wheel as cursor moves, resizes as `Resized`. Pure: the runtime passes
//! the event and the terminal's area.

use crossterm::event::{Event, MouseButton, MouseEventKind};
use ratatui::layout::Rect;

use super::mouse::click;
use crate::app::action::Action;
use crate::app::keymap::KeyContext;
use crate::app::state::AppState;

/// The actions one terminal event stands for (often none, sometimes two: focus then select).
/// Pasted text is typed into filter, command and name fields, but never into the restore
/// confirmation, where the name must be typed: there it is `PasteRefused`, which says why.
pub fn translate(state: &AppState, area: Rect, event: &Event) -> Vec<Action> {
    match event {
        Event::Key(key) => state.resolve_key(*key).into_iter().collect(),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => click(state, area, m.column, m.row),
            MouseEventKind::ScrollDown => vec![Action::MoveDown],
            MouseEventKind::ScrollUp => vec![Action::MoveUp],
            _ => Vec::new(),
        },
        Event::Resize(width, height) => vec![Action::Resized {
            width: *width,
            height: *height,
        }],
        Event::Paste(text) if state.key_context() == KeyContext::Input => text
            .chars()
            .filter(|c| !c.is_control())
            .map(Action::TypeChar)
            .collect(),
        Event::Paste(_)
            if state.key_context().takes_text() && state.key_context() != KeyContext::Input =>
        {
            vec![Action::PasteRefused]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};

    use super::*;
    use crate::app::fixtures::run;
    use crate::ui::scenes;

    const AREA: Rect = Rect::new(0, 0, 80, 24);

    fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    }

    #[test]
    fn keys_clicks_wheel_resize_and_paste() {
        let state = scenes::estate_loaded();
        let f = Event::Key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::NONE));
        assert_eq!(translate(&state, AREA, &f), [Action::StartFailover]);
        let down = mouse(MouseEventKind::Down(MouseButton::Left), 10, 11);
        assert_eq!(translate(&state, AREA, &down).len(), 2);
        let wheel = mouse(MouseEventKind::ScrollDown, 10, 11);
        assert_eq!(translate(&state, AREA, &wheel), [Action::MoveDown]);
        let resize = Event::Resize(120, 40);
        assert_eq!(
            translate(&state, AREA, &resize),
            [Action::Resized {
                width: 120,
                height: 40
            }]
        );
        let paste = Event::Paste("neu".into());
        assert!(
            translate(&state, AREA, &paste).is_empty(),
            "not in a text field"
        );
        let mut filtering = scenes::estate_loaded();
        run(&mut filtering, [Action::OpenFilter]);
        assert_eq!(translate(&filtering, AREA, &paste).len(), 3);
        let confirm = scenes::confirm_empty();
        assert_eq!(
            translate(&confirm, AREA, &paste),
            [Action::PasteRefused],
            "the name must be typed"
        );
    }
}
