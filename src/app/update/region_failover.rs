//! The region failover dialog (`F` on a service of the lost region): pick the region to fail
//! over into (Enter plans it: `Effect::PlanRegionFailover`), read the plan with every
//! pre-flight verdict, type `restore N` (a paste is refused), then each ready restore starts
//! as an operation of its own, at most `PARALLEL_DEFAULT` at once (`pump`, again after each
//! operation's news), and once none is queued or watched the batch report is written
//! (`Effect::SaveBatchReport`). Esc while it runs closes the dialog and the batch goes on (`F`
//! shows it again). Read-only mode shows the plan and starts nothing.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::selected_service;
use crate::app::loadable::Loadable;
use crate::app::operation::OperationView;
use crate::app::region_failover::{
    BatchItem, PARALLEL_DEFAULT, RegionFailover, Run, region_choices,
};
use crate::app::state::{AppState, FlashLevel, Overlay, Screen};
use crate::domain::batch_report::ItemStatus;
use crate::domain::error::UserError;
use crate::domain::operation::{Began, BeganFrom, OperationKind};
use crate::domain::progress::ProgressUpdate;
use crate::domain::verification::verified;
use crate::engine::failover::FailoverPlan;

/// `F`: shows the batch under way, or opens the dialog for the selected service's region.
pub(super) fn start(state: &mut AppState) -> Vec<Effect> {
    if state.region_failover.is_some() {
        state.overlay = Some(Overlay::RegionFailover);
        return Vec::new();
    }
    let Some(service) = selected_service(state) else {
        state.flash(
            FlashLevel::Info,
            "select a service of the lost region first: F fails over every service of its region",
        );
        return Vec::new();
    };
    let lost = service.location.to_string();
    let regions = region_choices(state, &lost);
    if regions.is_empty() {
        state.flash(
            FlashLevel::Warn,
            "no other region has an API Management service loaded: create standbys first \
             (apim-dr standby create --like SERVICE_ID --region NAME), or wait for the estate \
             to load",
        );
        return Vec::new();
    }
    let began = Began {
        at: state.now,
        from: BeganFrom::Wizard,
    };
    state.region_failover = Some(Box::new(RegionFailover::new(lost, regions, began)));
    state.overlay = Some(Overlay::RegionFailover);
    Vec::new()
}

/// An action while the dialog is open (its overlay was taken out; put back unless closed).
pub(super) fn handle(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let Some(mut b) = state.region_failover.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    let keep = if b.picking() {
        pick(state, &mut b, action, &mut effects)
    } else if b.started.is_none() {
        review(state, &mut b, action)
    } else {
        follow(state, &mut b, action)
    };
    match keep {
        Keep::Open => {
            state.region_failover = Some(b);
            state.overlay = Some(Overlay::RegionFailover);
        }
        Keep::Closed => state.region_failover = Some(b),
        Keep::Dropped => {}
    }
    effects.extend(pump(state));
    effects
}

/// What becomes of the dialog after an action.
enum Keep {
    /// On screen.
    Open,
    /// Off screen, the batch kept (it runs).
    Closed,
    /// Gone.
    Dropped,
}

/// The region list: move, Enter plans the failover into the selected region, Esc closes.
fn pick(
    state: &mut AppState,
    b: &mut RegionFailover,
    action: &Action,
    effects: &mut Vec<Effect>,
) -> Keep {
    let last = b.regions.len().saturating_sub(1);
    match action {
        Action::MoveDown => b.cursor = (b.cursor + 1).min(last),
        Action::MoveUp => b.cursor = b.cursor.saturating_sub(1),
        Action::Top => b.cursor = 0,
        Action::Bottom => b.cursor = last,
        Action::Back | Action::Cancel => return Keep::Dropped,
        Action::Submit => {
            if let Some(to) = b.regions.get(b.cursor).map(|c| c.name.clone()) {
                b.plan = Loadable::Loading { since: state.now };
                effects.push(Effect::PlanRegionFailover {
                    lost: b.lost.clone(),
                    to: to.clone(),
                    began: b.began,
                });
                b.to = Some(to);
                b.scroll = 0;
            }
        }
        _ => {}
    }
    Keep::Open
}

