//! Scenes of the Operations screen as this session sees it: an operation running, one
//! succeeded, one failed, none yet.

use std::time::Duration as StdDuration;

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::{self, NOW, run, with_restore};
use crate::app::operation::OpId;
use crate::app::state::{AppState, Screen};
use crate::domain::names::ServiceId;
use crate::domain::operation::{Began, BeganFrom, OperationError, OperationKind, Outcome};
use crate::domain::preflight::{Check, Level};
use crate::domain::progress::{
    CorrelationId, JournalId, OperationInfo, PastOperation, ProgressUpdate,
};
use crate::domain::report::{FailoverReport, MANUAL_STEPS, Step, Verification};

fn history(target: &ServiceId) -> Vec<PastOperation> {
    [29, 31, 34]
        .into_iter()
        .map(|mins| PastOperation {
            kind: OperationKind::Restore,
            service: target.clone(),
            duration: StdDuration::from_secs(mins * 60),
            succeeded: true,
            tier: None,
        })
        .collect()
}

/// A restore 12½ minutes in, after a throttled poll, with history for an estimate.
pub fn ops_running() -> AppState {
    let (mut s, op) = with_restore();
    let target = s.operations[0]
        .service
        .clone()
        .unwrap_or_else(|| unreachable!());
    run(&mut s, [Action::HistoryLoaded(history(&target))]);
    journal(&mut s, op, &target, OperationKind::Restore);
    let at = |m: i64, sec: i64| Action::Tick {
        now: NOW + Duration::minutes(m) + Duration::seconds(sec),
    };
    run(
        &mut s,
        [
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Sending,
            },
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Accepted {
                    operation_url: None,
                    request_id: Some("b7e2c1d4-0a9f-4e3b-8c71-2f5d6a9e0b13".into()),
                    correlation_id: CorrelationId(CORRELATION.into()),
                },
            },
            at(12, 20),
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Running {
                    status: Some("InProgress".into()),
                    percent: None,
                    polls: 24,
                    next_poll_in: StdDuration::from_secs(15),
                },
            },
            at(12, 26),
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Retrying {
                    reason: "throttled".into(),
                    detail: "429 Too Many Requests".into(),
                    retry_in: StdDuration::from_secs(8),
                    attempt: 2,
                },
            },
            at(12, 30),
        ],
    );
    s.flash = None;
    s
}

/// The correlation id of the scenes' restore.
const CORRELATION: &str = "4d1f0b7e-6c2a-4f39-8e5d-9a3b7c1e2f60";

fn journal(s: &mut AppState, op: OpId, target: &ServiceId, kind: OperationKind) {
    let info = OperationInfo {
        id: JournalId("20261126T120000Z-restore-apim-contoso-neu".into()),
        kind,
        service: target.clone(),
        blob: Some(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        ),
        creating: None,
        started_at: NOW,
        correlation_id: Some(CorrelationId(CORRELATION.into())),
        tier: None,
    };
    run(s, [Action::OperationStarted { op, info }]);
}

/// The restore finished well after 31 minutes.
pub fn ops_succeeded() -> AppState {
    let mut s = ops_running();
    let op = s.operations[0].op;
    run(
        &mut s,
        [
            Action::Tick {
                now: NOW + Duration::minutes(31) + Duration::seconds(5),
            },
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Finished(Outcome::Succeeded),
            },
        ],
    );
    s
}

/// `v` on the succeeded restore: its report, as `engine/report.rs` builds it (here from a fixed
/// report: the scene does no I/O).
pub fn ops_report() -> AppState {
    let mut s = ops_succeeded();
    let effects = run(&mut s, [Action::ShowReportSelected]);
    let [Effect::BuildReport { id }] = effects.as_slice() else {
        unreachable!("v asks for the report: {effects:?}")
    };
    let id = id.clone();
    let md = report_fixture(&id).markdown();
    run(&mut s, [Action::ReportBuilt { id, result: Ok(md) }]);
    s
}

/// The same report scrolled to its manual steps.
pub fn ops_report_scrolled() -> AppState {
    let mut s = ops_report();
    run(
        &mut s,
        [Action::PageDown, Action::PageDown, Action::PageDown],
    );
    s
}

fn report_fixture(id: &JournalId) -> FailoverReport {
    let at = |m: i64| NOW + Duration::minutes(m);
    let step = |m: i64, what: &str| Step {
        at: at(m),
        what: what.to_owned(),
    };
    let timeline = vec![
        step(
            0,
            "intent journaled: restore of apim-contoso-neu with stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup",
        ),
        step(
            0,
            "accepted by Azure (202), request id b7e2c1d4-0a9f-4e3b-8c71-2f5d6a9e0b13",
        ),
        step(1, "status: InProgress"),
        step(31, "finished: succeeded"),
    ];
    let began = Began {
        at: NOW - Duration::minutes(2),
        from: BeganFrom::Wizard,
    };
    let (rto_seconds, rto_from) = FailoverReport::rto(Some(&began), &timeline, true);
    let check = |id: &str, title: &str, reason: &str| Check {
        id: id.to_owned(),
        level: Level::Pass,
        title: title.to_owned(),
        reason: reason.to_owned(),
        fix: None,
    };
    FailoverReport {
        id: id.to_string(),
        kind: "restore".into(),
        service: "apim-contoso-neu".into(),
        backup: "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup".into(),
        outcome: Some("succeeded".into()),
        timeline,
        rto_seconds,
        rto_from,
        preflight: vec![
            check(
                "target_idle",
                "Target is idle",
                "provisioning state Succeeded",
            ),
            check(
                "tier_match",
                "Pricing tier matches the backup",
                "backup and target are both Standard",
            ),
        ],
        catalog: None,
        verification: Verification {
            provisioning_state: Some("Succeeded".into()),
            api_count: Some(14),
            checks: Vec::new(),
        },
        manual_steps: MANUAL_STEPS.to_vec(),
    }
}

/// The restore failed, in Azure's words.
pub fn ops_failed() -> AppState {
    let mut s = ops_running();
    let op = s.operations[0].op;
    run(&mut s, [
        Action::Tick { now: NOW + Duration::minutes(14) },
        Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Failed(OperationError {
                status: Some(200),
                code: "RestoreFailed".into(),
                message: "Cannot restore: the storage account refused the request (AuthorizationFailure)".into(),
                request_id: Some("e0c4f7a2-91b3-4d58-a6e2-7b1c9d3f5a08".into()),
            })),
        },
    ]);
    s
}

/// No operations yet.
pub fn ops_empty() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Operations)]);
    s
}
