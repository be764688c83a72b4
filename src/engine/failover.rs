//! The plan of a region's failover: one walk of the estate, one pick per service of the lost
//! region (`domain::failover`), and the pre-flight of every restore that could be planned
//! (read-only); then each ready restore run like a single one (journaled, watched, verified).

use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::discovery::{Estate, Scope};
use super::error::EngineError;
use super::{Engine, RunEnd};
use crate::domain::failover::{Pick, plan};
use crate::domain::names::ServiceId;
use crate::domain::operation::{AccessType, Began, RestorePlan};
use crate::domain::preflight::{Level, PreflightReport};
use crate::domain::progress::JournalId;
use crate::domain::progress::ProgressUpdate;

/// How many restores of a batch run at once unless the operator says otherwise (`failover
/// --yes --parallel`, the TUI's region failover).
pub const PARALLEL_DEFAULT: usize = 4;

/// The plan of a region's failover: one item per service of the lost region, and the parts of
/// the estate that could not be listed (a service there may be missing from the items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailoverPlan {
    /// One planned restore per service of the lost region.
    pub items: Vec<PlannedItem>,
    /// `what: why` for each listing that failed: the plan may miss services.
    pub listing_failures: Vec<String>,
}

impl FailoverPlan {
    /// True when any item is blocked or the estate could not be listed whole.
    pub fn incomplete_or_blocked(&self) -> bool {
        !self.listing_failures.is_empty() || self.items.iter().any(PlannedItem::blocked)
    }
}

/// One planned restore and its pre-flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    /// What was picked.
    pub pick: Pick,
    /// The restore, when both a backup and a target were found.
    pub restore: Option<RestorePlan>,
    /// The restore's pre-flight, when both a backup and a target were found.
    pub report: Option<PreflightReport>,
    /// Why pre-flight could not run, when it could not.
    pub preflight_error: Option<String>,
}

impl PlannedItem {
    /// True when this restore would not be sent for a reason to fix (a service that needs no
    /// restore is not blocked: see [`Pick::not_needed`]).
    pub fn blocked(&self) -> bool {
        if self.pick.not_needed() {
            return false;
        }
        self.pick.why_not.is_some()
            || self.preflight_error.is_some()
            || self
                .report
                .as_ref()
                .is_none_or(|r| !r.verdict.allows_restore())
    }

    /// True when its restore can run: planned, needed, and its pre-flight allows it.
    pub fn ready(&self) -> bool {
        !self.pick.not_needed()
            && !self.blocked()
            && self.restore.is_some()
            && self.report.is_some()
    }

    /// Why a blocked item does not run: the plan's reason, why its pre-flight could not run,
    /// or the checks that block it.
    pub fn blocked_reason(&self) -> Option<String> {
        if !self.blocked() {
            return None;
        }
        if let Some(why) = self.pick.why_not.as_ref().or(self.preflight_error.as_ref()) {
            return Some(why.clone());
        }
        let blocking: Vec<String> = self
            .report
            .iter()
            .flat_map(|r| &r.verdict.checks)
            .filter(|c| c.level == Level::Block)
            .map(|c| format!("{}: {}", c.title, c.reason))
            .collect();
        Some(format!("pre-flight blocks it ({})", blocking.join("; ")))
    }
}

impl Engine {
    /// Plans the failover of every service of `lost` into `to`: the newest restorable backup
    /// of each, a standby of its tier, and the pre-flight of that restore (by account key).
    /// `began` is when the operator began the failover (each restore's RTO runs from it).
    /// A listing that fails is kept in the plan's `listing_failures`, never dropped.
    pub async fn plan_failover(&self, lost: &str, to: &str, began: Option<Began>) -> FailoverPlan {
        let estate = Estate::collect(&self.client, Scope::everything()).await;
        let picks = plan(
            &estate.services,
            &estate.backups,
            (lost, to),
            OffsetDateTime::now_utc(),
        );
        let mut out = Vec::new();
        for pick in picks {
            let restore = match (&pick.backup, &pick.target) {
                (Some(b), Some(t)) => b.reference().ok().zip(ServiceId::parse(&t.id()).ok()).map(
                    |(backup, target)| RestorePlan {
                        backup,
                        target,
                        access: AccessType::AccessKey,
                        began,
                    },
                ),
                _ => None,
            };
            let (report, preflight_error) = match &restore {
                Some(plan) => match self.preflight(plan, false).await {
                    Ok(r) => (Some(r), None),
                    Err(e) => (None, Some(e.to_string())),
                },
                None => (None, None),
            };
            out.push(PlannedItem {
                pick,
                restore,
                report,
                preflight_error,
            });
        }
        FailoverPlan {
            items: out,
            listing_failures: estate
                .failures
                .iter()
                .map(|f| format!("{}: {}", f.what, f.error))
                .collect(),
        }
    }

    /// Runs the restore of a ready item (`None` for a blocked one): journaled, sent, watched
    /// to its end and verified, exactly like `apim-dr restore`, with its progress to
    /// `progress`. Returns its journal id and how the watch ended.
    ///
    /// # Errors
    /// [`EngineError`] when it cannot be journaled or prepared (nothing was sent).
    pub async fn run_planned(
        &self,
        item: &PlannedItem,
        progress: mpsc::Sender<ProgressUpdate>,
    ) -> Result<Option<(JournalId, RunEnd)>, EngineError> {
        let (Some(plan), Some(report)) = (&item.restore, &item.report) else {
            return Ok(None);
        };
        if item.blocked() {
            return Ok(None);
        }
        let prepared = self.prepare_restore(plan, report).await?;
        let id = prepared.info.id.clone();
        let end = Box::pin(prepared.send_and_watch(progress, CancellationToken::new())).await?;
        Ok(Some((id, end)))
    }
}
