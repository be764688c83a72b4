//! Creating a service: `PUT {service}` as ARM's asynchronous create (201, the service
//! `Activating` until its creation time has passed, then `Succeeded`), and
//! `POST …/checkNameAvailability`. Service names are global: a live service anywhere, or a
//! soft-deleted one, keeps its name taken (`ServiceAlreadyExistsInSoftDeletedState` on the
//! PUT). A new classic-tier service holds the Echo API and the Starter and Unlimited
//! products, as Azure's do.
//!
//! Creation takes 40 minutes in Azure for the classic tiers and 5 for the v2 ones, divided by
//! the emulator's speed (`docs/FIDELITY.md`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::admission::field;
use super::{ServiceRef, json};
use crate::domain::names::ServiceName;
use crate::emulator::state::{LiveState, Shared};
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::services::derived_guid;
use crate::emulator::world::{Api, Item, Service};

/// A service being created: ends at `started + duration`.
#[derive(Debug, Clone)]
pub(crate) struct Creation {
    service: usize,
    started: Instant,
    duration: Duration,
}

/// How long creating a service of `sku` takes in Azure.
fn azure_duration(sku: &str) -> Duration {
    if sku.to_ascii_lowercase().ends_with("v2") {
        Duration::from_secs(5 * 60)
    } else {
        Duration::from_secs(40 * 60)
    }
}

fn bad_request(code: &str, message: impl Into<String>) -> Answer {
    Answer::arm_error(StatusCode::BAD_REQUEST, code, message)
}

fn required<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, Answer> {
    field(obj, name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            bad_request(
                "ValidationError",
                format!("Invalid parameter '{name}': a value is required."),
            )
        })
}

/// What a create PUT asks for.
struct Ask {
    location: String,
    sku: String,
    capacity: u32,
    publisher_email: String,
    publisher_name: String,
    system_identity: bool,
    tags: BTreeMap<String, String>,
}

