//! Wire types of the ARM reads pre-flight makes beside the service and the account: the
//! service's `identity`, the account's firewall rules, the Blob service's CORS rules
//! (`BlobServicesGet.json`), role assignments (`RoleAssignments_ListForScope.json`),
//! workspaces and workspace gateways with their config connections.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::null_default;
use crate::domain::preflight::{CorsRule, NetworkFacts, RoleAssignmentFact, ServiceIdentity};

/// `identity` of an APIM service.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceIdentityWire {
    /// `SystemAssigned`, `UserAssigned`, `SystemAssigned, UserAssigned`, `None`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The system-assigned identity's principal.
    #[serde(default)]
    pub principal_id: Option<String>,
    /// User-assigned identities by resource id.
    #[serde(default, deserialize_with = "null_default")]
    pub user_assigned_identities: BTreeMap<String, UserIdentityWire>,
}

/// One user-assigned identity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserIdentityWire {
    /// Its principal (object) id.
    #[serde(default)]
    pub principal_id: Option<String>,
    /// Its client id.
    #[serde(default)]
    pub client_id: Option<String>,
}

impl From<&ServiceIdentityWire> for ServiceIdentity {
    fn from(w: &ServiceIdentityWire) -> Self {
        let system = w
            .kind
            .as_deref()
            .is_some_and(|k| k.to_ascii_lowercase().contains("systemassigned"));
        Self {
            system_principal: w.principal_id.clone().filter(|_| system),
            user_assigned: w
                .user_assigned_identities
                .values()
                .filter_map(|u| Some((u.client_id.clone()?, u.principal_id.clone()?)))
                .collect(),
        }
    }
}

/// `ipRules[]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IpRuleWire {
    /// An address or CIDR range.
    #[serde(default)]
    pub value: String,
}

/// `resourceAccessRules[]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceAccessRuleWire {
    /// The admitted resource's id.
    #[serde(default)]
    pub resource_id: String,
}

impl super::StorageAccount {
    /// The account's firewall as pre-flight judges it.
    pub fn network_facts(&self) -> NetworkFacts {
        let p = &self.properties;
        let acls = p.network_acls.clone().unwrap_or_default();
        NetworkFacts {
            default_deny: acls
                .default_action
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case("Deny")),
            bypass: acls
                .bypass
                .as_deref()
                .unwrap_or("AzureServices")
                .split(',')
                .map(str::trim)
                .filter(|b| !b.is_empty() && !b.eq_ignore_ascii_case("None"))
                .map(str::to_owned)
                .collect(),
            ip_rules: acls.ip_rules.into_iter().map(|r| r.value).collect(),
            resource_rules: acls
                .resource_access_rules
                .into_iter()
                .map(|r| r.resource_id)
                .collect(),
            public_network_access: p.public_network_access.clone().unwrap_or_default(),
        }
    }
}

/// `blobServices/default`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlobServiceWire {
    /// Properties.
    #[serde(default, deserialize_with = "null_default")]
    pub properties: BlobServiceProperties,
}

/// `blobServices/default` `properties`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlobServiceProperties {
    /// CORS.
    #[serde(default, deserialize_with = "null_default")]
    pub cors: CorsWire,
}

/// `cors`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CorsWire {
    /// The rules.
    #[serde(default, deserialize_with = "null_default")]
    pub cors_rules: Vec<CorsRuleWire>,
}

/// One CORS rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CorsRuleWire {
    /// `allowedMethods`.
    #[serde(default, deserialize_with = "null_default")]
    pub allowed_methods: Vec<String>,
}

impl BlobServiceWire {
    /// The CORS rules as pre-flight judges them.
    pub fn cors_rules(&self) -> Vec<CorsRule> {
        self.properties
            .cors
            .cors_rules
            .iter()
            .map(|r| CorsRule {
                allowed_methods: r.allowed_methods.clone(),
            })
            .collect()
    }
}

/// A role assignment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleAssignmentWire {
    /// Properties.
    #[serde(default, deserialize_with = "null_default")]
    pub properties: RoleAssignmentProperties,
}

/// A role assignment's `properties`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoleAssignmentProperties {
    /// Role definition id.
    #[serde(default)]
    pub role_definition_id: String,
    /// Principal.
    #[serde(default)]
    pub principal_id: String,
    /// Scope.
    #[serde(default)]
    pub scope: String,
}

impl From<RoleAssignmentWire> for RoleAssignmentFact {
    fn from(w: RoleAssignmentWire) -> Self {
        let p = w.properties;
        Self {
            principal_id: p.principal_id,
            role_definition_id: p.role_definition_id,
            scope: p.scope,
        }
    }
}

/// Anything with an `id` and a `name` (workspaces, gateways).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedWire {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
}

/// A workspace gateway.
pub type GatewayWire = NamedWire;

/// A gateway's config connection.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigConnectionWire {
    /// Properties.
    #[serde(default, deserialize_with = "null_default")]
    pub properties: ConfigConnectionProperties,
}

/// A config connection's `properties`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigConnectionProperties {
    /// The workspace it serves.
    #[serde(default)]
    pub source_id: String,
}
