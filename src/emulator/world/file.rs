//! Reads the world file (format documented on [`World`]) into a validated [`World`].
//!
//! Serde checks the shape (unknown keys are refused, so a typo is reported with its line);
//! this file checks the content in Azure's terms: GUID subscription ids, service, resource
//! group, storage account, container and blob names, references between entries, duplicates,
//! tier rules (services are checked in `services.rs`, blobs in `blobs.rs`). Every error names
//! the entry (`storage_accounts[1].containers[0].blobs[2].name`).
//! Pure apart from drawing random keys for accounts that declare none.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::blobs::{FileContainer, build_containers};
use super::services::{FileService, service};
use super::{Account, Region, World, WorldError, WorldSubscription};
use crate::domain::names::{ResourceGroupName, StorageAccountName, SubscriptionId};
use crate::domain::region::region_key;
use crate::secret::Secret;

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
    subscriptions: Vec<FileSubscription>,
    #[serde(default)]
    locations: Vec<FileRegion>,
    #[serde(default)]
    services: Vec<FileService>,
    #[serde(default)]
    storage_accounts: Vec<FileAccount>,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAccount {
    subscription: String,
    resource_group: String,
    name: String,
    location: String,
    #[serde(default)]
    keys: Option<Vec<String>>,
    #[serde(default)]
    allow_shared_key_access: Option<bool>,
    #[serde(default)]
    firewall: bool,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    containers: Vec<FileContainer>,
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
        subscriptions: subscriptions(file.subscriptions, lenient)?,
        locations: regions(file.locations)?,
        services: Vec::new(),
        accounts: Vec::new(),
    };
    for (i, s) in file.services.into_iter().enumerate() {
        let svc = service(&world, &format!("services[{i}]"), s, now)?;
        world.services.push(svc);
    }
    for (i, a) in file.storage_accounts.into_iter().enumerate() {
        let acct = account(&world, &format!("storage_accounts[{i}]"), a, lenient, now)?;
        world.accounts.push(acct);
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

/// Two random account keys: Base64 of 64 random bytes each, as Azure makes them.
fn random_keys() -> [Secret; 2] {
    let mut one = [0u8; 64];
    let mut two = [0u8; 64];
    rand::fill(&mut one);
    rand::fill(&mut two);
    [
        Secret::new(STANDARD.encode(one)),
        Secret::new(STANDARD.encode(two)),
    ]
}

fn account(
    world: &World,
    path: &str,
    a: FileAccount,
    lenient: bool,
    now: OffsetDateTime,
) -> Result<Account, WorldError> {
    let subscription = subscription_ref(world, &format!("{path}.subscription"), &a.subscription)?;
    ResourceGroupName::parse(&a.resource_group)
        .map_err(|e| WorldError::invalid(format!("{path}.resource_group"), e.to_string()))?;
    StorageAccountName::parse(&a.name)
        .map_err(|e| WorldError::invalid(format!("{path}.name"), e.to_string()))?;
    if world.account(&a.name).is_some() {
        return Err(WorldError::invalid(
            format!("{path}.name"),
            format!(
                "duplicate storage account '{}' (account names are global)",
                a.name
            ),
        ));
    }
    let keys = match a.keys {
        None => random_keys(),
        Some(list) => {
            // Key values never appear in errors: only their position does.
            let valid = |k: &String| STANDARD.decode(k.trim()).is_ok_and(|raw| !raw.is_empty());
            match list.as_slice() {
                [one, two] if valid(one) && valid(two) => {
                    [Secret::new(one.trim()), Secret::new(two.trim())]
                }
                [_, _] => {
                    return Err(WorldError::invalid(
                        format!("{path}.keys"),
                        "each key must be non-empty Base64",
                    ));
                }
                _ => {
                    return Err(WorldError::invalid(
                        format!("{path}.keys"),
                        "exactly two keys (key1, key2) are needed",
                    ));
                }
            }
        }
    };
    let containers = build_containers(world, path, a.containers, lenient, now)?;
    Ok(Account {
        location: location(world, &format!("{path}.location"), &a.location, false)?,
        created: timestamp(
            &format!("{path}.created"),
            a.created.as_deref(),
            now - time::Duration::days(400),
        )?,
        subscription,
        resource_group: a.resource_group,
        name: a.name,
        keys,
        allow_shared_key_access: a.allow_shared_key_access.unwrap_or(true),
        firewall: a.firewall,
        containers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::world::services::derived_guid;

    const NOW: OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn world(services: &str, accounts: &str) -> Result<World, WorldError> {
        parse(
            &format!(
                r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],
                "services":[{services}],"storage_accounts":[{accounts}]}}"#
            ),
            NOW,
        )
    }

    fn err(services: &str, accounts: &str) -> String {
        world(services, accounts).unwrap_err().to_string()
    }

    #[test]
    fn storage_errors_name_the_entry_and_never_the_key() {
        let acct = format!(
            r#"{{"subscription":"{SUB}","resource_group":"rg","name":"stx","location":"eastus"}}"#
        );
        assert!(world("", &acct).is_ok());
        let e = err("", &acct.replace("stx", "St_X"));
        assert!(e.contains("storage_accounts[0].name"), "{e}");
        let e = err(
            "",
            &acct.replace(
                "\"location\"",
                "\"keys\":[\"sekrit!!\",\"YQ==\"],\"location\"",
            ),
        );
        assert!(
            e.contains("storage_accounts[0].keys") && !e.contains("sekrit"),
            "{e}"
        );
        let e = err("", &format!("{acct},{acct}"));
        assert!(e.contains("duplicate storage account"), "{e}");
    }

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
