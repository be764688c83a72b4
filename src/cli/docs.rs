//! `apim-dr completions SHELL` and `apim-dr man`: both generated from [`Cli`]'s definitions,
//! so they can never disagree with `--help`. They need no configuration and touch nothing.

use std::io::Write;

use clap::CommandFactory;

use super::Cli;

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_owned();
    clap_complete::generate(shell, &mut cmd, name, out);
}

/// Writes the `apim-dr(1)` man page (roff) to `out`.
///
/// # Errors
/// The writer's error.
pub fn man(out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}
