//! Derived views of the estate for `update` and `render` alike: the visible (filtered)
//! subscriptions and services, the selected ones, and each service's newest backup. Keeping
//! these in one place means a click, a key and the screen always agree on "row 3". Pure.

use std::collections::HashMap;

use super::catalog::{self, BlobAt};
use super::loadable::Listing;
use super::state::{AppState, ListId};
use super::views;
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

/// True when every subscription's services are listed, fresh, with nothing in flight: what
/// is not among them does not exist (as of the listing).
pub fn services_complete(state: &AppState) -> bool {
    state.subscriptions.is_settled() && state.services.values().all(Listing::is_settled)
}

/// A row of the services table.
#[derive(Debug, Clone, Copy)]
pub struct ServiceRow<'a> {
    /// The service.
    pub service: &'a ServiceSummary,
    /// Its newest backup among the loaded ones.
    pub newest: Option<&'a BackupEntry>,
}

/// A row of the services table by position, as the state keeps it (see `app/views.rs`): the
/// service's index in its subscription's list, and where its newest loaded backup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceAt {
    /// Index in the selected subscription's services.
    pub index: usize,
    /// Its newest backup among the loaded ones.
    pub newest: Option<BlobAt>,
}

impl ServiceAt {
    /// The row itself, when `state` still holds it.
    pub fn resolve<'a>(self, state: &'a AppState, subscription: &str) -> Option<ServiceRow<'a>> {
        let service = state
            .services
            .get(subscription)
            .and_then(|l| l.rows())?
            .get(self.index)?;
        Some(ServiceRow {
            service,
            newest: self.newest.and_then(|b| b.get(state)),
        })
    }
}

/// True when the services filter matches `s`.
fn service_matches(s: &ServiceSummary, filter: &str) -> bool {
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
}

/// The services of the selected subscription, filtered, in the chosen order (by name), worked
/// out from every loaded row. The state keeps the answer (`app/views.rs`); this is its rule.
pub(super) fn derive_services(state: &AppState) -> Vec<ServiceAt> {
    let Some(sub) = selected_subscription(state) else {
        return Vec::new();
    };
    let filter = state.filters.get(ListId::Services);
    let Some(rows) = state.services.get(&sub.id).and_then(|l| l.rows()) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, ServiceRow<'_>, Option<BlobAt>)> = rows
        .iter()
        .enumerate()
        .filter(|(_, s)| service_matches(s, filter))
        .map(|(i, service)| {
            let row = ServiceRow {
                service,
                newest: None,
            };
            (i, row, None)
        })
        .collect();
    if !out.is_empty() {
        let newest = NewestBackups::of(state);
        for (_, row, at) in &mut out {
            if let Some((a, b)) = newest.of_service(row.service) {
                row.newest = Some(b);
                *at = Some(a);
            }
        }
    }
    let sort = state.order.services;
    out.sort_by(|a, b| sort.services((a.1.service, a.1.newest), (b.1.service, b.1.newest)));
    out.into_iter()
        .map(|(index, _, newest)| ServiceAt { index, newest })
        .collect()
}

/// `rows` (shown under a filter that the current one narrows) kept when the current filter
/// matches them, in their order: typing a filter only ever looks at the rows still shown.
pub(super) fn narrow_services(state: &AppState, rows: &[ServiceAt]) -> Vec<ServiceAt> {
    let filter = state.filters.get(ListId::Services);
    let Some(all) = selected_subscription(state)
        .and_then(|sub| state.services.get(&sub.id))
        .and_then(|l| l.rows())
    else {
        return Vec::new();
    };
    rows.iter()
        .copied()
        .filter(|r| all.get(r.index).is_some_and(|s| service_matches(s, filter)))
        .collect()
}

/// The services of the selected subscription, filtered, in the chosen order (by name).
pub fn visible_services(state: &AppState) -> Vec<ServiceRow<'_>> {
    let view = views::services(state);
    view.rows(state, 0..view.len())
}

/// The service under the cursor of the services table.
pub fn selected_service(state: &AppState) -> Option<&ServiceSummary> {
    views::services(state)
        .row(state, state.cursors.services)
        .map(|r| r.service)
}

/// The newest loaded backup taken from `service`.
pub fn newest_backup<'a>(state: &'a AppState, service: &ServiceSummary) -> Option<&'a BackupEntry> {
    catalog::all_backups(state)
        .filter(|b| catalog::is_backup_of(b, service))
        .max_by_key(|b| b.created)
}

type Located<'a> = (BlobAt, &'a BackupEntry);

/// The newest loaded backup of every source, indexed once so a table of many services reads
/// each service's in constant time (the same answer as [`newest_backup`]).
struct NewestBackups<'a> {
    by_id: HashMap<String, Located<'a>>,
    by_name: HashMap<String, Located<'a>>,
}

impl<'a> NewestBackups<'a> {
    fn of(state: &'a AppState) -> Self {
        let mut by_id: HashMap<String, Located<'a>> = HashMap::new();
        let mut by_name: HashMap<String, Located<'a>> = HashMap::new();
        let keep = |map: &mut HashMap<String, Located<'a>>, key: String, b: Located<'a>| {
            let slot = map.entry(key).or_insert(b);
            if b.1.created >= slot.1.created {
                *slot = b;
            }
        };
        for b in catalog::located_backups(state) {
            if let Some(id) = b.1.catalog.source_service.as_deref() {
                keep(&mut by_id, id.to_lowercase(), b);
                if let Some(name) = b.1.catalog.source_service_name() {
                    keep(&mut by_name, name.to_lowercase(), b);
                }
            }
        }
        Self { by_id, by_name }
    }

    fn of_service(&self, service: &ServiceSummary) -> Option<Located<'a>> {
        let by_id = self.by_id.get(&service.id.to_lowercase()).copied();
        let by_name = self.by_name.get(&service.name.to_lowercase()).copied();
        match (by_id, by_name) {
            (Some(a), Some(b)) => Some(if b.1.created > a.1.created { b } else { a }),
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
                indexed.map(|b| &b.1.name),
                newest_backup(&state, service).map(|b| &b.name),
                "{}",
                service.name
            );
            assert_eq!(
                indexed.and_then(|(at, _)| at.get(&state)),
                indexed.map(|(_, b)| b),
                "where it is leads back to it"
            );
            checked += usize::from(indexed.is_some());
        }
        assert!(checked > 0, "the fixture has services with backups");
    }
}
