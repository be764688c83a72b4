//! Watching an operation to its end: the LRO poll stream, the fallback when the operation URL
//! stops answering or may not be read (`fallback.rs`, with the Activity Log's evidence in
//! `activity.rs`), the catalog metadata written after a successful backup, and resuming from
//! the journal.
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
use super::operation::report;
use crate::azure::arm::LroHandle;
use crate::azure::client::LONG_WAIT;
use crate::azure::lro::{LroEnd, PollEvent, poll};
use crate::domain::backup::ContentCounts;
use crate::domain::names::BackupRef;
use crate::domain::operation::{OperationKind, Outcome, PostKind};
use crate::domain::progress::{OperationInfo, ProgressUpdate, wait_note};
use crate::domain::service::ServiceSummary;
use crate::journal::{JournalEvent, OperationState, Stage};

mod activity;
mod fallback;

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

impl LostSight {
    /// What happened to the operation URL, in words.
    fn words(self) -> &'static str {
        match self {
            Self::UrlGone => "the operation URL stopped answering",
            Self::Watcher => "the operation URL could not be read by this watcher",
        }
    }
}

/// The fallback's starting point: why, in words for the operator.
struct Fallback {
    lost: LostSight,
    cause: String,
}

pub(crate) struct Watcher {
    pub(crate) engine: Engine,
    pub(crate) info: OperationInfo,
    /// Backup or restore (`info.kind`, as the POST it is).
    pub(crate) kind: PostKind,
    /// The blob written or read.
    pub(crate) blob: BackupRef,
    pub(crate) source: Option<ServiceSummary>,
    pub(crate) counts: ContentCounts,
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

    /// Journals and reports the end; after a successful backup, writes the catalog metadata.
    pub(crate) async fn finish(self, outcome: Outcome) -> Result<RunEnd, EngineError> {
        if outcome.is_success() {
            match self.kind {
                PostKind::Backup => self.write_catalog().await,
                PostKind::Restore => {
                    self.report_restored_apis().await;
                    // Boxed: verification's reads would otherwise grow every watch's future.
                    Box::pin(self.report_verification()).await;
                }
            }
        }
        self.engine
            .end_operation(&self.info.id, outcome, &self.progress)
            .await
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
        if let (Stage::Finished, Some(outcome)) = (stage_now, &state.outcome) {
            return Ok(RunEnd::Finished(outcome.clone()));
        }
        let (kind, blob) = match (info.kind, info.blob.clone()) {
            (OperationKind::Create, _) => {
                return Box::pin(engine.resume_creation(info, progress, cancel)).await;
            }
            (OperationKind::Backup, Some(blob)) => (PostKind::Backup, blob),
            (OperationKind::Restore, Some(blob)) => (PostKind::Restore, blob),
            (_, None) => {
                return Err(EngineError::Refused(format!(
                    "the journal's intent of {} names no blob: it cannot be watched",
                    info.id
                )));
            }
        };
        let watcher = Watcher {
            engine,
            info,
            kind,
            blob,
            source: None,
            counts: ContentCounts::default(),
            progress,
            cancel,
        };
        if let Some(handle) = state.handle {
            return Box::pin(watcher.watch_accepted(&(&handle).into())).await;
        }
        report(
            &watcher.progress,
            ProgressUpdate::Note(
                "apim-dr stopped between writing this intent and Azure's answer: the request may have started; checking the service"
                    .to_owned(),
            ),
        )
        .await;
        Box::pin(watcher.after_lost_post()).await
    }
}
