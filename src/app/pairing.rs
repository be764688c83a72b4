//! DR pairing in the restore wizard: the service the source names as its standby with a
//! `dr-standby` tag (a service name or resource id) is marked on the region step ("dr-standby
//! here") and preselected on the target step; Azure's pair of the backup's region is marked
//! on the region step. The region step's cursor does not move (the list keeps its order and
//! the cursor its place, so a practised key sequence stays the same). The operator still
//! presses Enter on each step. Pure.

use super::catalog::is_backup_of;
use super::estate::all_services;
use super::failover::{FailoverWizard, same_service, source_location, target_rows};
use super::state::AppState;
use crate::domain::names::ServiceId;
use crate::domain::region::is_pair;
use crate::domain::service::ServiceSummary;

/// The tag that names a service's standby.
pub const STANDBY_TAG: &str = "dr-standby";

/// The standby the backup's source service names in its `dr-standby` tag, when it is loaded.
pub fn standby<'a>(state: &'a AppState, w: &FailoverWizard) -> Option<&'a ServiceSummary> {
    let backup = w.source.as_ref()?;
    let source = w
        .origin
        .as_ref()
        .filter(|o| is_backup_of(backup, o))
        .or_else(|| all_services(state).find(|s| is_backup_of(backup, s)))?;
    standby_of(state, source)
}

/// The standby `source` names in its `dr-standby` tag, when it is loaded.
pub fn standby_of<'a>(state: &'a AppState, source: &ServiceSummary) -> Option<&'a ServiceSummary> {
    let named = source
        .tags()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(STANDBY_TAG))
        .map(|(_, v)| v.trim())?;
    all_services(state).find(|s| match ServiceId::parse(named) {
        Ok(id) => same_service(&id, &s.id()),
        Err(_) => s.name.eq_ignore_ascii_case(named),
    })
}

/// True when `region` is Azure's pair of the backup's region.
pub fn is_paired(state: &AppState, w: &FailoverWizard, region: &str) -> bool {
    w.source
        .as_ref()
        .and_then(|b| source_location(state, b))
        .is_some_and(|from| is_pair(&from, region))
}

/// The row of the target step's likely target: the standby, when it is in the chosen region
/// and can take the backup.
pub fn likely_target(state: &AppState, w: &FailoverWizard) -> Option<usize> {
    let s = standby(state, w)?;
    target_rows(state, w)
        .iter()
        .position(|r| r.service.id_is(&s.id()) && r.refusal.is_none())
}
