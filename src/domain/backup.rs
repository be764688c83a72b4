//! What we know about a backup blob: where it is, when it was made, how big it is, and the
//! catalog metadata apim-dr writes on it after a backup (source service, tier, region).
//!
//! Azure keeps a backup usable for 30 days from the backup's own time (APIM reads it from the
//! backup, never from the blob: a copied blob is new to Storage, not to APIM); after that a
//! restore fails with `Cannot restore: backup expired`. The backup's own time is the catalog's
//! `backupstartedutc` when the blob carries it, else the blob's creation time. [`BackupEntry::freshness`] applies that rule to a
//! given instant. Pure: the caller supplies `now`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::duration::short;
use super::names::{BackupRef, NameError};
use super::sku::SkuName;

/// How long Azure keeps a backup restorable.
pub const BACKUP_LIFETIME: Duration = Duration::days(30);
/// A backup closer than this to expiry gets a warning.
pub const EXPIRY_WARNING: Duration = Duration::days(5);
/// A blob created this long after its backup began is probably a copy (a backup takes minutes
/// to about an hour).
pub const COPY_SUSPECT: Duration = Duration::hours(2);
/// Clock difference tolerated between the catalog's start time and the blob's creation time.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// Metadata keys apim-dr writes on a backup blob once the backup has succeeded.
pub mod keys {
    /// ARM id of the service that was backed up.
    pub const SOURCE_SERVICE: &str = "sourceservice";
    /// Its pricing tier.
    pub const SOURCE_SKU: &str = "sourcesku";
    /// Its unit count.
    pub const SOURCE_CAPACITY: &str = "sourcecapacity";
    /// Its region (display name).
    pub const SOURCE_REGION: &str = "sourceregion";
    /// The APIM api-version the backup was taken with.
    pub const API_VERSION: &str = "apimapiversion";
    /// When the backup was started, RFC 3339 UTC.
    pub const STARTED: &str = "backupstartedutc";
    /// How many APIs the source held when the backup ended.
    pub const API_COUNT: &str = "apicount";
    /// How many products it held.
    pub const PRODUCT_COUNT: &str = "productcount";
    /// How many named values it held.
    pub const NAMED_VALUE_COUNT: &str = "namedvaluecount";
}

/// The catalog apim-dr keeps in a backup blob's metadata. Every field is optional: blobs made
/// by other tools carry none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCatalog {
    /// ARM id (or name) of the backed-up service.
    pub source_service: Option<String>,
    /// Its pricing tier.
    pub source_sku: Option<SkuName>,
    /// Its unit count.
    pub source_capacity: Option<u32>,
    /// Its region.
    pub source_location: Option<String>,
    /// The api-version used for the backup.
    pub api_version: Option<String>,
    /// When the backup was started.
    #[serde(with = "time::serde::rfc3339::option")]
    pub started: Option<OffsetDateTime>,
    /// How many APIs the source held (what post-restore verification compares with).
    #[serde(default)]
    pub api_count: Option<u32>,
    /// How many products it held.
    #[serde(default)]
    pub product_count: Option<u32>,
    /// How many named values it held.
    #[serde(default)]
    pub named_value_count: Option<u32>,
}

impl BackupCatalog {
    /// Reads the catalog from blob metadata. Keys match case-insensitively (Azure stores them
    /// as sent, but treats them case-insensitively); unknown keys are ignored and malformed
    /// values are dropped, never fatal.
    pub fn from_metadata(metadata: &BTreeMap<String, String>) -> Self {
        let get = |key: &str| {
            metadata
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            source_service: get(keys::SOURCE_SERVICE),
            source_sku: get(keys::SOURCE_SKU).map(SkuName::new),
            source_capacity: get(keys::SOURCE_CAPACITY).and_then(|v| v.parse().ok()),
            source_location: get(keys::SOURCE_REGION),
            api_version: get(keys::API_VERSION),
            started: get(keys::STARTED).and_then(|v| {
                OffsetDateTime::parse(&v, &time::format_description::well_known::Rfc3339).ok()
            }),
            api_count: get(keys::API_COUNT).and_then(|v| v.parse().ok()),
            product_count: get(keys::PRODUCT_COUNT).and_then(|v| v.parse().ok()),
            named_value_count: get(keys::NAMED_VALUE_COUNT).and_then(|v| v.parse().ok()),
        }
    }

