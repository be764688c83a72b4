//! Watching an operation to its end: the LRO poll stream, the fallback to the service's
//! provisioning state when the operation URL stops answering, the catalog metadata written
//! after a successful backup, and resuming from the journal.
//!
//! Every status change goes to the journal and to the progress channel. Cancelling stops the
//! watch only: the operation goes on in Azure, and is journaled as detached so the next start
//! watches it again.

use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::Engine;
use super::error::EngineError;
use super::inventory::{blob_account, find_storage_account};
use super::operation::{Prepared, report};
use crate::azure::arm::LroHandle;
use crate::azure::arm::counts::Collection;
use crate::azure::client::LONG_WAIT;
use crate::azure::lro::{LroEnd, PollEvent, is_watcher_problem, poll};
use crate::domain::operation::{OperationKind, Outcome};
use crate::domain::progress::{OperationInfo, ProgressUpdate, wait_note};
use crate::domain::service::ServiceSummary;
use crate::journal::{JournalEvent, OperationState, Stage};

/// How a watch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// The operation ended.
    Finished(Outcome),
    /// The operator stopped watching; it goes on in Azure.
    Detached,
}

/// Why the operation's own status could not give the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LostSight {
    /// The operation URL is gone, stopped answering, or was never known.
    UrlGone,
    /// The watcher could not read it (token, rights, another origin): someone else can.
    Watcher,
}

/// The fallback's starting point: why, in words for the operator.
struct Fallback {
    lost: LostSight,
    cause: String,
}

pub(crate) struct Watcher {
    pub(crate) engine: Engine,
    pub(crate) info: OperationInfo,
    pub(crate) source: Option<ServiceSummary>,
    pub(crate) progress: mpsc::Sender<ProgressUpdate>,
    pub(crate) cancel: CancellationToken,
}

impl Watcher {
    fn interval(&self) -> Duration {
        self.engine.client.options().poll.default_interval
    }

    async fn status(&self, status: &str, last: &mut Option<String>) -> Result<(), EngineError> {
        if last.as_deref() != Some(status) {
            self.engine
                .record(
                    &self.info.id,
                    JournalEvent::Status {
                        status: status.to_owned(),
                    },
                )
                .await?;
            *last = Some(status.to_owned());
        }
        Ok(())
    }

    /// A wait over [`LONG_WAIT`] is said, with what, why and until when.
    async fn say_long_wait(&self, wait: Duration, why: &str) {
        if wait > LONG_WAIT {
            let what = format!("{} of {}", self.info.kind, self.info.service.name);
            let note = wait_note(&what, why, wait, time::OffsetDateTime::now_utc());
            report(&self.progress, ProgressUpdate::Note(note)).await;
        }
    }

    async fn detach(&self) -> Result<RunEnd, EngineError> {
        self.engine
            .record(&self.info.id, JournalEvent::Detached)
            .await?;
        Ok(RunEnd::Detached)
    }

    /// Says where the accepted operation is watched, then watches it.
    pub(crate) async fn watch_accepted(self, handle: &LroHandle) -> Result<RunEnd, EngineError> {
        let operation_url = handle
            .location
            .clone()
            .or_else(|| handle.async_operation.clone());
        let request_id = handle.request_id.clone();
        report(
            &self.progress,
            ProgressUpdate::Accepted {
                operation_url,
                request_id,
                correlation_id: self.engine.client.correlation_id().clone(),
            },
        )
        .await;
        self.watch(handle).await
    }

