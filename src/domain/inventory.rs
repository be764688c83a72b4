//! The estate as listed: subscriptions, storage accounts that may hold backups and the
//! backups found in each container. Plain data; the engine builds it from Azure's replies.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::backup::BackupEntry;
use super::service::ServiceSummary;

/// A subscription as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionSummary {
    /// GUID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `Enabled`, `Disabled`, …
    pub state: String,
}

/// A storage account that may hold backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageAccountSummary {
    /// ARM id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// Subscription GUID.
    pub subscription_id: String,
    /// Region.
    pub location: String,
    /// `primaryEndpoints.blob`.
    pub blob_endpoint: Option<String>,
    /// A firewall applies (`networkAcls.defaultAction == Deny`).
    pub firewall_enabled: bool,
    /// Shared Key access is disabled.
    pub shared_key_disabled: bool,
}

/// The backups found in one container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerBackups {
    /// Storage account name.
    pub account: String,
    /// Container name.
    pub container: String,
    /// Blobs, newest first.
    pub backups: Vec<BackupEntry>,
}

/// The estate as the TUI last loaded it, listing by listing: names and metadata only (no key,
/// token or SAS is part of any of these types). What the inventory cache keeps. Each listing is
/// shared (`Arc`, serialized as the list itself), so that the TUI hands its rows to the cache's
/// writer without copying them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    /// Subscriptions.
    pub subscriptions: Arc<Vec<SubscriptionSummary>>,
    /// APIM services per subscription GUID.
    pub services: BTreeMap<String, Arc<Vec<ServiceSummary>>>,
    /// Storage accounts per subscription GUID.
    pub storage_accounts: BTreeMap<String, Arc<Vec<StorageAccountSummary>>>,
    /// Containers and backups per storage account name.
    pub backups: BTreeMap<String, Arc<Vec<ContainerBackups>>>,
}
