//! Keys that do what the screen offers (issue 9, defects 8 and 16): `:` completes with Tab and
//! accepts a unique prefix; `f` and `b` are offered only where they can start something, and
//! in read-only mode a press says why; `q` quits from inside a wizard.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::app::catalog::selected_backup;
use crate::app::effect::Effect;
use crate::app::estate::{backup_refusal, selected_service, visible_services};
use crate::app::failover::source_refusal;
use crate::app::fixtures::{self, run};
use crate::app::offered::offered;
use crate::app::state::{AppState, Overlay, Screen};

fn press(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn footer_has(state: &AppState, desc: &str) -> bool {
    state
        .keymap
        .hints_where(state.key_context(), |a| offered(state, a))
        .iter()
        .any(|h| h.desc == desc)
}

#[test]
fn colon_enter_accepts_a_unique_prefix_and_tab_completes() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::OpenCommand]);
    run(&mut state, "ba".chars().map(Action::TypeChar));
    run(&mut state, [Action::Submit]);
    assert_eq!(state.screen, Screen::Backups, "{:?}", state.flash);

    run(&mut state, [Action::OpenCommand, Action::TypeChar('o')]);
    let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
    let action = state.resolve_key(tab).unwrap();
    assert_eq!(action, Action::Complete);
    run(&mut state, [action]);
    assert_eq!(state.overlay, Some(Overlay::Command { text: "ops".into() }));
}

#[test]
fn f_and_b_are_offered_only_on_services_that_can_take_them() {
    let mut state = fixtures::loaded(false);
    let (mut refused, mut allowed) = (0, 0);
    for sub in 0..fixtures::subscriptions().len() {
        state.cursors.subscriptions = sub;
        for row in 0..visible_services(&state).len() {
            state.cursors.services = row;
            let service = selected_service(&state).cloned().unwrap();
            let can_back_up = backup_refusal(&service).is_none();
            assert_eq!(
                footer_has(&state, "backup"),
                can_back_up,
                "{}",
                service.name
            );
            if can_back_up {
                allowed += 1;
                continue;
            }
            refused += 1;
            assert!(run(&mut state, [Action::StartBackup]).is_empty());
            assert!(state.wizard.is_none());
            let text = &state.flash.as_ref().unwrap().text;
            assert!(text.contains("cannot be backed up"), "{text}");
        }
    }
    assert!(refused > 0 && allowed > 0, "the demo world has both kinds");

    run(&mut state, [Action::Jump(Screen::Backups)]);
    state.cursors.backups = 0;
    let expired = (0..navigation_len(&state)).find(|&i| {
        state.cursors.backups = i;
        selected_backup(&state).is_some_and(|b| source_refusal(b, &state).is_some())
    });
    assert!(expired.is_some(), "the demo world has an expired backup");
    assert!(
        !footer_has(&state, "restore this"),
        "no f on an expired blob"
    );
}

fn navigation_len(state: &AppState) -> usize {
    crate::app::catalog::visible_backups(state).len()
}

#[test]
fn read_only_answers_f_and_b_with_why() {
    let mut state = fixtures::loaded(true);
    for c in ['f', 'b'] {
        let action = state.resolve_key(press(c)).expect("the press is answered");
        state.flash = None;
        assert!(run(&mut state, [action]).is_empty());
        let text = state.flash.as_ref().unwrap().text.clone();
        assert!(text.starts_with("read-only mode"), "{text}");
        assert!(!footer_has(&state, "failover") && !footer_has(&state, "backup"));
    }
}

#[test]
fn q_quits_from_inside_the_wizards() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartFailover]);
    assert!(state.wizard.is_some());
    let action = state.resolve_key(press('q'));
    assert_eq!(action, Some(Action::Quit));
    assert_eq!(run(&mut state, [Action::Quit]), [Effect::Exit]);

    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartBackup]);
    assert!(state.wizard.is_some(), "{:?}", state.flash);
    assert_eq!(state.resolve_key(press('q')), Some(Action::Quit));
}
