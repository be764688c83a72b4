//! The ARM reads pre-flight makes beside the service and the storage account list: the service
//! with the api-version ARM accepted, its workspaces and the workspace gateways beside it, the
//! Blob service's properties (CORS) and a container through `Microsoft.Storage` (so a firewall
//! that keeps the operator off the data plane hides neither), and role assignments.

use reqwest::Method;

use super::{AUTHORIZATION_API_VERSION, STORAGE_API_VERSION, refuses_version};
use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::{
    BlobServiceWire, ConfigConnectionWire, GatewayWire, NamedWire, RoleAssignmentWire,
    ServiceResource,
};
use crate::azure::paging::arm_list;
use crate::domain::names::ServiceId;
use crate::domain::preflight::ApiVersionFacts;

impl AzureClient {
    /// One APIM service, and which api-version ARM accepted for it: the primary, or the
    /// fallback with the primary's refusal (`code: message`).
    ///
    /// # Errors
    /// [`ApiError`]; 404 `ResourceNotFound` when it does not exist.
    pub async fn get_service_probed(
        &self,
        id: &ServiceId,
    ) -> Result<(ServiceResource, ApiVersionFacts), ApiError> {
        let path = id.path();
        let get = |version: String| {
            let path = &path;
            async move {
                let url = self.arm_url(path, &version)?;
                self.arm_json::<ServiceResource>(Method::GET, &url, "API Management service")
                    .await
            }
        };
        let asked = self.options().api_version.clone();
        let fallback = self.options().fallback_api_version.clone();
        match get(asked.clone()).await {
            Ok(s) => Ok((
                s,
                ApiVersionFacts {
                    used: asked.clone(),
                    asked,
                    refusal: None,
                },
            )),
            Err(e) if refuses_version(&e) && fallback != asked => {
                let s = get(fallback.clone()).await?;
                Ok((
                    s,
                    ApiVersionFacts {
                        asked,
                        used: fallback,
                        refusal: Some(format!("{}: {}", e.code, e.message)),
                    },
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// Workspaces of a service: `GET {service id}/workspaces`, with the given api-version.
    ///
    /// # Errors
    /// [`ApiError`]; tiers without workspaces answer 400 `MethodNotAllowedInPricingTier`.
    pub async fn list_workspaces(
        &self,
        id: &ServiceId,
        version: &str,
    ) -> Result<Vec<NamedWire>, ApiError> {
        let url = self.arm_url(&format!("{}/workspaces", id.path()), version)?;
        arm_list(self, url, "workspace list").await
    }

    /// Workspace gateways of a resource group:
    /// `GET /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/gateways`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn list_gateways(
        &self,
        subscription: &str,
        resource_group: &str,
        version: &str,
    ) -> Result<Vec<GatewayWire>, ApiError> {
        let url = self.arm_url(
            &format!(
                "/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.ApiManagement/gateways"
            ),
            version,
        )?;
        arm_list(self, url, "workspace gateway list").await
    }

    /// A gateway's config connections: `GET {gateway id}/configConnections`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn list_config_connections(
        &self,
        gateway_id: &str,
        version: &str,
    ) -> Result<Vec<ConfigConnectionWire>, ApiError> {
        let url = self.arm_url(
            &format!("{}/configConnections", gateway_id.trim_end_matches('/')),
            version,
        )?;
        arm_list(self, url, "config connection list").await
    }

    /// The Blob service's properties: `GET {account id}/blobServices/default` (2023-05-01).
    ///
    /// # Errors
    /// [`ApiError`].
    pub async fn blob_service(&self, account_id: &str) -> Result<BlobServiceWire, ApiError> {
        let url = self.arm_url(
            &format!("{}/blobServices/default", account_id.trim_end_matches('/')),
            STORAGE_API_VERSION,
        )?;
        self.arm_json(Method::GET, &url, "Blob service").await
    }

    /// Whether a container exists, through ARM:
    /// `GET {account id}/blobServices/default/containers/{name}` (2023-05-01).
    ///
    /// # Errors
    /// [`ApiError`] for anything but 404.
    pub async fn container_exists(
        &self,
        account_id: &str,
        container: &str,
    ) -> Result<bool, ApiError> {
        let url = self.arm_url(
            &format!(
                "{}/blobServices/default/containers/{container}",
                account_id.trim_end_matches('/')
            ),
            STORAGE_API_VERSION,
        )?;
        match self
            .arm_json::<serde_json::Value>(Method::GET, &url, "container")
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.status == Some(404) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Role assignments of one principal at, above or below `scope`:
    /// `GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '…'`
    /// (2022-04-01).
    ///
    /// # Errors
    /// [`ApiError`]; 403 `AuthorizationFailed` without `roleAssignments/read`.
    pub async fn role_assignments(
        &self,
        scope: &str,
        principal_id: &str,
    ) -> Result<Vec<RoleAssignmentWire>, ApiError> {
        let mut url = self.arm_url(
            &format!(
                "{}/providers/Microsoft.Authorization/roleAssignments",
                scope.trim_end_matches('/')
            ),
            AUTHORIZATION_API_VERSION,
        )?;
        url.query_pairs_mut()
            .append_pair("$filter", &format!("principalId eq '{principal_id}'"));
        arm_list(self, url, "role assignment list").await
    }
}

impl AzureClient {
    /// One storage account by id: `GET {account id}` (2023-05-01), with its firewall rules.
    ///
    /// # Errors
    /// [`ApiError`]; 404 when it does not exist.
    pub async fn get_storage_account(
        &self,
        account_id: &str,
    ) -> Result<crate::azure::models::StorageAccount, ApiError> {
        let url = self.arm_url(account_id.trim_end_matches('/'), STORAGE_API_VERSION)?;
        self.arm_json(Method::GET, &url, "storage account").await
    }
}