    /// The metadata pairs to write on the blob (header-safe ASCII values).
    pub fn to_metadata(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                let v: String = v.chars().filter(char::is_ascii_graphic_or_space).collect();
                out.push((k.to_owned(), v));
            }
        };
        put(keys::SOURCE_SERVICE, self.source_service.clone());
        put(
            keys::SOURCE_SKU,
            self.source_sku.as_ref().map(ToString::to_string),
        );
        put(
            keys::SOURCE_CAPACITY,
            self.source_capacity.map(|c| c.to_string()),
        );
        put(keys::SOURCE_REGION, self.source_location.clone());
        put(keys::API_VERSION, self.api_version.clone());
        put(
            keys::STARTED,
            self.started.and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
        );
        put(keys::API_COUNT, self.api_count.map(|c| c.to_string()));
        put(
            keys::PRODUCT_COUNT,
            self.product_count.map(|c| c.to_string()),
        );
        put(
            keys::NAMED_VALUE_COUNT,
            self.named_value_count.map(|c| c.to_string()),
        );
        out
    }

    /// True when the blob carries none of our catalog keys.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The source service's short name, taken from the id when it is one.
    pub fn source_service_name(&self) -> Option<&str> {
        self.source_service
            .as_deref()
            .map(|s| s.rsplit('/').next().unwrap_or(s))
    }
}

trait AsciiGraphicOrSpace {
    fn is_ascii_graphic_or_space(&self) -> bool;
}

impl AsciiGraphicOrSpace for char {
    fn is_ascii_graphic_or_space(&self) -> bool {
        self.is_ascii_graphic() || *self == ' '
    }
}

/// A backup blob as listed from storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEntry {
    /// Storage account name.
    pub account: String,
    /// Container name.
    pub container: String,
    /// Blob name.
    pub name: String,
    /// The blob's creation time (`Creation-Time`); the start of its 30 days only when the
    /// blob carries no catalog start time (see [`BackupEntry::own_time`]).
    #[serde(with = "time::serde::rfc3339::option")]
    pub created: Option<OffsetDateTime>,
    /// Blob size in bytes.
    pub size_bytes: u64,
    /// apim-dr's catalog metadata, if the blob carries it.
    pub catalog: BackupCatalog,
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
            catalog: BackupCatalog::default(),
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

    #[test]
    fn catalog_round_trips_through_metadata() {
        let cat = BackupCatalog {
            source_service: Some("/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a".into()),
            source_sku: Some(SkuName::new("Standard")),
            source_capacity: Some(2),
            source_location: Some("West Europe".into()),
            api_version: Some("2024-05-01".into()),
            started: Some(datetime!(2026-11-20 08:00 UTC)),
            api_count: Some(14),
            product_count: Some(2),
            named_value_count: Some(0),
        };
        let md: BTreeMap<String, String> = cat.to_metadata().into_iter().collect();
        assert_eq!(BackupCatalog::from_metadata(&md), cat);
        assert_eq!(cat.source_service_name(), Some("apim-a"));
    }

    #[test]
    fn catalog_reading_is_tolerant() {
        let md: BTreeMap<String, String> = [
            ("SourceSku".to_owned(), "Premium".to_owned()),
            ("sourcecapacity".to_owned(), "many".to_owned()),
            ("backupstartedutc".to_owned(), "yesterday".to_owned()),
            ("other".to_owned(), "x".to_owned()),
        ]
        .into_iter()
        .collect();
        let cat = BackupCatalog::from_metadata(&md);
        assert_eq!(cat.source_sku, Some(SkuName::new("Premium")));
        assert_eq!(cat.source_capacity, None);
        assert_eq!(cat.started, None);
        assert!(BackupCatalog::from_metadata(&BTreeMap::new()).is_empty());
    }
}
