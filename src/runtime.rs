//! The only impure TUI layer: the terminal, the event loop and the tasks that carry out
//! effects. `apim-dr` runs it against Azure; `apim-dr demo` against an emulator started in
//! the process with the demo world.

pub mod effects;
pub mod event_loop;
pub mod terminal;

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use crate::app::keymap::Keymap;
use crate::app::state::{AppOptions, AppState};
use crate::azure::auth::TokenSource;
use crate::azure::{AzureClient, ClientOptions};
use crate::cli::DemoArgs;
use crate::cli::exit::ExitCode;
use crate::cli::exit::{CliError, CmdResult};
use crate::cli::setup;
use crate::config::Config;
use crate::domain::error::UserError;
use crate::emulator::{Emulator, EmulatorConfig, World};
use crate::engine::Engine;
use crate::journal::Journal;
use crate::ui::theme::Theme;

/// Default keys, with the user's `keymap.toml` laid over them.
///
/// # Errors
/// A usage error naming the file, line and entry of a bad binding.
pub fn keymap(config: &Config) -> Result<Keymap, CliError> {
    let mut keymap = Keymap::default_embedded();
    let path = config.paths.keymap_file();
    if let Ok(text) = std::fs::read_to_string(&path) {
        keymap
            .overlay(&text, &path.display().to_string())
            .map_err(|e| CliError::usage(UserError::new(e.to_string())))?;
    }
    Ok(keymap)
}

/// The colour theme, or the monochrome one when `NO_COLOR` is set.
pub fn theme() -> Theme {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        Theme::no_color()
    } else {
        Theme::default_embedded()
    }
}

async fn run_tui(config: &Config, engine: Engine, label: &str) -> CmdResult {
    let keymap = keymap(config)?;
    let (state, initial) = AppState::new(AppOptions {
        read_only: config.read_only,
        keymap,
        now: OffsetDateTime::now_utc(),
        context_label: label.to_owned(),
    });
    event_loop::run(engine, state, initial, theme())
        .await
        .map_err(|e| CliError::failed(UserError::new(format!("terminal error: {e}"))))?;
    Ok(ExitCode::Ok)
}

/// The TUI against Azure (or whatever `--arm-endpoint` points at).
///
/// # Errors
/// [`CliError`] when no credential or journal is available, or the terminal fails.
pub async fn run_azure(config: &Config) -> CmdResult {
    let client = setup::client(config).map_err(CliError::failed)?;
    let engine = setup::engine(config, client).map_err(CliError::failed)?;
    let label = format!("Azure · {}", config.arm_endpoint.host_str().unwrap_or("?"));
    run_tui(config, engine, &label).await
}

/// The TUI against an emulator started here with the demo world; nothing leaves the machine.
///
/// # Errors
/// [`CliError`] when the emulator or the terminal cannot start.
pub async fn run_demo(config: &Config, args: &DemoArgs) -> CmdResult {
    let world =
        World::demo().map_err(|e| CliError::failed(UserError::new(format!("demo world: {e}"))))?;
    let mut ec = EmulatorConfig::new(world);
    ec.speed = args.speed.max(1.0);
    ec.latency = Duration::from_millis(args.latency);
    ec.state_file.clone_from(&args.state_file);
    let emulator = Emulator::start(ec)
        .await
        .map_err(|e| CliError::failed(UserError::new(format!("cannot start the emulator: {e}"))))?;
    let mut options = ClientOptions::new(emulator.arm_endpoint());
    options.poll.default_interval = Duration::from_secs(1);
    options.poll.lost_post_window = Duration::from_secs(6);
    let client = AzureClient::new(options, TokenSource::fixed(emulator.token()))
        .map_err(|e| CliError::failed(e.to_user_error("setting up the client")))?;
    // The demo's emulator is new each time: its old operations cannot be watched again.
    let path = config.paths.demo_journal_file();
    let _ = std::fs::remove_file(&path);
    let journal =
        Journal::open(&path).map_err(|e| CliError::failed(UserError::new(e.to_string())))?;
    let engine = Engine {
        endpoint: emulator.arm_endpoint().origin().ascii_serialization(),
        client,
        journal: Arc::new(journal),
        read_only: config.read_only,
    };
    let result = run_tui(config, engine, "demo · local emulator, no Azure").await;
    emulator.shutdown().await;
    result
}
