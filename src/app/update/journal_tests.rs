//! The journal on the Operations screen: every operation listed newest first, `r` reads it
//! again, `w` watches a stopped or unconfirmed one again, `s` and `w` say why when they cannot,
//! Enter opens the details (issue 9, defects 3 and 5).

use time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::{self, NOW, PROD, run, with_restore};
use crate::app::offered::offered;
use crate::app::operation::{OpId, Phase, selected_operation, visible_operations};
use crate::app::state::{AppState, Screen};
use crate::domain::operation::{AccessType, OperationKind, Outcome};
use crate::domain::progress::{JournalId, OperationInfo, ProgressUpdate};
use crate::journal::{OperationHandle, OperationState};

const HERE: &str = "https://management.azure.com";

fn journaled(id: &str, kind: OperationKind, minutes_ago: i64, endpoint: &str) -> OperationState {
    let info = OperationInfo {
        id: JournalId(id.into()),
        kind,
        service: format!(
            "/subscriptions/{PROD}/resourceGroups/rg-apim-prod/providers/Microsoft.ApiManagement/service/apim-contoso-weu"
        )
        .parse()
        .unwrap(),
        blob: Some(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T1100Z.apimbackup"
            .parse()
            .unwrap(),
        ),
        creating: None,
        started_at: NOW - Duration::minutes(minutes_ago),
        correlation_id: None,
        tier: None,
    };
    OperationState::intended(info, Some(AccessType::AccessKey), endpoint.into())
}

fn finished(mut o: OperationState, outcome: Outcome, took_minutes: i64) -> OperationState {
    o.finished_at = Some(o.info.started_at + Duration::minutes(took_minutes));
    o.outcome = Some(outcome);
    o
}

fn accepted(mut o: OperationState) -> OperationState {
    o.handle = Some(OperationHandle {
        request_id: Some("req-1".into()),
        async_operation: None,
        location: Some(format!("{HERE}/op/1")),
        retry_after_secs: None,
    });
    o.last_status = Some("InProgress".into());
    o
}

fn listed(state: &mut AppState, operations: Vec<OperationState>) -> Vec<Effect> {
    run(
        state,
        [Action::JournalListed {
            operations,
            endpoint: HERE.into(),
        }],
    )
}

fn flash(state: &AppState) -> String {
    state
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_whole_journal_is_listed_newest_first_with_duration_and_outcome() {
    let mut state = fixtures::loaded(false);
    let effects = listed(
        &mut state,
        vec![
            finished(
                journaled("j-old", OperationKind::Restore, 3 * 24 * 60, HERE),
                Outcome::Succeeded,
                31,
            ),
            accepted(journaled("j-cli", OperationKind::Backup, 20, HERE)),
            accepted(journaled(
                "j-far",
                OperationKind::Backup,
                90,
                "https://other.example",
            )),
        ],
    );
    assert!(
        effects.is_empty(),
        "listing the journal watches nothing by itself"
    );
    run(&mut state, [Action::Jump(Screen::Operations)]);
    let ops = visible_operations(&state);
    let ids: Vec<&str> = ops
        .iter()
        .map(|o| o.journal_id.as_ref().unwrap().0.as_str())
        .collect();
    assert_eq!(ids, ["j-cli", "j-far", "j-old"], "newest first");
    assert_eq!(ops[2].short_status(NOW), "succeeded");
    assert_eq!(
        ops[2].elapsed(NOW),
        Duration::minutes(31),
        "its duration, not time since"
    );
    assert_eq!(ops[0].short_status(NOW), "not watched");
    assert!(
        ops[1]
            .status_sentence("FATE")
            .contains("https://other.example")
    );

    // Read again later: the CLI finished j-cli meanwhile; nothing is listed twice.
    let done = finished(
        accepted(journaled("j-cli", OperationKind::Backup, 20, HERE)),
        Outcome::Succeeded,
        5,
    );
    listed(&mut state, vec![done]);
    let ops = visible_operations(&state);
    assert_eq!(ops.len(), 3);
    assert_eq!(ops[0].short_status(NOW), "succeeded");
}

#[test]
fn r_on_operations_reads_the_journal_again_and_says_so() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::Jump(Screen::Operations)]);
    assert_eq!(run(&mut state, [Action::Refresh]), [Effect::ReadJournal]);
    assert!(
        flash(&state).contains("reading the journal again"),
        "{}",
        flash(&state)
    );
}

