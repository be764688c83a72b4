//! What exists in the emulated cloud: subscriptions, regions, API Management services (with the
//! APIs and workspaces they hold), storage accounts (with their network rules, Blob CORS rules,
//! containers and blobs), the role assignments on them and the caller.
//!
//! A [`World`] is loaded from JSON ([`World::from_json`], the embedded demo world
//! [`World::demo`]), generated for scale tests ([`World::generate`]) or picked from a command
//! line argument ([`World::load`]). Loading validates every entry by Azure's naming rules and
//! reports the first problem with its path (`services[3].name: …`). Once the emulator runs, the
//! world is its mutable state; nothing in this file does I/O except [`World::load`] reading a
//! file.
//!
//! The file format is documented on [`World`]. It is read and checked in `file.rs` (services in
//! `services.rs` and their workspaces in `workspaces.rs`; storage accounts in `accounts.rs`,
//! their network rules in `network.rs`; containers and blobs in `blobs.rs`; the caller and role
//! assignments in `access.rs`; DNS zones in `dns.rs`, Traffic Manager profiles in
//! `traffic_manager.rs`); `generate.rs` makes synthetic worlds and `query.rs` holds the
//! lookups. `backup_doc.rs` is the content of a backup blob, and `snapshot.rs` the serializable
//! view of the running emulator (world, POSTs, operations).

pub(super) mod access;
pub(super) mod accounts;
pub(super) mod backup_doc;
pub(super) mod blobs;
mod critical_path;
pub(super) mod deleted;
pub(super) mod dns;
mod file;
mod generate;
pub(super) mod network;
mod query;
pub(crate) use query::in_scope;
pub(super) mod services;
pub(super) mod snapshot;
pub(super) mod traffic_manager;
mod workspaces;

pub use critical_path::ListPages;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::secret::Secret;
pub(crate) use access::{Caller, RoleAssignment};
pub(crate) use accounts::CorsRule;
pub(crate) use network::StorageNetwork;
pub(crate) use workspaces::Workspace;

/// The embedded demo world (used by `apim-dr demo`, the README and tests).
const DEMO_WORLD: &str = include_str!("../../assets/emulator/demo-world.json");

