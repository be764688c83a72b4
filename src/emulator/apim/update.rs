//! `PATCH {service}`: the one update DR drills need, switching a region's gateway off and on
//! (`properties.disableGateway` for the primary region, `additionalLocations[].disableGateway`
//! for the others) [doc: "Property only valid for an Api Management service deployed in
//! multiple locations. This can be used to disable the gateway in this additional location"].
//! A disabled gateway routes no traffic; the service's main host routes around it. Other
//! properties are accepted and left as they are; adding or removing regions is not modelled
//! (`docs/FIDELITY.md`).

use axum::http::StatusCode;
use serde_json::Value;

use super::{ServiceRef, json, resource_not_found};
use crate::domain::region::same_region;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::Service;

fn bad_request(code: &str, message: impl Into<String>) -> Answer {
    Answer::arm_error(StatusCode::BAD_REQUEST, code, message)
}

/// The gateway switches a PATCH body asks for: `(location, disabled)`, `None` for the
/// primary region's location.
fn switches(body: &[u8]) -> Result<Vec<(Option<String>, bool)>, Answer> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: '{e}'."),
        )
    })?;
    let props = v.get("properties");
    let mut out = Vec::new();
    if let Some(d) = props.and_then(|p| p.get("disableGateway")) {
        let d = d.as_bool().ok_or_else(|| {
            bad_request("InvalidRequestContent", "disableGateway must be a boolean.")
        })?;
        out.push((None, d));
    }
    if let Some(list) = props.and_then(|p| p.get("additionalLocations")) {
        let list = list.as_array().ok_or_else(|| {
            bad_request(
                "InvalidRequestContent",
                "additionalLocations must be an array.",
            )
        })?;
        for l in list {
            let location = l.get("location").and_then(Value::as_str).ok_or_else(|| {
                bad_request(
                    "InvalidParameters",
                    "Invalid parameter: location is required for each additional location.",
                )
            })?;
            let d = l
                .get("disableGateway")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            out.push((Some(location.to_owned()), d));
        }
    }
    Ok(out)
}

/// Applies the switches to `s`, or says why they cannot be.
fn apply(s: &mut Service, asked: &[(Option<String>, bool)]) -> Result<(), Answer> {
    let multi = !s.additional_locations.is_empty();
    let unknown = asked.iter().filter_map(|(l, _)| l.as_ref()).find(|l| {
        !s.additional_locations
            .iter()
            .any(|(a, _)| same_region(a, l))
    });
    if let Some(l) = unknown {
        return Err(bad_request(
            "InvalidParameters",
            format!(
                "Invalid parameter: {l} is not an additional location of {}; adding or removing regions is not modelled by the emulator.",
                s.name
            ),
        ));
    }
    if asked.iter().any(|(_, d)| *d) && !multi {
        return Err(bad_request(
            "InvalidParameters",
            "Invalid parameter: disableGateway is only valid for an Api Management service deployed in multiple locations.",
        ));
    }
    for (location, disabled) in asked {
        let location = location.clone().unwrap_or_else(|| s.location.clone());
        s.disabled_gateways.retain(|l| !same_region(l, &location));
        if *disabled {
            s.disabled_gateways.push(location);
        }
    }
    s.touch();
    Ok(())
}

/// `PATCH {service}`: 200 with the service as it is after the change [infer: applied at
/// once; Azure may answer 202 and run it as an update].
pub(crate) fn patch(
    shared: &Shared,
    req: &Incoming,
    (sub, rg, name): ServiceRef<'_>,
    version: &str,
) -> Answer {
    let asked = match switches(&req.body) {
        Ok(a) => a,
        Err(refusal) => return refusal,
    };
    shared.change(|live| {
        let Some(i) = live.world.service_index(sub, rg, name) else {
            return Err(resource_not_found(
                "Microsoft.ApiManagement/service",
                rg,
                name,
            ));
        };
        let mut changed = live.world.services[i].clone();
        apply(&mut changed, &asked)?;
        // Applied to a copy: a refusal leaves the service as it was.
        live.world.services[i] = changed;
        let s = &live.world.services[i];
        Ok(Answer::json(
            StatusCode::OK,
            &json::service(s, &live.world, &shared.arm_base, version),
        ))
    })
}
