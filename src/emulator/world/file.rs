//! Reads the world file (format documented on [`World`]) into a validated [`World`].
//!
//! Serde checks the shape (unknown keys are refused, so a typo is reported with its line);
//! this file checks the top level in Azure's terms: GUID tenant and subscription ids, regions
//! and the api-versions pending in them, and hands each entry to its checker (services in
//! `services.rs`, storage accounts in `accounts.rs`, blobs in `blobs.rs`, the caller and role
//! assignments in `access.rs`). Every error names the entry
//! (`storage_accounts[1].containers[0].blobs[2].name`). Pure.

use std::net::Ipv4Addr;

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::access::{FileCaller, FileRoleAssignment, caller, role_assignments};
use super::accounts::{FileAccount, account};
use super::deleted::{FileDeleted, deleted};
use super::dns::{FileZone, zone};
use super::services::{FileService, service};
use super::traffic_manager::{FileProfile, profile};
use super::{Region, World, WorldError, WorldSubscription};
use crate::domain::names::SubscriptionId;
use crate::domain::region::region_key;
use crate::emulator::arm::api_versions::APIM;

/// Tenant used when the file names none.
pub(crate) const DEFAULT_TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileWorld {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    lenient_names: bool,
    #[serde(default)]
    caller: Option<FileCaller>,
    #[serde(default)]
    subscriptions: Vec<FileSubscription>,
    #[serde(default)]
    locations: Vec<FileRegion>,
    #[serde(default)]
    services: Vec<FileService>,
    #[serde(default)]
    deleted_services: Vec<FileDeleted>,
    #[serde(default)]
    storage_accounts: Vec<FileAccount>,
    #[serde(default)]
    role_assignments: Vec<FileRoleAssignment>,
    #[serde(default)]
    dns_zones: Vec<FileZone>,
    #[serde(default)]
    traffic_manager_profiles: Vec<FileProfile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSubscription {
    id: String,
    display_name: String,
    #[serde(default)]
    state: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRegion {
    name: String,
    display_name: String,
    #[serde(default)]
    paired_region: Option<String>,
    #[serde(default)]
    geography_group: Option<String>,
    #[serde(default)]
    latitude: Option<String>,
    #[serde(default)]
    longitude: Option<String>,
    #[serde(default)]
    physical_location: Option<String>,
    #[serde(default)]
    apim_pending_api_versions: Vec<String>,
    #[serde(default)]
    apim_control_plane_ip: Option<String>,
}

/// Parses and validates a world file, resolving relative ages against `now`.
pub(crate) fn parse(text: &str, now: OffsetDateTime) -> Result<World, WorldError> {
    let file: FileWorld = serde_json::from_str(text).map_err(|e| WorldError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let _ = file.description;
    let lenient = file.lenient_names;
    let tenant_id = match file.tenant_id {
        Some(t) if !lenient && SubscriptionId::parse(&t).is_err() => {
            return Err(WorldError::invalid(
                "tenant_id",
                format!("'{t}' is not a GUID"),
            ));
        }
        Some(t) => t,
        None => DEFAULT_TENANT.to_owned(),
    };
    let mut world = World {
        tenant_id,
        lenient_names: lenient,
        subscriptions: subscriptions(file.subscriptions, lenient)?,
        locations: regions(file.locations)?,
        services: Vec::new(),
        deleted: Vec::new(),
        accounts: Vec::new(),
        caller: caller(file.caller)?,
        role_assignments: Vec::new(),
        dns_zones: Vec::new(),
        traffic_managers: Vec::new(),
    };
    for (i, s) in file.services.into_iter().enumerate() {
        let svc = service(&world, &format!("services[{i}]"), s, now)?;
        world.services.push(svc);
    }
    for (i, d) in file.deleted_services.into_iter().enumerate() {
        let gone = deleted(&world, &format!("deleted_services[{i}]"), d, now)?;
        world.deleted.push(gone);
    }
    for (i, a) in file.storage_accounts.into_iter().enumerate() {
        let acct = account(&world, &format!("storage_accounts[{i}]"), a, lenient, now)?;
        world.accounts.push(acct);
    }
    world.role_assignments = role_assignments(&world, file.role_assignments)?;
    for (i, z) in file.dns_zones.into_iter().enumerate() {
        let z = zone(&world, &format!("dns_zones[{i}]"), z)?;
        world.dns_zones.push(z);
    }
    for (i, p) in file.traffic_manager_profiles.into_iter().enumerate() {
        let p = profile(&world, &format!("traffic_manager_profiles[{i}]"), p)?;
        world.traffic_managers.push(p);
    }
    Ok(world)
}

/// Subscription states ARM knows.
const STATES: [&str; 5] = ["Enabled", "Warned", "PastDue", "Disabled", "Deleted"];

fn subscriptions(
    list: Vec<FileSubscription>,
    lenient: bool,
) -> Result<Vec<WorldSubscription>, WorldError> {
    let mut out: Vec<WorldSubscription> = Vec::new();
    for (i, s) in list.into_iter().enumerate() {
        let path = format!("subscriptions[{i}]");
        if !lenient {
            SubscriptionId::parse(&s.id)
                .map_err(|e| WorldError::invalid(format!("{path}.id"), e.to_string()))?;
        }
        if s.id.is_empty() || s.id.contains('/') {
            return Err(WorldError::invalid(
                format!("{path}.id"),
                "must be a non-empty id without '/'",
            ));
        }
        if out.iter().any(|o| o.id.eq_ignore_ascii_case(&s.id)) {
            return Err(WorldError::invalid(
                format!("{path}.id"),
                format!("duplicate subscription '{}'", s.id),
            ));
        }
        let state = s.state.unwrap_or_else(|| "Enabled".to_owned());
        if !STATES.contains(&state.as_str()) {
            return Err(WorldError::invalid(
                format!("{path}.state"),
                format!("'{state}' is not one of {}", STATES.join(", ")),
            ));
        }
        out.push(WorldSubscription {
            id: s.id,
            display_name: s.display_name,
            state,
        });
    }
    Ok(out)
}

fn regions(list: Vec<FileRegion>) -> Result<Vec<Region>, WorldError> {
    let mut out: Vec<Region> = Vec::new();
    for (i, r) in list.into_iter().enumerate() {
        let path = format!("locations[{i}].name");
        for (j, v) in r.apim_pending_api_versions.iter().enumerate() {
            if !APIM.contains(&v.as_str()) {
                return Err(WorldError::invalid(
                    format!("locations[{i}].apim_pending_api_versions[{j}]"),
                    format!("'{v}' is not an API Management api-version"),
                ));
            }
        }
        let control_plane_ip = match &r.apim_control_plane_ip {
            None => None,
            Some(ip) => Some(ip.trim().parse::<Ipv4Addr>().map_err(|e| {
                WorldError::invalid(
                    format!("locations[{i}].apim_control_plane_ip"),
                    format!("'{ip}' is not an IPv4 address ({e})"),
                )
            })?),
        };
        if r.name.is_empty() || region_key(&r.name) != r.name {
            return Err(WorldError::invalid(
                path,
                format!("'{}' must be a lowercase short name without spaces", r.name),
            ));
        }
        if out.iter().any(|o| o.name == r.name) {
            return Err(WorldError::invalid(
                path,
                format!("duplicate location '{}'", r.name),
            ));
        }
        out.push(Region {
            name: r.name,
            display_name: r.display_name,
            pair: r.paired_region,
            geography_group: r.geography_group,
            place: match (r.latitude, r.longitude, r.physical_location) {
                (Some(la), Some(lo), Some(pl)) => Some((la, lo, pl)),
                _ => None,
            },
            pending_api_versions: r.apim_pending_api_versions,
            control_plane_ip,
        });
    }
    Ok(out)
}

/// The stored spelling of a location: the declared display name when regions are declared.
pub(crate) fn location(
    world: &World,
    path: &str,
    name: &str,
    display: bool,
) -> Result<String, WorldError> {
    if name.trim().is_empty() {
        return Err(WorldError::invalid(path, "a location is required"));
    }
    if world.locations.is_empty() {
        return Ok(name.to_owned());
    }
    let key = region_key(name);
    world
        .locations
        .iter()
        .find(|r| r.name == key || region_key(&r.display_name) == key)
        .map(|r| {
            if display {
                r.display_name.clone()
            } else {
                r.name.clone()
            }
        })
        .ok_or_else(|| {
            WorldError::invalid(
                path,
                format!("'{name}' is not one of this world's locations"),
            )
        })
}

/// The stored id of a subscription the entry refers to.
pub(crate) fn subscription_ref(world: &World, path: &str, id: &str) -> Result<String, WorldError> {
    world
        .subscription(id)
        .map(|s| s.id.clone())
        .ok_or_else(|| WorldError::invalid(path, format!("no subscription '{id}' in this world")))
}

/// An optional RFC 3339 time, or `default`.
pub(crate) fn timestamp(
    path: &str,
    value: Option<&str>,
    default: OffsetDateTime,
) -> Result<OffsetDateTime, WorldError> {
    value.map_or(Ok(default), |v| {
        OffsetDateTime::parse(v, &Rfc3339)
            .map_err(|e| WorldError::invalid(path, format!("'{v}' is not an RFC 3339 time: {e}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::world::services::derived_guid;

    const NOW: OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    #[test]
    fn declared_locations_are_enforced_and_spelled_as_declared() {
        let text = format!(
            r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],
            "locations":[{{"name":"westeurope","display_name":"West Europe"}}],
            "services":[{{"subscription":"{SUB}","resource_group":"rg","name":"a","location":"westeurope","sku":"Basic"}}]}}"#
        );
        let w = parse(&text, NOW).unwrap();
        assert_eq!(w.services[0].location, "West Europe");
        let e = parse(
            &text.replace("\"location\":\"westeurope\"", "\"location\":\"Mars\""),
            NOW,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("services[0].location: 'Mars'"), "{e}");
        let pending = text.replace(
            "\"display_name\":\"West Europe\"",
            "\"display_name\":\"West Europe\",\"apim_pending_api_versions\":[\"2026-03-01-preview\"],\"apim_control_plane_ip\":\"13.69.64.76\"",
        );
        let w = parse(&pending, NOW).unwrap();
        assert_eq!(w.locations[0].pending_api_versions, ["2026-03-01-preview"]);
        assert!(w.locations[0].control_plane_ip.is_some());
        let e = parse(&pending.replace("2026-03-01-preview", "2099-01-01"), NOW)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("locations[0].apim_pending_api_versions[0]: '2099-01-01'"),
            "{e}"
        );
    }

    #[test]
    fn lenient_names_accept_the_rest_examples() {
        let text = r#"{"lenient_names":true,"subscriptions":[{"id":"subid","display_name":"S"}],
            "storage_accounts":[{"subscription":"subid","resource_group":"rg1","name":"teststorageaccount",
            "location":"westus","containers":[{"name":"backupContainer"}]}]}"#;
        assert!(parse(text, NOW).is_ok());
        assert!(parse(&text.replace("\"lenient_names\":true,", ""), NOW).is_err());
        assert_eq!(derived_guid("a"), derived_guid("a"));
        assert_ne!(derived_guid("a"), derived_guid("b"));
        assert!(SubscriptionId::parse(&derived_guid("x")).is_ok());
    }
}
