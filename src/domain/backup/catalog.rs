//! The catalog apim-dr writes in a backup blob's metadata once the backup has succeeded: the
//! source service (id, name, tier, units, region), the api-version and the tool's version,
//! the backup's UTC start and end, and how many APIs, products and named values the service
//! held when ARM was read just before the backup. Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::domain::shared::Shared;
use crate::domain::sku::SkuName;

/// Metadata keys apim-dr writes on a backup blob once the backup has succeeded.
pub mod keys {
    /// ARM id of the service that was backed up.
    pub const SOURCE_SERVICE: &str = "sourceservice";
    /// Its name.
    pub const SOURCE_NAME: &str = "sourcename";
    /// Its pricing tier.
    pub const SOURCE_SKU: &str = "sourcesku";
    /// Its unit count.
    pub const SOURCE_CAPACITY: &str = "sourcecapacity";
    /// Its region (display name).
    pub const SOURCE_REGION: &str = "sourceregion";
    /// The APIM api-version the backup was taken with.
    pub const API_VERSION: &str = "apimapiversion";
    /// The apim-dr version that took it.
    pub const TOOL_VERSION: &str = "apimdrversion";
    /// When the backup was started, RFC 3339 UTC.
    pub const STARTED: &str = "backupstartedutc";
    /// When the backup was seen to succeed, RFC 3339 UTC.
    pub const ENDED: &str = "backupendedutc";
    /// APIs the service held, read through ARM before the backup.
    pub const API_COUNT: &str = "apicount";
    /// Products it held.
    pub const PRODUCT_COUNT: &str = "productcount";
    /// Named values it held.
    pub const NAMED_VALUE_COUNT: &str = "namedvaluecount";
}

/// How many of each thing a service held, read through ARM before its backup; `None` for a
/// list that could not be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentCounts {
    /// APIs.
    pub apis: Option<u32>,
    /// Products.
    pub products: Option<u32>,
    /// Named values.
    pub named_values: Option<u32>,
}

/// The catalog apim-dr keeps in a backup blob's metadata. Every field is optional: blobs made
/// by other tools, or by older versions of apim-dr, carry some or none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCatalog {
    /// ARM id (or name) of the backed-up service.
    pub source_service: Option<Shared>,
    /// Its name.
    #[serde(default)]
    pub source_name: Option<Shared>,
    /// Its pricing tier.
    pub source_sku: Option<SkuName>,
    /// Its unit count.
    pub source_capacity: Option<u32>,
    /// Its region.
    pub source_location: Option<Shared>,
    /// The api-version used for the backup.
    pub api_version: Option<Shared>,
    /// The apim-dr version that took it.
    #[serde(default)]
    pub tool_version: Option<Shared>,
    /// When the backup was started.
    #[serde(with = "time::serde::rfc3339::option")]
    pub started: Option<OffsetDateTime>,
    /// When the backup was seen to succeed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ended: Option<OffsetDateTime>,
    /// What the service held before the backup.
    #[serde(default)]
    pub counts: ContentCounts,
}

