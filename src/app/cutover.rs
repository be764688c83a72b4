//! The traffic cutover dialog (`c` on a restore that succeeded, Operations screen, or on the
//! service restored into): the
//! source's custom host name, pointed at the restored target's gateway after a dry run
//! (before → after), the host name typed, the write, its end and the rollback command. The
//! rules are `domain/cutover.rs`; the reads and the write `engine/cutover.rs`. Pure.

use super::catalog::all_backups;
use super::details::last_restore;
use super::estate::{all_services, selected_service};
use super::loadable::Loadable;
use super::operation::{OperationView, selected_operation};
use super::state::{AppState, Pane, Screen};
use crate::domain::cutover::CutoverPlan;
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::domain::operation::{OperationKind, Outcome};
use crate::engine::cutover::CutoverEnd;

/// The cutover dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutoverDialog {
    /// The custom host name to move.
    pub hostname: String,
    /// The restored service it moves to.
    pub target: ServiceId,
    /// The dry run: where the name is served, before → after.
    pub plan: Loadable<CutoverPlan>,
    /// The host name typed to confirm.
    pub typed: String,
    /// The write, once asked for: in flight, or its end.
    pub applied: Option<Loadable<CutoverEnd>>,
}

impl CutoverDialog {
    /// A dialog whose dry run is being read since `now`.
    pub fn new(hostname: String, target: ServiceId, now: time::OffsetDateTime) -> Self {
        Self {
            hostname,
            target,
            plan: Loadable::Loading { since: now },
            typed: String::new(),
            applied: None,
        }
    }

    /// The plan, when the dry run answered with one that changes something.
    pub fn change(&self) -> Option<&CutoverPlan> {
        match &self.plan {
            Loadable::Loaded(p) if !p.is_noop() => Some(p),
            _ => None,
        }
    }

    /// True while the host name is to be typed: a change is planned and not yet asked for.
    pub fn takes_name(&self) -> bool {
        self.change().is_some() && self.applied.is_none()
    }

    /// True while a read or the write is in flight.
    pub fn busy(&self) -> bool {
        matches!(self.plan, Loadable::Loading { .. })
            || matches!(self.applied, Some(Loadable::Loading { .. }))
    }

    /// The rollback command, once there is a plan.
    pub fn rollback(&self) -> Option<String> {
        match &self.plan {
            Loadable::Loaded(p) if !p.is_noop() => Some(p.rollback_command()),
            _ => None,
        }
    }
}

/// What `c` offers for the restore under the cursor (Operations), or for the last restore into
/// the service under the cursor (services): the source's first custom host name and the
/// restored target, or why not.
///
/// # Errors
/// Why there is nothing to cut over here, in the operator's words.
pub fn offer(state: &AppState) -> Result<(String, ServiceId), UserError> {
    let op =
        match (state.screen, state.focus) {
            (Screen::Estate, Pane::Services) => {
                let service = selected_service(state)
                    .ok_or_else(|| UserError::new("select the restored service first"))?;
                last_restore(state, service).map(|(op, _)| op).ok_or_else(|| {
                UserError::new(format!(
                    "no restore into {} is known here: traffic cutover follows a restore that \
                     succeeded",
                    service.name
                ))
            })?
            }
            _ => selected_operation(state)
                .ok_or_else(|| UserError::new("select a restore that succeeded first"))?,
        };
    offer_for(state, op)
}

fn offer_for(state: &AppState, op: &OperationView) -> Result<(String, ServiceId), UserError> {
    let (OperationKind::Restore, Some(Outcome::Succeeded), Some(target)) =
        (op.kind, op.outcome(), &op.service)
    else {
        return Err(UserError::new(
            "traffic cutover follows a restore that succeeded: select one",
        ));
    };
    let source_name = all_backups(state)
        .find(|b| b.display_ref() == op.source)
        .and_then(|b| b.catalog.source_service_name().map(str::to_owned));
    let by_hand = format!(
        "apim-dr cutover --hostname NAME --to {} --dry-run",
        target.name
    );
    let Some(source_name) = source_name else {
        return Err(UserError::new(
            "the backup's source service is not known here, so neither are its host names",
        )
        .with_hint(format!("run {by_hand}")));
    };
    let hostname = all_services(state)
        .find(|s| s.name.eq_ignore_ascii_case(&source_name))
        .and_then(|s| s.custom_hostnames().first().cloned());
    let Some(hostname) = hostname else {
        return Err(UserError::new(format!(
            "{source_name} has no custom host name loaded here: nothing to move"
        ))
        .with_hint(format!("run {by_hand}")));
    };
    Ok((hostname, target.clone()))
}
