//! Sorting the tables by a column (k9s-style shift keys, again to reverse) and hiding expired
//! backups with `x`; the cursor stays on its row.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::app::catalog::{selected_backup, visible_backups};
use crate::app::estate::{selected_service, visible_services};
use crate::app::fixtures::{self, run};
use crate::app::sort::SortKey;
use crate::app::state::{AppState, Screen};

fn key(state: &AppState, c: char) -> Action {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    state
        .resolve_key(KeyEvent::new(KeyCode::Char(c), modifiers))
        .unwrap()
}

fn names(state: &AppState) -> Vec<String> {
    visible_services(state)
        .iter()
        .map(|r| r.service.name.clone())
        .collect()
}

#[test]
fn shift_t_sorts_services_by_tier_and_again_reverses_keeping_the_cursor() {
    let mut state = fixtures::loaded(false);
    assert_eq!(key(&state, 'T'), Action::SortBy(SortKey::Tier));
    let by_name = names(&state);
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted, "by name at first");
    run(&mut state, [Action::MoveDown]);
    let selected = selected_service(&state).unwrap().name.clone();
    let a = key(&state, 'T');
    run(&mut state, [a]);
    let tiers: Vec<String> = visible_services(&state)
        .iter()
        .map(|r| r.service.sku.to_string().to_lowercase())
        .collect();
    let mut ordered = tiers.clone();
    ordered.sort();
    assert_eq!(tiers, ordered);
    assert_eq!(
        selected_service(&state).unwrap().name,
        selected,
        "the cursor follows its row"
    );
    let a = key(&state, 'T');
    run(&mut state, [a]);
    ordered.reverse();
    let reversed: Vec<String> = visible_services(&state)
        .iter()
        .map(|r| r.service.sku.to_string().to_lowercase())
        .collect();
    assert_eq!(reversed, ordered);
}

#[test]
fn x_hides_and_shows_expired_backups() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::Jump(Screen::Backups)]);
    assert_eq!(key(&state, 'x'), Action::ToggleExpired);
    let all = visible_backups(&state).len();
    assert!(
        visible_backups(&state)
            .iter()
            .any(|b| b.is_expired(state.now))
    );
    let selected = selected_backup(&state).unwrap().display_ref();
    run(&mut state, [Action::ToggleExpired]);
    assert!(
        !visible_backups(&state)
            .iter()
            .any(|b| b.is_expired(state.now))
    );
    assert!(visible_backups(&state).len() < all);
    assert_eq!(selected_backup(&state).unwrap().display_ref(), selected);
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .starts_with("expired backups hidden")
    );
    run(&mut state, [Action::ToggleExpired]);
    assert_eq!(visible_backups(&state).len(), all);
}

#[test]
fn shift_s_sorts_backups_by_size_within_their_group() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::Jump(Screen::Backups)]);
    let a = key(&state, 'S');
    run(&mut state, [a]);
    let rows = visible_backups(&state);
    for pair in rows.windows(2) {
        if (&pair[0].account, &pair[0].container) == (&pair[1].account, &pair[1].container) {
            assert!(pair[0].size_bytes >= pair[1].size_bytes);
        }
    }
}
