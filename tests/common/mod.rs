//! Helpers shared by the integration tests: the emulator on port 0 with a client pointed at
//! it, Azurite on a free loopback port, isolated data and config dirs.
#![allow(dead_code, clippy::mod_module_files)]

pub mod azurite;
pub mod cli;
pub mod emu;
