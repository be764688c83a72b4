//! Derived views of the estate for `update` and `render` alike: the visible (filtered)
//! subscriptions and services, the selected ones, and each service's newest backup. Keeping
//! these in one place means a click, a key and the screen always agree on "row 3". Pure.

use std::collections::HashMap;

use super::catalog;
use super::state::{AppState, ListId};
use crate::domain::backup::BackupEntry;
use crate::domain::inventory::SubscriptionSummary;
use crate::domain::refusal;
use crate::domain::service::ServiceSummary;

/// True when `filter` (case-insensitive) occurs in any of `fields`; an empty filter matches.
pub fn matches_filter(filter: &str, fields: &[&str]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let needle = filter.to_lowercase();
    fields.iter().any(|f| f.to_lowercase().contains(&needle))
}

/// The subscriptions shown, filtered.
pub fn visible_subscriptions(state: &AppState) -> Vec<&SubscriptionSummary> {
    let filter = state.filters.get(ListId::Subscriptions);
    state
        .subscriptions
        .rows()
        .map(|subs| {
            subs.iter()
                .filter(|s| matches_filter(filter, &[&s.name, &s.id, &s.state]))
                .collect()
        })
        .unwrap_or_default()
}

/// The subscription under the cursor.
pub fn selected_subscription(state: &AppState) -> Option<&SubscriptionSummary> {
    visible_subscriptions(state)
        .get(state.cursors.subscriptions)
        .copied()
}

/// Every loaded service of every subscription.
pub fn all_services(state: &AppState) -> impl Iterator<Item = &ServiceSummary> {
    state
        .services
        .values()
        .filter_map(|l| l.rows())
        .flat_map(|rows| rows.iter())
}

/// A row of the services table.
#[derive(Debug, Clone, Copy)]
pub struct ServiceRow<'a> {
    /// The service.
    pub service: &'a ServiceSummary,
    /// Its newest backup among the loaded ones.
    pub newest: Option<&'a BackupEntry>,
}

/// The services of the selected subscription, filtered, in the chosen order (by name).
pub fn visible_services(state: &AppState) -> Vec<ServiceRow<'_>> {
    let Some(sub) = selected_subscription(state) else {
        return Vec::new();
    };
    let filter = state.filters.get(ListId::Services);
    let Some(rows) = state.services.get(&sub.id).and_then(|l| l.rows()) else {
        return Vec::new();
    };
    let mut out: Vec<ServiceRow<'_>> = rows
        .iter()
        .filter(|s| {
            matches_filter(
                filter,
                &[
                    &s.name,
                    &s.location,
                    s.sku.as_str(),
                    &s.provisioning_state,
                    &s.resource_group,
                ],
            )
        })
        .map(|service| ServiceRow {
            service,
            newest: None,
        })
        .collect();
    if !out.is_empty() {
        let newest = NewestBackups::of(state);
        for row in &mut out {
            row.newest = newest.of_service(row.service);
        }
    }
    let sort = state.order.services;
    out.sort_by(|a, b| sort.services((a.service, a.newest), (b.service, b.newest)));
    out
}

/// The service under the cursor of the services table.
pub fn selected_service(state: &AppState) -> Option<&ServiceSummary> {
    visible_services(state)
        .get(state.cursors.services)
        .map(|r| r.service)
}

/// The newest loaded backup taken from `service`.
pub fn newest_backup<'a>(state: &'a AppState, service: &ServiceSummary) -> Option<&'a BackupEntry> {
    catalog::all_backups(state)
        .filter(|b| catalog::is_backup_of(b, service))
        .max_by_key(|b| b.created)
}

/// The newest loaded backup of every source, indexed once so a table of many services reads
/// each service's in constant time (the same answer as [`newest_backup`]).
struct NewestBackups<'a> {
    by_id: HashMap<String, &'a BackupEntry>,
    by_name: HashMap<String, &'a BackupEntry>,
}

impl<'a> NewestBackups<'a> {
    fn of(state: &'a AppState) -> Self {
        let mut by_id: HashMap<String, &'a BackupEntry> = HashMap::new();
        let mut by_name: HashMap<String, &'a BackupEntry> = HashMap::new();
        let keep = |map: &mut HashMap<String, &'a BackupEntry>, key: String, b: &'a BackupEntry| {
            let slot = map.entry(key).or_insert(b);
            if b.created >= slot.created {
                *slot = b;
            }
        };
        for b in catalog::all_backups(state) {
            if let Some(id) = b.catalog.source_service.as_deref() {
                keep(&mut by_id, id.to_lowercase(), b);
                if let Some(name) = b.catalog.source_service_name() {
                    keep(&mut by_name, name.to_lowercase(), b);
                }
            }
        }
        Self { by_id, by_name }
    }

    fn of_service(&self, service: &ServiceSummary) -> Option<&'a BackupEntry> {
        let by_id = self.by_id.get(&service.id.to_lowercase()).copied();
        let by_name = self.by_name.get(&service.name.to_lowercase()).copied();
        match (by_id, by_name) {
            (Some(a), Some(b)) => Some(if b.created > a.created { b } else { a }),
            (a, b) => a.or(b),
        }
    }
}

/// Why a service cannot be backed up or restored into, when it cannot.
pub fn backup_refusal(service: &ServiceSummary) -> Option<String> {
    refusal::tier(&service.sku)
}

/// How the screens name a region: the display name the loaded services use for it ("North
/// Europe" for a storage account's `northeurope`), else the name as given.
pub fn region_name(state: &AppState, name: &str) -> String {
    state
        .services
        .values()
        .filter_map(|l| l.rows())
        .flatten()
        .flat_map(|s| std::iter::once(&s.location).chain(&s.additional_locations))
        .find(|l| crate::domain::region::same_region(l, name))
        .map_or_else(|| name.to_owned(), Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures;

    #[test]
    fn the_indexed_newest_backup_is_the_scanned_one() {
        let state = fixtures::loaded(false);
        let mut checked = 0;
        for service in all_services(&state) {
            let indexed = NewestBackups::of(&state).of_service(service);
            assert_eq!(
                indexed.map(|b| &b.name),
                newest_backup(&state, service).map(|b| &b.name),
                "{}",
                service.name
            );
            checked += usize::from(indexed.is_some());
        }
        assert!(checked > 0, "the fixture has services with backups");
    }
}
