//! `l` on a service that serves from several regions: its regions and each gateway's health,
//! read through the engine (`engine/regions.rs`, as `apim-dr regions` does), over the screen.
//! `d` switches the selected region's gateway off (or on again) for a drill, once the region's
//! name is typed (a paste is refused), as `apim-dr regions --disable-gateway … --yes` does.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::estate::selected_service;
use crate::app::loadable::Loadable;
use crate::app::state::{AppState, FlashLevel, GatewaySwitch, Overlay};
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::engine::regions::Regions;

/// `l`: asks for the selected service's regions, or says why there are none to show.
pub(super) fn show(state: &mut AppState) -> Vec<Effect> {
    let Some(s) = selected_service(state) else {
        state.flash(FlashLevel::Info, "select a service first");
        return Vec::new();
    };
    if s.additional_locations().is_empty() {
        let text = format!(
            "{} serves from one region ({}): no other region's gateway to show",
            s.name, s.location
        );
        state.flash(FlashLevel::Info, text);
        return Vec::new();
    }
    let service = match ServiceId::parse(&s.id()) {
        Ok(id) => id,
        Err(e) => {
            state.flash(FlashLevel::Error, e.to_string());
            return Vec::new();
        }
    };
    state.overlay = Some(Overlay::Regions {
        service: service.clone(),
        regions: Loadable::Loading { since: state.now },
        cursor: 0,
        switch: None,
    });
    vec![Effect::FetchRegions { service }]
}

/// `RegionsLoaded`: shown when the overlay still waits for that service.
pub(super) fn loaded(
    state: &mut AppState,
    service: &ServiceId,
    result: Result<Regions, UserError>,
) {
    if let Some(Overlay::Regions {
        service: shown,
        regions,
        ..
    }) = &mut state.overlay
        && shown == service
    {
        *regions = match result {
            Ok(r) => Loadable::Loaded(r),
            Err(e) => Loadable::Failed(e),
        };
    }
}

/// An action while the regions dialog is open; closing it drops nothing sent (the answer is
/// still said in the flash line).
pub(super) fn handle(state: &mut AppState, overlay: Overlay, action: &Action) -> Vec<Effect> {
    let Overlay::Regions {
        service,
        regions,
        cursor,
        switch,
    } = overlay
    else {
        return Vec::new();
    };
    let mut d = Dialog {
        service,
        regions,
        cursor,
        switch,
    };
    let count = match &d.regions {
        Loadable::Loaded(r) => r.regions.len(),
        _ => 0,
    };
    let mut effects = Vec::new();
    match (&mut d.switch, action) {
        (Some(s), Action::Back | Action::Cancel) if !s.sent => d.switch = None,
        (_, Action::Back | Action::Cancel) => return Vec::new(),
        (Some(s), Action::TypeChar(c)) if !s.sent => s.typed.push(*c),
        (Some(s), Action::Backspace) if !s.sent => {
            s.typed.pop();
        }
        (Some(s), Action::ClearInput) if !s.sent => s.typed.clear(),
        (Some(s), Action::PasteRefused) if !s.sent => state.flash(
            FlashLevel::Warn,
            "pasted text is not accepted here: type the region's name, so a wrong clipboard \
             cannot switch a gateway",
        ),
        (Some(s), Action::Submit) if !s.sent => {
            if s.typed == s.region {
                s.sent = true;
                effects.push(Effect::SwitchGateway {
                    service: d.service.clone(),
                    region: s.region.clone(),
                    disabled: s.disable,
                });
            } else {
                let text = format!("type {} exactly to switch its gateway", s.region);
                state.flash(FlashLevel::Error, text);
            }
        }
        (None, Action::MoveDown) => d.cursor = (d.cursor + 1).min(count.saturating_sub(1)),
        (None, Action::MoveUp) => d.cursor = d.cursor.saturating_sub(1),
        (None, Action::SwitchGateway) => start_switch(state, &mut d),
        _ => {}
    }
    state.overlay = Some(Overlay::Regions {
        service: d.service,
        regions: d.regions,
        cursor: d.cursor,
        switch: d.switch,
    });
    effects
}

/// The regions dialog's fields, while an action is applied.
struct Dialog {
    service: ServiceId,
    regions: Loadable<Regions>,
    cursor: usize,
    switch: Option<GatewaySwitch>,
}

/// `d`: asks for the selected region's name to switch its gateway the other way.
fn start_switch(state: &mut AppState, d: &mut Dialog) {
    if state.read_only {
        state.flash(
            FlashLevel::Warn,
            "read-only mode: switching a gateway changes Azure; start apim-dr without \
             --read-only",
        );
        return;
    }
    let Loadable::Loaded(r) = &d.regions else {
        state.flash(FlashLevel::Info, "wait for the regions to be read");
        return;
    };
    let Some(g) = r.regions.get(d.cursor) else {
        return;
    };
    d.switch = Some(GatewaySwitch {
        region: g.location.clone(),
        disable: !g.disabled,
        typed: String::new(),
        sent: false,
    });
}

/// `GatewaySwitched`: the regions as ARM answered after the switch, and a word in the flash
/// line whether or not the dialog is still open. A failure is not said to have changed
/// nothing (the `PATCH` may have been taken): the regions are read again to show where it
/// stands.
pub(super) fn switched(
    state: &mut AppState,
    service: &ServiceId,
    (region, disabled): (&str, bool),
    result: Result<Regions, UserError>,
) -> Vec<Effect> {
    let way = if disabled { "off" } else { "on" };
    let open = matches!(&state.overlay, Some(Overlay::Regions { service: s, .. }) if s == service);
    match result {
        Ok(regions) => {
            state.flash(
                FlashLevel::Info,
                format!(
                    "{}: the gateway of {region} is switched {way}; each region's health is \
                     read again",
                    service.name
                ),
            );
            if open
                && let Some(Overlay::Regions {
                    regions: shown,
                    switch,
                    ..
                }) = &mut state.overlay
            {
                *shown = Loadable::Loaded(regions);
                *switch = None;
            }
        }
        Err(e) => {
            state.flash(
                FlashLevel::Error,
                format!(
                    "switching the gateway of {region} {way} was not confirmed: {}; the \
                     regions are read again to show where it stands",
                    e.one_line()
                ),
            );
            if open
                && let Some(Overlay::Regions {
                    regions, switch, ..
                }) = &mut state.overlay
            {
                *switch = None;
                *regions = Loadable::Loading { since: state.now };
                return vec![Effect::FetchRegions {
                    service: service.clone(),
                }];
            }
        }
    }
    Vec::new()
}
