//! Azure DNS (api-version 2018-05-01): the zones a subscription holds, a zone's CNAME record
//! sets, one record set with its etag, and writing it back under `If-Match` so that a record
//! changed by someone else in between is refused (412), not overwritten.

use reqwest::Method;
use reqwest::header::{HeaderName, IF_MATCH};

use super::super::paging::arm_list;
use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::{DnsZoneWire, RecordSetWire};
use crate::azure::retry::Idempotency;
use crate::domain::names::SubscriptionId;

/// api-version of `Microsoft.Network/dnszones`.
pub const DNS_API_VERSION: &str = "2018-05-01";

impl AzureClient {
    /// The public DNS zones of a subscription:
    /// `GET /subscriptions/{id}/providers/Microsoft.Network/dnszones`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn dns_zones(
        &self,
        subscription: &SubscriptionId,
    ) -> Result<Vec<DnsZoneWire>, ApiError> {
        let url = self.arm_url(
            &format!("/subscriptions/{subscription}/providers/Microsoft.Network/dnszones"),
            DNS_API_VERSION,
        )?;
        arm_list(self, url, "DNS zone list").await
    }

    /// The CNAME record sets of a zone: `GET {zone id}/CNAME`.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn cname_records(&self, zone_id: &str) -> Result<Vec<RecordSetWire>, ApiError> {
        let url = self.arm_url(
            &format!("{}/CNAME", zone_id.trim_end_matches('/')),
            DNS_API_VERSION,
        )?;
        arm_list(self, url, "CNAME record set list").await
    }

    /// One record set with its etag: `GET {record set id}`.
    ///
    /// # Errors
    /// [`ApiError`]; 404 `NotFound` when it does not exist.
    pub async fn record_set(&self, id: &str) -> Result<RecordSetWire, ApiError> {
        let url = self.arm_url(id, DNS_API_VERSION)?;
        self.arm_json(Method::GET, &url, "DNS record set").await
    }

    /// Writes a record set only if it still carries `etag`: `PUT {record set id}` with
    /// `If-Match`. A repeat after a lost answer meets the new etag and is refused like a
    /// change by someone else; the caller reads the record to tell the two apart.
    ///
    /// # Errors
    /// [`ApiError`]; 412 `PreconditionFailed` when the record set changed since it was read.
    pub async fn put_record_set_if_match(
        &self,
        record: &RecordSetWire,
        etag: &str,
    ) -> Result<RecordSetWire, ApiError> {
        let url = self.arm_url(&record.id, DNS_API_VERSION)?;
        let body = serde_json::json!({ "properties": record.properties })
            .to_string()
            .into_bytes();
        let call = format!("PUT {}", url.path());
        let headers: [(HeaderName, String); 1] = [(IF_MATCH, etag.to_owned())];
        self.retrying(Idempotency::Safe, || async {
            self.arm_once_with(&Method::PUT, &url, Some(&body), &headers)
                .await?
                .json(&call, "DNS record set")
        })
        .await
    }
}
