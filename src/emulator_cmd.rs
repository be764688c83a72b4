//! `apim-dr emulator`. Not built yet in this commit.

use crate::cli::EmulatorArgs;
use crate::cli::listing::{CliError, CmdResult};
use crate::error::UserError;

/// Runs the emulator until Ctrl-C.
///
/// # Errors
/// Always, until the emulator lands.
pub fn run(_args: &EmulatorArgs) -> CmdResult {
    Err(CliError::usage(UserError::new(
        "the emulator is not built yet",
    )))
}
