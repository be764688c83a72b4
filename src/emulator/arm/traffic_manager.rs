//! Traffic Manager (`Microsoft.Network/trafficmanagerprofiles`): the profiles of a
//! subscription or group, one profile with its endpoints, and one endpoint (`GET`; `PUT` and
//! `PATCH` of an external endpoint), shaped as `Profile-PUT-WithEndpoints.json` and
//! `Endpoint-PATCH-External-Target.json`. Traffic Manager has no etags: a write replaces
//! (`PUT`) or merges (`PATCH`) whatever is there. Writes to Azure and nested endpoints are not
//! emulated (405).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::paging::page;
use super::route::TmPart;
use crate::emulator::apim::resource_not_found;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::traffic_manager::{ENDPOINT_TYPES, TmEndpoint, TmProfile};
use crate::emulator::world::{World, in_scope};

/// `externalEndpoints` of `ExternalEndpoints`, as ids and types spell it.
fn type_segment(kind: &str) -> String {
    let mut c = kind.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn endpoint_body(p: &TmProfile, e: &TmEndpoint) -> Value {
    let seg = type_segment(&e.kind);
    let mut props = json!({
        "endpointStatus": if e.enabled { "Enabled" } else { "Disabled" },
        "endpointMonitorStatus": if e.enabled { "Online" } else { "Disabled" },
        "target": e.target,
        "weight": e.weight,
        "priority": e.priority,
    });
    if let Some(l) = &e.location {
        props["endpointLocation"] = json!(l);
    }
    if let Some(id) = &e.target_resource_id {
        props["targetResourceId"] = json!(id);
    }
    json!({
        "id": format!("{}/{seg}/{}", p.id(), e.name),
        "name": e.name,
        "type": format!("Microsoft.Network/trafficManagerProfiles/{seg}"),
        "properties": props,
    })
}

fn profile_body(p: &TmProfile) -> Value {
    json!({
        "id": p.id(),
        "name": p.name,
        "type": "Microsoft.Network/trafficManagerProfiles",
        "location": "global",
        "tags": {},
        "properties": {
            "profileStatus": "Enabled",
            "trafficRoutingMethod": p.routing_method,
            "dnsConfig": {
                "relativeName": p.relative_name,
                "fqdn": p.fqdn(),
                "ttl": 60,
            },
            "monitorConfig": {
                "profileMonitorStatus": "Online",
                "protocol": "HTTPS",
                "port": 443,
                "path": "/status-0123456789abcdef",
                "intervalInSeconds": 30,
                "timeoutInSeconds": 10,
                "toleratedNumberOfFailures": 3,
            },
            "endpoints": p.endpoints.iter().map(|e| endpoint_body(p, e)).collect::<Vec<_>>(),
            "trafficViewEnrollmentStatus": "Disabled",
        }
    })
}

/// `GET …/providers/Microsoft.Network/trafficmanagerprofiles` of a subscription or a group.
pub(crate) fn list_profiles(
    shared: &Shared,
    req: &Incoming,
    sub: &str,
    rg: Option<&str>,
    version: &str,
) -> Answer {
    let items = shared.read(|live| {
        live.world
            .traffic_managers
            .iter()
            .filter(|p| in_scope(sub, rg, &p.subscription, &p.resource_group))
            .map(profile_body)
            .collect()
    });
    page(shared, req, version, items)
}

/// `(subscription, resource group, profile)` as the path spells them.
type ProfileRef<'a> = (&'a str, &'a str, &'a str);

