//! Azure Resource Manager operations: subscriptions, locations, APIM services, storage
//! accounts and keys, Azure DNS record sets (`dns.rs`) and Traffic Manager endpoints
//! (`traffic_manager.rs`), and the two POST actions that start a backup or a restore.
//!
//! APIM calls use api-version `2024-05-01` and fall back to `2022-08-01` once when ARM or the
//! service refuses the version (ARM does so per region while a version rolls out:
//! `NoRegisteredProviderFound`). Every list follows
//! `nextLink`. Errors keep the service's `code`, `message` and `x-ms-request-id`.

use std::future::Future;
use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use url::Url;

use super::client::AzureClient;
use super::error::{ApiError, ErrorKind};
use super::models::{
    ApiContract, BackupRestoreParameters, Location, ServiceResource, StorageAccount, StorageKeys,
    Subscription,
};
use super::paging::{arm_list, each_arm_page};
use super::retry::Idempotency;
use super::transport::Reply;
use crate::domain::names::{BackupRef, ServiceId, SubscriptionId};
use crate::domain::operation::{AccessType, PostKind};
use crate::domain::service::ServiceSummary;
use crate::secret::Secret;

/// api-version of `Microsoft.Resources` (subscriptions, locations).
pub const RESOURCES_API_VERSION: &str = "2022-12-01";
/// api-version of `Microsoft.Storage`.
pub const STORAGE_API_VERSION: &str = "2023-05-01";
/// api-version of `Microsoft.Authorization` (role assignments).
pub const AUTHORIZATION_API_VERSION: &str = "2022-04-01";

mod activity;
mod contents;
pub mod dns;
mod reads;
pub mod regions;
pub mod standby;
pub mod traffic_manager;

pub use activity::ACTIVITY_LOG_API_VERSION;

/// Error codes with which ARM or APIM refuse an api-version.
const VERSION_REFUSALS: [&str; 5] = [
    "MissingOrIncorrectVersionParameter",
    "InvalidApiVersionParameter",
    "NoRegisteredProviderFound",
    "UnsupportedApiVersion",
    "InvalidResourceType",
];

fn refuses_version(e: &ApiError) -> bool {
    e.status == Some(400)
        && VERSION_REFUSALS
            .iter()
            .any(|c| e.code.eq_ignore_ascii_case(c))
}

/// Where to watch an accepted long-running operation (from the 202's headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LroHandle {
    /// `Location`: GET it until it stops answering 202.
    pub location: Option<String>,
    /// `Azure-AsyncOperation`: an operation-status resource.
    pub async_operation: Option<String>,
    /// The 202's retry hint, in whole seconds (rounded up).
    pub retry_after_secs: Option<u64>,
    /// `x-ms-request-id` of the POST.
    pub request_id: Option<String>,
}

impl LroHandle {
    /// Reads the handle from a 202, resolving relative URLs against the request URL.
    fn from_reply(reply: &Reply, request_url: &Url) -> Self {
        let url = |name| {
            reply
                .header(name)
                .and_then(|v| request_url.join(v.trim()).ok())
                .map(|u| strip_sas(&u).to_string())
        };
        Self {
            location: url("location"),
            async_operation: url("azure-asyncoperation"),
            // Whole seconds, rounded up: never earlier than the service asked.
            retry_after_secs: reply
                .retry_after()
                .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0)),
            request_id: reply.request_id(),
        }
    }

    /// `Retry-After` as a duration.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after_secs.map(Duration::from_secs)
    }
}

/// Drops query parameters that could be credentials (SAS signatures, tokens) from a URL that
/// is going to be journaled or shown. `api-version` and opaque ids stay.
pub fn strip_sas(url: &Url) -> Url {
    const SECRET_PARAMS: [&str; 8] = [
        "sig",
        "signature",
        "se",
        "st",
        "skoid",
        "sktid",
        "token",
        "access_token",
    ];
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s)))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = url.clone();
    if kept.is_empty() {
        out.set_query(None);
    } else {
        out.query_pairs_mut().clear().extend_pairs(kept);
    }
    out
}

/// How a POST backup/restore was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// 202: running; watch it through the handle.
    Accepted(LroHandle),
    /// 200/201/204 at once: already done.
    Completed,
}

