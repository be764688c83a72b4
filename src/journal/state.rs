//! An operation as the journal knows it: its records folded into one [`OperationState`],
//! and where it stands ([`Stage`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::record::{JournalEvent, JournalRecord, OperationHandle};
use crate::domain::backup::JournalFacts;
use crate::domain::names::ServiceId;
use crate::domain::operation::{AccessType, OperationKind, Outcome};
use crate::domain::progress::{JournalId, OperationInfo, PastOperation};

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
    /// How APIM reaches storage (backup, restore).
    pub access: Option<AccessType>,
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
    /// An operation whose intent is all the journal holds so far.
    pub fn intended(info: OperationInfo, access: Option<AccessType>, endpoint: String) -> Self {
        Self {
            info,
            access,
            endpoint,
            handle: None,
            last_status: None,
            detached: false,
            outcome: None,
            finished_at: None,
        }
    }

    /// True when it has no end and was started against `endpoint` (an ARM origin): it is
    /// watched again at start.
    pub fn is_unfinished_on(&self, endpoint: &str) -> bool {
        self.stage() != Stage::Finished && self.endpoint == endpoint
    }

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
                creating,
                endpoint,
                correlation_id,
                tier,
                ..
            } => {
                if !ops.contains_key(&r.id) {
                    order.push(r.id.clone());
                }
                let info = OperationInfo {
                    id: r.id.clone(),
                    kind,
                    service,
                    blob: blob.map(|b| *b),
                    creating: creating.map(|c| *c),
                    started_at: r.at,
                    correlation_id,
                    tier,
                };
                ops.insert(r.id, OperationState::intended(info, access, endpoint));
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

/// The unfinished operation on `service` started against `endpoint`, if any: this tool runs
/// one operation per service at a time.
pub fn live_on<'a>(
    ops: &'a [OperationState],
    service: &ServiceId,
    endpoint: &str,
) -> Option<&'a OperationState> {
    ops.iter()
        .find(|o| o.is_unfinished_on(endpoint) && o.info.service.same_as(service))
}

/// What the journal says about each blob a succeeded backup against `endpoint` wrote, by
/// `ACCOUNT/CONTAINER/BLOB` (the latest such backup when a blob was overwritten).
pub fn backup_facts(ops: &[OperationState], endpoint: &str) -> BTreeMap<String, JournalFacts> {
    let mut out = BTreeMap::new();
    for o in ops {
        let succeeded = o.outcome.as_ref().is_some_and(Outcome::is_success);
        let Some(blob) = o.info.blob.as_ref() else {
            continue;
        };
        if o.info.kind != OperationKind::Backup || !succeeded || o.endpoint != endpoint {
            continue;
        }
        let facts = JournalFacts {
            service: o.info.service.to_string(),
            started: o.info.started_at,
            ended: o.finished_at,
        };
        let key = blob.to_string();
        let newer = out
            .get(&key)
            .is_none_or(|old: &JournalFacts| old.started <= facts.started);
        if newer {
            out.insert(key, facts);
        }
    }
    out
}

/// The finished operations among `ops`, for estimates.
pub fn history(ops: &[OperationState]) -> Vec<PastOperation> {
    ops.iter()
        .filter_map(|o| {
            let end = o.finished_at?;
            let outcome = o.outcome.as_ref()?;
            let duration = std::time::Duration::try_from(end - o.info.started_at).ok()?;
            Some(PastOperation {
                kind: o.info.kind,
                service: o.info.service.clone(),
                duration,
                succeeded: outcome.is_success(),
                tier: o.info.tier.clone(),
            })
        })
        .collect()
}
