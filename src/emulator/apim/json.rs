//! The JSON of API Management resources, shaped like the published examples
//! (`ApiManagementServiceGetService.json`, `ApiManagementListServiceBySubscription.json`):
//! the service resource in its 2017+ form and its 2016-10-10 form (`runtimeUrl`, `staticIPs`,
//! `vpnType`), its APIs and its available SKUs. Consumption services have no portal URLs, no
//! regional gateway and no public IPs. Gateway URLs point at the emulator's loopback gateways
//! (`emulator/gateway.rs`), every other host name is Azure's. Pure.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::emulator::arm::api_versions::legacy_names;
use crate::emulator::gateway;
use crate::emulator::transport::answer::arm_time;
use crate::emulator::world::{Api, Item, Service, World};

/// The eight TLS/cipher switches every service reports.
const CUSTOM_PROPERTIES: [&str; 8] = [
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Protocols.Server.Http2",
];

fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A stable, plausible public IP for a service in a region.
fn public_ip(name: &str, region: &str) -> String {
    let h = hash(&format!("{name}/{region}")).to_be_bytes();
    format!("20.{}.{}.{}", h[0] % 250 + 1, h[1], h[2] % 250 + 1)
}

/// The service's etag: Base64 of a change counter, as APIM's look (`AAAAAAAWN/4=`).
pub(crate) fn etag(serial: u64) -> String {
    STANDARD.encode(serial.to_be_bytes())
}

fn is_consumption(s: &Service) -> bool {
    s.sku.eq_ignore_ascii_case("Consumption")
}

fn hostnames(s: &Service, lname: &str, legacy: bool) -> Vec<Value> {
    let custom_proxy = s
        .hostnames
        .iter()
        .any(|h| h.kind.eq_ignore_ascii_case("Proxy"));
    let mut out = Vec::new();
    if !legacy {
        out.push(json!({
            "type": "Proxy",
            "hostName": format!("{lname}.azure-api.net"),
            "negotiateClientCertificate": false,
            "defaultSslBinding": !custom_proxy,
            "certificateSource": "BuiltIn",
        }));
    }
    let mut first_proxy = true;
    for h in &s.hostnames {
        let certificate = json!({
            "expiry": arm_time(s.created + time::Duration::days(3 * 365)).replace('Z', "+00:00"),
            "thumbprint": format!("{:016X}{:016X}{:08X}", hash(&h.host_name), hash(lname), hash(&h.kind) & 0xFFFF_FFFF),
            "subject": format!("CN={}", h.host_name),
        });
        if legacy {
            out.push(json!({"type": h.kind, "hostname": h.host_name, "certificate": certificate}));
            continue;
        }
        let default_binding = first_proxy && h.kind.eq_ignore_ascii_case("Proxy");
        first_proxy &= !default_binding;
        out.push(json!({
            "type": h.kind,
            "hostName": h.host_name,
            "negotiateClientCertificate": false,
            "certificate": certificate,
            "defaultSslBinding": default_binding,
            "certificateSource": "Custom",
        }));
    }
    out
}

fn identity(s: &Service, world: &World) -> Option<Value> {
    let mut types = Vec::new();
    let mut id = Map::new();
    if let Some(principal) = &s.system_identity {
        types.push("SystemAssigned");
        id.insert("principalId".into(), json!(principal));
        id.insert("tenantId".into(), json!(world.tenant_id));
    }
    if !s.user_identities.is_empty() {
        types.push("UserAssigned");
        let users: Map<String, Value> = s
            .user_identities
            .iter()
            .map(|u| {
                (
                    format!(
                        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}",
                        s.subscription, s.resource_group, u.name
                    ),
                    json!({"principalId": u.principal_id, "clientId": u.client_id}),
                )
            })
            .collect();
        id.insert("userAssignedIdentities".into(), Value::Object(users));
    }
    if types.is_empty() {
        return None;
    }
    id.insert("type".into(), json!(types.join(", ")));
    Some(Value::Object(id))
}

/// What shapes a service body: its lowercase name, primary short region, where its gateways
/// are served and the version rules.
struct Shape<'a> {
    s: &'a Service,
    world: &'a World,
    arm_base: &'a str,
    lname: String,
    short: String,
    consumption: bool,
    legacy: bool,
}

