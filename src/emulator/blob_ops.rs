//! The Blob operations the tool and the drills use: List Containers, Create/Delete Container,
//! Get Container Properties, List Blobs (prefix, delimiter, opaque markers, pages capped by
//! `blob_page_size`), Get Blob, Get Blob Properties, Put Blob (block blobs), Set Blob Metadata
//! and Delete Blob, with Azure's status codes and error codes.

use axum::http::{Method, StatusCode};

use super::blob::BlobTarget;
use super::blob_xml::{self, Entry, ListHead};
use super::reply::{Reply, http_date};
use super::server::Incoming;
use super::state::Shared;
use super::world::{Blob, Container};
use super::world_blobs::valid_metadata_name;
use crate::domain::names::ContainerName;

fn error(req: &Incoming, status: StatusCode, code: &str, message: &str) -> Reply {
    Reply::blob_error(status, code, message, &req.request_id, req.now, &[])
}

fn bad_query(req: &Incoming, name: &str, value: &str) -> Reply {
    Reply::blob_error(
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

fn container_not_found(req: &Incoming, name: &str) -> Reply {
    if ContainerName::parse(name).is_err() && name != "$root" {
        return error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidResourceName",
            "The specifed resource name contains invalid characters.",
        );
    }
    error(
        req,
        StatusCode::NOT_FOUND,
        "ContainerNotFound",
        "The specified container does not exist.",
    )
}

/// Runs the operation the request addresses.
pub(crate) fn run(shared: &Shared, req: &Incoming, t: &BlobTarget) -> Reply {
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

fn unsupported(req: &Incoming) -> Reply {
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
) -> Reply {
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

/// The `include` values List Blobs and List Containers accept.
const INCLUDES: [&str; 12] = [
    "metadata",
    "snapshots",
    "uncommittedblobs",
    "copy",
    "deleted",
    "tags",
    "versions",
    "deletedwithversions",
    "immutabilitypolicy",
    "legalhold",
    "permissions",
    "system",
];

/// `maxresults` (1–5000), `include` and `marker` of a listing.
struct ListArgs {
    prefix: String,
    marker: String,
    max_results: Option<usize>,
    page: usize,
    metadata: bool,
    resume: Option<String>,
}

fn list_args(shared: &Shared, req: &Incoming, scope: &str) -> Result<ListArgs, Reply> {
    let max_results = match req.query("maxresults") {
        None => None,
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if (1..=5000).contains(&n) => Some(n),
            _ => return Err(bad_query(req, "maxresults", &v)),
        },
    };

    let mut metadata = false;
    for part in req
        .query("include")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let lower = part.to_ascii_lowercase();
        if !INCLUDES.contains(&lower.as_str()) {
            return Err(bad_query(req, "include", part));
        }
        metadata |= lower == "metadata";
    }
    let marker = req.query("marker").unwrap_or_default();
    let resume = if marker.is_empty() {
        None
    } else {
        Some(blob_xml::resume_at(scope, &marker).ok_or_else(|| bad_query(req, "marker", &marker))?)
    };
    Ok(ListArgs {
        prefix: req.query("prefix").unwrap_or_default(),
        page: max_results
            .unwrap_or(5000)
            .min(shared.settings.blob_page_size),
        max_results,
        metadata,
        marker,
        resume,
    })
}

fn xml(body: String) -> Reply {
    Reply::empty(StatusCode::OK)
        .with_body(body)
        .with("content-type", "application/xml")
}

fn list_containers(shared: &Shared, req: &Incoming, t: &BlobTarget) -> Reply {
    let scope = format!("/{}", t.account);
    let args = match list_args(shared, req, &scope) {
        Ok(a) => a,
        Err(r) => return r,
    };
    shared.read(|rt| {
        let Some(account) = rt.world.account(&t.account) else {
            return error(
                req,
                StatusCode::NOT_FOUND,
                "ResourceNotFound",
                "The specified resource does not exist.",
            );
        };
        let matching: Vec<(&String, &Container)> = account
            .containers
            .iter()
            .filter(|(n, _)| n.starts_with(&args.prefix))
            .filter(|(n, _)| args.resume.as_ref().is_none_or(|r| *n >= r))
            .collect();
        let (page, rest) = matching.split_at(args.page.min(matching.len()));
        let next = rest
            .first()
            .map(|(n, _)| blob_xml::marker(&scope, n))
            .unwrap_or_default();
        let head = ListHead {
            prefix: &args.prefix,
            marker: &args.marker,
            max_results: args.max_results,
            delimiter: None,
        };
        let endpoint = format!("{}/{}/", shared.blob_base, t.account);
        xml(blob_xml::containers(
            &endpoint,
            &head,
            page,
            args.metadata,
            &next,
        ))
    })
}

fn list_blobs(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Reply {
    let scope = format!("/{}/{c}", t.account);
    let args = match list_args(shared, req, &scope) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let delimiter = req.query("delimiter").filter(|d| !d.is_empty());
    shared.read(|rt| {
        let Some(container) = rt
            .world
            .account(&t.account)
            .and_then(|a| a.containers.get(c))
        else {
            return container_not_found(req, c);
        };
        let mut entries: Vec<(String, Entry<'_>)> = Vec::new();
        for (name, blob) in container.blobs.range(args.prefix.clone()..) {
            if !name.starts_with(&args.prefix) {
                break;
            }
            let grouped = delimiter.as_deref().and_then(|d| {
                name[args.prefix.len()..]
                    .find(d)
                    .map(|i| name[..args.prefix.len() + i + d.len()].to_owned())
            });
            match grouped {
                Some(p) if entries.last().is_some_and(|(k, _)| *k == p) => {}
                Some(p) => entries.push((p.clone(), Entry::Prefix(p))),
                None => entries.push((name.clone(), Entry::Blob(name, blob))),
            }
        }
        if let Some(r) = &args.resume {
            entries.retain(|(k, _)| k >= r);
        }
        let cut = args.page.min(entries.len());
        let next = entries
            .get(cut)
            .map(|(k, _)| blob_xml::marker(&scope, k))
            .unwrap_or_default();
        entries.truncate(cut);
        let items: Vec<Entry<'_>> = entries.into_iter().map(|(_, e)| e).collect();
        let head = ListHead {
            prefix: &args.prefix,
            marker: &args.marker,
            max_results: args.max_results,
            delimiter: delimiter.as_deref(),
        };
        let endpoint = format!("{}/{}/", shared.blob_base, t.account);
        xml(blob_xml::blobs(
            &endpoint,
            c,
            &head,
            &items,
            args.metadata,
            &next,
        ))
    })
}

/// `x-ms-meta-*` headers, validated as Azure validates metadata names.
fn metadata_headers(req: &Incoming) -> Result<Vec<(String, String)>, Reply> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in &req.headers {
        let Some(name) = k.as_str().strip_prefix("x-ms-meta-") else {
            continue;
        };
        let value = String::from_utf8_lossy(v.as_bytes()).trim().to_owned();
        if !valid_metadata_name(name) || out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Err(Reply::blob_error(
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

fn create_container(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Reply {
    if ContainerName::parse(c).is_err() {
        return error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidResourceName",
            "The specifed resource name contains invalid characters.",
        );
    }
    let metadata = match metadata_headers(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    shared.write(|rt| {
        let Some(account) = rt.world.account_mut(&t.account) else {
            return (
                error(
                    req,
                    StatusCode::NOT_FOUND,
                    "ResourceNotFound",
                    "The specified resource does not exist.",
                ),
                false,
            );
        };
        if account.containers.contains_key(c) {
            return (
                error(
                    req,
                    StatusCode::CONFLICT,
                    "ContainerAlreadyExists",
                    "The specified container already exists.",
                ),
                false,
            );
        }
        let mut container = Container::new(req.now);
        container.metadata = metadata;
        let reply = Reply::empty(StatusCode::CREATED)
            .with(
                "etag",
                format!(
                    "\"{}\"",
                    blob_xml::etag(container.created, container.etag_serial)
                ),
            )
            .with("last-modified", http_date(container.created));
        account.containers.insert(c.to_owned(), container);
        (reply, true)
    })
}

fn delete_container(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Reply {
    shared.write(|rt| {
        match rt
            .world
            .account_mut(&t.account)
            .and_then(|a| a.containers.remove(c))
        {
            Some(_) => (Reply::empty(StatusCode::ACCEPTED), true),
            None => (container_not_found(req, c), false),
        }
    })
}

fn container_properties(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Reply {
    shared.read(|rt| {
        let Some(container) = rt
            .world
            .account(&t.account)
            .and_then(|a| a.containers.get(c))
        else {
            return container_not_found(req, c);
        };
        let mut reply = Reply::empty(StatusCode::OK)
            .with(
                "etag",
                format!(
                    "\"{}\"",
                    blob_xml::etag(container.created, container.etag_serial)
                ),
            )
            .with("last-modified", http_date(container.created))
            .with("x-ms-lease-status", "unlocked")
            .with("x-ms-lease-state", "available")
            .with("x-ms-has-immutability-policy", "false")
            .with("x-ms-has-legal-hold", "false");
        for (k, v) in &container.metadata {
            reply.append(&format!("x-ms-meta-{k}"), v);
        }
        reply
    })
}

fn blob_headers(reply: &mut Reply, b: &Blob) {
    reply.set(
        "etag",
        &format!("\"{}\"", blob_xml::etag(b.modified, b.etag_serial)),
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

fn blob_not_found(req: &Incoming) -> Reply {
    error(
        req,
        StatusCode::NOT_FOUND,
        "BlobNotFound",
        "The specified blob does not exist.",
    )
}

fn get_blob(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str, b: &str) -> Reply {
    shared.read(|rt| {
        let Some(container) = rt
            .world
            .account(&t.account)
            .and_then(|a| a.containers.get(c))
        else {
            return container_not_found(req, c);
        };
        let Some(blob) = container.blobs.get(b) else {
            return blob_not_found(req);
        };
        let mut reply = Reply::empty(StatusCode::OK).with_body(blob.content.clone());
        blob_headers(&mut reply, blob);
        if req.method == Method::HEAD {
            reply.set("x-ms-access-tier", "Hot");
            reply.set("x-ms-access-tier-inferred", "true");
        }
        reply
    })
}

/// `If-Match` / `If-None-Match` against the current blob.
fn preconditions(req: &Incoming, current: Option<&Blob>) -> Result<(), Reply> {
    let tag = current.map(|b| format!("\"{}\"", blob_xml::etag(b.modified, b.etag_serial)));
    if let Some(want) = req.header("if-match") {
        let ok =
            want.trim() == "*" && tag.is_some() || tag.as_deref().is_some_and(|t| t == want.trim());
        if !ok {
            return Err(error(
                req,
                StatusCode::PRECONDITION_FAILED,
                "ConditionNotMet",
                "The condition specified using HTTP conditional header(s) is not met.",
            ));
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
                error(
                    req,
                    StatusCode::PRECONDITION_FAILED,
                    "ConditionNotMet",
                    "The condition specified using HTTP conditional header(s) is not met.",
                )
            });
        }
    }
    Ok(())
}

fn put_blob(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str, b: &str) -> Reply {
    match req.header("x-ms-blob-type") {
        None => {
            return Reply::blob_error(
                StatusCode::BAD_REQUEST,
                "MissingRequiredHeader",
                "An HTTP header that's mandatory for this request is not specified.",
                &req.request_id,
                req.now,
                &[("HeaderName", "x-ms-blob-type".to_owned())],
            );
        }
        Some(kind) if !kind.trim().eq_ignore_ascii_case("BlockBlob") => {
            return Reply::blob_error(
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
    let metadata = match metadata_headers(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    shared.write(|rt| {
        let Some(container) = rt
            .world
            .account_mut(&t.account)
            .and_then(|a| a.containers.get_mut(c))
        else {
            return (container_not_found(req, c), false);
        };
        if let Err(r) = preconditions(req, container.blobs.get(b)) {
            return (r, false);
        }
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
        let reply = Reply::empty(StatusCode::CREATED)
            .with(
                "etag",
                format!("\"{}\"", blob_xml::etag(blob.modified, blob.etag_serial)),
            )
            .with("last-modified", http_date(blob.modified))
            .with("x-ms-request-server-encrypted", "true");
        container.blobs.insert(b.to_owned(), blob);
        (reply, true)
    })
}

fn set_metadata(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str, b: &str) -> Reply {
    let metadata = match metadata_headers(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    shared.write(|rt| {
        let Some(container) = rt
            .world
            .account_mut(&t.account)
            .and_then(|a| a.containers.get_mut(c))
        else {
            return (container_not_found(req, c), false);
        };
        if let Err(r) = preconditions(req, container.blobs.get(b)) {
            return (r, false);
        }
        let Some(blob) = container.blobs.get_mut(b) else {
            return (blob_not_found(req), false);
        };
        blob.metadata = metadata;
        blob.modified = req.now;
        blob.etag_serial += 1;
        let reply = Reply::empty(StatusCode::OK)
            .with(
                "etag",
                format!("\"{}\"", blob_xml::etag(blob.modified, blob.etag_serial)),
            )
            .with("last-modified", http_date(blob.modified))
            .with("x-ms-request-server-encrypted", "true");
        (reply, true)
    })
}

fn delete_blob(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str, b: &str) -> Reply {
    shared.write(|rt| {
        let Some(container) = rt
            .world
            .account_mut(&t.account)
            .and_then(|a| a.containers.get_mut(c))
        else {
            return (container_not_found(req, c), false);
        };
        match container.blobs.remove(b) {
            Some(_) => (
                Reply::empty(StatusCode::ACCEPTED).with("x-ms-delete-type-permanent", "true"),
                true,
            ),
            None => (blob_not_found(req), false),
        }
    })
}
