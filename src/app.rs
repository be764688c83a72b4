//! The TUI state machine: pure, synchronous, no tokio, no clock.
//!
//! ```text
//! key ─▶ keymap ─▶ Action ─▶ update(&mut AppState) ─▶ Vec<Effect> ─▶ runtime ─▶ engine
//!                    ▲                                                           │
//!                    └──────────── facts (…Loaded, OperationUpdated, Tick) ◀─────┘
//! ```
//!
//! [`update::update`] is the only writer of [`state::AppState`]; `ui::render` only reads it.
//! Every flow (failover, backup, quit) is therefore a unit test: build a state, feed actions,
//! check the state and the effects.

pub mod action;
pub mod backup_wizard;
pub mod catalog;
pub mod colon;
pub mod copy;
pub mod cutover;
pub mod details;
pub mod drill;
pub mod effect;
pub mod estate;
pub mod failover;
pub mod keymap;
pub mod loadable;
pub mod offered;
pub mod operation;
pub mod pairing;
pub mod prune;
pub mod region_failover;
pub mod rpo;
pub mod sort;
pub mod state;
pub mod update;
pub mod views;

#[cfg(test)]
pub(crate) mod fixtures;

pub use action::Action;
pub use effect::Effect;
pub use keymap::Keymap;
pub use state::{AppOptions, AppState};
pub use update::update;
