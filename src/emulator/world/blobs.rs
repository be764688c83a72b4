//! The container and blob part of the world file: raw blobs, backup blobs (with the
//! emulator-private backup document as content), catalog metadata and the `{created}`
//! placeholder in blob names.
//!
//! Pure: the caller supplies `now`, against which `age_days` is resolved.

use std::collections::BTreeMap;

use axum::body::Bytes;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Duration, OffsetDateTime};

use super::backup_doc::BackupDocument;
use super::services::check_api;
use super::{Api, Blob, Container, World, WorldError};
use crate::domain::backup::{BackupCatalog, ContentCounts};
use crate::domain::names::{BlobName, ContainerName, ServiceId};
use crate::domain::shared::Shared;
use crate::domain::sku::SkuName;

/// api-version recorded in catalog metadata of seeded backups.
const CATALOG_API_VERSION: &str = "2024-05-01";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileContainer {
    name: String,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    blobs: Vec<FileBlob>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBlob {
    name: String,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    content_base64: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    age_days: Option<f64>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    catalog: bool,
    #[serde(default)]
    backup: Option<FileBackup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBackup {
    service: String,
    #[serde(default)]
    sku: Option<String>,
    #[serde(default)]
    capacity: Option<u32>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    apis: Option<Vec<Api>>,
    #[serde(default)]
    age_days: Option<f64>,
    #[serde(default)]
    taken: Option<String>,
}

/// `{created}` in blob names: `%Y%m%dT%H%MZ`.
pub(crate) fn created_stamp(t: OffsetDateTime) -> String {
    t.format(format_description!("[year][month][day]T[hour][minute]Z"))
        .unwrap_or_default()
}

/// True for a metadata name Azure accepts: a C# identifier.
pub(crate) fn valid_metadata_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Builds an account's containers from the file entries.
pub(crate) fn build_containers(
    world: &World,
    path: &str,
    list: Vec<FileContainer>,
    lenient: bool,
    now: OffsetDateTime,
) -> Result<BTreeMap<String, Container>, WorldError> {
    let mut out = BTreeMap::new();
    for (i, c) in list.into_iter().enumerate() {
        let cpath = format!("{path}.containers[{i}]");
        if !lenient {
            ContainerName::parse(&c.name)
                .map_err(|e| WorldError::invalid(format!("{cpath}.name"), e.to_string()))?;
        } else if c.name.is_empty() || c.name.contains('/') {
            return Err(WorldError::invalid(
                format!("{cpath}.name"),
                "a container name is required and cannot contain '/'",
            ));
        }
        if out.contains_key(&c.name) {
            return Err(WorldError::invalid(
                format!("{cpath}.name"),
                format!("duplicate container '{}'", c.name),
            ));
        }
        let mut container = Container::new(now - Duration::days(200));
        container.metadata = metadata(&format!("{cpath}.metadata"), c.metadata)?;
        for (j, b) in c.blobs.into_iter().enumerate() {
            let bpath = format!("{cpath}.blobs[{j}]");
            let (name, blob) = build_blob(world, &bpath, b, now)?;
            if container.blobs.contains_key(&name) {
                return Err(WorldError::invalid(
                    format!("{bpath}.name"),
                    format!("duplicate blob '{name}'"),
                ));
            }
            container.blobs.insert(name, blob);
        }
        out.insert(c.name, container);
    }
    Ok(out)
}

fn metadata(
    path: &str,
    map: BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, WorldError> {
    for (k, v) in &map {
        if !valid_metadata_name(k) {
            return Err(WorldError::invalid(
                path,
                format!("metadata name '{k}' is not a C# identifier"),
            ));
        }
        if v.chars().any(|c| !(c.is_ascii_graphic() || c == ' ')) {
            return Err(WorldError::invalid(
                path,
                format!("metadata value of '{k}' must be printable ASCII"),
            ));
        }
    }
    Ok(map.into_iter().collect())
}

fn creation(path: &str, b: &FileBlob, now: OffsetDateTime) -> Result<OffsetDateTime, WorldError> {
    moment(path, b.age_days, b.created.as_deref(), "created", now)
}

/// `age_days` or an RFC 3339 time (`field`), resolved against `now`; `now` when neither.
fn moment(
    path: &str,
    age_days: Option<f64>,
    at: Option<&str>,
    field: &str,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, WorldError> {
    match (age_days, at) {
        (Some(_), Some(_)) => Err(WorldError::invalid(
            path,
            format!("give either age_days or {field}, not both"),
        )),
        (Some(days), None) if days.is_finite() && (0.0..=36_500.0).contains(&days) => {
            Ok(now - Duration::seconds_f64(days * 86_400.0))
        }
        (Some(days), None) => Err(WorldError::invalid(
            format!("{path}.age_days"),
            format!("{days} is not an age between 0 and 36500 days"),
        )),
        (None, Some(t)) => OffsetDateTime::parse(t, &Rfc3339).map_err(|e| {
            WorldError::invalid(
                format!("{path}.{field}"),
                format!("'{t}' is not an RFC 3339 time: {e}"),
            )
        }),
        (None, None) => Ok(now),
    }
}

fn build_blob(
    world: &World,
    path: &str,
    b: FileBlob,
    now: OffsetDateTime,
) -> Result<(String, Blob), WorldError> {
    let created = creation(path, &b, now)?;
    let name = b.name.replace("{created}", &created_stamp(created));
    BlobName::parse(&name)
        .map_err(|e| WorldError::invalid(format!("{path}.name"), e.to_string()))?;
    let sources = [
        b.content.is_some(),
        b.content_base64.is_some(),
        b.backup.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        return Err(WorldError::invalid(
            path,
            "give only one of content, content_base64 and backup",
        ));
    }
    if b.catalog && b.backup.is_none() {
        return Err(WorldError::invalid(
            format!("{path}.catalog"),
            "catalog metadata is derived from a backup: add a backup entry",
        ));
    }
    let mut meta = Vec::new();
    let content: Bytes = if let Some(backup) = b.backup {
        let doc = document(world, &format!("{path}.backup"), backup, (created, now))?;
        if b.catalog {
            meta = catalog(&doc);
        }
        Bytes::from(doc.to_bytes())
    } else if let Some(text) = b.content {
        Bytes::from(text.into_bytes())
    } else if let Some(encoded) = b.content_base64 {
        Bytes::from(STANDARD.decode(encoded.trim()).map_err(|e| {
            WorldError::invalid(format!("{path}.content_base64"), format!("not Base64: {e}"))
        })?)
    } else {
        Bytes::new()
    };
    for (k, v) in metadata(&format!("{path}.metadata"), b.metadata)? {
        meta.retain(|(mk, _): &(String, String)| !mk.eq_ignore_ascii_case(&k));
        meta.push((k, v));
    }
    Ok((
        name,
        Blob {
            content,
            content_type: b
                .content_type
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            metadata: meta,
            created,
            modified: created,
            etag_serial: 1,
        },
    ))
}

fn document(
    world: &World,
    path: &str,
    b: FileBackup,
    (created, now): (OffsetDateTime, OffsetDateTime),
) -> Result<BackupDocument, WorldError> {
    let taken = if b.age_days.is_none() && b.taken.is_none() {
        created
    } else {
        moment(path, b.age_days, b.taken.as_deref(), "taken", now)?
    };
    if taken > created {
        return Err(WorldError::invalid(
            path,
            "the backup cannot be taken after its blob was created",
        ));
    }
    let found = if b.service.contains('/') {
        let id = ServiceId::parse(&b.service).ok();
        let (sub, rg, name) = id.as_ref().map_or_else(
            || {
                // Lenient worlds may use ids whose parts break Azure's rules ("subid").
                let parts: Vec<&str> = b.service.trim_matches('/').split('/').collect();
                match parts.as_slice() {
                    [_, sub, _, rg, .., name] => {
                        ((*sub).to_owned(), (*rg).to_owned(), (*name).to_owned())
                    }
                    _ => (String::new(), String::new(), String::new()),
                }
            },
            |id| {
                (
                    id.subscription.to_string(),
                    id.resource_group.to_string(),
                    id.name.to_string(),
                )
            },
        );
        world
            .service_index(&sub, &rg, &name)
            .map(|i| &world.services[i])
    } else {
        world
            .services
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(&b.service))
    };
    let service_id = match (found, b.service.contains('/')) {
        (Some(s), _) => s.id(),
        (None, true) => b.service.clone(),
        (None, false) => {
            return Err(WorldError::invalid(
                format!("{path}.service"),
                format!(
                    "no service named '{}' in this world: give its full ARM id with sku and location",
                    b.service
                ),
            ));
        }
    };
    let sku = b
        .sku
        .or_else(|| found.map(|s| s.sku.clone()))
        .ok_or_else(|| {
            WorldError::invalid(
                format!("{path}.sku"),
                "needed for a service this world lacks",
            )
        })?;
    let location = b
        .location
        .or_else(|| found.map(|s| s.location.clone()))
        .ok_or_else(|| {
            WorldError::invalid(
                format!("{path}.location"),
                "needed for a service this world lacks",
            )
        })?;
    let apis = match b.apis {
        Some(list) => {
            let mut checked: Vec<Api> = Vec::new();
            for (i, api) in list.into_iter().enumerate() {
                check_api(&format!("{path}.apis[{i}]"), &api, &checked)?;
                checked.push(api);
            }
            checked
        }
        None => found.map(|s| s.apis.clone()).unwrap_or_default(),
    };
    let doc = BackupDocument::new(
        service_id,
        sku,
        b.capacity
            .or_else(|| found.map(|s| s.capacity))
            .unwrap_or(1),
        location,
        taken,
        apis,
    );
    Ok(match found {
        Some(s) => BackupDocument {
            products: s.products.clone(),
            named_values: s.named_values.clone(),
            ..doc
        },
        None => doc,
    })
}

/// apim-dr's catalog metadata for a seeded backup, as the tool writes it after a backup (a
/// copy of the blob keeps it, so it tells the backup's time, not the blob's). The seeded
/// document does not record the tool's version: it stays out.
pub(crate) fn catalog(doc: &BackupDocument) -> Vec<(String, String)> {
    BackupCatalog {
        source_service: Some(Shared::new(&doc.service_id)),
        source_name: doc.service_id.rsplit('/').next().map(Shared::new),
        source_sku: Some(SkuName::new(doc.sku.clone())),
        source_capacity: Some(doc.capacity),
        source_location: Some(Shared::new(&doc.location)),
        api_version: Some(Shared::new(CATALOG_API_VERSION)),
        started: doc.taken().map(|t| t - Duration::minutes(10)),
        ended: doc.taken(),
        counts: ContentCounts {
            apis: u32::try_from(doc.apis.len()).ok(),
            products: u32::try_from(doc.products.len()).ok(),
            named_values: u32::try_from(doc.named_values.len()).ok(),
        },
        ..BackupCatalog::default()
    }
    .to_metadata()
}

#[cfg(test)]
mod tests;
