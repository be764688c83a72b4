//! The service part of the world file: tiers and units, extra regions, custom host names,
//! managed identities, workspaces (and their gateways) and the APIs a service holds, checked
//! by APIM's rules.
//! Every error names the entry (`services[3].capacity: …`). Pure.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::OffsetDateTime;

use super::file::{location, subscription_ref, timestamp};
use super::workspaces::{Workspace, workspaces};
use super::{Api, Hostname, Item, Service, UserIdentity, World, WorldError};
use crate::domain::names::{ResourceGroupName, ServiceName};

#[derive(Deserialize)]
#[serde(untagged)]
enum FileAdditional {
    Name(String),
    Full {
        location: String,
        #[serde(default)]
        capacity: Option<u32>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FileHostname {
    Name(String),
    Full {
        #[serde(rename = "type")]
        kind: String,
        host_name: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileUserIdentity {
    name: String,
    client_id: String,
    #[serde(default)]
    principal_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FileIdentity {
    Kind(String),
    Full {
        #[serde(default)]
        system_assigned: bool,
        #[serde(default)]
        user_assigned: Vec<FileUserIdentity>,
    },
}

/// One `services[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileService {
    subscription: String,
    resource_group: String,
    name: String,
    location: String,
    sku: String,
    #[serde(default)]
    capacity: Option<u32>,
    #[serde(default)]
    additional_locations: Vec<FileAdditional>,
    #[serde(default)]
    custom_hostnames: Vec<FileHostname>,
    #[serde(default)]
    publisher_email: Option<String>,
    #[serde(default)]
    publisher_name: Option<String>,
    #[serde(default)]
    provisioning_state: Option<String>,
    #[serde(default)]
    identity: Option<FileIdentity>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    custom_properties: BTreeMap<String, String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    apis: Vec<Api>,
    #[serde(default)]
    products: Vec<Item>,
    #[serde(default)]
    named_values: Vec<Item>,
    #[serde(default)]
    workspaces: Vec<Workspace>,
}

fn additional(
    world: &World,
    path: &str,
    list: Vec<FileAdditional>,
) -> Result<Vec<(String, u32)>, WorldError> {
    let mut out = Vec::new();
    for (j, a) in list.into_iter().enumerate() {
        let p = format!("{path}.additional_locations[{j}]");
        let (name, cap) = match a {
            FileAdditional::Name(n) => (n, 1),
            FileAdditional::Full { location, capacity } => (location, capacity.unwrap_or(1)),
        };
        out.push((location(world, &p, &name, true)?, cap));
    }
    Ok(out)
}

fn custom_hostnames(path: &str, list: Vec<FileHostname>) -> Result<Vec<Hostname>, WorldError> {
    let mut out = Vec::new();
    for (j, h) in list.into_iter().enumerate() {
        let (kind, host_name) = match h {
            FileHostname::Name(n) => ("Proxy".to_owned(), n),
            FileHostname::Full { kind, host_name } => (kind, host_name),
        };
        if host_name.is_empty() || host_name.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(WorldError::invalid(
                format!("{path}.custom_hostnames[{j}]"),
                format!("'{host_name}' is not a host name"),
            ));
        }
        out.push(Hostname { kind, host_name });
    }
    Ok(out)
}

/// Validates one service entry against the world read so far.
pub(crate) fn service(
    world: &World,
    path: &str,
    s: FileService,
    now: OffsetDateTime,
) -> Result<Service, WorldError> {
    let subscription = subscription_ref(world, &format!("{path}.subscription"), &s.subscription)?;
    ResourceGroupName::parse(&s.resource_group)
        .map_err(|e| WorldError::invalid(format!("{path}.resource_group"), e.to_string()))?;
    ServiceName::parse(&s.name)
        .map_err(|e| WorldError::invalid(format!("{path}.name"), e.to_string()))?;
    if world
        .services
        .iter()
        .any(|o| o.name.eq_ignore_ascii_case(&s.name))
    {
        return Err(WorldError::invalid(
            format!("{path}.name"),
            format!(
                "duplicate service '{}' (service names are global: {{name}}.azure-api.net)",
                s.name
            ),
        ));
    }
    if s.sku.trim().is_empty() {
        return Err(WorldError::invalid(
            format!("{path}.sku"),
            "a tier name is required",
        ));
    }
    let consumption = s.sku.eq_ignore_ascii_case("Consumption");
    let capacity = s.capacity.unwrap_or_else(|| u32::from(!consumption));
    if consumption && capacity != 0 {
        return Err(WorldError::invalid(
            format!("{path}.capacity"),
            "the Consumption tier has capacity 0",
        ));
    }
    if !consumption && capacity == 0 {
        return Err(WorldError::invalid(
            format!("{path}.capacity"),
            format!("the {} tier needs at least 1 unit", s.sku),
        ));
    }
    if !s.additional_locations.is_empty() && !s.sku.eq_ignore_ascii_case("Premium") {
        return Err(WorldError::invalid(
            format!("{path}.additional_locations"),
            "only the Premium tier has additional locations",
        ));
    }
    let additional_locations = additional(world, path, s.additional_locations)?;
    let hostnames = custom_hostnames(path, s.custom_hostnames)?;
    let workspaces = workspaces(path, &s.sku, s.workspaces)?;
    let (system_identity, user_identities) =
        identity(&format!("{path}.identity"), s.identity, &s.name)?;
    let mut apis: Vec<Api> = Vec::new();
    for (j, api) in s.apis.into_iter().enumerate() {
        check_api(&format!("{path}.apis[{j}]"), &api, &apis)?;
        apis.push(api);
    }
    let products = ids(&format!("{path}.products"), "product", s.products)?;
    let named_values = ids(
        &format!("{path}.named_values"),
        "named value",
        s.named_values,
    )?;
    Ok(Service {
        location: location(world, &format!("{path}.location"), &s.location, true)?,
        created: timestamp(
            &format!("{path}.created"),
            s.created.as_deref(),
            now - time::Duration::days(400),
        )?,
        subscription,
        resource_group: s.resource_group,
        publisher_email: s
            .publisher_email
            .unwrap_or_else(|| "apim-admin@contoso.com".to_owned()),
        publisher_name: s.publisher_name.unwrap_or_else(|| "Contoso".to_owned()),
        name: s.name,
        sku: s.sku,
        capacity,
        additional_locations,
        hostnames,
        provisioning_state: s
            .provisioning_state
            .unwrap_or_else(|| "Succeeded".to_owned()),
        target_provisioning_state: String::new(),
        system_identity,
        user_identities,
        tags: s.tags,
        custom_properties: s.custom_properties,
        apis,
        products,
        named_values,
        workspaces,
        restored_from: None,
        disabled_gateways: Vec::new(),
        etag_serial: 1,
    })
}

/// Checks one API entry against APIM's id rules and the ones already read.
pub(crate) fn check_api(path: &str, api: &Api, earlier: &[Api]) -> Result<(), WorldError> {
    let earlier: Vec<&str> = earlier.iter().map(|a| a.name.as_str()).collect();
    check_id(&format!("{path}.name"), "API", &api.name, &earlier)
}

/// Checks a list of product or named value ids (`kind`) against APIM's id rules.
fn ids(path: &str, kind: &str, list: Vec<Item>) -> Result<Vec<Item>, WorldError> {
    let mut out: Vec<Item> = Vec::new();
    for (j, item) in list.into_iter().enumerate() {
        let earlier: Vec<&str> = out.iter().map(|i| i.name.as_str()).collect();
        check_id(&format!("{path}[{j}].name"), kind, &item.name, &earlier)?;
        out.push(item);
    }
    Ok(out)
}

/// APIM's rules for the id of an API, a product or a named value (`kind`): 1-256 characters,
/// none of the reserved ones, unique in its list.
fn check_id(path: &str, kind: &str, id: &str, earlier: &[&str]) -> Result<(), WorldError> {
    let bad = id.is_empty()
        || id.len() > 256
        || id
            .chars()
            .any(|c| c.is_whitespace() || "/?#%&*:<>\\".contains(c));
    if bad {
        return Err(WorldError::invalid(
            path,
            format!("'{id}' is not a valid {kind} id (1-256 characters, no spaces or /?#%&*:<>\\)"),
        ));
    }
    if earlier.iter().any(|a| a.eq_ignore_ascii_case(id)) {
        return Err(WorldError::invalid(
            path,
            format!("duplicate {kind} '{id}'"),
        ));
    }
    Ok(())
}

/// A stable GUID-shaped id derived from text (principal ids of identities).
pub(crate) fn derived_guid(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut next = || {
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        h
    };
    let (a, b) = (next(), next());
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

type Identities = (Option<String>, Vec<UserIdentity>);

fn identity(path: &str, id: Option<FileIdentity>, service: &str) -> Result<Identities, WorldError> {
    let system = Some(derived_guid(&format!("system-identity/{service}")));
    match id {
        None => Ok((None, Vec::new())),
        Some(FileIdentity::Kind(k)) if k.eq_ignore_ascii_case("SystemAssigned") => {
            Ok((system, Vec::new()))
        }
        Some(FileIdentity::Kind(k)) if k.eq_ignore_ascii_case("None") => Ok((None, Vec::new())),
        Some(FileIdentity::Kind(k)) => Err(WorldError::invalid(
            path,
            format!(
                "'{k}' is not SystemAssigned or None (use an object for user-assigned identities)"
            ),
        )),
        Some(FileIdentity::Full {
            system_assigned,
            user_assigned,
        }) => {
            let mut users = Vec::new();
            for (j, u) in user_assigned.into_iter().enumerate() {
                if u.name.is_empty() || u.client_id.is_empty() {
                    return Err(WorldError::invalid(
                        format!("{path}.user_assigned[{j}]"),
                        "name and client_id are required",
                    ));
                }
                users.push(UserIdentity {
                    principal_id: u
                        .principal_id
                        .unwrap_or_else(|| derived_guid(&format!("uami/{}", u.name))),
                    name: u.name,
                    client_id: u.client_id,
                });
            }
            Ok((if system_assigned { system } else { None }, users))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::emulator::world::file::parse;
    use crate::emulator::world::{World, WorldError};

    const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn world(services: &str) -> Result<World, WorldError> {
        parse(
            &format!(
                r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],"services":[{services}]}}"#
            ),
            NOW,
        )
    }

    fn err(services: &str, _accounts: &str) -> String {
        world(services).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_entry_and_the_rule() {
        let ok = format!(
            r#"{{"subscription":"{SUB}","resource_group":"rg","name":"apim-a","location":"West US","sku":"Standard"}}"#
        );
        assert!(world(&ok).is_ok());
        let e = err(&ok.replace(SUB, "11111111-0000-0000-0000-000000000000"), "");
        assert!(
            e.contains("services[0].subscription: no subscription"),
            "{e}"
        );
        let e = err(&format!("{ok},{ok}"), "");
        assert!(
            e.contains("services[1].name: duplicate service 'apim-a'"),
            "{e}"
        );
        let e = err(&ok.replace("apim-a", "1apim"), "");
        assert!(
            e.contains("services[0].name: invalid API Management service name '1apim'"),
            "{e}"
        );
        let e = err(
            &ok.replace("\"Standard\"", "\"Consumption\",\"capacity\":2"),
            "",
        );
        assert!(
            e.contains("services[0].capacity: the Consumption tier has capacity 0"),
            "{e}"
        );
        let e = err(
            &ok.replace("\"sku\"", "\"additional_locations\":[\"East US\"],\"sku\""),
            "",
        );
        assert!(e.contains("only the Premium tier"), "{e}");
        let e = err(&ok.replace("\"sku\"", "\"skuu\":1,\"sku\""), "");
        assert!(e.contains("line 1, column") && e.contains("skuu"), "{e}");
        let e = err(
            &ok.replace("\"sku\"", "\"max_api_version\":\"2022-08-01\",\"sku\""),
            "",
        );
        assert!(e.contains("unknown field `max_api_version`"), "{e}");
        let ws = r#""workspaces":[{"name":"ws-1","gateway":"gw-1"}],"sku""#;
        let e = err(&ok.replace("\"sku\"", ws), "");
        assert!(
            e.contains("services[0].workspaces: the Standard tier has no workspaces"),
            "{e}"
        );
        let premium = ok.replace("\"sku\"", ws).replace("Standard", "Premium");
        let w = world(&premium).unwrap();
        assert_eq!(w.services[0].workspaces[0].display_name, "ws-1");
        let e = err(&premium.replace("gw-1", "1gw"), "");
        assert!(e.contains("services[0].workspaces[0].gateway"), "{e}");
    }
}
