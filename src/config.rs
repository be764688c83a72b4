//! Configuration: defaults ← `config.toml` in the config dir ← environment ← flags, and the
//! paths of the journal, the log and the config file (from `directories`, overridable with
//! `APIM_DR_DATA_DIR` / `APIM_DR_CONFIG_DIR` so tests and drills are isolated).

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::azure::auth::{AuthMethod, Scopes};
use crate::secret::Secret;

/// Seconds between polls when Azure sends no retry hint (`--poll-interval`,
/// `poll_interval_secs`): at least one second, at most ten minutes.
pub const POLL_INTERVAL_SECS: RangeInclusive<u64> = 1..=600;

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
}

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
    /// `APIM_DR_STORAGE_TOKEN`: a storage bearer token to go with `access_token`.
    pub storage_token: Option<Secret>,
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
    /// With `access_token`: the storage token for accounts that disallow Shared Key.
    pub storage_token: Option<Secret>,
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
        Ok(Self {
            arm_endpoint,
            cloud,
            auth: overrides.auth.or(file.auth).unwrap_or_default(),
            read_only: overrides.read_only || file.read_only.unwrap_or(false),
            poll_interval: Duration::from_secs(poll_interval_secs(
                &paths,
                overrides.poll_interval_secs,
                file.poll_interval_secs,
            )?),
            access_token: overrides.access_token.clone(),
            storage_token: overrides.storage_token.clone(),
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

/// The poll interval in seconds: the flag, else the file's key, else 10; in
/// [`POLL_INTERVAL_SECS`].
fn poll_interval_secs(
    paths: &Paths,
    flag: Option<u64>,
    file: Option<u64>,
) -> Result<u64, ConfigError> {
    let (value, source_name) = match (flag, file) {
        (Some(v), _) => (v, "--poll-interval".to_owned()),
        (None, Some(v)) => (
            v,
            format!("poll_interval_secs in {}", paths.config_file().display()),
        ),
        (None, None) => return Ok(10),
    };
    if POLL_INTERVAL_SECS.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::Range {
            source_name,
            value,
            what: "seconds between polls",
            min: *POLL_INTERVAL_SECS.start(),
            max: *POLL_INTERVAL_SECS.end(),
        })
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
    fn unknown_keys_name_the_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::write(p.config_file(), "read_onyl = true\n").unwrap();
        let e = Config::resolve(p, &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("config.toml") && e.contains("read_onyl"), "{e}");
    }

    #[test]
    fn poll_intervals_out_of_range_name_their_source() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::write(p.config_file(), "poll_interval_secs = 0\n").unwrap();
        let e = Config::resolve(p.clone(), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("poll_interval_secs in") && e.contains("config.toml"),
            "{e}"
        );
        assert!(
            e.contains("0 is out of range") && e.contains("from 1 to 600"),
            "{e}"
        );
        let o = Overrides {
            poll_interval_secs: Some(u64::MAX),
            ..Overrides::default()
        };
        let e = Config::resolve(p, &o).unwrap_err().to_string();
        assert!(
            e.starts_with("--poll-interval: 18446744073709551615 is out of range"),
            "{e}"
        );
    }

    fn extreme() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|f| f.to_string()),
            (0_u64..=700).prop_map(|n| n.to_string()),
            "[0-9]{15,40}",
            prop::sample::select(vec!["0", "-0", "NaN", "inf", "", "18446744073709551616"])
                .prop_map(str::to_owned),
        ]
    }

    fn with_token(o: Overrides) -> Overrides {
        Overrides {
            arm_endpoint: Some("http://127.0.0.1:9".into()),
            access_token: Some(Secret::new("t")),
            ..o
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

        /// `--poll-interval`: refused while parsing out of range, else the client is built.
        #[test]
        fn no_poll_interval_flag_panics(value in extreme()) {
            use clap::Parser;
            let flag = format!("--poll-interval={value}");
            match crate::cli::Cli::try_parse_from(["apim-dr", "services", &flag]) {
                Err(e) => proptest::prop_assert!(e.to_string().contains("from 1 to 600"), "{e}"),
                Ok(cli) => {
                    let dir = tempfile::tempdir().unwrap();
                    let o = with_token(Overrides {
                        poll_interval_secs: cli.global.poll_interval,
                        ..Overrides::default()
                    });
                    let c = Config::resolve(paths(dir.path()), &o).unwrap();
                    proptest::prop_assert!(POLL_INTERVAL_SECS.contains(&c.poll_interval.as_secs()));
                    crate::engine::client_for(&c).unwrap();
                }
            }
        }

        /// `poll_interval_secs`: an error naming the file, or a client built from it.
        #[test]
        fn no_poll_interval_key_panics(value in extreme()) {
            let dir = tempfile::tempdir().unwrap();
            let p = paths(dir.path());
            std::fs::write(p.config_file(), format!("poll_interval_secs = {value}\n")).unwrap();
            match Config::resolve(p, &with_token(Overrides::default())) {
                Err(e) => proptest::prop_assert!(e.to_string().contains("config.toml"), "{e}"),
                Ok(c) => {
                    proptest::prop_assert!(POLL_INTERVAL_SECS.contains(&c.poll_interval.as_secs()));
                    crate::engine::client_for(&c).unwrap();
                }
            }
        }
    }
}
