//! The failover wizard's offer to create a standby, at step 3 when no service of the chosen
//! region can take the backup: its plan, the purge choice when a soft-deleted service holds
//! the name, another name typed to plan that one, the exact name typed to create it (paste
//! refused); the creation runs as an operation of the journal, and when it succeeds the
//! wizard continues with the new service as the target.

use super::failover::choose_target;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::failover::{FailoverWizard, StandbyOffer};
use crate::app::loadable::Loadable;
use crate::app::operation::OpId;
use crate::app::operation::OperationView;
use crate::app::state::{AppState, FlashLevel, Overlay, Wizard};
use crate::domain::error::UserError;
use crate::domain::names::ServiceName;
use crate::domain::operation::{Began, BeganFrom, OperationKind, Outcome};
use crate::domain::standby::{StandbyAsk, StandbyOutline};

fn wizard(state: &mut AppState) -> Option<&mut FailoverWizard> {
    match &mut state.wizard {
        Some(Wizard::Failover(w)) => Some(&mut **w),
        _ => None,
    }
}

fn offer(state: &mut AppState) -> Option<&mut StandbyOffer> {
    wizard(state)?.standby.as_mut()
}

/// Opens the offer for `ask` and asks for its plan.
pub(super) fn open(state: &mut AppState, ask: StandbyAsk) -> Vec<Effect> {
    if state.read_only {
        state.flash(FlashLevel::Error, "read-only mode: no standby is created");
        return Vec::new();
    }
    let now = state.now;
    let Some(w) = wizard(state) else {
        return Vec::new();
    };
    w.standby = Some(StandbyOffer::new(ask.clone(), now));
    vec![Effect::PlanStandby { ask }]
}

/// An action while the offer is open; `None` when the offer is not open.
pub(super) fn handle(state: &mut AppState, action: &Action) -> Option<Vec<Effect>> {
    let o = offer(state)?;
    let typing = o.op.is_none();
    match action {
        Action::Back | Action::Cancel => close(state),
        Action::OpenHelp => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::TypeChar(c) if typing => o.typed.push(*c),
        Action::Backspace if typing => {
            o.typed.pop();
        }
        Action::ClearInput if typing => o.typed.clear(),
        Action::PasteRefused if typing => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the new service's name, so a wrong \
             clipboard cannot create a service",
        ),
        Action::TogglePurge if typing => return Some(toggle_purge(state)),
        Action::Submit if typing => return Some(submit(state)),
        _ => {}
    }
    Some(Vec::new())
}

fn close(state: &mut AppState) {
    let Some(w) = wizard(state) else { return };
    let running = w.standby.take().and_then(|o| o.op);
    if running.is_some() {
        state.flash(
            FlashLevel::Info,
            "the creation goes on in Azure: the Operations screen follows it",
        );
    }
}

fn replan(o: &mut StandbyOffer, now: time::OffsetDateTime) -> Vec<Effect> {
    o.outline = Loadable::Loading { since: now };
    o.typed.clear();
    vec![Effect::PlanStandby { ask: o.ask.clone() }]
}

fn toggle_purge(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(o) = offer(state) else {
        return Vec::new();
    };
    if o.ready().is_none_or(|p| p.held_by.is_none()) {
        state.flash(
            FlashLevel::Info,
            "no soft-deleted service holds this name: nothing to purge",
        );
        return Vec::new();
    }
    o.ask.purge = !o.ask.purge;
    replan(o, now)
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(o) = offer(state) else {
        return Vec::new();
    };
    let outline = match &o.outline {
        Loadable::Loaded(p) => p.clone(),
        Loadable::Failed(e) => {
            let text = format!("the standby could not be planned: {}", e.one_line());
            state.flash(FlashLevel::Error, text);
            return Vec::new();
        }
        _ => {
            state.flash(FlashLevel::Info, "the standby's plan is still being read");
            return Vec::new();
        }
    };
    let name = outline.target.name.to_string();
    if o.typed.is_empty() {
        let text = format!("type {name} to create it, or another name to plan that one");
        state.flash(FlashLevel::Info, text);
        return Vec::new();
    }
    if o.typed != name {
        return match ServiceName::parse(&o.typed) {
            Ok(other) => {
                o.ask.name = Some(other);
                replan(o, now)
            }
            Err(e) => {
                state.flash(FlashLevel::Error, e.to_string());
                Vec::new()
            }
        };
    }
    if outline.held_by.is_some() && !outline.purge {
        state.flash(
            FlashLevel::Error,
            format!(
                "{name} is held by a soft-deleted service: tab purges it for good, or type another name"
            ),
        );
        return Vec::new();
    }
    start(state, &outline)
}

fn start(state: &mut AppState, outline: &StandbyOutline) -> Vec<Effect> {
    let op = state.allocate_op();
    let now = state.now;
    let Some(w) = wizard(state) else {
        return Vec::new();
    };
    let began = Some(Began {
        at: w.began,
        from: BeganFrom::Wizard,
    });
    let Some(o) = w.standby.as_mut() else {
        return Vec::new();
    };
    o.op = Some(op);
    o.typed.clear();
    let ask = o.ask.clone();
    let view = OperationView::starting(
        op,
        OperationKind::Create,
        outline.words(),
        outline.target.name.to_string(),
        Some(outline.target.clone()),
        now,
    );
    state.operations.push(view);
    state.flash(
        FlashLevel::Info,
        format!(
            "creating {}: the restore continues here once it is Succeeded",
            outline.target.name
        ),
    );
    vec![Effect::StartStandby { op, ask, began }]
}

/// `StandbyPlanned`: kept only when it answers the ask the offer still shows.
pub(super) fn planned(
    state: &mut AppState,
    ask: &StandbyAsk,
    result: Result<Box<StandbyOutline>, UserError>,
) {
    if let Some(o) = offer(state)
        && &o.ask == ask
        && o.op.is_none()
    {
        o.outline = match result {
            Ok(p) => Loadable::Loaded(p),
            Err(e) => Loadable::Failed(e),
        };
    }
}

/// An operation ended: when it is the offer's creation and it succeeded, the new service
/// becomes the target and the wizard goes on to its pre-flight.
pub(super) fn ended(state: &mut AppState, op: OpId, outcome: &Outcome) -> Vec<Effect> {
    let Some(o) = offer(state).filter(|o| o.op == Some(op)) else {
        return Vec::new();
    };
    let Loadable::Loaded(outline) = &o.outline else {
        return Vec::new();
    };
    let created = outline.created();
    if !outcome.is_success() {
        let text = format!(
            "the creation of {} ended: {outcome}; esc to go back",
            created.name
        );
        state.flash(FlashLevel::Error, text);
        return Vec::new();
    }
    if let Some(w) = wizard(state) {
        w.standby = None;
    }
    let mut effects = choose_target(state, created);
    effects.extend(super::inventory::refresh_services(state));
    effects
}
