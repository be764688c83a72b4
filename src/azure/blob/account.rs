//! One storage account's Blob endpoint and how requests to it are authorized, plus the
//! RFC 1123 dates Blob storage speaks. URLs are built segment by segment, so every blob name is
//! percent-encoded once and signed exactly as sent.

use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use url::Url;

use crate::azure::error::{ApiError, ErrorKind};
use crate::secret::Secret;

const HTTP_DATE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Formats an instant as an RFC 1123 HTTP date (`Mon, 01 Jan 2024 00:00:00 GMT`).
pub fn http_date(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(HTTP_DATE)
        .unwrap_or_default()
}

/// Parses an RFC 1123 HTTP date.
pub fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(s.trim(), HTTP_DATE)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// How requests to one account are authorized.
#[derive(Debug, Clone)]
pub enum BlobAuth {
    /// Shared Key with the account key (from ARM `listKeys`, held only in memory).
    SharedKey(Secret),
    /// An Entra token for the storage audience (needs a Storage Blob Data role).
    Bearer,
}

/// One storage account's Blob endpoint.
#[derive(Debug, Clone)]
pub struct BlobAccount {
    /// Account name.
    pub name: String,
    /// `primaryEndpoints.blob`, always with a trailing slash.
    pub endpoint: Url,
    /// Authorization.
    pub auth: BlobAuth,
}

impl BlobAccount {
    /// An account at `endpoint`.
    ///
    /// # Errors
    /// `Invalid` when the endpoint is not a URL.
    pub fn new(name: &str, endpoint: &str, auth: BlobAuth) -> Result<Self, ApiError> {
        let mut endpoint = Url::parse(endpoint.trim()).map_err(|e| {
            ApiError::local(
                ErrorKind::Invalid,
                "InvalidEndpoint",
                format!("blob endpoint of {name}: {e}"),
            )
        })?;
        if !endpoint.path().ends_with('/') {
            let p = format!("{}/", endpoint.path());
            endpoint.set_path(&p);
        }
        Ok(Self {
            name: name.to_owned(),
            endpoint,
            auth,
        })
    }

    /// The URL of the account (`None, None`), a container, or a blob: each name is pushed as
    /// path segments, percent-encoded once (`/` in a blob name stays a separator). `.` and `..`
    /// segments would be dropped by the URL, which is why [`BlobName`] refuses them.
    ///
    /// # Errors
    /// `Invalid` when the endpoint cannot hold a path.
    ///
    /// [`BlobName`]: crate::domain::names::BlobName
    pub fn url(&self, container: Option<&str>, blob: Option<&str>) -> Result<Url, ApiError> {
        let mut url = self.endpoint.clone();
        {
            let mut segs = url.path_segments_mut().map_err(|()| {
                ApiError::local(
                    ErrorKind::Invalid,
                    "InvalidEndpoint",
                    "the blob endpoint cannot hold a path",
                )
            })?;
            segs.pop_if_empty();
            if let Some(c) = container {
                segs.push(c);
            }
            if let Some(b) = blob {
                // Blob names may contain '/', which stays a path separator.
                for part in b.split('/') {
                    segs.push(part);
                }
            }
        }
        if container.is_none() {
            // Azurite needs the trailing slash on the account root.
            let p = format!("{}/", url.path().trim_end_matches('/'));
            url.set_path(&p);
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn http_dates_round_trip() {
        let t = datetime!(2024-01-01 00:00 UTC);
        assert_eq!(http_date(t), "Mon, 01 Jan 2024 00:00:00 GMT");
        assert_eq!(
            parse_http_date("Thu, 26 Nov 2026 13:13:24 GMT"),
            Some(datetime!(2026-11-26 13:13:24 UTC))
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn urls_for_both_endpoint_styles() {
        let host = BlobAccount::new(
            "acct",
            "https://acct.blob.core.windows.net/",
            BlobAuth::Bearer,
        )
        .unwrap();
        assert_eq!(
            host.url(None, None).unwrap().as_str(),
            "https://acct.blob.core.windows.net/"
        );
        assert_eq!(
            host.url(Some("apim-backups"), Some("prod/a b.apimbackup"))
                .unwrap()
                .as_str(),
            "https://acct.blob.core.windows.net/apim-backups/prod/a%20b.apimbackup"
        );
        let path = BlobAccount::new(
            "devstoreaccount1",
            "http://127.0.0.1:10000/devstoreaccount1",
            BlobAuth::Bearer,
        )
        .unwrap();
        assert_eq!(
            path.url(None, None).unwrap().as_str(),
            "http://127.0.0.1:10000/devstoreaccount1/"
        );
        assert_eq!(
            path.url(Some("c"), None).unwrap().as_str(),
            "http://127.0.0.1:10000/devstoreaccount1/c"
        );
    }
}
