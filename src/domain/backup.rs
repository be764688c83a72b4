//! What we know about a backup blob: where it is, when it was made, how big it is, and the
//! catalog metadata apim-dr writes on it after a backup (source service, tier, region).
//!
//! Azure keeps a backup usable for 30 days from the backup's own time (APIM reads it from the
//! backup, never from the blob: a copied blob is new to Storage, not to APIM); after that a
//! restore fails with `Cannot restore: backup expired`. The backup's own time is the catalog's
//! `backupstartedutc` when the blob carries it, else the blob's creation time. [`BackupEntry::freshness`] applies that rule to a
//! given instant. Pure: the caller supplies `now`.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::duration::short;
use super::names::{BackupRef, NameError};
use super::shared::Shared;

mod catalog;
mod infer;
mod kept;
mod prune;

pub use catalog::{BackupCatalog, ContentCounts, keys};
pub use infer::{Basis, Inferred, JournalFacts, infer, parse_default_name};
pub use kept::KeptCatalog;
pub use prune::{expired_backup, prunable};

/// How long Azure keeps a backup restorable.
pub const BACKUP_LIFETIME: Duration = Duration::days(30);
/// A backup closer than this to expiry gets a warning.
pub const EXPIRY_WARNING: Duration = Duration::days(5);
/// A blob created this long after its backup began is probably a copy (a backup takes minutes
/// to about an hour).
pub const COPY_SUSPECT: Duration = Duration::hours(2);
/// Clock difference tolerated between the catalog's start time and the blob's creation time.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// A backup blob as listed from storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEntry {
    /// Storage account name (shared by the blobs of one listing).
    pub account: Shared,
    /// Container name (shared by the blobs of one listing).
    pub container: Shared,
    /// Blob name.
    pub name: String,
    /// The blob's creation time (`Creation-Time`); the start of its 30 days only when the
    /// blob carries no catalog start time (see [`BackupEntry::own_time`]).
    #[serde(with = "time::serde::rfc3339::option")]
    pub created: Option<OffsetDateTime>,
    /// Blob size in bytes.
    pub size_bytes: u64,
    /// apim-dr's catalog metadata, if the blob carries it (empty otherwise, and then it takes
    /// no room).
    pub catalog: KeptCatalog,
}

/// How usable a backup is at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// More than [`EXPIRY_WARNING`] left.
    Fresh {
        /// Time left before Azure refuses it.
        left: Duration,
    },
    /// Less than [`EXPIRY_WARNING`] left.
    ExpiringSoon {
        /// Time left before Azure refuses it.
        left: Duration,
    },
    /// Older than [`BACKUP_LIFETIME`]: Azure refuses it.
    Expired {
        /// How long ago it expired.
        ago: Duration,
    },
    /// The creation time is unknown.
    Unknown,
}

/// The default backup blob name, `{service}/{YYYYMMDDTHHMMSSZ}.apimbackup` in UTC, so a
/// service's backups sort by time. The CLI, the TUI and scheduled backups all use it.
pub fn default_blob_name(service: &str, now: OffsetDateTime) -> String {
    format!("{service}/{}.apimbackup", super::duration::utc_stamp(now))
}

impl Freshness {
    /// "expires in 29d 18h", "expires in 3d 2h (soon)", "expired 6d ago", "expiry unknown".
    pub fn phrase(&self) -> String {
        match self {
            Self::Fresh { left } => format!("expires in {}", short(*left)),
            Self::ExpiringSoon { left } => format!("expires in {} (soon)", short(*left)),
            Self::Expired { ago } => format!("expired {} ago", short(*ago)),
            Self::Unknown => "expiry unknown".to_owned(),
        }
    }

    /// The table cell: "29d 18h", "⚠ 3d 2h", "✖ expired", "unknown".
    pub fn cell(&self) -> String {
        match self {
            Self::Fresh { left } => short(*left),
            Self::ExpiringSoon { left } => format!("⚠ {}", short(*left)),
            Self::Expired { .. } => "✖ expired".to_owned(),
            Self::Unknown => "unknown".to_owned(),
        }
    }
}

impl BackupEntry {
    /// `ACCOUNT/CONTAINER/BLOB` as a validated reference.
    ///
    /// # Errors
    /// [`NameError`] when a part breaks Azure's naming rules.
    pub fn reference(&self) -> Result<BackupRef, NameError> {
        BackupRef::parse(&self.display_ref())
    }

    /// `ACCOUNT/CONTAINER/BLOB`, unvalidated, for display.
    pub fn display_ref(&self) -> String {
        format!("{}/{}/{}", self.account, self.container, self.name)
    }

    /// The backup's own time, its 30 days' start: the catalog's start time when the blob
    /// carries one, else the blob's creation time.
    pub fn own_time(&self) -> Option<OffsetDateTime> {
        self.catalog.started.or(self.created)
    }

    /// When the blob's creation time and the catalog's start time disagree (a copied blob):
    /// the blob was created more than [`COPY_SUSPECT`] after, or before, the backup began.
    pub fn times_disagree(&self) -> Option<Duration> {
        let (started, created) = (self.catalog.started?, self.created?);
        let gap = created - started;
        (gap > COPY_SUSPECT || gap < -CLOCK_SKEW).then_some(gap)
    }

    /// When Azure stops accepting this backup.
    pub fn expires(&self) -> Option<OffsetDateTime> {
        self.own_time().map(|c| c + BACKUP_LIFETIME)
    }

    /// Age at `now`, from the backup's own time.
    pub fn age(&self, now: OffsetDateTime) -> Option<Duration> {
        self.own_time().map(|c| now - c)
    }

    /// The 30-day rule applied at `now`.
    pub fn freshness(&self, now: OffsetDateTime) -> Freshness {
        match self.expires() {
            None => Freshness::Unknown,
            Some(exp) if exp <= now => Freshness::Expired { ago: now - exp },
            Some(exp) if exp - now < EXPIRY_WARNING => Freshness::ExpiringSoon { left: exp - now },
            Some(exp) => Freshness::Fresh { left: exp - now },
        }
    }

    /// True when Azure would refuse it as expired at `now`.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        matches!(self.freshness(now), Freshness::Expired { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn entry(created: Option<OffsetDateTime>) -> BackupEntry {
        BackupEntry {
            account: "stdr".into(),
            container: "apim-backups".into(),
            name: "b.apimbackup".into(),
            created,
            size_bytes: 10,
            catalog: BackupCatalog::default().into(),
        }
    }

    #[test]
    fn default_names_sort_by_time() {
        assert_eq!(
            default_blob_name("apim-contoso-weu", datetime!(2026-11-26 12:03:09 UTC)),
            "apim-contoso-weu/20261126T120309Z.apimbackup"
        );
        assert_eq!(
            default_blob_name("a", datetime!(2026-11-26 13:00 +01:00)),
            "a/20261126T120000Z.apimbackup"
        );
    }

    #[test]
    fn the_thirty_day_rule() {
        let now = datetime!(2026-11-26 12:00 UTC);
        assert!(matches!(
            entry(Some(now - Duration::days(1))).freshness(now),
            Freshness::Fresh { left } if left == Duration::days(29)
        ));
        assert!(matches!(
            entry(Some(now - Duration::days(27))).freshness(now),
            Freshness::ExpiringSoon { .. }
        ));
        assert!(matches!(
            entry(Some(now - Duration::days(31))).freshness(now),
            Freshness::Expired { ago } if ago == Duration::days(1)
        ));
        assert!(entry(Some(now - Duration::days(30))).is_expired(now));
        assert_eq!(entry(None).freshness(now), Freshness::Unknown);
    }
}
