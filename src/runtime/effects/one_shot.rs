//! The effects that answer once with one action: a service's regions and a region's gateway
//! switch, a cutover's dry run and its write, deleting backups, a region's failover plan and
//! its batch report's write (on the blocking pool).

use tokio::sync::mpsc;

use super::{EffectRunner, send};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::domain::cutover::CutoverPlan;
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::engine::Engine;
use crate::engine::cutover::{CutoverAsk, CutoverEnd, CutoverTo};
use crate::engine::report_files::save_batch;

impl EffectRunner {
    /// Starts a read or write that answers once (regions, a region's gateway switch, a
    /// cutover's plan or write, deleting backups, a region's failover plan, a batch report);
    /// its result comes back as an action.
    pub(super) fn one_shot(&mut self, effect: Effect, engine: Engine, tx: mpsc::Sender<Action>) {
        match effect {
            Effect::FetchRegions { service } => self.spawn(async move {
                let result = engine.regions(&service).await.map_err(|e| {
                    e.to_user_error(&format!("reading the regions of {}", service.name))
                });
                send(&tx, Action::RegionsLoaded { service, result }).await;
            }),
            Effect::SwitchGateway {
                service,
                region,
                disabled,
            } => self.spawn(async move {
                let result = engine
                    .set_gateway(&service, &region, disabled)
                    .await
                    .map_err(|e| e.to_user_error());
                let action = Action::GatewaySwitched {
                    service,
                    region,
                    disabled,
                    result,
                };
                send(&tx, action).await;
            }),
            Effect::PlanCutover { hostname, to } => self.spawn(async move {
                let ask = cutover_ask(&hostname, to.clone());
                let result = engine
                    .plan_cutover(&ask)
                    .await
                    .map(|r| r.plan)
                    .map_err(|e| e.to_user_error());
                send(
                    &tx,
                    Action::CutoverPlanned {
                        hostname,
                        to,
                        result,
                    },
                )
                .await;
            }),
            Effect::ApplyCutover {
                hostname,
                to,
                shown,
            } => self.spawn(async move {
                let result = apply_cutover(&engine, &hostname, to.clone(), &shown).await;
                send(
                    &tx,
                    Action::CutoverApplied {
                        hostname,
                        to,
                        result,
                    },
                )
                .await;
            }),
            Effect::DeleteBackups { account, blobs } => self.spawn(async move {
                let results = engine.delete_backups(&account, &blobs).await;
                let results = blobs.into_iter().zip(results).collect();
                let account = account.name;
                send(&tx, Action::BackupsDeleted { account, results }).await;
            }),
            Effect::PlanRegionFailover { lost, to, began } => self.spawn(async move {
                let plan = Box::new(engine.plan_failover(&lost, &to, Some(began)).await);
                send(&tx, Action::RegionFailoverPlanned { lost, to, plan }).await;
            }),
            Effect::SaveBatchReport { report } => self.spawn(async move {
                let dir = engine.reports_dir();
                let id = report.id.clone();
                let written = tokio::task::spawn_blocking(move || save_batch(&dir, &report)).await;
                let result = match written {
                    Ok(Ok(path)) => Ok(path.display().to_string()),
                    Ok(Err(e)) => Err(UserError::new(e.to_string())),
                    Err(e) => Err(UserError::new(format!("the write stopped: {e}"))),
                };
                send(&tx, Action::BatchReportSaved { id, result }).await;
            }),
            _ => {}
        }
    }
}

/// What the TUI's cutover asks: the host name to the service's gateway (one Traffic Manager
/// endpoint; a profile with several is the CLI's `--endpoint`).
fn cutover_ask(hostname: &str, to: ServiceId) -> CutoverAsk {
    CutoverAsk {
        hostname: hostname.to_owned(),
        to: CutoverTo::Service(to),
        endpoint: None,
    }
}

/// The cutover the operator confirmed: read again, refused when it no longer is the dry run
/// shown (the record changed meanwhile), then written.
async fn apply_cutover(
    engine: &Engine,
    hostname: &str,
    to: ServiceId,
    shown: &CutoverPlan,
) -> Result<CutoverEnd, UserError> {
    let ready = engine
        .plan_cutover(&cutover_ask(hostname, to))
        .await
        .map_err(|e| e.to_user_error())?;
    if &ready.plan != shown {
        return Err(UserError::new(format!(
            "{} changed since the dry run: it now points at {}, not {}; nothing was changed",
            ready.plan.place.describe(),
            ready.plan.before,
            shown.before
        ))
        .with_hint("close the dialog and press c again to see the new before → after"));
    }
    engine
        .apply_cutover(&ready)
        .await
        .map_err(|e| e.to_user_error())
}
