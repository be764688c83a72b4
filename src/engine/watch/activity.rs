//! The Activity Log as evidence: ARM records each backup and restore it takes (`Started`,
//! `Accepted`) and how it ended (`Succeeded`, `Failed` with the operation's error), under the
//! correlation id the POST carried. When the operation's own status is out of sight, a record
//! of the end decides the verdict and a record of the start proves it arrived (so it is
//! watched, never sent again). No record proves nothing: Azure takes minutes to show one.

use std::time::Duration;

use super::{Fallback, RunEnd, Watcher};
use crate::domain::operation::{OperationError, Outcome};
use crate::domain::progress::ProgressUpdate;
use crate::engine::error::EngineError;
use crate::engine::operation::report;

/// How long a start recorded without an end is followed before the watch ends unconfirmed
/// (longer than any backup or restore Microsoft documents).
const ARRIVED_WATCH_LIMIT: Duration = Duration::from_secs(2 * 60 * 60);

/// What the Activity Log says of the operation being watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ActivityEvidence {
    /// No record of it (yet).
    Nothing,
    /// Azure took it (`Started`/`Accepted`) at this time; no end is recorded.
    Arrived { at: String },
    /// It ended well at this time.
    Succeeded { at: String },
    /// It failed at this time, with the operation's own error.
    Failed { error: OperationError, at: String },
    /// The log could not be read.
    Unreadable(String),
}

impl ActivityEvidence {
    /// True when the log shows the operation at all (arrived or ended).
    pub(super) fn shows_the_operation(&self) -> bool {
        matches!(
            self,
            Self::Arrived { .. } | Self::Succeeded { .. } | Self::Failed { .. }
        )
    }

    /// What the log did not show, in words, for an unconfirmed verdict.
    pub(super) fn absence(&self, correlation: &str) -> String {
        match self {
            Self::Unreadable(e) => format!("the Activity Log could not be read ({e})"),
            _ => format!(
                "the Activity Log holds no record of it under correlation id {correlation} yet (records can take several minutes to appear)"
            ),
        }
    }
}

/// Reads the records of one operation: those of its action on its service.
fn evidence(
    records: &[crate::azure::models::ActivityEventWire],
    action: &str,
    service_id: &str,
) -> ActivityEvidence {
    let mine = records.iter().filter(|r| {
        r.operation_name.text().eq_ignore_ascii_case(action)
            && r.resource_id
                .as_deref()
                .is_none_or(|id| id.trim_end_matches('/').eq_ignore_ascii_case(service_id))
    });
    let mut found = ActivityEvidence::Nothing;
    for r in mine {
        let at = r.event_timestamp.clone().unwrap_or_default();
        let status = r.status.text();
        if status.eq_ignore_ascii_case("Succeeded") {
            return ActivityEvidence::Succeeded { at };
        }
        if status.eq_ignore_ascii_case("Failed") {
            let (code, message) = r.error().unwrap_or_else(|| {
                (
                    "Failed".to_owned(),
                    "the Activity Log records the operation as failed, without its error"
                        .to_owned(),
                )
            });
            return ActivityEvidence::Failed {
                error: OperationError {
                    status: None,
                    code,
                    message,
                    request_id: None,
                },
                at,
            };
        }
        if status.eq_ignore_ascii_case("Started") || status.eq_ignore_ascii_case("Accepted") {
            found = ActivityEvidence::Arrived { at };
        }
    }
    found
}

impl Watcher {
    /// What the Activity Log holds for this operation's correlation id.
    pub(super) async fn activity(&self) -> ActivityEvidence {
        let client = &self.engine.client;
        let since = self.info.started_at - time::Duration::minutes(5);
        match client
            .activity_by_correlation(
                self.info.service.subscription.as_str(),
                &client.correlation_id().0,
                since,
            )
            .await
        {
            Ok(records) => evidence(
                &records,
                &format!("Microsoft.ApiManagement/service/{}/action", self.info.kind),
                &self.info.service.to_string(),
            ),
            Err(e) => ActivityEvidence::Unreadable(e.to_string()),
        }
    }

    /// Ends the watch on what the log shows: its end decides; a start is followed to its end.
    pub(super) async fn by_activity(
        self,
        log: ActivityEvidence,
        fallback: Fallback,
    ) -> Result<RunEnd, EngineError> {
        let correlation = self.engine.client.correlation_id().clone();
        let why = format!("{} ({})", fallback.lost.words(), fallback.cause);
        match log {
            ActivityEvidence::Succeeded { at } => {
                report(
                    &self.progress,
                    ProgressUpdate::Note(format!(
                        "succeeded by evidence: {why}; the Activity Log records the {} as succeeded at {at} (correlation id {correlation})",
                        self.info.kind
                    )),
                )
                .await;
                self.finish(Outcome::Succeeded).await
            }
            ActivityEvidence::Failed { error, at } => {
                report(
                    &self.progress,
                    ProgressUpdate::Note(format!(
                        "failed by evidence: {why}; the Activity Log records the {} as failed at {at} (correlation id {correlation})",
                        self.info.kind
                    )),
                )
                .await;
                self.finish(Outcome::Failed(error)).await
            }
            ActivityEvidence::Arrived { at } => self.follow_activity(at, why).await,
            other => {
                let reason = format!("{why}; {}", other.absence(&correlation.0));
                self.finish(Outcome::Unconfirmed { reason }).await
            }
        }
    }

