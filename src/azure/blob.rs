//! The Blob data plane, by hand with reqwest: list containers, list blobs with metadata,
//! blob properties, set metadata, create a container, put a block blob.
//!
//! A [`BlobAccount`] is built from ARM's view of a storage account: its name and
//! `primaryEndpoints.blob` (host style on Azure, path style on the emulator and Azurite).
//! Requests are signed with Shared Key or carry a storage-audience bearer token. Listings
//! follow `NextMarker` as an opaque token; pages may be shorter than asked.

use std::collections::{BTreeMap, HashSet};

use reqwest::Method;
use reqwest::header::HeaderName;
use time::OffsetDateTime;
use url::Url;

use super::auth::Audience;
use super::client::AzureClient;
use super::error::{ApiError, ErrorKind};
use super::models::{BlobItem, BlobList, ContainerList};
use super::retry::Idempotency;
use super::shared_key;
use super::transport::{Outgoing, Reply};
use crate::domain::backup::{BackupCatalog, BackupEntry};
use crate::secret::Secret;

mod account;
pub use account::{BlobAccount, BlobAuth, http_date, parse_http_date};

/// `x-ms-version` sent on every request: accepted by Azure and by Azurite 3.35.
pub const BLOB_API_VERSION: &str = "2025-01-05";
/// Upper bound on pages followed for one listing.
const MAX_PAGES: usize = 100_000;

/// Properties of one blob (from HEAD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobProperties {
    /// `x-ms-creation-time`.
    pub created: Option<OffsetDateTime>,
    /// `Content-Length`.
    pub size_bytes: u64,
    /// `x-ms-meta-*`.
    pub metadata: BTreeMap<String, String>,
}

/// Whether create-container made it or found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerCreated {
    /// 201.
    Created,
    /// 409 `ContainerAlreadyExists`.
    AlreadyExisted,
}