impl AzureClient {
    async fn apim<T, F, Fut>(&self, mut call: F) -> Result<T, ApiError>
    where
        F: FnMut(String) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let primary = self.options().api_version.clone();
        match call(primary.clone()).await {
            Err(e) if refuses_version(&e) && self.options().fallback_api_version != primary => {
                tracing::info!(error = %e, "api-version refused; falling back");
                call(self.options().fallback_api_version.clone()).await
            }
            other => other,
        }
    }

    /// Subscriptions visible to the caller: `GET /subscriptions` (api-version 2022-12-01).
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn list_subscriptions(&self) -> Result<Vec<Subscription>, ApiError> {
        let mut all = Vec::new();
        self.each_subscription_page(|page| all.extend(page)).await?;
        Ok(all)
    }

    /// [`Self::list_subscriptions`] page by page, each handed to `on_page` as it arrives.
    ///
    /// # Errors
    /// [`ApiError`] from any page; the pages before it have been handed over.
    pub async fn each_subscription_page(
        &self,
        on_page: impl FnMut(Vec<Subscription>),
    ) -> Result<(), ApiError> {
        let url = self.arm_url("/subscriptions", RESOURCES_API_VERSION)?;
        each_arm_page(self, url, "subscription list", on_page)
            .await
            .map(drop)
    }

    /// Regions of a subscription: `GET /subscriptions/{id}/locations` (2022-12-01). Accepts
    /// the `{"value": [...]}` envelope and the bare array of the published example.
    ///
    /// # Errors
    /// [`ApiError`] for the call or a malformed reply.
    pub async fn list_locations(
        &self,
        subscription: &SubscriptionId,
    ) -> Result<Vec<Location>, ApiError> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Body {
            Page(super::models::Page<Location>),
            Bare(Vec<Location>),
        }
        let url = self.arm_url(
            &format!("/subscriptions/{subscription}/locations"),
            RESOURCES_API_VERSION,
        )?;
        Ok(
            match self
                .arm_json::<Body>(Method::GET, &url, "location list")
                .await?
            {
                Body::Page(p) => p.value,
                Body::Bare(v) => v,
            },
        )
    }

    /// APIM services of a subscription:
    /// `GET /subscriptions/{id}/providers/Microsoft.ApiManagement/service`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn list_services(
        &self,
        subscription: &SubscriptionId,
    ) -> Result<Vec<ServiceSummary>, ApiError> {
        let mut all = Vec::new();
        self.each_service_page(subscription, |page| all.extend(page))
            .await?;
        Ok(all)
    }

    /// [`Self::list_services`] page by page, each handed to `on_page` as it arrives. The
    /// api-version falls back as for every APIM call, as long as no page was handed over yet.
    ///
    /// # Errors
    /// [`ApiError`] from any page; the pages before it have been handed over.
    pub async fn each_service_page(
        &self,
        subscription: &SubscriptionId,
        mut on_page: impl FnMut(Vec<ServiceSummary>),
    ) -> Result<(), ApiError> {
        let path =
            format!("/subscriptions/{subscription}/providers/Microsoft.ApiManagement/service");
        let primary = self.options().api_version.clone();
        let fallback = self.options().fallback_api_version.clone();
        let mut handed = false;
        let first = self
            .service_pages_at(&path, &primary, &mut |page| {
                handed = true;
                on_page(page);
            })
            .await;
        match first {
            Err(e) if refuses_version(&e) && fallback != primary && !handed => {
                tracing::info!(error = %e, "api-version refused; falling back");
                self.service_pages_at(&path, &fallback, &mut on_page).await
            }
            other => other,
        }
    }

    async fn service_pages_at(
        &self,
        path: &str,
        version: &str,
        on_page: &mut impl FnMut(Vec<ServiceSummary>),
    ) -> Result<(), ApiError> {
        let url = self.arm_url(path, version)?;
        each_arm_page(
            self,
            url,
            "API Management service list",
            |raw: Vec<ServiceResource>| {
                on_page(raw.into_iter().map(ServiceSummary::from).collect());
            },
        )
        .await
        .map(drop)
    }

    /// One APIM service: `GET {service id}`.
    ///
    /// # Errors
    /// [`ApiError`]; 404 `ResourceNotFound` when it does not exist.
    pub async fn get_service(&self, id: &ServiceId) -> Result<ServiceSummary, ApiError> {
        Ok(self.get_service_resource(id).await?.into())
    }

    /// The APIs a service holds: `GET {service id}/apis` (what a restore replaces).
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn list_apis(&self, id: &ServiceId) -> Result<Vec<ApiContract>, ApiError> {
        let path = format!("{}/apis", id.path());
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            async move { arm_list(self, url?, "API list").await }
        })
        .await
    }

    /// Storage accounts of a subscription:
    /// `GET /subscriptions/{id}/providers/Microsoft.Storage/storageAccounts` (2023-05-01).
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn list_storage_accounts(
        &self,
        subscription: &SubscriptionId,
    ) -> Result<Vec<StorageAccount>, ApiError> {
        let mut all = Vec::new();
        self.each_storage_account_page(subscription, |page| all.extend(page))
            .await?;
        Ok(all)
    }

    /// [`Self::list_storage_accounts`] page by page, each handed to `on_page` as it arrives.
    ///
    /// # Errors
    /// [`ApiError`] from any page; the pages before it have been handed over.
    pub async fn each_storage_account_page(
        &self,
        subscription: &SubscriptionId,
        on_page: impl FnMut(Vec<StorageAccount>),
    ) -> Result<(), ApiError> {
        let url = self.arm_url(
            &format!("/subscriptions/{subscription}/providers/Microsoft.Storage/storageAccounts"),
            STORAGE_API_VERSION,
        )?;
        each_arm_page(self, url, "storage account list", on_page)
            .await
            .map(drop)
    }

    /// The first key with full permissions: `POST {account id}/listKeys` (2023-05-01).
    /// The key lives only in the returned [`Secret`].
    ///
    /// # Errors
    /// [`ApiError`]; 403 when the caller lacks `listkeys/action`.
    pub async fn storage_key(&self, account_id: &str) -> Result<Secret, ApiError> {
        let url = self.arm_url(
            &format!("{}/listKeys", account_id.trim_end_matches('/')),
            STORAGE_API_VERSION,
        )?;
        let call = format!("POST {}", url.path());
        let keys: StorageKeys = self
            .arm_json(Method::POST, &url, "storage key list")
            .await?;
        keys.keys
            .iter()
            .find(|k| {
                k.permissions
                    .as_deref()
                    .is_none_or(|p| p.eq_ignore_ascii_case("full"))
            })
            .or_else(|| keys.keys.first())
            .map(|k| k.value.clone())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ApiError::local(
                    ErrorKind::Decode,
                    "NoStorageKey",
                    "listKeys returned no key",
                )
                .during(call)
            })
    }

    /// Starts a backup or a restore: `POST {service id}/backup` or `/restore`. Never re-sent
    /// blindly: only a 429 (not taken) or an api-version refusal is sent again.
    ///
    /// # Errors
    /// [`ApiError`] when the service refuses it (400, 404, 409 …) or the connection fails;
    /// for `Connection`, `Timeout` and `Decode` the request may have been received.
    pub async fn start_operation(
        &self,
        kind: PostKind,
        service: &ServiceId,
        blob: &BackupRef,
        access: &AccessType,
        key: Option<&Secret>,
    ) -> Result<Started, ApiError> {
        let action = match kind {
            PostKind::Backup => "backup",
            PostKind::Restore => "restore",
        };
        let path = format!("{}/{action}", service.path());
        let params = backup_restore_parameters(blob, access, key);
        let body = serde_json::to_vec(&params)
            .map_err(|e| ApiError::local(ErrorKind::Invalid, "InvalidBody", e.to_string()))?;
        drop(params);
        self.apim(|v| {
            let url = self.arm_url(&path, &v);
            let body = &body;
            async move {
                let url = url?;
                let reply = self
                    .arm_call(Method::POST, &url, Some(body), Idempotency::StartsOperation)
                    .await?;
                match reply.status.as_u16() {
                    202 => Ok(Started::Accepted(LroHandle::from_reply(&reply, &url))),
                    204 => Ok(Started::Completed),
                    // "Done at once" must come with the service resource; a garbled body leaves
                    // it unknown whether anything ran, which the caller must not guess.
                    _ => reply
                        .json::<ServiceResource>(
                            &format!("POST {}", url.path()),
                            "API Management service",
                        )
                        .map(|_| Started::Completed),
                }
            }
        })
        .await
    }
}

