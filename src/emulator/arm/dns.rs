//! Azure DNS (`Microsoft.Network/dnszones`): the zones of a subscription or group, one zone,
//! its record sets (`…/recordsets`, `…/CNAME`) and one CNAME record set (`GET`, `PUT`), shaped
//! as `ListZonesBySubscription.json`, `ListCNAMERecordset.json` and
//! `CreateOrUpdateCNAMERecordset.json`. A `PUT` honours `If-Match` (the record set's etag, or
//! `*`: it must exist) and `If-None-Match: *` (it must not): a mismatch is Azure DNS's 412
//! `PreconditionFailed` and changes nothing. Every write gives the record set a new etag.
//! Only CNAME record sets are emulated.

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::paging::page;
use super::route::DnsPart;
use crate::emulator::apim::resource_not_found;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::dns::{CnameRecord, DnsZone};
use crate::emulator::world::{World, in_scope};

/// The name servers every emulated zone is delegated to.
const NAME_SERVERS: [&str; 4] = [
    "ns1-01.azure-dns.com",
    "ns2-01.azure-dns.net",
    "ns3-01.azure-dns.org",
    "ns4-01.azure-dns.info",
];

fn zone_body(z: &DnsZone) -> Value {
    json!({
        "id": z.id(),
        "name": z.name,
        "type": "Microsoft.Network/dnszones",
        "etag": crate::emulator::world::services::derived_guid(&z.id().to_ascii_lowercase()),
        "location": "global",
        "tags": {},
        "properties": {
            "maxNumberOfRecordSets": 10000,
            "nameServers": NAME_SERVERS,
            "numberOfRecordSets": z.cnames.len(),
            "zoneType": "Public",
        }
    })
}

fn record_body(z: &DnsZone, r: &CnameRecord) -> Value {
    json!({
        "id": format!("{}/CNAME/{}", z.id(), r.name),
        "name": r.name,
        "type": "Microsoft.Network/dnszones/CNAME",
        "etag": z.etag(r),
        "properties": {
            "metadata": r.metadata,
            "TTL": r.ttl,
            "fqdn": z.fqdn(&r.name),
            "provisioningState": "Succeeded",
            "targetResource": {},
            "CNAMERecord": { "cname": r.cname },
        }
    })
}

/// `GET …/providers/Microsoft.Network/dnszones` of a subscription or a resource group.
pub(crate) fn list_zones(
    shared: &Shared,
    req: &Incoming,
    sub: &str,
    rg: Option<&str>,
    version: &str,
) -> Answer {
    let items = shared.read(|live| {
        live.world
            .dns_zones
            .iter()
            .filter(|z| in_scope(sub, rg, &z.subscription, &z.resource_group))
            .map(zone_body)
            .collect()
    });
    page(shared, req, version, items)
}

/// `(subscription, resource group, zone)` as the path spells them.
type ZoneRef<'a> = (&'a str, &'a str, &'a str);

fn find_zone(world: &World, (sub, rg, zone): ZoneRef<'_>) -> Result<usize, Answer> {
    let name = zone.trim_end_matches('.');
    world
        .dns_zones
        .iter()
        .position(|z| {
            in_scope(sub, Some(rg), &z.subscription, &z.resource_group)
                && z.name.eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| resource_not_found("Microsoft.Network/dnszones", rg, zone))
}

/// Azure DNS's 404 for a record set that does not exist.
fn no_record((sub, rg, _): ZoneRef<'_>, name: &str) -> Answer {
    Answer::arm_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!(
            "The resource record '{name}' does not exist in resource group '{rg}' of subscription '{sub}'."
        ),
    )
}

/// A zone and what is below it.
pub(crate) fn zone(
    shared: &Shared,
    req: &Incoming,
    addr: ZoneRef<'_>,
    part: &DnsPart,
    version: &str,
) -> Answer {
    match part {
        DnsPart::Cname(name) if req.method == Method::PUT => put_cname(shared, req, addr, name),
        DnsPart::Itself => shared.answer(|live| {
            let i = find_zone(&live.world, addr)?;
            Ok(Answer::json(
                StatusCode::OK,
                &zone_body(&live.world.dns_zones[i]),
            ))
        }),
        DnsPart::RecordSets => {
            let items = shared.read(|live| {
                find_zone(&live.world, addr).map(|i| {
                    let z = &live.world.dns_zones[i];
                    z.cnames.iter().map(|r| record_body(z, r)).collect()
                })
            });
            match items {
                Ok(items) => page(shared, req, version, items),
                Err(refusal) => refusal,
            }
        }
        DnsPart::Cname(name) => shared.answer(|live| {
            let z = &live.world.dns_zones[find_zone(&live.world, addr)?];
            z.cnames
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(name))
                .map(|r| Answer::json(StatusCode::OK, &record_body(z, r)))
                .ok_or_else(|| no_record(addr, name))
        }),
        DnsPart::Other(_) => super::not_found(req),
    }
}

