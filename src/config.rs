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
use crate::azure::auth::{AuthMethod, Scopes};
use crate::secret::Secret;

/// Seconds between polls when Azure sends no retry hint (`--poll-interval`,
/// `poll_interval_secs`): at least one second, at most ten minutes.
pub const POLL_INTERVAL_SECS: RangeInclusive<u64> = 1..=600;

/// The recovery point objective in hours (`rpo --rpo-hours`, `rpo_hours`): a backup older
/// than this is past it. At most 30 days, a backup's whole life.
pub const RPO_HOURS: RangeInclusive<u64> = 1..=720;

/// The RPO when neither the flag nor the file sets one.
pub const DEFAULT_RPO_HOURS: u64 = 24;

/// Azure clouds with their ARM endpoint and token scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Deserialize, Serialize)]
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

    /// The cloud's Microsoft Entra authority, for the credentials that sign in over HTTP.
    pub fn entra(self) -> azure_core::cloud::CloudConfiguration {
        use azure_core::cloud::CloudConfiguration;
        match self {
            Self::Public => CloudConfiguration::AzurePublic,
            Self::China => CloudConfiguration::AzureChina,
            Self::Usgov => CloudConfiguration::AzureGovernment,
        }
    }

    /// The name `--cloud` and `config.toml` use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::China => "china",
            Self::Usgov => "usgov",
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

    /// The platform cache directory (e.g. `~/.cache/apim-dr`); apim-dr caches nothing on disk
    /// today, `apim-dr config` shows it so an operator knows it is not used.
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

/// The in-flight budgets: the flag, else the file, else the defaults; each within
/// [`IN_FLIGHT_RANGE`], or an error naming the flag or the key and its file.
fn in_flight_limits(
    paths: &Paths,
    flag: Option<usize>,
    file: &FileConfig,
) -> Result<InFlightLimits, ConfigError> {
    let given = |flag: Option<usize>, key: &'static str, file_value: Option<usize>| match (
        flag, file_value,
    ) {
        (Some(v), _) => Some((v, format!("--{}", key.replace('_', "-")))),
        (None, Some(v)) => Some((v, format!("{key} in {}", paths.config_file().display()))),
        (None, None) => None,
    };
    let in_range = |given: Option<(usize, String)>, default: usize| match given {
        Some((v, source_name)) if !IN_FLIGHT_RANGE.contains(&v) => Err(ConfigError::Range {
            source_name,
            value: v as u64,
            what: "requests in flight",
            min: *IN_FLIGHT_RANGE.start() as u64,
            max: *IN_FLIGHT_RANGE.end() as u64,
        }),
        given => Ok(given.map_or(default, |(v, _)| v)),
    };
    let defaults = InFlightLimits::default();
    Ok(InFlightLimits {
        total: in_range(
            given(flag, "max_in_flight", file.max_in_flight),
            defaults.total,
        )?,
        per_host: in_range(
            given(None, "max_in_flight_per_host", file.max_in_flight_per_host),
            defaults.per_host,
        )?,
    })
}

/// The poll interval in seconds: the flag, else the file's key, else 10; in
/// [`POLL_INTERVAL_SECS`].
fn poll_interval_secs(
    paths: &Paths,
    values: (Option<u64>, Option<u64>),
) -> Result<u64, ConfigError> {
    ranged(
        paths,
        values,
        &Ranged {
            flag: "--poll-interval",
            key: "poll_interval_secs",
            what: "seconds between polls",
            range: POLL_INTERVAL_SECS,
            default: 10,
        },
    )
}

/// The RPO in hours from the file, else the default (the `rpo` command's flag wins over both),
/// and where it came from.
fn rpo_hours(paths: &Paths, file: Option<u64>) -> Result<(u64, Source), ConfigError> {
    let hours = ranged(
        paths,
        (None, file),
        &Ranged {
            flag: "--rpo-hours",
            key: "rpo_hours",
            what: "hours of recovery point objective",
            range: RPO_HOURS,
            default: DEFAULT_RPO_HOURS,
        },
    )?;
    let source = if file.is_some() {
        Source::File
    } else {
        Source::Default
    };
    Ok((hours, source))
}

