//! The failover wizard: backup → region → target → pre-flight → what is not carried → type the
//! target's name. Only the last step, with the exact name and a pre-flight without ✖, returns
//! `StartRestore`; every refusal says why in the flash line and returns nothing.

use super::{inventory, navigation, operations};
use crate::app::action::Action;
use crate::app::catalog;
use crate::app::effect::Effect;
use crate::app::estate;
use crate::app::failover::{
    FailoverStep, FailoverWizard, busy_locally, multi_region_note, region_rows, source_refusal,
    source_rows, standby_ask, target_rows,
};
use crate::app::loadable::Loadable;
use crate::app::operation::OperationView;
use crate::app::pairing;
use crate::app::state::{AppState, FlashLevel, Overlay, Pane, Screen, Wizard};
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::domain::operation::{Began, BeganFrom, OperationKind, RestorePlan};
use crate::domain::preflight::PreflightReport;
use crate::domain::refusal;
use crate::domain::service::ServiceSummary;
use crate::domain::sku::BackupSupport;

/// `f`: opens the wizard from the selected service or backup.
pub(super) fn start(state: &mut AppState) -> Vec<Effect> {
    if state.read_only {
        state.flash(
            FlashLevel::Warn,
            "read-only mode: failover is disabled (start apim-dr without --read-only)",
        );
        return Vec::new();
    }
    match (state.screen, state.focus) {
        (Screen::Estate, Pane::Services) => {
            let Some(origin) = estate::selected_service(state).cloned() else {
                state.flash(FlashLevel::Info, "select a service first");
                return Vec::new();
            };
            if let BackupSupport::Unsupported(_) = origin.sku.backup_support() {
                let why = refusal::tier(&origin.sku).unwrap_or_default();
                state.flash(
                    FlashLevel::Warn,
                    refusal::refused(
                        &format!("{} has no backups to fail over from", origin.name),
                        &why,
                    ),
                );
                return Vec::new();
            }
            state.wizard = Some(Wizard::Failover(Box::new(FailoverWizard::new(
                Some(origin),
                state.now,
            ))));
        }
        (Screen::Backups, _) => {
            let Some(entry) = catalog::selected_backup(state).cloned() else {
                state.flash(FlashLevel::Info, "select a backup first");
                return Vec::new();
            };
            if let Some(why) = source_refusal(&entry, state) {
                state.flash(
                    FlashLevel::Error,
                    refusal::refused(&format!("cannot restore {}", entry.name), &why),
                );
                return Vec::new();
            }
            let mut w = FailoverWizard::new(None, state.now);
            w.source = Some(entry);
            w.step = FailoverStep::Region;
            state.wizard = Some(Wizard::Failover(Box::new(w)));
        }
        _ => state.flash(
            FlashLevel::Info,
            "select a service or a backup to fail over from",
        ),
    }
    let note = match &state.wizard {
        Some(Wizard::Failover(w)) => multi_region_note(state, w),
        _ => None,
    };
    if let Some(note) = note {
        state.flash(FlashLevel::Warn, note);
    }
    Vec::new()
}

fn wizard(state: &mut AppState) -> Option<&mut FailoverWizard> {
    match &mut state.wizard {
        Some(Wizard::Failover(w)) => Some(&mut **w),
        _ => None,
    }
}

/// Handles an action while the failover wizard is open.
pub(super) fn handle(state: &mut AppState, action: &Action) -> Vec<Effect> {
    if let Some(effects) = super::standby::handle(state, action) {
        return effects;
    }
    let Some(w) = wizard(state) else {
        return Vec::new();
    };
    let step = w.step;
    match action {
        Action::MoveUp
        | Action::MoveDown
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::SelectRow(_) => move_cursor(state, action),
        Action::Back | Action::Cancel => back(state),
        Action::TypeChar(c) if step == FailoverStep::Confirm => w.typed.push(*c),
        Action::Backspace if step == FailoverStep::Confirm => {
            w.typed.pop();
        }
        Action::ClearInput if step == FailoverStep::Confirm => w.typed.clear(),
        Action::PasteRefused if step == FailoverStep::Confirm => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the target's name, so a wrong clipboard \
             cannot start a restore",
        ),
        Action::OpenHelp => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Refresh => return refresh(state, step),
        Action::Submit => return submit(state, step),
        _ => {}
    }
    Vec::new()
}

