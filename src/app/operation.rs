//! [`OperationView`]: what the TUI knows about one backup or restore it started or resumed, and
//! the plain words it shows for it ("accepted by Azure, waiting for the first poll"). Its
//! estimate comes from `domain/estimate.rs`.
//!
//! Pure: time comes in as arguments, never from a clock.

use time::{Duration, OffsetDateTime};

use super::estate::matches_filter;
use super::state::{AppState, ListId};
use crate::domain::estimate::{Estimate, estimate};
use crate::domain::names::ServiceId;
use crate::domain::operation::{OperationKind, Outcome};
use crate::domain::progress::{
    CorrelationId, JournalId, OperationInfo, PastOperation, ProgressUpdate,
};
use crate::domain::sku::SkuName;
use crate::domain::verification::summary;

/// The TUI's handle on one operation, allocated from a counter in `AppState`. Stable for the
/// life of the process; the journal id is what survives a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpId(pub u64);

impl std::fmt::Display for OpId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Where an operation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Asked for; the engine has not reported yet.
    Starting,
    /// Found unfinished in the journal at start; watching again.
    Resuming,
    /// The intent is journaled and the request is being sent.
    Sending,
    /// Azure answered 202; no poll yet.
    Accepted,
    /// A poll said it still runs.
    Running {
        /// The provider's status word, if any.
        status: Option<String>,
        /// `percentComplete`, if any.
        percent: Option<u8>,
    },
    /// The end.
    Finished(Outcome),
}

/// The last retried failure while starting or polling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transient {
    /// Short reason ("throttled", "server error 503").
    pub reason: String,
    /// The service's words.
    pub detail: String,
    /// Failures in a row.
    pub attempt: u32,
    /// When it happened.
    pub at: OffsetDateTime,
    /// When the next try is due.
    pub retry_at: OffsetDateTime,
}

/// One operation as the Operations screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationView {
    /// The TUI's id.
    pub op: OpId,
    /// The journal's id, once the engine has written the intent.
    pub journal_id: Option<JournalId>,
    /// Backup or restore.
    pub kind: OperationKind,
    /// What is read: the backup blob (restore) or the service (backup).
    pub source: String,
    /// What is written: the service (restore) or the blob (backup).
    pub target: String,
    /// The APIM service the operation runs on (the restore target, the backed-up service).
    pub service: Option<ServiceId>,
    /// When it was started (or journaled).
    pub started_at: OffsetDateTime,
    /// Where it stands.
    pub phase: Phase,
    /// Status polls so far.
    pub polls: u32,
    /// When the next poll is due.
    pub next_poll_at: Option<OffsetDateTime>,
    /// The last retried failure.
    pub transient: Option<Transient>,
    /// `x-ms-request-id` of the request that started it.
    pub request_id: Option<String>,
    /// `x-ms-correlation-request-id` of all its requests (what Azure support asks for).
    pub correlation_id: Option<CorrelationId>,
    /// The last note from the engine.
    pub note: Option<String>,
    /// False once the operator stopped watching or it finished.
    pub watching: bool,
    /// When it ended, as far as this process saw.
    pub finished_at: Option<OffsetDateTime>,
    /// The ARM origin it was started against, when not the one this process talks to: it
    /// cannot be watched from here.
    pub elsewhere: Option<String>,
    /// The service's tier when it started (from the journal), for the estimate.
    pub tier: Option<SkuName>,
}

