//! Test-only: `l` on apim-partners-weu (Premium, West Europe and North Europe), its regions
//! read, North Europe's gateway switched off for a drill.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::{self, PROD, run};
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::engine::regions::{RegionGateway, Regions};

/// The regions shown over the estate.
pub fn regions_shown() -> AppState {
    let mut s = fixtures::loaded(false);
    if let Some(Loadable::Loaded(rows)) = s.services.get_mut(PROD).map(|l| &mut l.data)
        && let Some(p) = std::sync::Arc::make_mut(rows)
            .iter_mut()
            .find(|r| r.name == "apim-partners-weu")
    {
        p.rare_mut().additional_locations = vec!["North Europe".into()];
    }
    let at = crate::app::estate::visible_services(&s)
        .iter()
        .position(|r| r.service.name == "apim-partners-weu")
        .unwrap_or(0);
    s.cursors.services = at;
    let effects = run(&mut s, [Action::ShowRegions]);
    let Some(Effect::FetchRegions { service }) = effects.into_iter().next() else {
        unreachable!("l asks for the regions")
    };
    let gateway = |location: &str, primary: bool, disabled: bool, health| RegionGateway {
        location: location.into(),
        primary,
        url: Some(format!(
            "https://apim-partners-weu-{}-01.regional.azure-api.net",
            location.replace(' ', "").to_lowercase()
        )),
        disabled,
        health,
    };
    let regions = Regions {
        service: "apim-partners-weu".into(),
        main_url: Some("https://apim-partners-weu.azure-api.net".into()),
        main_health: Some(Ok(200)),
        regions: vec![
            gateway("West Europe", true, false, Ok(200)),
            gateway("North Europe", false, true, Ok(503)),
        ],
    };
    run(
        &mut s,
        [Action::RegionsLoaded {
            service,
            result: Ok(regions),
        }],
    );
    s
}

/// `j` then `d` on the regions: North Europe's gateway (switched off) to switch back on, its
/// name half typed.
pub fn regions_switching() -> AppState {
    let mut s = regions_shown();
    let mut actions = vec![Action::MoveDown, Action::SwitchGateway];
    actions.extend("North Eu".chars().map(Action::TypeChar));
    run(&mut s, actions);
    s
}
