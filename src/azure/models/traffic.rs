//! Wire types of where a host name is served: Azure DNS zones and CNAME record sets
//! (`Microsoft.Network/dnszones`, 2018-05-01) and Traffic Manager profiles with their
//! endpoints (`Microsoft.Network/trafficmanagerprofiles`, 2022-04-01).

use serde::{Deserialize, Serialize};

/// A DNS zone (only what finding a record needs).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DnsZoneWire {
    /// `/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/dnszones/{name}`.
    #[serde(default)]
    pub id: String,
    /// The zone's DNS name (`contoso.com`).
    #[serde(default)]
    pub name: String,
}

/// `CNAMERecord` of a record set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CnameWire {
    /// The canonical name.
    #[serde(default)]
    pub cname: String,
}

/// `properties` of a record set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordSetProperties {
    /// Time to live, seconds.
    #[serde(rename = "TTL", default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// Fully qualified name (may end with a dot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    /// Metadata, kept as it is on a write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// The CNAME record, when the set is one.
    #[serde(
        rename = "CNAMERecord",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cname_record: Option<CnameWire>,
    /// Every other property as read (`targetResource`, `provisioningState`, …), so that a
    /// write sends back what it does not change.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A DNS record set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordSetWire {
    /// Its ARM id.
    #[serde(default)]
    pub id: String,
    /// Relative name (`api`, `@`).
    #[serde(default)]
    pub name: String,
    /// `Microsoft.Network/dnszones/CNAME`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Changes with every write; sent back as `If-Match`.
    #[serde(default)]
    pub etag: Option<String>,
    /// Properties.
    #[serde(default)]
    pub properties: RecordSetProperties,
}

impl RecordSetWire {
    /// The canonical name of a CNAME record set.
    pub fn cname(&self) -> Option<&str> {
        self.properties
            .cname_record
            .as_ref()
            .map(|c| c.cname.trim_end_matches('.'))
    }
}

/// `dnsConfig` of a Traffic Manager profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TmDnsConfig {
    /// `{relativeName}.trafficmanager.net`.
    #[serde(default)]
    pub fqdn: Option<String>,
}

/// `properties` of a Traffic Manager endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TmEndpointProperties {
    /// The host name it answers with.
    #[serde(default)]
    pub target: Option<String>,
    /// `Enabled` or `Disabled`.
    #[serde(default)]
    pub endpoint_status: Option<String>,
    /// Its priority (Priority routing).
    #[serde(default)]
    pub priority: Option<u64>,
}

/// A Traffic Manager endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TmEndpointWire {
    /// `…/trafficManagerProfiles/{profile}/externalEndpoints/{name}`.
    #[serde(default)]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// `Microsoft.Network/trafficManagerProfiles/externalEndpoints` (or azure, nested).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Properties.
    #[serde(default)]
    pub properties: TmEndpointProperties,
}

impl TmEndpointWire {
    /// True for an external endpoint (a host name it may be pointed at).
    pub fn is_external(&self) -> bool {
        self.kind
            .to_ascii_lowercase()
            .ends_with("/externalendpoints")
    }
}

/// `properties` of a Traffic Manager profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TmProfileProperties {
    /// Its DNS name.
    #[serde(default)]
    pub dns_config: TmDnsConfig,
    /// Its endpoints.
    #[serde(default)]
    pub endpoints: Vec<TmEndpointWire>,
}

/// A Traffic Manager profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TmProfileWire {
    /// Its ARM id.
    #[serde(default)]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: TmProfileProperties,
}
