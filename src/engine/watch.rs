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
use crate::azure::lro::{LroEnd, PollEvent, poll};
use crate::domain::operation::{OperationKind, Outcome};
use crate::domain::progress::{OperationInfo, ProgressUpdate};
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
                    let outcome = match end {
                        LroEnd::Succeeded => Outcome::Succeeded,
                        LroEnd::Failed(e) => Outcome::Failed(e),
                        LroEnd::Canceled => Outcome::Canceled,
                        LroEnd::Unreachable(e) => {
                            report(
                                &self.progress,
                                ProgressUpdate::Note(format!(
                                    "the operation URL stopped answering ({e}); watching the service's provisioning state instead"
                                )),
                            )
                            .await;
                            self.status("fallback: provisioning state", &mut last)
                                .await?;
                            return self.follow_provisioning(polls).await;
                        }
                    };
                    return self.finish(outcome).await;
                }
                None => return self.follow_provisioning(polls).await,
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
                return self.follow_provisioning(0).await;
            }
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::select! {
                () = self.cancel.cancelled() => return self.detach().await,
                () = tokio::time::sleep(self.interval()) => {}
            }
        }
        self.finish(Outcome::Unconfirmed {
            reason: "the request got no usable answer and the service showed no operation running afterwards: it most \
                     likely never arrived. Nothing was re-sent; start it again if it is still needed."
                .to_owned(),
        })
        .await
    }

    /// Polls the service until it is no longer busy, then decides what can be known.
    async fn follow_provisioning(self, mut polls: u32) -> Result<RunEnd, EngineError> {
        let mut failures = 0u32;
        let svc = loop {
            match self.engine.client.get_service(&self.info.service).await {
                Ok(svc) if !svc.is_busy() => break svc,
                Ok(svc) => {
                    polls += 1;
                    failures = 0;
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
        let outcome = match self.info.kind {
            OperationKind::Backup => self.backup_blob_outcome().await,
            OperationKind::Restore => Outcome::Unconfirmed {
                reason: format!(
                    "the service is idle again ({}), but the restore's own result could not be read: check that it holds the backup's APIs",
                    svc.state_word()
                ),
            },
        };
        self.finish(outcome).await
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

    /// After a backup whose status could not be read: a blob written since the start means it worked.
    async fn backup_blob_outcome(&self) -> Outcome {
        let client = &self.engine.client;
        let blob = &self.info.blob;
        let found = match self.blob_account().await {
            Ok(acct) => client
                .blob_properties(&acct, blob.container.as_str(), blob.blob.as_str())
                .await
                .ok()
                .flatten(),
            Err(_) => None,
        };
        match found.and_then(|p| p.created) {
            Some(created) if created >= self.info.started_at - time::Duration::minutes(1) => {
                Outcome::Succeeded
            }
            _ => Outcome::Unconfirmed {
                reason: "the service is idle again but no new backup blob was found".to_owned(),
            },
        }
    }

    /// Journals and reports the end; after a successful backup, writes the catalog metadata.
    pub(crate) async fn finish(self, outcome: Outcome) -> Result<RunEnd, EngineError> {
        if outcome.is_success() {
            match self.info.kind {
                OperationKind::Backup => self.write_catalog().await,
                OperationKind::Restore => self.report_restored_apis().await,
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

    /// After a restore: what the target holds now, so the operator can check it at a glance.
    async fn report_restored_apis(&self) {
        let note = match self.engine.client.list_apis(&self.info.service).await {
            Ok(apis) => {
                let mut names: Vec<&str> = apis.iter().map(|a| a.name.as_str()).collect();
                names.sort_unstable();
                let shown = names.iter().take(8).copied().collect::<Vec<_>>().join(", ");
                let more = if names.len() > 8 { ", …" } else { "" };
                format!(
                    "{} now holds {} API(s): {shown}{more}",
                    self.info.service.name,
                    names.len()
                )
            }
            Err(e) => format!(
                "the restore succeeded, but the target's APIs could not be listed to check it ({e})"
            ),
        };
        report(&self.progress, ProgressUpdate::Note(note)).await;
    }

    async fn write_catalog(&self) {
        let client = &self.engine.client;
        let source = match &self.source {
            Some(s) => Some(s.clone()),
            None => client.get_service(&self.info.service).await.ok(),
        };
        let Some(source) = source else { return };
        let catalog =
            Prepared::catalog_for(&source, &client.options().api_version, self.info.started_at);
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
