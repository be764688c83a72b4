//! The failover and backup flows through `update`, step by step, with every refusal.

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::failover::{FailoverStep, FailoverWizard, region_rows, source_rows, target_rows};
use crate::app::fixtures::{self, DR, NOW, PROD};
use crate::app::fixtures::{check, good_verdict, report, run, to_preflight};
use crate::app::loadable::Loadable;
use crate::app::operation::Phase;
use crate::app::state::{AppState, FlashLevel, Screen, Wizard};
use crate::app::update::update;
use crate::domain::operation::{AccessType, RestorePlan};
use crate::domain::preflight::Level;

fn typed(text: &str) -> Vec<Action> {
    text.chars().map(Action::TypeChar).collect()
}

/// The failover wizard open in `state` (the tests that drive it share this).
pub(super) fn failover(state: &AppState) -> &FailoverWizard {
    match &state.wizard {
        Some(Wizard::Failover(w)) => w,
        other => panic!("no failover wizard: {other:?}"),
    }
}

#[test]
fn the_whole_failover_refuses_a_wrong_name_then_starts_exactly_one_restore() {
    let mut state = fixtures::loaded(false);
    assert_eq!(update(&mut state, Action::StartFailover), vec![]);
    let w = failover(&state);
    assert_eq!(w.step, FailoverStep::Source);
    let first = &source_rows(&state, w)[0];
    assert_eq!(
        first.entry.name,
        "apim-contoso-weu/20261126T0600Z.apimbackup"
    );
    assert!(first.from_origin);

    run(&mut state, [Action::Submit]);
    let w = failover(&state);
    assert_eq!(w.step, FailoverStep::Region);
    let regions = region_rows(&state, w);
    let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["East US", "North Europe", "West Europe"]);
    assert!(
        regions[2].is_source,
        "the backup's own region comes last, marked"
    );

    run(&mut state, [Action::MoveDown, Action::Submit]);
    let w = failover(&state);
    assert_eq!(w.region.as_deref(), Some("North Europe"));
    let targets = target_rows(&state, w);
    assert_eq!(targets[0].service.name, "apim-contoso-neu");
    assert_eq!(targets[0].refusal, None);
    assert_eq!(targets[1].service.name, "apim-edge-v2-neu");
    assert!(
        targets[1]
            .refusal
            .as_deref()
            .unwrap()
            .starts_with("it is StandardV2 and the v2 tiers do not support backup and restore")
    );

    let effects = run(&mut state, [Action::Submit]);
    let plan = RestorePlan {
        backup: "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup"
            .parse()
            .unwrap(),
        target: format!(
            "/subscriptions/{DR}/resourceGroups/rg-apim-dr/providers/Microsoft.ApiManagement/service/apim-contoso-neu"
        )
        .parse()
        .unwrap(),
        access: AccessType::AccessKey,
        began: Some(crate::domain::operation::Began {
            at: time::macros::datetime!(2026-11-26 12:00 UTC),
            from: crate::domain::operation::BeganFrom::Wizard,
        }),
    };
    assert_eq!(
        effects,
        [Effect::RunPreflight {
            plan: plan.clone(),
            target_busy_locally: false
        }]
    );
    assert!(failover(&state).preflight_running());
    assert!(run(&mut state, [Action::Submit]).is_empty());
    assert_eq!(
        failover(&state).step,
        FailoverStep::Preflight,
        "not while it runs"
    );

    run(
        &mut state,
        [Action::PreflightDone {
            plan: plan.clone(),
            result: Ok(report(good_verdict())),
        }],
    );
    run(&mut state, [Action::Submit, Action::Submit]);
    assert_eq!(failover(&state).step, FailoverStep::Confirm);

    let effects = run(
        &mut state,
        typed("apim-contoso-ne").into_iter().chain([Action::Submit]),
    );
    assert!(effects.is_empty(), "a wrong name starts nothing");
    let flash = state.flash.clone().unwrap();
    assert_eq!(flash.level, FlashLevel::Error);
    assert!(flash.text.contains("nothing was started"), "{}", flash.text);
    assert!(state.operations.is_empty());

    let effects = run(&mut state, [Action::TypeChar('u'), Action::Submit]);
    let [
        Effect::StartRestore {
            op, plan: started, ..
        },
    ] = effects.as_slice()
    else {
        panic!("expected exactly one StartRestore, got {effects:?}");
    };
    assert_eq!(started, &plan);
    assert_eq!(state.screen, Screen::Operations);
    assert!(state.wizard.is_none());
    let view = &state.operations[0];
    assert_eq!((view.op, &view.phase), (*op, &Phase::Starting));
    assert_eq!(view.target, "apim-contoso-neu");
    assert_eq!(view.started_at, NOW);
}

