//! The failover wizard's standby: its plan (read-only), then its creation as an operation of
//! the journal, followed like a restore (`OperationStarted`, `OperationUpdated`s).

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{engine_failure, forwarder, report_end, send};
use crate::app::action::Action;
use crate::app::operation::OpId;
use crate::domain::operation::Began;
use crate::domain::standby::StandbyAsk;
use crate::engine::Engine;

/// `PlanStandby`: what the creation would make, or why it cannot be planned.
pub(super) async fn plan(engine: Engine, tx: mpsc::Sender<Action>, ask: StandbyAsk) {
    let result = engine
        .plan_standby(&ask)
        .await
        .map(|p| Box::new(p.outline()))
        .map_err(|e| e.to_user_error());
    send(&tx, Action::StandbyPlanned { ask, result }).await;
}

/// `StartStandby`: planned again (the name may have been taken since), journaled, sent and
/// followed to its end.
pub(super) async fn create(
    engine: Engine,
    (op, ask, began): (OpId, StandbyAsk, Option<Began>),
    tx: mpsc::Sender<Action>,
    token: CancellationToken,
) {
    let prepared = match engine.plan_standby(&ask).await {
        Ok(plan) => engine.prepare_standby(&plan, began).await,
        Err(e) => Err(e),
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            let update = engine_failure(&e, false);
            send(&tx, Action::OperationUpdated { op, update }).await;
            return;
        }
    };
    let info = prepared.info.clone();
    send(&tx, Action::OperationStarted { op, info }).await;
    let (ptx, forward) = forwarder(op, tx.clone());
    let end = prepared.create_and_follow(ptx, token).await;
    let _ = forward.await;
    report_end(op, end, &tx).await;
}
