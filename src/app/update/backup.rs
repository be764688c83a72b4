//! The backup wizard: storage account → container (or a new one) → blob name → review. Enter on
//! the review returns `StartBackup`; an existing blob of the same name is warned about there.

use super::{navigation, operations};
use crate::app::action::Action;
use crate::app::backup_wizard::{
    BackupStep, BackupWizard, account_rows, blob_exists, container_rows,
};
use crate::app::effect::Effect;
use crate::app::estate;
use crate::app::operation::OperationView;
use crate::app::state::{AppState, FlashLevel, Overlay, Pane, Screen, Wizard};
use crate::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use crate::domain::operation::{BackupPlan, OperationKind};

/// `b`: opens the wizard for the selected service when its tier can be backed up.
pub(super) fn start(state: &mut AppState) {
    if state.read_only {
        state.flash(
            FlashLevel::Warn,
            "read-only mode: backup is disabled (start apim-dr without --read-only)",
        );
        return;
    }
    if (state.screen, state.focus) != (Screen::Estate, Pane::Services) {
        state.flash(FlashLevel::Info, "select a service to back up");
        return;
    }
    let Some(service) = estate::selected_service(state).cloned() else {
        state.flash(FlashLevel::Info, "select a service to back up");
        return;
    };
    if let Some(why) = estate::backup_refusal(&service) {
        state.flash(
            FlashLevel::Warn,
            format!("{} cannot be backed up: {why}", service.name),
        );
        return;
    }
    let now = state.now;
    state.wizard = Some(Wizard::Backup(Box::new(BackupWizard::new(service, now))));
}

fn wizard(state: &mut AppState) -> Option<&mut BackupWizard> {
    match &mut state.wizard {
        Some(Wizard::Backup(w)) => Some(&mut **w),
        _ => None,
    }
}

/// Handles an action while the backup wizard is open.
pub(super) fn handle(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let page = state.page_size();
    let Some(Wizard::Backup(w)) = &state.wizard else {
        return Vec::new();
    };
    let step = w.step;
    let len = match step {
        BackupStep::Account => account_rows(state).len(),
        BackupStep::Container => container_rows(state, w).len() + 1,
        _ => 0,
    };
    let Some(w) = wizard(state) else {
        return Vec::new();
    };
    match action {
        Action::MoveUp
        | Action::MoveDown
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::SelectRow(_) => match step {
            BackupStep::Account => navigation::step(&mut w.account_cursor, len, action, page),
            BackupStep::Container => navigation::step(&mut w.container_cursor, len, action, page),
            _ => {}
        },
        Action::TypeChar(c) => match step {
            BackupStep::NewContainer => w.new_container.push(*c),
            BackupStep::Name => w.blob.push(*c),
            _ => {}
        },
        Action::Backspace => {
            match step {
                BackupStep::NewContainer => w.new_container.pop(),
                BackupStep::Name => w.blob.pop(),
                _ => None,
            };
        }
        Action::ClearInput => match step {
            BackupStep::NewContainer => w.new_container.clear(),
            BackupStep::Name => w.blob.clear(),
            _ => {}
        },
        Action::Back | Action::Cancel => match step {
            BackupStep::Account => state.wizard = None,
            BackupStep::Container => w.step = BackupStep::Account,
            BackupStep::NewContainer | BackupStep::Name => w.step = BackupStep::Container,
            BackupStep::Review => w.step = BackupStep::Name,
        },
        Action::OpenHelp => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Submit => return submit(state, step),
        _ => {}
    }
    Vec::new()
}

fn submit(state: &mut AppState, step: BackupStep) -> Vec<Effect> {
    let Some(Wizard::Backup(w)) = &state.wizard else {
        return Vec::new();
    };
    match step {
        BackupStep::Account => {
            let Some(account) = account_rows(state)
                .get(w.account_cursor)
                .map(|a| (*a).clone())
            else {
                state.flash(FlashLevel::Info, "no storage account loaded yet");
                return Vec::new();
            };
            if let Some(w) = wizard(state) {
                if w.account.as_ref().map(|a| &a.name) != Some(&account.name) {
                    w.container_cursor = 0;
                    w.container = None;
                }
                w.account = Some(account);
                w.step = BackupStep::Container;
            }
        }
        BackupStep::Container => {
            let picked = container_rows(state, w)
                .get(w.container_cursor)
                .map(|c| c.container.clone());
            if let Some(w) = wizard(state) {
                match picked {
                    Some(name) => {
                        w.container = Some(name);
                        w.step = BackupStep::Name;
                    }
                    None => w.step = BackupStep::NewContainer,
                }
            }
        }
        BackupStep::NewContainer => match ContainerName::parse(w.new_container.trim()) {
            Ok(name) => {
                if let Some(w) = wizard(state) {
                    w.container = Some(name.to_string());
                    w.step = BackupStep::Name;
                }
            }
            Err(e) => state.flash(FlashLevel::Error, e.to_string()),
        },
        BackupStep::Name => match BlobName::parse(&w.blob) {
            Ok(_) => {
                if let Some(w) = wizard(state) {
                    w.step = BackupStep::Review;
                }
            }
            Err(e) => state.flash(FlashLevel::Error, e.to_string()),
        },
        BackupStep::Review => return start_backup(state),
    }
    Vec::new()
}

fn start_backup(state: &mut AppState) -> Vec<Effect> {
    if state.read_only {
        state.flash(FlashLevel::Error, "read-only mode: nothing was started");
        return Vec::new();
    }
    let Some(Wizard::Backup(w)) = &state.wizard else {
        return Vec::new();
    };
    let overwrites = blob_exists(state, w);
    let plan = (|| {
        Ok::<_, crate::domain::names::NameError>(BackupPlan {
            service: ServiceId::parse(&w.service.id)?,
            account: StorageAccountName::parse(
                &w.account
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            )?,
            container: ContainerName::parse(w.container.as_deref().unwrap_or_default())?,
            blob: BlobName::parse(&w.blob)?,
            access: crate::app::catalog::access_for(
                state,
                w.account.as_ref().map_or("", |a| a.name.as_str()),
            ),
            // Pre-flight refuses to overwrite an existing blob: the wizard never asks to.
            overwrite: false,
        })
    })();
    let plan = match plan {
        Ok(plan) => plan,
        Err(e) => {
            state.flash(FlashLevel::Error, e.to_string());
            return Vec::new();
        }
    };
    let service_name = w.service.name.clone();
    let op = state.allocate_op();
    let view = OperationView::starting(
        op,
        OperationKind::Backup,
        service_name.clone(),
        plan.destination().to_string(),
        Some(plan.service.clone()),
        state.now,
    );
    operations::show_started(state, view);
    let note = if overwrites {
        " (overwriting the existing blob)"
    } else {
        ""
    };
    state.flash(
        FlashLevel::Info,
        format!("backup of {service_name} started{note}"),
    );
    vec![Effect::StartBackup { op, plan }]
}
