//! The estate: subscriptions → APIM services, storage accounts → containers → backups.

use futures::{StreamExt, TryStreamExt, stream};

use crate::azure::blob::{BlobAccount, BlobAuth};
use crate::azure::{ApiError, AzureClient, ErrorKind};
use crate::domain::backup::BackupEntry;
use crate::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use crate::domain::names::SubscriptionId;
use crate::domain::service::ServiceSummary;

/// Concurrent calls per listing (ARM allows far more; this keeps throttling away).
const CONCURRENCY: usize = 8;

impl From<crate::azure::models::Subscription> for SubscriptionSummary {
    fn from(s: crate::azure::models::Subscription) -> Self {
        Self {
            name: s.display_name.unwrap_or_else(|| s.subscription_id.clone()),
            state: s.state.unwrap_or_default(),
            id: s.subscription_id,
        }
    }
}

impl From<crate::azure::models::StorageAccount> for StorageAccountSummary {
    fn from(a: crate::azure::models::StorageAccount) -> Self {
        let (subscription_id, _) = crate::domain::service::subscription_and_group(&a.id);
        let p = a.properties;
        Self {
            subscription_id,
            name: a.name,
            location: a.location,
            blob_endpoint: p.primary_endpoints.and_then(|e| e.blob),
            firewall_enabled: p
                .network_acls
                .and_then(|n| n.default_action)
                .is_some_and(|d| d.eq_ignore_ascii_case("Deny")),
            shared_key_disabled: p.allow_shared_key_access == Some(false),
            id: a.id,
        }
    }
}

/// Subscriptions visible to the caller.
///
/// # Errors
/// [`ApiError`] from ARM.
pub async fn subscriptions(client: &AzureClient) -> Result<Vec<SubscriptionSummary>, ApiError> {
    Ok(client
        .list_subscriptions()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// APIM services of one subscription, sorted by name.
///
/// # Errors
/// [`ApiError`] from ARM; an invalid subscription id is refused before sending.
pub async fn services(
    client: &AzureClient,
    subscription: &str,
) -> Result<Vec<ServiceSummary>, ApiError> {
    let sub = SubscriptionId::parse(subscription)?;
    let mut list = client.list_services(&sub).await?;
    list.sort_by_key(|s| s.name.to_lowercase());
    Ok(list)
}

/// Storage accounts of one subscription, sorted by name.
///
/// # Errors
/// [`ApiError`] from ARM.
pub async fn storage_accounts(
    client: &AzureClient,
    subscription: &str,
) -> Result<Vec<StorageAccountSummary>, ApiError> {
    let sub = SubscriptionId::parse(subscription)?;
    let mut list: Vec<StorageAccountSummary> = client
        .list_storage_accounts(&sub)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// Every storage account of every given subscription. Subscriptions whose listing fails are
/// reported in the second vector, not fatal.
pub async fn all_storage_accounts(
    client: &AzureClient,
    subscriptions: &[SubscriptionSummary],
) -> (Vec<StorageAccountSummary>, Vec<(String, ApiError)>) {
    // Owned ids: a closure over borrowed items is not `Send` for every lifetime tokio needs.
    let ids: Vec<String> = subscriptions.iter().map(|s| s.id.clone()).collect();
    let results: Vec<(String, Result<Vec<StorageAccountSummary>, ApiError>)> = stream::iter(ids)
        .map(|id| async move {
            let r = storage_accounts(client, &id).await;
            (id, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut accounts = Vec::new();
    let mut failures = Vec::new();
    for (sub, r) in results {
        match r {
            Ok(a) => accounts.extend(a),
            Err(e) => failures.push((sub, e)),
        }
    }
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    (accounts, failures)
}

/// The Blob endpoint of an account with the right authorization: its key (fetched through
/// ARM `listKeys`, kept in memory only) unless Shared Key is disabled, then a storage token.
///
/// # Errors
/// [`ApiError`] when the account has no blob endpoint or `listKeys` fails.
pub async fn blob_account(
    client: &AzureClient,
    account: &StorageAccountSummary,
) -> Result<BlobAccount, ApiError> {
    let endpoint = account.blob_endpoint.as_deref().ok_or_else(|| {
        ApiError::local(
            ErrorKind::Decode,
            "NoBlobEndpoint",
            format!("storage account {} has no blob endpoint", account.name),
        )
    })?;
    let auth = if account.shared_key_disabled {
        BlobAuth::Bearer
    } else {
        BlobAuth::SharedKey(client.storage_key(&account.id).await?)
    };
    BlobAccount::new(&account.name, endpoint, auth)
}

/// Every container of an account and the blobs in each, newest first.
///
/// # Errors
/// [`ApiError`] from ARM (`listKeys`) or Blob storage.
pub async fn backups(
    client: &AzureClient,
    account: &StorageAccountSummary,
    container: Option<&str>,
) -> Result<Vec<ContainerBackups>, ApiError> {
    let blob = blob_account(client, account).await?;
    let containers = match container {
        Some(c) => vec![c.to_owned()],
        None => client.list_containers(&blob).await?,
    };
    let mut out: Vec<ContainerBackups> = stream::iter(containers)
        .map(|c| {
            let blob = &blob;
            async move {
                let mut backups = client.list_blobs(blob, &c, None).await?;
                sort_newest_first(&mut backups);
                Ok::<_, ApiError>(ContainerBackups {
                    account: account.name.clone(),
                    container: c,
                    backups,
                })
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.container.cmp(&b.container));
    Ok(out)
}

/// Newest first; blobs without a creation time last.
pub fn sort_newest_first(backups: &mut [BackupEntry]) {
    backups.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
}

/// Finds a storage account by name: in `prefer` first (usually the service's subscription,
/// one listing instead of all), then across every subscription the caller can see.
///
/// # Errors
/// [`ApiError`] from ARM; `Ok(None)` when no subscription holds it.
pub async fn find_storage_account(
    client: &AzureClient,
    name: &str,
    prefer: Option<&str>,
) -> Result<Option<StorageAccountSummary>, ApiError> {
    if let Some(sub) = prefer {
        let preferred = [SubscriptionSummary {
            id: sub.to_owned(),
            name: sub.to_owned(),
            state: String::new(),
        }];
        let (accounts, _) = all_storage_accounts(client, &preferred).await;
        if let Some(a) = accounts
            .into_iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
        {
            return Ok(Some(a));
        }
    }
    let (accounts, failures) = all_storage_accounts(client, &subscriptions(client).await?).await;
    if let Some(a) = accounts
        .into_iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
    {
        return Ok(Some(a));
    }
    match failures.into_iter().next() {
        Some((_, e)) => Err(e),
        None => Ok(None),
    }
}
