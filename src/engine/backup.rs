//! Preparing a backup: its pre-flight (the service's tier and state, the storage account, the
//! firewall, the identity, an existing blob that would be overwritten …) must not fail; the
//! container is created if ARM says it is missing (the docs disagree on whether APIM does
//! it), the key is fetched, and the intent is journaled.

use super::error::EngineError;
use super::inventory::blob_account;
use super::operation::Prepared;
use super::preflight::{PreflightAsk, run};
use super::{Engine, IntentNotes, Subject};
use crate::domain::operation::{BackupPlan, PostKind};
use crate::domain::preflight::Level;

impl Engine {
    /// Runs the backup's pre-flight and journals its intent. Nothing is sent to APIM yet.
    /// The notes are the pre-flight's warnings, to show before the backup starts.
    ///
    /// # Errors
    /// [`EngineError::Blocked`] when a pre-flight check fails (a tier that cannot be backed
    /// up, a busy service, a blob that would be overwritten without `plan.overwrite`, …);
    /// other [`EngineError`]s for a call that fails or a journal that cannot be written.
    pub async fn prepare_backup(
        &self,
        plan: &BackupPlan,
    ) -> Result<(Prepared, Vec<String>), EngineError> {
        self.guard(&plan.service).await?;
        // One correlation id from here on: the pre-flight's reads, the container, listKeys,
        // the POST, every poll, the catalog metadata.
        let engine = self.walk();
        let client = &engine.client;
        let report = run(client, &PreflightAsk::backup(plan, plan.overwrite), false)
            .await
            .map_err(EngineError::api("pre-flight"))?;
        if !report.verdict.allows_restore() {
            return Err(EngineError::Blocked(Box::new(report.verdict)));
        }
        let (Some(service), Some(account)) = (report.service, report.storage) else {
            return Err(EngineError::Refused(
                "pre-flight found neither the service nor the storage account".to_owned(),
            ));
        };
        let missing_container = report
            .verdict
            .checks
            .iter()
            .any(|c| c.id == "container_exists" && c.level != Level::Pass);
        let mut notes: Vec<String> = report
            .verdict
            .checks
            .iter()
            .filter(|c| c.level == Level::Warn)
            .map(|c| format!("⚠ {}: {}", c.title, c.reason))
            .collect();
        if missing_container {
            // From this machine, through the data plane; when it cannot reach it, APIM may
            // still create the container (or refuse, in its own words).
            let created = match blob_account(client, &account).await {
                Ok(blob) => {
                    client
                        .create_container(&blob, plan.container.as_str())
                        .await
                }
                Err(e) => Err(e),
            };
            if let Err(e) = created {
                notes.push(format!(
                    "could not create container {} from this machine ({}: {}); APIM is asked to write into it anyway",
                    plan.container, e.code, e.message.lines().next().unwrap_or_default()
                ));
            }
        }
        // What the service holds, for the catalog: read before the backup, through ARM.
        let (counts, unread) = client.count_contents(&plan.service).await;
        if let Some(e) = unread.first() {
            notes.push(format!(
                "could not count what the service holds for the catalog ({e}); those counts will be unknown"
            ));
        }
        let key = engine.key_for(&plan.access, &account.id).await?;
        let info = engine
            .journal_intent(
                &plan.service,
                Subject::Post {
                    kind: PostKind::Backup,
                    blob: plan.destination(),
                    access: plan.access.clone(),
                },
                IntentNotes {
                    tier: Some(service.sku.clone()),
                    began: None,
                    preflight: report.verdict.checks.clone(),
                },
            )
            .await?;
        Ok((
            Prepared {
                engine,
                info,
                kind: PostKind::Backup,
                blob: plan.destination(),
                access: plan.access.clone(),
                key,
                source: Some(service),
                counts,
            },
            notes,
        ))
    }
}
