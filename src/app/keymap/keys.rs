//! [`KeyBinding`]: one key as the keymap file writes it (`"f"`, `"G"`, `"ctrl-c"`, `"enter"`,
//! `"shift-tab"`), how it matches a crossterm [`KeyEvent`], and how hints print it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, as bound in the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    /// The key.
    pub code: KeyCode,
    /// Ctrl and Alt (Shift is part of the character, or of `BackTab`).
    pub modifiers: KeyModifiers,
}

impl KeyBinding {
    /// Parses `"f"`, `"G"`, `"?"`, `"ctrl-c"`, `"alt-x"`, `"enter"`, `"esc"`, `"tab"`,
    /// `"shift-tab"` (or `"backtab"`), `"up"`, `"pagedown"`, `"f5"`, `"space"`, … Key names
    /// are case-insensitive; a single character is taken as written.
    pub fn parse(text: &str) -> Option<Self> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        let mut shift = false;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if shift { c.to_ascii_uppercase() } else { c }),
            _ => named(&rest.to_ascii_lowercase(), shift)?,
        };
        Some(Self { code, modifiers })
    }

    /// True when `event` is this key. Shift is ignored for characters (it is in the
    /// character already) and for `BackTab`.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a == b && event.modifiers & relevant == self.modifiers & relevant
            }
            (KeyCode::BackTab, KeyCode::BackTab) => {
                event.modifiers & relevant == self.modifiers & relevant
            }
            (a, b) => a == b && event.modifiers == self.modifiers,
        }
    }

    /// The short form hints print: `f`, `enter`, `S-tab`, `↓`, `^c`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".to_owned(),
            KeyCode::Esc => "esc".to_owned(),
            KeyCode::Tab => "tab".to_owned(),
            KeyCode::BackTab => "S-tab".to_owned(),
            KeyCode::Backspace => "bksp".to_owned(),
            KeyCode::Delete => "del".to_owned(),
            KeyCode::Insert => "ins".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::PageUp => "pgup".to_owned(),
            KeyCode::PageDown => "pgdn".to_owned(),
            KeyCode::Home => "home".to_owned(),
            KeyCode::End => "end".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}").to_ascii_lowercase(),
        };
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push('^');
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("M-");
        }
        out.push_str(&base);
        out
    }
}

fn named(name: &str, shift: bool) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if shift => KeyCode::BackTab,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn parses_and_matches_like_a_terminal_sends() {
        let g = KeyBinding::parse("G").unwrap();
        assert!(g.matches(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert!(!g.matches(&ev(KeyCode::Char('g'), KeyModifiers::NONE)));
        let q = KeyBinding::parse("?").unwrap();
        assert!(q.matches(&ev(KeyCode::Char('?'), KeyModifiers::SHIFT)));
        let c = KeyBinding::parse("ctrl-c").unwrap();
        assert!(c.matches(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(!c.matches(&ev(KeyCode::Char('c'), KeyModifiers::NONE)));
        let bt = KeyBinding::parse("shift-tab").unwrap();
        assert_eq!(bt, KeyBinding::parse("backtab").unwrap());
        assert!(bt.matches(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert_eq!(KeyBinding::parse("F5").unwrap().code, KeyCode::F(5));
        assert_eq!(KeyBinding::parse("-").unwrap().code, KeyCode::Char('-'));
        assert!(KeyBinding::parse("ctrl-").is_none());
        assert!(KeyBinding::parse("hyper-x").is_none());
        assert!(KeyBinding::parse("f99").is_none());
    }

    #[test]
    fn labels_are_short() {
        let label = |s: &str| KeyBinding::parse(s).unwrap().label();
        assert_eq!(label("enter"), "enter");
        assert_eq!(label("shift-tab"), "S-tab");
        assert_eq!(label("down"), "↓");
        assert_eq!(label("ctrl-c"), "^c");
        assert_eq!(label("space"), "space");
    }
}
