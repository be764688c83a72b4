//! ARM `nextLink` paging, page by page.
//!
//! The next link is followed exactly as given (it carries its own `api-version` and skip
//! token); it is never built by hand. A server that hands back a link it already gave, or more
//! than [`MAX_PAGES`] pages, gets an error instead of an endless loop.

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::client::AzureClient;
use super::error::{ApiError, ErrorKind};
use super::models::Page;

/// Upper bound on pages followed for one listing.
pub const MAX_PAGES: usize = 10_000;

/// Reads the pages of an ARM list one after the other, starting at `first`, handing each to
/// `on_page` as it arrives. Returns how many pages were read.
///
/// # Errors
/// The first [`ApiError`] of any page; pages before it have been handed over.
pub async fn each_arm_page<T: DeserializeOwned>(
    client: &AzureClient,
    first: Url,
    what: &str,
    mut on_page: impl FnMut(Vec<T>),
) -> Result<usize, ApiError> {
    let mut next = Some(first);
    let mut seen = HashSet::new();
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        let call = format!("GET {}", url.path());
        if pages > MAX_PAGES {
            return Err(ApiError::local(
                ErrorKind::Decode,
                "TooManyPages",
                format!("the {what} did not end after {MAX_PAGES} pages"),
            )
            .during(call));
        }
        let page: Page<T> = client.arm_json(Method::GET, &url, what).await?;
        if let Some(link) = page.next_link.filter(|l| !l.trim().is_empty()) {
            let malformed = |detail: String| {
                ApiError::local(
                    ErrorKind::Decode,
                    "MalformedReply",
                    format!("the {what} is not valid: {detail}"),
                )
                .during(call.clone())
            };
            let link = url
                .join(link.trim())
                .map_err(|e| malformed(format!("nextLink is not a URL: {e}")))?;
            if !seen.insert(link.as_str().to_owned()) {
                return Err(malformed("nextLink repeats a page already read".to_owned()));
            }
            next = Some(link);
        }
        on_page(page.value);
    }
    Ok(pages)
}

/// Reads every page of an ARM list into one vector.
///
/// # Errors
/// The first [`ApiError`] of any page.
pub async fn arm_list<T: DeserializeOwned>(
    client: &AzureClient,
    first: Url,
    what: &str,
) -> Result<Vec<T>, ApiError> {
    let mut all = Vec::new();
    each_arm_page(client, first, what, |page| all.extend(page)).await?;
    Ok(all)
}
