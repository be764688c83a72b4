//! Screens, inventory facts, operations and quitting through `update`.

use std::time::Duration as StdDuration;

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::{visible_services, visible_subscriptions};
use crate::app::fixtures::{self, DEV, DR, NOW, PROD, run, with_restore};
use crate::app::loadable::Loadable;
use crate::app::operation::{OpId, Phase};
use crate::app::state::{AppState, FlashLevel, Overlay, Pane, Screen};
use crate::app::update::update;
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::domain::operation::AccessType;
use crate::domain::operation::{OperationError, OperationKind, Outcome};
use crate::domain::progress::{
    CorrelationId, JournalId, OperationInfo, PastOperation, ProgressUpdate,
};
use crate::journal::OperationState;

#[test]
fn start_up_is_one_walk_whose_listings_each_mark_the_next_loading() {
    let (mut state, effects) = AppState::new(fixtures::options(false));
    assert_eq!(effects, [Effect::WalkEstate]);
    assert!(state.subscriptions.is_busy());
    let effects = update(
        &mut state,
        Action::SubscriptionsLoaded(Ok(fixtures::subscriptions())),
    );
    assert!(effects.is_empty(), "the same walk answers: {effects:?}");
    for sub in [PROD, DR, DEV] {
        assert!(state.services[sub].is_busy(), "services of {sub}");
        assert!(state.storage_accounts[sub].is_busy(), "accounts of {sub}");
    }
    let (sub, account) = fixtures::accounts().remove(0);
    let effects = update(
        &mut state,
        Action::StorageAccountsLoaded {
            subscription: sub.into(),
            result: Ok(vec![account.clone()]),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.backups[&account.name].is_busy());
    assert!(state.estate_loading());
}

#[test]
fn a_failed_refresh_keeps_the_rows_and_says_why() {
    let mut state = fixtures::loaded(false);
    let before = visible_services(&state).len();
    assert_eq!(before, 4);
    let effects = run(&mut state, [Action::Refresh]);
    assert_eq!(
        effects,
        [Effect::FetchServices {
            subscription: PROD.into()
        }]
    );
    assert!(
        run(&mut state, [Action::Refresh]).is_empty(),
        "one refresh at a time"
    );
    run(
        &mut state,
        [Action::ServicesLoaded {
            subscription: PROD.into(),
            result: Err(UserError::new("listing services failed: Too Many Requests")),
        }],
    );
    assert_eq!(visible_services(&state).len(), before);
    assert!(state.services[PROD].is_stale());
    let flash = state.flash.clone().unwrap();
    assert_eq!(flash.level, FlashLevel::Error);
    assert!(
        flash
            .text
            .starts_with("refreshing services of Contoso Production failed"),
        "{}",
        flash.text
    );
}

#[test]
fn the_flash_clears_itself_after_six_seconds() {
    let mut state = fixtures::loaded(false);
    state.flash(FlashLevel::Info, "hello");
    run(
        &mut state,
        [Action::Tick {
            now: NOW + Duration::seconds(5),
        }],
    );
    assert!(state.flash.is_some());
    run(
        &mut state,
        [Action::Tick {
            now: NOW + Duration::seconds(6),
        }],
    );
    assert!(state.flash.is_none());
}

#[test]
fn the_clock_ticks_each_second_only_while_something_counts_seconds() {
    let mut state = fixtures::loaded(false);
    let at = NOW + Duration::seconds(3) + Duration::milliseconds(500);
    // Idle: the next tick is the next whole minute, the clock shows HH:MM.
    assert!(!state.counts_seconds());
    assert_eq!(state.next_tick_in(at), StdDuration::from_millis(56_500));
    state.flash(FlashLevel::Info, "hello");
    assert_eq!(state.next_tick_in(at), StdDuration::from_secs(1));
    let (live, _) = with_restore();
    assert!(
        live.counts_seconds(),
        "a live operation's elapsed time ticks"
    );
    assert_eq!(live.next_tick_in(at), StdDuration::from_secs(1));
}

#[test]
fn panes_filter_and_commands() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::PrevPane, Action::MoveDown]);
    assert_eq!(state.focus, Pane::Subscriptions);
    assert_eq!(
        visible_subscriptions(&state)[state.cursors.subscriptions].name,
        "Contoso DR Standby"
    );
    run(&mut state, [Action::Open]);
    assert_eq!(state.focus, Pane::Services);
    assert_eq!(visible_services(&state)[0].service.name, "apim-contoso-neu");

    run(
        &mut state,
        [
            Action::Back,
            Action::Top,
            Action::NextPane,
            Action::OpenFilter,
        ],
    );
    run(&mut state, "V2".chars().map(Action::TypeChar));
    let names: Vec<_> = visible_services(&state)
        .iter()
        .map(|r| r.service.name.clone())
        .collect();
    assert_eq!(names, ["apim-edge-v2-neu"]);
    run(&mut state, [Action::Cancel]);
    assert_eq!(
        visible_services(&state).len(),
        4,
        "esc restores the filter before"
    );

    run(&mut state, [Action::OpenCommand]);
    run(
        &mut state,
        "ops".chars().map(Action::TypeChar).chain([Action::Submit]),
    );
    assert_eq!(state.screen, Screen::Operations);
    run(&mut state, [Action::OpenCommand]);
    run(
        &mut state,
        "pods".chars().map(Action::TypeChar).chain([Action::Submit]),
    );
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .starts_with("unknown command ':pods'")
    );

    run(
        &mut state,
        [Action::Jump(Screen::Estate), Action::Open, Action::Open],
    );
    assert_eq!(state.screen, Screen::Backups);
    assert_eq!(state.filters.backups, "apim-contoso-weu");
}

