//! The terminal: raw mode, alternate screen, mouse capture and bracketed paste on the way in, all
//! of it undone on the way out — after quit, Ctrl-C, SIGTERM/SIGHUP, an error or a panic.
//! Bracketed paste makes pasted text one `Event::Paste`, never key presses, so the typed
//! confirmation can tell a paste from typing. `y` copies through the terminal too: an OSC 52
//! escape asks the terminal (and tmux or ssh in between, when they allow it) to set the
//! clipboard, so it works on a remote machine without a clipboard of its own.

use std::io::{Write as _, stdout};

use base64::Engine as _;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Owns the terminal; restores it when dropped.
pub struct TerminalGuard {
    /// The ratatui terminal.
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Enters the TUI. ratatui's init installs a panic hook that restores the terminal; ours,
    /// chained before it, turns mouse capture and bracketed paste off too.
    ///
    /// # Errors
    /// When the terminal cannot be put into raw mode.
    pub fn enter() -> std::io::Result<Self> {
        let terminal = ratatui::try_init()?;
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
            previous(info);
        }));
        execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)?;
        Ok(Self { terminal })
    }
}

impl TerminalGuard {
    /// Puts `text` on the clipboard with an OSC 52 escape.
    ///
    /// # Errors
    /// When the terminal cannot be written.
    pub fn copy(&mut self, text: &str) -> std::io::Result<()> {
        let out = self.terminal.backend_mut();
        out.write_all(osc52(text).as_bytes())?;
        out.flush()
    }
}

/// The OSC 52 escape that sets the clipboard (`c`) to `text`: `ESC ] 52 ; c ; base64 BEL`.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
        ratatui::restore();
    }
}

#[cfg(test)]
mod tests {
    use super::osc52;

    #[test]
    fn osc52_wraps_the_base64_text_in_the_clipboard_escape() {
        assert_eq!(osc52("apim-dr"), "\x1b]52;c;YXBpbS1kcg==\x07");
        assert_eq!(osc52(""), "\x1b]52;c;\x07");
    }
}
