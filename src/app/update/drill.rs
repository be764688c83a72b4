//! The drill dialog (`D` on a service): pick the standby (`↑`/`↓`), type its name (a paste is
//! refused), `enter` starts the backup; when it succeeds the restore's pre-flight runs
//! (`Effect::RunPreflight`), and when that allows it the restore starts into the standby;
//! its verification and end close the drill. Each step is an operation of its own. Esc
//! closes the dialog while the drill goes on (`D` shows it again). Read-only mode refuses it.

use crate::app::action::Action;
use crate::app::catalog::access_for;
use crate::app::drill::{Drill, DrillStage, is_drill_op, plan};
use crate::app::effect::Effect;
use crate::app::estate::selected_service;
use crate::app::failover::busy_locally;
use crate::app::operation::{OpId, OperationView};
use crate::app::state::{AppState, FlashLevel, Overlay, Screen};
use crate::domain::backup::default_blob_name;
use crate::domain::error::UserError;
use crate::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use crate::domain::operation::{BackupPlan, OperationKind, Outcome, RestorePlan};
use crate::domain::preflight::PreflightReport;
use crate::domain::progress::ProgressUpdate;
use crate::domain::verification::summary;

/// `D`: shows the drill under way, or opens one for the selected service.
pub(super) fn start(state: &mut AppState) -> Vec<Effect> {
    if state.drill.is_some() {
        state.overlay = Some(Overlay::Drill);
        return Vec::new();
    }
    if state.read_only {
        state.flash(
            FlashLevel::Warn,
            "read-only mode: a drill backs up and restores, and is disabled (start apim-dr \
             without --read-only)",
        );
        return Vec::new();
    }
    let Some(source) = selected_service(state).cloned() else {
        state.flash(FlashLevel::Info, "select the service to drill first");
        return Vec::new();
    };
    match plan(state, &source, state.now) {
        Ok(d) => {
            state.drill = Some(Box::new(d));
            state.overlay = Some(Overlay::Drill);
        }
        Err(why) => state.flash(FlashLevel::Warn, why),
    }
    Vec::new()
}

/// An action while the dialog is open (its overlay was taken out; put back unless closed).
pub(super) fn handle(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let Some(mut d) = state.drill.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    let picking = d.picking();
    let last = d.targets.len().saturating_sub(1);
    match action {
        Action::Back | Action::Cancel if picking || d.ended() => return Vec::new(),
        Action::Back | Action::Cancel => {
            state.flash(
                FlashLevel::Info,
                "the drill goes on: the Operations screen shows each step, D shows the drill \
                 again",
            );
            state.drill = Some(d);
            return Vec::new();
        }
        Action::MoveDown if picking => {
            d.cursor = (d.cursor + 1).min(last);
            d.typed.clear();
        }
        Action::MoveUp if picking => {
            d.cursor = d.cursor.saturating_sub(1);
            d.typed.clear();
        }
        Action::TypeChar(c) if picking => d.typed.push(*c),
        Action::Backspace if picking => {
            d.typed.pop();
        }
        Action::ClearInput if picking => d.typed.clear(),
        Action::PasteRefused => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the standby's name, so a wrong clipboard \
             cannot overwrite another service",
        ),
        Action::Submit if picking => effects = confirm(state, &mut d),
        _ => {}
    }
    state.drill = Some(d);
    state.overlay = Some(Overlay::Drill);
    effects
}

/// Enter: the standby's exact name starts the drill's backup.
fn confirm(state: &mut AppState, d: &mut Drill) -> Vec<Effect> {
    let Some(target) = d.selected().cloned() else {
        return Vec::new();
    };
    if state.read_only {
        state.flash(FlashLevel::Error, "read-only mode: nothing was started");
        return Vec::new();
    }
    if d.typed != target.name {
        state.flash(
            FlashLevel::Error,
            format!(
                "'{}' does not match {}: nothing was started",
                d.typed, target.name
            ),
        );
        return Vec::new();
    }
    if busy_locally(state, &target) || busy_locally(state, &d.source) {
        state.flash(
            FlashLevel::Error,
            "an operation of this process runs on the service or the standby: wait for it",
        );
        return Vec::new();
    }
    let plan = match backup_plan(state, d) {
        Ok(p) => p,
        Err(e) => {
            state.flash(FlashLevel::Error, e.one_line());
            return Vec::new();
        }
    };
    let op = state.allocate_op();
    state.operations.push(OperationView::starting(
        op,
        OperationKind::Backup,
        d.source.name.clone(),
        plan.destination().to_string(),
        Some(plan.service.clone()),
        state.now,
    ));
    d.target = Some(target);
    d.backup_op = Some(op);
    d.backup = Some(plan.destination());
    d.stage = DrillStage::BackingUp(op);
    state.screen = Screen::Operations;
    state.details = false;
    state.flash(
        FlashLevel::Info,
        format!(
            "drill of {} started: the backup first, then the restore",
            d.source.name
        ),
    );
    vec![Effect::StartBackup { op, plan }]
}

/// The drill's backup: a fresh blob where the service's backups are, never over another.
fn backup_plan(state: &AppState, d: &Drill) -> Result<BackupPlan, UserError> {
    let (account, container) = &d.place;
    let name_error = |e: crate::domain::names::NameError| UserError::new(e.to_string());
    Ok(BackupPlan {
        service: ServiceId::parse(&d.source.id()).map_err(name_error)?,
        account: StorageAccountName::parse(account).map_err(name_error)?,
        container: ContainerName::parse(container).map_err(name_error)?,
        blob: BlobName::parse(&default_blob_name(&d.source.name, state.now)).map_err(name_error)?,
        access: access_for(state, account),
        overwrite: false,
    })
}

