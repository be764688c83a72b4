//! Helpers shared by the integration tests: the emulator on port 0 with a client pointed at
//! it, the binary against an emulator process, the TUI in a pseudo-terminal, Azurite on a
//! free loopback port; every one with isolated data and config dirs.
#![allow(dead_code, clippy::mod_module_files)]

pub mod azurite;
pub mod cli;
pub mod direct;
pub mod emu;
pub mod pty;