fn find_profile(world: &World, (sub, rg, name): ProfileRef<'_>) -> Result<usize, Answer> {
    world
        .traffic_managers
        .iter()
        .position(|p| {
            in_scope(sub, Some(rg), &p.subscription, &p.resource_group)
                && p.name.eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| resource_not_found("Microsoft.Network/trafficmanagerprofiles", rg, name))
}

/// A profile, or one of its endpoints.
pub(crate) fn profile(
    shared: &Shared,
    req: &Incoming,
    addr: ProfileRef<'_>,
    part: &TmPart,
) -> Answer {
    match part {
        TmPart::Itself => shared.answer(|live| {
            let i = find_profile(&live.world, addr)?;
            Ok(Answer::json(
                StatusCode::OK,
                &profile_body(&live.world.traffic_managers[i]),
            ))
        }),
        TmPart::Endpoint(kind, name) => {
            let Some(kind) = ENDPOINT_TYPES.iter().find(|k| k.eq_ignore_ascii_case(kind)) else {
                return super::not_found(req);
            };
            if req.method == Method::GET {
                shared.answer(|live| {
                    let p = &live.world.traffic_managers[find_profile(&live.world, addr)?];
                    let e = find_endpoint(p, addr, kind, name)?;
                    Ok(Answer::json(
                        StatusCode::OK,
                        &endpoint_body(p, &p.endpoints[e]),
                    ))
                })
            } else {
                write_endpoint(shared, req, addr, kind, name)
            }
        }
        TmPart::Other(_) => super::not_found(req),
    }
}

fn find_endpoint(
    p: &TmProfile,
    (_, rg, _): ProfileRef<'_>,
    kind: &str,
    name: &str,
) -> Result<usize, Answer> {
    p.endpoints
        .iter()
        .position(|e| e.kind == kind && e.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            resource_not_found(
                &format!(
                    "Microsoft.Network/trafficManagerProfiles/{}/{}",
                    p.name,
                    type_segment(kind)
                ),
                rg,
                name,
            )
        })
}

fn bad_request(message: impl Into<String>) -> Answer {
    Answer::arm_error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// `PUT` (replace or create) or `PATCH` (merge) of an external endpoint.
fn write_endpoint(
    shared: &Shared,
    req: &Incoming,
    addr: ProfileRef<'_>,
    kind: &str,
    name: &str,
) -> Answer {
    let patch = req.method == Method::PATCH;
    shared.change(|live| {
        let pi = find_profile(&live.world, addr)?;
        let value: Value = serde_json::from_slice(&req.body).map_err(|e| {
            bad_request(format!(
                "The request content was invalid and could not be deserialized: '{e}'."
            ))
        })?;
        let props = value.get("properties").cloned().unwrap_or(Value::Null);
        let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::trim);
        let number = |k: &str| {
            props
                .get(k)
                .and_then(Value::as_u64)
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        let target = text("target");
        if target.is_some_and(str::is_empty) || (!patch && target.is_none()) {
            return Err(bad_request(
                "The 'target' property of an external endpoint is required.",
            ));
        }
        let p = &mut live.world.traffic_managers[pi];
        let at = p
            .endpoints
            .iter()
            .position(|e| e.kind == kind && e.name.eq_ignore_ascii_case(name));
        let (status, i) = match at {
            Some(i) => (StatusCode::OK, i),
            None if patch => {
                return Err(find_endpoint(p, addr, kind, name)
                    .err()
                    .unwrap_or_else(|| super::not_found(req)));
            }
            None => {
                p.endpoints.push(TmEndpoint {
                    name: name.to_owned(),
                    kind: kind.to_owned(),
                    target: String::new(),
                    target_resource_id: None,
                    location: None,
                    priority: u32::try_from(p.endpoints.len() + 1).unwrap_or(u32::MAX),
                    weight: 1,
                    enabled: true,
                });
                (StatusCode::CREATED, p.endpoints.len() - 1)
            }
        };
        let e = &mut p.endpoints[i];
        if let Some(t) = target {
            t.clone_into(&mut e.target);
        }
        if let Some(s) = text("endpointStatus") {
            e.enabled = !s.eq_ignore_ascii_case("Disabled");
        }
        if let Some(n) = number("priority") {
            e.priority = n;
        }
        if let Some(n) = number("weight") {
            e.weight = n;
        }
        if let Some(l) = text("endpointLocation") {
            e.location = Some(l.to_owned());
        }
        let body = endpoint_body(p, &p.endpoints[i]);
        Ok(Answer::json(status, &body))
    })
}