fn move_cursor(state: &mut AppState, action: &Action) {
    let page = state.page_size();
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return;
    };
    let len = match w.step {
        FailoverStep::Source => source_rows(state, w).len(),
        FailoverStep::Region => region_rows(state, w).len(),
        FailoverStep::Target => target_rows(state, w).len(),
        FailoverStep::Preflight => match &w.preflight {
            Loadable::Loaded(r) => r.verdict.checks.len(),
            _ => 0,
        },
        _ => return,
    };
    if let Some(w) = wizard(state) {
        let cursor = match w.step {
            FailoverStep::Source => &mut w.source_cursor,
            FailoverStep::Region => &mut w.region_cursor,
            FailoverStep::Preflight => &mut w.preflight_scroll,
            _ => &mut w.target_cursor,
        };
        navigation::step(cursor, len, action, page);
    }
}

fn back(state: &mut AppState) {
    let Some(w) = wizard(state) else {
        return;
    };
    match w.step.previous() {
        None => state.wizard = None,
        Some(prev) => {
            if w.step == FailoverStep::Preflight {
                w.plan = None;
                w.preflight = Loadable::NotRequested;
            }
            w.typed.clear();
            w.step = prev;
        }
    }
}

fn refresh(state: &mut AppState, step: FailoverStep) -> Vec<Effect> {
    match step {
        FailoverStep::Source => inventory::refresh_backups(state),
        FailoverStep::Region | FailoverStep::Target => inventory::refresh_services(state),
        FailoverStep::Preflight => {
            if let Some(w) = wizard(state)
                && w.preflight_running()
            {
                return Vec::new();
            }
            run_preflight(state).into_iter().collect()
        }
        FailoverStep::Caveats | FailoverStep::Confirm => Vec::new(),
    }
}

fn submit(state: &mut AppState, step: FailoverStep) -> Vec<Effect> {
    match step {
        FailoverStep::Source => pick_source(state),
        FailoverStep::Region => pick_region(state),
        FailoverStep::Target => return pick_target(state),
        FailoverStep::Preflight => leave_preflight(state),
        FailoverStep::Caveats => {
            if let Some(w) = wizard(state) {
                w.typed.clear();
                w.step = FailoverStep::Confirm;
            }
        }
        FailoverStep::Confirm => return confirm(state),
    }
    Vec::new()
}

fn pick_source(state: &mut AppState) {
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return;
    };
    let picked = source_rows(state, w)
        .get(w.source_cursor)
        .map(|r| (r.entry.clone(), r.refusal.clone()));
    match picked {
        None => state.flash(
            FlashLevel::Info,
            "no backups loaded yet: wait for the listing or press r",
        ),
        Some((entry, Some(why))) => state.flash(
            FlashLevel::Error,
            refusal::refused(&format!("cannot restore {}", entry.name), &why),
        ),
        Some((entry, None)) => {
            let Some(w) = wizard(state) else { return };
            let changed = w.source.as_ref() != Some(&entry);
            w.source = Some(entry);
            w.step = FailoverStep::Region;
            if changed {
                // The region list keeps its order and the cursor its place, so the README's
                // first failover keeps its keys; the standby's region is marked instead.
                w.region_cursor = 0;
                w.target_cursor = 0;
            }
        }
    }
}

fn pick_region(state: &mut AppState) {
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return;
    };
    let Some(name) = region_rows(state, w)
        .get(w.region_cursor)
        .map(|r| r.name.clone())
    else {
        state.flash(
            FlashLevel::Info,
            "no services loaded yet: no region to pick",
        );
        return;
    };
    if let Some(w) = wizard(state) {
        let changed = w.region.as_deref() != Some(name.as_str());
        w.region = Some(name);
        w.step = FailoverStep::Target;
        if changed {
            let likely = match &state.wizard {
                Some(Wizard::Failover(w)) => pairing::likely_target(state, w),
                _ => None,
            };
            if let Some(w) = wizard(state) {
                w.target_cursor = likely.unwrap_or(0);
            }
        }
    }
}

fn pick_target(state: &mut AppState) -> Vec<Effect> {
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return Vec::new();
    };
    if let Some(ask) = standby_ask(state, w) {
        // "No service can take it" is only true of a complete estate.
        if !crate::app::estate::services_complete(state) {
            state.flash(
                FlashLevel::Warn,
                "not every subscription's services are listed yet (or a listing failed): a \
                 service in this region may take the backup; wait, or r to refresh, before \
                 creating a standby",
            );
            return Vec::new();
        }
        return super::standby::open(state, ask);
    }
    let picked = target_rows(state, w)
        .get(w.target_cursor)
        .map(|r| (r.service.clone(), r.refusal.clone()));
    let Some((service, refusal)) = picked else {
        state.flash(FlashLevel::Info, "no service in this region");
        return Vec::new();
    };
    if let Some(why) = refusal {
        state.flash(
            FlashLevel::Error,
            refusal::refused(&format!("{} cannot take this backup", service.name), &why),
        );
        return Vec::new();
    }
    choose_target(state, service)
}

