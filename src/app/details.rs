//! What the details views show beyond the row itself (Enter on a service or a backup): the
//! last restore into a service as the journal has it, and every loaded service a backup could
//! be restored into, with the reason for each one that cannot take it. Pure.

use time::OffsetDateTime;

use super::estate::all_services;
use super::failover::{same_service, target_refusal};
use super::operation::OperationView;
use super::state::AppState;
use crate::domain::backup::BackupEntry;
use crate::domain::operation::OperationKind;
use crate::domain::service::ServiceSummary;

/// The newest finished restore into `service` this journal knows: what it restored, when it
/// ended and how.
pub fn last_restore<'a>(
    state: &'a AppState,
    service: &ServiceSummary,
) -> Option<(&'a OperationView, OffsetDateTime)> {
    state
        .operations
        .iter()
        .filter(|o| o.kind == OperationKind::Restore)
        .filter(|o| {
            o.service
                .as_ref()
                .is_some_and(|id| same_service(id, &service.id()))
        })
        .filter_map(|o| o.outcome().and(o.finished_at).map(|at| (o, at)))
        .max_by_key(|(_, at)| *at)
}

/// Every loaded service, those that can take
/// `backup` first (by name), each refused one with its reason.
pub fn takers<'a>(
    state: &'a AppState,
    backup: &BackupEntry,
) -> Vec<(&'a ServiceSummary, Option<String>)> {
    let mut rows: Vec<_> = all_services(state)
        .map(|s| (s, target_refusal(state, backup, s)))
        .collect();
    rows.sort_by(|a, b| {
        a.1.is_some()
            .cmp(&b.1.is_some())
            .then_with(|| a.0.name.cmp(&b.0.name))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::catalog::all_backups;
    use crate::app::fixtures;

    #[test]
    fn takers_list_the_eligible_first_and_say_why_not_for_the_rest() {
        let state = fixtures::loaded(false);
        let b = all_backups(&state)
            .find(|b| b.name.starts_with("apim-contoso-weu/20261126"))
            .unwrap();
        let rows = takers(&state, b);
        let first_refused = rows.iter().position(|(_, why)| why.is_some()).unwrap();
        assert!(first_refused > 0, "someone can take a Standard backup");
        assert!(rows[first_refused..].iter().all(|(_, why)| why.is_some()));
        let own = rows
            .iter()
            .find(|(s, _)| s.name == "apim-contoso-weu")
            .unwrap();
        assert!(own.1.as_deref().unwrap().contains("source"), "{own:?}");
    }
}