impl OperationView {
    /// A view for an operation this process is about to start.
    pub fn starting(
        op: OpId,
        kind: OperationKind,
        source: String,
        target: String,
        service: Option<ServiceId>,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            op,
            journal_id: None,
            kind,
            source,
            target,
            service,
            started_at: now,
            phase: Phase::Starting,
            polls: 0,
            next_poll_at: None,
            transient: None,
            request_id: None,
            correlation_id: None,
            note: None,
            watching: true,
            finished_at: None,
            elsewhere: None,
            tier: None,
        }
    }

    /// A view for an operation found unfinished in the journal.
    pub fn resumed(op: OpId, info: &OperationInfo) -> Self {
        let (source, target) = ends(info);
        let mut view = Self::starting(
            op,
            info.kind,
            source,
            target,
            Some(info.service.clone()),
            info.started_at,
        );
        view.journal_id = Some(info.id.clone());
        view.correlation_id.clone_from(&info.correlation_id);
        view.tier.clone_from(&info.tier);
        view.phase = Phase::Resuming;
        view
    }

    /// Takes in what the engine journaled (id, exact start time, correlation id).
    pub fn journaled(&mut self, info: &OperationInfo) {
        self.journal_id = Some(info.id.clone());
        self.started_at = info.started_at;
        self.correlation_id.clone_from(&info.correlation_id);
        self.tier.clone_from(&info.tier);
    }

    /// How long it typically takes, from `history` (`domain/estimate.rs`).
    pub fn estimate(&self, history: &[PastOperation]) -> Estimate {
        estimate(
            history,
            self.kind,
            self.tier.as_ref(),
            self.service.as_ref(),
        )
    }

    /// True when it ended and the journal has it: its report can be built.
    pub fn has_report(&self) -> bool {
        self.outcome().is_some() && self.journal_id.is_some()
    }

    /// True while it runs and this process still watches it.
    pub fn is_live(&self) -> bool {
        self.watching && !matches!(self.phase, Phase::Finished(_))
    }

    /// The service's name (the target when there is no service).
    pub fn service_name(&self) -> String {
        self.service
            .as_ref()
            .map_or_else(|| self.target.clone(), |s| s.name.to_string())
    }

    /// The outcome, once finished.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.phase {
            Phase::Finished(o) => Some(o),
            _ => None,
        }
    }

    /// Applies one progress report received at `now`.
    pub fn apply(&mut self, update: ProgressUpdate, now: OffsetDateTime) {
        match update {
            ProgressUpdate::Sending => self.phase = Phase::Sending,
            ProgressUpdate::Accepted {
                request_id,
                correlation_id,
                ..
            } => {
                self.phase = Phase::Accepted;
                if request_id.is_some() {
                    self.request_id = request_id;
                }
                self.correlation_id = Some(correlation_id);
            }
            ProgressUpdate::Running {
                status,
                percent,
                polls,
                next_poll_in,
            } => {
                self.phase = Phase::Running { status, percent };
                self.polls = polls;
                self.next_poll_at = Some(now + to_time(next_poll_in));
            }
            ProgressUpdate::Retrying {
                reason,
                detail,
                retry_in,
                attempt,
            } => {
                self.transient = Some(Transient {
                    reason,
                    detail,
                    attempt,
                    at: now,
                    retry_at: now + to_time(retry_in),
                });
            }
            ProgressUpdate::Note(note) => self.note = Some(note),
            ProgressUpdate::Verified(v) => self.note = Some(summary(&v)),
            ProgressUpdate::Finished(outcome) => {
                self.phase = Phase::Finished(outcome);
                self.finished_at = Some(now);
                self.next_poll_at = None;
                self.watching = false;
            }
        }
    }

    /// Time since it started, up to its end.
    pub fn elapsed(&self, now: OffsetDateTime) -> Duration {
        (self.finished_at.unwrap_or(now) - self.started_at).max(Duration::ZERO)
    }

    /// A few words for the table ("running 40%", "retrying", "failed").
    pub fn short_status(&self, now: OffsetDateTime) -> String {
        let retrying = self.transient.as_ref().is_some_and(|t| t.retry_at > now);
        match &self.phase {
            Phase::Finished(Outcome::Succeeded) => "succeeded".into(),
            Phase::Finished(Outcome::Failed(_)) => "failed".into(),
            Phase::Finished(Outcome::Canceled) => "canceled".into(),
            Phase::Finished(Outcome::Unconfirmed { .. }) => "unconfirmed".into(),
            _ if !self.watching => "not watched".into(),
            _ if retrying => "retrying".into(),
            Phase::Starting => "starting…".into(),
            Phase::Resuming => "resuming…".into(),
            Phase::Sending => "sending…".into(),
            Phase::Accepted => "accepted".into(),
            Phase::Running {
                percent: Some(p), ..
            } => format!("running {p}%"),
            Phase::Running { .. } => "running".into(),
        }
    }

    /// The status in plain words, as the details pane says it; `fate` is what becomes of it
    /// unwatched (`AppState::unwatched_fate`).
    pub fn status_sentence(&self, fate: &str) -> String {
        match &self.phase {
            Phase::Finished(outcome) => outcome.to_string(),
            _ if !self.watching => match &self.elsewhere {
                Some(endpoint) => format!(
                    "started against {endpoint}: not watched from here; `apim-dr --arm-endpoint {endpoint}` watches it"
                ),
                None => format!("not watched here; {fate}"),
            },
            Phase::Starting => "starting: writing the intent to the journal".into(),
            Phase::Resuming => {
                "found unfinished in the journal; watching it again, waiting for the first poll"
                    .into()
            }
            Phase::Sending => "sending…".into(),
            Phase::Accepted => "accepted by Azure, waiting for the first poll".into(),
            Phase::Running { percent, .. } => {
                let pct = percent.map(|p| format!(" ({p}%)")).unwrap_or_default();
                match self.kind {
                    OperationKind::Restore => format!(
                        "restore running{pct}; the target keeps its old configuration until it ends"
                    ),
                    OperationKind::Backup => {
                        format!("backup running{pct}; the service keeps serving traffic")
                    }
                    OperationKind::Create => {
                        "creation running: the new service serves nothing until it ends".to_owned()
                    }
                }
            }
        }
    }
}

/// The operations shown, newest first, filtered.
pub fn visible_operations(state: &AppState) -> Vec<&OperationView> {
    let filter = state.filters.get(ListId::Operations);
    state
        .operations
        .iter()
        .rev()
        .filter(|o| {
            matches_filter(
                filter,
                &[
                    &o.source,
                    &o.target,
                    &o.kind.to_string(),
                    &o.short_status(state.now),
                ],
            )
        })
        .collect()
}

/// The operation under the cursor of the Operations screen.
pub fn selected_operation(state: &AppState) -> Option<&OperationView> {
    visible_operations(state)
        .get(state.cursors.operations)
        .copied()
}

fn ends(info: &OperationInfo) -> (String, String) {
    match info.kind {
        OperationKind::Restore | OperationKind::Create => {
            (info.subject(), info.service.name.to_string())
        }
        OperationKind::Backup => (info.service.name.to_string(), info.subject()),
    }
}

fn to_time(d: std::time::Duration) -> Duration {
    Duration::try_from(d).unwrap_or(Duration::MAX)
}

mod journal;

#[cfg(test)]
mod tests;
