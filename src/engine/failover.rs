//! The plan of a region's failover: one walk of the estate, one pick per service of the lost
//! region (`domain::failover`), and the pre-flight of every restore that could be planned.
//! Read-only.

use time::OffsetDateTime;

use super::Engine;
use super::discovery::{Estate, Scope};
use crate::domain::failover::{Pick, plan};
use crate::domain::names::ServiceId;
use crate::domain::operation::{AccessType, RestorePlan};
use crate::domain::preflight::PreflightReport;

/// One planned restore and its pre-flight.
#[derive(Debug, Clone)]
pub struct PlannedItem {
    /// What was picked.
    pub pick: Pick,
    /// The restore's pre-flight, when both a backup and a target were found.
    pub report: Option<PreflightReport>,
    /// Why pre-flight could not run, when it could not.
    pub preflight_error: Option<String>,
}

impl PlannedItem {
    /// True when this restore would not be sent.
    pub fn blocked(&self) -> bool {
        self.pick.why_not.is_some()
            || self.preflight_error.is_some()
            || self
                .report
                .as_ref()
                .is_none_or(|r| !r.verdict.allows_restore())
    }
}

impl Engine {
    /// Plans the failover of every service of `lost` into `to`: the newest restorable backup
    /// of each, a standby of its tier, and the pre-flight of that restore (by account key).
    pub async fn plan_failover(&self, lost: &str, to: &str) -> Vec<PlannedItem> {
        let estate = Estate::collect(&self.client, Scope::everything()).await;
        let picks = plan(
            &estate.services,
            &estate.backups,
            (lost, to),
            OffsetDateTime::now_utc(),
        );
        let mut out = Vec::new();
        for pick in picks {
            let restore =
                match (&pick.backup, &pick.target) {
                    (Some(b), Some(t)) => b.reference().ok().zip(ServiceId::parse(&t.id).ok()).map(
                        |(backup, target)| RestorePlan {
                            backup,
                            target,
                            access: AccessType::AccessKey,
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
                report,
                preflight_error,
            });
        }
        out
    }
}
