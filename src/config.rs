//! Configuration: defaults ← `config.toml` in the config dir ← environment ← flags, and the
//! paths of the journal, the log and the config file (from `directories`, overridable with
//! `APIM_DR_DATA_DIR` / `APIM_DR_CONFIG_DIR` so tests and drills are isolated). Every
//! resolved setting keeps where its value came from ([`Setting`], `apim-dr config`).

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::azure::InFlightLimits;
use crate::azure::auth::AuthMethod;
use crate::secret::Secret;

mod cloud;
mod ranges;

pub use cloud::Cloud;
use ranges::{in_flight_limits, poll_interval_secs, rpo_hours};

/// Seconds between polls when Azure sends no retry hint (`--poll-interval`,
/// `poll_interval_secs`): at least one second, at most ten minutes.
pub const POLL_INTERVAL_SECS: RangeInclusive<u64> = 1..=600;

/// The recovery point objective in hours (`rpo --rpo-hours`, `rpo_hours`): a backup older
/// than this is past it. At most 30 days, a backup's whole life.
pub const RPO_HOURS: RangeInclusive<u64> = 1..=720;

/// The RPO when neither the flag nor the file sets one.
pub const DEFAULT_RPO_HOURS: u64 = 24;

/// Where apim-dr keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Config dir (`config.toml`, `keymap.toml`).
    pub config_dir: PathBuf,
    /// Data dir (journal, logs).
    pub data_dir: PathBuf,
}

impl Paths {
    /// Platform paths, overridden by `APIM_DR_CONFIG_DIR` and `APIM_DR_DATA_DIR`.
    pub fn from_env() -> Self {
        let dirs = directories::ProjectDirs::from("", "", "apim-dr");
        let fallback = || PathBuf::from(".apim-dr");
        let env_dir = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Self {
            config_dir: env_dir("APIM_DR_CONFIG_DIR")
                .or_else(|| dirs.as_ref().map(|d| d.config_dir().to_owned()))
                .unwrap_or_else(fallback),
            data_dir: env_dir("APIM_DR_DATA_DIR")
                .or_else(|| dirs.as_ref().map(|d| d.data_dir().to_owned()))
                .unwrap_or_else(fallback),
        }
    }

    /// `config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// The user's keymap override.
    pub fn keymap_file(&self) -> PathBuf {
        self.config_dir.join("keymap.toml")
    }

    /// The journal of operations against Azure (or any endpoint but the demo's).
    pub fn journal_file(&self) -> PathBuf {
        self.data_dir.join("journal.jsonl")
    }

    /// The demo's own journal, cleared at each `demo` start.
    pub fn demo_journal_file(&self) -> PathBuf {
        self.data_dir.join("demo").join("journal.jsonl")
    }

    /// Log directory.
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }

    /// The platform cache directory (e.g. `~/.cache/apim-dr`): the TUI keeps the last
    /// inventory it loaded there, one file per ARM endpoint (`cache.rs`); deleting it loses
    /// nothing but the first frame's rows.
    pub fn cache_dir(&self) -> PathBuf {
        directories::ProjectDirs::from("", "", "apim-dr")
            .map_or_else(|| self.data_dir.join("cache"), |d| d.cache_dir().to_owned())
    }
}

/// The settings `config.toml` may hold. Unknown keys are an error naming the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Hide and refuse backup and restore.
    pub read_only: Option<bool>,
    /// ARM endpoint.
    pub arm_endpoint: Option<String>,
    /// Cloud preset.
    pub cloud: Option<Cloud>,
    /// Credential choice.
    pub auth: Option<AuthMethod>,
    /// Seconds between polls when Azure sends no `Retry-After`.
    pub poll_interval_secs: Option<u64>,
    /// Entra tenant to sign in to.
    pub tenant: Option<String>,
    /// Client id of a user-assigned managed identity or of the signing-in application.
    pub auth_client_id: Option<String>,
    /// Requests in flight at once, over every host (1–1024; default 32).
    pub max_in_flight: Option<usize>,
    /// Requests in flight at once to one host (1–1024; default 16).
    pub max_in_flight_per_host: Option<usize>,
    /// The recovery point objective in hours ([`RPO_HOURS`]; default 24).
    pub rpo_hours: Option<u64>,
}

/// Allowed values of the in-flight budgets.
pub const IN_FLIGHT_RANGE: std::ops::RangeInclusive<usize> = 1..=1024;

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable file.
    #[error("config file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid TOML or an unknown/ill-typed key.
    #[error("config file {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message (names the line and key).
        message: String,
    },
    /// A tenant or client id that is not one.
    #[error("{setting} '{value}' {message}")]
    Identity {
        /// Which setting.
        setting: &'static str,
        /// The value given.
        value: String,
        /// Why.
        message: &'static str,
    },
    /// A number out of its range.
    #[error("{source_name}: {value} is out of range: {what} must be from {min} to {max}")]
    Range {
        /// Where the value came from: the flag, or the key and its file.
        source_name: String,
        /// The value given.
        value: u64,
        /// What the value means.
        what: &'static str,
        /// The smallest value allowed.
        min: u64,
        /// The largest value allowed.
        max: u64,
    },
    /// A bad endpoint URL.
    #[error("ARM endpoint '{value}' is not a URL: {message}")]
    Endpoint {
        /// The value given.
        value: String,
        /// Why.
        message: String,
    },
}

