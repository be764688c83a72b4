//! List Containers and List Blobs: `prefix`, `delimiter`, `maxresults` (1–5000, capped by
//! `blob_page_size`), `include` and opaque `marker`s, answered with the XML of `xml.rs`.

use axum::http::StatusCode;

use super::BlobTarget;
use super::ops::{account_not_found, bad_query, find_container};
use super::xml::{self, Entry, ListHead};
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::Container;

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

fn list_args(shared: &Shared, req: &Incoming, scope: &str) -> Result<ListArgs, Answer> {
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
        Some(xml::resume_at(scope, &marker).ok_or_else(|| bad_query(req, "marker", &marker))?)
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

fn xml_answer(body: String) -> Answer {
    Answer::empty(StatusCode::OK)
        .with_body(body)
        .with("content-type", "application/xml")
}

/// List Containers.
pub(crate) fn list_containers(shared: &Shared, req: &Incoming, t: &BlobTarget) -> Answer {
    let scope = format!("/{}", t.account);
    let args = match list_args(shared, req, &scope) {
        Ok(a) => a,
        Err(r) => return r,
    };
    shared.read(|live| {
        let Some(account) = live.world.account(&t.account) else {
            return account_not_found(req);
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
            .map(|(n, _)| xml::marker(&scope, n))
            .unwrap_or_default();
        let head = ListHead {
            prefix: &args.prefix,
            marker: &args.marker,
            max_results: args.max_results,
            delimiter: None,
        };
        let endpoint = format!("{}/{}/", shared.blob_base, t.account);
        xml_answer(xml::containers(
            &endpoint,
            &head,
            page,
            args.metadata,
            &next,
        ))
    })
}

/// List Blobs.
pub(crate) fn list_blobs(shared: &Shared, req: &Incoming, t: &BlobTarget, c: &str) -> Answer {
    let scope = format!("/{}/{c}", t.account);
    let args = match list_args(shared, req, &scope) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let delimiter = req.query("delimiter").filter(|d| !d.is_empty());
    shared.answer(|live| {
        let container = find_container(&live.world, req, t, c)?;
        let mut entries: Vec<(String, Entry<'_>)> = Vec::new();
        // Every entry at or after the marker comes from a name at or after it.
        let start = match &args.resume {
            Some(r) if *r > args.prefix => r.clone(),
            _ => args.prefix.clone(),
        };
        for (name, blob) in container.blobs.range(start..) {
            if !name.starts_with(&args.prefix) || entries.len() > args.page {
                break;
            }
            let grouped = delimiter.as_deref().and_then(|d| {
                name[args.prefix.len()..]
                    .find(d)
                    .map(|i| name[..args.prefix.len() + i + d.len()].to_owned())
            });
            let key = grouped.as_ref().unwrap_or(name);
            if args.resume.as_ref().is_some_and(|r| key < r) {
                continue;
            }
            match grouped {
                Some(p) if entries.last().is_some_and(|(k, _)| *k == p) => {}
                Some(p) => entries.push((p.clone(), Entry::Prefix(p))),
                None => entries.push((name.clone(), Entry::Blob(name, blob))),
            }
        }
        let cut = args.page.min(entries.len());
        let next = entries
            .get(cut)
            .map(|(k, _)| xml::marker(&scope, k))
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
        Ok(xml_answer(xml::blobs(
            &endpoint,
            c,
            &head,
            &items,
            args.metadata,
            &next,
        )))
    })
}
