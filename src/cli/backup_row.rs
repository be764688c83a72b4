//! One backup as `backups` (and `inventory`) shows it: the blob, its validity, and its catalog
//! — from the blob's metadata, completed by inference (the default blob name, the journal)
//! where the metadata lacks a field, the rest unknown. `-o json` rows and the text table.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use time::OffsetDateTime;

use super::output::table;
use crate::domain::backup::{BackupEntry, Basis, Inferred, JournalFacts, infer};
use crate::domain::duration::short;
use crate::domain::shared::Shared;

/// One backup in `backups -o json`.
#[derive(Debug, Serialize)]
pub struct BackupRow<'a> {
    /// Storage account.
    pub account: &'a str,
    /// Container.
    pub container: &'a str,
    /// Blob name.
    pub name: &'a str,
    /// `ACCOUNT/CONTAINER/BLOB`, as `--backup` takes it.
    pub backup: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub created: Option<OffsetDateTime>,
    /// Size.
    pub size_bytes: u64,
    /// Source service id.
    pub source_service: Option<Shared>,
    /// Source service name.
    pub source_name: Option<Shared>,
    /// Source tier.
    pub source_sku: Option<String>,
    /// Source units.
    pub source_capacity: Option<u32>,
    /// Source region.
    pub source_location: Option<Shared>,
    /// api-version of the backup.
    pub api_version: Option<Shared>,
    /// apim-dr version that took it.
    pub tool_version: Option<Shared>,
    /// When the backup started (UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    pub started: Option<OffsetDateTime>,
    /// When it was seen to succeed (UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended: Option<OffsetDateTime>,
    /// APIs the service held before the backup.
    pub api_count: Option<u32>,
    /// Products it held.
    pub product_count: Option<u32>,
    /// Named values it held.
    pub named_value_count: Option<u32>,
    /// `complete`, `partial`, `inferred` or `none`: how much of the catalog is metadata.
    pub catalog: &'static str,
    /// Each field filled by inference, and from what (`blob_name`, `journal`).
    pub inferred: BTreeMap<&'static str, Basis>,
    /// When Azure stops accepting it.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires: Option<OffsetDateTime>,
    /// True when Azure would refuse it now.
    pub expired: bool,
}

impl<'a> BackupRow<'a> {
    /// The row for `b` at `now`; `journal` is what the journal says of the blob, if anything.
    pub fn new(b: &'a BackupEntry, journal: Option<&JournalFacts>, now: OffsetDateTime) -> Self {
        let view = infer(b, journal);
        let state = view.state(&b.catalog);
        let Inferred {
            catalog: c,
            inferred,
        } = view;
        Self {
            account: &b.account,
            container: &b.container,
            name: &b.name,
            backup: b.display_ref(),
            created: b.created,
            size_bytes: b.size_bytes,
            source_service: c.source_service,
            source_name: c.source_name,
            source_sku: c.source_sku.map(|s| s.to_string()),
            source_capacity: c.source_capacity,
            source_location: c.source_location,
            api_version: c.api_version,
            tool_version: c.tool_version,
            started: c.started,
            ended: c.ended,
            api_count: c.counts.apis,
            product_count: c.counts.products,
            named_value_count: c.counts.named_values,
            catalog: state,
            inferred,
            expires: b.expires(),
            expired: b.is_expired(now),
        }
    }

    /// A field for the table: its value, `*` after an inferred one, `unknown` for none.
    fn cell<T: ToString>(&self, field: &str, value: Option<&T>) -> String {
        match value {
            Some(v) if self.inferred.contains_key(field) => format!("{}*", v.to_string()),
            Some(v) => v.to_string(),
            None => "unknown".to_owned(),
        }
    }
}

fn count(n: Option<u32>) -> String {
    n.map_or_else(|| "?".to_owned(), |n| n.to_string())
}

/// The rows of `backups`, each with what the journal says of its blob.
pub fn rows<'a>(
    backups: &'a [BackupEntry],
    journal: &BTreeMap<String, JournalFacts>,
    now: OffsetDateTime,
) -> Vec<BackupRow<'a>> {
    backups
        .iter()
        .map(|b| BackupRow::new(b, journal.get(&b.display_ref()), now))
        .collect()
}

/// The `backups` table, with a footnote when a value was inferred.
///
/// # Errors
/// The writer's.
pub fn backup_table(
    out: &mut impl Write,
    backups: &[BackupEntry],
    journal: &BTreeMap<String, JournalFacts>,
    now: OffsetDateTime,
) -> std::io::Result<()> {
    let rows = rows(backups, journal, now);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .zip(backups)
        .map(|(r, b)| {
            let taken = match (r.started, r.ended) {
                (Some(s), Some(e)) if e >= s => short(e - s),
                _ => "?".to_owned(),
            };
            vec![
                r.backup.clone(),
                r.cell("source_name", r.source_name.as_ref()),
                r.cell("source_sku", r.source_sku.as_ref()),
                r.cell("source_capacity", r.source_capacity.as_ref()),
                r.cell("source_location", r.source_location.as_ref()),
                format!(
                    "{}/{}/{}",
                    count(r.api_count),
                    count(r.product_count),
                    count(r.named_value_count)
                ),
                r.started.map_or_else(
                    || "unknown".to_owned(),
                    |t| {
                        let t = crate::domain::duration::utc_seconds(t);
                        if r.inferred.contains_key("started") {
                            format!("{t}*")
                        } else {
                            t
                        }
                    },
                ),
                taken,
                b.age(now).map_or_else(|| "?".into(), short),
                b.freshness(now).phrase(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "BACKUP",
            "SOURCE",
            "TIER",
            "UNITS",
            "REGION",
            "APIS/PRODUCTS/NV",
            "STARTED",
            "TOOK",
            "AGE",
            "VALIDITY",
        ],
        &cells,
    )?;
    if rows.iter().any(|r| !r.inferred.is_empty()) {
        writeln!(
            out,
            "* inferred from the blob name or the journal (the blob carries no catalog for it)"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::backup::BackupCatalog;
    use time::macros::datetime;

    fn entry(name: &str) -> BackupEntry {
        BackupEntry {
            account: "stdr".into(),
            container: "apim-backups".into(),
            name: name.into(),
            created: Some(datetime!(2026-11-20 08:30 UTC)),
            size_bytes: 1,
            catalog: BackupCatalog::default().into(),
        }
    }

    #[test]
    fn inferred_values_are_marked_and_the_rest_unknown() {
        let b = [entry("apim-a/20261120T080000Z.apimbackup"), entry("x.bak")];
        let mut out = Vec::new();
        backup_table(
            &mut out,
            &b,
            &BTreeMap::new(),
            datetime!(2026-11-21 08:30 UTC),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].contains("apim-a*"), "{text}");
        assert!(lines[1].contains("2026-11-20T08:00:00Z*"), "{text}");
        assert!(lines[1].contains("unknown"), "{text}");
        assert!(lines[1].contains("?/?/?"), "{text}");
        assert!(lines[2].contains("unknown"), "{text}");
        assert!(text.contains("* inferred from"), "{text}");
        let row = BackupRow::new(&b[0], None, datetime!(2026-11-21 08:30 UTC));
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["catalog"], "inferred");
        assert_eq!(json["inferred"]["source_name"], "blob_name");
        assert_eq!(json["source_sku"], serde_json::Value::Null);
    }
}