fn stamp(t: Option<OffsetDateTime>) -> Option<String> {
    t.and_then(|t| t.format(&Rfc3339).ok())
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
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let shared = |key: &str| get(key).map(Shared::new);
        let time = |key: &str| get(key).and_then(|v| OffsetDateTime::parse(v, &Rfc3339).ok());
        let count = |key: &str| get(key).and_then(|v| v.parse().ok());
        Self {
            source_service: shared(keys::SOURCE_SERVICE),
            source_name: shared(keys::SOURCE_NAME),
            source_sku: get(keys::SOURCE_SKU).map(SkuName::new),
            source_capacity: count(keys::SOURCE_CAPACITY),
            source_location: shared(keys::SOURCE_REGION),
            api_version: shared(keys::API_VERSION),
            tool_version: shared(keys::TOOL_VERSION),
            started: time(keys::STARTED),
            ended: time(keys::ENDED),
            counts: ContentCounts {
                apis: count(keys::API_COUNT),
                products: count(keys::PRODUCT_COUNT),
                named_values: count(keys::NAMED_VALUE_COUNT),
            },
        }
    }

    /// The metadata pairs to write on the blob (header-safe ASCII values).
    pub fn to_metadata(&self) -> Vec<(String, String)> {
        let number = |n: Option<u32>| n.map(|n| n.to_string());
        let text = |v: Option<&str>| v.map(str::to_owned);
        let pairs = [
            (keys::SOURCE_SERVICE, text(self.source_service.as_deref())),
            (keys::SOURCE_NAME, text(self.source_name.as_deref())),
            (
                keys::SOURCE_SKU,
                self.source_sku.as_ref().map(ToString::to_string),
            ),
            (keys::SOURCE_CAPACITY, number(self.source_capacity)),
            (keys::SOURCE_REGION, text(self.source_location.as_deref())),
            (keys::API_VERSION, text(self.api_version.as_deref())),
            (keys::TOOL_VERSION, text(self.tool_version.as_deref())),
            (keys::STARTED, stamp(self.started)),
            (keys::ENDED, stamp(self.ended)),
            (keys::API_COUNT, number(self.counts.apis)),
            (keys::PRODUCT_COUNT, number(self.counts.products)),
            (keys::NAMED_VALUE_COUNT, number(self.counts.named_values)),
        ];
        pairs
            .into_iter()
            .filter_map(|(k, v)| {
                let v: String = v?
                    .chars()
                    .filter(|c| c.is_ascii_graphic() || *c == ' ')
                    .collect();
                Some((k.to_owned(), v))
            })
            .collect()
    }

    /// True when the blob carries none of our catalog keys.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The source service's short name: the catalog's name, else the last segment of the id.
    pub fn source_service_name(&self) -> Option<&str> {
        self.source_name.as_deref().or_else(|| {
            self.source_service
                .as_deref()
                .map(|s| s.rsplit('/').next().unwrap_or(s))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn catalog_round_trips_through_metadata() {
        let cat = BackupCatalog {
            source_service: Some("/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a".into()),
            source_name: Some("apim-a".into()),
            source_sku: Some(SkuName::new("Standard")),
            source_capacity: Some(2),
            source_location: Some("West Europe".into()),
            api_version: Some("2024-05-01".into()),
            tool_version: Some("0.1.0 (abc1234)".into()),
            started: Some(datetime!(2026-11-20 08:00 UTC)),
            ended: Some(datetime!(2026-11-20 08:14:05 UTC)),
            counts: ContentCounts {
                apis: Some(14),
                products: Some(2),
                named_values: Some(0),
            },
        };
        let md: BTreeMap<String, String> = cat.to_metadata().into_iter().collect();
        assert_eq!(md.len(), 12, "{md:?}");
        assert_eq!(BackupCatalog::from_metadata(&md), cat);
        assert_eq!(cat.source_service_name(), Some("apim-a"));
    }

    #[test]
    fn catalog_reading_is_tolerant() {
        let md: BTreeMap<String, String> = [
            ("SourceSku".to_owned(), "Premium".to_owned()),
            ("sourcecapacity".to_owned(), "many".to_owned()),
            ("backupstartedutc".to_owned(), "yesterday".to_owned()),
            ("ApiCount".to_owned(), "-3".to_owned()),
            ("productcount".to_owned(), " 4 ".to_owned()),
            ("other".to_owned(), "x".to_owned()),
        ]
        .into_iter()
        .collect();
        let cat = BackupCatalog::from_metadata(&md);
        assert_eq!(cat.source_sku, Some(SkuName::new("Premium")));
        assert_eq!(cat.source_capacity, None);
        assert_eq!(cat.started, None);
        assert_eq!(cat.counts.apis, None);
        assert_eq!(cat.counts.products, Some(4));
        assert!(BackupCatalog::from_metadata(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn the_name_comes_from_the_id_when_the_catalog_has_none() {
        let cat = BackupCatalog {
            source_service: Some("/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b".into()),
            ..BackupCatalog::default()
        };
        assert_eq!(cat.source_service_name(), Some("apim-b"));
    }

    #[test]
    fn values_are_header_safe() {
        let cat = BackupCatalog {
            source_location: Some("West\nEurope é".into()),
            ..BackupCatalog::default()
        };
        assert_eq!(
            cat.to_metadata(),
            vec![("sourceregion".to_owned(), "WestEurope ".to_owned())]
        );
    }
}