/// The plan: scroll, type the words, Enter starts the ready restores; Esc picks another region.
fn review(state: &mut AppState, b: &mut RegionFailover, action: &Action) -> Keep {
    let typing = b.takes_words() && !state.read_only;
    match action {
        Action::MoveDown => b.scroll = b.scroll.saturating_add(1),
        Action::MoveUp => b.scroll = b.scroll.saturating_sub(1),
        Action::PageDown => b.scroll = b.scroll.saturating_add(10),
        Action::PageUp => b.scroll = b.scroll.saturating_sub(10),
        Action::Back | Action::Cancel => {
            b.to = None;
            b.plan = Loadable::NotRequested;
            b.listing_failures.clear();
            b.typed.clear();
            b.scroll = 0;
        }
        Action::TypeChar(c) if typing => b.typed.push(*c),
        Action::Backspace if typing => {
            b.typed.pop();
        }
        Action::ClearInput if typing => b.typed.clear(),
        Action::PasteRefused => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the words, so a wrong clipboard cannot \
             start restores",
        ),
        Action::Submit => confirm(state, b),
        _ => {}
    }
    Keep::Open
}

/// Enter on the plan: the exact words queue every ready restore.
fn confirm(state: &mut AppState, b: &mut RegionFailover) {
    if !matches!(b.plan, Loadable::Loaded(_)) {
        return;
    }
    if state.read_only {
        state.flash(
            FlashLevel::Error,
            "read-only mode: the plan only; nothing was started",
        );
        return;
    }
    if b.ready() == 0 {
        state.flash(
            FlashLevel::Error,
            "no restore of this plan can run: nothing was started (each ✖ says why)",
        );
        return;
    }
    let words = b.confirm_words();
    if b.typed != words {
        state.flash(
            FlashLevel::Error,
            format!("'{}' is not '{words}': nothing was started", b.typed),
        );
        return;
    }
    if let Loadable::Loaded(items) = &mut b.plan {
        for i in items.iter_mut().filter(|i| i.ready()) {
            i.run = Run::Queued;
        }
    }
    b.started = Some(state.now);
    state.screen = Screen::Operations;
    state.details = false;
    state.flash(
        FlashLevel::Info,
        format!(
            "{} restore(s) into {} asked for, {PARALLEL_DEFAULT} at a time; each runs in Azure \
             until it ends",
            b.ready(),
            b.to.as_deref().unwrap_or_default()
        ),
    );
}

/// While it runs or once it ended: scroll; Esc closes (and forgets a batch that ended).
fn follow(state: &mut AppState, b: &mut RegionFailover, action: &Action) -> Keep {
    match action {
        Action::MoveDown => b.scroll = b.scroll.saturating_add(1),
        Action::MoveUp => b.scroll = b.scroll.saturating_sub(1),
        Action::PageDown => b.scroll = b.scroll.saturating_add(10),
        Action::PageUp => b.scroll = b.scroll.saturating_sub(10),
        Action::Back | Action::Cancel if b.finished(&state.operations) => return Keep::Dropped,
        Action::Back | Action::Cancel => {
            state.flash(
                FlashLevel::Info,
                "the region's failover goes on: the Operations screen shows each restore, F \
                 shows the batch again",
            );
            return Keep::Closed;
        }
        _ => {}
    }
    Keep::Open
}

/// `RegionFailoverPlanned`: kept only when it answers the plan the dialog still waits for.
pub(super) fn planned(state: &mut AppState, lost: &str, to: &str, plan: FailoverPlan) {
    let Some(b) = state.region_failover.as_mut() else {
        return;
    };
    if b.lost != lost || b.to.as_deref() != Some(to) || !matches!(b.plan, Loadable::Loading { .. })
    {
        return;
    }
    b.planned(plan);
}

/// An operation's news: a batch restore's verification is kept, and the batch moves on.
pub(super) fn progress(state: &mut AppState, op: crate::app::operation::OpId, u: &ProgressUpdate) {
    let ProgressUpdate::Verified(v) = u else {
        return;
    };
    if let Some(Loadable::Loaded(items)) = state.region_failover.as_mut().map(|b| &mut b.plan)
        && let Some(item) = items.iter_mut().find(|i| i.run == Run::Started(op))
    {
        item.verified = Some(verified(v));
    }
}

