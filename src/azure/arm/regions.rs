//! Switching one region's gateway of a multi-region service: `PATCH {service id}` with
//! `properties.disableGateway` (primary region) or the whole `additionalLocations` list with
//! one entry's `disableGateway` changed (ARM replaces the list, so every entry is sent back).

use reqwest::Method;

use super::super::retry::Idempotency;
use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::ServiceResource;
use crate::domain::names::ServiceId;

impl AzureClient {
    /// `PATCH {service id}` with `body`; the service as ARM answers it. Setting a switch to a
    /// value is safe to repeat.
    ///
    /// # Errors
    /// [`ApiError`] from ARM (400 for a switch the service cannot take).
    pub async fn patch_service(
        &self,
        id: &ServiceId,
        body: &serde_json::Value,
    ) -> Result<ServiceResource, ApiError> {
        let path = id.path();
        let bytes = body.to_string().into_bytes();
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            let bytes = bytes.clone();
            async move {
                let url = url?;
                let call = format!("PATCH {}", url.path());
                self.arm_call(Method::PATCH, &url, Some(&bytes), Idempotency::Safe)
                    .await?
                    .json(&call, "API Management service")
            }
        })
        .await
    }
}

/// The PATCH body that sets `disabled` on the gateway in `region` of `service` (as read),
/// leaving every other region as it is (each entry sent back with every property read, so
/// zones or a virtual network are not dropped); `None` when `region` is none of its regions.
pub fn gateway_switch(
    service: &ServiceResource,
    region: &str,
    disabled: bool,
) -> Option<serde_json::Value> {
    use crate::domain::region::same_region;
    if same_region(&service.location, region) {
        return Some(serde_json::json!({ "properties": { "disableGateway": disabled } }));
    }
    let extra = &service.properties.additional_locations;
    if !extra.iter().any(|l| same_region(&l.location, region)) {
        return None;
    }
    let list: Vec<serde_json::Value> = extra
        .iter()
        .map(|l| {
            let off = if same_region(&l.location, region) {
                disabled
            } else {
                l.disable_gateway.unwrap_or(false)
            };
            // The entry as read (zones, virtual network, public IP… kept), one switch set.
            let mut entry = l.other.clone();
            entry.insert("location".into(), serde_json::json!(l.location));
            let sku = l.sku.as_ref().map_or_else(
                || serde_json::json!({"name": service.sku.name, "capacity": 1}),
                |s| serde_json::json!({"name": s.name, "capacity": s.capacity}),
            );
            entry.insert("sku".into(), sku);
            entry.insert("disableGateway".into(), serde_json::json!(off));
            serde_json::Value::Object(entry)
        })
        .collect();
    Some(serde_json::json!({ "properties": { "additionalLocations": list } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sent_back_whole_with_one_switch_changed() {
        let service: ServiceResource = serde_json::from_value(serde_json::json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim",
            "name": "apim",
            "location": "West Europe",
            "sku": {"name": "Premium", "capacity": 1},
            "properties": {
                "additionalLocations": [{
                    "location": "North Europe",
                    "sku": {"name": "Premium", "capacity": 2},
                    "zones": ["1", "2"],
                    "virtualNetworkConfiguration": {"subnetResourceId": "/subnets/a"},
                    "disableGateway": false
                }, {
                    "location": "East US",
                    "sku": {"name": "Premium", "capacity": 1},
                    "publicIpAddressId": "/publicIPAddresses/p"
                }]
            }
        }))
        .expect("a service");
        let body = gateway_switch(&service, "northeurope", true).expect("a region of it");
        let list = &body["properties"]["additionalLocations"];
        assert_eq!(list[0]["disableGateway"], true);
        assert_eq!(list[0]["zones"], serde_json::json!(["1", "2"]));
        assert_eq!(
            list[0]["virtualNetworkConfiguration"]["subnetResourceId"],
            "/subnets/a"
        );
        assert_eq!(list[0]["sku"]["capacity"], 2);
        assert_eq!(list[1]["disableGateway"], false);
        assert_eq!(list[1]["publicIpAddressId"], "/publicIPAddresses/p");
        assert!(gateway_switch(&service, "Japan East", true).is_none());
    }
}
