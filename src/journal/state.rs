//! An operation as the journal knows it: its records folded into one [`OperationState`],
//! and where it stands ([`Stage`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::record::{JournalEvent, JournalRecord, OperationHandle};
use crate::domain::operation::{AccessType, Outcome};
use crate::domain::progress::{JournalId, OperationInfo};

/// Where an operation stands according to the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Intent written, no 202 seen: the POST may or may not have reached Azure.
    MayHaveStarted,
    /// Accepted and not finished: watch it.
    Running,
    /// Ended.
    Finished,
}

/// An operation folded from its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationState {
    /// Kind, service, blob, start.
    pub info: OperationInfo,
    /// How APIM reaches storage.
    pub access: AccessType,
    /// ARM origin.
    pub endpoint: String,
    /// Where to watch it, once accepted.
    pub handle: Option<OperationHandle>,
    /// Last status written.
    pub last_status: Option<String>,
    /// True when the operator stopped watching (it still runs in Azure).
    pub detached: bool,
    /// The end, if any.
    pub outcome: Option<Outcome>,
    /// When the end was written.
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
}

impl OperationState {
    /// Where it stands.
    pub fn stage(&self) -> Stage {
        match (&self.outcome, &self.handle) {
            (Some(_), _) => Stage::Finished,
            (None, Some(_)) => Stage::Running,
            (None, None) => Stage::MayHaveStarted,
        }
    }
}

/// Folds records into operations; records for an id without an intent are ignored.
pub fn fold(records: Vec<JournalRecord>) -> Vec<OperationState> {
    let mut ops: BTreeMap<JournalId, OperationState> = BTreeMap::new();
    let mut order: Vec<JournalId> = Vec::new();
    for r in records {
        match r.event {
            JournalEvent::Intent {
                kind,
                service,
                blob,
                access,
                endpoint,
            } => {
                if !ops.contains_key(&r.id) {
                    order.push(r.id.clone());
                }
                ops.insert(
                    r.id.clone(),
                    OperationState {
                        info: OperationInfo {
                            id: r.id,
                            kind,
                            service,
                            blob,
                            started_at: r.at,
                        },
                        access,
                        endpoint,
                        handle: None,
                        last_status: None,
                        detached: false,
                        outcome: None,
                        finished_at: None,
                    },
                );
            }
            event => {
                let Some(op) = ops.get_mut(&r.id) else {
                    continue;
                };
                match event {
                    JournalEvent::Accepted { handle } => op.handle = Some(handle),
                    JournalEvent::Status { status } => op.last_status = Some(status),
                    JournalEvent::Detached => op.detached = true,
                    JournalEvent::Finished { outcome } => {
                        op.outcome = Some(outcome);
                        op.finished_at = Some(r.at);
                    }
                    JournalEvent::Intent { .. } => {}
                }
            }
        }
    }
    order.into_iter().filter_map(|id| ops.remove(&id)).collect()
}
