//! Preparing a restore: no other operation of ours on the target, a pre-flight without ✖,
//! the storage key, and the intent journaled. A restore overwrites the target's
//! configuration; the confirmation (typed name in the TUI, `--yes` in the CLI) happens before
//! this is called.

use super::error::EngineError;
use super::operation::{Engine, Prepared};
use super::preflight::{PreflightReport, run};
use crate::domain::operation::{OperationKind, RestorePlan};

impl Engine {
    /// Runs pre-flight and journals the intent. Nothing is sent to APIM yet.
    ///
    /// # Errors
    /// [`EngineError::Blocked`] with the verdict when a check blocks; other [`EngineError`]s
    /// for busy targets, failed calls or an unwritable journal.
    pub async fn prepare_restore(
        &self,
        plan: &RestorePlan,
    ) -> Result<(Prepared, PreflightReport), EngineError> {
        self.guard(&plan.target)?;
        let report = run(&self.client, plan, false)
            .await
            .map_err(EngineError::api("pre-flight"))?;
        if !report.verdict.allows_restore() {
            return Err(EngineError::Blocked(Box::new(report.verdict)));
        }
        let key = match &report.storage {
            Some(account) => self.key_for(&plan.access, &account.id).await?,
            None => None,
        };
        let info = self.journal_intent(
            OperationKind::Restore,
            &plan.target,
            &plan.backup,
            &plan.access,
        )?;
        Ok((
            Prepared {
                engine: self.clone(),
                info,
                access: plan.access.clone(),
                key,
                source: None,
            },
            report,
        ))
    }
}
