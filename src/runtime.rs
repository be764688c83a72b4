//! The only impure TUI layer: the event loop, the effect runner (effects become engine tasks,
//! their results come back as actions) and the terminal. Started by `cli::tui` and
//! `cli::demo`.

pub mod effects;
pub mod event_loop;
pub mod terminal;
