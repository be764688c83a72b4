//! A backup's catalog as `backups` shows it: what the blob's metadata says, completed for
//! blobs without it (made by other tools, by older versions, or whose metadata could not be
//! written) from what can be inferred — the default blob name `{service}/{stamp}.apimbackup`
//! and the journal's record of the backup that wrote the blob. What cannot be inferred stays
//! unknown. Inferred values are for display only: a backup's expiry still comes from its
//! metadata or the blob's creation time ([`super::BackupEntry::own_time`]). Pure.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

use super::{BackupCatalog, BackupEntry};
use crate::domain::names::ServiceName;
use crate::domain::shared::Shared;

/// What the journal says about the succeeded backup that wrote a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalFacts {
    /// ARM id of the service backed up.
    pub service: String,
    /// When its intent was journaled.
    pub started: OffsetDateTime,
    /// When its end was journaled.
    pub ended: Option<OffsetDateTime>,
}

/// Where an inferred value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The default blob name, `{service}/{yyyyMMddTHHmmssZ}.apimbackup`.
    BlobName,
    /// The journal's record of the backup that wrote the blob.
    Journal,
}

/// A catalog completed with what could be inferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inferred {
    /// The fields: from metadata where the blob carries them, else inferred, else `None`.
    pub catalog: BackupCatalog,
    /// Each inferred field (by its JSON name) and its basis.
    pub inferred: BTreeMap<&'static str, Basis>,
}

impl Inferred {
    /// `complete` (every field from metadata), `partial` (some from metadata), `inferred`
    /// (none from metadata, some inferred), `none`.
    pub fn state(&self, metadata: &BackupCatalog) -> &'static str {
        let c = metadata;
        let full = c.source_service.is_some()
            && c.source_name.is_some()
            && c.source_sku.is_some()
            && c.source_capacity.is_some()
            && c.source_location.is_some()
            && c.api_version.is_some()
            && c.tool_version.is_some()
            && c.started.is_some()
            && c.ended.is_some()
            && c.counts.apis.is_some()
            && c.counts.products.is_some()
            && c.counts.named_values.is_some();
        match (full, c.is_empty(), self.inferred.is_empty()) {
            (true, _, _) => "complete",
            (false, false, _) => "partial",
            (false, true, false) => "inferred",
            (false, true, true) => "none",
        }
    }

    /// True when `field` (its JSON name) was inferred.
    pub fn is_inferred(&self, field: &str) -> bool {
        self.inferred.contains_key(field)
    }
}

/// The service name and start time a default blob name carries, if it is one.
pub fn parse_default_name(name: &str) -> Option<(String, OffsetDateTime)> {
    let (service, file) = name.split_once('/')?;
    let stamp = file.strip_suffix(".apimbackup")?;
    let service = ServiceName::parse(service).ok()?;
    // apim-dr's own stamp has seconds; the emulator's `{created}` names have none.
    let seconds = format_description!("[year][month][day]T[hour][minute][second]Z");
    let minutes = format_description!("[year][month][day]T[hour][minute]Z");
    let when = time::PrimitiveDateTime::parse(stamp, &seconds)
        .or_else(|_| time::PrimitiveDateTime::parse(stamp, &minutes))
        .ok()?;
    Some((service.to_string(), when.assume_utc()))
}

