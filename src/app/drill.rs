//! The DR drill from the TUI (`D` on a service), what `apim-dr drill` does without touching
//! traffic: a fresh backup of the service where its backups already are (or where its tags
//! say), that backup restored into a standby the operator picks and names by typing it, the
//! restore's pre-flight in between, the verification at the end, each step an operation of
//! its own (journaled, watched, on Operations, `v` for the restore's report). Pure: the state
//! and the rules.

use time::OffsetDateTime;

use super::backup_wizard::usual_place;
use super::estate::all_services;
use super::operation::OpId;
use super::pairing::standby_of;
use super::state::AppState;
use crate::domain::batch_report::backup_place;
use crate::domain::names::BackupRef;
use crate::domain::operation::{Began, Outcome, RestorePlan};
use crate::domain::preflight::Verdict;
use crate::domain::region::same_region;
use crate::domain::service::ServiceSummary;
use crate::domain::sku::BackupSupport;

/// Where a drill stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrillStage {
    /// The standby is being picked and its name typed.
    Pick,
    /// The backup runs as this operation.
    BackingUp(OpId),
    /// The restore's pre-flight runs.
    Checking(RestorePlan),
    /// The restore runs as this operation.
    Restoring(OpId),
    /// The restore (this operation) ended so (its verification, when it succeeded, in
    /// `verified`).
    Restored(OpId, Outcome),
    /// Stopped before the restore, and why.
    Stopped(String),
}

/// The drill dialog's whole state, kept in `AppState::drill` so that a drill goes on while its
/// dialog is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    /// The service backed up (only read).
    pub source: ServiceSummary,
    /// The standbys it can be restored into: same tier, another service; the one its
    /// `dr-standby` tag names first.
    pub targets: Vec<ServiceSummary>,
    /// The standby selected.
    pub cursor: usize,
    /// Where the drill's backup goes (account, container).
    pub place: (String, String),
    /// What was typed: the selected standby's name, exactly.
    pub typed: String,
    /// When `D` was pressed (the restore's RTO runs from it).
    pub began: Began,
    /// Where it stands.
    pub stage: DrillStage,
    /// The standby picked, once started.
    pub target: Option<ServiceSummary>,
    /// The backup's operation, once started.
    pub backup_op: Option<OpId>,
    /// The drill's fresh backup, once started: what the restore reads.
    pub backup: Option<BackupRef>,
    /// The restore's verification, once reported.
    pub verified: Option<Verdict>,
}

impl Drill {
    /// The standby under the cursor.
    pub fn selected(&self) -> Option<&ServiceSummary> {
        self.targets.get(self.cursor)
    }

    /// True while the standby is picked and its name typed.
    pub fn picking(&self) -> bool {
        self.stage == DrillStage::Pick
    }

    /// True once it ended: restored (verified or not), or stopped.
    pub fn ended(&self) -> bool {
        matches!(
            self.stage,
            DrillStage::Restored(..) | DrillStage::Stopped(_)
        )
    }

    /// True while the restore has not been sent and will be (quitting now leaves it unsent).
    pub fn restore_pending(&self) -> bool {
        matches!(
            self.stage,
            DrillStage::BackingUp(_) | DrillStage::Checking(_)
        )
    }
}

/// A drill of `source` begun at `now`, or why there can be none.
///
/// # Errors
/// Why: a tier without backups, no standby of its tier loaded, nowhere known to back it up.
pub fn plan(
    state: &AppState,
    source: &ServiceSummary,
    now: OffsetDateTime,
) -> Result<Drill, String> {
    if let BackupSupport::Unsupported(why) = source.sku.backup_support() {
        return Err(format!("{} cannot be drilled: {why}", source.name));
    }
    let named = standby_of(state, source).map(|s| s.id().into_owned());
    let mut targets: Vec<ServiceSummary> = all_services(state)
        .filter(|t| {
            t.sku.as_str().eq_ignore_ascii_case(source.sku.as_str())
                && !source.id_is_ignoring_case(&t.id())
        })
        .cloned()
        .collect();
    targets.sort_by_key(|t| {
        (
            named.as_ref().is_none_or(|n| !t.id_is_ignoring_case(n)),
            same_region(&t.location, &source.location),
            t.name.clone(),
        )
    });
    if targets.is_empty() {
        return Err(format!(
            "no other {} service is loaded to restore into: create a standby first \
             (apim-dr standby create --like {} --region NAME --yes)",
            source.sku, source.name
        ));
    }
    let place = backup_place(source.tags(), None, None)
        .ok()
        .or_else(|| usual_place(state, source))
        .ok_or_else(|| {
            format!(
                "no known place for {}'s backups: back it up once with b (the drill writes \
                 where its backups are), or tag it apim-dr-backup-account and \
                 apim-dr-backup-container",
                source.name
            )
        })?;
    Ok(Drill {
        source: source.clone(),
        targets,
        cursor: 0,
        place,
        typed: String::new(),
        began: Began {
            at: now,
            from: crate::domain::operation::BeganFrom::Wizard,
        },
        stage: DrillStage::Pick,
        target: None,
        backup_op: None,
        backup: None,
        verified: None,
    })
}

/// True when `op` is this drill's restore or backup.
pub fn is_drill_op(d: &Drill, op: OpId) -> bool {
    d.backup_op == Some(op) || d.stage == DrillStage::Restoring(op)
}
