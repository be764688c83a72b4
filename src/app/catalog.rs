//! Derived views of the backup catalog for `update` and `render`: every loaded backup, the
//! Backups screen's rows grouped by storage account and container (newest first), and why a
//! backup cannot be used. Pure: `now` comes from the state.

use time::OffsetDateTime;

use super::estate::matches_filter;
use super::loadable::{Listing, Loadable};
use super::state::{AppState, ListId};
use super::views;
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
    /// A first load is still in flight (over the cache's rows, perhaps): a backup may yet
    /// appear.
    Loading,
    /// A listing failed, or its refresh did (the rows shown are stale): a backup may exist
    /// that is not shown.
    Partial,
}

/// The coverage of the loaded backups (a failed listing outweighs one still loading).
pub fn backup_coverage(state: &AppState) -> Coverage {
    fn of<T>(l: &Listing<T>) -> Coverage {
        match &l.data {
            Loadable::Failed(_) => Coverage::Partial,
            Loadable::Loaded(_) if l.refresh_error.is_some() => Coverage::Partial,
            // The cache's rows, not yet confirmed by this session's walk.
            Loadable::Loaded(_) if l.cached => Coverage::Loading,
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
        service.id_is_ignoring_case(s)
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

/// Where a loaded backup is in `AppState::backups`: its account's place in the map, its
/// container's, its blob's (32 bits each: a view keeps one per row). The state keeps views as
/// these (`app/views.rs`); they are only read back while the inventory they were taken from is
/// unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobAt {
    account: u32,
    container: u32,
    blob: u32,
}

impl BlobAt {
    /// The backup, when `state` holds it.
    pub fn get(self, state: &AppState) -> Option<&BackupEntry> {
        state
            .backups
            .values()
            .nth(self.account as usize)?
            .rows()?
            .get(self.container as usize)?
            .backups
            .get(self.blob as usize)
    }
}

/// An enumerated item with its place in 32 bits, when it fits.
fn place<T>((i, x): (usize, T)) -> Option<(u32, T)> {
    Some((u32::try_from(i).ok()?, x))
}

/// Every loaded backup of every account, with where it is (a place beyond 32 bits, never
/// reached, is not listed).
pub fn located_backups(state: &AppState) -> impl Iterator<Item = (BlobAt, &BackupEntry)> {
    state
        .backups
        .values()
        .enumerate()
        .filter_map(place)
        .filter_map(|(account, l)| l.rows().map(|rows| (account, rows)))
        .flat_map(|(account, containers)| {
            containers
                .iter()
                .enumerate()
                .filter_map(place)
                .flat_map(move |(container, c)| {
                    c.backups
                        .iter()
                        .enumerate()
                        .filter_map(place)
                        .map(move |(blob, entry)| {
                            let at = BlobAt {
                                account,
                                container,
                                blob,
                            };
                            (at, entry)
                        })
                })
        })
}

/// True when the Backups screen shows `b` under its filter and the expired toggle.
fn backup_shown(state: &AppState, b: &BackupEntry) -> bool {
    !(state.order.hide_expired && b.is_expired(state.now))
        && matches_filter(
            state.filters.get(ListId::Backups),
            &[
                &b.account,
                &b.container,
                &b.name,
                b.catalog.source_service_name().unwrap_or(""),
                b.catalog.source_sku.as_ref().map_or("", |s| s.as_str()),
                b.catalog.source_location.as_deref().unwrap_or(""),
            ],
        )
}

/// The backups shown on the Backups screen: filtered (expired ones left out when hidden),
/// grouped by account and container, in the chosen order within a group (newest first),
/// worked out from every loaded blob. The state keeps the answer (`app/views.rs`); this is
/// its rule.
pub(super) fn derive_backups(state: &AppState) -> Vec<BlobAt> {
    let mut out: Vec<(BlobAt, &BackupEntry)> = located_backups(state)
        .filter(|(_, b)| backup_shown(state, b))
        .collect();
    out.sort_by(|(_, a), (_, b)| {
        (a.account.as_str(), a.container.as_str())
            .cmp(&(b.account.as_str(), b.container.as_str()))
            .then_with(|| state.order.backups.backups(a, b))
    });
    exact(out.into_iter().map(|(at, _)| at))
}

/// The items of `rows` in a vector of their exact number (a view is kept: no room to spare).
pub(super) fn exact<T>(rows: impl ExactSizeIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::with_capacity(rows.len());
    out.extend(rows);
    out
}

/// `rows` (shown under a filter that the current one narrows) kept when the current filter
/// matches them, in their order.
pub(super) fn narrow_backups(state: &AppState, rows: &[BlobAt]) -> Vec<BlobAt> {
    rows.iter()
        .copied()
        .filter(|at| at.get(state).is_some_and(|b| backup_shown(state, b)))
        .collect()
}

/// The backups shown on the Backups screen, in their order (see [`derive_backups`]).
pub fn visible_backups(state: &AppState) -> Vec<&BackupEntry> {
    let view = views::backups(state);
    (0..view.len()).filter_map(|i| view.get(state, i)).collect()
}

/// The row of the newest backup Azure would still restore, where the Backups screen's cursor
/// starts (the first row when every backup has expired).
pub fn newest_restorable(state: &AppState) -> usize {
    let view = views::backups(state);
    (0..view.len())
        .filter_map(|i| view.get(state, i).map(|b| (i, b)))
        .filter(|(_, b)| expiry_refusal(b, state.now).is_none())
        .min_by(|(_, a), (_, b)| newest_first(a, b))
        .map_or(0, |(i, _)| i)
}

/// The backup under the cursor of the Backups screen.
pub fn selected_backup(state: &AppState) -> Option<&BackupEntry> {
    views::backups(state).get(state, state.cursors.backups)
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

/// The groups of consecutive `rows` in one account and container, as (first row, count).
pub(super) fn backup_groups(state: &AppState, rows: &[BlobAt]) -> Vec<(usize, usize)> {
    let place = |at: &BlobAt| {
        at.get(state)
            .map(|b| (b.account.as_str(), b.container.as_str()))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let here = place(&rows[i]);
        let count = rows[i..].iter().take_while(|r| place(r) == here).count();
        out.push((i, count));
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
        parts.push(loc.to_string());
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