impl Shape<'_> {
    /// `https://{name}.{suffix}`.
    fn url(&self, suffix: &str) -> Value {
        json!(format!("https://{}.{suffix}", self.lname))
    }

    /// Publisher, states and the URLs of the service.
    fn head(&self, p: &mut Map<String, Value>) {
        let s = self.s;
        p.insert("publisherEmail".into(), json!(s.publisher_email));
        p.insert("publisherName".into(), json!(s.publisher_name));
        if !self.legacy {
            p.insert(
                "notificationSenderEmail".into(),
                json!("apimgmt-noreply@mail.windowsazure.com"),
            );
        }
        p.insert("provisioningState".into(), json!(s.provisioning_state));
        p.insert(
            "targetProvisioningState".into(),
            json!(s.target_provisioning_state),
        );
        p.insert("createdAtUtc".into(), json!(arm_time(s.created)));
        let gateway = if self.legacy {
            "runtimeUrl"
        } else {
            "gatewayUrl"
        };
        p.insert(
            gateway.into(),
            json!(gateway::url(self.arm_base, &gateway::host(s))),
        );
        if self.consumption {
            return;
        }
        if !self.legacy {
            let regional = gateway::regional_host(s, &self.short);
            p.insert(
                "gatewayRegionalUrl".into(),
                json!(gateway::url(self.arm_base, &regional)),
            );
        }
        p.insert("portalUrl".into(), self.url("portal.azure-api.net"));
        if !self.legacy {
            p.insert(
                "developerPortalUrl".into(),
                self.url("developer.azure-api.net"),
            );
        }
        p.insert(
            "managementApiUrl".into(),
            self.url("management.azure-api.net"),
        );
        p.insert("scmUrl".into(), self.url("scm.azure-api.net"));
    }

    /// Host names, IP addresses and extra regions.
    fn network(&self, p: &mut Map<String, Value>) {
        let s = self.s;
        let hosts = hostnames(s, &self.lname, self.legacy);
        if !hosts.is_empty() {
            p.insert("hostnameConfigurations".into(), Value::Array(hosts));
        }
        if !self.consumption {
            let key = if self.legacy {
                "staticIPs"
            } else {
                "publicIPAddresses"
            };
            p.insert(key.into(), json!([public_ip(&s.name, &self.short)]));
        }
        if s.additional_locations.is_empty() {
            return;
        }
        let extra: Vec<Value> = s
            .additional_locations
            .iter()
            .map(|(loc, cap)| {
                let ip = public_ip(&s.name, loc);
                if self.legacy {
                    return json!({"location": loc, "skuType": s.sku, "skuUnitCount": cap, "staticIPs": [ip]});
                }
                let regional = gateway::regional_host(s, &self.world.short_region(loc));
                json!({
                    "location": loc,
                    "sku": {"name": s.sku, "capacity": cap},
                    "zones": [],
                    "publicIPAddresses": [ip],
                    "gatewayRegionalUrl": gateway::url(self.arm_base, &regional),
                    "disableGateway": s.gateway_disabled(loc),
                    "natGatewayState": "Disabled",
                    "platformVersion": "stv2",
                })
            })
            .collect();
        p.insert("additionalLocations".into(), Value::Array(extra));
    }

    /// Switches and settings.
    fn settings(&self, p: &mut Map<String, Value>) {
        let mut custom: Map<String, Value> = CUSTOM_PROPERTIES
            .iter()
            .map(|k| ((*k).to_owned(), json!("False")))
            .collect();
        for (k, v) in &self.s.custom_properties {
            custom.insert(k.clone(), json!(v));
        }
        p.insert("customProperties".into(), Value::Object(custom));
        if self.legacy {
            p.insert("vpnType".into(), json!("None"));
            return;
        }
        for (k, v) in [
            ("virtualNetworkType", json!("None")),
            ("certificates", json!([])),
            (
                "disableGateway",
                json!(self.s.gateway_disabled(&self.s.location)),
            ),
            ("natGatewayState", json!("Disabled")),
            ("apiVersionConstraint", json!({"minApiVersion": null})),
            ("privateIPAddresses", Value::Null),
            ("virtualNetworkConfiguration", Value::Null),
            ("publicIpAddressId", Value::Null),
            ("privateEndpointConnections", Value::Null),
            ("publicNetworkAccess", json!("Enabled")),
            (
                "platformVersion",
                json!(if self.consumption { "mtv1" } else { "stv2" }),
            ),
        ] {
            p.insert(k.into(), v);
        }
        if self.consumption {
            p.insert("enableClientCertificate".into(), json!(false));
        } else {
            p.insert("configurationApi".into(), json!({"legacyApi": "Enabled"}));
            p.insert("legacyPortalStatus".into(), json!("Enabled"));
            p.insert("developerPortalStatus".into(), json!("Enabled"));
        }
    }
}

