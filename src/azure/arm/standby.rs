//! The ARM calls of creating a standby service: whether a name is free
//! (`checkNameAvailability`), the soft-deleted services in the way (`deletedservices`, and
//! their purge), the service's publisher fields, and the create `PUT` itself.

use reqwest::Method;

use super::super::paging::arm_list;
use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::{DeletedServiceWire, NameAvailabilityWire, ServiceResource};
use crate::azure::retry::Idempotency;
use crate::domain::names::{ServiceId, SubscriptionId};
use crate::domain::service::ServiceSummary;

impl AzureClient {
    /// One service as ARM returns it (publisher fields included): `GET {service id}`.
    ///
    /// # Errors
    /// [`ApiError`]; 404 when it does not exist.
    pub async fn get_service_resource(&self, id: &ServiceId) -> Result<ServiceResource, ApiError> {
        let path = id.path();
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            async move {
                self.arm_json(Method::GET, &url?, "API Management service")
                    .await
            }
        })
        .await
    }

    /// Whether a new service may be called `name`:
    /// `POST /subscriptions/{id}/providers/Microsoft.ApiManagement/checkNameAvailability`.
    /// Read-only, so retried like a read.
    ///
    /// # Errors
    /// [`ApiError`].
    pub async fn check_name_availability(
        &self,
        subscription: &SubscriptionId,
        name: &str,
    ) -> Result<NameAvailabilityWire, ApiError> {
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.ApiManagement/checkNameAvailability"
        );
        let body = serde_json::json!({"name": name, "type": "Microsoft.ApiManagement/service"})
            .to_string()
            .into_bytes();
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            let body = body.clone();
            async move {
                let url = url?;
                let call = format!("POST {}", url.path());
                self.arm_call(Method::POST, &url, Some(&body), Idempotency::Safe)
                    .await?
                    .json(&call, "name availability")
            }
        })
        .await
    }

    /// The subscription's soft-deleted services:
    /// `GET /subscriptions/{id}/providers/Microsoft.ApiManagement/deletedservices`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn deleted_services(
        &self,
        subscription: &SubscriptionId,
    ) -> Result<Vec<DeletedServiceWire>, ApiError> {
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.ApiManagement/deletedservices"
        );
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            async move { arm_list(self, url?, "deleted service list").await }
        })
        .await
    }

    /// Purges a soft-deleted service for good, freeing its name:
    /// `DELETE /subscriptions/{id}/providers/Microsoft.ApiManagement/locations/{location}/deletedservices/{name}`.
    ///
    /// # Errors
    /// [`ApiError`]; 404 `ServiceNotFound` when it is not (or no longer) there.
    pub async fn purge_deleted_service(
        &self,
        subscription: &SubscriptionId,
        location: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.ApiManagement/locations/{location}/deletedservices/{name}"
        );
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            async move {
                self.arm_call(Method::DELETE, &url?, None, Idempotency::Safe)
                    .await
                    .map(drop)
            }
        })
        .await
    }

    /// Creates a service: `PUT {service id}` with `body` (location, sku, publisher fields,
    /// identity). ARM answers 201 while it is `Activating`; a PUT repeats safely.
    ///
    /// # Errors
    /// [`ApiError`]: 409 `ServiceAlreadyExistsInSoftDeletedState` when a soft-deleted service
    /// holds the name.
    pub async fn create_service(
        &self,
        id: &ServiceId,
        body: &serde_json::Value,
    ) -> Result<ServiceSummary, ApiError> {
        let path = id.path();
        let bytes = body.to_string().into_bytes();
        let raw: ServiceResource = self
            .apim(|v| {
                let url = self.arm_url(&path, &v);
                let bytes = bytes.clone();
                async move {
                    let url = url?;
                    let call = format!("PUT {}", url.path());
                    self.arm_call(Method::PUT, &url, Some(&bytes), Idempotency::Safe)
                        .await?
                        .json(&call, "API Management service")
                }
            })
            .await?;
        Ok(raw.into())
    }
}
