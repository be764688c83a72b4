//! Serde wire types, and only wire types: ARM JSON and Blob XML as Azure sends them.
//!
//! Parsing is tolerant the way Azure's own SDKs are: unknown fields are ignored, optional
//! fields may be missing or `null`, enums are open strings. Conversions into the program's own
//! types ([`crate::domain`]) live here too, so nothing else sees the wire shapes. The emulator
//! writes its replies with types of its own, so a mistake here is not silently agreed with.

use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::service::{ServiceFields, ServiceSummary, subscription_and_group};
use crate::domain::sku::SkuName;

/// `null` or missing becomes the default value.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One page of an ARM list: `{ "value": [...], "nextLink": "..." }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new", deserialize_with = "null_default")]
    pub value: Vec<T>,
    /// Absolute URL of the next page; absent, null or empty on the last page.
    #[serde(rename = "nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

/// ARM's error envelope: `{ "error": { "code", "message", "details"?, "target"? } }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorBody,
}

/// The inside of [`ErrorResponse`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The error code, in `PascalCase`.
    #[serde(default, deserialize_with = "null_default")]
    pub code: String,
    /// Human text.
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
    /// Optional target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Nested details; APIM often sends `null`.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub details: Vec<Self>,
}

/// `Microsoft.Resources` subscription.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Subscription {
    /// `/subscriptions/{guid}`.
    #[serde(default)]
    pub id: Option<String>,
    /// The GUID.
    pub subscription_id: String,
    /// Tenant.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `Enabled`, `Warned`, `PastDue`, `Disabled`, `Deleted`.
    #[serde(default)]
    pub state: Option<String>,
}

/// `Microsoft.Resources` location (region).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Location {
    /// Short name (`westeurope`).
    pub name: String,
    /// Display name (`West Europe`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `Region` or `EdgeZone`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Geography and pairing.
    #[serde(default)]
    pub metadata: Option<LocationMetadata>,
}

/// The parts of a location's metadata a failover cares about.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LocationMetadata {
    /// `Physical` or `Logical`.
    #[serde(default)]
    pub region_type: Option<String>,
    /// Geography group, e.g. `Europe`.
    #[serde(default)]
    pub geography_group: Option<String>,
    /// The paired region(s).
    #[serde(default, deserialize_with = "null_default")]
    pub paired_region: Vec<PairedRegion>,
}

/// A paired region reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PairedRegion {
    /// Short name.
    pub name: String,
}

/// `sku` of an APIM service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceSku {
    /// Tier name, an open string.
    pub name: String,
    /// Units; missing or null counts as 0.
    #[serde(default, deserialize_with = "null_default")]
    pub capacity: u32,
}

/// One extra region of a Premium service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AdditionalLocation {
    /// Region display name.
    pub location: String,
    /// Its units.
    #[serde(default)]
    pub sku: Option<ServiceSku>,
    /// Regional gateway URL.
    #[serde(default)]
    pub gateway_regional_url: Option<String>,
    /// True when this region's gateway routes no traffic.
    #[serde(default)]
    pub disable_gateway: Option<bool>,
    /// Every other property as ARM gave it (zones, virtual network, public IP, …), sent back
    /// untouched when the list is written: ARM replaces the whole list.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A hostname configured on a service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HostnameConfiguration {
    /// `Proxy`, `Portal`, `Management`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The host name.
    #[serde(default)]
    pub host_name: String,
    /// `BuiltIn` for the Azure-provided name; `Custom`, `KeyVault` or `Managed` otherwise.
    #[serde(default)]
    pub certificate_source: Option<String>,
}

