//! When the operation's own status cannot give the verdict: a POST whose answer was lost, an
//! operation URL that stopped answering or that this watcher may not read. The watcher then
//! follows the service's provisioning state, and decides with what evidence there is: the
//! backup's blob, the Activity Log's record of the operation (`activity.rs`); without any, the
//! operation stays unconfirmed, never failed.

use super::{Fallback, LostSight, RunEnd, Watcher};
use crate::azure::lro::is_watcher_problem;
use crate::domain::operation::{Outcome, PostKind};
use crate::domain::progress::ProgressUpdate;
use crate::domain::service::ServiceSummary;
use crate::engine::error::EngineError;
use crate::engine::inventory::{blob_account, find_storage_account};
use crate::engine::operation::report;
use crate::journal::JournalEvent;

impl Watcher {
    /// The POST got no usable answer: watch the service and the Activity Log for a while to
    /// see whether the operation started; never re-send.
    pub(crate) async fn after_lost_post(self) -> Result<RunEnd, EngineError> {
        let deadline =
            tokio::time::Instant::now() + self.engine.client.options().poll.lost_post_window;
        let fallback = || Fallback {
            lost: LostSight::UrlGone,
            cause: "the request got no usable answer".to_owned(),
        };
        let log = loop {
            let busy = self
                .engine
                .client
                .get_service(&self.info.service)
                .await
                .is_ok_and(|s| s.is_busy());
            if busy {
                return self.follow_provisioning(0, fallback()).await;
            }
            let log = self.activity().await;
            if log.shows_the_operation() {
                return Box::pin(self.by_activity(log, fallback())).await;
            }
            if tokio::time::Instant::now() >= deadline {
                break log;
            }
            tokio::select! {
                () = self.cancel.cancelled() => return self.detach().await,
                () = tokio::time::sleep(self.interval()) => {}
            }
        };
        let correlation = self.engine.client.correlation_id().clone();
        let window =
            crate::domain::duration::short_std(self.engine.client.options().poll.lost_post_window);
        let blob = self.blob.clone();
        let kind = self.kind;
        let log = log.absence(&correlation.0);
        self.finish(Outcome::Unconfirmed {
            reason: format!(
                "the request got no usable answer, the service showed no operation running in the {window} watched, and \
                 {log}: whether it started is unknown (a service can stay 'Succeeded' while one runs). Nothing was \
                 re-sent. Do not start the {kind} again until the Activity Log (correlation id {correlation}) or, for a \
                 backup, the blob {blob} shows that it never ran"
            ),
        })
        .await
    }

    /// Polls the service until it is no longer busy, then decides what can be known: a
    /// backup by its blob; otherwise unconfirmed, left open in the journal when the watcher's
    /// own problem hid the result (a watch with a working credential can still read it).
    pub(super) async fn follow_provisioning(
        self,
        mut polls: u32,
        fallback: Fallback,
    ) -> Result<RunEnd, EngineError> {
        let mut failures = 0u32;
        let mut failing_since: Option<tokio::time::Instant> = None;
        let dead_after = self.engine.client.options().poll.dead_url_after;
        let svc = loop {
            match self.engine.client.get_service(&self.info.service).await {
                Ok(svc) if !svc.is_busy() => break svc,
                Ok(svc) => {
                    polls += 1;
                    failures = 0;
                    failing_since = None;
                    report(
                        &self.progress,
                        ProgressUpdate::Running {
                            status: Some(format!("service {}", svc.provisioning_state)),
                            percent: None,
                            polls,
                            next_poll_in: self.interval(),
                        },
                    )
                    .await;
                }
                Err(e) if e.is_transient() => {
                    failures += 1;
                    let since = *failing_since.get_or_insert_with(tokio::time::Instant::now);
                    if since.elapsed() >= dead_after {
                        return self
                            .leave_open(format!(
                                "{}; the service itself has not answered for {} either ({e})",
                                fallback.cause,
                                crate::domain::duration::short_std(dead_after)
                            ))
                            .await;
                    }
                    report(
                        &self.progress,
                        ProgressUpdate::Retrying {
                            reason: e.transient_label(),
                            detail: e.to_string(),
                            retry_in: self.interval(),
                            attempt: failures,
                        },
                    )
                    .await;
                }
                Err(e) if is_watcher_problem(&e) => {
                    return self
                        .leave_open(format!(
                            "{}; the service cannot be read by this watcher either ({e})",
                            fallback.cause
                        ))
                        .await;
                }
                Err(e) => {
                    return self
                        .finish(Outcome::Unconfirmed {
                            reason: format!("the service cannot be read: {e}"),
                        })
                        .await;
                }
            }
            tokio::select! {
                () = self.cancel.cancelled() => return self.detach().await,
                () = tokio::time::sleep(self.interval()) => {}
            }
        };
        self.decide_when_idle(&svc, fallback).await
    }

