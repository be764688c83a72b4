//! The Backups screen (issue 9, defect 17): the cursor starts on the newest backup Azure would
//! still restore, not on an expired blob of the first account.

use time::macros::datetime;

use crate::app::action::Action;
use crate::app::catalog::{expiry_refusal, newest_first, selected_backup, visible_backups};
use crate::app::fixtures::{self, run};
use crate::app::state::{AppState, Screen};
use crate::domain::inventory::ContainerBackups;

/// The demo world and an archive account, first by name, that holds only an expired backup.
fn with_archive() -> AppState {
    let mut state = fixtures::loaded(false);
    let expired = fixtures::backup(
        "starchive",
        "apim-contoso-weu/20261001T0600Z.apimbackup",
        datetime!(2026-10-01 06:00 UTC),
        None,
    );
    run(
        &mut state,
        [Action::BackupsLoaded {
            account: "starchive".into(),
            result: Ok(vec![ContainerBackups {
                account: "starchive".into(),
                container: "apim-backups".into(),
                backups: vec![expired],
            }]),
        }],
    );
    assert!(
        expiry_refusal(visible_backups(&state)[0], state.now).is_some(),
        "the first row is expired"
    );
    state
}

#[test]
fn arriving_on_backups_selects_the_newest_restorable_backup() {
    let mut state = with_archive();
    let newest = visible_backups(&state)
        .into_iter()
        .filter(|b| expiry_refusal(b, state.now).is_none())
        .min_by(|a, b| newest_first(a, b))
        .unwrap()
        .name
        .clone();
    for arrive in [
        vec![Action::Jump(Screen::Backups)],
        vec![
            Action::OpenCommand,
            Action::TypeChar('b'),
            Action::TypeChar('k'),
            Action::Submit,
        ],
    ] {
        run(&mut state, [Action::Jump(Screen::Estate)]);
        state.cursors.backups = 0;
        run(&mut state, arrive);
        assert_eq!(state.screen, Screen::Backups);
        let selected = selected_backup(&state).unwrap();
        assert_eq!(selected.name, newest);
        assert!(expiry_refusal(selected, state.now).is_none());
    }
}

#[test]
fn enter_on_a_service_selects_its_newest_restorable_backup() {
    let mut state = with_archive();
    // Enter shows the service's details, Enter again its backups.
    run(&mut state, [Action::Open]);
    assert!(state.details);
    assert_eq!(state.screen, Screen::Estate);
    run(&mut state, [Action::Open]);
    assert!(!state.details);
    assert_eq!(state.screen, Screen::Backups);
    let selected = selected_backup(&state).unwrap();
    assert!(
        expiry_refusal(selected, state.now).is_none(),
        "{}",
        selected.name
    );
    let newer_restorable = visible_backups(&state)
        .into_iter()
        .filter(|b| expiry_refusal(b, state.now).is_none())
        .any(|b| newest_first(b, selected).is_lt());
    assert!(!newer_restorable);
}
