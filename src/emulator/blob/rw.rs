//! Blob reads and writes: Get Blob, Get Blob Properties (HEAD), Put Blob (block blobs, with
//! `If-Match`/`If-None-Match`), Set Blob Metadata (replaces the whole set, keeps the creation
//! time) and Delete Blob.

use axum::http::{Method, StatusCode};

use super::BlobTarget;
use super::ops::{error, find_container, find_container_mut, metadata_headers, with_version};
use super::{texts, xml};
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::{Answer, http_date};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::{Blob, Container};

fn blob_headers(reply: &mut Answer, b: &Blob) {
    reply.set(
        "etag",
        &format!("\"{}\"", xml::etag(b.modified, b.etag_serial)),
    );
    reply.set("last-modified", &http_date(b.modified));
    reply.set("x-ms-creation-time", &http_date(b.created));
    reply.set("content-type", &b.content_type);
    reply.set("x-ms-blob-type", "BlockBlob");
    reply.set("x-ms-lease-status", "unlocked");
    reply.set("x-ms-lease-state", "available");
    reply.set("x-ms-server-encrypted", "true");
    reply.set("accept-ranges", "bytes");
    for (k, v) in &b.metadata {
        reply.append(&format!("x-ms-meta-{k}"), v);
    }
}

fn blob_not_found(req: &Incoming) -> Answer {
    error(
        req,
        StatusCode::NOT_FOUND,
        "BlobNotFound",
        texts::BLOB_NOT_FOUND,
    )
}

/// Get Blob and Get Blob Properties.
pub(crate) fn get_blob(
    shared: &Shared,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
    b: &str,
) -> Answer {
    shared.answer(|live| {
        let container = find_container(&live.world, req, t, c)?;
        let blob = container.blobs.get(b).ok_or_else(|| blob_not_found(req))?;
        let mut reply = Answer::empty(StatusCode::OK).with_body(blob.content.clone());
        blob_headers(&mut reply, blob);
        if req.method == Method::HEAD {
            reply.set("x-ms-access-tier", "Hot");
            reply.set("x-ms-access-tier-inferred", "true");
        }
        Ok(reply)
    })
}

fn condition_not_met(req: &Incoming) -> Answer {
    error(
        req,
        StatusCode::PRECONDITION_FAILED,
        "ConditionNotMet",
        "The condition specified using HTTP conditional header(s) is not met.",
    )
}

/// The reply to a write: the blob's new version.
fn written(status: StatusCode, blob: &Blob) -> Answer {
    with_version(Answer::empty(status), blob.modified, blob.etag_serial)
        .with("x-ms-request-server-encrypted", "true")
}

/// `If-Match` / `If-None-Match` against the current blob.
fn preconditions(req: &Incoming, current: Option<&Blob>) -> Result<(), Answer> {
    let tag = current.map(|b| format!("\"{}\"", xml::etag(b.modified, b.etag_serial)));
    if let Some(want) = req.header("if-match") {
        let ok =
            want.trim() == "*" && tag.is_some() || tag.as_deref().is_some_and(|t| t == want.trim());
        if !ok {
            return Err(condition_not_met(req));
        }
    }
    if let Some(none) = req.header("if-none-match") {
        let hit =
            none.trim() == "*" && tag.is_some() || tag.as_deref().is_some_and(|t| t == none.trim());
        if hit {
            return Err(if none.trim() == "*" {
                error(
                    req,
                    StatusCode::CONFLICT,
                    "BlobAlreadyExists",
                    "The specified blob already exists.",
                )
            } else {
                condition_not_met(req)
            });
        }
    }
    Ok(())
}

/// A write to one blob: its `x-ms-meta-*` headers checked, its container found and
/// `If-Match`/`If-None-Match` met, then `f` with the container and the new metadata.
fn write(
    shared: &Shared,
    req: &Incoming,
    (target, container, blob): (&BlobTarget, &str, &str),
    apply: impl FnOnce(&mut Container, Vec<(String, String)>) -> Result<Answer, Answer>,
) -> Answer {
    let metadata = match metadata_headers(req) {
        Ok(m) => m,
        Err(refusal) => return refusal,
    };
    shared.change(|live| {
        let found = find_container_mut(&mut live.world, req, target, container)?;
        preconditions(req, found.blobs.get(blob))?;
        apply(found, metadata)
    })
}

/// Put Blob (block blobs only).
pub(crate) fn put_blob(
    shared: &Shared,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
    b: &str,
) -> Answer {
    match req.header("x-ms-blob-type") {
        None => {
            return Answer::blob_error(
                StatusCode::BAD_REQUEST,
                "MissingRequiredHeader",
                "An HTTP header that's mandatory for this request is not specified.",
                &req.request_id,
                req.now,
                &[("HeaderName", "x-ms-blob-type".to_owned())],
            );
        }
        Some(kind) if !kind.trim().eq_ignore_ascii_case("BlockBlob") => {
            return Answer::blob_error(
                StatusCode::BAD_REQUEST,
                "InvalidHeaderValue",
                "The value for one of the HTTP headers is not in the correct format.",
                &req.request_id,
                req.now,
                &[
                    ("HeaderName", "x-ms-blob-type".to_owned()),
                    ("HeaderValue", kind),
                ],
            );
        }
        Some(_) => {}
    }
    if b.chars().count() > 1024 {
        return error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidResourceName",
            "The specified resource name length is not within the permissible limits.",
        );
    }
    write(shared, req, (t, c, b), |container, metadata| {
        let serial = container.blobs.get(b).map_or(1, |old| old.etag_serial + 1);
        let blob = Blob {
            content: req.body.clone(),
            content_type: req
                .header("content-type")
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            metadata,
            created: req.now,
            modified: req.now,
            etag_serial: serial,
        };
        let reply = written(StatusCode::CREATED, &blob);
        container.blobs.insert(b.to_owned(), blob);
        Ok(reply)
    })
}

/// Set Blob Metadata.
pub(crate) fn set_metadata(
    shared: &Shared,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
    b: &str,
) -> Answer {
    write(shared, req, (t, c, b), |container, metadata| {
        let blob = container
            .blobs
            .get_mut(b)
            .ok_or_else(|| blob_not_found(req))?;
        blob.metadata = metadata;
        blob.modified = req.now;
        blob.etag_serial += 1;
        Ok(written(StatusCode::OK, blob))
    })
}

/// Delete Blob.
pub(crate) fn delete_blob(
    shared: &Shared,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
    b: &str,
) -> Answer {
    shared.change(|live| {
        find_container_mut(&mut live.world, req, t, c)?
            .blobs
            .remove(b)
            .map(|_| Answer::empty(StatusCode::ACCEPTED).with("x-ms-delete-type-permanent", "true"))
            .ok_or_else(|| blob_not_found(req))
    })
}
