//! `l` on a service that serves from several regions: its regions and each gateway's health,
//! read through the engine (`engine/regions.rs`, as `apim-dr regions` does), over the screen.

use crate::app::effect::Effect;
use crate::app::estate::selected_service;
use crate::app::loadable::Loadable;
use crate::app::state::{AppState, FlashLevel, Overlay};
use crate::domain::error::UserError;
use crate::domain::names::ServiceId;
use crate::engine::regions::Regions;

/// `l`: asks for the selected service's regions, or says why there are none to show.
pub(super) fn show(state: &mut AppState) -> Vec<Effect> {
    let Some(s) = selected_service(state) else {
        state.flash(FlashLevel::Info, "select a service first");
        return Vec::new();
    };
    if s.additional_locations.is_empty() {
        let text = format!(
            "{} serves from one region ({}): no other region's gateway to show",
            s.name, s.location
        );
        state.flash(FlashLevel::Info, text);
        return Vec::new();
    }
    let service = match ServiceId::parse(&s.id) {
        Ok(id) => id,
        Err(e) => {
            state.flash(FlashLevel::Error, e.to_string());
            return Vec::new();
        }
    };
    state.overlay = Some(Overlay::Regions {
        service: service.clone(),
        regions: Loadable::Loading { since: state.now },
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
    }) = &mut state.overlay
        && shown == service
    {
        *regions = match result {
            Ok(r) => Loadable::Loaded(r),
            Err(e) => Loadable::Failed(e),
        };
    }
}