    /// Azure took the operation at `at` and has not recorded its end: read the log until it
    /// does. It is never sent again; a log that stops answering leaves it open in the journal.
    async fn follow_activity(self, at: String, why: String) -> Result<RunEnd, EngineError> {
        report(
            &self.progress,
            ProgressUpdate::Note(format!(
                "{why}; the Activity Log records that Azure took the {} at {at}: it is running, so it is watched there and not sent again",
                self.info.kind
            )),
        )
        .await;
        let dead_after = self.engine.client.options().poll.dead_url_after;
        let started = tokio::time::Instant::now();
        let mut failing_since: Option<tokio::time::Instant> = None;
        let mut polls = 0u32;
        loop {
            tokio::select! {
                () = self.cancel.cancelled() => return self.detach().await,
                () = tokio::time::sleep(self.interval()) => {}
            }
            polls += 1;
            match self.activity().await {
                log @ (ActivityEvidence::Succeeded { .. } | ActivityEvidence::Failed { .. }) => {
                    return Box::pin(self.by_activity(
                        log,
                        Fallback {
                            lost: super::LostSight::UrlGone,
                            cause: why.clone(),
                        },
                    ))
                    .await;
                }
                ActivityEvidence::Unreadable(e) => {
                    let since = *failing_since.get_or_insert_with(tokio::time::Instant::now);
                    if since.elapsed() >= dead_after {
                        return self
                            .leave_open(format!(
                                "{why}; Azure took it at {at}, and the Activity Log has not been readable for {} ({e})",
                                crate::domain::duration::short_std(dead_after)
                            ))
                            .await;
                    }
                }
                _ => failing_since = None,
            }
            if started.elapsed() >= ARRIVED_WATCH_LIMIT {
                return self
                    .leave_open(format!(
                        "{why}; Azure took it at {at} and the Activity Log has recorded no end in {}",
                        crate::domain::duration::short_std(ARRIVED_WATCH_LIMIT)
                    ))
                    .await;
            }
            report(
                &self.progress,
                ProgressUpdate::Running {
                    status: Some(format!("Activity Log: taken at {at}, no end recorded yet")),
                    percent: None,
                    polls,
                    next_poll_in: self.interval(),
                },
            )
            .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::models::ActivityEventWire;

    const SVC: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/a";
    const RESTORE: &str = "Microsoft.ApiManagement/service/restore/action";

    fn record(action: &str, status: &str, resource: &str) -> ActivityEventWire {
        serde_json::from_value(serde_json::json!({
            "operationName": {"value": action},
            "status": {"value": status},
            "resourceId": resource,
            "eventTimestamp": "2026-12-03T08:00:00Z",
            "properties": {"statusMessage": "{\"error\":{\"code\":\"RestoreFailed\",\"message\":\"Cannot restore: backup expired\"}}"}
        }))
        .unwrap()
    }

    #[test]
    fn an_end_decides_and_a_start_only_proves_arrival() {
        let started = record(RESTORE, "Started", SVC);
        let ended = record(RESTORE, "Succeeded", SVC);
        assert!(matches!(
            evidence(std::slice::from_ref(&started), RESTORE, SVC),
            ActivityEvidence::Arrived { .. }
        ));
        assert!(matches!(
            evidence(&[ended, started.clone()], RESTORE, SVC),
            ActivityEvidence::Succeeded { .. }
        ));
        let failed = evidence(&[record(RESTORE, "Failed", SVC), started], RESTORE, SVC);
        let ActivityEvidence::Failed { error, .. } = failed else {
            panic!("expected Failed, got {failed:?}");
        };
        assert_eq!(error.code, "RestoreFailed");
    }

    #[test]
    fn records_of_other_actions_or_services_are_not_evidence() {
        let other_action = record(
            "Microsoft.ApiManagement/service/backup/action",
            "Succeeded",
            SVC,
        );
        let other_service = record(RESTORE, "Succeeded", &SVC.replace("/a", "/b"));
        assert_eq!(
            evidence(&[other_action, other_service], RESTORE, SVC),
            ActivityEvidence::Nothing
        );
    }
}
