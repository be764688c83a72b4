//! Effects become engine tasks; their results come back as actions. The only place where the
//! TUI meets the network. Tasks get owned inputs, a `Sender<Action>` and a cancellation token;
//! they never touch the terminal or the state.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::operation::OpId;
use crate::cache::InventoryCache;
use crate::domain::error::UserError;
use crate::domain::operation::{BackupPlan, OperationError, Outcome, RestorePlan};
use crate::domain::progress::{JournalId, ProgressUpdate};
use crate::engine::preflight::PreflightAsk;
use crate::engine::{Engine, EngineError, Prepared, RunEnd};
use crate::journal::{OperationState, history, summary};

/// Runs effects on a `JoinSet`; keeps the `OpId → CancellationToken` map of live watches.
pub struct EffectRunner {
    engine: Engine,
    cache: Option<InventoryCache>,
    actions: mpsc::Sender<Action>,
    tasks: JoinSet<()>,
    watches: HashMap<OpId, (CancellationToken, AbortHandle)>,
    root: CancellationToken,
}

/// What the event loop does after an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Keep going.
    Continue,
    /// Leave the loop.
    Exit,
}

impl EffectRunner {
    /// A runner over `engine`, answering on `actions`, keeping the inventory in `cache` (none:
    /// the inventory is not kept).
    pub fn new(
        engine: Engine,
        cache: Option<InventoryCache>,
        actions: mpsc::Sender<Action>,
    ) -> Self {
        Self {
            engine,
            cache,
            actions,
            tasks: JoinSet::new(),
            watches: HashMap::new(),
            root: CancellationToken::new(),
        }
    }

    /// Starts what `effects` ask for: the effects of one action are one walk, so their requests
    /// share one correlation id (a backup or restore starts its own; a resumed watch continues
    /// its journaled one).
    pub fn run(&mut self, effects: Vec<Effect>) -> Next {
        if effects.is_empty() {
            return Next::Continue;
        }
        // Reap finished tasks so the set does not grow for the life of the session.
        while self.tasks.try_join_next().is_some() {}
        self.watches.retain(|_, (_, task)| !task.is_finished());
        let walk = self.engine.walk();
        let mut next = Next::Continue;
        for effect in effects {
            if self.start(effect, &walk) == Next::Exit {
                next = Next::Exit;
            }
        }
        next
    }

    fn start(&mut self, effect: Effect, walk: &Engine) -> Next {
        let (engine, tx) = (walk.clone(), self.actions.clone());
        let client = engine.client().clone();
        match effect {
            Effect::Exit => return Next::Exit,
            // Written by the terminal layer (`event_loop`), never spawned.
            Effect::Copy(_) => {}
            Effect::CancelWatch(op) => {
                if let Some((t, _)) = self.watches.remove(&op) {
                    t.cancel();
                }
            }
            fetch @ (Effect::WalkEstate
            | Effect::FetchServices { .. }
            | Effect::FetchStorageAccounts { .. }
            | Effect::FetchBackups { .. }) => self.fetch(fetch, &client, tx),
            Effect::RunPreflight {
                plan,
                target_busy_locally,
            } => self.spawn(restore_preflight(engine, tx, plan, target_busy_locally)),
            Effect::RunBackupPreflight {
                plan,
                service_busy_locally,
            } => self.spawn(backup_preflight(engine, tx, plan, service_busy_locally)),
            Effect::StartRestore {
                op,
                plan,
                preflight,
            } => {
                let engine = noting_waits(&engine, op, &tx);
                self.spawn_watch(op, |token| async move {
                    let prepared = engine
                        .prepare_restore(&plan, &preflight)
                        .await
                        .map(|p| (p, Vec::new()));
                    Box::pin(drive(op, prepared, tx, token)).await;
                });
            }
            Effect::PlanStandby { ask } => self.spawn(standby::plan(engine, tx, ask)),
            Effect::StartStandby { op, ask, began } => {
                let engine = noting_waits(&engine, op, &tx);
                self.spawn_watch(op, |token| async move {
                    Box::pin(standby::create(engine, (op, ask, began), tx, token)).await;
                });
            }
            Effect::StartBackup { op, plan } => {
                let engine = noting_waits(&engine, op, &tx);
                self.spawn_watch(op, |token| async move {
                    let prepared = engine.prepare_backup(&plan).await;
                    Box::pin(drive(op, prepared, tx, token)).await;
                });
            }
            Effect::SaveInventory { inventory, at } => {
                if let Some(cache) = self.cache.clone() {
                    self.spawn(estate::save_inventory(cache, inventory, at));
                }
            }
            one_shot @ (Effect::FetchRegions { .. }
            | Effect::SwitchGateway { .. }
            | Effect::PlanCutover { .. }
            | Effect::ApplyCutover { .. }
            | Effect::DeleteBackups { .. }
            | Effect::PlanRegionFailover { .. }
            | Effect::SaveBatchReport { .. }) => self.one_shot(one_shot, engine, tx),
            Effect::ReadJournal => self.spawn(read_journal(engine, tx)),
            Effect::BuildReport { id } => self.spawn(build_report(engine, id, tx)),
            Effect::WatchAgain { op, id } => {
                let engine = noting_waits(&engine, op, &tx);
                self.spawn_watch(op, |token| watch_again(engine, op, id, tx, token));
            }
            Effect::ResumeWatch { op, operation } => {
                let engine = noting_waits(&engine, op, &tx);
                self.spawn_watch(op, |token| async move {
                    let (ptx, forward) = forwarder(op, tx.clone());
                    let end = engine.resume(*operation, ptx, token).await;
                    let _ = forward.await;
                    report_end(op, end, &tx).await;
                });
            }
        }
        Next::Continue
    }