#[test]
fn operation_updates_move_the_view_and_the_end_refreshes_the_target() {
    let (mut state, op) = with_restore();
    let info = OperationInfo {
        id: JournalId("j-1".into()),
        kind: OperationKind::Restore,
        service: state.operations[0].service.clone().unwrap(),
        blob: Some(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup"
                .parse()
                .unwrap(),
        ),
        creating: None,
        started_at: NOW,
        correlation_id: Some(CorrelationId("c-1".into())),
        tier: None,
    };
    run(&mut state, [Action::OperationStarted { op, info }]);
    assert_eq!(
        state.operations[0].journal_id,
        Some(JournalId("j-1".into()))
    );
    assert_eq!(
        state.operations[0].correlation_id,
        Some(CorrelationId("c-1".into()))
    );
    let updates = [
        ProgressUpdate::Sending,
        ProgressUpdate::Accepted {
            operation_url: None,
            request_id: Some("7f3a".into()),
            correlation_id: CorrelationId("c-1".into()),
        },
        ProgressUpdate::Running {
            status: None,
            percent: None,
            polls: 1,
            next_poll_in: StdDuration::from_secs(10),
        },
    ];
    for u in updates {
        assert!(run(&mut state, [Action::OperationUpdated { op, update: u }]).is_empty());
    }
    assert!(matches!(state.operations[0].phase, Phase::Running { .. }));
    assert_eq!(state.live_operations(), 1);
    run(
        &mut state,
        [Action::Tick {
            now: NOW + Duration::minutes(31),
        }],
    );
    let effects = run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    );
    assert_eq!(
        effects,
        [Effect::FetchServices {
            subscription: DR.into()
        }]
    );
    assert_eq!(state.live_operations(), 0);
    let flash = state.flash.clone().unwrap();
    assert!(
        flash
            .text
            .starts_with("restore into apim-contoso-neu succeeded after 31m 00s"),
        "{}",
        flash.text
    );
    assert_eq!(
        state.history.len(),
        1,
        "the finished operation feeds the estimate"
    );
}

#[test]
fn a_failed_operation_flashes_azures_words() {
    let (mut state, op) = with_restore();
    run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Failed(OperationError {
                status: Some(400),
                code: "RestoreFailed".into(),
                message: "Cannot restore: backup expired".into(),
                request_id: None,
            })),
        }],
    );
    let flash = state.flash.clone().unwrap();
    assert_eq!(flash.level, FlashLevel::Error);
    assert_eq!(
        flash.text,
        "restore on apim-contoso-neu failed: RestoreFailed: Cannot restore: backup expired"
    );
}

#[test]
fn the_estimate_comes_from_history_preferring_the_same_target() {
    let (mut state, _) = with_restore();
    let target: ServiceId = state.operations[0].service.clone().unwrap();
    let other: ServiceId = format!(
        "/subscriptions/{DEV}/resourceGroups/rg-apim-dev/providers/Microsoft.ApiManagement/service/apim-contoso-stage-eus"
    )
    .parse()
    .unwrap();
    let past = |service: &ServiceId, mins: u64| PastOperation {
        kind: OperationKind::Restore,
        service: service.clone(),
        duration: StdDuration::from_secs(mins * 60),
        succeeded: true,
        tier: None,
    };
    run(
        &mut state,
        [Action::HistoryLoaded(vec![
            past(&target, 29),
            past(&target, 31),
            past(&target, 33),
            past(&other, 60),
        ])],
    );
    let e = state.operations[0].estimate(&state.history);
    assert_eq!(e.phrase(), "usually ~31 min");
    assert_eq!(e.basis_text(), "median of 3 past restores of this service");
}

