//! `apim-dr standby create`: a new service in the chosen region with the tier, units and
//! publisher fields of another (`--like`), a system-assigned identity and a free name; a
//! soft-deleted service holding the name is purged only with `--purge`. Prints each state
//! the service goes through (`Activating` for tens of minutes) and exits with the outcome's
//! code; Ctrl-C stops following, not the creation. The creation is journaled: `apim-dr
//! operations` lists it, `operations watch ID` (or the TUI's next start) follows it again.

use time::OffsetDateTime;

use super::exit::{CliError, CmdResult};
use super::operations::{drive, estimate_for};
use super::{Output, StandbyAction, resolve};
use crate::domain::error::UserError;
use crate::domain::names::{ResourceGroupName, ServiceName};
use crate::domain::operation::{Began, BeganFrom};
use crate::engine::Engine;
use crate::engine::EngineError;
use crate::engine::standby::StandbyAsk;

/// `apim-dr standby ACTION`.
///
/// # Errors
/// As [`create`].
pub async fn run(engine: &Engine, output: Output, action: &StandbyAction) -> CmdResult {
    match action {
        StandbyAction::Create {
            like,
            region,
            name,
            resource_group,
            purge,
            yes,
        } => {
            let flags = CreateFlags {
                like,
                region,
                name: name.as_deref(),
                resource_group: resource_group.as_deref(),
                purge: *purge,
                yes: *yes,
            };
            Box::pin(create(engine, output, &flags)).await
        }
    }
}

/// The flags of `standby create`.
#[derive(Debug, Clone)]
pub struct CreateFlags<'a> {
    /// `--like`.
    pub like: &'a str,
    /// `--region`.
    pub region: &'a str,
    /// `--name`.
    pub name: Option<&'a str>,
    /// `--resource-group`.
    pub resource_group: Option<&'a str>,
    /// `--purge`.
    pub purge: bool,
    /// `--yes`.
    pub yes: bool,
}

/// `apim-dr standby create`.
///
/// # Errors
/// [`CliError`] for bad input, refusals (a name in the way, read-only, no `--yes`) and failed
/// calls.
pub async fn create(engine: &Engine, output: Output, flags: &CreateFlags<'_>) -> CmdResult {
    let began = Began {
        at: OffsetDateTime::now_utc(),
        from: BeganFrom::Command,
    };
    resolve::service_shape("--like", flags.like)?;
    let ask = StandbyAsk {
        like: resolve::service(engine.client(), "--like", flags.like).await?,
        region: flags.region.to_owned(),
        name: flags.name.map(ServiceName::parse).transpose()?,
        resource_group: flags
            .resource_group
            .map(ResourceGroupName::parse)
            .transpose()?,
        purge: flags.purge,
    };
    if engine.read_only() {
        return Err(CliError::from(&EngineError::ReadOnly));
    }
    let plan = engine
        .plan_standby(&ask)
        .await
        .map_err(|e| CliError::from(&e))?;
    let ways_out = "add --purge to purge it for good (it cannot be undeleted afterwards), or choose another name with --name";
    if let Some(why) = plan.name_refusal(ways_out) {
        return Err(CliError::from(&EngineError::Refused(why)));
    }
    if !flags.yes {
        return Err(CliError::usage(UserError::new(format!(
            "standby create makes a new {} ×{} service {} in {} (billed from now on); add --yes to confirm",
            plan.sku, plan.capacity, plan.target, plan.location
        ))));
    }
    let prepared = engine
        .prepare_standby(&plan, Some(began))
        .await
        .map_err(|e| CliError::from(&e))?;
    let info = prepared.info.clone();
    let estimate = estimate_for(engine, &info).await;
    Box::pin(drive(&info, estimate, output, false, |tx, cancel| {
        prepared.create_and_follow(tx, cancel)
    }))
    .await
}
