//! How long a backup, restore or creation will take, and how far along one is: the journal's past
//! durations when there are any (the same service first, else the same kind and tier), else
//! Microsoft's typical durations, labelled as such. The one place every face (CLI progress,
//! `operations`, the TUI's gauges) takes its ETA from. Pure: time comes in as arguments.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::names::ServiceId;
use super::operation::OperationKind;
use super::progress::PastOperation;
use super::sku::SkuName;

/// Microsoft's typical restore: "Restore is a long running operation that may take up to 30 or
/// more minutes to complete" (the backup/restore guide; the PowerShell tab says up to 45).
pub const TYPICAL_RESTORE: Duration = Duration::minutes(30);
/// Microsoft's typical backup: "Backup is a long running operation that may take multiple
/// minutes to complete"; "several minutes" is read as 10.
pub const TYPICAL_BACKUP: Duration = Duration::minutes(10);
/// Microsoft's typical creation of a classic-tier service: "It can take 30 to 40 minutes to
/// create and activate an API Management service" (the quickstarts); read as 40.
pub const TYPICAL_CREATE: Duration = Duration::minutes(40);

/// What an estimate is based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// Past successful operations of this kind on this service (the journal).
    SameService {
        /// How many.
        samples: usize,
    },
    /// Past successful operations of this kind on services of this tier (the journal).
    SameTier {
        /// The tier.
        tier: SkuName,
        /// How many.
        samples: usize,
    },
    /// No history: Microsoft's typical duration.
    Microsoft,
}

/// A typical duration and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// Backup or restore.
    pub kind: OperationKind,
    /// The median of the past durations used, or Microsoft's typical one.
    pub typical: Duration,
    /// Where it comes from.
    pub basis: Basis,
}

/// How far along a live operation is, against its estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Elapsed over typical, at most 0.99 (the gauge never says done before Azure does).
    pub fraction: f64,
    /// Typical minus elapsed; `None` once past the typical duration.
    pub remaining: Option<Duration>,
    /// When it typically ends (start plus typical).
    pub eta: OffsetDateTime,
}

/// The estimate for an operation of `kind` on `service` (of `tier`): the median of the
/// journal's successful operations of that kind on the same service, else on the same tier,
/// else Microsoft's typical duration.
pub fn estimate(
    history: &[PastOperation],
    kind: OperationKind,
    tier: Option<&SkuName>,
    service: Option<&ServiceId>,
) -> Estimate {
    let of_kind = || history.iter().filter(|p| p.kind == kind && p.succeeded);
    let same: Vec<std::time::Duration> = of_kind()
        .filter(|p| service.is_some_and(|s| s.same_as(&p.service)))
        .map(|p| p.duration)
        .collect();
    if let Some(typical) = median(same.clone()) {
        let basis = Basis::SameService {
            samples: same.len(),
        };
        return Estimate {
            kind,
            typical,
            basis,
        };
    }
    if let Some(tier) = tier {
        let alike: Vec<_> = of_kind()
            .filter(|p| p.tier.as_ref() == Some(tier))
            .map(|p| p.duration)
            .collect();
        let samples = alike.len();
        if let Some(typical) = median(alike) {
            let basis = Basis::SameTier {
                tier: tier.clone(),
                samples,
            };
            return Estimate {
                kind,
                typical,
                basis,
            };
        }
    }
    let typical = match kind {
        OperationKind::Backup => TYPICAL_BACKUP,
        OperationKind::Restore => TYPICAL_RESTORE,
        OperationKind::Create => TYPICAL_CREATE,
    };
    Estimate {
        kind,
        typical,
        basis: Basis::Microsoft,
    }
}

fn median(mut durations: Vec<std::time::Duration>) -> Option<Duration> {
    if durations.is_empty() {
        return None;
    }
    durations.sort_unstable();
    let mid = durations.len() / 2;
    let m = if durations.len().is_multiple_of(2) {
        (durations[mid - 1] + durations[mid]) / 2
    } else {
        durations[mid]
    };
    Some(Duration::try_from(m).unwrap_or(Duration::MAX))
}

impl Estimate {
    /// "usually ~31 min" (the journal) or "typically 30 min or more" (Microsoft).
    pub fn phrase(&self) -> String {
        match self.basis {
            Basis::Microsoft => format!("typically {} or more", rough(self.typical)),
            _ => format!("usually ~{}", rough(self.typical)),
        }
    }

    /// Where the estimate comes from, in words: "median of 3 past restores of this service",
    /// "median of 2 past Standard restores", "typical, Microsoft".
    pub fn basis_text(&self) -> String {
        let plural = |n: usize| format!("{n} past {}{}", self.kind, if n == 1 { "" } else { "s" });
        match &self.basis {
            Basis::SameService { samples } => {
                format!("median of {} of this service", plural(*samples))
            }
            Basis::SameTier { tier, samples } => {
                format!("median of {} on {tier} services", plural(*samples))
            }
            Basis::Microsoft => "typical, Microsoft".to_owned(),
        }
    }

    /// How far along an operation started at `started` is at `now`.
    pub fn progress(&self, started: OffsetDateTime, now: OffsetDateTime) -> Progress {
        let elapsed = (now - started).max(Duration::ZERO);
        let typical = self.typical.max(Duration::SECOND);
        let fraction = (elapsed.as_seconds_f64() / typical.as_seconds_f64()).clamp(0.0, 0.99);
        let left = typical - elapsed;
        Progress {
            fraction,
            remaining: (left > Duration::ZERO).then_some(left),
            eta: started + typical,
        }
    }

    /// "~18 min left (median of 3 past restores of this service)", or, once past the typical
    /// duration, "longer than usual (usually ~31 min, median of …)".
    pub fn remaining_text(&self, started: OffsetDateTime, now: OffsetDateTime) -> String {
        match self.progress(started, now).remaining {
            Some(left) => format!("~{} left ({})", rough(left), self.basis_text()),
            None => format!(
                "longer than {} ({})",
                match self.basis {
                    Basis::Microsoft => "typical",
                    _ => "usual",
                },
                self.basis_text()
            ),
        }
    }
}

/// The estimate of one live operation in `-o json` (`operations`, progress events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EstimateJson {
    /// The typical duration, in seconds.
    pub typical_secs: i64,
    /// When it typically ends (RFC 3339, UTC).
    pub eta: String,
    /// Seconds left until then; `null` once past it.
    pub remaining_secs: Option<i64>,
    /// `same_service`, `same_tier` or `microsoft`, with `samples` (and `tier`) from the journal.
    #[serde(flatten)]
    pub basis: Basis,
    /// The basis in words.
    pub basis_text: String,
}

impl EstimateJson {
    /// The JSON of `e` for an operation started at `started`, at `now`.
    pub fn new(e: &Estimate, started: OffsetDateTime, now: OffsetDateTime) -> Self {
        let p = e.progress(started, now);
        Self {
            typical_secs: e.typical.whole_seconds(),
            eta: super::duration::utc_seconds(p.eta),
            remaining_secs: p.remaining.map(Duration::whole_seconds),
            basis: e.basis.clone(),
            basis_text: e.basis_text(),
        }
    }
}

/// Rounds a duration the way people say it: "45 s", "31 min", "1 h 10 min".
pub fn rough(d: Duration) -> String {
    let secs = d.whole_seconds().max(0);
    if secs < 90 {
        return format!("{secs} s");
    }
    let mins = (secs + 30) / 60;
    if mins < 90 {
        format!("{mins} min")
    } else {
        format!("{} h {:02} min", mins / 60, mins % 60)
    }
}

#[cfg(test)]
mod tests;
