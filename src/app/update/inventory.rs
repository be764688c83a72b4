//! Inventory facts (subscriptions, services, storage accounts, backups) and refreshes. Each
//! load is one walk of the discovery engine ([`crate::engine::discovery`]) that answers with
//! every listing it covers, a listing always after the one that names it: the subscription
//! list marks each subscription's services and storage accounts loading, an account listing
//! each account's backups, and those answers follow from the same walk. A failed refresh
//! keeps the rows and says why in the flash line.

use std::collections::BTreeMap;
use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::format_description;

use super::navigation;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::loadable::{Listing, Settled};
use crate::app::state::{AppState, FlashLevel, Pane, Screen};
use crate::domain::inventory::{Inventory, StorageAccountSummary};

/// Applies a `…Loaded` fact.
pub(super) fn loaded(state: &mut AppState, action: Action) -> Vec<Effect> {
    state.inventory_generation += 1;
    let now = state.now;
    let mut effects = Vec::new();
    let cached = matches!(action, Action::InventoryCached { .. });
    match action {
        Action::SubscriptionsLoaded(result) => {
            let settled = state.subscriptions.settle(result, now);
            if settled == Settled::Fresh {
                let ids: Vec<String> = state
                    .subscriptions
                    .rows()
                    .map(|s| s.iter().map(|s| s.id.clone()).collect())
                    .unwrap_or_default();
                state.services.retain(|k, _| ids.contains(k));
                state.storage_accounts.retain(|k, _| ids.contains(k));
                for id in ids {
                    coming(&mut state.services, &id, now);
                    coming(&mut state.storage_accounts, &id, now);
                }
            }
            report(state, settled, "subscriptions");
        }
        Action::ServicesLoaded {
            subscription,
            result,
        } => {
            let settled = state
                .services
                .entry(subscription.clone())
                .or_default()
                .settle(result, now);
            let what = format!("services of {}", state.subscription_name(&subscription));
            report(state, settled, &what);
        }
        Action::StorageAccountsLoaded {
            subscription,
            result,
        } => {
            let settled = state
                .storage_accounts
                .entry(subscription.clone())
                .or_default()
                .settle(result, now);
            if settled == Settled::Fresh {
                let names: Vec<String> = state
                    .storage_accounts
                    .get(&subscription)
                    .and_then(Listing::rows)
                    .map(|accounts| accounts.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default();
                for name in names {
                    coming(&mut state.backups, &name, now);
                }
            }
            let what = format!(
                "storage accounts of {}",
                state.subscription_name(&subscription)
            );
            report(state, settled, &what);
        }
        Action::BackupsLoaded { account, result } => {
            let settled = state
                .backups
                .entry(account.clone())
                .or_default()
                .settle(result, now);
            report(state, settled, &format!("backups in {account}"));
        }
        Action::InventoryCached {
            inventory,
            saved_at,
        } => from_cache(state, *inventory, saved_at),
        _ => {}
    }
    navigation::clamp_cursors(state);
    if effects.is_empty() && !cached {
        effects.extend(save(state));
    }
    effects
}

/// Marks `key`'s listing loading: the walk that named it answers for it too.
fn coming<T>(map: &mut BTreeMap<String, Listing<T>>, key: &str, now: OffsetDateTime) {
    map.entry(key.to_owned()).or_default().begin(now);
}

/// Shows the cached inventory's rows where nothing is loaded yet, marked stale with its age.
fn from_cache(state: &mut AppState, inventory: Inventory, saved_at: OffsetDateTime) {
    state
        .subscriptions
        .fill_from_cache(inventory.subscriptions, saved_at);
    fill(&mut state.services, inventory.services, saved_at);
    fill(
        &mut state.storage_accounts,
        inventory.storage_accounts,
        saved_at,
    );
    fill(&mut state.backups, inventory.backups, saved_at);
}

/// Each listing of `map` without rows gets its cached ones.
fn fill<T>(
    map: &mut BTreeMap<String, Listing<Vec<T>>>,
    cached: BTreeMap<String, Arc<Vec<T>>>,
    saved_at: OffsetDateTime,
) {
    for (key, rows) in cached {
        map.entry(key).or_default().fill_from_cache(rows, saved_at);
    }
}

/// Every listing's rows, shared: no row is copied.
fn rows<T>(map: &BTreeMap<String, Listing<Vec<T>>>) -> BTreeMap<String, Arc<Vec<T>>> {
    map.iter()
        .filter_map(|(k, l)| Some((k.clone(), Arc::clone(l.shared_rows()?))))
        .collect()
}

/// Once a walk of the estate has ended (the last listing answered and nothing else is in
/// flight), the inventory to keep in the cache for the next start; never in the demo,
/// whose world starts over.
///
/// At that point a cached listing nobody fetched (an account or subscription gone since) is
/// dropped, and nothing is kept while a listing is stale: its rows would get a new date. A
/// walk whose subscription list failed reached only part of the estate: what it did not
/// reach is not gone, so nothing is dropped or kept.
fn save(state: &mut AppState) -> Option<Effect> {
    if state.starts_over || state.estate_loading() || !state.subscriptions.is_settled() {
        return None;
    }
    drop_orphans(state);
    let any_stale = state.subscriptions.is_stale()
        || state.services.values().any(Listing::is_stale)
        || state.storage_accounts.values().any(Listing::is_stale)
        || state.backups.values().any(Listing::is_stale);
    if any_stale {
        return None;
    }
    let inventory = Inventory {
        subscriptions: Arc::clone(state.subscriptions.shared_rows()?),
        services: rows(&state.services),
        storage_accounts: rows(&state.storage_accounts),
        backups: rows(&state.backups),
    };
    Some(Effect::SaveInventory {
        inventory: Box::new(inventory),
        at: state.now,
    })
}

/// Drops the cached listings no fetch of this session answered or tried: what the walk no
/// longer reaches (a deleted account, a subscription out of sight).
fn drop_orphans(state: &mut AppState) {
    fn orphan<T>(l: &Listing<T>) -> bool {
        l.cached && l.refresh_error.is_none() && !l.is_busy()
    }
    let before = state.services.len() + state.storage_accounts.len() + state.backups.len();
    state.services.retain(|_, l| !orphan(l));
    state.storage_accounts.retain(|_, l| !orphan(l));
    state.backups.retain(|_, l| !orphan(l));
    if state.services.len() + state.storage_accounts.len() + state.backups.len() != before {
        state.inventory_generation += 1;
    }
}

/// Flashes a failed refresh (the rows stay, stale). A failed first load shows in its pane.
fn report(state: &mut AppState, settled: Settled, what: &str) {
    if let Settled::Stale { error, loaded_at } = settled {
        let when = loaded_at
            .and_then(|t| {
                t.format(format_description!("[hour]:[minute]:[second]"))
                    .ok()
            })
            .map_or_else(String::new, |t| format!(" at {t} UTC"));
        state.flash(
            FlashLevel::Error,
            format!(
                "refreshing {what} failed: {}; the rows shown were loaded{when}",
                error.one_line()
            ),
        );
    }
}

/// Starts loading a subscription's services unless a load is in flight.
pub(super) fn fetch_services(state: &mut AppState, subscription: &str) -> Option<Effect> {
    state.inventory_generation += 1;
    let now = state.now;
    state
        .services
        .entry(subscription.to_owned())
        .or_default()
        .begin(now)
        .then(|| Effect::FetchServices {
            subscription: subscription.to_owned(),
        })
}

/// Starts loading a subscription's storage accounts, and each one's backups, unless a load
/// is in flight.
pub(super) fn fetch_accounts(state: &mut AppState, subscription: &str) -> Option<Effect> {
    state.inventory_generation += 1;
    let now = state.now;
    state
        .storage_accounts
        .entry(subscription.to_owned())
        .or_default()
        .begin(now)
        .then(|| Effect::FetchStorageAccounts {
            subscription: subscription.to_owned(),
        })
}

/// Starts loading an account's backups unless a load is in flight.
pub(super) fn fetch_backups(
    state: &mut AppState,
    account: &StorageAccountSummary,
) -> Option<Effect> {
    state.inventory_generation += 1;
    let now = state.now;
    state
        .backups
        .entry(account.name.clone())
        .or_default()
        .begin(now)
        .then(|| Effect::FetchBackups {
            account: account.clone(),
        })
}

/// Starts a walk of the whole estate unless the subscription list is loading.
pub(super) fn walk_estate(state: &mut AppState) -> Option<Effect> {
    let now = state.now;
    state.subscriptions.begin(now).then_some(Effect::WalkEstate)
}

/// Every loaded storage account.
pub(super) fn known_accounts(state: &AppState) -> Vec<StorageAccountSummary> {
    state
        .storage_accounts
        .values()
        .filter_map(Listing::rows)
        .flatten()
        .cloned()
        .collect()
}

/// Reloads every subscription's storage accounts and the backups in each.
pub(super) fn refresh_backups(state: &mut AppState) -> Vec<Effect> {
    let subs: Vec<String> = state.storage_accounts.keys().cloned().collect();
    subs.iter()
        .filter_map(|s| fetch_accounts(state, s))
        .collect()
}

/// Reloads every subscription's services.
pub(super) fn refresh_services(state: &mut AppState) -> Vec<Effect> {
    let subs: Vec<String> = state.services.keys().cloned().collect();
    subs.iter()
        .filter_map(|s| fetch_services(state, s))
        .collect()
}

/// `r`: reloads what the current screen shows, keeping the rows meanwhile.
pub(super) fn refresh_screen(state: &mut AppState) -> Vec<Effect> {
    let effects: Vec<Effect> = match (state.screen, state.focus) {
        (Screen::Estate, Pane::Subscriptions) => walk_estate(state).into_iter().collect(),
        (Screen::Estate, Pane::Services) if state.all_subscriptions() => refresh_services(state),
        (Screen::Estate, Pane::Services) => {
            match crate::app::estate::selected_subscription(state).map(|s| s.id.clone()) {
                Some(id) => fetch_services(state, &id).into_iter().collect(),
                None => walk_estate(state).into_iter().collect(),
            }
        }
        (Screen::Backups, _) => refresh_backups(state),
        (Screen::Rpo, _) => {
            let mut effects = refresh_services(state);
            effects.extend(refresh_backups(state));
            effects
        }
        (Screen::Operations, _) => return super::journal::refresh(state),
    };
    if effects.is_empty() {
        state.flash(FlashLevel::Info, "already loading; wait for it to finish");
    }
    effects
}
