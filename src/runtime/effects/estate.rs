//! The estate's reads, each one walk of the discovery engine: the whole estate, a
//! subscription's services, a subscription's storage accounts and their backups, or one
//! account's backups. Every listing the walk completes answers with its `…Loaded` action,
//! in the order [`Listings`] gives them out; and the inventory cache's write.

use tokio::sync::mpsc;

use super::{EffectRunner, send};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::azure::AzureClient;
use crate::cache::InventoryCache;
use crate::domain::names::SubscriptionId;
use crate::engine::discovery::{self, Failure, Found, Listed, Listings, Scope};

impl EffectRunner {
    /// Starts one of the estate's walks; each listing it completes comes back as an action.
    pub(super) fn fetch(&mut self, effect: Effect, client: &AzureClient, tx: mpsc::Sender<Action>) {
        let (found, listings) = match effect {
            Effect::FetchBackups { account } => (
                discovery::discover_account(client, account),
                Listings::of_account(),
            ),
            effect => match scope(&effect) {
                Some(Ok(scope)) => {
                    let listings = Listings::of(&scope);
                    (discovery::discover(client, scope), listings)
                }
                Some(Err(refused)) => return self.spawn(async move { send(&tx, *refused).await }),
                None => return,
            },
        };
        self.spawn(answer(found, listings, tx));
    }
}

/// What an estate read walks, or its answer when the subscription it names is not one.
fn scope(effect: &Effect) -> Option<Result<Scope, Box<Action>>> {
    let of_subscription = |subscription: &String, services: bool| {
        let result = SubscriptionId::parse(subscription).map(|id| Scope {
            subscription: Some(id),
            services,
            backups: !services,
            ..Scope::default()
        });
        result.map_err(|e| {
            let subscription = subscription.clone();
            Box::new(if services {
                Action::ServicesLoaded {
                    subscription,
                    result: Err(e.into()),
                }
            } else {
                Action::StorageAccountsLoaded {
                    subscription,
                    result: Err(e.into()),
                }
            })
        })
    };
    match effect {
        Effect::WalkEstate => Some(Ok(Scope::everything())),
        Effect::FetchServices { subscription } => Some(of_subscription(subscription, true)),
        Effect::FetchStorageAccounts { subscription } => Some(of_subscription(subscription, false)),
        _ => None,
    }
}

/// Answers each listing of a walk as it is complete.
async fn answer(
    mut found: mpsc::UnboundedReceiver<Found>,
    mut listings: Listings,
    tx: mpsc::Sender<Action>,
) {
    while let Some(f) = found.recv().await {
        for listed in listings.add(f) {
            send(&tx, loaded(listed)).await;
        }
    }
    for listed in listings.finish() {
        send(&tx, loaded(listed)).await;
    }
}

/// The action that says `listed`.
fn loaded(listed: Listed) -> Action {
    let said = |f: Box<Failure>| f.error.to_user_error(&f.what);
    match listed {
        Listed::Subscriptions(result) => Action::SubscriptionsLoaded(result.map_err(said)),
        Listed::Services {
            subscription,
            result,
        } => Action::ServicesLoaded {
            subscription,
            result: result.map_err(said),
        },
        Listed::StorageAccounts {
            subscription,
            result,
        } => Action::StorageAccountsLoaded {
            subscription,
            result: result.map_err(said),
        },
        Listed::Backups { account, result } => Action::BackupsLoaded {
            account,
            result: result.map_err(said),
        },
    }
}

/// Writes the inventory cache on the blocking pool; a failure is said in the log only (the
/// next start draws without a cache).
pub(super) async fn save_inventory(
    cache: InventoryCache,
    inventory: Box<crate::domain::inventory::Inventory>,
    at: time::OffsetDateTime,
) {
    let path = cache.path().to_owned();
    match tokio::task::spawn_blocking(move || cache.write(&inventory, at)).await {
        Ok(Ok(())) => tracing::debug!(path = %path.display(), "inventory cache written"),
        Ok(Err(e)) => {
            tracing::warn!(path = %path.display(), error = %e, "inventory cache not written");
        }
        Err(e) => tracing::warn!(error = %e, "inventory cache writer ended"),
    }
}
