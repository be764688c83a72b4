//! The Blob service of a storage account as ARM serves it (`Microsoft.Storage`, not the data
//! plane): `blobServices` and `blobServices/default` with the CORS rules, shaped like
//! `BlobServicesGet.json`, and the containers (`blobServices/default/containers[/{name}]`),
//! shaped like `BlobContainersGet.json`. These are read through ARM, so a storage firewall
//! that keeps the operator off the data plane does not hide them.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::paging::page;
use super::route::StoragePart;
use super::storage::find_account;
use crate::emulator::blob::texts;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::{Answer, arm_time};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::{Account, Container};

fn blob_service_json(a: &Account) -> Value {
    let rules: Vec<Value> = a
        .blob_cors
        .iter()
        .map(|r| {
            json!({
                "allowedOrigins": r.allowed_origins,
                "allowedMethods": r.allowed_methods,
                "maxAgeInSeconds": r.max_age_in_seconds,
                "exposedHeaders": r.exposed_headers,
                "allowedHeaders": r.allowed_headers,
            })
        })
        .collect();
    json!({
        "id": format!("{}/blobServices/default", a.id()),
        "name": "default",
        "type": "Microsoft.Storage/storageAccounts/blobServices",
        "properties": {
            "cors": {"corsRules": rules},
            "deleteRetentionPolicy": {"allowPermanentDelete": false, "enabled": false},
        },
        "sku": {"name": "Standard_RAGRS", "tier": "Standard"},
    })
}

fn container_json(a: &Account, name: &str, c: &Container) -> Value {
    json!({
        "id": format!("{}/blobServices/default/containers/{name}", a.id()),
        "name": name,
        "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
        "etag": format!("\"0x{:X}{:04X}\"", c.created.unix_timestamp(), c.etag_serial),
        "properties": {
            "publicAccess": "None",
            "lastModifiedTime": arm_time(c.created),
            "leaseStatus": "Unlocked",
            "leaseState": "Available",
            "hasImmutabilityPolicy": false,
            "hasLegalHold": false,
            "deleted": false,
            "remainingRetentionDays": 0,
            "defaultEncryptionScope": "$account-encryption-key",
            "denyEncryptionScopeOverride": false,
        },
    })
}

fn no_such_blob_service(a: &Account, name: &str) -> Answer {
    crate::emulator::apim::resource_not_found(
        &format!("Microsoft.Storage/storageAccounts/{}/blobServices", a.name),
        &a.resource_group,
        name,
    )
}

/// `GET {account}/blobServices[/default[/containers[/{name}]]]`.
pub(crate) fn blob_services(
    shared: &Shared,
    req: &Incoming,
    account: (&str, &str, &str),
    part: &StoragePart,
    version: &str,
) -> Answer {
    shared.answer(|live| {
        let a = find_account(&live.world, account)?;
        let service = match part {
            StoragePart::BlobServices => {
                return Ok(Answer::json(
                    StatusCode::OK,
                    &json!({"value": [blob_service_json(a)]}),
                ));
            }
            StoragePart::BlobService(n)
            | StoragePart::Containers(n)
            | StoragePart::Container(n, _) => n,
            _ => return Err(no_such_blob_service(a, "")),
        };
        if !service.eq_ignore_ascii_case("default") {
            return Err(no_such_blob_service(a, service));
        }
        Ok(match part {
            StoragePart::Containers(_) => {
                let items = a
                    .containers
                    .iter()
                    .map(|(n, c)| container_json(a, n, c))
                    .collect();
                page(shared, req, version, items)
            }
            StoragePart::Container(_, name) => a.containers.get(name).map_or_else(
                || {
                    Answer::arm_error(
                        StatusCode::NOT_FOUND,
                        "ContainerNotFound",
                        texts::CONTAINER_NOT_FOUND,
                    )
                },
                |c| Answer::json(StatusCode::OK, &container_json(a, name, c)),
            ),
            _ => Answer::json(StatusCode::OK, &blob_service_json(a)),
        })
    })
}
