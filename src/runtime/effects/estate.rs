//! The estate's reads (subscriptions, services, storage accounts, backups), each answering
//! with its `…Loaded` action, and the inventory cache's write.

use tokio::sync::mpsc;

use super::{EffectRunner, send};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::azure::AzureClient;
use crate::cache::InventoryCache;
use crate::engine::inventory;

impl EffectRunner {
    /// Starts one of the estate's reads; its result comes back as an action.
    pub(super) fn fetch(&mut self, effect: Effect, client: AzureClient, tx: mpsc::Sender<Action>) {
        match effect {
            Effect::FetchSubscriptions => self.spawn(async move {
                let result = inventory::subscriptions(&client)
                    .await
                    .map_err(|e| e.to_user_error("listing subscriptions"));
                send(&tx, Action::SubscriptionsLoaded(result)).await;
            }),
            Effect::FetchServices { subscription } => self.spawn(async move {
                let result = inventory::services(&client, &subscription)
                    .await
                    .map_err(|e| e.to_user_error("listing services"));
                send(
                    &tx,
                    Action::ServicesLoaded {
                        subscription,
                        result,
                    },
                )
                .await;
            }),
            Effect::FetchStorageAccounts { subscription } => self.spawn(async move {
                let result = inventory::storage_accounts(&client, &subscription)
                    .await
                    .map_err(|e| e.to_user_error("listing storage accounts"));
                send(
                    &tx,
                    Action::StorageAccountsLoaded {
                        subscription,
                        result,
                    },
                )
                .await;
            }),
            Effect::FetchBackups { account } => self.spawn(async move {
                let result = inventory::backups(&client, &account, None)
                    .await
                    .map_err(|e| e.to_user_error(&format!("listing backups in {}", account.name)));
                send(
                    &tx,
                    Action::BackupsLoaded {
                        account: account.name.clone(),
                        result,
                    },
                )
                .await;
            }),
            _ => {}
        }
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