    /// A fetch: dropped at once when the app quits.
    fn spawn(&mut self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        let root = self.root.clone();
        self.tasks.spawn(async move {
            tokio::select! {
                () = root.cancelled() => {}
                () = task => {}
            }
        });
    }

    /// An operation: runs until its own token (a child of the root) is cancelled, so it can
    /// journal `Detached` before it ends. Its token and task are kept under its `OpId`.
    fn spawn_watch<F, Fut>(&mut self, op: OpId, task: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let token = self.root.child_token();
        let handle = self.tasks.spawn(task(token.clone()));
        self.watches.insert(op, (token, handle));
    }

    /// The journal, read once at start: its unfinished operations (watched again with what
    /// was read here), every operation it holds, its history, and what it could not read, as
    /// actions.
    pub async fn journal_actions(&self) -> Vec<Action> {
        let loaded = match self.engine.load_journal().await {
            Ok(loaded) => loaded,
            Err(e) => return vec![journal_unreadable(&e)],
        };
        let endpoint = self.engine.endpoint();
        let unfinished: Vec<_> = loaded
            .operations
            .iter()
            .filter(|o| o.is_unfinished_on(endpoint))
            .cloned()
            .collect();
        let mut out = Vec::new();
        if !unfinished.is_empty() {
            out.push(Action::OperationsFound(unfinished));
        }
        out.extend(listed(&self.engine, loaded.operations));
        // Last, so its warning is the flash the operator sees.
        if let Some(text) = summary(self.engine.journal_path(), &loaded.skipped) {
            out.push(Action::JournalWarning(text));
        }
        out
    }

    /// Stops every fetch and every watch (watches journal `Detached` and are resumed at next
    /// start) and waits a moment for them to write that down.
    pub async fn shutdown(mut self) {
        self.root.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(3), async {
            while self.tasks.join_next().await.is_some() {}
        })
        .await;
        self.tasks.abort_all();
    }
}

/// The engine for operation `op`, each long wait inside a call (a 429's Retry-After, a poll
/// URL that stopped answering) reported as the operation's note: what waits, why, until when.
/// Sent without blocking: a full channel drops the note, never the wait.
fn noting_waits(engine: &Engine, op: OpId, tx: &mpsc::Sender<Action>) -> Engine {
    let tx = tx.clone();
    engine.with_wait_listener(std::sync::Arc::new(move |line: &str| {
        let _ = tx.try_send(Action::OperationUpdated {
            op,
            update: ProgressUpdate::Note(line.to_owned()),
        });
    }))
}

/// Every operation of the journal, and the history for estimates.
fn listed(engine: &Engine, operations: Vec<OperationState>) -> Vec<Action> {
    vec![
        Action::HistoryLoaded(history(&operations)),
        Action::JournalListed {
            operations,
            endpoint: engine.endpoint().to_owned(),
        },
    ]
}

fn journal_unreadable(e: &impl std::fmt::Display) -> Action {
    tracing::error!(error = %e, "cannot read the journal");
    Action::JournalWarning(format!(
        "cannot read the journal, so unfinished operations are not watched again: {e}"
    ))
}

/// The failover wizard's pre-flight, answered as `PreflightDone`.
async fn restore_preflight(
    engine: Engine,
    tx: mpsc::Sender<Action>,
    plan: RestorePlan,
    busy: bool,
) {
    let result = engine
        .preflight(&plan, busy)
        .await
        .map(Box::new)
        .map_err(|e| e.to_user_error());
    send(&tx, Action::PreflightDone { plan, result }).await;
}

/// The backup wizard's pre-flight, answered as `BackupPreflightDone`.
async fn backup_preflight(engine: Engine, tx: mpsc::Sender<Action>, plan: BackupPlan, busy: bool) {
    let ask = PreflightAsk::backup(&plan, plan.overwrite);
    let result = engine
        .preflight_for(&ask, busy)
        .await
        .map(Box::new)
        .map_err(|e| e.to_user_error());
    send(&tx, Action::BackupPreflightDone { plan, result }).await;
}

/// `r` on the Operations screen: the journal read again.
async fn read_journal(engine: Engine, tx: mpsc::Sender<Action>) {
    let actions = match engine.load_journal().await {
        Ok(loaded) => listed(&engine, loaded.operations),
        Err(e) => vec![journal_unreadable(&e)],
    };
    for action in actions {
        send(&tx, action).await;
    }
}