    /// Polls the operation URL to the end.
    pub(crate) async fn watch(self, handle: &LroHandle) -> Result<RunEnd, EngineError> {
        let mut stream = Box::pin(poll(&self.engine.client, handle));
        let mut polls = 0u32;
        let mut last = None;
        loop {
            let event = tokio::select! {
                () = self.cancel.cancelled() => return self.detach().await,
                e = stream.next() => e,
            };
            match event {
                Some(PollEvent::Running {
                    status,
                    percent,
                    next_poll_in,
                }) => {
                    polls += 1;
                    self.status(status.as_deref().unwrap_or("running"), &mut last)
                        .await?;
                    self.say_long_wait(
                        next_poll_in,
                        "the operation still runs; the next poll is when the service asked for it",
                    )
                    .await;
                    report(
                        &self.progress,
                        ProgressUpdate::Running {
                            status,
                            percent,
                            polls,
                            next_poll_in,
                        },
                    )
                    .await;
                }
                Some(PollEvent::Transient {
                    error,
                    retry_in,
                    consecutive,
                }) => {
                    self.status(&format!("retrying: {}", error.transient_label()), &mut last)
                        .await?;
                    self.say_long_wait(
                        retry_in,
                        &format!("the poll failed ({})", error.transient_label()),
                    )
                    .await;
                    report(
                        &self.progress,
                        ProgressUpdate::Retrying {
                            reason: error.transient_label(),
                            detail: error.to_string(),
                            retry_in,
                            attempt: consecutive,
                        },
                    )
                    .await;
                }
                Some(PollEvent::Finished(end)) => {
                    let (sight, e) = match end {
                        LroEnd::Succeeded => return self.finish(Outcome::Succeeded).await,
                        LroEnd::Failed(e) => return self.finish(Outcome::Failed(e)).await,
                        LroEnd::Canceled => return self.finish(Outcome::Canceled).await,
                        LroEnd::Unreachable(e) => (LostSight::UrlGone, e),
                        LroEnd::Unwatchable(e) => (LostSight::Watcher, e),
                    };
                    let why = match sight {
                        LostSight::UrlGone => "the operation URL stopped answering",
                        LostSight::Watcher => {
                            "the operation URL cannot be read by this watcher (not a failure of the operation)"
                        }
                    };
                    report(
                        &self.progress,
                        ProgressUpdate::Note(format!(
                            "{why} ({e}); watching the service's provisioning state instead"
                        )),
                    )
                    .await;
                    self.status("fallback: provisioning state", &mut last)
                        .await?;
                    return self
                        .follow_provisioning(
                            polls,
                            Fallback {
                                lost: sight,
                                cause: e.to_string(),
                            },
                        )
                        .await;
                }
                None => {
                    let fallback = Fallback {
                        lost: LostSight::UrlGone,
                        cause: "the poll ended without an answer".to_owned(),
                    };
                    return self.follow_provisioning(polls, fallback).await;
                }
            }
        }
    }

    /// The POST got no usable answer: watch the service for a while to see whether the
    /// operation started; never re-send.
    pub(crate) async fn after_lost_post(self) -> Result<RunEnd, EngineError> {
        let deadline =
            tokio::time::Instant::now() + self.engine.client.options().poll.lost_post_window;
        loop {
            let busy = self
                .engine
                .client
                .get_service(&self.info.service)
                .await
                .is_ok_and(|s| s.is_busy());
            if busy {
                let fallback = Fallback {
                    lost: LostSight::UrlGone,
                    cause: "the request got no usable answer".to_owned(),
                };
                return self.follow_provisioning(0, fallback).await;
            }
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::select! {
                () = self.cancel.cancelled() => return self.detach().await,
                () = tokio::time::sleep(self.interval()) => {}
            }
        }
        let correlation = self.engine.client.correlation_id().clone();
        let window =
            crate::domain::duration::short_std(self.engine.client.options().poll.lost_post_window);
        let blob = self.info.blob.clone();
        self.finish(Outcome::Unconfirmed {
            reason: format!(
                "the request got no usable answer and the service showed no operation running in the {window} watched: \
                 it may have never arrived, but a service can stay 'Succeeded' while one runs, so whether it started is \
                 unknown. Nothing was re-sent. Before sending it again, look for it in the service's Activity Log \
                 (correlation id {correlation}) and, for a backup, for the blob {blob}"
            ),
        })
        .await
    }

