//! The prune dialog (`p` on Backups, `:prune`): the expired backups among those loaded, chosen
//! by the rule `apim-dr prune --expired` uses (`domain/backup/prune.rs`, no `--keep`), the
//! words the operator types to delete them, and each blob's result. Pure.

use super::catalog::all_backups;
use super::loadable::Listing;
use super::state::AppState;
use crate::domain::backup::{BackupEntry, infer, prunable};
use crate::domain::error::UserError;

/// Where one blob of the dialog stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PruneStatus {
    /// Listed, nothing asked yet.
    Listed,
    /// Its Blob DELETE is on its way.
    Deleting,
    /// Deleted.
    Deleted,
    /// Not deleted, and why.
    Failed(UserError),
}

/// One blob the dialog lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PruneRow {
    /// The backup.
    pub entry: BackupEntry,
    /// What became of it.
    pub status: PruneStatus,
}

/// The prune dialog over the Backups screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PruneDialog {
    /// The expired backups, oldest first.
    pub rows: Vec<PruneRow>,
    /// What was typed to confirm.
    pub typed: String,
    /// False while a listing still loads or failed: other expired backups may exist.
    pub complete: bool,
    /// Rows scrolled.
    pub scroll: u16,
}

impl PruneDialog {
    /// True once the deletes were asked for.
    pub fn started(&self) -> bool {
        self.rows.iter().any(|r| r.status != PruneStatus::Listed)
    }

    /// True while a delete has not answered.
    pub fn running(&self) -> bool {
        self.rows.iter().any(|r| r.status == PruneStatus::Deleting)
    }

    /// What the operator types to delete them: `delete N`, the count they were shown.
    pub fn confirm_words(&self) -> String {
        format!("delete {}", self.rows.len())
    }

    /// How many were deleted and how many failed.
    pub fn tally(&self) -> (usize, usize) {
        let count = |f: fn(&PruneStatus) -> bool| self.rows.iter().filter(|r| f(&r.status)).count();
        (
            count(|s| *s == PruneStatus::Deleted),
            count(|s| matches!(s, PruneStatus::Failed(_))),
        )
    }
}

/// The dialog for the backups loaded now (no blob of an unknown age, none that is not a
/// backup: the CLI's rule).
pub fn plan(state: &AppState) -> PruneDialog {
    let views: Vec<_> = all_backups(state).map(|b| (b, infer(b, None))).collect();
    let rows = prunable(&views, 0, state.now)
        .into_iter()
        .map(|entry| PruneRow {
            entry: entry.clone(),
            status: PruneStatus::Listed,
        })
        .collect();
    let complete = !state.backups.is_empty() && state.backups.values().all(Listing::is_settled);
    PruneDialog {
        rows,
        typed: String::new(),
        complete,
        scroll: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures;

    #[test]
    fn the_plan_lists_the_expired_backups_the_cli_would_delete() {
        let state = fixtures::loaded(false);
        let d = plan(&state);
        let names: Vec<_> = d.rows.iter().map(|r| r.entry.name.as_str()).collect();
        assert_eq!(names, ["apim-contoso-weu/20261021T0600Z.apimbackup"]);
        assert!(d.complete);
        assert_eq!(d.confirm_words(), "delete 1");
        assert!(!d.started());
    }
}
