//! The drill dialog (issue 12, "drill mode" from the TUI): `D` lists the standbys of the
//! service's tier, only the typed name starts it (a paste is refused, read-only mode refuses
//! it), the backup goes where the service's backups are under a new name, its success runs the
//! restore's pre-flight, whose verdict decides the restore, and a failed step stops the drill
//! and says why.

use crate::app::action::Action;
use crate::app::drill::DrillStage;
use crate::app::effect::Effect;
use crate::app::estate::visible_services;
use crate::app::fixtures::{self, check, good_verdict, report, run};
use crate::app::keymap::KeyContext;
use crate::app::state::{AppState, Overlay};
use crate::domain::operation::{OperationError, Outcome, RestorePlan};
use crate::domain::preflight::{Level, Verdict};
use crate::domain::progress::ProgressUpdate;

fn opened(read_only: bool) -> AppState {
    let mut s = fixtures::loaded(read_only);
    s.cursors.services = visible_services(&s)
        .iter()
        .position(|r| r.service.name == "apim-contoso-weu")
        .unwrap();
    run(&mut s, [Action::StartDrill]);
    s
}

fn flash(s: &AppState) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn stage(s: &AppState) -> DrillStage {
    s.drill.as_ref().unwrap().stage.clone()
}

/// The name typed and Enter: the backup's op.
fn started(s: &mut AppState) -> crate::app::operation::OpId {
    run(s, "apim-contoso-neu".chars().map(Action::TypeChar));
    let effects = run(s, [Action::Submit]);
    let [Effect::StartBackup { op, plan }] = effects.as_slice() else {
        panic!("the typed name starts the backup: {effects:?}")
    };
    assert_eq!(plan.service.name.as_str(), "apim-contoso-weu");
    assert_eq!(
        (plan.account.as_str(), plan.container.as_str()),
        ("stcontosodrneu", "apim-backups"),
        "where its backups are"
    );
    assert!(
        plan.blob.as_str().starts_with("apim-contoso-weu/") && !plan.overwrite,
        "a new blob: {plan:?}"
    );
    *op
}

/// The restore's pre-flight among `effects` (an operation's end also refreshes listings).
fn preflight(effects: &[Effect]) -> Option<&RestorePlan> {
    effects.iter().find_map(|e| match e {
        Effect::RunPreflight { plan, .. } => Some(plan),
        _ => None,
    })
}

fn finished(op: crate::app::operation::OpId, outcome: Outcome) -> Action {
    Action::OperationUpdated {
        op,
        update: ProgressUpdate::Finished(outcome),
    }
}

/// The backup succeeded: the restore's pre-flight asked for.
fn checking(s: &mut AppState) -> RestorePlan {
    let backup = started(s);
    let effects = run(s, [finished(backup, Outcome::Succeeded)]);
    let Some(plan) = preflight(&effects) else {
        panic!("the backup's success runs the pre-flight: {effects:?}")
    };
    assert_eq!(plan.target.name.as_str(), "apim-contoso-neu");
    assert_eq!(
        Some(&plan.backup),
        s.drill.as_ref().unwrap().backup.as_ref()
    );
    assert!(plan.began.is_some(), "the RTO runs from D");
    plan.clone()
}

#[test]
fn d_lists_the_standbys_of_its_tier_and_only_the_typed_name_starts_it() {
    let mut s = opened(false);
    assert_eq!(s.overlay, Some(Overlay::Drill));
    assert_eq!(s.key_context(), KeyContext::Drill);
    let d = s.drill.as_ref().unwrap();
    let names: Vec<&str> = d.targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["apim-contoso-neu", "apim-contoso-stage-eus"]);

    run(&mut s, [Action::PasteRefused]);
    assert!(flash(&s).contains("pasted text"), "{}", flash(&s));
    run(&mut s, "apim-contoso-stage".chars().map(Action::TypeChar));
    assert!(run(&mut s, [Action::Submit]).is_empty());
    assert!(flash(&s).contains("nothing was started"), "{}", flash(&s));
    assert_eq!(stage(&s), DrillStage::Pick);
    // Moving to another standby clears what was typed for the one before.
    run(&mut s, [Action::MoveDown]);
    assert!(s.drill.as_ref().unwrap().typed.is_empty());
    run(&mut s, [Action::MoveUp]);
    started(&mut s);
}

