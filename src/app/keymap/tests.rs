//! Keymap tests: the embedded file, resolution, read-only mode, user overrides, help.

use super::*;

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn the_embedded_keymap_parses_and_covers_every_context() {
    let mut map = Keymap::default();
    map.overlay(DEFAULT_KEYMAP, "built-in keymap").unwrap();
    assert_eq!(map, Keymap::default_embedded());
    for ctx in [
        KeyContext::Subscriptions,
        KeyContext::Services,
        KeyContext::Backups,
        KeyContext::Operations,
        KeyContext::Failover,
        KeyContext::Confirm,
        KeyContext::BackupWizard,
        KeyContext::BackupReview,
        KeyContext::Input,
        KeyContext::Help,
        KeyContext::Quit,
    ] {
        assert!(!map.hints(ctx).is_empty(), "{ctx:?} has no hints");
    }
}

#[test]
fn resolves_screen_keys_and_text_entry() {
    let map = Keymap::default_embedded();
    assert_eq!(
        map.resolve(KeyContext::Services, press(KeyCode::Char('f'))),
        Some(Action::StartFailover)
    );
    assert_eq!(
        map.resolve(KeyContext::Services, press(KeyCode::Char('j'))),
        Some(Action::MoveDown)
    );
    assert_eq!(
        map.resolve(KeyContext::Confirm, press(KeyCode::Char('q'))),
        Some(Action::TypeChar('q'))
    );
    assert_eq!(
        map.resolve(KeyContext::Confirm, press(KeyCode::Enter)),
        Some(Action::Submit)
    );
    assert_eq!(
        map.resolve(KeyContext::Input, press(KeyCode::Esc)),
        Some(Action::Cancel)
    );
    assert_eq!(
        map.resolve(KeyContext::Input, press(KeyCode::Backspace)),
        Some(Action::Backspace)
    );
    let mut release = press(KeyCode::Char('f'));
    release.kind = KeyEventKind::Release;
    assert_eq!(map.resolve(KeyContext::Services, release), None);
}

#[test]
fn read_only_hides_dangerous_keys_from_hints_and_help_but_a_press_is_answered() {
    let map = Keymap::default_embedded().without_dangerous();
    // Issue 9, defect 16: the press reaches `update`, which says why nothing happens.
    assert_eq!(
        map.resolve(KeyContext::Services, press(KeyCode::Char('f'))),
        Some(Action::StartFailover)
    );
    assert_eq!(
        map.resolve(KeyContext::Services, press(KeyCode::Char('b'))),
        Some(Action::StartBackup)
    );
    let hints = map.hints(KeyContext::Services);
    assert!(hints.iter().all(|h| !h.dangerous));
    assert!(!hints.iter().any(|h| h.desc.contains("failover")));
    let help = map.help(KeyContext::Services);
    assert!(help.iter().flat_map(|s| &s.entries).all(|h| !h.dangerous));
}

#[test]
fn a_user_file_overrides_single_entries() {
    let user = "[services]\nkeymap = [\n  { on = \"F\", action = \"start_failover\", desc = \"failover\", dangerous = true },\n  { on = \"f\", action = \"none\" },\n]\n";
    let map = Keymap::from_toml(user, "keymap.toml").unwrap();
    assert_eq!(
        map.resolve(KeyContext::Services, press(KeyCode::Char('f'))),
        None
    );
    assert_eq!(
        map.resolve(
            KeyContext::Services,
            KeyEvent::new(KeyCode::Char('F'), KeyModifiers::SHIFT)
        ),
        Some(Action::StartFailover)
    );
    assert_eq!(
        map.resolve(KeyContext::Services, press(KeyCode::Char('b'))),
        Some(Action::StartBackup),
        "entries the user did not touch stay"
    );
    let e = Keymap::from_toml(
        "[services]\nkeymap = [{ on = \"f\", action = \"fly\" }]",
        "u.toml",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("u.toml, line 2: unknown action 'fly'")
    );
}

#[test]
fn help_groups_keys_of_one_action() {
    let map = Keymap::default_embedded();
    let help = map.help(KeyContext::Services);
    let nav = help.iter().find(|s| s.title == "Moving around").unwrap();
    let down = nav.entries.iter().find(|h| h.desc == "down").unwrap();
    assert_eq!(down.keys, "j ↓");
}
