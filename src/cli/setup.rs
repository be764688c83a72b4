//! From flags and environment to a ready client, journal and engine; and the log file.

use std::sync::Arc;

use super::GlobalArgs;
use crate::azure::auth::TokenSource;
use crate::azure::{AzureClient, ClientOptions};
use crate::config::{Config, Overrides, Paths};
use crate::domain::error::UserError;
use crate::engine::Engine;
use crate::journal::Journal;
use crate::secret::Secret;

/// The resolved configuration for these flags.
///
/// # Errors
/// [`UserError`] for an unreadable config file or a bad endpoint.
pub fn config(global: &GlobalArgs) -> Result<Config, UserError> {
    let overrides = Overrides {
        arm_endpoint: global.arm_endpoint.clone(),
        cloud: global.cloud,
        auth: global.auth,
        read_only: global.read_only,
        poll_interval_secs: global.poll_interval,
    };
    Config::resolve(Paths::from_env(), &overrides).map_err(|e| UserError::new(e.to_string()))
}

/// `APIM_DR_ACCESS_TOKEN` when set, else the `azure_identity` chain for `--auth`.
///
/// # Errors
/// [`UserError`] when no credential can be set up.
pub fn token_source(config: &Config) -> Result<TokenSource, UserError> {
    match std::env::var("APIM_DR_ACCESS_TOKEN") {
        Ok(t) if !t.trim().is_empty() => Ok(TokenSource::fixed(Secret::new(t.trim()))),
        _ => TokenSource::from_method(config.auth, config.cloud.scopes())
            .map_err(|e| e.to_user_error("setting up the credential")),
    }
}

/// The Azure client for `config`.
///
/// # Errors
/// [`UserError`] for a refused endpoint or no credential.
pub fn client(config: &Config) -> Result<AzureClient, UserError> {
    let mut options = ClientOptions::new(config.arm_endpoint.clone());
    options.poll.default_interval = config.poll_interval;
    // Six polls: 60 s at the default interval, as long as ARM gives a provider to answer.
    options.poll.lost_post_window = config.poll_interval * 6;
    AzureClient::new(options, token_source(config)?)
        .map_err(|e| e.to_user_error("setting up the client"))
}

/// The engine over `client`, journaling to the normal journal.
///
/// # Errors
/// [`UserError`] when the journal cannot be opened.
pub fn engine(config: &Config, client: AzureClient) -> Result<Engine, UserError> {
    let journal = Journal::open(&config.paths.journal_file())
        .map_err(|e| UserError::new(format!("cannot open the operation journal: {e}")))?;
    Ok(Engine {
        client,
        journal: Arc::new(journal),
        endpoint: config.endpoint_origin(),
        read_only: config.read_only,
    })
}

/// Logs go to a file in the data dir (0600), never to the terminal.
/// The returned guard flushes the log when dropped.
pub fn logging(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::EnvFilter;
    let dir = paths.log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("apim-dr.log");
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(&path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .ok()?;
    }
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
