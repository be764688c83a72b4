//! ARM `nextLink` paging as a stream of pages.
//!
//! The next link is followed exactly as given (it carries its own `api-version` and skip
//! token); it is never built by hand. A server that hands back a link it already gave, or more
//! than [`MAX_PAGES`] pages, gets an error instead of an endless loop.

use std::collections::HashSet;

use futures::{Stream, TryStreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::client::AzureClient;
use super::error::{ApiError, ErrorKind};
use super::models::Page;

/// Upper bound on pages followed for one listing.
pub const MAX_PAGES: usize = 10_000;

struct Cursor {
    next: Option<Url>,
    seen: HashSet<String>,
    pages: usize,
}

/// Streams the pages of an ARM list, starting at `first`.
pub fn arm_pages<'a, T: DeserializeOwned + 'a>(
    client: &'a AzureClient,
    first: Url,
    what: &'static str,
) -> impl Stream<Item = Result<Vec<T>, ApiError>> + 'a {
    let cursor = Cursor {
        next: Some(first),
        seen: HashSet::new(),
        pages: 0,
    };
    futures::stream::try_unfold(cursor, move |mut cursor| async move {
        let Some(url) = cursor.next.take() else {
            return Ok(None);
        };
        cursor.pages += 1;
        let call = format!("GET {}", url.path());
        if cursor.pages > MAX_PAGES {
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
            let next = url
                .join(link.trim())
                .map_err(|e| malformed(format!("nextLink is not a URL: {e}")))?;
            if !cursor.seen.insert(next.as_str().to_owned()) {
                return Err(malformed("nextLink repeats a page already read".to_owned()));
            }
            cursor.next = Some(next);
        }
        Ok(Some((page.value, cursor)))
    })
}

/// Reads every page of an ARM list into one vector.
///
/// # Errors
/// The first [`ApiError`] of any page.
pub async fn arm_list<T: DeserializeOwned>(
    client: &AzureClient,
    first: Url,
    what: &'static str,
) -> Result<Vec<T>, ApiError> {
    let pages: Vec<Vec<T>> = arm_pages(client, first, what).try_collect().await?;
    Ok(pages.into_iter().flatten().collect())
}