    /// The service is idle again: a backup is decided by its blob, anything by the Activity
    /// Log's record of its end; otherwise unconfirmed, open in the journal when the watcher's
    /// own problem hid the result.
    async fn decide_when_idle(
        self,
        svc: &ServiceSummary,
        fallback: Fallback,
    ) -> Result<RunEnd, EngineError> {
        let mut reason = match self.kind {
            PostKind::Backup => match self.new_backup_blob().await {
                Ok(evidence) => {
                    report(
                        &self.progress,
                        ProgressUpdate::Note(format!(
                            "succeeded by evidence: {} ({}); the service is idle again ({}) and {evidence}",
                            fallback.lost.words(),
                            fallback.cause,
                            svc.state_word()
                        )),
                    )
                    .await;
                    return self.finish(Outcome::Succeeded).await;
                }
                Err(missing) => format!(
                    "the service is idle again ({}) but {missing}",
                    svc.state_word()
                ),
            },
            PostKind::Restore => format!(
                "the service is idle again ({}), but the restore's own result could not be read: check that it holds the backup's APIs",
                svc.state_word()
            ),
        };
        let log = self.activity().await;
        if log.shows_the_operation() {
            return Box::pin(self.by_activity(log, fallback)).await;
        }
        reason = format!(
            "{reason}; {}",
            log.absence(&self.engine.client.correlation_id().0)
        );
        match fallback.lost {
            LostSight::Watcher => {
                self.leave_open(format!("{}; {reason}", fallback.cause))
                    .await
            }
            LostSight::UrlGone => self.finish(Outcome::Unconfirmed { reason }).await,
        }
    }

    /// Ends the watch unconfirmed without closing the journal entry: the operation's own
    /// result was hidden by the watcher's problem, so `apim-dr operations watch` with a working
    /// credential can still read it, and no second operation starts on the service meanwhile.
    pub(super) async fn leave_open(self, reason: String) -> Result<RunEnd, EngineError> {
        let reason = format!(
            "{reason}. Kept open in the journal: `apim-dr operations watch {}` with a working credential finishes it; do not start it again",
            self.info.id
        );
        self.engine
            .record(
                &self.info.id,
                JournalEvent::Status {
                    status: "unconfirmed: watcher could not read the result".to_owned(),
                },
            )
            .await?;
        let outcome = Outcome::Unconfirmed { reason };
        report(&self.progress, ProgressUpdate::Finished(outcome.clone())).await;
        Ok(RunEnd::Finished(outcome))
    }

    /// The Blob endpoint of the operation's storage account, looked up from the service's
    /// subscription first.
    pub(crate) async fn blob_account(
        &self,
    ) -> Result<crate::azure::blob::BlobAccount, crate::azure::ApiError> {
        let client = &self.engine.client;
        let name = self.blob.account.as_str();
        let account =
            find_storage_account(client, name, Some(self.info.service.subscription.as_str()))
                .await?
                .ok_or_else(|| {
                    crate::azure::ApiError::local(
                        crate::azure::ErrorKind::Decode,
                        "AccountNotFound",
                        format!("storage account {name} is no longer visible"),
                    )
                })?;
        blob_account(client, &account).await
    }

    /// After a backup whose status could not be read: a blob written since the start means it
    /// worked. `Ok` says what was found; `Err` what was not.
    async fn new_backup_blob(&self) -> Result<String, String> {
        let client = &self.engine.client;
        let blob = &self.blob;
        let props = match self.blob_account().await {
            Ok(acct) => client
                .blob_properties(&acct, blob.container.as_str(), blob.blob.as_str())
                .await
                .map_err(|e| format!("the backup blob {blob} cannot be read ({e})"))?,
            Err(e) => return Err(format!("the storage account cannot be read ({e})")),
        };
        match props.and_then(|p| p.created) {
            Some(created) if created >= self.info.started_at - time::Duration::minutes(1) => {
                Ok(format!(
                    "the backup blob {blob} was written at {}, after the backup started",
                    crate::domain::duration::utc_stamp(created)
                ))
            }
            Some(_) => Err(format!(
                "the blob {blob} is older than this backup: no new backup blob was found"
            )),
            None => Err(format!("no backup blob {blob} was found")),
        }
    }
}
