//! Workspaces and workspace gateways as ARM serves them: `GET {service}/workspaces[/{id}]`
//! (shaped like `ApiManagementListWorkspaces.json`, from 2022-09-01-preview on; tiers without
//! workspaces answer `MethodNotAllowedInPricingTier`, `BasicV2` included, as observed), and the
//! gateways (`Microsoft.ApiManagement/gateways`, beside the service, in its region) with their
//! config connections, whose `sourceId` names the workspace a gateway serves.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::json::etag;
use super::{ServiceRef, check_version, find_service};
use crate::emulator::arm::api_versions::check_workspaces;
use crate::emulator::arm::paging::{page, page_with_count};
use crate::emulator::arm::route::{GatewayPart, ServicePart};
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::{Answer, arm_time};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::{Service, World};

/// Tiers whose services answer `GET …/workspaces` (`BasicV2` refuses it, as observed).
const LISTS_WORKSPACES: [&str; 3] = ["Premium", "StandardV2", "PremiumV2"];

fn workspace_id(s: &Service, name: &str) -> String {
    format!("{}/workspaces/{name}", s.id())
}

/// `GET {service}/workspaces` and `GET {service}/workspaces/{id}`.
pub(crate) fn workspaces(
    shared: &Shared,
    req: &Incoming,
    service: ServiceRef<'_>,
    part: &ServicePart,
    version: &str,
) -> Answer {
    shared.answer(|live| {
        let s = &live.world.services[find_service(live, service)?];
        check_version(&live.world, s, "service/workspaces", version)?;
        check_workspaces(version)?;
        if !LISTS_WORKSPACES
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&s.sku))
        {
            return Err(Answer::apim_error(
                StatusCode::BAD_REQUEST,
                "MethodNotAllowedInPricingTier",
                format!("Method not allowed in {} pricing tier", s.sku),
            ));
        }
        let json = |w: &crate::emulator::world::Workspace| {
            json!({
                "id": workspace_id(s, &w.name),
                "type": "Microsoft.ApiManagement/service/workspaces",
                "name": w.name,
                "properties": {"displayName": w.display_name, "description": w.description},
            })
        };
        Ok(match part {
            ServicePart::Workspace(id) => s
                .workspaces
                .iter()
                .find(|w| w.name.eq_ignore_ascii_case(id))
                .map_or_else(
                    || {
                        Answer::arm_error(
                            StatusCode::NOT_FOUND,
                            "ResourceNotFound",
                            "Workspace not found.",
                        )
                    },
                    |w| Answer::json(StatusCode::OK, &json(w)),
                ),
            _ => page_with_count(
                shared,
                req,
                version,
                s.workspaces.iter().map(json).collect(),
            ),
        })
    })
}

/// A workspace gateway as the world implies it: the service it sits beside and the
/// workspaces it serves.
struct Gateway<'w> {
    name: String,
    service: &'w Service,
    workspaces: Vec<String>,
}

impl Gateway<'_> {
    fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ApiManagement/gateways/{}",
            self.service.subscription, self.service.resource_group, self.name
        )
    }
}

/// Every gateway of a subscription (and resource group), in world order.
fn gateways<'w>(world: &'w World, sub: &str, rg: Option<&str>) -> Vec<Gateway<'w>> {
    let mut by_id: BTreeMap<String, Gateway<'w>> = BTreeMap::new();
    let mut order = Vec::new();
    for s in world.services_in(sub, rg) {
        for w in &s.workspaces {
            let Some(g) = &w.gateway else { continue };
            let gateway = Gateway {
                name: g.clone(),
                service: s,
                workspaces: Vec::new(),
            };
            let key = gateway.id().to_ascii_lowercase();
            if !by_id.contains_key(&key) {
                order.push(key.clone());
            }
            by_id
                .entry(key)
                .or_insert(gateway)
                .workspaces
                .push(workspace_id(s, &w.name));
        }
    }
    order.into_iter().filter_map(|k| by_id.remove(&k)).collect()
}

fn gateway_json(world: &World, g: &Gateway<'_>) -> Value {
    let short = world.short_region(&g.service.location);
    let lname = g.name.to_ascii_lowercase();
    json!({
        "id": g.id(),
        "name": g.name,
        "type": "Microsoft.ApiManagement/gateways",
        "location": g.service.location,
        "etag": etag(1),
        "sku": {"name": "WorkspaceGatewayPremium", "capacity": 1},
        "properties": {
            "provisioningState": "Succeeded",
            "targetProvisioningState": "",
            "createdAtUtc": arm_time(g.service.created),
            "frontend": {"defaultHostname": format!("{lname}.gateway.{short}-01.azure-api.net")},
            "configurationApi": {"hostname": format!("{lname}.configuration.{short}-01.azure-api.net")},
            "virtualNetworkType": "None",
        },
    })
}

/// `GET /subscriptions/{id}[/resourceGroups/{rg}]/providers/Microsoft.ApiManagement/gateways`.
pub(crate) fn list_gateways(
    shared: &Shared,
    req: &Incoming,
    sub: &str,
    rg: Option<&str>,
    version: &str,
) -> Answer {
    let items = shared.read(|live| {
        gateways(&live.world, sub, rg)
            .iter()
            .map(|g| gateway_json(&live.world, g))
            .collect()
    });
    page(shared, req, version, items)
}

/// `GET {gateway}` and `GET {gateway}/configConnections`.
pub(crate) fn gateway(
    shared: &Shared,
    req: &Incoming,
    (sub, rg, name): ServiceRef<'_>,
    part: &GatewayPart,
    version: &str,
) -> Answer {
    shared.read(|live| {
        let all = gateways(&live.world, sub, Some(rg));
        let Some(g) = all.iter().find(|g| g.name.eq_ignore_ascii_case(name)) else {
            return super::resource_not_found("Microsoft.ApiManagement/gateways", rg, name);
        };
        match part {
            GatewayPart::Itself => Answer::json(StatusCode::OK, &gateway_json(&live.world, g)),
            GatewayPart::ConfigConnections => {
                let short = live.world.short_region(&g.service.location);
                let items = g
                    .workspaces
                    .iter()
                    .map(|ws| {
                        let conn = ws.rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
                        json!({
                            "id": format!("{}/configConnections/{conn}", g.id()),
                            "name": conn,
                            "type": "Microsoft.ApiManagement/gateways/configConnections",
                            "etag": etag(1),
                            "properties": {
                                "provisioningState": "Succeeded",
                                "sourceId": ws,
                                "defaultHostname": format!("{conn}.{}.gateway.{short}.azure-api.net", g.name.to_ascii_lowercase()),
                            },
                        })
                    })
                    .collect();
                page(shared, req, version, items)
            }
            GatewayPart::Other(tail) => Answer::arm_error(
                StatusCode::BAD_REQUEST,
                "InvalidResourceType",
                format!(
                    "The resource type 'gateways/{tail}' could not be found in the namespace 'Microsoft.ApiManagement' for api version '{version}'."
                ),
            ),
        }
    })
}
