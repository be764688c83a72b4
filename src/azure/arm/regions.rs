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
/// leaving every other region as it is; `None` when `region` is none of its regions.
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
            serde_json::json!({
                "location": l.location,
                "sku": l.sku.as_ref().map_or_else(
                    || serde_json::json!({"name": service.sku.name, "capacity": 1}),
                    |s| serde_json::json!({"name": s.name, "capacity": s.capacity}),
                ),
                "disableGateway": off,
            })
        })
        .collect();
    Some(serde_json::json!({ "properties": { "additionalLocations": list } }))
}