/// An operation's news: the drill's backup ending starts the restore's pre-flight; its
/// restore's verification and end close the drill.
pub(super) fn progress(state: &mut AppState, op: OpId, update: &ProgressUpdate) -> Vec<Effect> {
    let Some(mut d) = state.drill.take() else {
        return Vec::new();
    };
    if !is_drill_op(&d, op) {
        state.drill = Some(d);
        return Vec::new();
    }
    let mut effects = Vec::new();
    match (update, &d.stage) {
        (ProgressUpdate::Finished(Outcome::Succeeded), DrillStage::BackingUp(_)) => {
            if let Some(plan) = restore_plan(state, &d) {
                let busy = d.target.as_ref().is_some_and(|t| busy_locally(state, t));
                d.stage = DrillStage::Checking(plan.clone());
                effects.push(Effect::RunPreflight {
                    plan,
                    target_busy_locally: busy,
                });
            }
        }
        (ProgressUpdate::Finished(outcome), DrillStage::BackingUp(_)) => {
            stop(
                state,
                &mut d,
                format!("the backup did not succeed: {outcome}"),
            );
        }
        (ProgressUpdate::Verified(v), DrillStage::Restoring(_)) => d.verified = Some(v.clone()),
        (ProgressUpdate::Finished(outcome), DrillStage::Restoring(_)) => {
            let (level, text) = match (outcome, &d.verified) {
                (Outcome::Succeeded, Some(v)) if crate::domain::verification::verified(v) => (
                    FlashLevel::Info,
                    format!("drill ended: restored, {}", summary(v)),
                ),
                (Outcome::Succeeded, Some(v)) => (
                    FlashLevel::Warn,
                    format!("drill ended: restored, {}", summary(v)),
                ),
                (Outcome::Succeeded, None) => (
                    FlashLevel::Warn,
                    "drill ended: restored, not verified".to_owned(),
                ),
                (other, _) => (
                    FlashLevel::Error,
                    format!("drill ended: the restore did not succeed: {other}"),
                ),
            };
            state.flash(level, format!("{text}; v on its restore shows the report"));
            d.stage = DrillStage::Restored(op, outcome.clone());
        }
        _ => {}
    }
    state.drill = Some(d);
    effects
}

/// The restore of the drill's fresh backup into its standby.
fn restore_plan(state: &AppState, d: &Drill) -> Option<RestorePlan> {
    let target = ServiceId::parse(&d.target.as_ref()?.id()).ok()?;
    Some(RestorePlan {
        backup: d.backup.clone()?,
        target,
        access: access_for(state, &d.place.0),
        began: Some(d.began),
    })
}

/// `PreflightDone` for the drill's restore: it starts when the verdict allows it.
pub(super) fn preflight_done(
    state: &mut AppState,
    plan: &RestorePlan,
    result: &Result<Box<PreflightReport>, UserError>,
) -> Vec<Effect> {
    let Some(mut d) = state.drill.take() else {
        return Vec::new();
    };
    if d.stage != DrillStage::Checking(plan.clone()) {
        state.drill = Some(d);
        return Vec::new();
    }
    let effects = match result {
        Ok(report) if report.verdict.allows_restore() => {
            let op = state.allocate_op();
            state.operations.push(OperationView::starting(
                op,
                OperationKind::Restore,
                plan.backup.to_string(),
                plan.target.name.to_string(),
                Some(plan.target.clone()),
                state.now,
            ));
            d.stage = DrillStage::Restoring(op);
            vec![Effect::StartRestore {
                op,
                plan: plan.clone(),
                preflight: report.clone(),
            }]
        }
        Ok(report) => {
            let blockers: Vec<String> = report
                .verdict
                .blockers()
                .map(|c| format!("{}: {}", c.title, c.reason))
                .collect();
            stop(
                state,
                &mut d,
                format!(
                    "the restore's pre-flight blocks it ({})",
                    blockers.join("; ")
                ),
            );
            Vec::new()
        }
        Err(e) => {
            stop(
                state,
                &mut d,
                format!("the restore's pre-flight could not run: {}", e.one_line()),
            );
            Vec::new()
        }
    };
    state.drill = Some(d);
    effects
}

/// After `s`: a drill whose running step is no longer watched cannot go on (its next step
/// would start on an end nobody sees); it stops and says so, the step goes on in Azure.
pub(super) fn unwatched(state: &mut AppState) {
    let Some(mut d) = state.drill.take() else {
        return;
    };
    let step = match d.stage {
        DrillStage::BackingUp(op) => Some((op, "its backup")),
        DrillStage::Restoring(op) => Some((op, "its restore")),
        _ => None,
    };
    if let Some((op, what)) = step
        && state
            .operations
            .iter()
            .any(|o| o.op == op && !o.watching && o.outcome().is_none())
    {
        let fate = state.unwatched_fate();
        stop(
            state,
            &mut d,
            format!("{what} is no longer watched here ({fate}); the drill cannot go on"),
        );
    }
    state.drill = Some(d);
}

fn stop(state: &mut AppState, d: &mut Drill, why: String) {
    state.flash(FlashLevel::Error, format!("drill stopped: {why}"));
    d.stage = DrillStage::Stopped(why);
}
