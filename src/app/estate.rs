//! Derived views of the estate for `update` and `render` alike: the visible (filtered)
//! subscriptions and services (of the selected subscription, or of every one at once), the
//! selected ones, and each service's newest backup. Keeping these in one place means a click,
//! a key and the screen always agree on "row 3". Pure.

use std::collections::HashMap;

use super::catalog::{self, BlobAt};
use super::loadable::{Listing, Loadable};
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

/// Whose services the services table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServicesScope {
    /// The selected subscription's (its GUID).
    One(String),
    /// Every listed subscription's at once (`0`, `:all`), with a Subscription column.
    All,
}

/// What the services table shows now; `None` for one subscription when none is selected.
pub fn services_scope(state: &AppState) -> Option<ServicesScope> {
    if state.all_subscriptions() {
        return Some(ServicesScope::All);
    }
    selected_subscription(state).map(|s| ServicesScope::One(s.id.clone()))
}

/// The subscriptions (GUIDs) whose services `scope` shows: one, or every listed one in the
/// subscriptions pane's order (its filter aside).
pub(super) fn scope_subscriptions(state: &AppState, scope: &ServicesScope) -> Vec<String> {
    match scope {
        ServicesScope::One(id) => vec![id.clone()],
        ServicesScope::All => state
            .subscriptions
            .rows()
            .map(|subs| subs.iter().map(|s| s.id.clone()).collect())
            .unwrap_or_default(),
    }
}

/// Where the listed subscriptions' services stand, for the all-subscriptions view: how many
/// are not in yet (asked, or not yet asked) and how many failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServicesProgress {
    /// Subscriptions listed.
    pub total: usize,
    /// Subscriptions whose services are not in yet.
    pub loading: usize,
    /// Subscriptions whose services could not be listed.
    pub failed: usize,
}

/// Where every listed subscription's services stand.
pub fn services_progress(state: &AppState) -> ServicesProgress {
    let mut p = ServicesProgress::default();
    for sub in state.subscriptions.rows().into_iter().flatten() {
        p.total += 1;
        match state.services.get(&sub.id).map(|l| &l.data) {
            Some(Loadable::Loaded(_)) => {}
            Some(Loadable::Failed(_)) => p.failed += 1,
            _ => p.loading += 1,
        }
    }
    p
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
    /// Its subscription's display name.
    pub subscription: &'a str,
    /// Its newest backup among the loaded ones.
    pub newest: Option<&'a BackupEntry>,
}

/// A row of the services table by position, as the state keeps it (see `app/views.rs`): its
/// subscription's place among the view's subscriptions, the service's index in that
/// subscription's list (32 bits each: a view keeps one per row), and where its newest loaded
/// backup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceAt {
    /// Index among the subscriptions the view shows (`scope_subscriptions`).
    pub subscription: u32,
    /// Index in that subscription's services.
    pub index: u32,
    /// Its newest backup among the loaded ones.
    pub newest: Option<BlobAt>,
}

impl ServiceAt {
    /// The row itself, when `state` still holds it; `subscriptions` are the view's.
    pub fn resolve<'a>(
        self,
        state: &'a AppState,
        subscriptions: &[String],
    ) -> Option<ServiceRow<'a>> {
        let id = subscriptions.get(self.subscription as usize)?;
        let service = state
            .services
            .get(id)
            .and_then(|l| l.rows())?
            .get(self.index as usize)?;
        Some(ServiceRow {
            service,
            subscription: state.subscription_name(&service.subscription_id),
            newest: self.newest.and_then(|b| b.get(state)),
        })
    }
}

/// True when the services filter matches `s`, or the name of its subscription when the table
/// shows every subscription (`subscription`).
fn service_matches(s: &ServiceSummary, filter: &str, subscription: Option<&str>) -> bool {
    matches_filter(
        filter,
        &[
            &s.name,
            &s.location,
            s.sku.as_str(),
            &s.provisioning_state,
            &s.resource_group,
            subscription.unwrap_or(""),
        ],
    )
}

/// Each of `subscriptions`' loaded services with its place, and its subscription's name when
/// the filter also matches it (every subscription shown).
fn scoped_services<'a>(
    state: &'a AppState,
    subscriptions: &'a [String],
) -> impl Iterator<Item = (u32, &'a [ServiceSummary], Option<&'a str>)> {
    let all = state.all_subscriptions();
    subscriptions.iter().enumerate().filter_map(move |(k, id)| {
        let rows = state.services.get(id).and_then(|l| l.rows())?;
        let k = u32::try_from(k).ok()?;
        Some((k, rows.as_slice(), all.then(|| state.subscription_name(id))))
    })
}

/// The services of `subscriptions` (the view's: see [`scope_subscriptions`]), filtered, in
/// the chosen order (by name), worked out from every loaded row. The state keeps the answer
/// (`app/views.rs`); this is its rule. (A service at a place beyond 32 bits, never reached, is
/// not listed.)
pub(super) fn derive_services(state: &AppState, subscriptions: &[String]) -> Vec<ServiceAt> {
    let filter = state.filters.get(ListId::Services);
    let mut out: Vec<(ServiceAt, ServiceRow<'_>)> = scoped_services(state, subscriptions)
        .flat_map(|(k, rows, name)| {
            rows.iter()
                .enumerate()
                .filter(move |(_, s)| service_matches(s, filter, name))
                .filter_map(|(index, service)| Some((u32::try_from(index).ok()?, service)))
                .map(move |(index, service)| {
                    let at = ServiceAt {
                        subscription: k,
                        index,
                        newest: None,
                    };
                    let row = ServiceRow {
                        service,
                        subscription: "",
                        newest: None,
                    };
                    (at, row)
                })
        })
        .collect();
    if !out.is_empty() {
        let newest = NewestBackups::of(state);
        for (at, row) in &mut out {
            if let Some((a, b)) = newest.of_service(row.service) {
                row.newest = Some(b);
                at.newest = Some(a);
            }
        }
    }
    let sort = state.order.services;
    out.sort_by(|a, b| sort.services((a.1.service, a.1.newest), (b.1.service, b.1.newest)));
    catalog::exact(out.into_iter().map(|(at, _)| at))
}

/// `rows` (shown under a filter that the current one narrows) kept when the current filter
/// matches them, in their order: typing a filter only ever looks at the rows still shown.
pub(super) fn narrow_services(
    state: &AppState,
    subscriptions: &[String],
    rows: &[ServiceAt],
) -> Vec<ServiceAt> {
    let filter = state.filters.get(ListId::Services);
    let lists: Vec<_> = subscriptions
        .iter()
        .map(|id| {
            let rows = state.services.get(id).and_then(|l| l.rows());
            let name = state
                .all_subscriptions()
                .then(|| state.subscription_name(id));
            (rows, name)
        })
        .collect();
    rows.iter()
        .copied()
        .filter(|r| {
            lists
                .get(r.subscription as usize)
                .is_some_and(|(all, name)| {
                    all.and_then(|all| all.get(r.index as usize))
                        .is_some_and(|s| service_matches(s, filter, *name))
                })
        })
        .collect()
}

/// The services of the selected subscription (or of every one), filtered, in the chosen
/// order (by name).
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
        let by_id = self.by_id.get(&service.id().to_lowercase()).copied();
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
        .flat_map(|s| {
            std::iter::once(s.location.as_str())
                .chain(s.additional_locations().iter().map(String::as_str))
        })
        .find(|l| crate::domain::region::same_region(l, name))
        .map_or_else(|| name.to_owned(), str::to_owned)
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
