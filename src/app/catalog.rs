//! Derived views of the backup catalog for `update` and `render`: every loaded backup, the
//! Backups screen's rows grouped by storage account and container (newest first), and why a
//! backup cannot be used. Pure: `now` comes from the state.

use time::OffsetDateTime;

use super::estate::matches_filter;
use super::loadable::{Listing, Loadable};
use super::state::{AppState, ListId};
use crate::domain::backup::{BackupEntry, Freshness};
use crate::domain::duration;
use crate::domain::operation::AccessType;
use crate::domain::service::ServiceSummary;

/// Every loaded backup of every account.
pub fn all_backups(state: &AppState) -> impl Iterator<Item = &BackupEntry> {
    state
        .backups
        .values()
        .filter_map(|l| l.rows())
        .flat_map(|containers| containers.iter())
        .flat_map(|c| c.backups.iter())
}

/// How much of the estate's backups the loaded listings cover: what a missing backup means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every subscription's storage accounts and every account's containers are listed: a
    /// backup not loaded was not there when they were.
    Complete,
    /// A first load is still in flight: a backup may yet appear.
    Loading,
    /// A listing failed, or its refresh did: a backup may exist that is not shown.
    Partial,
}

/// The coverage of the loaded backups (a failed listing outweighs one still loading).
pub fn backup_coverage(state: &AppState) -> Coverage {
    fn of<T>(l: &Listing<T>) -> Coverage {
        match &l.data {
            Loadable::Failed(_) => Coverage::Partial,
            Loadable::Loaded(_) if l.refresh_error.is_some() => Coverage::Partial,
            Loadable::Loaded(_) => Coverage::Complete,
            Loadable::NotRequested | Loadable::Loading { .. } => Coverage::Loading,
        }
    }
    let all = std::iter::once(of(&state.subscriptions))
        .chain(state.storage_accounts.values().map(of))
        .chain(state.backups.values().map(of));
    all.fold(Coverage::Complete, |worst, c| match (worst, c) {
        (Coverage::Partial, _) | (_, Coverage::Partial) => Coverage::Partial,
        (Coverage::Loading, _) | (_, Coverage::Loading) => Coverage::Loading,
        _ => Coverage::Complete,
    })
}

/// True when the blob's catalog says it was taken from `service` (by id or by name).
pub fn is_backup_of(entry: &BackupEntry, service: &ServiceSummary) -> bool {
    entry.catalog.source_service.as_deref().is_some_and(|s| {
        s.eq_ignore_ascii_case(&service.id)
            || entry
                .catalog
                .source_service_name()
                .is_some_and(|n| n.eq_ignore_ascii_case(&service.name))
    })
}

/// Newest first; blobs without a creation time last.
pub fn newest_first(a: &BackupEntry, b: &BackupEntry) -> std::cmp::Ordering {
    b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name))
}

/// The backups shown on the Backups screen: filtered (expired ones left out when hidden),
/// grouped by account and container, in the chosen order within a group (newest first).
pub fn visible_backups(state: &AppState) -> Vec<&BackupEntry> {
    let filter = state.filters.get(ListId::Backups);
    let hide_expired = state.order.hide_expired;
    let mut out: Vec<&BackupEntry> = all_backups(state)
        .filter(|b| !(hide_expired && b.is_expired(state.now)))
        .filter(|b| {
            matches_filter(
                filter,
                &[
                    &b.account,
                    &b.container,
                    &b.name,
                    b.catalog.source_service_name().unwrap_or(""),
                    b.catalog.source_sku.as_ref().map_or("", |s| s.as_str()),
                    b.catalog.source_location.as_deref().unwrap_or(""),
                ],
            )
        })
        .collect();
    out.sort_by(|a, b| {
        (a.account.as_str(), a.container.as_str())
            .cmp(&(b.account.as_str(), b.container.as_str()))
            .then_with(|| state.order.backups.backups(a, b))
    });
    out
}

/// The row of the newest backup Azure would still restore, where the Backups screen's cursor
/// starts (the first row when every backup has expired).
pub fn newest_restorable(state: &AppState) -> usize {
    visible_backups(state)
        .iter()
        .enumerate()
        .filter(|(_, b)| expiry_refusal(b, state.now).is_none())
        .min_by(|(_, a), (_, b)| newest_first(a, b))
        .map_or(0, |(i, _)| i)
}

/// The backup under the cursor of the Backups screen.
pub fn selected_backup(state: &AppState) -> Option<&BackupEntry> {
    visible_backups(state).get(state.cursors.backups).copied()
}

/// One line of the grouped backups table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupLine<'a> {
    /// A group heading: `account / container`, with its blob count.
    Group {
        /// Storage account.
        account: &'a str,
        /// Container.
        container: &'a str,
        /// Blobs in the group (after filtering).
        count: usize,
    },
    /// A backup: its index in [`visible_backups`].
    Blob(usize),
}

