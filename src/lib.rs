//! apim-dr: disaster-recovery failover of Azure API Management by backup and restore.
//!
//! One engine, four faces: a guided TUI, a headless CLI, a local Azure emulator and an
//! operation journal.

pub mod azure;
pub mod domain;
pub mod emulator;
pub mod engine;
pub mod secret;
