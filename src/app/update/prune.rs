//! The prune dialog: `p` on Backups (or `:prune`) lists the expired backups loaded, the
//! operator types `delete N` (N the count shown; a paste is refused), each account's blobs
//! are deleted through the engine, each blob's result is shown, and the accounts' backups are
//! loaded again. Read-only mode refuses it.

use std::collections::BTreeMap;

use super::inventory::{fetch_backups, known_accounts};
use super::navigation;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::prune::{PruneDialog, PruneStatus, plan};
use crate::app::state::{AppState, FlashLevel, Overlay, Screen};
use crate::domain::error::UserError;
use crate::engine::prune::BlobToDelete;

/// `p` / `:prune`: opens the dialog over the Backups screen, or says why not.
pub(super) fn start(state: &mut AppState) -> Vec<Effect> {
    if state.read_only {
        state.flash(
            FlashLevel::Warn,
            "read-only mode: prune deletes blobs and is disabled (start apim-dr without \
             --read-only)",
        );
        return Vec::new();
    }
    navigation::go(state, Screen::Backups);
    let dialog = plan(state);
    if dialog.rows.is_empty() {
        let text = if dialog.complete {
            "no expired backups: nothing to prune"
        } else {
            "no expired backups among those loaded so far (some listings load or failed: \
             press r, then p again)"
        };
        state.flash(FlashLevel::Info, text);
        return Vec::new();
    }
    state.overlay = Some(Overlay::Prune(Box::new(dialog)));
    Vec::new()
}

/// An action while the dialog is open (it was taken out of the state; put back unless closed).
pub(super) fn handle(state: &mut AppState, mut d: PruneDialog, action: &Action) -> Vec<Effect> {
    let started = d.started();
    match action {
        Action::MoveDown => d.scroll = d.scroll.saturating_add(1),
        Action::MoveUp => d.scroll = d.scroll.saturating_sub(1),
        Action::Back | Action::Cancel if d.running() => state.flash(
            FlashLevel::Info,
            "the deletes are on their way: the dialog closes once each has answered",
        ),
        Action::Back | Action::Cancel => return Vec::new(),
        Action::TypeChar(c) if !started => d.typed.push(*c),
        Action::Backspace if !started => {
            d.typed.pop();
        }
        Action::ClearInput if !started => d.typed.clear(),
        Action::PasteRefused => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the words, so a wrong clipboard cannot \
             delete backups",
        ),
        Action::Submit if !started => return confirm(state, d),
        _ => {}
    }
    state.overlay = Some(Overlay::Prune(Box::new(d)));
    Vec::new()
}

/// Enter: the exact words start one delete effect per storage account.
fn confirm(state: &mut AppState, mut d: PruneDialog) -> Vec<Effect> {
    let words = d.confirm_words();
    if state.read_only || d.typed != words {
        let text = if state.read_only {
            "read-only mode: nothing was deleted".to_owned()
        } else {
            format!("'{}' is not '{words}': nothing was deleted", d.typed)
        };
        state.flash(FlashLevel::Error, text);
        state.overlay = Some(Overlay::Prune(Box::new(d)));
        return Vec::new();
    }
    let accounts = known_accounts(state);
    let mut by_account: BTreeMap<String, Vec<BlobToDelete>> = BTreeMap::new();
    for row in &mut d.rows {
        let e = &row.entry;
        if accounts.iter().any(|a| a.name == e.account) {
            row.status = PruneStatus::Deleting;
            by_account
                .entry(e.account.to_string())
                .or_default()
                .push(BlobToDelete {
                    container: e.container.to_string(),
                    name: e.name.clone(),
                });
        } else {
            row.status = PruneStatus::Failed(UserError::new(format!(
                "storage account {} is no longer listed: not deleted",
                e.account
            )));
        }
    }
    let effects: Vec<Effect> = by_account
        .into_iter()
        .filter_map(|(name, blobs)| {
            let account = accounts.iter().find(|a| a.name == name)?.clone();
            Some(Effect::DeleteBackups { account, blobs })
        })
        .collect();
    state.overlay = Some(Overlay::Prune(Box::new(d)));
    if effects.is_empty() {
        finished(state);
    }
    effects
}

/// `BackupsDeleted`: each blob's result in the dialog; once every delete has answered, the
/// tally in the flash line and the backups loaded again.
pub(super) fn deleted(
    state: &mut AppState,
    account: &str,
    results: Vec<(BlobToDelete, Result<(), UserError>)>,
) -> Vec<Effect> {
    let reload: Vec<String> = if let Some(Overlay::Prune(d)) = &mut state.overlay {
        for (blob, result) in results {
            if let Some(row) = d.rows.iter_mut().find(|r| {
                r.entry.account == account
                    && r.entry.container == blob.container
                    && r.entry.name == blob.name
            }) {
                row.status = match result {
                    Ok(()) => PruneStatus::Deleted,
                    Err(e) => PruneStatus::Failed(e),
                };
            }
        }
        if d.running() {
            return Vec::new();
        }
        let reload = d.rows.iter().map(|r| r.entry.account.to_string()).collect();
        finished(state);
        reload
    } else {
        // The dialog went (quit asked meanwhile): the flash says what this account's answer was.
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        let level = if failed > 0 {
            FlashLevel::Error
        } else {
            FlashLevel::Info
        };
        state.flash(
            level,
            format!(
                "prune in {account}: {} deleted, {failed} failed",
                results.len() - failed
            ),
        );
        vec![account.to_owned()]
    };
    let accounts = known_accounts(state);
    accounts
        .iter()
        .filter(|a| reload.contains(&a.name))
        .filter_map(|a| fetch_backups(state, a))
        .collect()
}

/// The tally, once every delete has answered.
fn finished(state: &mut AppState) {
    let Some(Overlay::Prune(d)) = &state.overlay else {
        return;
    };
    let (deleted, failed) = d.tally();
    if failed == 0 {
        state.flash(
            FlashLevel::Info,
            format!("{deleted} expired backup(s) deleted; the backups are loaded again"),
        );
    } else {
        state.flash(
            FlashLevel::Error,
            format!("{deleted} deleted, {failed} not deleted: the dialog says why"),
        );
    }
}