#[test]
fn a_blocking_preflight_cannot_be_confirmed() {
    let mut state = fixtures::loaded(false);
    let plan = to_preflight(&mut state);
    let mut verdict = good_verdict();
    verdict.checks.push(check(
        "target_busy",
        Level::Block,
        "the service is Updating: another operation is running on it",
    ));
    run(
        &mut state,
        [Action::PreflightDone {
            plan,
            result: Ok(report(verdict)),
        }],
    );
    assert!(run(&mut state, [Action::Submit, Action::Submit]).is_empty());
    assert_eq!(failover(&state).step, FailoverStep::Preflight);
    let flash = state.flash.clone().unwrap();
    assert_eq!(flash.level, FlashLevel::Error);
    assert!(flash.text.contains("1 blocking problem"), "{}", flash.text);
}

#[test]
fn a_stale_preflight_answer_is_ignored_and_r_reruns_it() {
    let mut state = fixtures::loaded(false);
    let plan = to_preflight(&mut state);
    let mut other = plan.clone();
    other.backup = "stcontosoweu/apim-backups/x.apimbackup".parse().unwrap();
    run(
        &mut state,
        [Action::PreflightDone {
            plan: other,
            result: Ok(report(good_verdict())),
        }],
    );
    assert!(failover(&state).preflight_running());
    run(
        &mut state,
        [Action::PreflightDone {
            plan: plan.clone(),
            result: Err(crate::domain::error::UserError::new(
                "reading the blob failed",
            )),
        }],
    );
    assert!(matches!(failover(&state).preflight, Loadable::Failed(_)));
    let effects = run(&mut state, [Action::Refresh]);
    assert!(matches!(effects.as_slice(), [Effect::RunPreflight { plan: p, .. }] if *p == plan));
}

#[test]
fn expired_backups_are_listed_but_cannot_be_picked() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartFailover]);
    let rows = source_rows(&state, failover(&state));
    let expired = rows
        .iter()
        .position(|r| r.entry.name.contains("20261021"))
        .unwrap();
    let reason = rows[expired].refusal.clone().unwrap();
    assert!(
        reason.starts_with("expired 6d 6h ago — Azure refuses"),
        "{reason}"
    );
    run(&mut state, [Action::SelectRow(expired), Action::Submit]);
    assert_eq!(failover(&state).step, FailoverStep::Source);
    assert!(state.flash.as_ref().unwrap().text.contains("expired"));
}

#[test]
fn refused_targets_say_why_and_esc_walks_back() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [
            Action::StartFailover,
            Action::Submit,
            Action::MoveDown,
            Action::Submit,
        ],
    );
    run(&mut state, [Action::MoveDown, Action::Submit]);
    assert_eq!(failover(&state).step, FailoverStep::Target);
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .starts_with("apim-edge-v2-neu cannot take")
    );
    for step in [FailoverStep::Region, FailoverStep::Source] {
        run(&mut state, [Action::Back]);
        assert_eq!(failover(&state).step, step);
    }
    run(&mut state, [Action::Back]);
    assert!(state.wizard.is_none());
}

#[test]
fn a_tier_mismatch_is_refused_in_azures_words() {
    let mut state = fixtures::loaded(false);
    // The Premium backup of apim-partners-weu, restored towards North Europe.
    run(&mut state, [Action::StartFailover]);
    let rows = source_rows(&state, failover(&state));
    let premium = rows
        .iter()
        .position(|r| r.entry.name.starts_with("apim-partners"))
        .unwrap();
    run(&mut state, [Action::SelectRow(premium), Action::Submit]);
    let regions = region_rows(&state, failover(&state));
    let neu = regions
        .iter()
        .position(|r| r.name == "North Europe")
        .unwrap();
    run(&mut state, [Action::SelectRow(neu), Action::Submit]);
    let targets = target_rows(&state, failover(&state));
    let neu_std = targets
        .iter()
        .find(|t| t.service.name == "apim-contoso-neu")
        .unwrap();
    assert_eq!(
        neu_std.refusal.as_deref(),
        Some(
            "it is Standard and the backup is Premium (Azure restores only into the same tier); \
             pick a Premium service, or scale this one to Premium first"
        )
    );
}

#[test]
fn an_account_that_refuses_shared_key_is_reached_by_managed_identity() {
    let mut state = fixtures::loaded(false);
    for listing in state.storage_accounts.values_mut() {
        if let Some(Loadable::Loaded(accounts)) = Some(&mut listing.data) {
            for a in std::sync::Arc::make_mut(accounts).iter_mut() {
                a.shared_key_disabled = true;
            }
        }
    }
    let plan = to_preflight(&mut state);
    assert_eq!(plan.access, AccessType::SystemAssignedManagedIdentity);
}

#[test]
fn no_failover_from_a_tier_without_backups() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::MoveDown, Action::MoveDown, Action::StartFailover],
    );
    assert!(state.wizard.is_none());
    let flash = state.flash.clone().unwrap();
    assert!(
        flash
            .text
            .starts_with("apim-mobile-cons has no backups to fail over from"),
        "{}",
        flash.text
    );
}

