//! A standby's creation as an operation of the journal: the intent (target, region, tier,
//! units, the service copied) is journaled under the file lock before anything is sent, then
//! the purge and the `PUT`, each provisioning state the service goes through, and the end.
//! Resuming follows the service when it exists and sends the `PUT` again only when it does
//! not (a creation never reached Azure, or its purge had not happened yet).

use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::StandbyPlan;
use crate::azure::ApiError;
use crate::domain::operation::{Began, NewService, Outcome};
use crate::domain::progress::{OperationInfo, ProgressUpdate};
use crate::domain::service::ServiceSummary;
use crate::domain::sku::SkuName;
use crate::engine::error::EngineError;
use crate::engine::operation::report;
use crate::engine::watch::RunEnd;
use crate::engine::{Engine, IntentNotes, Subject};
use crate::journal::JournalEvent;

/// The ways out of a name held by a soft-deleted service, when no face gave its own.
const PURGE_OR_RENAME: &str =
    "purge it for good (it cannot be undeleted afterwards), or choose another name";

/// A creation whose intent is journaled and whose `PUT` is ready.
#[derive(Debug)]
pub struct PreparedStandby {
    engine: Engine,
    /// What it is: kind `create`, the new service, its region, tier and units.
    pub info: OperationInfo,
    plan: StandbyPlan,
}

impl Engine {
    /// Journals the intent of creating `plan` (`began`: when the operator began, for the
    /// report's RTO). Nothing is sent yet.
    ///
    /// # Errors
    /// [`EngineError::ReadOnly`]; [`EngineError::Busy`] when this tool already runs an
    /// operation on the name; [`EngineError::Journal`].
    pub async fn prepare_standby(
        &self,
        plan: &StandbyPlan,
        began: Option<Began>,
    ) -> Result<PreparedStandby, EngineError> {
        if let Some(why) = plan.name_refusal(PURGE_OR_RENAME) {
            return Err(EngineError::Refused(why));
        }
        self.guard(&plan.target).await?;
        let engine = self.walk();
        let info = engine
            .journal_intent(
                &plan.target,
                Subject::Create(NewService {
                    location: plan.location.clone(),
                    capacity: plan.capacity,
                    like: plan.like.clone(),
                    purge: plan.purge,
                }),
                IntentNotes {
                    tier: Some(SkuName::new(plan.sku.clone())),
                    began,
                    preflight: Vec::new(),
                },
            )
            .await?;
        Ok(PreparedStandby {
            engine,
            info,
            plan: plan.clone(),
        })
    }

    /// Follows a journaled creation again (`info` from the journal, on this engine's
    /// correlation id): an existing service is followed to its end, with no second `PUT`; a
    /// service that does not exist ends unconfirmed, with nothing sent (no purge, no `PUT`):
    /// creating it takes a new confirmation.
    pub(crate) async fn resume_creation(
        &self,
        info: OperationInfo,
        progress: mpsc::Sender<ProgressUpdate>,
        cancel: CancellationToken,
    ) -> Result<RunEnd, EngineError> {
        if info.creating.is_none() {
            return Err(EngineError::Refused(format!(
                "the journal's intent of {} names no service to create",
                info.id
            )));
        }
        let target = info.service.clone();
        let follow = Follow {
            engine: self.clone(),
            info,
            progress,
            cancel,
        };
        match self.client.get_service(&target).await {
            Ok(s) if !s.is_busy() => follow.finish(&s).await,
            Ok(_) => follow.follow().await,
            // Never sent again without a new confirmation: a purge or a PUT from a resume
            // (perhaps in read-only mode) would create or destroy what nobody confirmed now.
            Err(e) if e.is_not_found() => {
                follow
                    .unconfirmed_missing(
                        "apim-dr stopped before Azure took the creation, or Azure refused it",
                    )
                    .await
            }
            Err(e) => Err(EngineError::api("reading the service being created")(e)),
        }
    }
}

impl PreparedStandby {
    /// Purges what is in the way, sends the `PUT` (unless the service already exists) and
    /// follows the provisioning state until it settles, journaling and reporting each state
    /// (or until `cancel`: the creation goes on in Azure and is journaled as detached).
    ///
    /// # Errors
    /// [`EngineError::Journal`]; [`EngineError::Api`] when the service cannot be read while
    /// following (the journal keeps it open: the next start follows it again). Azure's
    /// refusal of the purge or the `PUT` is the operation's [`Outcome::Failed`].
    pub async fn create_and_follow(
        self,
        progress: mpsc::Sender<ProgressUpdate>,
        cancel: CancellationToken,
    ) -> Result<RunEnd, EngineError> {
        let Self { engine, info, plan } = self;
        Follow {
            engine,
            info,
            progress,
            cancel,
        }
        .send(&plan)
        .await
    }
}