#[test]
fn read_only_mode_refuses_a_drill() {
    let s = opened(true);
    assert!(s.drill.is_none() && s.overlay.is_none());
    assert!(flash(&s).contains("read-only"), "{}", flash(&s));
}

#[test]
fn the_preflights_verdict_decides_the_restore() {
    let mut s = opened(false);
    let plan = checking(&mut s);
    assert!(s.counts_seconds());
    let effects = run(
        &mut s,
        [Action::PreflightDone {
            plan: plan.clone(),
            result: Ok(report(good_verdict())),
        }],
    );
    let [Effect::StartRestore { op, plan: sent, .. }] = effects.as_slice() else {
        panic!("the verdict allows the restore: {effects:?}")
    };
    assert_eq!(sent, &plan);
    assert_eq!(stage(&s), DrillStage::Restoring(*op));
    let op = *op;
    run(
        &mut s,
        [
            Action::OperationUpdated {
                op,
                update: ProgressUpdate::Verified(Verdict {
                    checks: vec![check(
                        "gateway_health",
                        Level::Block,
                        "503 from the gateway",
                    )],
                }),
            },
            finished(op, Outcome::Succeeded),
        ],
    );
    assert_eq!(stage(&s), DrillStage::Restored(op, Outcome::Succeeded));
    assert!(
        flash(&s).contains("not verified"),
        "a restore that does not serve is not a passed drill: {}",
        flash(&s)
    );
    // Ended: esc forgets it.
    run(&mut s, [Action::Back]);
    assert!(s.drill.is_none());
}

#[test]
fn a_blocking_verdict_or_a_failed_backup_stops_the_drill() {
    let mut s = opened(false);
    let plan = checking(&mut s);
    let blocked = Verdict {
        checks: vec![check("tier_match", Level::Block, "Premium into Standard")],
    };
    let effects = run(
        &mut s,
        [Action::PreflightDone {
            plan,
            result: Ok(report(blocked)),
        }],
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        matches!(stage(&s), DrillStage::Stopped(why) if why.contains("Premium into Standard")),
        "{:?}",
        stage(&s)
    );

    let mut s = opened(false);
    let backup = started(&mut s);
    let failed = Outcome::Failed(OperationError {
        status: Some(400),
        code: "BackupFailed".into(),
        message: "the account refused the write".into(),
        request_id: None,
    });
    assert_eq!(preflight(&run(&mut s, [finished(backup, failed)])), None);
    assert!(
        matches!(stage(&s), DrillStage::Stopped(why) if why.contains("backup did not succeed")),
        "{:?}",
        stage(&s)
    );
}

#[test]
fn esc_while_it_runs_keeps_the_drill_and_quit_counts_its_restore() {
    let mut s = opened(false);
    started(&mut s);
    run(&mut s, [Action::Back]);
    assert!(s.overlay.is_none() && s.drill.is_some());
    run(&mut s, [Action::Quit]);
    assert_eq!(s.overlay, Some(Overlay::Quit { live: 1, queued: 1 }));
    run(&mut s, [Action::Cancel, Action::StartDrill]);
    assert_eq!(s.overlay, Some(Overlay::Drill));
}

#[test]
fn a_step_no_longer_watched_stops_the_drill() {
    let mut s = opened(false);
    let backup = started(&mut s);
    run(&mut s, [Action::Back, Action::StopWatching(backup)]);
    assert!(
        matches!(stage(&s), DrillStage::Stopped(why) if why.contains("no longer watched")),
        "{:?}",
        stage(&s)
    );
    assert!(!s.drill.as_ref().unwrap().restore_pending());
}