impl AzureClient {
    /// One signed Blob exchange; a 401 (an expired storage token, a signature refused for
    /// clock skew) is signed anew and sent once more, as nothing was done.
    async fn blob_once(
        &self,
        account: &BlobAccount,
        method: &Method,
        url: &Url,
        extra: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Result<Reply, ApiError> {
        let mut reply = self
            .blob_exchange(account, method, url, extra, body)
            .await?;
        if reply.status.as_u16() == 401 {
            if matches!(account.auth, BlobAuth::Bearer) {
                self.tokens().invalidate(Audience::Storage).await;
            }
            reply = self
                .blob_exchange(account, method, url, extra, body)
                .await?;
        }
        if reply.status.is_client_error() || reply.status.is_server_error() {
            return Err(reply.to_error(&format!("{method} {}", url.path())));
        }
        Ok(reply)
    }

    async fn blob_exchange(
        &self,
        account: &BlobAccount,
        method: &Method,
        url: &Url,
        extra: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Result<Reply, ApiError> {
        let mut headers: Vec<(String, String)> = vec![
            ("x-ms-date".to_owned(), http_date(OffsetDateTime::now_utc())),
            ("x-ms-version".to_owned(), BLOB_API_VERSION.to_owned()),
        ];
        headers.extend(
            self.id_headers()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        headers.extend_from_slice(extra);
        if *method == Method::PUT {
            headers.push((
                "Content-Length".to_owned(),
                body.map_or(0, <[u8]>::len).to_string(),
            ));
        }
        let authorization = match &account.auth {
            BlobAuth::SharedKey(key) => {
                shared_key::authorization(method.as_str(), url, &headers, &account.name, key)?
            }
            BlobAuth::Bearer => {
                let t = self.tokens().token(Audience::Storage).await?;
                Secret::new(format!("Bearer {}", t.expose()))
            }
        };
        let mut out = Outgoing::new(method.clone(), url.clone());
        for (k, v) in headers {
            let name = HeaderName::from_bytes(k.to_ascii_lowercase().as_bytes()).map_err(|e| {
                ApiError::local(
                    ErrorKind::Invalid,
                    "InvalidHeader",
                    format!("'{k}' is not a header name: {e}"),
                )
            })?;
            out.headers.push((name, v));
        }
        out.authorization = Some(authorization);
        out.body = body
            .map(<[u8]>::to_vec)
            .or_else(|| (*method == Method::PUT).then(Vec::new));
        self.send(out).await
    }

    async fn blob_call(
        &self,
        account: &BlobAccount,
        method: Method,
        url: &Url,
        extra: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Result<Reply, ApiError> {
        self.retrying(Idempotency::Safe, || {
            self.blob_once(account, &method, url, extra, body)
        })
        .await
    }

    /// List Containers: `GET {endpoint}?comp=list`, following `NextMarker`.
    ///
    /// # Errors
    /// [`ApiError`] from any page (403 `AuthenticationFailed` for a wrong key).
    pub async fn list_containers(&self, account: &BlobAccount) -> Result<Vec<String>, ApiError> {
        let mut all = Vec::new();
        self.each_container_page(account, |page| all.extend(page))
            .await?;
        Ok(all)
    }

    /// [`Self::list_containers`] page by page, each handed to `on_page` as it arrives.
    ///
    /// # Errors
    /// [`ApiError`] from any page; the pages before it have been handed over.
    pub async fn each_container_page(
        &self,
        account: &BlobAccount,
        on_page: impl FnMut(Vec<String>),
    ) -> Result<(), ApiError> {
        let base = account.url(None, None)?;
        self.follow_markers(
            account,
            &base,
            &[("comp", "list")],
            "container list",
            |reply, call| {
                let list: ContainerList = reply.xml(call, "container list")?;
                Ok((
                    list.containers.items.into_iter().map(|c| c.name).collect(),
                    list.next_marker,
                ))
            },
            on_page,
        )
        .await
    }

    /// List Blobs with metadata: `GET {endpoint}/{container}?restype=container&comp=list&include=metadata`,
    /// following `NextMarker`.
    ///
    /// # Errors
    /// [`ApiError`]; 404 `ContainerNotFound` when the container is missing.
    pub async fn list_blobs(
        &self,
        account: &BlobAccount,
        container: &str,
        prefix: Option<&str>,
    ) -> Result<Vec<BackupEntry>, ApiError> {
        let mut all = Vec::new();
        self.each_blob_page(account, container, prefix, |page| all.extend(page))
            .await?;
        Ok(all)
    }

    /// [`Self::list_blobs`] page by page, each handed to `on_page` as it arrives.
    ///
    /// # Errors
    /// [`ApiError`] from any page; the pages before it have been handed over.
    pub async fn each_blob_page(
        &self,
        account: &BlobAccount,
        container: &str,
        prefix: Option<&str>,
        on_page: impl FnMut(Vec<BackupEntry>),
    ) -> Result<(), ApiError> {
        let base = account.url(Some(container), None)?;
        let mut query = vec![
            ("restype", "container"),
            ("comp", "list"),
            ("include", "metadata"),
        ];
        if let Some(p) = prefix {
            query.push(("prefix", p));
        }
        self.follow_markers(
            account,
            &base,
            &query,
            "blob list",
            |reply, call| {
                let list: BlobList = reply.xml(call, "blob list")?;
                let page = list
                    .blobs
                    .items
                    .into_iter()
                    .map(|b| entry(&account.name, container, b))
                    .collect();
                Ok((page, list.next_marker))
            },
            on_page,
        )
        .await
    }

    /// Reads every page, parsing each inside the retry loop (a garbled page is fetched
    /// again) with the caller's parser into `(items, NextMarker)`, and hands the items of each
    /// page to `on_page`.
    async fn follow_markers<T, P>(
        &self,
        account: &BlobAccount,
        base: &Url,
        query: &[(&str, &str)],
        what: &str,
        parse: P,
        mut on_page: impl FnMut(Vec<T>),
    ) -> Result<(), ApiError>
    where
        P: Fn(&Reply, &str) -> Result<(Vec<T>, Option<String>), ApiError>,
    {
        let mut marker: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let mut url = base.clone();
            {
                let mut q = url.query_pairs_mut();
                q.extend_pairs(query.iter().copied());
                q.append_pair(
                    "maxresults",
                    &self.options().blob_page_size.max(1).to_string(),
                );
                if let Some(m) = &marker {
                    q.append_pair("marker", m);
                }
            }
            let call = format!("GET {}", url.path());
            let (page, next) = self
                .retrying(Idempotency::Safe, || async {
                    let reply = self
                        .blob_once(account, &Method::GET, &url, &[], None)
                        .await?;
                    parse(&reply, &call)
                })
                .await?;
            on_page(page);
            match next.filter(|m| !m.trim().is_empty()) {
                None => return Ok(()),
                Some(m) => {
                    if !seen.insert(m.clone()) {
                        return Err(ApiError::local(
                            ErrorKind::Decode,
                            "MalformedReply",
                            format!(
                                "the {what} is not valid: NextMarker repeats a page already read"
                            ),
                        )
                        .during(call));
                    }
                    marker = Some(m);
                }
            }
        }
        Err(ApiError::local(
            ErrorKind::Decode,
            "TooManyPages",
            format!("the {what} did not end after {MAX_PAGES} pages"),
        ))
    }

    /// Get Blob Properties: `HEAD {endpoint}/{container}/{blob}`. `Ok(None)` when the blob does
    /// not exist; a missing container is an error (`ContainerNotFound`).
    ///
    /// # Errors
    /// [`ApiError`] for everything but `BlobNotFound`.
    pub async fn blob_properties(
        &self,
        account: &BlobAccount,
        container: &str,
        blob: &str,
    ) -> Result<Option<BlobProperties>, ApiError> {
        let url = account.url(Some(container), Some(blob))?;
        match self.blob_call(account, Method::HEAD, &url, &[], None).await {
            Ok(reply) => {
                let metadata = reply
                    .headers
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = k.as_str().strip_prefix("x-ms-meta-")?;
                        Some((key.to_owned(), v.to_str().ok()?.to_owned()))
                    })
                    .collect();
                Ok(Some(BlobProperties {
                    created: reply
                        .header("x-ms-creation-time")
                        .or_else(|| reply.header("last-modified"))
                        .and_then(parse_http_date),
                    size_bytes: reply
                        .header("content-length")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0),
                    metadata,
                }))
            }
            Err(e) if e.is_not_found() && e.code == "BlobNotFound" => Ok(None),
            Err(e) if e.is_not_found() && e.code.starts_with("Http") => {
                // HEAD has no body; without x-ms-error-code assume the blob is what is missing.
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Set Blob Metadata: `PUT {endpoint}/{container}/{blob}?comp=metadata`. Replaces the whole set.
    ///
    /// # Errors
    /// [`ApiError`]; 404 when the blob is missing.
    pub async fn set_blob_metadata(
        &self,
        account: &BlobAccount,
        container: &str,
        blob: &str,
        metadata: &[(String, String)],
    ) -> Result<(), ApiError> {
        let mut url = account.url(Some(container), Some(blob))?;
        url.query_pairs_mut().append_pair("comp", "metadata");
        let headers: Vec<(String, String)> = metadata
            .iter()
            .map(|(k, v)| (format!("x-ms-meta-{k}"), v.clone()))
            .collect();
        self.blob_call(account, Method::PUT, &url, &headers, None)
            .await
            .map(drop)
    }

    /// Delete Blob: `DELETE {endpoint}/{container}/{blob}` (with its snapshots).
    ///
    /// # Errors
    /// [`ApiError`]; 404 `BlobNotFound` when it is already gone.
    pub async fn delete_blob(
        &self,
        account: &BlobAccount,
        container: &str,
        blob: &str,
    ) -> Result<(), ApiError> {
        let url = account.url(Some(container), Some(blob))?;
        let headers = [("x-ms-delete-snapshots".to_owned(), "include".to_owned())];
        self.blob_call(account, Method::DELETE, &url, &headers, None)
            .await
            .map(drop)
    }

    /// Create Container: `PUT {endpoint}/{container}?restype=container` (private).
    ///
    /// # Errors
    /// [`ApiError`] except 409 `ContainerAlreadyExists`, which is [`ContainerCreated::AlreadyExisted`].
    pub async fn create_container(
        &self,
        account: &BlobAccount,
        container: &str,
    ) -> Result<ContainerCreated, ApiError> {
        let mut url = account.url(Some(container), None)?;
        url.query_pairs_mut().append_pair("restype", "container");
        match self.blob_call(account, Method::PUT, &url, &[], None).await {
            Ok(_) => Ok(ContainerCreated::Created),
            Err(e) if e.status == Some(409) && e.code == "ContainerAlreadyExists" => {
                Ok(ContainerCreated::AlreadyExisted)
            }
            Err(e) => Err(e),
        }
    }

    /// Put Blob (block blob, one shot): `PUT {endpoint}/{container}/{blob}` with metadata.
    ///
    /// # Errors
    /// [`ApiError`]; 404 `ContainerNotFound`.
    pub async fn put_block_blob(
        &self,
        account: &BlobAccount,
        container: &str,
        blob: &str,
        data: &[u8],
        metadata: &[(String, String)],
    ) -> Result<(), ApiError> {
        let url = account.url(Some(container), Some(blob))?;
        let mut headers = vec![
            ("x-ms-blob-type".to_owned(), "BlockBlob".to_owned()),
            (
                "Content-Type".to_owned(),
                "application/octet-stream".to_owned(),
            ),
        ];
        headers.extend(
            metadata
                .iter()
                .map(|(k, v)| (format!("x-ms-meta-{k}"), v.clone())),
        );
        self.blob_call(account, Method::PUT, &url, &headers, Some(data))
            .await
            .map(drop)
    }
}

fn entry(account: &str, container: &str, b: BlobItem) -> BackupEntry {
    let p = b.properties;
    BackupEntry {
        account: account.into(),
        container: container.into(),
        created: p
            .creation_time
            .as_deref()
            .or(p.last_modified.as_deref())
            .and_then(parse_http_date),
        size_bytes: p.content_length.unwrap_or(0),
        catalog: BackupCatalog::from_metadata(&b.metadata.unwrap_or_default()).into(),
        name: b.name,
    }
}