/// One creation being sent or followed, journaling as it goes.
struct Follow {
    engine: Engine,
    info: OperationInfo,
    progress: mpsc::Sender<ProgressUpdate>,
    cancel: CancellationToken,
}

impl Follow {
    async fn send(self, plan: &StandbyPlan) -> Result<RunEnd, EngineError> {
        let client = &self.engine.client;
        let name = plan.target.name.as_str();
        if let Some(region) = &plan.purge_in {
            self.note(format!(
                "purging the soft-deleted service {name} ({region})"
            ))
            .await;
            if let Err(e) = client
                .purge_deleted_service(&plan.target.subscription, region, name)
                .await
            {
                return self.end(Outcome::Failed(e.into())).await;
            }
        }
        if plan.exists {
            self.note(format!("{name} is being created already: following it"))
                .await;
        } else {
            report(&self.progress, ProgressUpdate::Sending).await;
            // The service's first provisioning state, journaled by `follow`, records that
            // Azure took it.
            match client.create_service(&plan.target, &plan.body).await {
                Ok(_) => {}
                // No usable answer: Azure may have taken it. Look at the service instead of
                // saying it failed or sending it again.
                Err(e) if e.is_transient() => {
                    self.note(format!(
                        "the PUT got no usable answer ({}): looking at {name} instead of sending it again",
                        e.transient_label()
                    ))
                    .await;
                    return match client.get_service(&plan.target).await {
                        Err(e) if e.is_not_found() => {
                            self.unconfirmed_missing("the PUT's answer was lost").await
                        }
                        _ => self.follow().await,
                    };
                }
                Err(e) => return self.end(Outcome::Failed(e.into())).await,
            }
        }
        self.follow().await
    }

    /// The service does not show: whether it is being created is unknown (Azure can take a
    /// while to show a new service), and nothing is sent again.
    async fn unconfirmed_missing(self, why: &str) -> Result<RunEnd, EngineError> {
        let name = self.info.service.name.clone();
        self.end(Outcome::Unconfirmed {
            reason: format!(
                "{name} does not show in Azure ({why}): whether it is being created is unknown; \
                 nothing was sent again. Look for it in a few minutes, then run standby create \
                 (or the wizard's offer) again if it is not there"
            ),
        })
        .await
    }

    async fn follow(self) -> Result<RunEnd, EngineError> {
        let interval = self.engine.client.options().poll.default_interval;
        let mut polls = 0;
        let mut last: Option<String> = None;
        loop {
            match self.engine.client.get_service(&self.info.service).await {
                Ok(s) if !s.is_busy() => return self.finish(&s).await,
                Ok(s) => {
                    polls += 1;
                    let status = s.state_word().to_owned();
                    if last.as_deref() != Some(&status) {
                        self.engine
                            .record(
                                &self.info.id,
                                JournalEvent::Status {
                                    status: status.clone(),
                                },
                            )
                            .await?;
                        last = Some(status.clone());
                    }
                    let update = ProgressUpdate::Running {
                        status: Some(status),
                        percent: None,
                        polls,
                        next_poll_in: interval,
                    };
                    report(&self.progress, update).await;
                }
                Err(e) if e.is_transient() => {
                    report(&self.progress, retrying(&e, interval)).await;
                }
                Err(e) => return Err(EngineError::api("following the creation")(e)),
            }
            tokio::select! {
                () = self.cancel.cancelled() => {
                    self.engine.record(&self.info.id, JournalEvent::Detached).await?;
                    return Ok(RunEnd::Detached);
                }
                () = tokio::time::sleep(interval) => {}
            }
        }
    }

    /// The service settled: `Succeeded` is success; any other state is said as it is.
    async fn finish(self, s: &ServiceSummary) -> Result<RunEnd, EngineError> {
        let outcome = if s.state_word().eq_ignore_ascii_case("Succeeded") {
            Outcome::Succeeded
        } else {
            Outcome::Unconfirmed {
                reason: format!("the service ended {}", s.state_word()),
            }
        };
        self.end(outcome).await
    }

    async fn end(self, outcome: Outcome) -> Result<RunEnd, EngineError> {
        self.engine
            .end_operation(&self.info.id, outcome, &self.progress)
            .await
    }

    async fn note(&self, text: String) {
        report(&self.progress, ProgressUpdate::Note(text)).await;
    }
}

fn retrying(e: &ApiError, wait: Duration) -> ProgressUpdate {
    ProgressUpdate::Retrying {
        reason: e.transient_label(),
        detail: e.to_string(),
        retry_in: wait,
        attempt: 1,
    }
}
