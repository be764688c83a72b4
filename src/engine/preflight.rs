//! Pre-flight over the network: read the target service, find the backup's storage account,
//! look at the blob, then hand the facts to [`crate::domain::preflight::evaluate`].

use time::OffsetDateTime;

use super::inventory::{blob_account, find_storage_account};
use crate::azure::{ApiError, AzureClient};
use crate::domain::backup::{BackupCatalog, BackupEntry};
use crate::domain::inventory::StorageAccountSummary;
use crate::domain::names::BackupRef;
use crate::domain::operation::{AccessType, RestorePlan};
use crate::domain::preflight::{BackupLookup, PreflightFacts, PreflightReport, evaluate};

/// Looks a backup blob up: found (with its properties and catalog), or which part is missing.
///
/// # Errors
/// [`ApiError`] for failures other than "not found".
pub async fn lookup_backup(
    client: &AzureClient,
    backup: &BackupRef,
    prefer_subscription: Option<&str>,
) -> Result<(BackupLookup, Option<StorageAccountSummary>), ApiError> {
    let account_name = backup.account.as_str();
    let Some(account) = find_storage_account(client, account_name, prefer_subscription).await?
    else {
        return Ok((BackupLookup::AccountMissing, None));
    };
    let blob = blob_account(client, &account).await?;
    let lookup = match client
        .blob_properties(&blob, backup.container.as_str(), backup.blob.as_str())
        .await
    {
        Ok(Some(p)) => BackupLookup::Found(BackupEntry {
            account: account.name.clone(),
            container: backup.container.to_string(),
            name: backup.blob.to_string(),
            created: p.created,
            size_bytes: p.size_bytes,
            catalog: BackupCatalog::from_metadata(&p.metadata),
        }),
        Ok(None) => BackupLookup::BlobMissing,
        Err(e) if e.code == "ContainerNotFound" => BackupLookup::ContainerMissing,
        Err(e) => return Err(e),
    };
    Ok((lookup, Some(account)))
}

/// Gathers the facts for `plan` and evaluates them.
/// `local_busy` says whether this tool already runs an operation on the target.
///
/// # Errors
/// [`ApiError`] when the target cannot be read (404 when it does not exist) or storage
/// cannot be reached.
pub async fn run(
    client: &AzureClient,
    plan: &RestorePlan,
    local_busy: bool,
) -> Result<PreflightReport, ApiError> {
    let target = client.get_service(&plan.target).await?;
    let (backup, storage) = lookup_backup(
        client,
        &plan.backup,
        Some(plan.target.subscription.as_str()),
    )
    .await?;
    let facts = storage.as_ref().map(StorageAccountSummary::facts);
    let verdict = evaluate(&PreflightFacts {
        backup: &backup,
        target: &target,
        storage: facts.as_ref(),
        target_has_local_operation: local_busy,
        uses_access_key: plan.access == AccessType::AccessKey,
        now: OffsetDateTime::now_utc(),
    });
    Ok(PreflightReport {
        verdict,
        target,
        backup,
        storage,
    })
}