/// Interleaves group headings with the visible backups.
pub fn backup_lines<'a>(visible: &[&'a BackupEntry]) -> Vec<BackupLine<'a>> {
    let mut out = Vec::with_capacity(visible.len() + 4);
    let mut i = 0;
    while i < visible.len() {
        let (account, container) = (visible[i].account.as_str(), visible[i].container.as_str());
        let count = visible[i..]
            .iter()
            .take_while(|b| b.account == account && b.container == container)
            .count();
        out.push(BackupLine::Group {
            account,
            container,
            count,
        });
        out.extend((i..i + count).map(BackupLine::Blob));
        i += count;
    }
    out
}

/// Why Azure would refuse this backup at `now`, in the words the screens use.
pub fn expiry_refusal(entry: &BackupEntry, now: OffsetDateTime) -> Option<String> {
    match entry.freshness(now) {
        Freshness::Expired { ago } => Some(format!(
            "expired {} ago — Azure refuses backups older than 30 days; pick a newer one or take a new backup",
            duration::short(ago)
        )),
        _ => None,
    }
}

/// How APIM should reach a storage account: its key, unless the account refuses Shared Key,
/// then the service's system-assigned managed identity (which needs a data-plane role on it).
pub fn access_for(state: &AppState, account: &str) -> AccessType {
    let refuses_keys = state
        .storage_accounts
        .values()
        .filter_map(|l| l.rows())
        .flatten()
        .any(|a| a.name == account && a.shared_key_disabled);
    if refuses_keys {
        AccessType::SystemAssignedManagedIdentity
    } else {
        AccessType::AccessKey
    }
}

/// How the screens name an access type.
pub fn access_phrase(access: &AccessType) -> &'static str {
    match access {
        AccessType::AccessKey => "account key, fetched through ARM listKeys when it starts",
        AccessType::SystemAssignedManagedIdentity => {
            "the service's system-assigned managed identity (the account refuses Shared Key)"
        }
        AccessType::UserAssignedManagedIdentity { .. } => {
            "a user-assigned managed identity of the service"
        }
    }
}

/// "tier unknown (no catalog metadata)" for blobs without apim-dr's catalog.
pub const NO_CATALOG: &str = "tier unknown (no catalog metadata)";

/// A short description of where a backup came from: "apim-contoso-weu · Standard ×2 · West
/// Europe", or [`NO_CATALOG`].
pub fn provenance(entry: &BackupEntry) -> String {
    let c = &entry.catalog;
    if c.source_sku.is_none() && c.source_service.is_none() {
        return NO_CATALOG.to_owned();
    }
    let mut parts = vec![
        c.source_service_name()
            .unwrap_or("unknown service")
            .to_owned(),
    ];
    match (&c.source_sku, c.source_capacity) {
        (Some(sku), Some(n)) => parts.push(format!("{sku} ×{n}")),
        (Some(sku), None) => parts.push(sku.to_string()),
        (None, _) => parts.push("tier unknown".to_owned()),
    }
    if let Some(loc) = &c.source_location {
        parts.push(loc.clone());
    }
    parts.join(" · ")
}

/// Bytes the way people read them: "3.3 MiB".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes;
    let mut unit = 0;
    let mut tenths = 0;
    while value >= 1024 && unit < UNITS.len() - 1 {
        tenths = (value % 1024) * 10 / 1024;
        value /= 1024;
        unit += 1;
    }
    if unit == 0 {
        format!("{value} B")
    } else {
        format!("{value}.{tenths} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(3_481_216), "3.3 MiB");
        assert_eq!(human_size(1024), "1.0 KiB");
    }

    #[test]
    fn coverage_is_complete_only_when_every_listing_is_in() {
        use crate::app::fixtures;
        use crate::domain::error::UserError;

        let mut state = fixtures::loaded(false);
        assert_eq!(backup_coverage(&state), Coverage::Complete);
        let now = state.now;
        let account = state.backups.keys().next().cloned().unwrap();
        // A refresh in flight keeps what was listed: still complete.
        assert!(state.backups.get_mut(&account).unwrap().begin(now));
        assert_eq!(backup_coverage(&state), Coverage::Complete);
        // Its failure leaves the rows stale: a newer backup may be missing.
        state
            .backups
            .get_mut(&account)
            .unwrap()
            .settle(Err(UserError::new("listing failed")), now);
        assert_eq!(backup_coverage(&state), Coverage::Partial);
        // A first load in flight elsewhere does not hide the failure.
        state
            .backups
            .insert("another".to_owned(), Listing::default());
        assert!(state.backups.get_mut("another").unwrap().begin(now));
        assert_eq!(backup_coverage(&state), Coverage::Partial);
        state.backups.remove(&account);
        assert_eq!(backup_coverage(&state), Coverage::Loading);
    }
}