/// `properties` of an APIM service (2016-10-10 through 2024-05-01 names).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceProperties {
    /// `Succeeded`, `Updating`, `Activating`, …
    #[serde(default)]
    pub provisioning_state: Option<String>,
    /// Empty when idle.
    #[serde(default)]
    pub target_provisioning_state: Option<String>,
    /// Gateway URL; 2016-10-10 called it `runtimeUrl`.
    #[serde(default, alias = "runtimeUrl")]
    pub gateway_url: Option<String>,
    /// The primary region's own gateway URL.
    #[serde(default)]
    pub gateway_regional_url: Option<String>,
    /// True when the primary region's gateway routes no traffic (multi-region services).
    #[serde(default)]
    pub disable_gateway: Option<bool>,
    /// Extra regions (Premium).
    #[serde(default, deserialize_with = "null_default")]
    pub additional_locations: Vec<AdditionalLocation>,
    /// Hostnames.
    #[serde(default, deserialize_with = "null_default")]
    pub hostname_configurations: Vec<HostnameConfiguration>,
    /// `stv1`, `stv2`, …
    #[serde(default)]
    pub platform_version: Option<String>,
    /// The publisher's email (required on create).
    #[serde(default)]
    pub publisher_email: Option<String>,
    /// The publisher's name (required on create).
    #[serde(default)]
    pub publisher_name: Option<String>,
}

/// An APIM service resource as ARM returns it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceResource {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Region display name.
    #[serde(default)]
    pub location: String,
    /// Tier and units.
    pub sku: ServiceSku,
    /// Properties.
    #[serde(default, deserialize_with = "null_default")]
    pub properties: ServiceProperties,
    /// Managed identities.
    #[serde(default)]
    pub identity: Option<ServiceIdentityWire>,
    /// Resource tags.
    #[serde(default, deserialize_with = "null_default")]
    pub tags: std::collections::BTreeMap<String, String>,
}

impl From<ServiceResource> for ServiceSummary {
    fn from(r: ServiceResource) -> Self {
        let (subscription_id, resource_group) = subscription_and_group(&r.id);
        let p = r.properties;
        ServiceFields {
            subscription_id: subscription_id.into(),
            resource_group: resource_group.into(),
            name: r.name,
            location: r.location.into(),
            sku: SkuName::new(r.sku.name),
            capacity: r.sku.capacity,
            provisioning_state: p.provisioning_state.unwrap_or_default().into(),
            target_provisioning_state: p.target_provisioning_state.unwrap_or_default().into(),
            gateway_url: p.gateway_url,
            additional_locations: p
                .additional_locations
                .into_iter()
                .map(|l| l.location)
                .collect(),
            custom_hostnames: p
                .hostname_configurations
                .into_iter()
                .filter(|h| {
                    !h.certificate_source
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case("BuiltIn"))
                })
                .map(|h| h.host_name)
                .collect(),
            tags: r.tags,
            identity: r
                .identity
                .and_then(|i| i.kind)
                .filter(|k| !k.eq_ignore_ascii_case("None")),
            id: r.id,
        }
        .into()
    }
}

/// `Microsoft.Storage/storageAccounts` entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StorageAccount {
    /// ARM id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// Region short name.
    #[serde(default)]
    pub location: String,
    /// Properties.
    #[serde(default, deserialize_with = "null_default")]
    pub properties: StorageAccountProperties,
}

/// The storage account properties the tool reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StorageAccountProperties {
    /// Endpoints; `blob` is the data-plane base URL.
    #[serde(default)]
    pub primary_endpoints: Option<Endpoints>,
    /// `false` when Shared Key is refused.
    #[serde(default)]
    pub allow_shared_key_access: Option<bool>,
    /// Firewall.
    #[serde(default)]
    pub network_acls: Option<NetworkAcls>,
    /// `Enabled`, `Disabled`, `SecuredByPerimeter`.
    #[serde(default)]
    pub public_network_access: Option<String>,
    /// Provisioning state.
    #[serde(default)]
    pub provisioning_state: Option<String>,
}

/// `primaryEndpoints`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Endpoints {
    /// Blob endpoint, e.g. `https://acct.blob.core.windows.net/`.
    #[serde(default)]
    pub blob: Option<String>,
}

