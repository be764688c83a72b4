//! The recovery point each service has now: its newest restorable backup, how old it is, when
//! it expires, whether it is stored off the service's region (a backup in the service's own
//! region does not survive that region's loss), and the verdict against the recovery point
//! objective. Pure: the caller supplies the services, the backups with their catalogs as
//! shown (metadata, else inferred), the storage accounts' regions and `now`.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::backup::{BackupEntry, Freshness, Inferred};
use super::region::same_region;
use super::service::ServiceSummary;

/// Where a service stands against the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RpoVerdict {
    /// Its newest restorable backup is younger than the objective.
    Within,
    /// Its newest restorable backup is older than the objective.
    Exceeded,
    /// No backup of it that Azure would still restore was found.
    NoBackup,
    /// Past the objective or without a backup as far as this walk saw, but part of the estate
    /// could not be read: a newer backup may be there.
    Unconfirmed,
    /// Its tier has no backup and restore (Consumption, the v2 tiers): not counted.
    NotApplicable,
}

impl RpoVerdict {
    /// True when a monitor should alert on it.
    pub fn fails(self) -> bool {
        matches!(self, Self::Exceeded | Self::NoBackup)
    }

    /// The word the table shows.
    pub fn word(self) -> &'static str {
        match self {
            Self::Within => "ok",
            Self::Exceeded => "✖ past RPO",
            Self::NoBackup => "✖ no backup",
            Self::Unconfirmed => "? unconfirmed",
            Self::NotApplicable => "n/a (tier)",
        }
    }
}

/// A backup and its catalog as shown.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// The blob.
    pub entry: &'a BackupEntry,
    /// Its catalog, completed by inference.
    pub view: Inferred,
}

/// One service's recovery point.
#[derive(Debug, Clone)]
pub struct RpoRow<'a> {
    /// The service.
    pub service: &'a ServiceSummary,
    /// Its newest restorable backup.
    pub newest: Option<&'a BackupEntry>,
    /// True when that backup was matched to the service by inference, not by its metadata.
    pub inferred: bool,
    /// Its age.
    pub age: Option<Duration>,
    /// When Azure stops accepting it.
    pub expires: Option<OffsetDateTime>,
    /// Less than five days left.
    pub expiring_soon: bool,
    /// True when stored outside the service's primary region; `None` when the account's
    /// region is unknown.
    pub off_region: Option<bool>,
    /// Against the objective.
    pub verdict: RpoVerdict,
}

/// True when `c` is a backup of `s`: its source id, else its source name, is the service's.
fn belongs_to(c: &Candidate<'_>, s: &ServiceSummary) -> bool {
    let cat = &c.view.catalog;
    match (&cat.source_service, &cat.source_name) {
        (Some(id), _) => s.id_is_ignoring_case(id),
        (None, Some(name)) => name.eq_ignore_ascii_case(&s.name),
        (None, None) => false,
    }
}

/// What the assessment is made of: the estate as walked.
#[derive(Debug, Clone)]
pub struct Seen<'a> {
    /// Every service.
    pub services: &'a [ServiceSummary],
    /// Every backup found, with its catalog as shown.
    pub backups: Vec<Candidate<'a>>,
    /// Storage account name → region.
    pub account_regions: BTreeMap<String, String>,
    /// False when part of the estate could not be read.
    pub complete: bool,
}

/// Every service's recovery point at `now` against `objective`.
pub fn assess<'a>(seen: &Seen<'a>, objective: Duration, now: OffsetDateTime) -> Vec<RpoRow<'a>> {
    let (services, backups, account_regions) =
        (seen.services, &seen.backups, &seen.account_regions);
    services
        .iter()
        .map(|s| {
            let newest = backups
                .iter()
                .filter(|c| belongs_to(c, s))
                .filter(|c| {
                    matches!(
                        c.entry.freshness(now),
                        Freshness::Fresh { .. } | Freshness::ExpiringSoon { .. }
                    )
                })
                .max_by_key(|c| c.entry.own_time());
            let age = newest.and_then(|c| c.entry.age(now));
            let verdict = match (s.sku.can_back_up(), age) {
                (false, _) => RpoVerdict::NotApplicable,
                (true, None) => RpoVerdict::NoBackup,
                (true, Some(a)) if a > objective => RpoVerdict::Exceeded,
                (true, Some(_)) => RpoVerdict::Within,
            };
            let verdict = if verdict.fails() && !seen.complete {
                RpoVerdict::Unconfirmed
            } else {
                verdict
            };
            RpoRow {
                service: s,
                newest: newest.map(|c| c.entry),
                inferred: newest.is_some_and(|c| {
                    c.view.is_inferred("source_service") || c.view.is_inferred("source_name")
                }),
                age,
                expires: newest.and_then(|c| c.entry.expires()),
                expiring_soon: newest.is_some_and(|c| {
                    matches!(c.entry.freshness(now), Freshness::ExpiringSoon { .. })
                }),
                off_region: newest.and_then(|c| {
                    account_regions
                        .get(c.entry.account.as_str())
                        .map(|r| !same_region(r, &s.location))
                }),
                verdict,
            }
        })
        .collect()
}

/// True when no service fails the objective.
pub fn all_within(rows: &[RpoRow<'_>]) -> bool {
    !rows.iter().any(|r| r.verdict.fails())
}

/// True when some verdict could not be confirmed.
pub fn any_unconfirmed(rows: &[RpoRow<'_>]) -> bool {
    rows.iter().any(|r| r.verdict == RpoVerdict::Unconfirmed)
}

#[cfg(test)]
mod tests;
