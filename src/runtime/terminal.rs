//! The terminal: raw mode, alternate screen, mouse capture and bracketed paste on the way in, all
//! of it undone on the way out — after quit, Ctrl-C, SIGTERM/SIGHUP, an error or a panic.
//! Bracketed paste makes pasted text one `Event::Paste`, never key presses, so the typed
//! confirmation can tell a paste from typing.

use std::io::stdout;

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

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
        ratatui::restore();
    }
}
