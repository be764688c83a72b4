//! Whole-number settings resolved from their flag, their `config.toml` key or their default,
//! each checked against its range with an error that names where the value came from.

use std::ops::RangeInclusive;

use super::{
    ConfigError, DEFAULT_RPO_HOURS, FileConfig, IN_FLIGHT_RANGE, POLL_INTERVAL_SECS, Paths,
    RPO_HOURS, Source,
};
use crate::azure::InFlightLimits;

/// The in-flight budgets: the flag, else the file, else the defaults; each within
/// [`IN_FLIGHT_RANGE`], or an error naming the flag or the key and its file.
pub(super) fn in_flight_limits(
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
pub(super) fn poll_interval_secs(
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
pub(super) fn rpo_hours(paths: &Paths, file: Option<u64>) -> Result<(u64, Source), ConfigError> {
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
