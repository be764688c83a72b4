//! The estate screen's snapshots and the keys a click or a row maps to.

use ratatui::style::Color;

use super::super::scenes;
use super::super::test_support::{draw, find, snap};
use super::super::theme::Theme;

#[test]
fn estate_states_are_distinct_screens() {
    snap!("estate_loading", scenes::estate_loading());
    snap!("estate_loaded", scenes::estate_loaded());
    snap!("estate_empty", scenes::estate_empty());
    snap!("estate_failed", scenes::estate_failed());
    snap!("estate_stale_flash", scenes::estate_stale());
    snap!("estate_read_only", scenes::read_only());
    snap!("estate_filtering", scenes::filtering());
}

/// Issue 10: the first frame draws the last session's rows, marked as the cache's and
/// with their age, while the fetch runs.
#[test]
fn the_first_frame_draws_the_cached_inventory_marked_stale() {
    snap!("estate_from_cache", scenes::estate_from_cache());
}

/// Issue 10: every subscription's services at once, with a Subscription column; a
/// subscription still loading is said so, never shown as having no services.
#[test]
fn every_subscription_at_once() {
    snap!(
        "estate_all_subscriptions",
        scenes::estate_all_subscriptions()
    );
    snap!(
        "estate_all_subscriptions_loading",
        scenes::estate_all_subscriptions_loading()
    );
    snap!(
        "estate_all_subscriptions_none_yet",
        scenes::estate_all_subscriptions_none_yet()
    );
}

/// Issue 9, defect 9: on a wide terminal the names get the room, nothing is cut.
#[test]
fn a_wide_estate_shares_the_room() {
    super::super::test_support::snap_at!("estate_loaded", scenes::estate_loaded(), 200, 40);
}

/// Issue 9, defect 9: with `NO_COLOR` an expired newest backup was only bold.
#[test]
fn no_color_marks_an_expired_newest_backup_with_a_symbol() {
    let mut state = scenes::estate_loaded();
    let later = state.now + time::Duration::days(40);
    crate::app::update(&mut state, crate::app::Action::Tick { now: later });
    let terminal = draw(&state, &Theme::no_color(), 80, 24);
    let buf = terminal.backend().buffer();
    let (_, row) = find(buf, "✖ 40d 6h").expect("the expired age, marked");
    let line: String = (0..buf.area.width)
        .map(|x| buf[(x, row)].symbol())
        .collect();
    assert!(line.contains("apim-contoso-weu"), "{line}");
    assert!(find(buf, "Last backup age").is_some());
}

#[test]
fn no_color_uses_only_modifiers() {
    let terminal = draw(&scenes::estate_loaded(), &Theme::no_color(), 80, 24);
    insta::assert_debug_snapshot!("estate_no_color_80x24", terminal.backend().buffer());
    let buf = terminal.backend().buffer();
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

#[test]
fn the_selected_row_is_highlighted_and_dangerous_keys_are_red() {
    let theme = Theme::default_embedded();
    let terminal = draw(&scenes::estate_loaded(), &theme, 80, 24);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "Standard ×2").expect("the selected service is drawn");
    assert_eq!(buf[(x, y)].bg, Color::Cyan, "selected row highlighted");
    let (x, y) = find(buf, "apim-edge-v2-neu").expect("another service");
    assert_eq!(buf[(x, y)].bg, Color::Reset, "other rows are not");
    let footer = buf.area.height - 1;
    let (x, _) = find(buf, "f failover").expect("failover hint in the footer");
    assert_eq!(buf[(x, footer)].fg, Color::Red, "the dangerous key is red");
    let (x, _) = find(buf, "? help").expect("help hint");
    assert_eq!(buf[(x, footer)].fg, Color::Cyan);
}

#[test]
fn tiny_terminals_do_not_panic() {
    let theme = Theme::default_embedded();
    for state in [
        scenes::estate_loading(),
        scenes::estate_loaded(),
        scenes::estate_failed(),
        scenes::backups(),
        scenes::preflight_block(),
        scenes::confirm_wrong(),
        scenes::backup_step(1),
        scenes::ops_running(),
        scenes::help(),
        scenes::quit(),
    ] {
        for (w, h) in [(20, 5), (1, 1), (0, 0), (80, 3), (3, 40)] {
            draw(&state, &theme, w, h);
        }
    }
    let mut long = scenes::confirm_empty();
    for _ in 0..70_000 {
        crate::app::update::update(&mut long, crate::app::Action::TypeChar('x'));
    }
    for (w, h) in [(80, 24), (20, 5)] {
        draw(&long, &theme, w, h);
    }
}
