//! A service's fields as `services -o json` and the inventory cache write them: every value
//! owned, in the stable order. [`ServiceSummary`] is read from them (and made from them) and
//! written as them, so its leaner shape never shows. Pure.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, Serializer};

use super::id::{spells, unusual};
use super::rare::RareFields;
use super::{ServiceSummary, usual_gateway};
use crate::domain::shared::Shared;
use crate::domain::sku::SkuName;

/// One API Management service, every field spelled out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServiceFields {
    /// Full ARM resource id, as ARM returned it.
    pub id: String,
    /// Service name.
    pub name: String,
    /// Subscription GUID, taken from the id.
    pub subscription_id: Shared,
    /// Resource group, taken from the id.
    pub resource_group: Shared,
    /// Primary region (display name, as APIM reports it).
    pub location: Shared,
    /// Pricing tier.
    pub sku: SkuName,
    /// Units.
    pub capacity: u32,
    /// `provisioningState` (`Succeeded`, `Updating`, …); empty when ARM sent none.
    pub provisioning_state: Shared,
    /// `targetProvisioningState`; empty when idle.
    #[serde(default)]
    pub target_provisioning_state: Shared,
    /// `https://{name}.azure-api.net`, when the service has one.
    pub gateway_url: Option<String>,
    /// Extra regions (Premium only).
    #[serde(default)]
    pub additional_locations: Vec<String>,
    /// Custom host names configured on the service (restore does not change them).
    #[serde(default)]
    pub custom_hostnames: Vec<String>,
    /// Resource tags (`backup --all --tag K=V` selects by them).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Its managed identities as ARM names them (`SystemAssigned`, `SystemAssigned,
    /// UserAssigned`), `None` when it has none.
    #[serde(default)]
    pub identity: Option<String>,
}

impl From<ServiceFields> for ServiceSummary {
    fn from(f: ServiceFields) -> Self {
        let usual = f
            .gateway_url
            .as_deref()
            .is_some_and(|url| spells(&usual_gateway(&f.name), url, |a, b| a == b));
        Self {
            other_id: unusual(f.id, &f.subscription_id, &f.resource_group, &f.name),
            subscription_id: f.subscription_id,
            resource_group: f.resource_group,
            location: f.location,
            sku: f.sku,
            capacity: f.capacity,
            provisioning_state: f.provisioning_state,
            target_provisioning_state: f.target_provisioning_state,
            usual_gateway: usual,
            rare: RareFields {
                additional_locations: f.additional_locations,
                custom_hostnames: f.custom_hostnames,
                tags: f.tags,
                identity: f.identity,
                other_gateway: if usual { None } else { f.gateway_url },
            }
            .into(),
            name: f.name,
        }
    }
}

/// The fields as they are written, borrowed from the service.
#[derive(Serialize)]
#[serde(rename = "ServiceSummary")]
struct Written<'a> {
    id: Cow<'a, str>,
    name: &'a str,
    subscription_id: &'a Shared,
    resource_group: &'a Shared,
    location: &'a Shared,
    sku: &'a SkuName,
    capacity: u32,
    provisioning_state: &'a Shared,
    target_provisioning_state: &'a Shared,
    gateway_url: Option<Cow<'a, str>>,
    additional_locations: &'a [String],
    custom_hostnames: &'a [String],
    tags: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<&'a str>,
}

impl Serialize for ServiceSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Written {
            id: self.id(),
            name: &self.name,
            subscription_id: &self.subscription_id,
            resource_group: &self.resource_group,
            location: &self.location,
            sku: &self.sku,
            capacity: self.capacity,
            provisioning_state: &self.provisioning_state,
            target_provisioning_state: &self.target_provisioning_state,
            gateway_url: self.gateway_url(),
            additional_locations: self.additional_locations(),
            custom_hostnames: self.custom_hostnames(),
            tags: self.tags(),
            identity: self.identity(),
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> ServiceFields {
        ServiceFields {
            id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a"
                .into(),
            name: "apim-a".into(),
            subscription_id: "s".into(),
            resource_group: "rg".into(),
            location: "West Europe".into(),
            sku: SkuName::new("Premium"),
            capacity: 1,
            provisioning_state: "Succeeded".into(),
            target_provisioning_state: "".into(),
            gateway_url: Some("https://apim-a.azure-api.net".into()),
            additional_locations: vec![],
            custom_hostnames: vec![],
            tags: BTreeMap::new(),
            identity: None,
        }
    }

    #[test]
    fn a_service_is_written_as_its_fields_and_read_back_the_same() {
        let rare = ServiceFields {
            id: "/SUBSCRIPTIONS/s/resourcegroups/RG/providers/Microsoft.ApiManagement/service/apim-a"
                .into(),
            gateway_url: Some("https://gw.contoso.com".into()),
            additional_locations: vec!["North Europe".into()],
            custom_hostnames: vec!["api.contoso.com".into()],
            tags: [("dr-standby".to_owned(), "apim-b".to_owned())].into(),
            identity: Some("SystemAssigned".into()),
            ..plain()
        };
        let none = ServiceFields {
            gateway_url: None,
            ..plain()
        };
        let head = r#"{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a","name":"apim-a","subscription_id":"s","resource_group":"rg","location":"West Europe","sku":"Premium","capacity":1,"provisioning_state":"Succeeded","target_provisioning_state":"","#;
        let written = [
            format!(
                r#"{head}"gateway_url":"https://apim-a.azure-api.net","additional_locations":[],"custom_hostnames":[],"tags":{{}}}}"#
            ),
            format!(
                r#"{}"gateway_url":"https://gw.contoso.com","additional_locations":["North Europe"],"custom_hostnames":["api.contoso.com"],"tags":{{"dr-standby":"apim-b"}},"identity":"SystemAssigned"}}"#,
                head.replace(
                    "/subscriptions/s/resourceGroups/rg/",
                    "/SUBSCRIPTIONS/s/resourcegroups/RG/"
                )
            ),
            format!(
                r#"{head}"gateway_url":null,"additional_locations":[],"custom_hostnames":[],"tags":{{}}}}"#
            ),
        ];
        for (fields, json) in [plain(), rare, none].into_iter().zip(written) {
            let service = ServiceSummary::from(fields.clone());
            assert_eq!(service.id(), fields.id);
            assert_eq!(serde_json::to_string(&service).unwrap(), json);
            let read: ServiceSummary = serde_json::from_str(&json).unwrap();
            assert_eq!(read, service);
            assert_eq!(serde_json::to_string(&read).unwrap(), json);
            assert_eq!(
                service.gateway_url().as_deref(),
                fields.gateway_url.as_deref()
            );
        }
    }
}
