//! What `y` copies (the runtime writes it to the terminal's clipboard with OSC 52): the
//! selected service's resource id, subscription id, backup's blob path, operation's request
//! or correlation id, or in the restore wizard the equivalent `apim-dr restore` command for
//! the choices so far; `Y` there copies the restore's runbook. Never a secret: none of these
//! carry one (the runbook's are shell variables). Pure.

use super::catalog::selected_backup;
use super::estate::{selected_service, selected_subscription};
use super::failover::{FailoverWizard, source_rows, target_rows};
use super::operation::selected_operation;
use super::state::{AppState, Pane, Screen, Wizard};
use crate::domain::backup::BackupEntry;
use crate::domain::runbook::Runbook;

/// Something to copy: what it is (for the flash line) and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// "the resource id of apim-contoso-weu".
    pub what: String,
    /// The text for the clipboard.
    pub text: String,
}

/// What `y` copies here, if anything.
pub fn what_to_copy(state: &AppState) -> Option<Copied> {
    match &state.wizard {
        Some(Wizard::Failover(w)) => return restore_command(state, w),
        Some(Wizard::Backup(_)) => return None,
        None => {}
    }
    let copied = |what: String, text: String| Some(Copied { what, text });
    match (state.screen, state.focus) {
        (Screen::Estate, Pane::Services) => selected_service(state).and_then(|s| {
            copied(
                format!("the resource id of {}", s.name),
                s.id().into_owned(),
            )
        }),
        (Screen::Estate, Pane::Subscriptions) => selected_subscription(state)
            .and_then(|s| copied(format!("the subscription id of {}", s.name), s.id.clone())),
        (Screen::Backups, _) => {
            selected_backup(state).and_then(|b| copied("the blob path".to_owned(), b.display_ref()))
        }
        (Screen::Operations, _) => {
            let op = selected_operation(state)?;
            if let Some(id) = &op.request_id {
                copied("the request id".to_owned(), id.clone())
            } else if let Some(id) = &op.correlation_id {
                copied("the correlation id".to_owned(), id.to_string())
            } else {
                op.journal_id
                    .as_ref()
                    .and_then(|id| copied("the journal id".to_owned(), id.0.clone()))
            }
        }
        _ => None,
    }
}

/// The runbook of the failover wizard's restore (`domain/runbook.rs`, the script `apim-dr
/// runbook` prints for the same plan and endpoint), once its backup and target are picked.
pub fn runbook(state: &AppState) -> Option<Copied> {
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return None;
    };
    let plan = w.plan.as_ref()?;
    let book = Runbook::restore(plan, &state.arm_endpoint, &state.api_version);
    Some(Copied {
        what: format!("the runbook of the restore into {}", plan.target.name),
        text: book.shell(),
    })
}

/// `apim-dr restore --backup REF --target NAME --yes` for the wizard's backup (picked or under
/// the cursor) and target (picked or under the cursor; `SERVICE` until there is one).
fn restore_command(state: &AppState, w: &FailoverWizard) -> Option<Copied> {
    let backup = w
        .source
        .as_ref()
        .map(BackupEntry::display_ref)
        .or_else(|| {
            source_rows(state, w)
                .get(w.source_cursor)
                .map(|r| r.entry.display_ref())
        })?;
    let target = w
        .target
        .as_ref()
        .map(|t| t.name.clone())
        .or_else(|| {
            target_rows(state, w)
                .get(w.target_cursor)
                .filter(|r| r.refusal.is_none())
                .map(|r| r.service.name.clone())
        })
        .unwrap_or_else(|| "SERVICE".to_owned());
    let tier = match w.source.as_ref().map(|b| &b.catalog.source_sku) {
        Some(None) => w
            .target
            .as_ref()
            .map(|t| format!(" --confirm-tier {}", t.sku))
            .unwrap_or_default(),
        _ => String::new(),
    };
    Some(Copied {
        what: "the equivalent restore command".to_owned(),
        text: format!("apim-dr restore --backup {backup} --target {target}{tier} --yes"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Action;
    use crate::app::fixtures::{self, run};

    #[test]
    fn a_service_copies_its_id_and_a_backup_its_path() {
        let mut state = fixtures::loaded(false);
        let c = what_to_copy(&state).unwrap();
        assert_eq!(c.what, "the resource id of apim-contoso-weu");
        assert!(
            c.text
                .ends_with("/providers/Microsoft.ApiManagement/service/apim-contoso-weu")
        );
        run(&mut state, [Action::Jump(Screen::Backups)]);
        let c = what_to_copy(&state).unwrap();
        assert_eq!(c.text, selected_backup(&state).unwrap().display_ref());
    }

    #[test]
    fn y_hands_the_text_to_the_terminal_and_says_what_was_copied() {
        let mut state = fixtures::loaded(false);
        let effects = run(&mut state, [Action::Copy]);
        let id = selected_service(&state).unwrap().id().into_owned();
        assert_eq!(effects, vec![crate::app::effect::Effect::Copy(id)]);
        let flash = &state.flash.as_ref().unwrap().text;
        assert!(
            flash.starts_with("copied the resource id of apim-contoso-weu"),
            "{flash}"
        );
        run(&mut state, [Action::Jump(Screen::Rpo)]);
        assert!(run(&mut state, [Action::Copy]).is_empty());
        assert_eq!(state.flash.as_ref().unwrap().text, "nothing to copy here");
    }

    #[test]
    fn the_wizard_copies_the_restore_command_for_its_choices() {
        let mut state = fixtures::loaded(false);
        fixtures::to_targets(&mut state);
        let c = what_to_copy(&state).unwrap();
        assert_eq!(
            c.text,
            "apim-dr restore --backup stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup --target apim-contoso-neu --yes"
        );
    }

    /// Issue 11: "the TUI can copy it": `Y` in the wizard copies the runbook `apim-dr runbook`
    /// prints for the same plan, once the target is picked; before, it says what is missing.
    #[test]
    fn capital_y_copies_the_runbook_of_the_wizards_restore() {
        let mut state = fixtures::loaded(false);
        let key = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('Y'),
            crossterm::event::KeyModifiers::SHIFT,
        );
        run(&mut state, [Action::StartFailover]);
        assert_eq!(state.resolve_key(key), Some(Action::CopyRunbook));
        assert!(!crate::app::offered::offered(&state, &Action::CopyRunbook));
        assert!(run(&mut state, [Action::CopyRunbook]).is_empty());
        let flash = &state.flash.as_ref().unwrap().text;
        assert!(
            flash.contains("pick the backup and the target first"),
            "{flash}"
        );

        run(&mut state, [Action::Back]);
        let plan = fixtures::to_preflight(&mut state);
        assert!(crate::app::offered::offered(&state, &Action::CopyRunbook));
        let effects = run(&mut state, [Action::CopyRunbook]);
        let want = Runbook::restore(&plan, "https://management.azure.com", "2024-05-01").shell();
        assert_eq!(
            effects,
            vec![crate::app::effect::Effect::Copy(want.clone())]
        );
        assert!(
            want.contains("apim-contoso-neu/restore?api-version=2024-05-01"),
            "{want}"
        );
        assert!(want.contains("$ACCESS_KEY"), "the key is a shell variable");
        let flash = &state.flash.as_ref().unwrap().text;
        assert!(
            flash.starts_with("copied the runbook of the restore into apim-contoso-neu"),
            "{flash}"
        );
    }
}
