//! The RPO screen's data: every service and backup the TUI has loaded, assessed against the
//! objective by `domain/rpo.rs` (the same rules as `apim-dr rpo`). Pure: reads `AppState`.
//! The journal is not read here, so a blob without a catalog is matched by its name only.

use std::collections::BTreeMap;

use time::Duration;

use super::loadable::Listing;
use super::state::AppState;
use crate::domain::backup::{BackupEntry, infer};
use crate::domain::rpo::{Candidate, RpoRow, Seen, assess};
use crate::domain::service::ServiceSummary;

/// What the RPO screen assesses, gathered from the loaded listings.
#[derive(Debug, Clone, Default)]
pub struct RpoInputs {
    /// Every loaded service, by name.
    pub services: Vec<ServiceSummary>,
    /// Every loaded backup.
    pub backups: Vec<BackupEntry>,
    /// Storage account name → region.
    pub regions: BTreeMap<String, String>,
    /// False while something loads or when a listing failed: a missing backup may be there.
    pub complete: bool,
}

/// Gathers the inputs from `state`.
pub fn inputs(state: &AppState) -> RpoInputs {
    let mut services: Vec<ServiceSummary> = state
        .services
        .values()
        .filter_map(Listing::rows)
        .flatten()
        .cloned()
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let backups = state
        .backups
        .values()
        .filter_map(Listing::rows)
        .flatten()
        .flat_map(|c| c.backups.iter().cloned())
        .collect();
    let regions = state
        .storage_accounts
        .values()
        .filter_map(Listing::rows)
        .flatten()
        .map(|a| (a.name.clone(), a.location.clone()))
        .collect();
    let complete = state.subscriptions.is_settled()
        && state.services.values().all(Listing::is_settled)
        && state.storage_accounts.values().all(Listing::is_settled)
        && state.backups.values().all(Listing::is_settled);
    RpoInputs {
        services,
        backups,
        regions,
        complete,
    }
}

impl RpoInputs {
    /// Each service's recovery point against the state's objective.
    pub fn rows(&self, state: &AppState) -> Vec<RpoRow<'_>> {
        let seen = Seen {
            services: &self.services,
            backups: self
                .backups
                .iter()
                .map(|entry| Candidate {
                    entry,
                    view: infer(entry, None),
                })
                .collect(),
            account_regions: self.regions.clone(),
            complete: self.complete,
        };
        let hours = i64::try_from(state.rpo_hours).unwrap_or(i64::MAX);
        assess(&seen, Duration::hours(hours), state.now)
    }
}
