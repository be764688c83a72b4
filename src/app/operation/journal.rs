//! The journal on the Operations screen: every operation it holds (the CLI's runs too) as an
//! [`OperationView`], and which of them `w` can watch again.

use super::{OperationView, Phase};
use crate::domain::operation::Outcome;
use crate::journal::{OperationState, Stage};

impl OperationView {
    /// A view of an operation read from the journal that this process does not watch: its
    /// journaled end if it has one, else "not watched" (started by another process, stopped,
    /// or started against an ARM origin other than `endpoint`).
    pub fn from_journal(op: super::OpId, state: &OperationState, endpoint: &str) -> Self {
        let mut view = Self::resumed(op, &state.info);
        view.watching = false;
        view.request_id = state.handle.as_ref().and_then(|h| h.request_id.clone());
        view.take_journal(state);
        if state.endpoint != endpoint {
            view.elsewhere = Some(state.endpoint.clone());
        }
        view
    }

    /// Takes in what the journal holds now: its end, or the last status a poll wrote.
    pub fn take_journal(&mut self, state: &OperationState) {
        self.phase = match (state.stage(), &state.outcome) {
            (Stage::Finished, Some(outcome)) => {
                self.finished_at = state.finished_at;
                Phase::Finished(outcome.clone())
            }
            (Stage::Running, _) => Phase::Running {
                status: state.last_status.clone(),
                percent: None,
            },
            _ => Phase::Resuming,
        };
    }

    /// True when `w` can watch it again: it has a journal id, runs against this ARM origin, and
    /// nobody here watches it — stopped, or ended unconfirmed (a watcher that lost sight of the
    /// operation keeps it open in the journal).
    pub fn can_watch_again(&self) -> bool {
        self.journal_id.is_some()
            && self.elsewhere.is_none()
            && !self.watching
            && !matches!(
                self.phase,
                Phase::Finished(Outcome::Succeeded | Outcome::Failed(_) | Outcome::Canceled)
            )
    }
}
