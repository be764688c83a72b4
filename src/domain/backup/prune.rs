//! Which backups `prune --expired` deletes: only blobs that are backups (apim-dr's catalog,
//! or the `.apimbackup` name), only those Azure would refuse as expired now (an unknown age
//! is never expired), and never the `keep` newest backups of each source service. Pure.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{BackupEntry, Inferred};

/// True for a blob prune may delete when nothing is kept: a backup (catalog or `.apimbackup`
/// name) Azure would refuse as expired.
pub fn expired_backup(b: &BackupEntry, now: OffsetDateTime) -> bool {
    (!b.catalog.is_empty() || b.name.ends_with(".apimbackup")) && b.is_expired(now)
}

/// The backups to delete among `backups` (each with its catalog as shown), oldest first.
pub fn prunable<'a>(
    backups: &[(&'a BackupEntry, Inferred)],
    keep: usize,
    now: OffsetDateTime,
) -> Vec<&'a BackupEntry> {
    // The `keep` newest of each service, by the backup's own time.
    let mut by_service: BTreeMap<String, Vec<&BackupEntry>> = BTreeMap::new();
    for (b, view) in backups {
        let c = &view.catalog;
        if let Some(key) = c.source_service.as_deref().or(c.source_name.as_deref()) {
            by_service
                .entry(key.to_ascii_lowercase())
                .or_default()
                .push(b);
        }
    }
    let mut kept: Vec<&BackupEntry> = Vec::new();
    for list in by_service.values_mut() {
        list.sort_by_key(|b| std::cmp::Reverse(b.own_time()));
        kept.extend(list.iter().take(keep));
    }
    let mut out: Vec<&BackupEntry> = backups
        .iter()
        .map(|(b, _)| *b)
        .filter(|b| expired_backup(b, now))
        .filter(|b| !kept.iter().any(|k| std::ptr::eq(*k, *b)))
        .collect();
    out.sort_by_key(|b| b.own_time());
    out
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use time::macros::datetime;

    use super::*;
    use crate::domain::backup::{BackupCatalog, infer};

    const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);

    fn blob(name: &str, days: i64, service: Option<&str>) -> BackupEntry {
        BackupEntry {
            account: "stdr".into(),
            container: "apim-backups".into(),
            name: name.into(),
            created: Some(NOW - Duration::days(days)),
            size_bytes: 1,
            catalog: BackupCatalog {
                source_service: service.map(Into::into),
                ..BackupCatalog::default()
            }
            .into(),
        }
    }

    fn names(list: &[BackupEntry], keep: usize) -> Vec<String> {
        let views: Vec<_> = list.iter().map(|b| (b, infer(b, None))).collect();
        prunable(&views, keep, NOW)
            .iter()
            .map(|b| b.name.clone())
            .collect()
    }

    #[test]
    fn only_expired_backups_go_oldest_first_and_keep_spares_the_newest() {
        let list = [
            blob("a/1.apimbackup", 45, Some("apim-a")),
            blob("a/2.apimbackup", 35, Some("apim-a")),
            blob("a/3.apimbackup", 2, Some("apim-a")),
            blob("b/1.apimbackup", 40, Some("apim-b")),
            blob("notes.txt", 90, None),
            blob("manual.bak", 90, Some("apim-c")),
        ];
        assert_eq!(
            names(&list, 0),
            [
                "manual.bak",
                "a/1.apimbackup",
                "b/1.apimbackup",
                "a/2.apimbackup"
            ]
        );
        // apim-b's and apim-c's only backups and apim-a's two newest stay.
        assert_eq!(names(&list, 2), ["a/1.apimbackup"]);
        let unknown = BackupEntry {
            created: None,
            ..blob("x.apimbackup", 0, None)
        };
        assert!(names(&[unknown], 0).is_empty(), "an unknown age is kept");
    }
}