impl FileConfig {
    /// Reads `path`; a missing file is an empty config.
    ///
    /// # Errors
    /// [`ConfigError`] naming the file and the problem.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::Invalid {
                path: path.to_owned(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(ConfigError::Io {
                path: path.to_owned(),
                source,
            }),
        }
    }
}

/// Settings given on the command line or in the environment (flags win over the environment;
/// clap merges the two).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--arm-endpoint` / `APIM_DR_ARM_ENDPOINT`.
    pub arm_endpoint: Option<String>,
    /// `--cloud`.
    pub cloud: Option<Cloud>,
    /// `--auth`.
    pub auth: Option<AuthMethod>,
    /// `--read-only` (only ever turns it on).
    pub read_only: bool,
    /// `--poll-interval`.
    pub poll_interval_secs: Option<u64>,
    /// `APIM_DR_ACCESS_TOKEN`: a bearer token obtained elsewhere; wins over `auth`.
    pub access_token: Option<Secret>,
    /// `--tenant` / `APIM_DR_TENANT_ID`.
    pub tenant: Option<String>,
    /// `--auth-client-id` / `APIM_DR_AUTH_CLIENT_ID`.
    pub auth_client_id: Option<String>,
    /// The settings above whose value came from the environment rather than a flag (by
    /// [`Setting`] name).
    pub from_environment: Vec<&'static str>,
    /// `APIM_DR_STORAGE_TOKEN`: a storage bearer token to go with `access_token`.
    pub storage_token: Option<Secret>,
    /// `--max-in-flight` / `APIM_DR_MAX_IN_FLIGHT`.
    pub max_in_flight: Option<usize>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Built in.
    Default,
    /// `config.toml`.
    File,
    /// An environment variable.
    Environment,
    /// A command-line flag.
    Flag,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Default => "default",
            Self::File => "file",
            Self::Environment => "environment",
            Self::Flag => "flag",
        })
    }
}

/// One resolved setting, as `apim-dr config` shows it (secrets as `set`, never their value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// The `config.toml` key (or the variable, for settings only the environment gives).
    pub name: &'static str,
    /// The value in words; `None` when unset.
    pub value: Option<String>,
    /// Where it came from.
    pub source: Source,
}

impl Overrides {
    /// Flag or environment, for a value given here.
    fn source(&self, name: &'static str) -> Source {
        if self.from_environment.contains(&name) {
            Source::Environment
        } else {
            Source::Flag
        }
    }

    /// The overriding value, else the file's, else none; with its source.
    fn pick<T: Clone>(
        &self,
        name: &'static str,
        given: Option<&T>,
        file: Option<&T>,
    ) -> (Option<T>, Source) {
        match (given, file) {
            (Some(v), _) => (Some(v.clone()), self.source(name)),
            (None, Some(v)) => (Some(v.clone()), Source::File),
            (None, None) => (None, Source::Default),
        }
    }
}

/// A tenant as Entra and `az` accept it: a GUID or a domain (letters, digits, `.`, `-`).
fn check_tenant(value: &str) -> Result<String, ConfigError> {
    let v = value.trim();
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        Ok(v.to_owned())
    } else {
        Err(ConfigError::Identity {
            setting: "tenant",
            value: value.to_owned(),
            message: "is not a tenant id or domain (letters, digits, '.' and '-' only)",
        })
    }
}

/// A client id: a GUID.
fn check_client_id(value: &str) -> Result<String, ConfigError> {
    let v = value.trim();
    if uuid::Uuid::try_parse(v).is_ok() {
        Ok(v.to_owned())
    } else {
        Err(ConfigError::Identity {
            setting: "auth_client_id",
            value: value.to_owned(),
            message: "is not a client id (a GUID)",
        })
    }
}

/// The resolved configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// ARM endpoint.
    pub arm_endpoint: Url,
    /// Cloud (scopes).
    pub cloud: Cloud,
    /// Credential choice when no static token is set.
    pub auth: AuthMethod,
    /// Backup and restore hidden and refused.
    pub read_only: bool,
    /// Wait between polls without `Retry-After`.
    pub poll_interval: Duration,
    /// A bearer token obtained elsewhere (a pipeline, the emulator), used instead of `auth`,
    /// for ARM only.
    pub access_token: Option<Secret>,
    /// The Entra tenant to sign in to (`None`: the credential's default).
    pub tenant: Option<String>,
    /// A user-assigned managed identity's client id, or the signing-in application's.
    pub auth_client_id: Option<String>,
    /// Every setting above with its source, in a stable order.
    pub settings: Vec<Setting>,
    /// With `access_token`: the storage token for accounts that disallow Shared Key.
    pub storage_token: Option<Secret>,
    /// Requests in flight at once: over every host, and to one host.
    pub in_flight: InFlightLimits,
    /// The recovery point objective in hours, from the file (`rpo --rpo-hours` wins).
    pub rpo_hours: u64,
    /// The operation journal this run writes.
    pub journal_file: PathBuf,
    /// File locations.
    pub paths: Paths,
}

