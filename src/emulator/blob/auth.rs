//! Blob Shared Key verification, written from the Blob REST reference (not shared with the
//! client's signer, so a mistake in one is not silently repeated by the other).
//!
//! The server rebuilds the string to sign from the request as received: the verb, eleven
//! standard headers (an empty `Content-Length` for 0, an empty `Date` when `x-ms-date` is
//! sent), the canonicalized `x-ms-*` headers, and `/{account}{path as sent}` followed by the
//! query parameters sorted by lowercase name. For path-style URLs the account therefore
//! appears twice. The signature must match HMAC-SHA256 under either account key. Pure.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::Secret;

/// The standard headers, in the order the string to sign lists them.
const STANDARD_HEADERS: [&str; 11] = [
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
];

/// How a request says who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    /// `SharedKey {account}:{signature}`.
    SharedKey { account: String, signature: String },
    /// `Bearer {token}`.
    Bearer(String),
    /// An `Authorization` header of another or broken form.
    Malformed,
}

/// Reads an `Authorization` header value.
pub(crate) fn credential(value: &str) -> Credential {
    let Some((scheme, rest)) = value.trim().split_once(' ') else {
        return Credential::Malformed;
    };
    if scheme.eq_ignore_ascii_case("Bearer") {
        return Credential::Bearer(rest.trim().to_owned());
    }
    if scheme == "SharedKey"
        && let Some((account, signature)) = rest.trim().split_once(':')
    {
        return Credential::SharedKey {
            account: account.to_owned(),
            signature: signature.to_owned(),
        };
    }
    Credential::Malformed
}

