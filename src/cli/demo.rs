//! `apim-dr demo`: the TUI against an emulator started in this process with the demo world;
//! nothing leaves the machine. The engine is built by the same [`Engine::new`] as against
//! Azure, from the configuration pointed at the emulator.

use std::time::Duration;

use super::DemoArgs;
use super::exit::{CliError, CmdResult};
use crate::config::Config;
use crate::domain::error::UserError;
use crate::emulator::{Emulator, EmulatorConfig, World};
use crate::engine::Engine;

/// The demo's speed-up: never slower than Azure, as fast as the emulator allows.
pub const SPEED: std::ops::RangeInclusive<f64> = 1.0..=*crate::emulator::SPEED.end();

/// The demo's emulator: the demo world at `--speed`, with `--latency` and `--state-file`.
///
/// # Errors
/// [`CliError`] when the demo world cannot be built.
pub fn emulator_config(args: &DemoArgs) -> Result<EmulatorConfig, CliError> {
    let world =
        World::demo().map_err(|e| CliError::failed(UserError::new(format!("demo world: {e}"))))?;
    let mut ec = EmulatorConfig::new(world);
    ec.speed = args.speed;
    ec.latency = Duration::from_millis(args.latency);
    ec.state_file.clone_from(&args.state_file);
    Ok(ec)
}

/// Starts the emulator, runs the TUI against it, stops the emulator.
///
/// # Errors
/// [`CliError`] when the emulator or the terminal cannot start.
pub async fn run(config: &Config, args: &DemoArgs) -> CmdResult {
    let emulator = Emulator::start(emulator_config(args)?)
        .await
        .map_err(|e| CliError::failed(UserError::new(format!("cannot start the emulator: {e}"))))?;
    let config = config
        .clone()
        .for_demo(emulator.arm_endpoint(), emulator.token());
    // The demo's emulator is new each time: its old operations cannot be watched again.
    let _ = std::fs::remove_file(&config.journal_file);
    let result = match Engine::new(&config) {
        Ok(engine) => {
            super::tui::run_with(&config, engine, "demo · local emulator, no Azure", true).await
        }
        Err(e) => Err(CliError::failed(e)),
    };
    emulator.shutdown().await;
    result
}
