//! The views the state keeps are the rows worked out afresh, whatever the operator did.

use super::*;
use crate::app::action::Action;
use crate::app::fixtures::{self, run};
use crate::app::sort::SortKey;
use crate::app::state::{Pane, Screen};

/// The kept views, read back as rows, equal the rows the rules give now.
fn assert_kept(state: &AppState, when: &str) {
    let kept = state.views.services.as_ref().expect("kept after update");
    assert_eq!(
        kept.inputs,
        services_inputs(state),
        "{when}: services inputs"
    );
    assert_eq!(
        kept.rows,
        ServicesView::of(state, services_inputs(state)).rows,
        "{when}: services"
    );
    let kept = state.views.backups.as_ref().expect("kept after update");
    assert_eq!(kept.inputs, backups_inputs(state), "{when}: backups inputs");
    assert_eq!(kept.rows, catalog::derive_backups(state), "{when}: backups");
    assert_eq!(
        kept.groups,
        catalog::backup_groups(state, &kept.rows),
        "{when}: groups"
    );
}

fn typed(state: &mut AppState, text: &str) {
    run(state, [Action::OpenFilter]);
    for c in text.chars() {
        run(state, [Action::TypeChar(c)]);
        assert_kept(state, &format!("typing {c}"));
    }
    run(state, [Action::Backspace]);
    assert_kept(state, "backspace");
    run(state, [Action::Submit]);
}

#[test]
fn kept_views_follow_loads_filters_sorts_and_the_expired_toggle() {
    let mut state = fixtures::loaded(false);
    assert_kept(&state, "loaded");
    typed(&mut state, "NEU");
    run(&mut state, [Action::SortBy(SortKey::Tier)]);
    assert_kept(&state, "sorted services");
    run(
        &mut state,
        [Action::Focus(Pane::Subscriptions), Action::MoveDown],
    );
    assert_kept(&state, "another subscription");
    run(&mut state, [Action::ToggleAllSubscriptions]);
    assert_kept(&state, "every subscription");
    typed(&mut state, "dr st");
    run(&mut state, [Action::ToggleAllSubscriptions]);
    assert_kept(&state, "one subscription again");
    run(&mut state, [Action::Jump(Screen::Backups)]);
    typed(&mut state, "contoso-w");
    run(
        &mut state,
        [Action::ToggleExpired, Action::SortBy(SortKey::Size)],
    );
    assert_kept(&state, "expired hidden, by size");
    let later = state.now + time::Duration::days(20);
    run(&mut state, [Action::Tick { now: later }]);
    assert_kept(&state, "days later");
    run(&mut state, [Action::Back]);
    assert_kept(&state, "filter cleared");
    for (account, result) in fixtures::backups() {
        run(
            &mut state,
            [Action::BackupsLoaded {
                account,
                result: Ok(result),
            }],
        );
    }
    assert_kept(&state, "loaded again");
}

#[test]
fn each_table_line_is_a_heading_or_a_blob_of_its_group() {
    let state = fixtures::loaded(false);
    let view = backups(&state);
    assert!(view.groups.len() > 1, "the fixture has several containers");
    let mut expected = Vec::new();
    let rows: Vec<&BackupEntry> = (0..view.len())
        .filter_map(|i| view.get(&state, i))
        .collect();
    for &(first, count) in &view.groups {
        expected.push(BackupLine::Group {
            account: &rows[first].account,
            container: &rows[first].container,
            count,
        });
        expected.extend((first..first + count).map(BackupLine::Blob));
    }
    let lines: Vec<_> = (0..view.line_count())
        .map(|l| view.line(&state, l).unwrap())
        .collect();
    assert_eq!(lines, expected);
    assert_eq!(view.line(&state, view.line_count()), None);
    for row in 0..view.len() {
        assert_eq!(lines[view.line_of(row)], BackupLine::Blob(row));
    }
}