/// A world that failed to load: the message names the file part, the entry and the rule.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// The text is not JSON of the expected shape.
    #[error("world file: line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// An entry breaks a rule (unknown reference, duplicate, invalid name, …).
    #[error("world file: {path}: {message}")]
    Invalid {
        /// Where, e.g. `services[3].subscription`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A `gen:` spec that cannot be understood.
    #[error("world spec '{spec}': {message}")]
    Spec {
        /// The spec as given.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// The world file could not be read.
    #[error("world file {path}: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl WorldError {
    pub(crate) fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Everything that exists in the emulated cloud.
///
/// # World file format (JSON)
///
/// ```text
/// {
///   "tenant_id": "GUID",                       optional
///   "lenient_names": false,                    optional; true accepts the non-Azure names of
///                                              the REST examples ("subid", "backupContainer")
///   "caller": { "object_id": "GUID", "ip": "203.0.113.10",
///               "denied_actions": [ "Microsoft.Authorization/roleAssignments/read" ] },
///                                              optional: the operator behind the token; ip
///                                              meets storage firewalls on the Blob port;
///                                              denied_actions are answered 403
///   "subscriptions": [ { "id": "GUID", "display_name": "…", "state": "Enabled" } ],
///   "locations": [ { "name": "westeurope", "display_name": "West Europe",
///                    "paired_region": "northeurope", "geography_group": "Europe",
///                    "latitude": "52.3667", "longitude": "4.9", "physical_location": "Netherlands",
///                    "apim_pending_api_versions": [ "2026-03-01-preview" ],
///                    "apim_control_plane_ip": "13.69.64.76" } ],
///                                              optional; when present every service and
///                                              account location must be one of these.
///                                              apim_pending_api_versions: APIM api-versions not
///                                              yet deployed in this region (ARM answers
///                                              NoRegisteredProviderFound); apim_control_plane_ip:
///                                              where APIM's calls to storage come from
///                                              (default: derived from the region's name)
///   "services": [ {
///       "subscription": "GUID", "resource_group": "rg", "name": "apim-x",
///       "location": "West Europe",             display name (short name accepted)
///       "sku": "Standard", "capacity": 2,      sku is an open string; Consumption has 0
///       "additional_locations": [ "North Europe" | { "location": "…", "capacity": 1 } ],
///                                              Premium only
///       "custom_hostnames": [ "api.contoso.com" | { "type": "Portal", "host_name": "…" } ],
///       "publisher_email": "…", "publisher_name": "…",           optional
///       "provisioning_state": "Succeeded",     optional; anything but Succeeded/Failed/
///                                              Canceled makes the service busy
///       "identity": "SystemAssigned" | { "system_assigned": true,
///                     "user_assigned": [ { "name": "id-x", "client_id": "GUID",
///                                          "principal_id": "GUID" } ] },
///       "workspaces": [ { "name": "ws-1", "display_name": "…", "description": "…",
///                         "gateway": "gw-1" } ],
///                                              optional; Premium and v2 tiers; gateway: a
///                                              workspace gateway linked to it (optional)
///       "tags": { "k": "v" }, "created": "RFC 3339",             optional
///       "custom_properties": { "Microsoft.WindowsAzure…": "True" }, optional, over the defaults
///       "apis": [ { "name": "orders", "display_name": "Orders", "path": "orders" } ],
///       "products": [ { "name": "starter", "display_name": "Starter" } ],            optional
///       "named_values": [ { "name": "backend-url", "display_name": "backend-url",
///                           "secret": false } ]                                    optional
///   } ],
///   "deleted_services": [ { "subscription": "GUID", "resource_group": "rg", "name": "apim-y",
///                           "location": "North Europe", "deleted": "RFC 3339" } ],
///                                              optional: soft-deleted services (deleted
///                                              default: 2 hours ago); their names stay taken
///   "storage_accounts": [ {
///       "subscription": "GUID", "resource_group": "rg", "name": "stx",
///       "location": "northeurope",             short name (display name accepted)
///       "keys": [ "base64", "base64" ],        optional: two random 64-byte keys otherwise
///       "allow_shared_key_access": true,       optional
///       "public_network_access": "Enabled",    optional: Enabled | Disabled | SecuredByPerimeter
///       "network_acls": { "default_action": "Deny", "bypass": "AzureServices",
///                         "ip_rules": [ "203.0.113.0/24" ], "virtual_network_rules": [ "subnet id" ],
///                         "resource_access_rules": [ { "resource_id": "…", "tenant_id": "GUID" } ] },
///                                              optional (default: Allow, AzureServices)
///       "firewall": true,                      shorthand: default_action Deny, no rules
///       "blob_cors": [ { "allowed_origins": [ "*" ], "allowed_methods": [ "GET", "PATCH" ],
///                        "max_age_in_seconds": 100, "exposed_headers": [], "allowed_headers": [] } ],
///                                              optional: CORS rules of the Blob service (≤ 5)
///       "containers": [ { "name": "apim-backups", "blobs": [ BLOB, … ] } ]
///   } ],
///   "role_assignments": [ { "principal": "apim-x" | "apim-x/id-x" | "GUID",
///                           "role": "Storage Blob Data Contributor" | "GUID",
///                           "scope": "stx" | "/subscriptions/…",
///                           "principal_type": "ServicePrincipal" } ]
///                                              optional: principal names a service's system
///                                              identity, a service's user-assigned identity or
///                                              an object id; role a built-in role's name or a
///                                              GUID; scope an account name or an ARM id
///   "dns_zones": [ { "subscription": "GUID", "resource_group": "rg-dns", "name": "contoso.com",
///                    "cname_records": [ { "name": "api", "cname": "apim-x.azure-api.net",
///                                         "ttl": 3600 } ] } ],
///                                              optional: Azure DNS zones (CNAME record sets)
///   "traffic_manager_profiles": [ { "subscription": "GUID", "resource_group": "rg-tm",
///       "name": "tm-api", "relative_name": "contoso-api",   {relative_name}.trafficmanager.net
///       "routing_method": "Priority",
///       "endpoints": [ { "name": "weu", "type": "ExternalEndpoints" | "AzureEndpoints",
///                        "target": "apim-x.azure-api.net", "location": "West Europe",
///                        "priority": 1, "weight": 1, "enabled": true } ] } ]
///                                              optional: Traffic Manager profiles
/// }
///
/// BLOB (raw):    { "name": "notes.txt", "content": "text" | "content_base64": "…",
///                  "content_type": "text/plain", "metadata": { "k": "v" },
///                  "age_days": 1.5 | "created": "RFC 3339" }
/// BLOB (backup): { "name": "apim-x/{created}.apimbackup", "age_days": 0.3,
///                  "catalog": true,            write apim-dr's catalog metadata keys
///                  "metadata": { … },          extra metadata, optional
///                  "backup": { "service": "apim-x" | "/subscriptions/…/service/apim-x",
///                              "sku": "…", "capacity": 1, "location": "…", "apis": [ … ],
///                              "age_days": 40 | "taken": "RFC 3339" } }
/// ```
///
/// In a backup, fields left out are copied from the named service when the world has it (so
/// `{"service": "apim-x"}` is a backup of apim-x as it is now); a service the world lacks needs
/// at least `sku` and `location`. The backup's own time (`backup.age_days`/`backup.taken`,
/// which APIM reads from the content and counts the 30 days from) defaults to the blob's
/// creation time; an older one makes a copied blob (new to Storage, not to APIM).
/// `{created}` in a blob name becomes the blob's creation time as `%Y%m%dT%H%MZ`. Ages are
/// resolved against the clock when the world is loaded.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) tenant_id: String,
    pub(crate) lenient_names: bool,
    pub(crate) subscriptions: Vec<WorldSubscription>,
    pub(crate) locations: Vec<Region>,
    pub(crate) services: Vec<Service>,
    /// Soft-deleted services (48 hours, purgeable; their names stay taken).
    pub(crate) deleted: Vec<deleted::DeletedService>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) caller: Caller,
    pub(crate) role_assignments: Vec<RoleAssignment>,
    /// Azure DNS zones with their CNAME record sets.
    pub(crate) dns_zones: Vec<dns::DnsZone>,
    /// Traffic Manager profiles with their endpoints.
    pub(crate) traffic_managers: Vec<traffic_manager::TmProfile>,
}

