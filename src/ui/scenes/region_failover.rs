//! Test-only: the region failover dialog (`F` on apim-contoso-weu): the regions to fail over
//! into, the plan with the words half typed, the restore running, and the batch ended.

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::region::planned;
use crate::app::fixtures::{self, NOW, check, run};
use crate::app::state::AppState;
use crate::domain::operation::Outcome;
use crate::domain::preflight::{Level, Verdict};
use crate::domain::progress::ProgressUpdate;

/// `F` on apim-contoso-weu: the regions it can fail over into.
pub fn region_pick() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::StartRegionFailover]);
    s
}

/// North Europe planned, `restore` typed so far.
pub fn region_plan() -> AppState {
    let mut s = planned(false);
    run(&mut s, "restore".chars().map(Action::TypeChar));
    s
}

/// `restore 1` typed and Enter pressed; the restore polled at 40%, 2 min later, with the
/// dialog shown again.
pub fn region_running() -> AppState {
    let mut s = planned(false);
    run(&mut s, "restore 1".chars().map(Action::TypeChar));
    let effects = run(&mut s, [Action::Submit]);
    let Some(Effect::StartRestore { op, .. }) = effects.into_iter().next() else {
        unreachable!("Enter starts the ready restore")
    };
    run(
        &mut s,
        [
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Running {
                    status: Some("InProgress".into()),
                    percent: Some(40),
                    polls: 4,
                    next_poll_in: std::time::Duration::from_secs(20),
                },
            },
            Action::Tick {
                now: NOW + Duration::minutes(2),
            },
        ],
    );
    s
}

/// The restore succeeded and was verified; the report written.
pub fn region_done() -> AppState {
    let mut s = region_running();
    let op = s.operations[0].op;
    let report = run(
        &mut s,
        [
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Verified(Verdict {
                    checks: vec![check("gateway_health", Level::Pass, "200 from the gateway")],
                }),
            },
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Finished(Outcome::Succeeded),
            },
        ],
    );
    let Some(Effect::SaveBatchReport { report }) = report.into_iter().last() else {
        unreachable!("the batch's end asks for its report")
    };
    run(
        &mut s,
        [Action::BatchReportSaved {
            id: report.id.clone(),
            result: Ok(format!(
                "/home/sre/.local/share/apim-dr/reports/{}.md",
                report.id
            )),
        }],
    );
    s
}
