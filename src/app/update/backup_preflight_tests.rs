//! The backup wizard's last step (issue 8; issue 9, defect 15): it runs the backup's
//! pre-flight and starts nothing until the checks allow it; it starts where this service's
//! backups already are.

use crate::app::action::Action;
use crate::app::backup_wizard::{BackupStep, account_rows};
use crate::app::effect::Effect;
use crate::app::fixtures::{self, check, report, run};
use crate::app::state::{AppState, Wizard};
use crate::domain::error::UserError;
use crate::domain::operation::BackupPlan;
use crate::domain::preflight::{Level, Verdict};

fn to_review(state: &mut AppState) -> BackupPlan {
    run(state, [Action::StartBackup]);
    let effects = run(state, [Action::Submit, Action::Submit, Action::Submit]);
    match effects.as_slice() {
        [Effect::RunBackupPreflight { plan, .. }] => plan.clone(),
        other => panic!("expected the backup's pre-flight, got {other:?}"),
    }
}

fn flash(state: &AppState) -> String {
    state
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[test]
fn nothing_starts_before_the_preflight_allows_it() {
    let mut state = fixtures::loaded(false);
    let plan = to_review(&mut state);
    assert!(matches!(&state.wizard, Some(Wizard::Backup(w)) if w.step == BackupStep::Review));
    assert!(state.counts_seconds(), "the clock ticks while it runs");

    assert!(run(&mut state, [Action::Submit]).is_empty());
    assert!(flash(&state).contains("still running"), "{}", flash(&state));

    let blocked = Verdict {
        checks: vec![check("overwrite", Level::Block, "the blob exists")],
    };
    run(
        &mut state,
        [Action::BackupPreflightDone {
            plan: plan.clone(),
            result: Ok(report(blocked)),
        }],
    );
    assert!(run(&mut state, [Action::Submit]).is_empty());
    assert!(
        flash(&state).contains("1 blocking problem"),
        "{}",
        flash(&state)
    );

    run(
        &mut state,
        [Action::BackupPreflightDone {
            plan: plan.clone(),
            result: Err(UserError::new("listing accounts failed")),
        }],
    );
    assert!(run(&mut state, [Action::Submit]).is_empty());
    assert!(flash(&state).contains("could not run"), "{}", flash(&state));

    run(
        &mut state,
        [Action::BackupPreflightDone {
            plan,
            result: Ok(report(fixtures::good_verdict())),
        }],
    );
    let effects = run(&mut state, [Action::Submit]);
    assert!(
        matches!(effects.as_slice(), [Effect::StartBackup { .. }]),
        "{effects:?}"
    );
}

#[test]
fn an_answer_for_another_plan_is_ignored() {
    let mut state = fixtures::loaded(false);
    let mut plan = to_review(&mut state);
    plan.blob = "other/name.apimbackup".parse().unwrap();
    run(
        &mut state,
        [Action::BackupPreflightDone {
            plan,
            result: Ok(report(fixtures::good_verdict())),
        }],
    );
    assert!(matches!(&state.wizard, Some(Wizard::Backup(w)) if w.preflight_running()));
}

#[test]
fn the_wizard_starts_on_the_account_holding_this_services_backups() {
    let mut state = fixtures::loaded(false);
    // apim-contoso-weu's newest backup is in stcontosodrneu; an account named before it
    // comes first in the list.
    let (sub, mut first) = fixtures::accounts().remove(0);
    let mut accounts: Vec<_> = fixtures::accounts()
        .into_iter()
        .filter(|(s, _)| *s == sub)
        .map(|(_, a)| a)
        .collect();
    first.name = "starchive".into();
    accounts.push(first);
    run(
        &mut state,
        [Action::StorageAccountsLoaded {
            subscription: sub.into(),
            result: Ok(accounts),
        }],
    );
    assert_eq!(account_rows(&state)[0].name, "starchive");
    let drneu = account_rows(&state)
        .iter()
        .position(|a| a.name == "stcontosodrneu")
        .unwrap();
    run(&mut state, [Action::StartBackup]);
    let Some(Wizard::Backup(w)) = &state.wizard else {
        panic!("no backup wizard: {:?}", state.flash)
    };
    assert_eq!(w.account_cursor, drneu);
    let expected = account_rows(&state)[drneu].name.clone();
    run(&mut state, [Action::Submit]);
    let Some(Wizard::Backup(w)) = &state.wizard else {
        panic!()
    };
    assert_eq!(w.account.as_ref().map(|a| a.name.clone()), Some(expected));
}
