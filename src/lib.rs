//! apim-dr: disaster-recovery failover of Azure API Management by backup and restore.
//!
//! One engine, four faces: a guided TUI, a headless CLI, a local Azure emulator and an
//! operation journal.

pub mod app;
pub mod azure;
pub mod cli;
pub mod config;
pub mod domain;
pub mod emulator_cmd;
pub mod engine;
pub mod error;
pub mod journal;
pub mod runtime;
pub mod secret;
pub mod ui;