/// `v`: the report of a journaled operation (`engine/report.rs`), as `apim-dr report` builds it,
/// in Markdown.
async fn build_report(engine: Engine, id: JournalId, tx: mpsc::Sender<Action>) {
    let result = match engine.journal_records().await {
        Ok(records) => {
            let ops = crate::journal::fold(records.clone());
            match ops.iter().find(|o| o.info.id == id) {
                Some(op) => Ok(crate::engine::report::build_report(&engine, op, &records)
                    .await
                    .markdown()),
                None => Err(UserError::new(format!(
                    "operation {id} is no longer in the journal: no report"
                ))),
            }
        }
        Err(e) => Err(UserError::new(format!(
            "the journal cannot be read ({e}): no report"
        ))),
    };
    send(&tx, Action::ReportBuilt { id, result }).await;
}

/// `w`: the operation as the journal holds it now, watched again; one the journal holds as
/// ended is reported with that end, as `apim-dr operations watch` does.
async fn watch_again(
    engine: Engine,
    op: OpId,
    id: JournalId,
    tx: mpsc::Sender<Action>,
    token: CancellationToken,
) {
    let tx = &tx;
    let update = |update| Action::OperationUpdated { op, update };
    let found = match engine.load_journal().await {
        Ok(l) => l
            .operations
            .into_iter()
            .find(|o| o.info.id == id)
            .ok_or_else(|| {
                format!("operation {id} is no longer in the journal, so it cannot be watched again")
            }),
        Err(e) => Err(format!(
            "the journal cannot be read ({e}), so it cannot be watched again"
        )),
    };
    let operation = match found {
        Ok(o) => o,
        Err(reason) => {
            let end = Outcome::Unconfirmed { reason };
            send(tx, update(ProgressUpdate::Finished(end))).await;
            return;
        }
    };
    if let Some(outcome) = operation.outcome {
        let note = "the journal holds its end: there is nothing more to read from Azure";
        send(tx, update(ProgressUpdate::Note(note.to_owned()))).await;
        send(tx, update(ProgressUpdate::Finished(outcome))).await;
        return;
    }
    let (ptx, forward) = forwarder(op, tx.clone());
    let end = engine.resume(operation, ptx, token).await;
    let _ = forward.await;
    report_end(op, end, tx).await;
}

async fn send(tx: &mpsc::Sender<Action>, action: Action) {
    // The loop may be gone (quitting): nothing to do with the result then.
    let _ = tx.send(action).await;
}

/// The end of an operation that failed on our side: before the POST (`NotSent`), or while
/// watching (`WatchFailed`, e.g. the journal became unwritable).
fn engine_failure(e: &EngineError, sent: bool) -> ProgressUpdate {
    let u = e.to_user_error();
    let message = match &u.detail {
        Some(d) => format!("{} — {d}", u.summary),
        None => u.summary.clone(),
    };
    ProgressUpdate::Finished(Outcome::Failed(OperationError {
        status: None,
        code: if sent { "WatchFailed" } else { "NotSent" }.to_owned(),
        message,
        request_id: u.request_id,
    }))
}

/// Announces the operation, forwards its progress as actions, and runs it to the end.
async fn drive(
    op: OpId,
    prepared: Result<(Prepared, Vec<String>), EngineError>,
    tx: mpsc::Sender<Action>,
    token: CancellationToken,
) {
    let (prepared, notes) = match prepared {
        Ok(p) => p,
        Err(e) => {
            send(
                &tx,
                Action::OperationUpdated {
                    op,
                    update: engine_failure(&e, false),
                },
            )
            .await;
            return;
        }
    };
    send(
        &tx,
        Action::OperationStarted {
            op,
            info: prepared.info.clone(),
        },
    )
    .await;
    for n in notes {
        send(
            &tx,
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Note(n),
            },
        )
        .await;
    }
    let (ptx, forward) = forwarder(op, tx.clone());
    let end = prepared.send_and_watch(ptx, token).await;
    let _ = forward.await;
    report_end(op, end, &tx).await;
}

fn forwarder(
    op: OpId,
    tx: mpsc::Sender<Action>,
) -> (mpsc::Sender<ProgressUpdate>, tokio::task::JoinHandle<()>) {
    let (ptx, mut prx) = mpsc::channel::<ProgressUpdate>(64);
    let handle = tokio::spawn(async move {
        while let Some(update) = prx.recv().await {
            send(&tx, Action::OperationUpdated { op, update }).await;
        }
    });
    (ptx, handle)
}

async fn report_end(op: OpId, end: Result<RunEnd, EngineError>, tx: &mpsc::Sender<Action>) {
    // Finished outcomes were already forwarded; a detach needs no update (update() marked it).
    if let Err(e) = end {
        let update = engine_failure(&e, true);
        send(tx, Action::OperationUpdated { op, update }).await;
    }
}

#[cfg(test)]
mod drill_tests;
mod estate;
#[cfg(test)]
mod estate_tests;
#[cfg(test)]
mod live;
mod one_shot;
#[cfg(test)]
mod region_failover_tests;
mod standby;
#[cfg(test)]
mod tests;