/// A restore started here, journaled as `j-1`.
fn restore_journaled() -> (AppState, OpId) {
    let (mut state, op) = with_restore();
    let info = journaled("j-1", OperationKind::Restore, 0, HERE).info;
    run(&mut state, [Action::OperationStarted { op, info }]);
    (state, op)
}

#[test]
fn w_watches_a_stopped_operation_again() {
    let (mut state, op) = restore_journaled();
    assert!(
        !offered(&state, &Action::WatchAgainSelected),
        "it is watched"
    );
    run(&mut state, [Action::StopWatchingSelected]);
    assert!(offered(&state, &Action::WatchAgainSelected));
    assert!(!offered(&state, &Action::StopWatchingSelected));
    assert_eq!(
        run(&mut state, [Action::WatchAgainSelected]),
        [Effect::WatchAgain {
            op,
            id: JournalId("j-1".into())
        }]
    );
    let view = selected_operation(&state).unwrap();
    assert!(view.is_live());
    assert_eq!(view.phase, Phase::Resuming);
    assert!(
        run(&mut state, [Action::WatchAgainSelected]).is_empty(),
        "not twice"
    );
    assert!(
        flash(&state).contains("already watched"),
        "{}",
        flash(&state)
    );
}

#[test]
fn w_watches_an_unconfirmed_operation_again_and_not_a_finished_one() {
    let (mut state, op) = restore_journaled();
    let reason = "the watcher could not read the result".to_owned();
    run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Unconfirmed { reason }),
        }],
    );
    assert_eq!(
        run(&mut state, [Action::WatchAgainSelected]),
        [Effect::WatchAgain {
            op,
            id: JournalId("j-1".into())
        }]
    );
    run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    );
    assert!(run(&mut state, [Action::WatchAgainSelected]).is_empty());
    assert!(
        flash(&state).contains("nothing left to watch"),
        "{}",
        flash(&state)
    );
}

#[test]
fn s_on_a_finished_operation_says_why_it_does_nothing() {
    let (mut state, op) = restore_journaled();
    run(
        &mut state,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    );
    assert!(run(&mut state, [Action::StopWatchingSelected]).is_empty());
    assert!(
        flash(&state).contains("ended (succeeded): there is nothing to stop"),
        "{}",
        flash(&state)
    );
}

#[test]
fn w_refuses_an_operation_started_against_another_endpoint() {
    let mut state = fixtures::loaded(false);
    listed(
        &mut state,
        vec![accepted(journaled(
            "j-far",
            OperationKind::Backup,
            9,
            "https://other.example",
        ))],
    );
    run(&mut state, [Action::Jump(Screen::Operations)]);
    assert!(!offered(&state, &Action::WatchAgainSelected));
    assert!(run(&mut state, [Action::WatchAgainSelected]).is_empty());
    assert!(
        flash(&state).contains("--arm-endpoint https://other.example"),
        "{}",
        flash(&state)
    );
}

#[test]
fn enter_opens_the_details_and_esc_closes_them() {
    let mut state = fixtures::loaded(false);
    listed(
        &mut state,
        vec![finished(
            journaled("j-old", OperationKind::Restore, 60, HERE),
            Outcome::Succeeded,
            31,
        )],
    );
    run(&mut state, [Action::Jump(Screen::Operations), Action::Open]);
    assert!(state.details);
    run(&mut state, [Action::Back]);
    assert!(!state.details);
    assert_eq!(
        state.screen,
        Screen::Operations,
        "Esc closes the details first"
    );
}

/// Issue 9, defect 2: the demo's emulator ends with it, so stopping a watch there does not
/// promise a watch at next start.
#[test]
fn the_demo_does_not_promise_a_watch_at_next_start() {
    let (mut state, _) = restore_journaled();
    state.starts_over = true;
    run(&mut state, [Action::StopWatchingSelected]);
    let text = flash(&state);
    assert!(text.contains("the demo starts over next time"), "{text}");
    assert!(!text.contains("watched again at next start"), "{text}");
}