    /// Polls the service until it is no longer busy, then decides what can be known: a
    /// backup by its blob; otherwise unconfirmed, left open in the journal when the watcher's
    /// own problem hid the result (a watch with a working credential can still read it).
    async fn follow_provisioning(
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

    /// The service is idle again: a backup is decided by its blob; anything else stays
    /// unconfirmed, open in the journal when the watcher's own problem hid the result.
    async fn decide_when_idle(
        self,
        svc: &ServiceSummary,
        fallback: Fallback,
    ) -> Result<RunEnd, EngineError> {
        let reason = match self.info.kind {
            OperationKind::Backup => match self.new_backup_blob().await {
                Ok(evidence) => {
                    report(
                        &self.progress,
                        ProgressUpdate::Note(format!(
                            "succeeded by evidence: {} ({}); the service is idle again ({}) and {evidence}",
                            match fallback.lost {
                                LostSight::UrlGone => "the operation URL stopped answering",
                                LostSight::Watcher => "the operation URL could not be read by this watcher",
                            },
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
            OperationKind::Restore => format!(
                "the service is idle again ({}), but the restore's own result could not be read: check that it holds the backup's APIs",
                svc.state_word()
            ),
        };
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
    async fn leave_open(self, reason: String) -> Result<RunEnd, EngineError> {
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
    async fn blob_account(
        &self,
    ) -> Result<crate::azure::blob::BlobAccount, crate::azure::ApiError> {
        let client = &self.engine.client;
        let name = self.info.blob.account.as_str();
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
        let blob = &self.info.blob;
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

    /// Journals and reports the end; after a successful backup, writes the catalog metadata.
    pub(crate) async fn finish(self, outcome: Outcome) -> Result<RunEnd, EngineError> {
        if outcome.is_success() {
            match self.info.kind {
                OperationKind::Backup => self.write_catalog().await,
                OperationKind::Restore => {
                    self.report_restored_apis().await;
                    self.report_verification().await;
                }
            }
        }
        self.engine
            .record(
                &self.info.id,
                JournalEvent::Finished {
                    outcome: outcome.clone(),
                },
            )
            .await?;
        report(&self.progress, ProgressUpdate::Finished(outcome.clone())).await;
        Ok(RunEnd::Finished(outcome))
    }

    async fn write_catalog(&self) {
        let client = &self.engine.client;
        let source = match &self.source {
            Some(s) => Some(s.clone()),
            None => client.get_service(&self.info.service).await.ok(),
        };
        let Some(source) = source else { return };
        let mut catalog =
            Prepared::catalog_for(&source, &client.options().api_version, self.info.started_at);
        // What post-restore verification compares with; a count that cannot be read is left
        // out, never guessed.
        let service = &self.info.service;
        catalog.api_count = client.count(service, Collection::Apis).await.ok();
        catalog.product_count = client.count(service, Collection::Products).await.ok();
        catalog.named_value_count = client.count(service, Collection::NamedValues).await.ok();
        let blob = &self.info.blob;
        let result = async {
            let acct = self.blob_account().await?;
            client
                .set_blob_metadata(
                    &acct,
                    blob.container.as_str(),
                    blob.blob.as_str(),
                    &catalog.to_metadata(),
                )
                .await
        }
        .await;
        if let Err(e) = result {
            report(
                &self.progress,
                ProgressUpdate::Note(format!(
                    "the backup succeeded, but its catalog metadata could not be written ({e}): pre-flight will not know its tier"
                )),
            )
            .await;
        }
    }
}

impl Engine {
    /// Watches a journaled operation again (after a restart, a kill or `operations watch`).
    ///
    /// # Errors
    /// [`EngineError::Journal`] when the journal cannot be written.
    pub async fn resume(
        &self,
        state: OperationState,
        progress: mpsc::Sender<ProgressUpdate>,
        cancel: CancellationToken,
    ) -> Result<RunEnd, EngineError> {
        let stage_now = state.stage();
        // The journaled correlation id again, so Azure sees one operation; journals from before
        // correlation ids get a fresh one for this watch.
        let engine = match &state.info.correlation_id {
            Some(id) => self.with_correlation(id.clone()),
            None => self.walk(),
        };
        let mut info = state.info;
        info.correlation_id = Some(engine.client.correlation_id().clone());
        let watcher = Watcher {
            engine,
            info,
            source: None,
            progress,
            cancel,
        };
        match (stage_now, state.handle, state.outcome) {
            (Stage::Finished, _, Some(outcome)) => Ok(RunEnd::Finished(outcome)),
            (_, Some(handle), _) => watcher.watch_accepted(&(&handle).into()).await,
            _ => {
                report(
                    &watcher.progress,
                    ProgressUpdate::Note(
                        "apim-dr stopped between writing this intent and Azure's answer: the request may have started; checking the service"
                            .to_owned(),
                    ),
                )
                .await;
                watcher.after_lost_post().await
            }
        }
    }
}
