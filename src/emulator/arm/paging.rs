//! ARM list pages: `{"value": [...], "nextLink": "…"}` with at most `page_size` items (or the
//! list's own size, `ListPageSizes`) and an
//! absolute `nextLink` carrying the same api-version, the same `$filter` and an opaque
//! `$skipToken`. Pure apart from reading the request.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;

const TOKEN_PREFIX: &str = "apim-dr-emulator:skip:";

fn encode(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{TOKEN_PREFIX}{offset}"))
}

fn decode(token: &str) -> Option<usize> {
    let raw = URL_SAFE_NO_PAD
        .decode(token.trim().trim_end_matches('='))
        .ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix(TOKEN_PREFIX)?
        .parse()
        .ok()
}

/// One page of `items`, chosen by the request's `$skipToken`.
pub(crate) fn page(shared: &Shared, req: &Incoming, version: &str, items: Vec<Value>) -> Answer {
    page_of(shared, req, version, items, false)
}

/// [`page`] with the total in `count`, as APIM's newer collections answer
/// (`ApiManagementListWorkspaces.json`).
pub(crate) fn page_with_count(
    shared: &Shared,
    req: &Incoming,
    version: &str,
    items: Vec<Value>,
) -> Answer {
    page_of(shared, req, version, items, true)
}

fn page_of(
    shared: &Shared,
    req: &Incoming,
    version: &str,
    items: Vec<Value>,
    count: bool,
) -> Answer {
    let offset = match req.query("$skipToken") {
        None => 0,
        Some(token) => match decode(&token) {
            Some(o) if o <= items.len() => o,
            _ => {
                return Answer::arm_error(
                    StatusCode::BAD_REQUEST,
                    "InvalidSkipToken",
                    "The provided skip token is not valid. Start the listing again without it.",
                );
            }
        },
    };
    let size = shared
        .settings
        .page_size_of(&super::route::parse(req.uri.path()));
    let end = offset.saturating_add(size).min(items.len());
    let more = end < items.len();
    let total = items.len();
    let value: Vec<Value> = items.into_iter().skip(offset).take(end - offset).collect();
    let mut body = json!({ "value": value });
    if count {
        body["count"] = json!(total);
    }
    if more {
        let encoded =
            |v: &str| -> String { url::form_urlencoded::byte_serialize(v.as_bytes()).collect() };
        let filter = req
            .query("$filter")
            .map(|f| format!("&$filter={}", encoded(&f)))
            .unwrap_or_default();
        body["nextLink"] = Value::String(format!(
            "{}{}?api-version={}{filter}&$skipToken={}",
            shared.arm_base,
            req.uri.path(),
            encoded(version),
            encode(end)
        ));
    }
    Answer::json(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_opaque_and_checked() {
        let t = encode(50);
        assert!(!t.contains("50"));
        assert_eq!(decode(&t), Some(50));
        assert_eq!(decode("garbage!"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("skip:3")), None);
    }
}
