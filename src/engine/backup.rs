//! Preparing a backup: the service must be in a classic tier and idle, the storage account
//! must exist, the container is created if missing (the docs disagree on whether APIM does
//! it), the key is fetched, and the intent is journaled.

use super::Engine;
use super::error::EngineError;
use super::inventory::{blob_account, find_storage_account};
use super::operation::Prepared;
use crate::domain::operation::{BackupPlan, OperationKind};
use crate::domain::sku::BackupSupport;

impl Engine {
    /// Checks `plan` and journals its intent. Nothing is sent to APIM yet.
    ///
    /// # Errors
    /// [`EngineError`] when the tier cannot be backed up, the service is busy, the storage
    /// account is not found, a call fails, or the journal cannot be written.
    pub async fn prepare_backup(
        &self,
        plan: &BackupPlan,
    ) -> Result<(Prepared, Vec<String>), EngineError> {
        self.guard(&plan.service).await?;
        // One correlation id from here on: the reads, the container, listKeys, the POST, every
        // poll, the catalog metadata.
        let engine = self.walk();
        let client = &engine.client;
        let service = client
            .get_service(&plan.service)
            .await
            .map_err(EngineError::api("reading the service"))?;
        match service.sku.backup_support() {
            BackupSupport::Supported => {}
            BackupSupport::Unsupported(why) | BackupSupport::Unknown(why) => {
                return Err(EngineError::Refused(format!(
                    "{} is in the {} tier and cannot be backed up: {why}",
                    service.name, service.sku
                )));
            }
        }
        if service.is_busy() {
            return Err(EngineError::Refused(format!(
                "{} is {}: another operation is running on this service",
                service.name, service.provisioning_state
            )));
        }
        let account = find_storage_account(
            client,
            plan.account.as_str(),
            Some(plan.service.subscription.as_str()),
        )
        .await
        .map_err(EngineError::api("finding the storage account"))?
        .ok_or_else(|| {
            EngineError::Refused(format!(
                "storage account {} was not found in your subscriptions",
                plan.account
            ))
        })?;
        let mut notes = Vec::new();
        let blob = blob_account(client, &account)
            .await
            .map_err(EngineError::api("reaching the storage account"))?;
        client
            .create_container(&blob, plan.container.as_str())
            .await
            .map_err(EngineError::api("creating the container"))?;
        if client
            .blob_properties(&blob, plan.container.as_str(), plan.blob.as_str())
            .await
            .map_err(EngineError::api("checking the blob"))?
            .is_some()
        {
            notes.push(format!(
                "{} already exists and will be overwritten",
                plan.destination()
            ));
        }
        let key = engine.key_for(&plan.access, &account.id).await?;
        let info = engine
            .journal_intent(
                OperationKind::Backup,
                &plan.service,
                &plan.destination(),
                &plan.access,
            )
            .await?;
        Ok((
            Prepared {
                engine,
                info,
                access: plan.access.clone(),
                key,
                source: Some(service),
            },
            notes,
        ))
    }
}
