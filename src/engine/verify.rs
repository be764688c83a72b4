//! Post-restore verification: reads what decides whether the restored target serves (its
//! provisioning state, its gateway's health endpoint, how many APIs, products and named values
//! it holds) and what the backup's catalog recorded, then applies `domain::verification`.
//!
//! Runs after every successful restore (the watcher reports it before the end) and on its own
//! (`apim-dr verify`). Read-only; nothing it cannot read is called a pass.

use super::Engine;
use super::inventory::{blob_account, find_storage_account};
use super::operation::report;
use super::watch::Watcher;
use crate::azure::ApiError;
use crate::domain::backup::BackupCatalog;
use crate::domain::names::{BackupRef, ServiceId};
use crate::domain::preflight::Verdict;
use crate::domain::progress::ProgressUpdate;
use crate::domain::verification::{CountFact, HealthFact, VerifyFacts, evaluate};

/// What verification found, with the notes that explain a missing comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The checks (✔ ⚠ ✖ with reasons).
    pub verdict: Verdict,
    /// Why the backup's catalog could not be compared, when it could not.
    pub catalog_note: Option<String>,
}

impl Engine {
    /// Verifies `target`: its provisioning state, its gateway health endpoint, and its counts
    /// against the catalog of `backup` (when given and readable). Read-only.
    pub async fn verify(&self, target: &ServiceId, backup: Option<&BackupRef>) -> Verification {
        let client = &self.client;
        let service = client.get_service(target).await;
        let health = match &service {
            Ok(s) => match s.gateway_url().as_deref() {
                Some(url) => match client.gateway_health(url).await {
                    Ok(code) => HealthFact::Status(code),
                    Err(e) => HealthFact::Unreachable(e.to_string()),
                },
                None => HealthFact::NoGateway,
            },
            Err(e) => HealthFact::Unreachable(format!("the service could not be read: {e}")),
        };
        let (catalog, catalog_note) = match backup {
            Some(b) => match self.catalog_of(b, target).await {
                Ok(c) => (c, None),
                Err(e) => (
                    BackupCatalog::default(),
                    Some(format!(
                        "the backup's catalog could not be read ({e}): counts are not compared"
                    )),
                ),
            },
            None => (BackupCatalog::default(), None),
        };
        let expected = catalog.counts;
        let mut counts = Vec::new();
        for (what, child, expected) in [
            ("apis", "apis", expected.apis),
            ("products", "products", expected.products),
            ("named_values", "namedValues", expected.named_values),
        ] {
            counts.push(CountFact {
                what,
                now: client
                    .count_children(target, child)
                    .await
                    .map_err(|e| e.to_string()),
                expected,
            });
        }
        let facts = VerifyFacts {
            provisioning_state: service
                .map(|s| s.provisioning_state.to_string())
                .map_err(|e| e.to_string()),
            health,
            counts,
        };
        Verification {
            verdict: evaluate(&facts),
            catalog_note,
        }
    }

    /// The catalog apim-dr wrote on `backup` (empty for a blob made by another tool).
    async fn catalog_of(
        &self,
        backup: &BackupRef,
        near: &ServiceId,
    ) -> Result<BackupCatalog, ApiError> {
        let client = &self.client;
        let name = backup.account.as_str();
        let account = find_storage_account(client, name, Some(near.subscription.as_str()))
            .await?
            .ok_or_else(|| {
                ApiError::local(
                    crate::azure::ErrorKind::Decode,
                    "AccountNotFound",
                    format!("storage account {name} is not visible"),
                )
            })?;
        let blob = blob_account(client, &account).await?;
        let props = client
            .blob_properties(&blob, backup.container.as_str(), backup.blob.as_str())
            .await?;
        Ok(props
            .map(|p| BackupCatalog::from_metadata(&p.metadata))
            .unwrap_or_default())
    }
}

impl Watcher {
    /// After a restore: what the target holds now, so the operator can check it at a glance.
    pub(crate) async fn report_restored_apis(&self) {
        let note = match self.engine.client.list_apis(&self.info.service).await {
            Ok(apis) => {
                let mut names: Vec<&str> = apis.iter().map(|a| a.name.as_str()).collect();
                names.sort_unstable();
                let shown = names.iter().take(8).copied().collect::<Vec<_>>().join(", ");
                let more = if names.len() > 8 { ", …" } else { "" };
                format!(
                    "{} now holds {} API(s): {shown}{more}",
                    self.info.service.name,
                    names.len()
                )
            }
            Err(e) => format!(
                "the restore succeeded, but the target's APIs could not be listed to check it ({e})"
            ),
        };
        report(&self.progress, ProgressUpdate::Note(note)).await;
    }

    /// After a restore: whether the target serves, compared with the backup's catalog.
    pub(crate) async fn report_verification(&self) {
        let v = self
            .engine
            .verify(&self.info.service, Some(&self.blob))
            .await;
        if let Some(note) = v.catalog_note {
            report(&self.progress, ProgressUpdate::Note(note)).await;
        }
        report(&self.progress, ProgressUpdate::Verified(v.verdict)).await;
    }
}
