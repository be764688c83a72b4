//! The gateways' data plane, as far as DR needs it: the health endpoint every API Management
//! gateway hosts, `GET /status-0123456789abcdef` (200 when it serves; 503 while the service
//! is being updated, restored or activated, or when its region is down or disabled).
//!
//! Azure serves each gateway on its own host (`{name}.azure-api.net`,
//! `{name}-{region}-01.regional.azure-api.net`); over loopback the emulator serves them path
//! style on the ARM port, ahead of ARM's front door (a gateway takes no ARM token):
//! `{arm}/_gateway/{host}/…`, and the service's `gatewayUrl` and `gatewayRegionalUrl` point
//! there, as a storage account's `primaryEndpoints.blob` points at the Blob port
//! (`docs/FIDELITY.md`).

use axum::http::{Method, StatusCode};

use super::state::Shared;
use super::transport::answer::Answer;
use super::transport::server::Incoming;
use super::world::Service;
use crate::domain::region::same_region;
use crate::domain::verification::HEALTH_PATH;

/// The path prefix the gateways are served under.
pub(crate) const PREFIX: &str = "/_gateway/";

/// The URL a service's gateway on `host` is reached at, below `arm_base`.
pub(crate) fn url(arm_base: &str, host: &str) -> String {
    format!("{arm_base}{PREFIX}{host}")
}

/// The primary gateway host of a service: `{name}.azure-api.net`.
pub(crate) fn host(s: &Service) -> String {
    format!("{}.azure-api.net", s.name.to_ascii_lowercase())
}

/// True for a path the gateways answer.
pub(crate) fn claims(path: &str) -> bool {
    path.starts_with(PREFIX)
}

/// Answers a request to a gateway. An unknown host is a 404 (in Azure its name would not
/// resolve); any path but the health endpoint is the gateway's 404 for an operation no API
/// matches. A gateway serves (200) unless its service is busy, or its region is down
/// (`--region-down`) or disabled (`disableGateway`); the main host of a multi-region service
/// serves while any of its regions does (Azure routes it to the closest healthy region).
pub(crate) fn handle(shared: &Shared, req: &Incoming) -> Answer {
    let rest = req.uri.path().trim_start_matches(PREFIX);
    let (host_name, path) = rest.split_once('/').unwrap_or((rest, ""));
    let serving = shared.read(|live| {
        live.world
            .services
            .iter()
            .find_map(|s| serving(s, host_name, &live.world, &shared.settings.regions_down))
    });
    let Some(serving) = serving else {
        return Answer::empty(StatusCode::NOT_FOUND);
    };
    if path != HEALTH_PATH {
        return Answer::empty(StatusCode::NOT_FOUND);
    }
    if req.method != Method::GET && req.method != Method::HEAD {
        return Answer::empty(StatusCode::METHOD_NOT_ALLOWED);
    }
    if serving {
        Answer::empty(StatusCode::OK)
    } else {
        Answer::empty(StatusCode::SERVICE_UNAVAILABLE)
    }
}

/// `None` when `host_name` is none of the service's gateway hosts (primary or regional);
/// else whether that gateway serves.
fn serving(
    s: &Service,
    host_name: &str,
    world: &super::world::World,
    down: &[String],
) -> Option<bool> {
    let up = |l: &str| !s.gateway_disabled(l) && !down.iter().any(|d| same_region(d, l));
    let mut locations = std::iter::once(s.location.as_str())
        .chain(s.additional_locations.iter().map(|(l, _)| l.as_str()));
    if host_name.eq_ignore_ascii_case(&host(s)) {
        return Some(!s.is_busy() && locations.any(up));
    }
    locations
        .find(|l| host_name.eq_ignore_ascii_case(&regional_host(s, &world.short_region(l))))
        .map(|l| !s.is_busy() && up(l))
}

/// A regional gateway host: `{name}-{short region}-01.regional.azure-api.net`.
pub(crate) fn regional_host(s: &Service, short_region: &str) -> String {
    format!(
        "{}-{short_region}-01.regional.azure-api.net",
        s.name.to_ascii_lowercase()
    )
}