/// A subscription.
#[derive(Debug, Clone)]
pub(crate) struct WorldSubscription {
    pub id: String,
    pub display_name: String,
    pub state: String,
}

/// A region as the locations API lists it.
#[derive(Debug, Clone)]
pub(crate) struct Region {
    pub name: String,
    pub display_name: String,
    pub pair: Option<String>,
    pub geography_group: Option<String>,
    /// `(latitude, longitude, physical location)`, when known.
    pub place: Option<(String, String, String)>,
    /// APIM api-versions not yet deployed here.
    pub pending_api_versions: Vec<String>,
    /// The address APIM's control plane reaches storage from, when the file gives one.
    pub control_plane_ip: Option<Ipv4Addr>,
}

/// One API a service holds: the configuration a restore replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// API id (`orders-v2`).
    pub name: String,
    /// Display name (`Orders v2`).
    #[serde(default)]
    pub display_name: String,
    /// URL suffix (`orders/v2`).
    #[serde(default)]
    pub path: String,
}

/// A product or a named value a service holds (`service/products`, `service/namedValues`):
/// the emulator keeps only what a listing shows and counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Its id (`starter`).
    pub name: String,
    /// Display name (`Starter`).
    #[serde(default)]
    pub display_name: String,
    /// For a named value: true when its value is a secret (a listing never shows it).
    #[serde(default)]
    pub secret: bool,
}

/// A custom host name on a service.
#[derive(Debug, Clone)]
pub(crate) struct Hostname {
    pub kind: String,
    pub host_name: String,
}

/// A user-assigned identity attached to a service.
#[derive(Debug, Clone)]
pub(crate) struct UserIdentity {
    pub name: String,
    pub client_id: String,
    pub principal_id: String,
}

/// Where a restore took its configuration from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobLocation {
    /// Storage account.
    pub account: String,
    /// Container.
    pub container: String,
    /// Blob.
    pub blob: String,
}

/// An API Management service.
#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub sku: String,
    pub capacity: u32,
    pub additional_locations: Vec<(String, u32)>,
    pub hostnames: Vec<Hostname>,
    pub publisher_email: String,
    pub publisher_name: String,
    pub provisioning_state: String,
    pub target_provisioning_state: String,
    pub system_identity: Option<String>,
    pub user_identities: Vec<UserIdentity>,
    pub tags: BTreeMap<String, String>,
    pub custom_properties: BTreeMap<String, String>,
    pub created: OffsetDateTime,
    pub apis: Vec<Api>,
    pub products: Vec<Item>,
    pub named_values: Vec<Item>,
    pub workspaces: Vec<Workspace>,
    pub restored_from: Option<BlobLocation>,
    pub etag_serial: u64,
    /// Regions (display names) whose gateway was disabled (`disableGateway`).
    pub disabled_gateways: Vec<String>,
}