/// The service resource as `GET {service}` returns it at `version`, its gateways served below
/// `arm_base` (`emulator/gateway.rs`).
pub(crate) fn service(s: &Service, world: &World, arm_base: &str, version: &str) -> Value {
    let shape = Shape {
        s,
        world,
        arm_base,
        lname: s.name.to_ascii_lowercase(),
        short: world.short_region(&s.location),
        consumption: is_consumption(s),
        legacy: legacy_names(version),
    };
    let mut p = Map::new();
    shape.head(&mut p);
    shape.network(&mut p);
    shape.settings(&mut p);
    let mut out = json!({
        "id": s.id(),
        "name": s.name,
        "type": "Microsoft.ApiManagement/service",
        "tags": s.tags,
        "location": s.location,
        "etag": etag(s.etag_serial),
        "properties": Value::Object(p),
        "sku": {"name": s.sku, "capacity": s.capacity},
    });
    if !shape.legacy
        && let Some(id) = identity(s, world)
    {
        out["identity"] = id;
    }
    if version.get(..10).unwrap_or(version) >= "2020-12-01" {
        out["systemData"] = json!({
            "createdBy": s.publisher_email,
            "createdByType": "User",
            "createdAt": arm_time(s.created),
            "lastModifiedBy": s.publisher_email,
            "lastModifiedByType": "User",
            "lastModifiedAt": arm_time(s.created),
        });
    }
    out
}

/// One API (`Microsoft.ApiManagement/service/apis`).
pub(crate) fn api(s: &Service, a: &Api) -> Value {
    json!({
        "id": format!("{}/apis/{}", s.id(), a.name),
        "type": "Microsoft.ApiManagement/service/apis",
        "name": a.name,
        "properties": {
            "displayName": a.display_name,
            "apiRevision": "1",
            "description": "",
            "subscriptionRequired": true,
            "serviceUrl": format!("https://backend.contoso.com/{}", a.path),
            "path": a.path,
            "protocols": ["https"],
            "authenticationSettings": {},
            "subscriptionKeyParameterNames": {"header": "Ocp-Apim-Subscription-Key", "query": "subscription-key"},
            "isCurrent": true,
        }
    })
}

/// One product (`Microsoft.ApiManagement/service/products`, properties as in the
/// `ProductContract` of the 2024-05-01 reference).
pub(crate) fn product(s: &Service, p: &Item) -> Value {
    json!({
        "id": format!("{}/products/{}", s.id(), p.name),
        "type": "Microsoft.ApiManagement/service/products",
        "name": p.name,
        "properties": {
            "displayName": p.display_name,
            "description": "",
            "subscriptionRequired": true,
            "approvalRequired": false,
            "state": "published",
        }
    })
}

/// One named value (`Microsoft.ApiManagement/service/namedValues`). A listing never carries
/// a secret's value ("No secrets included"); a plain one shows a placeholder value.
pub(crate) fn named_value(s: &Service, n: &Item) -> Value {
    let mut properties = json!({
        "displayName": n.display_name,
        "secret": n.secret,
        "tags": [],
    });
    if !n.secret {
        properties["value"] = json!(format!("{}-value", n.name));
    }
    json!({
        "id": format!("{}/namedValues/{}", s.id(), n.name),
        "type": "Microsoft.ApiManagement/service/namedValues",
        "name": n.name,
        "properties": properties,
    })
}

/// `GET {service}/skus`: the tiers the service could move to (ListSKUs-Dedicated example).
pub(crate) fn skus(s: &Service) -> Vec<Value> {
    let sku = |name: &str, min: u32, max: u32, scale: &str| {
        json!({
            "resourceType": "Microsoft.ApiManagement/service",
            "sku": {"name": name},
            "capacity": {"minimum": min, "maximum": max, "default": 1, "scaleType": scale},
        })
    };
    let tier = s.sku.to_ascii_lowercase();
    if tier == "consumption" {
        return vec![
            json!({"resourceType": "Microsoft.ApiManagement/service", "sku": {"name": "Consumption"}, "capacity": null}),
        ];
    }
    if tier.ends_with("v2") {
        return vec![
            sku("BasicV2", 1, 10, "manual"),
            sku("StandardV2", 1, 10, "automatic"),
            sku("PremiumV2", 1, 30, "automatic"),
        ];
    }
    vec![
        sku("Developer", 1, 1, "none"),
        sku("Basic", 1, 2, "manual"),
        sku("Standard", 1, 4, "automatic"),
        sku("Premium", 1, 10, "automatic"),
        sku("Isolated", 1, 1, "automatic"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_change_with_the_counter() {
        assert_eq!(etag(1), "AAAAAAAAAAE=");
        assert_ne!(etag(1), etag(2));
        assert_eq!(public_ip("a", "westus"), public_ip("a", "westus"));
    }
}