/// Starts queued restores while fewer than `PARALLEL_DEFAULT` run; once none is queued or
/// watched, asks for the batch report (once).
pub(super) fn pump(state: &mut AppState) -> Vec<Effect> {
    let Some(mut b) = state.region_failover.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    if b.started.is_some() {
        let mut running = b.running(&state.operations);
        while running < PARALLEL_DEFAULT {
            let Loadable::Loaded(items) = &mut b.plan else {
                break;
            };
            let Some(item) = items.iter_mut().find(|i| i.run == Run::Queued) else {
                break;
            };
            if let Some(effect) = start_one(state, item) {
                effects.push(effect);
            }
            running += 1;
        }
        if b.report.is_none() && b.finished(&state.operations) {
            let report = b.report(&state.operations, state.now);
            b.report = Some(Loadable::Loading { since: state.now });
            flash_tally(state, &report);
            effects.push(Effect::SaveBatchReport {
                report: Box::new(report),
            });
        }
    }
    state.region_failover = Some(b);
    effects
}

/// Starts one queued restore as an operation of its own.
fn start_one(state: &mut AppState, item: &mut BatchItem) -> Option<Effect> {
    let (Some(plan), Some(report)) = (&item.planned.restore, &item.planned.report) else {
        item.run = Run::NotRun;
        return None;
    };
    let pick = &item.planned.pick;
    let op = state.allocate_op();
    state.operations.push(OperationView::starting(
        op,
        OperationKind::Restore,
        pick.backup
            .as_ref()
            .map(crate::domain::backup::BackupEntry::display_ref)
            .unwrap_or_default(),
        pick.target
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        Some(plan.target.clone()),
        state.now,
    ));
    item.run = Run::Started(op);
    Some(Effect::StartRestore {
        op,
        plan: plan.clone(),
        preflight: Box::new(report.clone()),
    })
}

/// The batch's end in the flash line.
fn flash_tally(state: &mut AppState, report: &crate::domain::batch_report::BatchReport) {
    let n = |s: ItemStatus| report.count(s);
    let unverified = report
        .items
        .iter()
        .filter(|i| i.verified == Some(false))
        .count();
    let bad = n(ItemStatus::Failed) + n(ItemStatus::Unconfirmed) + unverified;
    let level = if bad > 0 {
        FlashLevel::Error
    } else if n(ItemStatus::Skipped) > 0 || !report.listing_failures.is_empty() {
        FlashLevel::Warn
    } else {
        FlashLevel::Info
    };
    state.flash(
        level,
        format!(
            "{}: {} restored, {} failed, {} unconfirmed, {} skipped, {} not verified",
            report.title,
            n(ItemStatus::Succeeded),
            n(ItemStatus::Failed),
            n(ItemStatus::Unconfirmed),
            n(ItemStatus::Skipped),
            unverified
        ),
    );
}

/// `BatchReportSaved`: where the report went, or why it could not be written.
pub(super) fn report_saved(state: &mut AppState, id: &str, result: Result<String, UserError>) {
    if let Some(b) = state.region_failover.as_mut() {
        b.report = Some(match &result {
            Ok(path) => Loadable::Loaded(path.clone()),
            Err(e) => Loadable::Failed(e.clone()),
        });
    }
    if let Err(e) = result {
        state.flash(
            FlashLevel::Error,
            format!(
                "the batch report {id} could not be written: {}",
                e.one_line()
            ),
        );
    }
}

/// What the quit dialog adds: restores that wait for their turn (a batch's queued ones, a
/// drill's restore while its backup runs).
pub(super) fn queued(state: &AppState) -> usize {
    let batch = state
        .region_failover
        .as_ref()
        .filter(|b| b.started.is_some())
        .map_or(0, |b| b.queued());
    batch + usize::from(state.drill.as_ref().is_some_and(|d| d.restore_pending()))
}
