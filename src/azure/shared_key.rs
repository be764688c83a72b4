//! Blob storage Shared Key signing (`Authorization: SharedKey {account}:{signature}`), written
//! from the Blob REST reference. The official Rust crate has no Shared Key support.
//!
//! The string to sign is the verb, eleven standard headers, the canonicalized `x-ms-*` headers
//! and the canonicalized resource (`/{account}{path as sent}` plus the sorted query). The
//! headers signed must be byte-identical to the headers sent, so callers build both from the
//! same list.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use url::Url;

use super::error::{ApiError, ErrorKind};
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

/// Builds the Shared Key string to sign for a request.
/// `headers` are the request's headers (any case); `account` is the storage account name.
pub fn string_to_sign(
    method: &str,
    url: &Url,
    headers: &[(String, String)],
    account: &str,
) -> String {
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    };
    let mut out = String::new();
    out.push_str(&method.to_ascii_uppercase());
    out.push('\n');
    for h in STANDARD_HEADERS {
        let v = find(h);
        // Since 2015-02-21 a zero Content-Length is signed as an empty string.
        if !(h == "content-length" && v == "0") {
            out.push_str(v);
        }
        out.push('\n');
    }
    let mut ms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in headers {
        let k = k.to_ascii_lowercase();
        if k.starts_with("x-ms-") {
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            ms.entry(k).or_default().push(v);
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
    out.push_str(url.path());
    let mut query: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url.query_pairs() {
        query
            .entry(k.to_ascii_lowercase())
            .or_default()
            .push(v.into_owned());
    }
    for (k, mut vs) in query {
        vs.sort();
        out.push('\n');
        out.push_str(&k);
        out.push(':');
        out.push_str(&vs.join(","));
    }
    out
}

/// `Base64(HMAC-SHA256(Base64Decode(key), string_to_sign))`.
///
/// # Errors
/// `Invalid` when the key is not Base64.
pub fn signature(key: &Secret, string_to_sign: &str) -> Result<String, ApiError> {
    // The decode error quotes the offending byte, so it is dropped: keys never reach errors.
    let raw = STANDARD.decode(key.expose().trim()).ok().ok_or_else(|| {
        ApiError::local(
            ErrorKind::Invalid,
            "InvalidStorageKey",
            "the storage account key is not valid Base64",
        )
    })?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&raw).map_err(|e| {
        ApiError::local(
            ErrorKind::Invalid,
            "InvalidStorageKey",
            format!("the storage account key is unusable: {e}"),
        )
    })?;
    mac.update(string_to_sign.as_bytes());
    Ok(STANDARD.encode(mac.finalize().into_bytes()))
}

/// The full `Authorization` header value, as a [`Secret`].
///
/// # Errors
/// `Invalid` when the key is not Base64.
pub fn authorization(
    method: &str,
    url: &Url,
    headers: &[(String, String)],
    account: &str,
    key: &Secret,
) -> Result<Secret, ApiError> {
    let sig = signature(key, &string_to_sign(method, url, headers, account))?;
    Ok(Secret::new(format!("SharedKey {account}:{sig}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Azurite's published development key: public, not a secret.
    const AZURITE_KEY: &str =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    fn common() -> Vec<(String, String)> {
        vec![
            ("x-ms-date".into(), "Mon, 01 Jan 2024 00:00:00 GMT".into()),
            ("x-ms-version".into(), "2025-01-05".into()),
        ]
    }

    #[test]
    fn vector_1_list_blobs_path_style() {
        let url = Url::parse("http://127.0.0.1:10000/devstoreaccount1/apim-backups?restype=container&comp=list&include=metadata&maxresults=2").unwrap();
        let sts = string_to_sign("GET", &url, &common(), "devstoreaccount1");
        assert_eq!(
            sts,
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2025-01-05\n/devstoreaccount1/devstoreaccount1/apim-backups\ncomp:list\ninclude:metadata\nmaxresults:2\nrestype:container"
        );
        assert_eq!(
            signature(&Secret::new(AZURITE_KEY), &sts).unwrap(),
            "nZcg6Of7oDy83X+l7kYLKJviaH0DLlmNAjAwYHDuEFA="
        );
    }

    #[test]
    fn vector_2_list_containers() {
        let url = Url::parse("http://127.0.0.1:10000/devstoreaccount1/?comp=list").unwrap();
        let sts = string_to_sign("GET", &url, &common(), "devstoreaccount1");
        assert_eq!(
            sts,
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2025-01-05\n/devstoreaccount1/devstoreaccount1/\ncomp:list"
        );
        assert_eq!(
            signature(&Secret::new(AZURITE_KEY), &sts).unwrap(),
            "USbIG8JaeKgLEnrQk6tvETYkpT5fd8z24wTaMmQR7fo="
        );
    }

    #[test]
    fn vector_3_set_metadata_host_style() {
        let url = Url::parse(
            "https://myaccount.blob.core.windows.net/backups/apim-2024.bak?comp=metadata",
        )
        .unwrap();
        let mut headers = common();
        headers.push(("Content-Length".into(), "0".into()));
        headers.push(("x-ms-meta-sourceservice".into(), "apim-prod".into()));
        headers.push(("x-ms-meta-sku".into(), "Premium".into()));
        let sts = string_to_sign("PUT", &url, &headers, "myaccount");
        assert_eq!(
            sts,
            "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-meta-sku:Premium\nx-ms-meta-sourceservice:apim-prod\nx-ms-version:2025-01-05\n/myaccount/backups/apim-2024.bak\ncomp:metadata"
        );
        assert_eq!(
            signature(&Secret::new(AZURITE_KEY), &sts).unwrap(),
            "AZiOtMQLdp/SBJGImB4RpF5z9XlXR46LaGvwBiSR09g="
        );
    }

    #[test]
    fn bad_keys_are_an_error_not_a_panic() {
        assert_eq!(
            signature(&Secret::new("not base64!"), "x")
                .unwrap_err()
                .code,
            "InvalidStorageKey"
        );
        let auth = authorization(
            "GET",
            &Url::parse("http://127.0.0.1/a/").unwrap(),
            &common(),
            "a",
            &Secret::new(AZURITE_KEY),
        )
        .unwrap();
        assert_eq!(format!("{auth}"), "***");
        assert!(auth.expose().starts_with("SharedKey a:"));
    }
}
