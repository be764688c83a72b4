//! Starting an operation in two steps, so the caller learns its identity before anything is
//! sent: [`Engine::prepare_backup`] / [`Engine::prepare_restore`] check everything, fetch the
//! storage key and journal the intent (fsync); [`Prepared::send_and_watch`] sends the POST,
//! journals the 202 and watches to the end.
//!
//! A POST is never re-sent blindly. When it gets no answer, the request may or may not have
//! reached Azure: the engine looks at the service instead of sending again.

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::Engine;
use super::error::EngineError;
use super::watch::{RunEnd, Watcher};
use crate::azure::ErrorKind;
use crate::azure::arm::Started;
use crate::domain::backup::ContentCounts;
use crate::domain::names::BackupRef;
use crate::domain::operation::{AccessType, Outcome, PostKind};
use crate::domain::progress::{JournalId, OperationInfo, ProgressUpdate};
use crate::domain::service::ServiceSummary;
use crate::journal::JournalEvent;
use crate::secret::Secret;

/// An operation whose intent is journaled and whose POST is ready.
#[derive(Debug)]
pub struct Prepared {
    pub(crate) engine: Engine,
    /// What it is.
    pub info: OperationInfo,
    pub(crate) kind: PostKind,
    pub(crate) blob: BackupRef,
    pub(crate) access: AccessType,
    pub(crate) key: Option<Secret>,
    /// For a backup: the source service as it was, for the catalog metadata.
    pub(crate) source: Option<ServiceSummary>,
    /// For a backup: what the service held just before it, for the catalog metadata.
    pub(crate) counts: ContentCounts,
}

/// Sends an update, ignoring a receiver that went away (the operation goes on regardless).
pub(crate) async fn report(progress: &mpsc::Sender<ProgressUpdate>, update: ProgressUpdate) {
    let _ = progress.send(update).await;
}

impl Engine {
    /// Journals the end of the operation `id`, then reports it.
    pub(crate) async fn end_operation(
        &self,
        id: &JournalId,
        outcome: Outcome,
        progress: &mpsc::Sender<ProgressUpdate>,
    ) -> Result<RunEnd, EngineError> {
        let finished = JournalEvent::Finished {
            outcome: outcome.clone(),
        };
        self.record(id, finished).await?;
        report(progress, ProgressUpdate::Finished(outcome.clone())).await;
        Ok(RunEnd::Finished(outcome))
    }
}

impl Prepared {
    /// Sends the POST, journals the answer and watches to the end (or until `cancel`).
    ///
    /// # Errors
    /// [`EngineError::Journal`] when the journal cannot be written. Azure's refusals are not
    /// errors here: they are the operation's [`Outcome::Failed`].
    pub async fn send_and_watch(
        self,
        progress: mpsc::Sender<ProgressUpdate>,
        cancel: CancellationToken,
    ) -> Result<RunEnd, EngineError> {
        let Self {
            engine,
            info,
            kind,
            blob,
            access,
            key,
            source,
            counts,
        } = self;
        report(&progress, ProgressUpdate::Sending).await;
        let started = engine
            .client
            .start_operation(kind, &info.service, &blob, &access, key.as_ref())
            .await;
        drop(key);
        let watcher = Watcher {
            engine: engine.clone(),
            info: info.clone(),
            kind,
            blob,
            source,
            counts,
            progress,
            cancel,
        };
        match started {
            Ok(Started::Accepted(handle)) => {
                engine
                    .record(
                        &info.id,
                        JournalEvent::Accepted {
                            handle: (&handle).into(),
                        },
                    )
                    .await?;
                // Boxed: the watch's state machine is large; callers hold only a pointer.
                Box::pin(watcher.watch_accepted(&handle)).await
            }
            Ok(Started::Completed) => watcher.finish(Outcome::Succeeded).await,
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::Connection | ErrorKind::Timeout | ErrorKind::Decode
                ) =>
            {
                report(
                    &watcher.progress,
                    ProgressUpdate::Note(format!(
                        "the request got no usable answer ({e}); it may or may not have reached Azure, so it is not sent again: watching the service instead"
                    )),
                )
                .await;
                Box::pin(watcher.after_lost_post()).await
            }
            Err(e) => {
                if e.status == Some(409) {
                    report(
                        &watcher.progress,
                        ProgressUpdate::Note(
                            "Azure answered 409: another operation is running on this service; wait for it to end, then try again"
                                .to_owned(),
                        ),
                    )
                    .await;
                }
                watcher.finish(Outcome::Failed(e.into())).await
            }
        }
    }
}
