//! The XML of Blob listings (`<EnumerationResults>` of List Containers and List Blobs, as in
//! reference §5.2), blob `ETags`, and the opaque continuation markers Azure hands out
//! (`2!…` tokens, never the plain next name). Like Azure's, the XML starts with a UTF-8 byte
//! order mark. Pure.

use std::fmt::Write as _;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use crate::emulator::transport::answer::{escape, http_date};
use crate::emulator::world::{Blob, Container};

/// An `ETag` value (`0x8DC…`) from a change time and a change counter.
pub(crate) fn etag(modified: OffsetDateTime, serial: u64) -> String {
    let ticks = u64::try_from(modified.unix_timestamp_nanos() / 100).unwrap_or(0);
    format!(
        "0x8DC{:012X}",
        (ticks ^ serial.wrapping_mul(0x9E37_79B9)) & 0xFFFF_FFFF_FFFF
    )
}

/// An opaque marker that resumes a listing at `name` of `/{account}[/{container}]`.
pub(crate) fn marker(scope: &str, name: &str) -> String {
    let path = format!("{scope}/{name}");
    let inner = format!(
        "{:06}!{path}!000028!9999-12-31T23:59:59.9999999Z!",
        path.len()
    );
    let encoded = STANDARD.encode(inner);
    format!("2!{}!{encoded}", encoded.len())
}

/// The name a marker resumes at, if it is one of ours for this scope.
pub(crate) fn resume_at(scope: &str, marker: &str) -> Option<String> {
    let rest = marker.trim().strip_prefix("2!")?;
    let (_, encoded) = rest.split_once('!')?;
    let inner = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let path = inner.split('!').nth(1)?;
    path.strip_prefix(scope)?
        .strip_prefix('/')
        .map(str::to_owned)
}

fn element(out: &mut String, name: &str, value: &str) {
    if value.is_empty() {
        let _ = write!(out, "<{name} />");
    } else {
        let _ = write!(out, "<{name}>{}</{name}>", escape(value));
    }
}

fn metadata(out: &mut String, pairs: &[(String, String)]) {
    out.push_str("<Metadata>");
    for (k, v) in pairs {
        element(out, k, v);
    }
    out.push_str("</Metadata>");
}

/// The common head of a listing: `Prefix`, `Marker`, `MaxResults` (and `Delimiter`).
pub(crate) struct ListHead<'a> {
    pub prefix: &'a str,
    pub marker: &'a str,
    pub max_results: Option<usize>,
    pub delimiter: Option<&'a str>,
}

fn head(out: &mut String, h: &ListHead<'_>) {
    element(out, "Prefix", h.prefix);
    element(out, "Marker", h.marker);
    if let Some(n) = h.max_results {
        element(out, "MaxResults", &n.to_string());
    }
    if let Some(d) = h.delimiter {
        element(out, "Delimiter", d);
    }
}

/// List Containers.
pub(crate) fn containers(
    endpoint: &str,
    h: &ListHead<'_>,
    items: &[(&String, &Container)],
    with_metadata: bool,
    next: &str,
) -> String {
    let mut out = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"{}\">",
        escape(endpoint)
    );
    head(&mut out, h);
    out.push_str("<Containers>");
    for (name, c) in items {
        out.push_str("<Container>");
        element(&mut out, "Name", name);
        out.push_str("<Properties>");
        element(&mut out, "Last-Modified", &http_date(c.created));
        element(
            &mut out,
            "Etag",
            &format!("\"{}\"", etag(c.created, c.etag_serial)),
        );
        out.push_str("<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>");
        out.push_str("<DefaultEncryptionScope>$account-encryption-key</DefaultEncryptionScope>");
        out.push_str("<DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride>");
        out.push_str("<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>");
        out.push_str("</Properties>");
        if with_metadata {
            metadata(&mut out, &c.metadata);
        }
        out.push_str("</Container>");
    }
    out.push_str("</Containers>");
    element(&mut out, "NextMarker", next);
    out.push_str("</EnumerationResults>");
    out
}

/// One entry of a blob listing.
pub(crate) enum Entry<'a> {
    Blob(&'a String, &'a Blob),
    Prefix(String),
}

/// List Blobs.
pub(crate) fn blobs(
    endpoint: &str,
    container: &str,
    h: &ListHead<'_>,
    items: &[Entry<'_>],
    with_metadata: bool,
    next: &str,
) -> String {
    let mut out = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"{}\" ContainerName=\"{}\">",
        escape(endpoint),
        escape(container)
    );
    head(&mut out, h);
    out.push_str("<Blobs>");
    for item in items {
        match item {
            Entry::Prefix(p) => {
                out.push_str("<BlobPrefix>");
                element(&mut out, "Name", p);
                out.push_str("</BlobPrefix>");
            }
            Entry::Blob(name, b) => {
                out.push_str("<Blob>");
                element(&mut out, "Name", name);
                out.push_str("<Properties>");
                element(&mut out, "Creation-Time", &http_date(b.created));
                element(&mut out, "Last-Modified", &http_date(b.modified));
                element(&mut out, "Etag", &etag(b.modified, b.etag_serial));
                element(&mut out, "Content-Length", &b.content.len().to_string());
                element(&mut out, "Content-Type", &b.content_type);
                for empty in [
                    "Content-Encoding",
                    "Content-Language",
                    "Content-CRC64",
                    "Content-MD5",
                    "Cache-Control",
                    "Content-Disposition",
                ] {
                    element(&mut out, empty, "");
                }
                out.push_str("<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier>");
                out.push_str("<AccessTierInferred>true</AccessTierInferred>");
                out.push_str(
                    "<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>",
                );
                out.push_str("<ServerEncrypted>true</ServerEncrypted>");
                out.push_str("</Properties>");
                if with_metadata {
                    metadata(&mut out, &b.metadata);
                }
                out.push_str("</Blob>");
            }
        }
    }
    out.push_str("</Blobs>");
    element(&mut out, "NextMarker", next);
    out.push_str("</EnumerationResults>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_opaque_and_round_trip() {
        let m = marker("/st/apim-backups", "apim-a/20260101T0000Z.apimbackup");
        assert!(m.starts_with("2!"));
        assert!(!m.contains("apim-a"));
        assert_eq!(
            resume_at("/st/apim-backups", &m).as_deref(),
            Some("apim-a/20260101T0000Z.apimbackup")
        );
        assert_eq!(resume_at("/st/other", &m), None);
        assert_eq!(resume_at("/st/apim-backups", "apim-a"), None);
        assert_eq!(resume_at("/st/apim-backups", "2!x!%%%"), None);
    }

    #[test]
    fn etags_differ_by_serial() {
        let t = time::macros::datetime!(2026-01-01 00:00 UTC);
        assert_ne!(etag(t, 1), etag(t, 2));
        assert!(etag(t, 1).starts_with("0x8DC"));
    }
}
