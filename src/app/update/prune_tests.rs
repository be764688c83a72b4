//! The prune dialog (issue 11, "everything here is in the TUI"): `p` lists the expired
//! backups, only the exact words delete them (a paste is refused), each blob's result is kept,
//! the backups are loaded again, and read-only mode refuses it.

use crate::app::action::Action;
use crate::app::colon::{ColonCommand, parse};
use crate::app::effect::Effect;
use crate::app::fixtures::{self, run};
use crate::app::keymap::KeyContext;
use crate::app::prune::PruneStatus;
use crate::app::state::{AppState, Overlay, Screen};
use crate::domain::error::UserError;

fn typed(s: &mut AppState, text: &str) -> Vec<Effect> {
    run(s, text.chars().map(Action::TypeChar))
}

fn dialog(s: &AppState) -> &crate::app::prune::PruneDialog {
    match &s.overlay {
        Some(Overlay::Prune(d)) => d,
        other => unreachable!("the prune dialog is open: {other:?}"),
    }
}

#[test]
fn only_the_typed_words_delete_and_each_result_is_shown() {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Backups), Action::StartPrune]);
    assert_eq!(s.key_context(), KeyContext::Prune);
    assert_eq!(dialog(&s).rows.len(), 1);

    // A paste is refused; a wrong word deletes nothing.
    assert!(run(&mut s, [Action::PasteRefused]).is_empty());
    assert!(s.flash.as_ref().unwrap().text.contains("pasted text"));
    typed(&mut s, "delete 2");
    assert!(run(&mut s, [Action::Submit]).is_empty());
    let flash = &s.flash.as_ref().unwrap().text;
    assert!(flash.contains("nothing was deleted"), "{flash}");

    run(&mut s, [Action::ClearInput]);
    typed(&mut s, "delete 1");
    let effects = run(&mut s, [Action::Submit]);
    let [Effect::DeleteBackups { account, blobs }] = effects.as_slice() else {
        unreachable!("one delete for the one account: {effects:?}")
    };
    assert_eq!(account.name, "stcontosodrneu");
    assert_eq!(blobs[0].name, "apim-contoso-weu/20261021T0600Z.apimbackup");
    assert_eq!(dialog(&s).rows[0].status, PruneStatus::Deleting);
    // The dialog stays while the delete is on its way.
    run(&mut s, [Action::Cancel]);
    assert!(matches!(s.overlay, Some(Overlay::Prune(_))));

    let effects = run(
        &mut s,
        [Action::BackupsDeleted {
            account: account.name.clone(),
            results: vec![(blobs[0].clone(), Err(UserError::new("refused by Storage")))],
        }],
    );
    assert!(
        matches!(effects.as_slice(), [Effect::FetchBackups { account }] if account.name == "stcontosodrneu"),
        "the account's backups are loaded again: {effects:?}"
    );
    assert!(matches!(dialog(&s).rows[0].status, PruneStatus::Failed(_)));
    assert_eq!(s.key_context(), KeyContext::Help, "esc closes, j scrolls");
    run(&mut s, [Action::Cancel]);
    assert!(s.overlay.is_none());
}

#[test]
fn prune_is_a_command_and_says_when_nothing_expired() {
    assert_eq!(parse("prune"), Ok(ColonCommand::Prune));
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::OpenCommand]);
    typed(&mut s, "prune");
    run(&mut s, [Action::Submit]);
    assert_eq!(s.screen, Screen::Backups);
    assert!(matches!(s.overlay, Some(Overlay::Prune(_))));

    let mut empty = fixtures::fresh(false);
    run(&mut empty, [Action::StartPrune]);
    assert!(empty.overlay.is_none());
    let flash = &empty.flash.as_ref().unwrap().text;
    assert!(flash.contains("no expired backups"), "{flash}");
}

#[test]
fn read_only_mode_hides_and_refuses_prune() {
    let mut s = fixtures::loaded(true);
    run(&mut s, [Action::Jump(Screen::Backups)]);
    assert!(!s.keymap.offers(KeyContext::Backups, &Action::StartPrune));
    run(&mut s, [Action::StartPrune]);
    assert!(s.overlay.is_none());
    assert!(s.flash.as_ref().unwrap().text.contains("read-only"));
}
