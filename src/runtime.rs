//! The only impure TUI layer: the event loop, the effect runner (effects become engine tasks,
//! their results come back as actions), the terminal and the signals that end it. Started by `cli::tui` and
//! `cli::demo`.

pub mod effects;
pub mod event_loop;
pub mod signals;
pub mod terminal;
