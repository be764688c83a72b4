//! Configuration: defaults ← `config.toml` in the config dir ← environment ← flags, and the
//! paths of the journal, the log and the config file (from `directories`, overridable with
//! `APIM_DR_DATA_DIR` / `APIM_DR_CONFIG_DIR` so tests and drills are isolated).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::azure::InFlightLimits;
use crate::azure::auth::{AuthMethod, Scopes};
use crate::secret::Secret;

/// Azure clouds with their ARM endpoint and token scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Azure public cloud.
    #[default]
    Public,
    /// Azure operated by 21Vianet (China).
    China,
    /// Azure Government (US).
    Usgov,
}

impl Cloud {
    /// The cloud's ARM endpoint.
    pub fn arm_endpoint(self) -> &'static str {
        match self {
            Self::Public => "https://management.azure.com",
            Self::China => "https://management.chinacloudapi.cn",
            Self::Usgov => "https://management.usgovcloudapi.net",
        }
    }

    /// The cloud's token scopes.
    pub fn scopes(self) -> Scopes {
        Scopes {
            arm: format!("{}/.default", self.arm_endpoint()),
            storage: match self {
                Self::China => "https://storage.azure.cn/.default".to_owned(),
                Self::Public | Self::Usgov => "https://storage.azure.com/.default".to_owned(),
            },
        }
    }
}

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
    /// Requests in flight at once, over every host (1–1024; default 32).
    pub max_in_flight: Option<usize>,
    /// Requests in flight at once to one host (1–1024; default 16).
    pub max_in_flight_per_host: Option<usize>,
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
    /// A number outside its range.
    #[error("{key} = {value} is out of range: it must be {min} to {max}")]
    OutOfRange {
        /// The setting.
        key: &'static str,
        /// The value given.
        value: usize,
        /// Smallest allowed.
        min: usize,
        /// Largest allowed.
        max: usize,
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
    /// `--max-in-flight` / `APIM_DR_MAX_IN_FLIGHT`.
    pub max_in_flight: Option<usize>,
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
    /// A bearer token obtained elsewhere (a pipeline, the emulator), used instead of `auth`.
    pub access_token: Option<Secret>,
    /// Requests in flight at once: over every host, and to one host.
    pub in_flight: InFlightLimits,
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
        let cloud = overrides.cloud.or(file.cloud).unwrap_or_default();
        let endpoint = overrides
            .arm_endpoint
            .clone()
            .or(file.arm_endpoint)
            .unwrap_or_else(|| cloud.arm_endpoint().to_owned());
        let arm_endpoint = Url::parse(&endpoint).map_err(|e| ConfigError::Endpoint {
            value: endpoint.clone(),
            message: e.to_string(),
        })?;
        let in_range = |key: &'static str, value: Option<usize>, default: usize| match value {
            Some(v) if !IN_FLIGHT_RANGE.contains(&v) => Err(ConfigError::OutOfRange {
                key,
                value: v,
                min: *IN_FLIGHT_RANGE.start(),
                max: *IN_FLIGHT_RANGE.end(),
            }),
            v => Ok(v.unwrap_or(default)),
        };
        let defaults = InFlightLimits::default();
        let in_flight = InFlightLimits {
            total: in_range(
                "max_in_flight",
                overrides.max_in_flight.or(file.max_in_flight),
                defaults.total,
            )?,
            per_host: in_range(
                "max_in_flight_per_host",
                file.max_in_flight_per_host,
                defaults.per_host,
            )?,
        };
        Ok(Self {
            in_flight,
            arm_endpoint,
            cloud,
            auth: overrides.auth.or(file.auth).unwrap_or_default(),
            read_only: overrides.read_only || file.read_only.unwrap_or(false),
            poll_interval: Duration::from_secs(
                overrides
                    .poll_interval_secs
                    .or(file.poll_interval_secs)
                    .unwrap_or(10)
                    .max(1),
            ),
            access_token: overrides.access_token.clone(),
            journal_file: paths.journal_file(),
            paths,
        })
    }

    /// This configuration pointed at the demo's emulator: its endpoint and token, one-second
    /// polls, and the demo's own journal.
    #[must_use]
    pub fn for_demo(mut self, arm_endpoint: Url, token: Secret) -> Self {
        self.arm_endpoint = arm_endpoint;
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
mod tests {
    use super::*;

    fn paths(dir: &Path) -> Paths {
        Paths {
            config_dir: dir.to_owned(),
            data_dir: dir.join("data"),
        }
    }

    #[test]
    fn defaults_file_then_flags() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
        assert_eq!(c.arm_endpoint.as_str(), "https://management.azure.com/");
        assert!(!c.read_only);
        std::fs::write(
            p.config_file(),
            "read_only = true\ncloud = \"usgov\"\npoll_interval_secs = 30\n",
        )
        .unwrap();
        let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
        assert!(c.read_only);
        assert_eq!(
            c.arm_endpoint.as_str(),
            "https://management.usgovcloudapi.net/"
        );
        assert_eq!(c.poll_interval, Duration::from_secs(30));
        let o = Overrides {
            arm_endpoint: Some("http://127.0.0.1:9".into()),
            ..Overrides::default()
        };
        let c = Config::resolve(p, &o).unwrap();
        assert_eq!(c.endpoint_origin(), "http://127.0.0.1:9");
    }

    #[test]
    fn in_flight_budgets_from_file_and_flag_within_range() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
        assert_eq!(c.in_flight, InFlightLimits::default());
        std::fs::write(
            p.config_file(),
            "max_in_flight = 8\nmax_in_flight_per_host = 4\n",
        )
        .unwrap();
        let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
        assert_eq!((c.in_flight.total, c.in_flight.per_host), (8, 4));
        let o = Overrides {
            max_in_flight: Some(64),
            ..Overrides::default()
        };
        assert_eq!(Config::resolve(p.clone(), &o).unwrap().in_flight.total, 64);
        let o = Overrides {
            max_in_flight: Some(0),
            ..Overrides::default()
        };
        let e = Config::resolve(p, &o).unwrap_err().to_string();
        assert!(
            e.contains("max_in_flight = 0") && e.contains("1 to 1024"),
            "{e}"
        );
    }

    #[test]
    fn unknown_keys_name_the_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::write(p.config_file(), "read_onyl = true\n").unwrap();
        let e = Config::resolve(p, &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("config.toml") && e.contains("read_onyl"), "{e}");
    }
}
