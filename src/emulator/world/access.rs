//! Who is who in the world file: the caller (the operator whose token reaches ARM and whose
//! address reaches Storage) and the role assignments ARM lists and Storage enforces on a
//! managed identity. Principals and scopes may name what the world holds (a service's system
//! identity, `service/identity` for a user-assigned one, a storage account by name); the
//! result is what ARM would store: object ids, role definition GUIDs and ARM scopes. Pure.

use std::net::Ipv4Addr;

use serde::Deserialize;

use super::services::derived_guid;
use super::{World, WorldError};
use crate::domain::names::SubscriptionId;
use crate::domain::rbac::BUILT_IN_ROLES;

/// The actions a world may deny the caller (each is enforced where ARM checks it).
pub(crate) const DENIABLE_ACTIONS: [&str; 1] = ["Microsoft.Authorization/roleAssignments/read"];

/// The caller's address when the file gives none: TEST-NET-3, outside every Azure region.
const DEFAULT_CALLER_IP: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);

/// The principal behind the emulator's token and the address its requests come from.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub object_id: String,
    pub ip: Ipv4Addr,
    pub denied_actions: Vec<String>,
}

impl Caller {
    /// True when the world denies the caller this action.
    pub fn denied(&self, action: &str) -> bool {
        self.denied_actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case(action))
    }
}

/// One role assignment, as ARM stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleAssignment {
    /// The assignment's GUID (its `name`).
    pub name: String,
    pub principal_id: String,
    pub principal_type: String,
    /// The role definition's GUID.
    pub role: String,
    /// ARM scope, stored casing.
    pub scope: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileCaller {
    #[serde(default)]
    object_id: Option<String>,
    #[serde(default)]
    ip: Option<String>,
    #[serde(default)]
    denied_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileRoleAssignment {
    principal: String,
    role: String,
    scope: String,
    #[serde(default)]
    principal_type: Option<String>,
}

/// The caller, with defaults for what the file leaves out.
pub(crate) fn caller(file: Option<FileCaller>) -> Result<Caller, WorldError> {
    let file = file.unwrap_or(FileCaller {
        object_id: None,
        ip: None,
        denied_actions: Vec::new(),
    });
    let object_id = match file.object_id {
        Some(id) if SubscriptionId::parse(&id).is_err() => {
            return Err(WorldError::invalid(
                "caller.object_id",
                format!("'{id}' is not a GUID"),
            ));
        }
        Some(id) => id,
        None => derived_guid("caller"),
    };
    let ip = match file.ip {
        None => DEFAULT_CALLER_IP,
        Some(ip) => ip.trim().parse().map_err(|e| {
            WorldError::invalid("caller.ip", format!("'{ip}' is not an IPv4 address ({e})"))
        })?,
    };
    for (i, a) in file.denied_actions.iter().enumerate() {
        if !DENIABLE_ACTIONS.iter().any(|d| d.eq_ignore_ascii_case(a)) {
            return Err(WorldError::invalid(
                format!("caller.denied_actions[{i}]"),
                format!(
                    "'{a}' is not an action the emulator checks ({})",
                    DENIABLE_ACTIONS.join(", ")
                ),
            ));
        }
    }
    Ok(Caller {
        object_id,
        ip,
        denied_actions: file.denied_actions,
    })
}

fn principal(world: &World, path: &str, text: &str) -> Result<String, WorldError> {
    if SubscriptionId::parse(text).is_ok() {
        return Ok(text.to_owned());
    }
    let (service_name, identity) = match text.split_once('/') {
        Some((s, i)) => (s, Some(i)),
        None => (text, None),
    };
    let Some(s) = world
        .services
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(service_name))
    else {
        return Err(WorldError::invalid(
            path,
            format!("'{text}' is neither an object id nor a service of this world"),
        ));
    };
    match identity {
        None => s.system_identity.clone().ok_or_else(|| {
            WorldError::invalid(
                path,
                format!("the service '{}' has no system-assigned identity", s.name),
            )
        }),
        Some(name) => s
            .user_identities
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(name))
            .map(|u| u.principal_id.clone())
            .ok_or_else(|| {
                WorldError::invalid(
                    path,
                    format!(
                        "the service '{}' has no user-assigned identity '{name}'",
                        s.name
                    ),
                )
            }),
    }
}

fn role(path: &str, text: &str) -> Result<String, WorldError> {
    if SubscriptionId::parse(text).is_ok() {
        return Ok(text.to_ascii_lowercase());
    }
    BUILT_IN_ROLES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
        .map(|(_, guid)| (*guid).to_owned())
        .ok_or_else(|| {
            WorldError::invalid(
                path,
                format!("'{text}' is neither a role definition GUID nor a built-in role name"),
            )
        })
}