#[test]
fn a_premium_multi_region_service_is_said_to_need_no_restore_for_traffic_at_the_start() {
    let mut state = fixtures::loaded(false);
    let row = crate::app::estate::visible_services(&state)
        .iter()
        .position(|r| r.service.name == "apim-partners-weu")
        .unwrap();
    run(&mut state, vec![Action::MoveDown; row]);
    run(&mut state, [Action::StartFailover]);
    assert_eq!(
        failover(&state).origin.as_ref().unwrap().name,
        "apim-partners-weu"
    );
    let flash = state.flash.clone().unwrap();
    assert_eq!(flash.level, FlashLevel::Warn);
    assert_eq!(
        flash.text,
        "if West Europe is down, apim-partners-weu needs no restore for traffic: its gateways in \
         North Europe still serve; only the management plane is down"
    );
    // The note belongs to the wizard's start: the next step drops it.
    run(&mut state, [Action::Submit]);
    assert!(state.flash.is_none(), "{:?}", state.flash);

    // A single-region service gets no such note.
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartFailover]);
    assert!(state.flash.is_none(), "{:?}", state.flash);
}

#[test]
fn failover_from_the_backups_screen_starts_at_the_region() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::Jump(Screen::Backups), Action::StartFailover],
    );
    let w = failover(&state);
    assert_eq!(w.step, FailoverStep::Region);
    assert_eq!(
        w.source.as_ref().unwrap().name,
        "apim-contoso-weu/20261126T0600Z.apimbackup"
    );
}

#[test]
fn the_backup_flow_defaults_a_sortable_name_and_starts_one_backup() {
    let mut state = fixtures::loaded(false);
    state.now = NOW + Duration::seconds(9);
    run(&mut state, [Action::StartBackup]);
    let Some(Wizard::Backup(w)) = &state.wizard else {
        panic!("no backup wizard")
    };
    assert_eq!(w.blob, "apim-contoso-weu/20261126T120009Z.apimbackup");
    let effects = run(&mut state, [Action::Submit, Action::Submit, Action::Submit]);
    let [Effect::RunBackupPreflight { plan, .. }] = effects.as_slice() else {
        panic!("expected the backup's pre-flight, got {effects:?}");
    };
    let result = Ok(fixtures::report(fixtures::good_verdict()));
    let plan = plan.clone();
    run(&mut state, [Action::BackupPreflightDone { plan, result }]);
    let effects = run(&mut state, [Action::Submit]);
    let [Effect::StartBackup { op, plan }] = effects.as_slice() else {
        panic!("expected one StartBackup, got {effects:?}");
    };
    assert_eq!(
        plan.destination().to_string(),
        "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T120009Z.apimbackup"
    );
    assert_eq!(plan.service.subscription.as_str(), PROD);
    assert_eq!(state.operations[0].op, *op);
    assert_eq!(state.screen, Screen::Operations);
}

#[test]
fn the_backup_wizard_checks_names_and_refuses_unsupported_tiers() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [
            Action::StartBackup,
            Action::Submit,
            Action::MoveDown,
            Action::Submit,
        ],
    );
    let Some(Wizard::Backup(w)) = &state.wizard else {
        panic!("no backup wizard")
    };
    assert!(
        w.takes_text(),
        "the last row of step 2 types a new container"
    );
    run(
        &mut state,
        typed("Bad--Name").into_iter().chain([Action::Submit]),
    );
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .starts_with("invalid container name")
    );
    run(&mut state, [Action::ClearInput]);
    run(
        &mut state,
        typed("apim-drill").into_iter().chain([Action::Submit]),
    );
    let Some(Wizard::Backup(w)) = &state.wizard else {
        panic!("no backup wizard")
    };
    assert_eq!(w.container.as_deref(), Some("apim-drill"));

    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::MoveDown, Action::MoveDown, Action::StartBackup],
    );
    assert!(state.wizard.is_none());
    let flash = state.flash.clone().unwrap();
    assert!(
        flash
            .text
            .starts_with("apim-mobile-cons cannot be backed up: the Consumption tier"),
        "{}",
        flash.text
    );
}

#[test]
fn read_only_refuses_failover_and_backup_and_hides_their_keys() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut state = fixtures::loaded(true);
    let f = KeyEvent::new(KeyCode::Char('f'), KeyModifiers::NONE);
    assert_eq!(
        state.resolve_key(f),
        Some(Action::StartFailover),
        "a press still says why it does nothing"
    );
    assert!(
        !state
            .keymap
            .hints(state.key_context())
            .iter()
            .any(|h| h.dangerous)
    );
    for action in [Action::StartFailover, Action::StartBackup] {
        assert!(update(&mut state, action).is_empty());
        assert!(state.wizard.is_none());
        let flash = state.flash.clone().unwrap();
        assert_eq!(flash.level, FlashLevel::Warn);
        assert!(flash.text.starts_with("read-only mode"));
    }
}