/// The catalog of `entry`, completed from its name and from `journal` (the succeeded backup
/// that wrote it, if the journal has one).
pub fn infer(entry: &BackupEntry, journal: Option<&JournalFacts>) -> Inferred {
    let mut catalog = (*entry.catalog).clone();
    let mut inferred = BTreeMap::new();
    let from_name = parse_default_name(&entry.name);
    if catalog.source_service.is_none()
        && let Some(j) = journal
    {
        catalog.source_service = Some(Shared::new(&j.service));
        inferred.insert("source_service", Basis::Journal);
    }
    if catalog.source_name.is_none() {
        // From the id (the metadata's own, or the journal's), else from the blob name.
        let from_id = catalog
            .source_service
            .as_deref()
            .and_then(|s| s.rsplit('/').next())
            .map(Shared::new);
        let basis = inferred.get("source_service").copied();
        match (from_id, &from_name) {
            (Some(n), _) => {
                if let Some(b) = basis {
                    inferred.insert("source_name", b);
                }
                catalog.source_name = Some(n);
            }
            (None, Some((n, _))) => {
                catalog.source_name = Some(Shared::new(n));
                inferred.insert("source_name", Basis::BlobName);
            }
            (None, None) => {}
        }
    }
    if catalog.started.is_none() {
        if let Some(j) = journal {
            catalog.started = Some(j.started);
            inferred.insert("started", Basis::Journal);
        } else if let Some((_, t)) = &from_name {
            catalog.started = Some(*t);
            inferred.insert("started", Basis::BlobName);
        }
    }
    if catalog.ended.is_none()
        && let Some(t) = journal.and_then(|j| j.ended)
    {
        catalog.ended = Some(t);
        inferred.insert("ended", Basis::Journal);
    }
    Inferred { catalog, inferred }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a";

    fn entry(name: &str, catalog: BackupCatalog) -> BackupEntry {
        BackupEntry {
            account: "stdr".into(),
            container: "apim-backups".into(),
            name: name.into(),
            created: Some(datetime!(2026-11-20 08:30 UTC)),
            size_bytes: 1,
            catalog: catalog.into(),
        }
    }

    #[test]
    fn a_default_name_gives_the_service_and_the_start() {
        assert_eq!(
            parse_default_name("apim-a/20261120T080000Z.apimbackup"),
            Some(("apim-a".to_owned(), datetime!(2026-11-20 08:00 UTC)))
        );
        assert_eq!(
            parse_default_name("apim-a/20261120T0800Z.apimbackup").map(|p| p.1),
            Some(datetime!(2026-11-20 08:00 UTC))
        );
        assert_eq!(parse_default_name("apim-a/latest.apimbackup"), None);
        assert_eq!(parse_default_name("apim-a/20261120T080000Z.bak"), None);
        assert_eq!(
            parse_default_name("-bad-/20261120T080000Z.apimbackup"),
            None
        );
        assert_eq!(parse_default_name("20261120T080000Z.apimbackup"), None);
    }

    #[test]
    fn a_bare_blob_with_a_default_name_is_inferred_from_it() {
        let e = entry(
            "apim-a/20261120T080000Z.apimbackup",
            BackupCatalog::default(),
        );
        let i = infer(&e, None);
        assert_eq!(i.catalog.source_name.as_deref(), Some("apim-a"));
        assert_eq!(i.catalog.started, Some(datetime!(2026-11-20 08:00 UTC)));
        assert_eq!(i.catalog.source_sku, None, "the tier cannot be inferred");
        assert_eq!(i.inferred.get("started"), Some(&Basis::BlobName));
        assert_eq!(i.state(&e.catalog), "inferred");
        // Display only: the expiry still comes from the blob's creation time.
        assert_eq!(e.own_time(), e.created);
    }

    #[test]
    fn the_journal_wins_over_the_name() {
        let e = entry(
            "apim-a/20261120T080000Z.apimbackup",
            BackupCatalog::default(),
        );
        let facts = JournalFacts {
            service: ID.to_owned(),
            started: datetime!(2026-11-20 07:59:58 UTC),
            ended: Some(datetime!(2026-11-20 08:12 UTC)),
        };
        let i = infer(&e, Some(&facts));
        assert_eq!(i.catalog.source_service.as_deref(), Some(ID));
        assert_eq!(i.inferred.get("source_name"), Some(&Basis::Journal));
        assert_eq!(i.catalog.started, Some(facts.started));
        assert_eq!(i.catalog.ended, facts.ended);
        assert_eq!(i.inferred.get("ended"), Some(&Basis::Journal));
    }

    #[test]
    fn metadata_is_never_overridden_nor_marked_inferred() {
        let cat = BackupCatalog {
            source_service: Some(ID.into()),
            started: Some(datetime!(2026-11-19 00:00 UTC)),
            ..BackupCatalog::default()
        };
        let e = entry("apim-b/20261120T080000Z.apimbackup", cat);
        let i = infer(&e, None);
        assert_eq!(i.catalog.source_name.as_deref(), Some("apim-a"));
        assert_eq!(i.catalog.started, Some(datetime!(2026-11-19 00:00 UTC)));
        assert!(i.inferred.is_empty(), "{:?}", i.inferred);
        assert_eq!(i.state(&e.catalog), "partial");
    }

    #[test]
    fn nothing_to_infer_from_stays_unknown() {
        let e = entry("manual.bak", BackupCatalog::default());
        let i = infer(&e, None);
        assert!(i.catalog.is_empty());
        assert_eq!(i.state(&e.catalog), "none");
    }
}