fn ask(body: &[u8]) -> Result<Ask, Answer> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: '{e}'."),
        )
    })?;
    let empty = Map::new();
    let obj = value.as_object().unwrap_or(&empty);
    let sku = field(obj, "sku")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let props = field(obj, "properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let identity = field(obj, "identity")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let capacity = field(sku, "capacity").and_then(Value::as_u64).unwrap_or(1);
    Ok(Ask {
        location: required(obj, "location")?.to_owned(),
        sku: required(sku, "name")?.to_owned(),
        capacity: u32::try_from(capacity).unwrap_or(u32::MAX),
        publisher_email: required(props, "publisherEmail")?.to_owned(),
        publisher_name: required(props, "publisherName")?.to_owned(),
        system_identity: field(identity, "type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().contains("systemassigned")),
        tags: field(obj, "tags")
            .and_then(Value::as_object)
            .map(|t| {
                t.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Why a name cannot be used: `(reason, message)` as checkNameAvailability words it.
fn unavailable(live: &LiveState, name: &str) -> Option<(&'static str, String)> {
    if let Err(e) = ServiceName::parse(name) {
        return Some(("Invalid", e.to_string()));
    }
    let used = live
        .world
        .services
        .iter()
        .map(|s| s.name.as_str())
        .chain(live.world.deleted.iter().map(|d| d.name.as_str()))
        .any(|n| n.eq_ignore_ascii_case(name));
    used.then(|| {
        (
            "AlreadyExists",
            format!("{name} is already in use. Please select a different name."),
        )
    })
}

/// `POST /subscriptions/{id}/providers/Microsoft.ApiManagement/checkNameAvailability`.
pub(crate) fn check_name(shared: &Shared, req: &Incoming) -> Answer {
    let value: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let Some(name) = value.get("name").and_then(Value::as_str) else {
        return bad_request(
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: 'name' is required.",
        );
    };
    let body = shared.read(|live| match unavailable(live, name) {
        None => json!({"nameAvailable": true, "reason": "Valid", "message": ""}),
        Some((reason, message)) => {
            json!({"nameAvailable": false, "reason": reason, "message": message})
        }
    });
    Answer::json(StatusCode::OK, &body)
}

/// `PUT {service}`: creates the service (201, `Activating`). An existing one is answered as
/// it is (updates are not modelled).
pub(crate) fn put(
    shared: &Shared,
    req: &Incoming,
    (sub, rg, name): ServiceRef<'_>,
    version: &str,
) -> Answer {
    let ask = match ask(&req.body) {
        Ok(a) => a,
        Err(refusal) => return refusal,
    };
    let duration = azure_duration(&ask.sku).div_f64(shared.settings.speed);
    shared.change(|live| {
        if let Some(i) = live.world.service_index(sub, rg, name) {
            let s = &live.world.services[i];
            return Ok(Answer::json(
                StatusCode::OK,
                &json::service(s, &live.world, &shared.arm_base, version),
            ));
        }
        refuse_name(live, name)?;
        let Some(location) = live.world.region_display(&ask.location) else {
            return Err(bad_request(
                "LocationNotAvailableForResourceType",
                format!(
                    "The provided location '{}' is not available for resource type 'Microsoft.ApiManagement/service'.",
                    ask.location
                ),
            ));
        };
        let subscription = live
            .world
            .subscription(sub)
            .map_or_else(|| sub.to_owned(), |s| s.id.clone());
        let service = new_service(ask, (&subscription, rg, name), location, req.now);
        live.world.services.push(service);
        let index = live.world.services.len() - 1;
        live.creations.push(Creation {
            service: index,
            started: Instant::now(),
            duration,
        });
        let s = &live.world.services[index];
        Ok(Answer::json(
            StatusCode::CREATED,
            &json::service(s, &live.world, &shared.arm_base, version),
        ))
    })
}

/// The refusal of a name a new service cannot take: soft-deleted, used, or invalid.
fn refuse_name(live: &LiveState, name: &str) -> Result<(), Answer> {
    if live
        .world
        .deleted
        .iter()
        .any(|d| d.name.eq_ignore_ascii_case(name))
    {
        return Err(Answer::arm_error(
            StatusCode::CONFLICT,
            "ServiceAlreadyExistsInSoftDeletedState",
            format!(
                "Api service {name} was soft-deleted. In order to create the new service with the same name, you have to either undelete the service or purge it. See https://aka.ms/apimsoftdelete."
            ),
        ));
    }
    match unavailable(live, name) {
        Some(("Invalid", message)) => Err(bad_request("InvalidParameters", message)),
        Some(_) => Err(Answer::arm_error(
            StatusCode::CONFLICT,
            "ServiceAlreadyExists",
            format!("Api service already exists: {name}"),
        )),
        None => Ok(()),
    }
}

/// A new service as `ask` describes it, `Activating`, with what Azure puts in a new one.
fn new_service(
    ask: Ask,
    (sub, rg, name): ServiceRef<'_>,
    location: String,
    now: time::OffsetDateTime,
) -> Service {
    let consumption = ask.sku.eq_ignore_ascii_case("Consumption");
    let classic = !consumption && !ask.sku.to_ascii_lowercase().ends_with("v2");
    Service {
        subscription: sub.to_owned(),
        resource_group: rg.to_owned(),
        name: name.to_owned(),
        location,
        capacity: if consumption { 0 } else { ask.capacity.max(1) },
        sku: ask.sku,
        additional_locations: Vec::new(),
        hostnames: Vec::new(),
        publisher_email: ask.publisher_email,
        publisher_name: ask.publisher_name,
        provisioning_state: "Activating".to_owned(),
        target_provisioning_state: "Succeeded".to_owned(),
        system_identity: ask.system_identity.then(|| derived_guid(name)),
        user_identities: Vec::new(),
        tags: ask.tags,
        custom_properties: BTreeMap::new(),
        created: now,
        apis: if classic {
            vec![Api {
                name: "echo-api".to_owned(),
                display_name: "Echo API".to_owned(),
                path: "echo".to_owned(),
            }]
        } else {
            Vec::new()
        },
        products: if classic {
            ["Starter", "Unlimited"]
                .into_iter()
                .map(|display| Item {
                    name: display.to_lowercase(),
                    display_name: display.to_owned(),
                    secret: false,
                })
                .collect()
        } else {
            Vec::new()
        },
        named_values: Vec::new(),
        workspaces: Vec::new(),
        restored_from: None,
        disabled_gateways: Vec::new(),
        etag_serial: 1,
    }
}

impl LiveState {
    /// Ends every creation whose time has come; true when one did.
    pub fn advance_creations(&mut self, now: Instant) -> bool {
        let (done, running): (Vec<Creation>, Vec<Creation>) = self
            .creations
            .drain(..)
            .partition(|c| now.saturating_duration_since(c.started) >= c.duration);
        self.creations = running;
        for c in &done {
            if let Some(s) = self.world.services.get_mut(c.service) {
                "Succeeded".clone_into(&mut s.provisioning_state);
                s.target_provisioning_state = String::new();
                s.touch();
            }
        }
        !done.is_empty()
    }
}