/// `service` becomes the target: the restore's plan, then its pre-flight.
pub(super) fn choose_target(state: &mut AppState, service: ServiceSummary) -> Vec<Effect> {
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return Vec::new();
    };
    let Some(source) = &w.source else {
        return Vec::new();
    };
    let plan = match (source.reference(), ServiceId::parse(&service.id())) {
        (Ok(backup), Ok(target)) => RestorePlan {
            backup,
            target,
            access: catalog::access_for(state, &source.account),
            began: Some(Began {
                at: w.began,
                from: BeganFrom::Wizard,
            }),
        },
        (Err(e), _) | (_, Err(e)) => {
            state.flash(FlashLevel::Error, e.to_string());
            return Vec::new();
        }
    };
    if let Some(w) = wizard(state) {
        w.target = Some(service);
        w.plan = Some(plan);
        w.step = FailoverStep::Preflight;
    }
    run_preflight(state).into_iter().collect()
}

fn run_preflight(state: &mut AppState) -> Option<Effect> {
    let now = state.now;
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return None;
    };
    let plan = w.plan.clone()?;
    let busy = w.target.as_ref().is_some_and(|t| busy_locally(state, t));
    let w = wizard(state)?;
    w.preflight = Loadable::Loading { since: now };
    w.preflight_scroll = 0;
    Some(Effect::RunPreflight {
        plan,
        target_busy_locally: busy,
    })
}

fn leave_preflight(state: &mut AppState) {
    let Some(w) = wizard(state) else {
        return;
    };
    let refusal = match &w.preflight {
        Loadable::NotRequested | Loadable::Loading { .. } => {
            Some((FlashLevel::Info, "pre-flight is still running".to_owned()))
        }
        Loadable::Failed(e) => Some((
            FlashLevel::Error,
            format!(
                "pre-flight could not run: {}; press r to retry",
                e.one_line()
            ),
        )),
        Loadable::Loaded(r) if !r.verdict.allows_restore() => Some((
            FlashLevel::Error,
            format!(
                "pre-flight found {} blocking problem(s): the restore cannot start; esc to pick \
                 another target",
                r.verdict.blockers().count()
            ),
        )),
        Loadable::Loaded(_) => None,
    };
    match refusal {
        Some((level, text)) => state.flash(level, text),
        None => w.step = FailoverStep::Caveats,
    }
}

/// Step 6: the typed name must be the target's exact name and the pre-flight must allow it.
fn confirm(state: &mut AppState) -> Vec<Effect> {
    if state.read_only {
        state.flash(FlashLevel::Error, "read-only mode: nothing was started");
        return Vec::new();
    }
    let Some(Wizard::Failover(w)) = &state.wizard else {
        return Vec::new();
    };
    let (Some(plan), Some(target), Some(source)) = (&w.plan, &w.target, &w.source) else {
        return Vec::new();
    };
    let preflight = match &w.preflight {
        Loadable::Loaded(r) if r.verdict.allows_restore() => r.clone(),
        _ => {
            state.flash(
                FlashLevel::Error,
                "the pre-flight does not allow this restore: nothing was started",
            );
            return Vec::new();
        }
    };
    if w.typed != target.name {
        let typed = w.typed.clone();
        let name = target.name.clone();
        state.flash(
            FlashLevel::Error,
            format!("'{typed}' does not match {name}: nothing was started"),
        );
        return Vec::new();
    }
    let plan = plan.clone();
    let (source, target_name) = (source.display_ref(), target.name.clone());
    let op = state.allocate_op();
    let view = OperationView::starting(
        op,
        OperationKind::Restore,
        source,
        target_name.clone(),
        Some(plan.target.clone()),
        state.now,
    );
    operations::show_started(state, view);
    state.flash(
        FlashLevel::Info,
        format!("restore into {target_name} started; it runs in Azure until it ends"),
    );
    vec![Effect::StartRestore {
        op,
        plan,
        preflight,
    }]
}

/// `PreflightDone`: kept only when it answers the plan the wizard still shows.
pub(super) fn preflight_done(
    state: &mut AppState,
    plan: &RestorePlan,
    result: Result<Box<PreflightReport>, UserError>,
) -> Vec<Effect> {
    if let Some(w) = wizard(state)
        && w.plan.as_ref() == Some(plan)
    {
        w.preflight = match result {
            Ok(v) => Loadable::Loaded(v),
            Err(e) => Loadable::Failed(e),
        };
    }
    Vec::new()
}