impl Config {
    /// defaults ← file ← overrides.
    ///
    /// # Errors
    /// [`ConfigError`] for an unreadable file or a bad endpoint.
    pub fn resolve(paths: Paths, overrides: &Overrides) -> Result<Self, ConfigError> {
        let file = FileConfig::load(&paths.config_file())?;
        let o = overrides;
        let mut settings = Vec::new();
        let mut note = |name: &'static str, value: Option<String>, source: Source| {
            settings.push(Setting {
                name,
                value,
                source,
            });
        };
        let (cloud, src) = o.pick("cloud", o.cloud.as_ref(), file.cloud.as_ref());
        let cloud = cloud.unwrap_or_default();
        note("cloud", Some(cloud.name().to_owned()), src);
        let (endpoint, src) = o.pick(
            "arm_endpoint",
            o.arm_endpoint.as_ref(),
            file.arm_endpoint.as_ref(),
        );
        let endpoint = endpoint.unwrap_or_else(|| cloud.arm_endpoint().to_owned());
        let arm_endpoint = Url::parse(&endpoint).map_err(|e| ConfigError::Endpoint {
            value: endpoint.clone(),
            message: e.to_string(),
        })?;
        note("arm_endpoint", Some(arm_endpoint.to_string()), src);
        let (auth, src) = o.pick("auth", o.auth.as_ref(), file.auth.as_ref());
        let auth = auth.unwrap_or_default();
        note("auth", Some(auth.name().to_owned()), src);
        let (tenant, src) = o.pick("tenant", o.tenant.as_ref(), file.tenant.as_ref());
        let tenant = tenant.as_deref().map(check_tenant).transpose()?;
        note("tenant", tenant.clone(), src);
        let (client, src) = o.pick(
            "auth_client_id",
            o.auth_client_id.as_ref(),
            file.auth_client_id.as_ref(),
        );
        let auth_client_id = client.as_deref().map(check_client_id).transpose()?;
        note("auth_client_id", auth_client_id.clone(), src);
        let read_only = o.read_only || file.read_only.unwrap_or(false);
        let src = match (o.read_only, file.read_only) {
            (true, _) => o.source("read_only"),
            (false, Some(_)) => Source::File,
            (false, None) => Source::Default,
        };
        note("read_only", Some(read_only.to_string()), src);
        let (_, src) = o.pick::<u64>(
            "poll_interval_secs",
            o.poll_interval_secs.as_ref(),
            file.poll_interval_secs.as_ref(),
        );
        let poll_interval = Duration::from_secs(poll_interval_secs(
            &paths,
            (o.poll_interval_secs, file.poll_interval_secs),
        )?);
        note(
            "poll_interval_secs",
            Some(poll_interval.as_secs().to_string()),
            src,
        );
        for (name, token) in [
            ("APIM_DR_ACCESS_TOKEN", &o.access_token),
            ("APIM_DR_STORAGE_TOKEN", &o.storage_token),
        ] {
            let (value, source) = match token {
                Some(_) => (Some("set (hidden)".to_owned()), Source::Environment),
                None => (None, Source::Default),
            };
            note(name, value, source);
        }
        let (rpo_hours, src) = rpo_hours(&paths, file.rpo_hours)?;
        note("rpo_hours", Some(rpo_hours.to_string()), src);
        let in_flight = in_flight_limits(&paths, o.max_in_flight, &file)?;
        let (_, src) = o.pick(
            "max_in_flight",
            o.max_in_flight.as_ref(),
            file.max_in_flight.as_ref(),
        );
        note("max_in_flight", Some(in_flight.total.to_string()), src);
        let (_, src) = o.pick("", None, file.max_in_flight_per_host.as_ref());
        note(
            "max_in_flight_per_host",
            Some(in_flight.per_host.to_string()),
            src,
        );
        Ok(Self {
            in_flight,
            rpo_hours,
            arm_endpoint,
            cloud,
            auth,
            read_only,
            poll_interval,
            access_token: o.access_token.clone(),
            storage_token: o.storage_token.clone(),
            tenant,
            auth_client_id,
            settings,
            journal_file: paths.journal_file(),
            paths,
        })
    }

    /// This configuration pointed at the demo's emulator: its endpoint and token (which its
    /// ARM and its Blob both accept), one-second polls, and the demo's own journal.
    #[must_use]
    pub fn for_demo(mut self, arm_endpoint: Url, token: Secret) -> Self {
        self.arm_endpoint = arm_endpoint;
        self.storage_token = Some(token.clone());
        self.access_token = Some(token);
        self.poll_interval = Duration::from_secs(1);
        self.journal_file = self.paths.demo_journal_file();
        self
    }

    /// The ARM origin, as journal records store it.
    pub fn endpoint_origin(&self) -> String {
        self.arm_endpoint.origin().ascii_serialization()
    }
}

#[cfg(test)]
mod tests;
