//! Preparing a restore: no other operation of ours on the target, a pre-flight without ✖,
//! the storage key, and the intent journaled. A restore overwrites the target's
//! configuration; the confirmation (typed name in the TUI, `--yes` in the CLI) happens before
//! this is called, and so does the pre-flight, whose report comes along.

use super::error::EngineError;
use super::operation::Prepared;
use super::preflight::PreflightAsk;
use super::{Engine, IntentNotes, Subject};
use crate::domain::backup::ContentCounts;
use crate::domain::operation::{PostKind, RestorePlan};
use crate::domain::preflight::PreflightReport;

impl Engine {
    /// Runs the pre-flight of restoring `plan` (`local_busy`: this tool already runs an
    /// operation on the target). Read-only.
    ///
    /// # Errors
    /// [`EngineError::Api`] when ARM cannot be read.
    pub async fn preflight(
        &self,
        plan: &RestorePlan,
        local_busy: bool,
    ) -> Result<PreflightReport, EngineError> {
        self.preflight_for(&PreflightAsk::restore(plan, None), local_busy)
            .await
    }

    /// Runs the pre-flight of a backup or a restore. Read-only.
    ///
    /// # Errors
    /// [`EngineError::Api`] when ARM cannot be read.
    pub async fn preflight_for(
        &self,
        ask: &PreflightAsk,
        local_busy: bool,
    ) -> Result<PreflightReport, EngineError> {
        super::preflight::run(&self.client, ask, local_busy)
            .await
            .map_err(EngineError::api("pre-flight"))
    }

    /// Journals the intent of `plan`, whose pre-flight gave `report`. Nothing is sent to APIM
    /// yet.
    ///
    /// # Errors
    /// [`EngineError::Blocked`] with the verdict when a check blocks; other [`EngineError`]s
    /// for busy targets, failed calls or an unwritable journal.
    pub async fn prepare_restore(
        &self,
        plan: &RestorePlan,
        report: &PreflightReport,
    ) -> Result<Prepared, EngineError> {
        self.guard(&plan.target).await?;
        if !report.verdict.allows_restore() {
            return Err(EngineError::Blocked(Box::new(report.verdict.clone())));
        }
        // One correlation id from here on: listKeys, the POST, every poll, the fallback.
        let engine = self.walk();
        let key = match &report.storage {
            Some(account) => engine.key_for(&plan.access, &account.id).await?,
            None => None,
        };
        let info = engine
            .journal_intent(
                &plan.target,
                Subject::Post {
                    kind: PostKind::Restore,
                    blob: plan.backup.clone(),
                    access: plan.access.clone(),
                },
                IntentNotes {
                    tier: report.service.as_ref().map(|s| s.sku.clone()),
                    began: plan.began,
                    preflight: report.verdict.checks.clone(),
                },
            )
            .await?;
        Ok(Prepared {
            engine,
            info,
            kind: PostKind::Restore,
            blob: plan.backup.clone(),
            access: plan.access.clone(),
            key,
            source: None,
            counts: ContentCounts::default(),
        })
    }
}