/// `networkAcls`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NetworkAcls {
    /// `Allow` or `Deny`.
    #[serde(default)]
    pub default_action: Option<String>,
    /// `None` or a comma-separated list of `Logging`, `Metrics`, `AzureServices`.
    #[serde(default)]
    pub bypass: Option<String>,
    /// IP rules.
    #[serde(default, deserialize_with = "null_default")]
    pub ip_rules: Vec<IpRuleWire>,
    /// Resource-instance rules.
    #[serde(default, deserialize_with = "null_default")]
    pub resource_access_rules: Vec<ResourceAccessRuleWire>,
}

/// `listKeys` result.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct StorageKeys {
    /// The keys, usually `key1` and `key2`.
    #[serde(default, deserialize_with = "null_default")]
    pub keys: Vec<StorageKey>,
}

/// One storage key. The value is a [`crate::secret::Secret`] from the moment it is parsed.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StorageKey {
    /// `key1`, `key2`.
    #[serde(default)]
    pub key_name: String,
    /// The key.
    pub value: crate::secret::Secret,
    /// `Full` or `Read` (any case).
    #[serde(default)]
    pub permissions: Option<String>,
}

/// The body of `POST …/backup` and `POST …/restore` (`ApiManagementServiceBackupRestoreParameters`).
/// It is built just before sending and dropped right after; its `Debug` hides the key.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupRestoreParameters {
    /// Storage account name.
    pub storage_account: String,
    /// Container.
    pub container_name: String,
    /// Blob name.
    pub backup_name: String,
    /// `AccessKey`, `SystemAssignedManagedIdentity`, `UserAssignedManagedIdentity`; absent means `AccessKey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_type: Option<String>,
    /// The storage key when `accessType` is `AccessKey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// Client id of a user-assigned identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

impl std::fmt::Debug for BackupRestoreParameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupRestoreParameters")
            .field("storage_account", &self.storage_account)
            .field("container_name", &self.container_name)
            .field("backup_name", &self.backup_name)
            .field("access_type", &self.access_type)
            .field("access_key", &self.access_key.as_ref().map(|_| "***"))
            .field("client_id", &self.client_id)
            .finish()
    }
}

/// An `Azure-AsyncOperation` status resource.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OperationStatus {
    /// Operation id.
    #[serde(default)]
    pub id: Option<String>,
    /// Operation name.
    #[serde(default)]
    pub name: Option<String>,
    /// `InProgress`, `Succeeded`, `Failed`, `Canceled`, … (open).
    pub status: String,
    /// Start time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Percent complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<f64>,
    /// Error when Failed or Canceled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// An APIM API (child resource `…/apis/{apiId}`): what a service "holds".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiContract {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// API id (name).
    pub name: String,
    /// Properties.
    #[serde(default, deserialize_with = "null_default")]
    pub properties: ApiProperties,
}

/// The API fields shown after a restore.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiProperties {
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// URL suffix.
    #[serde(default)]
    pub path: Option<String>,
}

mod activity;
mod blob;
mod preflight;
pub use activity::{ActivityEventWire, LocalizableString};
mod standby;
mod traffic;
pub use blob::{
    BlobError, BlobItem, BlobItemProperties, BlobItems, BlobList, ContainerItem, ContainerItems,
    ContainerList,
};
pub use preflight::{
    BlobServiceWire, ConfigConnectionWire, CorsRuleWire, GatewayWire, IpRuleWire, NamedWire,
    ResourceAccessRuleWire, RoleAssignmentWire, ServiceIdentityWire, UserIdentityWire,
};

pub use standby::{DeletedServiceProperties, DeletedServiceWire, NameAvailabilityWire};
pub use traffic::{
    CnameWire, DnsZoneWire, RecordSetProperties, RecordSetWire, TmDnsConfig, TmEndpointProperties,
    TmEndpointWire, TmProfileProperties, TmProfileWire,
};

#[cfg(test)]
mod tests;
