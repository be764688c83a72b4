//! Reading API Management services: the two service lists (subscription and resource group),
//! one service, its APIs (what a restore replaces) and its available SKUs. Names match
//! case-insensitively; replies echo the stored casing. A missing service is ARM's 404
//! `ResourceNotFound`; per-service api-version rules (v2 tiers, `max_api_version`) apply to
//! everything addressed to one service.
//!
//! Next to it: the JSON of APIM resources (`json.rs`), backup and restore as ARM long-running
//! operations (`lro.rs`) and the clock that runs them (`operations.rs`).

mod json;
pub(super) mod lro;
pub(super) mod operations;

use axum::http::StatusCode;
use serde_json::Value;

use super::arm::api_versions::check_service;
use super::arm::paging::page;
use super::arm::route::ServicePart;
use super::state::{LiveState, Shared};
use super::transport::answer::Answer;
use super::transport::server::Incoming;

/// `(subscription, resource group, service name)` as the path spells them.
pub(crate) type ServiceRef<'a> = (&'a str, &'a str, &'a str);

/// ARM's 404 for a resource that does not exist.
pub(crate) fn resource_not_found(kind: &str, rg: &str, name: &str) -> Answer {
    Answer::arm_error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!(
            "The Resource '{kind}/{name}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        ),
    )
}

/// The index of the addressed service, or ARM's 404.
pub(crate) fn find_service(
    live: &LiveState,
    (sub, rg, name): ServiceRef<'_>,
) -> Result<usize, Answer> {
    live.world
        .service_index(sub, rg, name)
        .ok_or_else(|| resource_not_found("Microsoft.ApiManagement/service", rg, name))
}

/// `GET /subscriptions/{id}[/resourceGroups/{rg}]/providers/Microsoft.ApiManagement/service`.
pub(crate) fn list_services(
    shared: &Shared,
    req: &Incoming,
    sub: &str,
    rg: Option<&str>,
    version: &str,
) -> Answer {
    let items: Vec<Value> = shared.read(|live| {
        live.world
            .services
            .iter()
            .filter(|s| s.subscription.eq_ignore_ascii_case(sub))
            .filter(|s| rg.is_none_or(|rg| s.resource_group.eq_ignore_ascii_case(rg)))
            .map(|s| json::service(s, &live.world, version))
            .collect()
    });
    page(shared, req, version, items)
}

/// `GET {service}`, `GET {service}/apis[/{id}]`, `GET {service}/skus`.
pub(crate) fn service_request(
    shared: &Shared,
    req: &Incoming,
    service: ServiceRef<'_>,
    part: &ServicePart,
    version: &str,
) -> Answer {
    shared
        .read(|live| -> Result<Answer, Answer> {
            let i = find_service(live, service)?;
            let s = &live.world.services[i];
            check_service(&s.sku, s.max_api_version.as_deref(), version)?;
            Ok(match part {
                ServicePart::Apis => {
                    let items = s.apis.iter().map(|a| json::api(s, a)).collect();
                    page(shared, req, version, items)
                }
                ServicePart::Api(id) => s
                    .apis
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case(id))
                    .map_or_else(
                        || {
                            Answer::arm_error(
                                StatusCode::NOT_FOUND,
                                "ResourceNotFound",
                                "Api not found.",
                            )
                        },
                        |a| Answer::json(StatusCode::OK, &json::api(s, a)),
                    ),
                ServicePart::Skus => page(shared, req, version, json::skus(s)),
                ServicePart::Other(tail) => Answer::arm_error(
                    StatusCode::BAD_REQUEST,
                    "InvalidResourceType",
                    format!(
                        "The resource type 'service/{tail}' could not be found in the namespace 'Microsoft.ApiManagement' for api version '{version}'."
                    ),
                ),
                _ => Answer::json(StatusCode::OK, &json::service(s, &live.world, version)),
            })
        })
        .unwrap_or_else(|reply| reply)
}
