//! apim-dr: disaster-recovery failover of Azure API Management by backup and restore.
//!
//! One engine, four faces: a guided TUI ([`app`] state machine, [`ui`] render, `runtime`
//! event loop), a headless CLI ([`cli`], which also starts the TUI, the demo and the
//! emulator), a local Azure emulator ([`emulator`]) and an operation journal ([`journal`]).
//! The real client is [`azure`]; the pure rules and plain data are [`domain`]; the DR
//! operations shared by CLI and TUI are [`engine`], built once at start-up by
//! [`engine::Engine::new`]. Imports go one way: ui → app → engine → azure/journal → domain.
//! `docs/ARCHITECTURE.md` is the map.
//!
//! ```text
//!  terminal ──KeyEvent──▶ keymap ──Action──▶ update(&mut state) ──Vec<Effect>──▶ runtime/effects
//!                                               ▲                                   │ spawn
//!                                               │ Action::OperationUpdated          ▼
//!  render(&state) ◀── after each batch ─────────┤                       engine (tokio task)
//!                                               │                         ├─ journal: Intent (fsync)
//!                                               └──── mpsc<Action> ◀──────├─ azure::arm POST …/restore → 202
//!                                                                         ├─ journal: Accepted{operation URL}
//!                                                                         └─ azure::lro poll stream (Retry-After,
//!                                                                            select! on CancellationToken)
//! ```
//!
//! `update` is pure (no I/O, clock or tokio); render is a pure function of the state; tasks
//! never touch the terminal; journal I/O runs on the blocking pool. The CLI drives the same
//! engine and prints its progress.

pub mod app;
pub mod azure;
pub mod cache;
pub mod cli;
pub(crate) mod config;
pub mod domain;
pub mod emulator;
pub mod engine;
pub mod journal;
pub(crate) mod private_fs;
pub(crate) mod runtime;
pub mod secret;
pub mod ui;
