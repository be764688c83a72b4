//! Blob request dispatch (which operation a method, path and `comp`/`restype` name) and the
//! container operations: Create Container, Delete Container, Get Container Properties. The
//! listings live in `list.rs`, the blob reads and writes in `rw.rs`.

use axum::http::{Method, StatusCode};
use time::OffsetDateTime;

use super::list::{list_blobs, list_containers};
use super::rw::{delete_blob, get_blob, put_blob, set_metadata};
use super::xml;
use super::{BlobTarget, texts};
use crate::domain::names::ContainerName;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::{Answer, http_date};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::blobs::valid_metadata_name;
use crate::emulator::world::{Container, World};

/// A Blob error reply.
pub(crate) fn error(req: &Incoming, status: StatusCode, code: &str, message: &str) -> Answer {
    Answer::blob_error(status, code, message, &req.request_id, req.now, &[])
}

/// 400 `InvalidQueryParameterValue` naming the parameter.
pub(crate) fn bad_query(req: &Incoming, name: &str, value: &str) -> Answer {
    Answer::blob_error(
        StatusCode::BAD_REQUEST,
        "InvalidQueryParameterValue",
        "Value for one of the query parameters specified in the request URI is invalid.",
        &req.request_id,
        req.now,
        &[
            ("QueryParameterName", name.to_owned()),
            ("QueryParameterValue", value.to_owned()),
            ("Reason", String::new()),
        ],
    )
}

/// 404 `ContainerNotFound`, or 400 `InvalidResourceName` for a name Azure would refuse.
pub(crate) fn container_not_found(req: &Incoming, name: &str) -> Answer {
    if ContainerName::parse(name).is_err() && name != "$root" {
        return error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidResourceName",
            texts::INVALID_RESOURCE_NAME,
        );
    }
    error(
        req,
        StatusCode::NOT_FOUND,
        "ContainerNotFound",
        texts::CONTAINER_NOT_FOUND,
    )
}

/// 404 `ResourceNotFound`: the account is not there.
pub(crate) fn account_not_found(req: &Incoming) -> Answer {
    error(
        req,
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        texts::RESOURCE_NOT_FOUND,
    )
}

/// The addressed container, or Blob's answer for a missing one.
pub(crate) fn find_container<'w>(
    world: &'w World,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
) -> Result<&'w Container, Answer> {
    world
        .account(&t.account)
        .and_then(|a| a.containers.get(c))
        .ok_or_else(|| container_not_found(req, c))
}

/// [`find_container`] for a change.
pub(crate) fn find_container_mut<'w>(
    world: &'w mut World,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
) -> Result<&'w mut Container, Answer> {
    world
        .account_mut(&t.account)
        .and_then(|a| a.containers.get_mut(c))
        .ok_or_else(|| container_not_found(req, c))
}

/// The `ETag` and `Last-Modified` of a container or blob, on a reply.
pub(crate) fn with_version(reply: Answer, changed: OffsetDateTime, serial: u64) -> Answer {
    reply
        .with("etag", format!("\"{}\"", xml::etag(changed, serial)))
        .with("last-modified", http_date(changed))
}

/// Runs the operation the request addresses.
pub(crate) fn run(shared: &Shared, req: &Incoming, t: &BlobTarget) -> Answer {
    let comp = req.query("comp").map(|c| c.to_ascii_lowercase());
    let restype = req.query("restype").map(|c| c.to_ascii_lowercase());
    let m = &req.method;
    match (&t.container, &t.blob) {
        (None, _) => match comp.as_deref() {
            Some("list") if *m == Method::GET => list_containers(shared, req, t),
            Some(other) if other != "list" => bad_query(req, "comp", other),
            _ => unsupported(req),
        },
        (Some(c), None) if restype.as_deref() == Some("container") => {
            match (m.as_str(), comp.as_deref()) {
                ("GET", Some("list")) => list_blobs(shared, req, t, c),
                ("PUT", None) => create_container(shared, req, t, c),
                ("DELETE", None) => delete_container(shared, req, t, c),
                ("GET" | "HEAD", None) => container_properties(shared, req, t, c),
                (_, Some(other)) if !matches!(other, "list" | "metadata" | "acl") => {
                    bad_query(req, "comp", other)
                }
                _ => unsupported(req),
            }
        }
        (Some(c), None) => match restype {
            Some(other) => bad_query(req, "restype", &other),
            // Without restype a one-segment path names a blob of the root container.
            None => blob_op(shared, req, t, "$root", c, comp.as_deref()),
        },
        (Some(c), Some(b)) => blob_op(shared, req, t, c, b, comp.as_deref()),
    }
}

