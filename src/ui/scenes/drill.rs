//! Test-only: the drill dialog (`D` on apim-contoso-weu): the standbys with the name half
//! typed, and the drill passed.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::visible_services;
use crate::app::fixtures::{self, check, good_verdict, report, run};
use crate::app::state::AppState;
use crate::domain::operation::Outcome;
use crate::domain::preflight::{Level, Verdict};
use crate::domain::progress::ProgressUpdate;

/// `D` on apim-contoso-weu, `apim-contoso` typed.
pub fn drill_pick() -> AppState {
    let mut s = fixtures::loaded(false);
    s.cursors.services = visible_services(&s)
        .iter()
        .position(|r| r.service.name == "apim-contoso-weu")
        .expect("apim-contoso-weu is listed");
    run(&mut s, [Action::StartDrill]);
    run(&mut s, "apim-contoso".chars().map(Action::TypeChar));
    s
}

/// The standby's name typed; the backup, the pre-flight, the restore and its verification
/// each answered.
pub fn drill_done() -> AppState {
    let mut s = drill_pick();
    run(&mut s, "-neu".chars().map(Action::TypeChar));
    let Some(Effect::StartBackup { op: backup, .. }) = run(&mut s, [Action::Submit]).pop() else {
        unreachable!("the typed name starts the backup")
    };
    let finished = |op| Action::OperationUpdated {
        op,
        update: ProgressUpdate::Finished(Outcome::Succeeded),
    };
    let Some(Effect::RunPreflight { plan, .. }) = run(&mut s, [finished(backup)]).pop() else {
        unreachable!("the backup's success runs the restore's pre-flight")
    };
    let effects = run(
        &mut s,
        [Action::PreflightDone {
            plan,
            result: Ok(report(good_verdict())),
        }],
    );
    let Some(Effect::StartRestore { op: restore, .. }) = effects.into_iter().next() else {
        unreachable!("the pre-flight allows the restore")
    };
    run(
        &mut s,
        [
            Action::OperationUpdated {
                op: restore,
                update: ProgressUpdate::Verified(Verdict {
                    checks: vec![check("gateway_health", Level::Pass, "200 from the gateway")],
                }),
            },
            finished(restore),
        ],
    );
    s
}
