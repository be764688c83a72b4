//! Helpers shared by the integration tests: Azurite on a free loopback port, clients for it.
#![allow(dead_code, clippy::mod_module_files)]

pub mod azurite;
