//! Traffic Manager profiles and their endpoints (`traffic_manager_profiles` in the world
//! file): a profile answers `{relative_name}.trafficmanager.net` with one of its endpoints'
//! targets. Every error names the entry (`traffic_manager_profiles[0].endpoints[1].type: …`).
//! Pure.

use serde::Deserialize;

use super::file::{location, subscription_ref};
use super::{World, WorldError};
use crate::domain::names::ResourceGroupName;

/// The endpoint types of a profile, as their path segment spells them.
pub(crate) const ENDPOINT_TYPES: [&str; 3] =
    ["ExternalEndpoints", "AzureEndpoints", "NestedEndpoints"];

/// The routing methods Traffic Manager knows.
const ROUTING: [&str; 6] = [
    "Performance",
    "Priority",
    "Weighted",
    "Geographic",
    "MultiValue",
    "Subnet",
];

/// One `traffic_manager_profiles[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileProfile {
    subscription: String,
    resource_group: String,
    name: String,
    #[serde(default)]
    relative_name: Option<String>,
    #[serde(default)]
    routing_method: Option<String>,
    #[serde(default)]
    endpoints: Vec<FileEndpoint>,
}

/// One `endpoints[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEndpoint {
    name: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    target: String,
    #[serde(default)]
    target_resource_id: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    priority: Option<u32>,
    #[serde(default)]
    weight: Option<u32>,
    #[serde(default)]
    enabled: Option<bool>,
}

/// A Traffic Manager profile.
#[derive(Debug, Clone)]
pub(crate) struct TmProfile {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    /// The label under `trafficmanager.net`.
    pub relative_name: String,
    pub routing_method: String,
    pub endpoints: Vec<TmEndpoint>,
}

/// One endpoint of a profile.
#[derive(Debug, Clone)]
pub(crate) struct TmEndpoint {
    pub name: String,
    /// One of [`ENDPOINT_TYPES`].
    pub kind: String,
    pub target: String,
    pub target_resource_id: Option<String>,
    /// Region display name, when given.
    pub location: Option<String>,
    pub priority: u32,
    pub weight: u32,
    pub enabled: bool,
}

impl TmProfile {
    /// The ARM id, in stored casing.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/trafficManagerProfiles/{}",
            self.subscription, self.resource_group, self.name
        )
    }

    /// The profile's DNS name.
    pub fn fqdn(&self) -> String {
        format!("{}.trafficmanager.net", self.relative_name)
    }
}

/// Validates one profile: known subscription, a resource group name, a known routing method,
/// endpoints of a known type with a target, names unique in the profile.
pub(crate) fn profile(world: &World, path: &str, p: FileProfile) -> Result<TmProfile, WorldError> {
    let subscription = subscription_ref(world, &format!("{path}.subscription"), &p.subscription)?;
    ResourceGroupName::parse(&p.resource_group)
        .map_err(|e| WorldError::invalid(format!("{path}.resource_group"), e.to_string()))?;
    let relative_name = p
        .relative_name
        .unwrap_or_else(|| p.name.to_ascii_lowercase());
    let label_ok = !relative_name.is_empty()
        && relative_name.len() <= 63
        && relative_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !label_ok {
        return Err(WorldError::invalid(
            format!("{path}.relative_name"),
            format!("'{relative_name}' is not a DNS label (letters, digits, '-')"),
        ));
    }
    let taken = world
        .traffic_managers
        .iter()
        .any(|o| o.relative_name.eq_ignore_ascii_case(&relative_name));
    if taken {
        return Err(WorldError::invalid(
            format!("{path}.relative_name"),
            format!("'{relative_name}.trafficmanager.net' is already used (DNS names are global)"),
        ));
    }
    let routing_method = p.routing_method.unwrap_or_else(|| "Priority".to_owned());
    let Some(routing_method) = ROUTING
        .iter()
        .find(|r| r.eq_ignore_ascii_case(&routing_method))
    else {
        return Err(WorldError::invalid(
            format!("{path}.routing_method"),
            format!("'{routing_method}' is not one of {}", ROUTING.join(", ")),
        ));
    };
    let mut endpoints: Vec<TmEndpoint> = Vec::new();
    for (j, e) in p.endpoints.into_iter().enumerate() {
        let ep = format!("{path}.endpoints[{j}]");
        let kind = e.kind.unwrap_or_else(|| "ExternalEndpoints".to_owned());
        let Some(kind) = ENDPOINT_TYPES
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&kind))
        else {
            return Err(WorldError::invalid(
                format!("{ep}.type"),
                format!("'{kind}' is not one of {}", ENDPOINT_TYPES.join(", ")),
            ));
        };
        if e.name.trim().is_empty()
            || endpoints
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(&e.name))
        {
            return Err(WorldError::invalid(
                format!("{ep}.name"),
                format!("'{}' is empty or already used in this profile", e.name),
            ));
        }
        if e.target.trim().is_empty() || e.target.contains(['/', ' ']) {
            return Err(WorldError::invalid(
                format!("{ep}.target"),
                format!("'{}' is not a host name", e.target),
            ));
        }
        let location = e
            .location
            .map(|l| location(world, &format!("{ep}.location"), &l, true))
            .transpose()?;
        endpoints.push(TmEndpoint {
            name: e.name,
            kind: (*kind).to_owned(),
            target: e.target,
            target_resource_id: e.target_resource_id,
            location,
            priority: e
                .priority
                .unwrap_or_else(|| u32::try_from(j + 1).unwrap_or(u32::MAX)),
            weight: e.weight.unwrap_or(1),
            enabled: e.enabled.unwrap_or(true),
        });
    }
    Ok(TmProfile {
        subscription,
        resource_group: p.resource_group,
        name: p.name,
        relative_name,
        routing_method: (*routing_method).to_owned(),
        endpoints,
    })
}

#[cfg(test)]
mod tests {
    use crate::emulator::world::file::parse;

    const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn err(profiles: &str) -> String {
        parse(
            &format!(
                r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],"traffic_manager_profiles":[{profiles}]}}"#
            ),
            NOW,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
    }

    #[test]
    fn profiles_and_endpoints_are_checked_with_their_path() {
        let ok = format!(
            r#"{{"subscription":"{SUB}","resource_group":"rg-tm","name":"tm-api","endpoints":[{{"name":"weu","target":"apim-a.azure-api.net"}}]}}"#
        );
        assert_eq!(err(&ok), "");
        let e = err(&ok.replace("\"name\":\"weu\"", "\"name\":\"weu\",\"type\":\"Cloud\""));
        assert!(
            e.contains("traffic_manager_profiles[0].endpoints[0].type: 'Cloud'"),
            "{e}"
        );
        let e = err(&format!("{ok},{ok}"));
        assert!(
            e.contains("traffic_manager_profiles[1].relative_name"),
            "{e}"
        );
        let e = err(&ok.replace(
            "\"endpoints\"",
            "\"routing_method\":\"Random\",\"endpoints\"",
        ));
        assert!(e.contains("routing_method: 'Random' is not one of"), "{e}");
    }
}
