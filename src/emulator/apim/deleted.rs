//! Soft-deleted services (`Microsoft.ApiManagement/deletedservices`): the subscription's list,
//! one by location and name, and its purge (`DELETE`, after which the name is free), shaped as
//! `ApiManagementDeletedServicesListBySubscription.json` and `…Purge.json`. An entry older
//! than the 48-hour retention is gone, as Azure purges it.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::emulator::arm::paging::page;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::{Answer, arm_time};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::World;
use crate::emulator::world::deleted::{DeletedService, RETENTION};

fn body(world: &World, d: &DeletedService) -> Value {
    json!({
        "id": format!(
            "/subscriptions/{}/providers/Microsoft.ApiManagement/locations/{}/deletedservices/{}",
            d.subscription, world.short_region(&d.location), d.name
        ),
        "name": d.name,
        "type": "Microsoft.ApiManagement/deletedservices",
        "location": d.location,
        "properties": {
            "serviceId": d.service_id(),
            "scheduledPurgeDate": arm_time(d.deleted + RETENTION),
            "deletionDate": arm_time(d.deleted),
        }
    })
}

fn kept(d: &DeletedService, now: OffsetDateTime) -> bool {
    now < d.deleted + RETENTION
}

/// `GET /subscriptions/{id}/providers/Microsoft.ApiManagement/deletedservices`.
pub(crate) fn list(shared: &Shared, req: &Incoming, sub: &str, version: &str) -> Answer {
    let items = shared.read(|live| {
        live.world
            .deleted
            .iter()
            .filter(|d| d.subscription.eq_ignore_ascii_case(sub) && kept(d, req.now))
            .map(|d| body(&live.world, d))
            .collect()
    });
    page(shared, req, version, items)
}

/// The index of the addressed soft-deleted service, or APIM's 404.
fn find(
    world: &World,
    (sub, location, name): (&str, &str, &str),
    now: OffsetDateTime,
) -> Result<usize, Answer> {
    world
        .deleted
        .iter()
        .position(|d| {
            d.subscription.eq_ignore_ascii_case(sub)
                && d.name.eq_ignore_ascii_case(name)
                && world
                    .short_region(&d.location)
                    .eq_ignore_ascii_case(location)
                && kept(d, now)
        })
        .ok_or_else(|| {
            Answer::arm_error(
                StatusCode::NOT_FOUND,
                "ServiceNotFound",
                format!("Api service {name} was not found."),
            )
        })
}

/// `GET` or `DELETE` (purge) `…/locations/{location}/deletedservices/{name}`.
pub(crate) fn one(shared: &Shared, req: &Incoming, addr: (&str, &str, &str)) -> Answer {
    if req.method == Method::DELETE {
        return shared.change(|live| {
            let i = find(&live.world, addr, req.now)?;
            let reply = Answer::json(StatusCode::OK, &body(&live.world, &live.world.deleted[i]));
            live.world.deleted.remove(i);
            Ok(reply)
        });
    }
    shared.answer(|live| {
        let i = find(&live.world, addr, req.now)?;
        Ok(Answer::json(
            StatusCode::OK,
            &body(&live.world, &live.world.deleted[i]),
        ))
    })
}