impl Service {
    /// The ARM id, in stored casing.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ApiManagement/service/{}",
            self.subscription, self.resource_group, self.name
        )
    }

    /// True when the gateway in `location` was disabled (`disableGateway`).
    pub fn gateway_disabled(&self, location: &str) -> bool {
        self.disabled_gateways
            .iter()
            .any(|l| crate::domain::region::same_region(l, location))
    }

    /// True while an operation runs or the world says the service is mid-change.
    pub fn is_busy(&self) -> bool {
        let s = self.provisioning_state.as_str();
        !(s.is_empty()
            || s.eq_ignore_ascii_case("Succeeded")
            || s.eq_ignore_ascii_case("Failed")
            || s.eq_ignore_ascii_case("Canceled"))
    }

    /// Bumps the etag after a change.
    pub fn touch(&mut self) {
        self.etag_serial = self.etag_serial.wrapping_add(1);
    }
}

/// A storage account.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub keys: [Secret; 2],
    pub allow_shared_key_access: bool,
    pub network: StorageNetwork,
    pub blob_cors: Vec<CorsRule>,
    pub created: OffsetDateTime,
    pub containers: BTreeMap<String, Container>,
}

impl Account {
    /// The ARM id, in stored casing.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

/// A blob container.
#[derive(Debug, Clone)]
pub(crate) struct Container {
    pub created: OffsetDateTime,
    pub metadata: Vec<(String, String)>,
    pub blobs: BTreeMap<String, Blob>,
    pub etag_serial: u64,
}

impl Container {
    /// An empty container created at `now`.
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            created: now,
            metadata: Vec::new(),
            blobs: BTreeMap::new(),
            etag_serial: 1,
        }
    }
}

/// A block blob.
#[derive(Debug, Clone)]
pub(crate) struct Blob {
    pub content: axum::body::Bytes,
    pub content_type: String,
    pub metadata: Vec<(String, String)>,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
    pub etag_serial: u64,
}

impl World {
    /// The demo world of the README, the TUI and the tests, with ages resolved against now.
    ///
    /// # Errors
    /// [`WorldError`] only if the embedded file is broken (a build defect).
    pub fn demo() -> Result<Self, WorldError> {
        Self::from_json(DEMO_WORLD)
    }

    /// A world from JSON text in the format described in this module.
    ///
    /// # Errors
    /// [`WorldError`] naming the line (syntax) or the entry and rule (content).
    pub fn from_json(text: &str) -> Result<Self, WorldError> {
        file::parse(text, OffsetDateTime::now_utc())
    }

    /// A synthetic world for scale tests: `gen:subs=20,services=50,backups=100[,accounts=N][,open=1][,seed=7]` or `gen:estate`.
    /// The same spec always gives the same names, tiers and ages.
    ///
    /// # Errors
    /// [`WorldError::Spec`] for an unknown key or a bad number.
    pub fn generate(spec: &str) -> Result<Self, WorldError> {
        generate::generate(spec, OffsetDateTime::now_utc())
    }

    /// `demo`, a `gen:…` spec, or the path of a world file.
    ///
    /// # Errors
    /// [`WorldError`] from the chosen loader or from reading the file.
    pub fn load(arg: &str) -> Result<Self, WorldError> {
        let arg = arg.trim();
        if arg.eq_ignore_ascii_case("demo") {
            Self::demo()
        } else if arg.starts_with("gen:") {
            Self::generate(arg)
        } else {
            let text = std::fs::read_to_string(arg).map_err(|source| WorldError::Io {
                path: arg.to_owned(),
                source,
            })?;
            Self::from_json(&text)
        }
    }

    /// ARM ids of every service, in world order.
    pub fn service_ids(&self) -> Vec<String> {
        self.services.iter().map(Service::id).collect()
    }

    /// Names of every storage account, in world order.
    pub fn storage_account_names(&self) -> Vec<String> {
        self.accounts.iter().map(|a| a.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_picks_the_loader() {
        assert_eq!(World::load("demo").unwrap().services.len(), 10);
        assert!(matches!(
            World::load("/nonexistent/world.json"),
            Err(WorldError::Io { .. })
        ));
        assert!(World::load("gen:subs=2,services=3,backups=4").is_ok());
    }
}