fn unsupported(req: &Incoming) -> Answer {
    error(
        req,
        StatusCode::METHOD_NOT_ALLOWED,
        "UnsupportedHttpVerb",
        "The resource doesn't support specified Http Verb.",
    )
}

fn blob_op(
    shared: &Shared,
    req: &Incoming,
    t: &BlobTarget,
    c: &str,
    b: &str,
    comp: Option<&str>,
) -> Answer {
    match (req.method.as_str(), comp) {
        ("GET" | "HEAD", None) => get_blob(shared, req, t, c, b),
        ("PUT", None) => put_blob(shared, req, t, c, b),
        ("PUT", Some("metadata")) => set_metadata(shared, req, t, c, b),
        ("DELETE", None) => delete_blob(shared, req, t, c, b),
        (_, Some(other))
            if !matches!(
                other,
                "metadata" | "properties" | "block" | "blocklist" | "lease" | "snapshot" | "tags"
            ) =>
        {
            bad_query(req, "comp", other)
        }
        _ => unsupported(req),
    }
}

/// `x-ms-meta-*` headers, validated as Azure validates metadata names.
pub(crate) fn metadata_headers(req: &Incoming) -> Result<Vec<(String, String)>, Answer> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in &req.headers {
        let Some(name) = k.as_str().strip_prefix("x-ms-meta-") else {
            continue;
        };
        let value = String::from_utf8_lossy(v.as_bytes()).trim().to_owned();
        if !valid_metadata_name(name) || out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Err(Answer::blob_error(
                StatusCode::BAD_REQUEST,
                "InvalidMetadata",
                "The metadata specified is invalid. It has characters that are not permitted.",
                &req.request_id,
                req.now,
                &[("MetadataName", name.to_owned())],
            ));
        }
        out.push((name.to_owned(), value));
    }
    Ok(out)
}

fn create_container(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Answer {
    if ContainerName::parse(c).is_err() {
        return error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidResourceName",
            texts::INVALID_RESOURCE_NAME,
        );
    }
    let metadata = match metadata_headers(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    shared.change(|live| {
        let account = live
            .world
            .account_mut(&t.account)
            .ok_or_else(|| account_not_found(req))?;
        if account.containers.contains_key(c) {
            return Err(error(
                req,
                StatusCode::CONFLICT,
                "ContainerAlreadyExists",
                "The specified container already exists.",
            ));
        }
        let mut container = Container::new(req.now);
        container.metadata = metadata;
        let reply = with_version(
            Answer::empty(StatusCode::CREATED),
            container.created,
            container.etag_serial,
        );
        account.containers.insert(c.to_owned(), container);
        Ok(reply)
    })
}

fn delete_container(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Answer {
    shared.change(|live| {
        live.world
            .account_mut(&t.account)
            .and_then(|a| a.containers.remove(c))
            .map(|_| Answer::empty(StatusCode::ACCEPTED))
            .ok_or_else(|| container_not_found(req, c))
    })
}

fn container_properties(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Answer {
    shared.answer(|live| {
        let container = find_container(&live.world, req, t, c)?;
        let mut reply = with_version(
            Answer::empty(StatusCode::OK),
            container.created,
            container.etag_serial,
        )
        .with("x-ms-lease-status", "unlocked")
        .with("x-ms-lease-state", "available")
        .with("x-ms-has-immutability-policy", "false")
        .with("x-ms-has-legal-hold", "false");
        for (k, v) in &container.metadata {
            reply.append(&format!("x-ms-meta-{k}"), v);
        }
        Ok(reply)
    })
}
