//! Reading API Management services: the two service lists (subscription and resource group),
//! one service, its APIs, products and named values (what a restore replaces) and its
//! available SKUs. Names match case-insensitively; replies echo the stored casing. A missing
//! service is ARM's 404 `ResourceNotFound`; the api-version rules (a version not yet deployed in the service's
//! region, the v2 tiers' minimum) apply to everything addressed to one service.
//!
//! Next to it: the JSON of APIM resources (`json.rs`), backup and restore as ARM long-running
//! operations (`lro.rs`, APIM's refusals in `admission.rs`, its view of storage in
//! `storage_access.rs`) and the clock that runs them (`operations.rs`); workspaces and
//! workspace gateways (`workspaces.rs`); creating a service (`create.rs`), soft-deleted ones
//! (`deleted.rs`), and switching a region's gateway (`update.rs`).

mod admission;
pub(super) mod create;
pub(super) mod deleted;
mod json;
pub(super) mod lro;
pub(super) mod operations;
mod storage_access;
mod update;
pub(super) mod workspaces;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use super::arm::api_versions::{check_deployed, check_tier};
use super::arm::paging::page;
use super::arm::route::ServicePart;
use super::state::{LiveState, Shared};
use super::transport::answer::Answer;
use super::transport::server::Incoming;
use super::world::{Service, World};

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

/// The version rules for a request addressed to one service: ARM's per-region rollout first,
/// then APIM's tier gate. `resource_type` names the type in ARM's refusal (`service`,
/// `service/apis`, …).
pub(crate) fn check_version(
    world: &World,
    s: &Service,
    resource_type: &str,
    version: &str,
) -> Result<(), Answer> {
    check_deployed(world, &s.location, resource_type, version)?;
    check_tier(&s.sku, version)
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
            .services_in(sub, rg)
            .map(|s| json::service(s, &live.world, &shared.arm_base, version))
            .collect()
    });
    page(shared, req, version, items)
}

/// Everything addressed to one service, by the part of it the path names.
pub(crate) fn service_route(
    shared: &Shared,
    req: &Incoming,
    service: ServiceRef<'_>,
    part: &ServicePart,
    version: &str,
) -> Answer {
    match part {
        ServicePart::Backup | ServicePart::Restore => {
            lro::start(shared, req, service, part, version)
        }
        ServicePart::OperationResult(id) => {
            lro::operation_result(shared, req, service, id, version)
        }
        ServicePart::Workspaces | ServicePart::Workspace(_) => {
            workspaces::workspaces(shared, req, service, part, version)
        }
        ServicePart::Itself if req.method == Method::PUT => {
            create::put(shared, req, service, version)
        }
        ServicePart::Itself if req.method == Method::PATCH => {
            update::patch(shared, req, service, version)
        }
        _ => service_request(shared, req, service, part, version),
    }
}

/// `GET {service}`, `GET {service}/apis[/{id}]`, `GET {service}/products`,
/// `GET {service}/namedValues`, `GET {service}/skus`.
fn service_request(
    shared: &Shared,
    req: &Incoming,
    service: ServiceRef<'_>,
    part: &ServicePart,
    version: &str,
) -> Answer {
    shared.answer(|live| {
            let i = find_service(live, service)?;
            let s = &live.world.services[i];
            let resource_type = match part {
                ServicePart::Apis | ServicePart::Api(_) => "service/apis",
                ServicePart::Products => "service/products",
                ServicePart::NamedValues => "service/namedValues",
                ServicePart::Skus => "service/skus",
                _ => "service",
            };
            check_version(&live.world, s, resource_type, version)?;
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
                ServicePart::Products => {
                    let items = s.products.iter().map(|p| json::product(s, p)).collect();
                    page(shared, req, version, items)
                }
                ServicePart::NamedValues => {
                    let items = s.named_values.iter().map(|n| json::named_value(s, n)).collect();
                    page(shared, req, version, items)
                }
                ServicePart::Skus => page(shared, req, version, json::skus(s)),
                ServicePart::Other(tail) => Answer::arm_error(
                    StatusCode::BAD_REQUEST,
                    "InvalidResourceType",
                    format!(
                        "The resource type 'service/{tail}' could not be found in the namespace 'Microsoft.ApiManagement' for api version '{version}'."
                    ),
                ),
                _ => Answer::json(StatusCode::OK, &json::service(s, &live.world, &shared.arm_base, version)),
            })
    })
}