fn scope(world: &World, path: &str, text: &str) -> Result<String, WorldError> {
    if text.starts_with('/') {
        let sub = text.split('/').nth(2).unwrap_or_default();
        if !text.to_ascii_lowercase().starts_with("/subscriptions/")
            || world.subscription(sub).is_none()
        {
            return Err(WorldError::invalid(
                path,
                format!("'{text}' is not a scope in one of this world's subscriptions"),
            ));
        }
        return Ok(text.trim_end_matches('/').to_owned());
    }
    world.account(text).map(super::Account::id).ok_or_else(|| {
        WorldError::invalid(
            path,
            format!("'{text}' is neither an ARM scope nor a storage account of this world"),
        )
    })
}

/// Resolves the role assignments against the services and accounts already read.
pub(crate) fn role_assignments(
    world: &World,
    list: Vec<FileRoleAssignment>,
) -> Result<Vec<RoleAssignment>, WorldError> {
    const TYPES: [&str; 5] = [
        "ServicePrincipal",
        "User",
        "Group",
        "ForeignGroup",
        "Device",
    ];
    let mut out: Vec<RoleAssignment> = Vec::new();
    for (i, a) in list.into_iter().enumerate() {
        let path = format!("role_assignments[{i}]");
        let principal_id = principal(world, &format!("{path}.principal"), &a.principal)?;
        let role = role(&format!("{path}.role"), &a.role)?;
        let scope = scope(world, &format!("{path}.scope"), &a.scope)?;
        let principal_type = match a.principal_type {
            None => "ServicePrincipal".to_owned(),
            Some(t) => TYPES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(&t))
                .map(|k| (*k).to_owned())
                .ok_or_else(|| {
                    WorldError::invalid(
                        format!("{path}.principal_type"),
                        format!("'{t}' is not one of {}", TYPES.join(", ")),
                    )
                })?,
        };
        let name = derived_guid(&format!(
            "{principal_id}/{role}/{}",
            scope.to_ascii_lowercase()
        ));
        if out.iter().any(|o| o.name == name) {
            return Err(WorldError::invalid(
                path,
                "duplicate role assignment (same principal, role and scope)",
            ));
        }
        out.push(RoleAssignment {
            name,
            principal_id,
            principal_type,
            role,
            scope,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::domain::rbac::STORAGE_BLOB_DATA_CONTRIBUTOR;
    use crate::emulator::world::file::parse;

    const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn world(tail: &str) -> Result<crate::emulator::world::World, String> {
        parse(
            &format!(
                r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],
                "services":[{{"subscription":"{SUB}","resource_group":"rg","name":"apim-a","location":"West US","sku":"Standard",
                  "identity":{{"system_assigned":true,"user_assigned":[{{"name":"id-a","client_id":"11111111-1111-1111-1111-111111111111"}}]}}}},
                  {{"subscription":"{SUB}","resource_group":"rg","name":"apim-b","location":"West US","sku":"Standard"}}],
                "storage_accounts":[{{"subscription":"{SUB}","resource_group":"rg","name":"stx","location":"westus"}}]{tail}}}"#
            ),
            NOW,
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn principals_roles_and_scopes_resolve_to_what_arm_stores() {
        let w = world(
            r#","role_assignments":[
            {"principal":"apim-a","role":"storage blob data contributor","scope":"stx"},
            {"principal":"APIM-A/id-a","role":"ba92f5b4-2d11-453d-a403-e96b0029c9fe","scope":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"}]"#,
        )
        .unwrap();
        let svc = &w.services[0];
        let [a, b] = w.role_assignments.as_slice() else {
            panic!("two assignments")
        };
        assert_eq!(Some(&a.principal_id), svc.system_identity.as_ref());
        assert_eq!(a.role, STORAGE_BLOB_DATA_CONTRIBUTOR);
        assert_eq!(a.scope, w.accounts[0].id());
        assert_eq!(b.principal_id, svc.user_identities[0].principal_id);
        assert_eq!(a.principal_type, "ServicePrincipal");
        assert_ne!(a.name, b.name);
    }

    #[test]
    fn bad_entries_name_the_path() {
        for (tail, expected) in [
            (
                r#","role_assignments":[{"principal":"apim-b","role":"Owner","scope":"stx"}]"#,
                "role_assignments[0].principal: the service 'apim-b' has no system-assigned identity",
            ),
            (
                r#","role_assignments":[{"principal":"apim-a","role":"Janitor","scope":"stx"}]"#,
                "role_assignments[0].role",
            ),
            (
                r#","role_assignments":[{"principal":"apim-a","role":"Owner","scope":"sty"}]"#,
                "role_assignments[0].scope",
            ),
            (
                r#","caller":{"denied_actions":["Microsoft.Compute/virtualMachines/read"]}"#,
                "caller.denied_actions[0]",
            ),
            (r#","caller":{"ip":"::1"}"#, "caller.ip"),
        ] {
            let e = world(tail).unwrap_err();
            assert!(e.contains(expected), "{e}");
        }
        let e = world(
            r#","role_assignments":[{"principal":"apim-a","role":"Owner","scope":"stx"},{"principal":"apim-a","role":"Owner","scope":"STX"}]"#,
        )
        .unwrap_err();
        assert!(e.contains("duplicate role assignment"), "{e}");
    }
}
