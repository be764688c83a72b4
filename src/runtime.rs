//! The TUI runtime (terminal, event loop, effect tasks). Not built yet in this commit.

use crate::cli::DemoArgs;
use crate::cli::listing::{CliError, CmdResult};
use crate::config::Config;
use crate::error::UserError;

/// The TUI against Azure.
///
/// # Errors
/// Always, until the TUI lands.
pub fn run_azure(_config: &Config) -> CmdResult {
    Err(CliError::usage(UserError::new("the TUI is not built yet")))
}

/// The TUI against the embedded emulator.
///
/// # Errors
/// Always, until the TUI lands.
pub fn run_demo(_config: &Config, _args: &DemoArgs) -> CmdResult {
    Err(CliError::usage(UserError::new("the demo is not built yet")))
}
