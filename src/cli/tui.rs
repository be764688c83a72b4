//! `apim-dr` (no command): the guided TUI against Azure, or whatever `--arm-endpoint` points
//! at. Loads the keys and the theme, builds the engine, shows the inventory cached by the last
//! session (stale, with its age) and hands them to the event loop.

use time::OffsetDateTime;

use super::exit::{CliError, CmdResult, ExitCode};
use crate::app::action::Action;
use crate::app::keymap::Keymap;
use crate::app::state::{AppOptions, AppState};
use crate::app::update::update;
use crate::cache::InventoryCache;
use crate::config::Config;
use crate::domain::error::UserError;
use crate::engine::Engine;
use crate::runtime::event_loop;
use crate::runtime::signals::Ending;
use crate::ui::theme::Theme;

/// Default keys, with the user's `keymap.toml` laid over them. No file means the defaults; a
/// file that cannot be read (not UTF-8, no permission, a directory) is an error, not ignored:
/// the operator would otherwise work with keys they did not ask for.
///
/// # Errors
/// A usage error naming the file, and the line and entry of a bad binding.
pub fn keymap(config: &Config) -> Result<Keymap, CliError> {
    let mut keymap = Keymap::default_embedded();
    let path = config.paths.keymap_file();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(keymap),
        Err(e) => {
            return Err(CliError::usage(
                UserError::new(format!("cannot read {}: {e}", path.display()))
                    .with_hint("fix it, or move it away to use the default keys"),
            ));
        }
    };
    keymap
        .overlay(&text, &path.display().to_string())
        .map_err(|e| CliError::usage(UserError::new(e.to_string())))?;
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

/// Runs the TUI over `engine` until the user quits (exit 0) or SIGHUP (129) or SIGTERM (143)
/// ends it; `label` names what it is connected to; `starts_over` is the demo, whose emulator
/// ends with it.
///
/// # Errors
/// [`CliError`] for a bad keymap or a terminal that cannot be used.
pub async fn run_with(
    config: &Config,
    engine: Engine,
    label: &str,
    starts_over: bool,
) -> CmdResult {
    let keymap = keymap(config)?;
    let (mut state, initial) = AppState::new(AppOptions {
        rpo_hours: config.rpo_hours,
        read_only: config.read_only,
        keymap,
        now: OffsetDateTime::now_utc(),
        context_label: label.to_owned(),
        starts_over,
        arm_endpoint: engine.client().options().arm_endpoint.to_string(),
        api_version: engine.client().options().api_version.clone(),
    });
    // The demo's world starts over each time: nothing of it is worth keeping.
    let cache = (!starts_over)
        .then(|| InventoryCache::new(&config.paths.cache_dir(), &config.arm_endpoint));
    if let Some(cache) = cache.clone()
        && let Ok(Some(cached)) = tokio::task::spawn_blocking(move || cache.read()).await
    {
        update(
            &mut state,
            Action::InventoryCached {
                inventory: Box::new(cached.inventory),
                saved_at: cached.saved_at,
            },
        );
    }
    let ending = event_loop::run(engine, cache, state, initial, &theme())
        .await
        .map_err(|e| CliError::failed(UserError::new(format!("terminal error: {e}"))))?;
    Ok(match ending {
        None => ExitCode::Ok,
        Some(Ending::Hangup) => ExitCode::Hangup,
        Some(Ending::Terminate) => ExitCode::Terminated,
    })
}

/// The TUI against Azure.
///
/// # Errors
/// [`CliError`] when no credential or journal is available, or the terminal fails.
pub async fn run(config: &Config) -> CmdResult {
    let engine = super::startup::engine(config)?;
    let label = format!("Azure · {}", config.arm_endpoint.host_str().unwrap_or("?"));
    run_with(config, engine, &label, false).await
}