/// A whole-number setting: its flag, its `config.toml` key, what it counts, its range and
/// its default.
struct Ranged {
    flag: &'static str,
    key: &'static str,
    what: &'static str,
    range: RangeInclusive<u64>,
    default: u64,
}

/// The flag's value, else the file's, else the default; in range, or an error naming where
/// the value came from.
fn ranged(
    paths: &Paths,
    (flag, file): (Option<u64>, Option<u64>),
    r: &Ranged,
) -> Result<u64, ConfigError> {
    let (value, source_name) = match (flag, file) {
        (Some(v), _) => (v, r.flag.to_owned()),
        (None, Some(v)) => (v, format!("{} in {}", r.key, paths.config_file().display())),
        (None, None) => return Ok(r.default),
    };
    if r.range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::Range {
            source_name,
            value,
            what: r.what,
            min: *r.range.start(),
            max: *r.range.end(),
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

    fn source_of(c: &Config, name: &str) -> (Option<String>, Source) {
        let s = c.settings.iter().find(|s| s.name == name).unwrap();
        (s.value.clone(), s.source)
    }

    #[test]
    fn every_setting_says_where_it_came_from() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::write(
            p.config_file(),
            "cloud = \"usgov\"\ntenant = \"contoso.onmicrosoft.com\"\nauth = \"msi\"\n",
        )
        .unwrap();
        let o = Overrides {
            auth: Some(AuthMethod::Cli),
            auth_client_id: Some("6d1f0c3e-2b4a-4f5e-8a7b-9c0d1e2f3a4b".into()),
            arm_endpoint: Some("http://127.0.0.1:9".into()),
            access_token: Some(Secret::new("very-secret")),
            from_environment: vec!["arm_endpoint"],
            ..Overrides::default()
        };
        let c = Config::resolve(p, &o).unwrap();
        assert_eq!(source_of(&c, "cloud"), (Some("usgov".into()), Source::File));
        assert_eq!(
            source_of(&c, "tenant"),
            (Some("contoso.onmicrosoft.com".into()), Source::File)
        );
        assert_eq!(source_of(&c, "auth"), (Some("cli".into()), Source::Flag));
        assert_eq!(source_of(&c, "auth_client_id").1, Source::Flag);
        assert_eq!(
            source_of(&c, "arm_endpoint"),
            (Some("http://127.0.0.1:9/".into()), Source::Environment)
        );
        assert_eq!(
            source_of(&c, "read_only"),
            (Some("false".into()), Source::Default)
        );
        assert_eq!(
            source_of(&c, "poll_interval_secs"),
            (Some("10".into()), Source::Default)
        );
        assert_eq!(
            source_of(&c, "APIM_DR_ACCESS_TOKEN"),
            (Some("set (hidden)".into()), Source::Environment)
        );
        assert!(!format!("{:?}", c.settings).contains("very-secret"));
    }

    #[test]
    fn a_tenant_or_client_id_that_is_not_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bad_tenant = Overrides {
            tenant: Some("contoso tenant".into()),
            ..Overrides::default()
        };
        let e = Config::resolve(paths(dir.path()), &bad_tenant)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("tenant 'contoso tenant' is not a tenant id"),
            "{e}"
        );
        let bad_client = Overrides {
            auth_client_id: Some("my-identity".into()),
            ..Overrides::default()
        };
        let e = Config::resolve(paths(dir.path()), &bad_client)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("auth_client_id 'my-identity' is not a client id"),
            "{e}"
        );
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
            e.contains("--max-in-flight: 0 is out of range") && e.contains("from 1 to 1024"),
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