/// The body of a backup or restore POST: where the backup is (`backupName` is the blob name
/// exactly as the blob URLs of `azure::blob` address it) and how APIM reaches it.
pub fn backup_restore_parameters(
    blob: &BackupRef,
    access: &AccessType,
    key: Option<&Secret>,
) -> BackupRestoreParameters {
    BackupRestoreParameters {
        storage_account: blob.account.to_string(),
        container_name: blob.container.to_string(),
        backup_name: blob.blob.to_string(),
        access_type: Some(access.wire_name().to_owned()),
        access_key: key.map(|k| k.expose().to_owned()),
        client_id: match access {
            AccessType::UserAssignedManagedIdentity { client_id } => Some(client_id.clone()),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sas_parameters_are_stripped_and_api_version_kept() {
        let u = Url::parse("https://management.azure.com/x/operationresults/abc==?api-version=2024-05-01&sig=SECRET&se=2030").unwrap();
        assert_eq!(
            strip_sas(&u).as_str(),
            "https://management.azure.com/x/operationresults/abc==?api-version=2024-05-01"
        );
        let u = Url::parse("https://h/x?sig=a").unwrap();
        assert_eq!(strip_sas(&u).as_str(), "https://h/x");
    }

    #[test]
    fn version_refusals_are_recognised() {
        let mut e = ApiError::local(ErrorKind::Http, "MissingOrIncorrectVersionParameter", "x");
        e.status = Some(400);
        assert!(refuses_version(&e));
        e.code = "Conflict".into();
        assert!(!refuses_version(&e));
    }
}
