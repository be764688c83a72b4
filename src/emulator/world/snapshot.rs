//! A serializable view of the emulated world for tests, drills and `--state-file`: every
//! service (tier, units, region, state, API names, where it was restored from), every POST
//! received, every operation and every blob. It never holds a storage key or the token.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::BlobLocation;
use super::backup_doc::BackupDocument;
use crate::emulator::state::LiveState;
use crate::emulator::transport::answer::arm_time;

/// The world at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldSnapshot {
    /// When the snapshot was taken (ARM time format).
    pub taken_at: String,
    /// Services by ARM id (stored casing).
    pub services: BTreeMap<String, ServiceSnapshot>,
    /// Backup/restore POSTs received, per kind and service.
    pub posts: Vec<PostSnapshot>,
    /// Every backup/restore operation started, oldest first.
    pub operations: Vec<OperationSnapshot>,
    /// Blobs by account, then container.
    pub storage: BTreeMap<String, BTreeMap<String, Vec<BlobSnapshot>>>,
    /// Where each name is pointed: a CNAME's fqdn (`api.contoso.com`) or a Traffic Manager
    /// endpoint (`{profile fqdn}/{endpoint}`) → its target.
    #[serde(default)]
    pub traffic: BTreeMap<String, String>,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSnapshot {
    /// Name.
    pub name: String,
    /// Subscription id.
    pub subscription: String,
    /// Resource group.
    pub resource_group: String,
    /// Tier.
    pub sku: String,
    /// Units.
    pub capacity: u32,
    /// Region (display name).
    pub location: String,
    /// `provisioningState`.
    pub provisioning_state: String,
    /// Names of the APIs it holds.
    pub apis: Vec<String>,
    /// The backup of the last successful restore, if any.
    pub restored_from: Option<BlobLocation>,
}

/// POSTs of one kind received for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSnapshot {
    /// `backup` or `restore`.
    pub kind: String,
    /// ARM id of the service (stored casing).
    pub service_id: String,
    /// Every POST that arrived, including ones a fault or a validation answered.
    pub count: usize,
    /// The ones answered 202 (operations started).
    pub accepted: usize,
}

/// One backup or restore operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSnapshot {
    /// Opaque id (as in the `Location` URL).
    pub id: String,
    /// `backup` or `restore`.
    pub kind: String,
    /// ARM id of the service.
    pub service_id: String,
    /// `InProgress`, `Succeeded` or `Failed`.
    pub status: String,
    /// The api-version of the POST.
    pub api_version: String,
    /// The blob written or read.
    pub blob: BlobLocation,
    /// `code: message` when it failed.
    pub error: Option<String>,
}

/// One blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobSnapshot {
    /// Blob name.
    pub name: String,
    /// Creation time (ARM time format).
    pub created: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Metadata as stored.
    pub metadata: BTreeMap<String, String>,
    /// The backed-up service's id, when the content is an emulator backup.
    pub backup_of: Option<String>,
    /// The backed-up service's tier, when the content is an emulator backup.
    pub backup_sku: Option<String>,
}

impl WorldSnapshot {
    /// A service by ARM id or by name, case-insensitively.
    pub fn service(&self, id_or_name: &str) -> Option<&ServiceSnapshot> {
        self.services
            .iter()
            .find(|(id, s)| {
                id.eq_ignore_ascii_case(id_or_name) || s.name.eq_ignore_ascii_case(id_or_name)
            })
            .map(|(_, s)| s)
    }

    /// The blobs of one container, if it exists.
    pub fn blobs(&self, account: &str, container: &str) -> Option<&[BlobSnapshot]> {
        self.storage
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(account))
            .and_then(|(_, cs)| cs.get(container))
            .map(Vec::as_slice)
    }
}

/// Builds the snapshot of the live state.
pub(crate) fn build(live: &LiveState, now: Instant, wall: OffsetDateTime) -> WorldSnapshot {
    let w = &live.world;
    let services = w
        .services
        .iter()
        .map(|s| {
            (
                s.id(),
                ServiceSnapshot {
                    name: s.name.clone(),
                    subscription: s.subscription.clone(),
                    resource_group: s.resource_group.clone(),
                    sku: s.sku.clone(),
                    capacity: s.capacity,
                    location: s.location.clone(),
                    provisioning_state: s.provisioning_state.clone(),
                    apis: s.apis.iter().map(|a| a.name.clone()).collect(),
                    restored_from: s.restored_from.clone(),
                },
            )
        })
        .collect();
    let service_id = |i: usize| {
        w.services
            .get(i)
            .map(super::Service::id)
            .unwrap_or_default()
    };
    let posts = live
        .posts
        .iter()
        .map(|p| PostSnapshot {
            kind: p.kind.as_str().to_owned(),
            service_id: service_id(p.service),
            count: p.count,
            accepted: p.accepted,
        })
        .collect();
    let operations = live
        .ops
        .iter()
        .map(|o| OperationSnapshot {
            id: o.id.clone(),
            kind: o.kind.as_str().to_owned(),
            service_id: service_id(o.service),
            status: o.status_word(now).to_owned(),
            api_version: o.api_version.clone(),
            blob: o.blob().clone(),
            error: o.failure().map(|(c, m)| format!("{c}: {m}")),
        })
        .collect();
    let storage = w
        .accounts
        .iter()
        .map(|a| {
            let containers = a
                .containers
                .iter()
                .map(|(cname, c)| {
                    let blobs = c
                        .blobs
                        .iter()
                        .map(|(name, b)| {
                            let doc = BackupDocument::parse(&b.content);
                            BlobSnapshot {
                                name: name.clone(),
                                created: arm_time(b.created),
                                size_bytes: b.content.len() as u64,
                                metadata: b.metadata.iter().cloned().collect(),
                                backup_of: doc.as_ref().map(|d| d.service_id.clone()),
                                backup_sku: doc.map(|d| d.sku),
                            }
                        })
                        .collect();
                    (cname.clone(), blobs)
                })
                .collect();
            (a.name.clone(), containers)
        })
        .collect();
    let cnames = w.dns_zones.iter().flat_map(|z| {
        z.cnames.iter().map(|r| {
            let fqdn = z.fqdn(&r.name);
            (fqdn.trim_end_matches('.').to_owned(), r.cname.clone())
        })
    });
    let endpoints = w.traffic_managers.iter().flat_map(|p| {
        p.endpoints
            .iter()
            .map(|e| (format!("{}/{}", p.fqdn(), e.name), e.target.clone()))
    });
    WorldSnapshot {
        taken_at: arm_time(wall),
        services,
        posts,
        operations,
        storage,
        traffic: cnames.chain(endpoints).collect(),
    }
}