#[test]
fn quit_asks_while_operations_run_and_exits_otherwise() {
    let mut idle = fixtures::loaded(false);
    assert_eq!(run(&mut idle, [Action::Quit]), [Effect::Exit]);

    let (mut state, op) = with_restore();
    assert!(run(&mut state, [Action::Quit]).is_empty());
    assert_eq!(state.overlay, Some(Overlay::Quit { live: 1, queued: 0 }));
    assert!(run(&mut state, [Action::Cancel]).is_empty());
    assert_eq!(state.overlay, None);
    run(&mut state, [Action::Quit]);
    assert_eq!(run(&mut state, [Action::ConfirmQuit]), [Effect::Exit]);

    let (mut state, _) = with_restore();
    run(&mut state, [Action::OpenFilter, Action::Quit]);
    assert_eq!(
        state.overlay,
        Some(Overlay::Quit { live: 1, queued: 0 }),
        "ctrl-c while typing asks too"
    );
    assert!(
        run(&mut state, [Action::Quit]).is_empty(),
        "asking twice changes nothing"
    );
    run(&mut state, [Action::Cancel]);
    assert_eq!(
        run(&mut state, [Action::StopWatchingSelected]),
        [Effect::CancelWatch(op)]
    );
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("continues in Azure")
    );
    assert_eq!(
        run(&mut state, [Action::Quit]),
        [Effect::Exit],
        "nothing watched any more"
    );
}

#[test]
fn unfinished_operations_from_the_journal_are_watched_again_once() {
    let mut state = fixtures::loaded(false);
    let info = OperationInfo {
        id: JournalId("j-9".into()),
        kind: OperationKind::Backup,
        service: format!(
            "/subscriptions/{PROD}/resourceGroups/rg-apim-prod/providers/Microsoft.ApiManagement/service/apim-contoso-weu"
        )
        .parse()
        .unwrap(),
        blob: Some(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T1100Z.apimbackup".parse().unwrap(),
        ),
        creating: None,
        started_at: NOW - Duration::minutes(4),
        correlation_id: None,
        tier: None,
    };
    let found = OperationState::intended(
        info,
        Some(AccessType::AccessKey),
        "https://management.azure.com".into(),
    );
    let effects = run(&mut state, [Action::OperationsFound(vec![found.clone()])]);
    assert_eq!(
        effects,
        [Effect::ResumeWatch {
            op: OpId(1),
            operation: Box::new(found.clone())
        }]
    );
    assert_eq!(state.operations[0].phase, Phase::Resuming);
    assert!(run(&mut state, [Action::OperationsFound(vec![found])]).is_empty());
    assert_eq!(state.live_operations(), 1);
}

#[test]
fn the_busy_target_is_refused_while_a_restore_runs_into_it() {
    let (mut state, _) = with_restore();
    run(&mut state, [Action::Jump(Screen::Estate)]);
    run(&mut state, [Action::StartFailover, Action::Submit]);
    let Some(crate::app::state::Wizard::Failover(w)) = &state.wizard else {
        panic!()
    };
    let regions = crate::app::failover::region_rows(&state, w);
    let neu = regions.iter().find(|r| r.name == "North Europe").unwrap();
    assert_eq!(neu.eligible, 0);
}

#[test]
fn v_opens_the_report_of_a_finished_operation_only_and_esc_closes_it() {
    let (mut state, op) = with_restore();
    run(&mut state, [Action::Jump(Screen::Operations)]);
    assert!(
        run(&mut state, [Action::ShowReportSelected]).is_empty(),
        "not ended"
    );
    assert!(state.overlay.is_none());
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("once the operation has ended")
    );
    let id = JournalId("20261126T120000Z-x".into());
    state.operations[0].journal_id = Some(id.clone());
    run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    );
    let effects = run(&mut state, [Action::ShowReportSelected]);
    assert_eq!(effects, vec![Effect::BuildReport { id: id.clone() }]);
    run(
        &mut state,
        [Action::ReportBuilt {
            id: JournalId("another".into()),
            result: Ok("# other".into()),
        }],
    );
    assert!(
        matches!(
            &state.overlay,
            Some(Overlay::Report {
                text: Loadable::Loading { .. },
                ..
            })
        ),
        "another report's answer is not this one"
    );
    run(
        &mut state,
        [
            Action::ReportBuilt {
                id,
                result: Ok("# restore report".into()),
            },
            Action::MoveDown,
        ],
    );
    assert!(matches!(
        &state.overlay,
        Some(Overlay::Report { text: Loadable::Loaded(md), scroll: 1, .. }) if md == "# restore report"
    ));
    run(&mut state, [Action::Back]);
    assert!(state.overlay.is_none());
}
