//! Start-up, first half: from flags and environment to the resolved configuration, and the
//! log file. The second half, configuration → credential → client → journal, is
//! [`crate::engine::Engine::new`].

use super::GlobalArgs;
use super::exit::CliError;
use crate::azure::transport::check_secure;
use crate::config::{Config, Overrides, Paths};
use crate::domain::error::UserError;
use crate::engine::Engine;
use crate::secret::Secret;

/// The resolved configuration for these flags.
///
/// # Errors
/// [`UserError`] for an unreadable config file or a bad endpoint.
pub fn config(
    global: &GlobalArgs,
    from_environment: Vec<&'static str>,
) -> Result<Config, UserError> {
    let overrides = Overrides {
        arm_endpoint: global.arm_endpoint.clone(),
        cloud: global.cloud,
        auth: global.auth,
        tenant: global.tenant.clone(),
        auth_client_id: global.auth_client_id.clone(),
        from_environment,
        read_only: global.read_only,
        poll_interval_secs: global.poll_interval,
        max_in_flight: global.max_in_flight,
        access_token: env_secret("APIM_DR_ACCESS_TOKEN"),
        storage_token: env_secret("APIM_DR_STORAGE_TOKEN"),
    };
    Config::resolve(Paths::from_env(), &overrides).map_err(|e| UserError::new(e.to_string()))
}

/// The settings (by `config.toml` name) whose value clap took from an environment variable
/// rather than a flag. Global options are read where they are complete: in the innermost
/// subcommand's matches.
pub fn from_environment(matches: &clap::ArgMatches) -> Vec<&'static str> {
    let mut leaf = matches;
    while let Some((_, sub)) = leaf.subcommand() {
        leaf = sub;
    }
    // The options that have an environment variable; the argument ids are the setting names.
    ["arm_endpoint", "tenant", "auth_client_id", "max_in_flight"]
        .into_iter()
        .filter(|id| leaf.value_source(id) == Some(clap::parser::ValueSource::EnvVariable))
        .collect()
}

/// A token from the environment, trimmed; unset or blank is none.
fn env_secret(name: &str) -> Option<Secret> {
    std::env::var(name)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .map(Secret::new)
}

/// The engine for `config` ([`Engine::new`]). An ARM endpoint refused as insecure (plain
/// `http://` to a host that is not loopback) is bad input, exit 2, as a refused storage endpoint
/// is; no credential or journal is a failure, exit 1.
///
/// # Errors
/// [`CliError`] as above.
pub fn engine(config: &Config) -> Result<Engine, CliError> {
    check_secure(&config.arm_endpoint)
        .map_err(|e| CliError::api("checking the ARM endpoint", &e))?;
    Engine::new(config).map_err(CliError::failed)
}

/// The engine of a command: as [`engine`], and every wait over ten seconds inside a call is
/// said on stderr (stdout keeps the command's own output, text or JSON).
///
/// # Errors
/// As [`engine`].
pub fn command_engine(config: &Config) -> Result<Engine, CliError> {
    let engine = engine(config)?;
    Ok(engine.with_wait_listener(std::sync::Arc::new(|line: &str| eprintln!("{line}"))))
}

/// Logs go to a file in the data dir (0600, in a directory created 0700), never to the terminal.
/// The returned guard flushes the log when dropped.
pub fn logging(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::EnvFilter;
    let file = crate::private_fs::open_append(&paths.log_dir().join("apim-dr.log")).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("APIM_DR_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