/// Azure DNS's 412 for a precondition that does not hold.
fn precondition_failed(message: String) -> Answer {
    Answer::arm_error(
        StatusCode::PRECONDITION_FAILED,
        "PreconditionFailed",
        message,
    )
}

/// The value of a conditional header without the quotes a client may put around it.
fn condition(req: &Incoming, name: &str) -> Option<String> {
    req.header(name).map(|v| {
        let v = v.trim();
        let v = v.strip_prefix("W/").unwrap_or(v);
        v.trim_matches('"').to_owned()
    })
}

/// What a CNAME `PUT` body asks for: the canonical name, the TTL, the metadata.
/// The canonical name, the TTL if given, the metadata.
type CnameAsk = (String, Option<u32>, Map<String, Value>);

fn cname_ask(body: &[u8]) -> Result<CnameAsk, Answer> {
    let bad = |m: String| Answer::arm_error(StatusCode::BAD_REQUEST, "BadRequest", m);
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        bad(format!(
            "The request content was invalid and could not be deserialized: '{e}'."
        ))
    })?;
    let props = value.get("properties").cloned().unwrap_or(Value::Null);
    let cname = props
        .get("CNAMERecord")
        .or_else(|| props.get("cnameRecord"))
        .and_then(|c| c.get("cname"))
        .and_then(Value::as_str)
        .map(|c| c.trim().trim_end_matches('.').to_owned())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            bad("The CNAME record set must contain exactly one record (properties.CNAMERecord.cname).".to_owned())
        })?;
    let ttl = props
        .get("TTL")
        .or_else(|| props.get("ttl"))
        .and_then(Value::as_u64)
        .map(|t| u32::try_from(t).unwrap_or(u32::MAX));
    let metadata = props
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok((cname, ttl, metadata))
}

/// `PUT …/CNAME/{name}`: creates or replaces the record set, under `If-Match` /
/// `If-None-Match`.
fn put_cname(shared: &Shared, req: &Incoming, addr: ZoneRef<'_>, name: &str) -> Answer {
    let if_match = condition(req, "if-match");
    let if_none_match = condition(req, "if-none-match");
    shared.change(|live| {
        let zi = find_zone(&live.world, addr)?;
        let (cname, ttl, metadata) = cname_ask(&req.body)?;
        let z = &mut live.world.dns_zones[zi];
        let at = z.cnames.iter().position(|r| r.name.eq_ignore_ascii_case(name));
        let current = at.map(|i| z.etag(&z.cnames[i]));
        if let Some(want) = &if_match {
            match &current {
                None => {
                    return Err(precondition_failed(format!(
                        "The condition '{want}' in the If-Match header was not satisfied."
                    )));
                }
                Some(now) if want != "*" && !want.eq_ignore_ascii_case(now) => {
                    return Err(precondition_failed(format!(
                        "The condition '{want}' in the If-Match header was not satisfied. The current was '{now}'."
                    )));
                }
                Some(_) => {}
            }
        }
        if if_none_match.as_deref() == Some("*") && current.is_some() {
            return Err(precondition_failed(
                "The condition '*' in the If-None-Match header was satisfied.".to_owned(),
            ));
        }
        let (status, i) = if let Some(i) = at {
            let r = &mut z.cnames[i];
            r.cname = cname;
            r.ttl = ttl.unwrap_or(r.ttl);
            r.metadata = metadata;
            r.etag_serial = r.etag_serial.wrapping_add(1);
            (StatusCode::OK, i)
        } else {
            z.cnames.push(CnameRecord {
                name: name.to_owned(),
                cname,
                ttl: ttl.unwrap_or(3600),
                metadata,
                etag_serial: 1,
            });
            (StatusCode::CREATED, z.cnames.len() - 1)
        };
        Ok(Answer::json(status, &record_body(z, &z.cnames[i])))
    })
}
