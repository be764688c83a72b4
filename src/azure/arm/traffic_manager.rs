//! Traffic Manager (api-version 2022-04-01): the profiles of a subscription with their
//! endpoints, one endpoint, and pointing an external endpoint at another host (`PATCH` of its
//! `target`). Traffic Manager has no etags: the caller reads the endpoint again just before
//! the write to refuse a change made in between.

use reqwest::Method;

use super::super::paging::arm_list;
use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::{TmEndpointWire, TmProfileWire};
use crate::azure::retry::Idempotency;
use crate::domain::names::SubscriptionId;

/// api-version of `Microsoft.Network/trafficmanagerprofiles`.
pub const TRAFFIC_MANAGER_API_VERSION: &str = "2022-04-01";

impl AzureClient {
    /// The Traffic Manager profiles of a subscription, with their endpoints:
    /// `GET /subscriptions/{id}/providers/Microsoft.Network/trafficmanagerprofiles`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn traffic_manager_profiles(
        &self,
        subscription: &SubscriptionId,
    ) -> Result<Vec<TmProfileWire>, ApiError> {
        let url = self.arm_url(
            &format!(
                "/subscriptions/{subscription}/providers/Microsoft.Network/trafficmanagerprofiles"
            ),
            TRAFFIC_MANAGER_API_VERSION,
        )?;
        arm_list(self, url, "Traffic Manager profile list").await
    }

    /// One endpoint: `GET {endpoint id}`.
    ///
    /// # Errors
    /// [`ApiError`]; 404 when it does not exist.
    pub async fn tm_endpoint(&self, id: &str) -> Result<TmEndpointWire, ApiError> {
        let url = self.arm_url(id, TRAFFIC_MANAGER_API_VERSION)?;
        self.arm_json(Method::GET, &url, "Traffic Manager endpoint")
            .await
    }

    /// Points an external endpoint at `target`: `PATCH {endpoint id}` with
    /// `{"properties": {"target": …}}`. Repeats safely (the same target).
    ///
    /// # Errors
    /// [`ApiError`].
    pub async fn set_tm_endpoint_target(
        &self,
        id: &str,
        target: &str,
    ) -> Result<TmEndpointWire, ApiError> {
        let url = self.arm_url(id, TRAFFIC_MANAGER_API_VERSION)?;
        let body = serde_json::json!({ "properties": { "target": target } })
            .to_string()
            .into_bytes();
        let call = format!("PATCH {}", url.path());
        self.arm_call(Method::PATCH, &url, Some(&body), Idempotency::Safe)
            .await?
            .json(&call, "Traffic Manager endpoint")
    }
}
