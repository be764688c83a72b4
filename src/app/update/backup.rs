//! The backup wizard: storage account → container (or a new one) → blob name → review. Enter on
//! the review returns `StartBackup`; an existing blob of the same name is warned about there.

use super::{navigation, operations};
use crate::app::action::Action;
use crate::app::backup_wizard::{
    BackupStep, BackupWizard, account_rows, blob_exists, container_rows, usual_place,
};
use crate::app::effect::Effect;
use crate::app::estate;
use crate::app::failover::busy_locally;
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::operation::OperationView;
use crate::app::state::{AppState, FlashLevel, Overlay, Pane, Screen, Wizard};
use crate::domain::error::UserError;
use crate::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use crate::domain::operation::{BackupPlan, OperationKind};
use crate::domain::preflight::PreflightReport;

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
    let mut w = BackupWizard::new(service, state.now);
    if let Some((account, _)) = usual_place(state, &w.service) {
        w.account_cursor = account_rows(state)
            .iter()
            .position(|a| a.name == account)
            .unwrap_or(0);
    }
    state.wizard = Some(Wizard::Backup(Box::new(w)));
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
            BackupStep::Review => {
                let checks = match &w.preflight {
                    Loadable::Loaded(r) => r.verdict.checks.len(),
                    _ => 0,
                };
                navigation::step(&mut w.preflight_scroll, checks, action, page);
            }
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
            // The container that already holds this service's backups, in the chosen account.
            let usual_container = usual_place(state, &w.service)
                .filter(|(a, _)| *a == account.name)
                .and_then(|(_, container)| {
                    state
                        .backups
                        .get(&account.name)
                        .and_then(|l| l.rows())?
                        .iter()
                        .position(|c| c.container == container)
                });
            if let Some(w) = wizard(state) {
                if w.account.as_ref().map(|a| &a.name) != Some(&account.name) {
                    w.container_cursor = 0;
                    w.container = None;
                }
                if let Some(i) = usual_container {
                    w.container_cursor = i;
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
        BackupStep::Name => match plan_of(state, w) {
            Ok(plan) => return review(state, plan),
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
    let refusal = match &w.preflight {
        Loadable::Loaded(r) if r.verdict.allows_restore() => None,
        Loadable::Loaded(r) => Some(format!(
            "cannot start: pre-flight found {} blocking problem(s); {} to change the account, container or name",
            r.verdict.blockers().count(),
            state
                .keymap
                .key_for(KeyContext::BackupWizard, &Action::Back)
                .unwrap_or_else(|| "esc".into())
        )),
        Loadable::Loading { .. } => Some(STILL_RUNNING.to_owned()),
        Loadable::Failed(e) => Some(format!("pre-flight could not run: {}", e.summary)),
        Loadable::NotRequested => Some("pre-flight has not run".to_owned()),
    };
    if let Some(text) = refusal {
        state.flash(FlashLevel::Error, text);
        return Vec::new();
    }
    let plan = match plan_of(state, w) {
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

/// The backup the wizard describes now.
fn plan_of(
    state: &AppState,
    w: &BackupWizard,
) -> Result<BackupPlan, crate::domain::names::NameError> {
    let account = w.account.as_ref().map_or("", |a| a.name.as_str());
    Ok(BackupPlan {
        service: ServiceId::parse(&w.service.id())?,
        account: StorageAccountName::parse(account)?,
        container: ContainerName::parse(w.container.as_deref().unwrap_or_default())?,
        blob: BlobName::parse(&w.blob)?,
        access: crate::app::catalog::access_for(state, account),
        // Pre-flight refuses to overwrite an existing blob: the wizard never asks to.
        overwrite: false,
    })
}

/// Step 3 → 4: the review, and the pre-flight of what it shows.
fn review(state: &mut AppState, plan: BackupPlan) -> Vec<Effect> {
    let now = state.now;
    let busy = match &state.wizard {
        Some(Wizard::Backup(w)) => busy_locally(state, &w.service),
        _ => false,
    };
    let Some(w) = wizard(state) else {
        return Vec::new();
    };
    w.step = BackupStep::Review;
    w.preflight = Loadable::Loading { since: now };
    w.preflight_plan = Some(plan.clone());
    w.preflight_scroll = 0;
    vec![Effect::RunBackupPreflight {
        plan,
        service_busy_locally: busy,
    }]
}

/// A backup pre-flight came back: kept when it is for the plan under review; it replaces a
/// "still running" refusal of this step.
pub(super) fn preflight_done(
    state: &mut AppState,
    plan: &BackupPlan,
    result: Result<Box<PreflightReport>, UserError>,
) {
    if let Some(w) = wizard(state)
        && w.preflight_plan.as_ref() == Some(plan)
    {
        w.preflight = match result {
            Ok(r) => Loadable::Loaded(r),
            Err(e) => Loadable::Failed(e),
        };
        if state
            .flash
            .as_ref()
            .is_some_and(|f| f.text == STILL_RUNNING)
        {
            state.flash = None;
        }
    }
}

const STILL_RUNNING: &str = "pre-flight is still running: wait for it";