fn collapse(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The string to sign for a request: `path` and `query` exactly as sent (still
/// percent-encoded), `headers` as received (any case, repeats allowed).
pub fn string_to_sign(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    account: &str,
) -> String {
    let values = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let has_ms_date = !values("x-ms-date").is_empty();
    let mut out = method.to_ascii_uppercase();
    out.push('\n');
    for h in STANDARD_HEADERS {
        let v = values(h).join(",");
        let skip = (h == "content-length" && v.trim() == "0") || (h == "date" && has_ms_date);
        if !skip {
            out.push_str(v.trim());
        }
        out.push('\n');
    }
    let mut ms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in headers {
        let k = k.to_ascii_lowercase();
        if k.starts_with("x-ms-") {
            ms.entry(k).or_default().push(collapse(v));
        }
    }
    for (k, vs) in &ms {
        out.push_str(k);
        out.push(':');
        out.push_str(&vs.join(","));
        out.push('\n');
    }
    out.push('/');
    out.push_str(account);
    out.push_str(path);
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        params
            .entry(k.to_ascii_lowercase())
            .or_default()
            .push(v.into_owned());
    }
    for (k, mut vs) in params {
        vs.sort();
        out.push('\n');
        out.push_str(&k);
        out.push(':');
        out.push_str(&vs.join(","));
    }
    out
}

/// True when `signature` (Base64) is the HMAC-SHA256 of `string_to_sign` under one of `keys`.
pub fn verify_signature(string_to_sign: &str, signature: &str, keys: &[Secret]) -> bool {
    let Ok(given) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    keys.iter().any(|key| {
        let Ok(raw) = STANDARD.decode(key.expose().trim()) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&raw) else {
            return false;
        };
        mac.update(string_to_sign.as_bytes());
        // Constant-time comparison.
        mac.verify_slice(&given).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Azurite's published development key: public, not a secret.
    const AZURITE_KEY: &str =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    fn headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut h = vec![
            (
                "x-ms-date".to_owned(),
                "Mon, 01 Jan 2024 00:00:00 GMT".to_owned(),
            ),
            ("x-ms-version".to_owned(), "2025-01-05".to_owned()),
        ];
        h.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        h
    }

    fn keys() -> Vec<Secret> {
        vec![
            Secret::new("c29tZSBvdGhlciBrZXk="),
            Secret::new(AZURITE_KEY),
        ]
    }

    /// One vector from reference §5.3: `(method, path, query, extra headers, account)`, the
    /// expected string to sign and the signature Azurite's key gives it.
    fn vector(
        (method, path, query, extra, account): (&str, &str, &str, &[(&str, &str)], &str),
        expected: &str,
        signature: &str,
    ) {
        let s = string_to_sign(method, path, query, &headers(extra), account);
        assert_eq!(s, expected);
        assert!(verify_signature(&s, signature, &keys()));
    }

    #[test]
    fn vector_1_list_blobs_path_style() {
        vector(
            (
                "GET",
                "/devstoreaccount1/apim-backups",
                "restype=container&comp=list&include=metadata&maxresults=2",
                &[],
                "devstoreaccount1",
            ),
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2025-01-05\n/devstoreaccount1/devstoreaccount1/apim-backups\ncomp:list\ninclude:metadata\nmaxresults:2\nrestype:container",
            "nZcg6Of7oDy83X+l7kYLKJviaH0DLlmNAjAwYHDuEFA=",
        );
    }

    #[test]
    fn vector_2_list_containers_account_root() {
        vector(
            (
                "GET",
                "/devstoreaccount1/",
                "comp=list",
                &[],
                "devstoreaccount1",
            ),
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2025-01-05\n/devstoreaccount1/devstoreaccount1/\ncomp:list",
            "USbIG8JaeKgLEnrQk6tvETYkpT5fd8z24wTaMmQR7fo=",
        );
    }

    #[test]
    fn vector_3_set_metadata_host_style() {
        vector(
            (
                "PUT",
                "/backups/apim-2024.bak",
                "comp=metadata",
                &[
                    ("Content-Length", "0"),
                    ("x-ms-meta-sourceservice", "apim-prod"),
                    ("x-ms-meta-sku", "Premium"),
                ],
                "myaccount",
            ),
            "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-meta-sku:Premium\nx-ms-meta-sourceservice:apim-prod\nx-ms-version:2025-01-05\n/myaccount/backups/apim-2024.bak\ncomp:metadata",
            "AZiOtMQLdp/SBJGImB4RpF5z9XlXR46LaGvwBiSR09g=",
        );
    }

    #[test]
    fn wrong_signatures_and_keys_fail() {
        let s = string_to_sign(
            "GET",
            "/devstoreaccount1/",
            "comp=list",
            &headers(&[]),
            "devstoreaccount1",
        );
        assert!(!verify_signature(
            &s,
            "USbIG8JaeKgLEnrQk6tvETYkpT5fd8z24wTaMmQR7fo=",
            &keys()[..1]
        ));
        assert!(!verify_signature(&s, "not base64!", &keys()));
        assert!(!verify_signature(
            &(s + "x"),
            "USbIG8JaeKgLEnrQk6tvETYkpT5fd8z24wTaMmQR7fo=",
            &keys()
        ));
    }

    #[test]
    fn date_is_blank_with_x_ms_date_and_headers_merge() {
        let s = string_to_sign(
            "get",
            "/a/",
            "comp=list&Include=b&include=a",
            &[
                (
                    "Date".to_owned(),
                    "Tue, 02 Jan 2024 00:00:00 GMT".to_owned(),
                ),
                ("x-ms-date".to_owned(), "x".to_owned()),
                ("X-MS-Meta-A".to_owned(), "  one   two ".to_owned()),
                ("x-ms-meta-a".to_owned(), "three".to_owned()),
            ],
            "a",
        );
        assert!(s.starts_with("GET\n\n\n\n\n\n\n\n"), "{s:?}");
        assert!(s.contains("x-ms-meta-a:one two,three\n"), "{s:?}");
        assert!(s.ends_with("/a/a/\ncomp:list\ninclude:a,b"), "{s:?}");
        assert_eq!(
            credential("SharedKey acct:abc="),
            Credential::SharedKey {
                account: "acct".into(),
                signature: "abc=".into()
            }
        );
        assert_eq!(credential("bearer tok"), Credential::Bearer("tok".into()));
        assert_eq!(credential("SharedKeyLite a:b"), Credential::Malformed);
        assert_eq!(credential("garbage"), Credential::Malformed);
    }
}
