//! Test-only: the prune dialog over the Backups screen, as `p` opens it with the words half
//! typed, and after the delete answered.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::{self, run};
use crate::app::state::{AppState, Screen};
use crate::domain::error::UserError;

fn typed(s: &mut AppState, text: &str) {
    run(s, text.chars().map(Action::TypeChar));
}

/// `p` on Backups, `delete` typed so far.
pub fn prune_typing() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Backups), Action::StartPrune]);
    typed(&mut s, "delete");
    s
}

/// The words typed and Enter pressed; the delete answered with `result`.
fn answered(result: &Result<(), UserError>) -> AppState {
    let mut s = prune_typing();
    typed(&mut s, " 1");
    let effects = run(&mut s, [Action::Submit]);
    let Some(Effect::DeleteBackups { account, blobs }) = effects.into_iter().next() else {
        unreachable!("Enter asks for the delete")
    };
    let results = blobs.into_iter().map(|b| (b, result.clone())).collect();
    run(
        &mut s,
        [Action::BackupsDeleted {
            account: account.name,
            results,
        }],
    );
    s
}

/// The blob deleted.
pub fn prune_deleted() -> AppState {
    answered(&Ok(()))
}

/// The blob's DELETE refused by Storage.
pub fn prune_failed() -> AppState {
    answered(&Err(UserError::new(
        "deleting stcontosodrneu/apim-backups/apim-contoso-weu/20261021T0600Z.apimbackup \
         failed: This request is not authorized to perform this operation.",
    )))
}
