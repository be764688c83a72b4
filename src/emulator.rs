//! The local Azure: ARM (subscriptions, locations, API Management services with backup and
//! restore and workspaces, storage accounts with keys, network rules and Blob CORS, role
//! assignments) and the Blob data plane, served on 127.0.0.1.
//!
//! It is a product feature (`apim-dr demo`, DR drills) and the ground every integration test of
//! the real client stands on, so it follows Azure's contracts, not our client's habits: the same
//! URLs, api-version checks, status codes, headers and error bodies as the REST reference and
//! the published examples, and it fails the way Azure fails (Storage's refusals in APIM's
//! words, tiers, workspaces, roles, firewalls, api-versions rolling out per region); where
//! Azure's words are not published, its choice is listed in `docs/FIDELITY.md`. It shares only
//! pure rules (`crate::domain`) with the client, never
//! the client's wire types or HTTP code (it writes its own error bodies and its own Shared Key
//! check), so what one gets wrong the other does not silently agree with.
//!
//! ```text
//!  EmulatorConfig ──▶ Emulator::start ──▶ two listeners (transport/server.rs)
//!                                         │ ARM port:  identity.rs (token endpoints) or
//!                                         │            arm.rs → arm/route.rs → arm/resources.rs,
//!                                         │            arm/storage.rs, arm/blob_services.rs,
//!                                         │            arm/authorization.rs, apim.rs →
//!                                         │            apim/lro.rs (apim/admission.rs,
//!                                         │            apim/storage_access.rs), apim/workspaces.rs
//!                                         │ Blob port: blob.rs → blob/auth.rs → blob/ops.rs →
//!                                         │            blob/list.rs, blob/rw.rs
//!                                         │ faults first (transport/fault_reply.rs), every
//!                                         │ reply an Answer (transport/answer.rs)
//!                                         ▼
//!          Shared (state.rs): LiveState { World (world.rs), operations (apim/operations.rs),
//!                             POST counters } + the fault plan (transport/faults.rs)
//! ```
//!
//! One folder per job, each with its front file beside it (`arm.rs` next to `arm/`):
//! - `transport/`: listeners, ticker and handle; the reply type and the wire formats every
//!   handler shares; the `--faults` grammar and what a fault sends.
//! - `arm/`: the ARM front door, its paths, api-versions and list pages, and the
//!   `Microsoft.Resources`, `Microsoft.Storage` and `Microsoft.Authorization` providers.
//! - `apim/`: `Microsoft.ApiManagement`: services, their JSON, creating them, names and
//!   soft-deleted services, workspaces and workspace gateways, backup and restore as
//!   long-running operations (APIM's checks, Storage's answers) and the clock that runs them.
//! - `gateway.rs`: each service's gateway health endpoint, path style on the ARM port.
//! - `identity/`: Entra's token endpoint and the App Service managed-identity endpoint, and
//!   the tokens they issued (audience, expiry), which ARM and Blob check.
//! - `blob/`: the Blob front door (the account's firewall against the caller first), Shared
//!   Key, containers, listings, blob reads and writes, and Storage's error texts.
//! - `world/`: what exists: the world file, generated worlds, lookups, the content of backup
//!   blobs and the snapshot of the running emulator.
//! - `state.rs`: what changes while running, shared by both ports, the ticker and the handle.
//!
//! Time is simulated only for operation lengths: a backup takes 10 minutes and a restore 30,
//! divided by [`EmulatorConfig::speed`]. Blob creation times and ages use the real clock.
//!
//! - What exists: [`World`] (its doc describes the JSON world file; `World::demo()` is the
//!   embedded `assets/emulator/demo-world.json`, `World::generate` makes large worlds).
//! - Faults: [`parse_faults`] describes the `--faults` grammar; [`EmulatorHandle::add_faults`]
//!   adds rules while running.
//! - Drills and tests: [`EmulatorHandle::snapshot`] (also `GET /_emulator/state` on the ARM
//!   port, bearer token required, never faulted) shows services, POST counts, operations and
//!   blobs; `state_file` keeps the same JSON on disk after every change.
//!   [`EmulatorHandle::requests`] lists the requests answered, with the correlation and client
//!   request ids each carried.

mod activity;
mod apim;
mod arm;
mod blob;
mod gateway;
mod identity;
mod state;
mod transport;
mod world;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

pub use identity::tokens::{IssuedToken, TokenAudience};
pub use transport::faults::{
    FaultKind, FaultPlan, FaultRule, FaultSpecError, FaultTarget, parse_faults,
};
pub use transport::request_log::RequestRecord;
pub use transport::server::{Emulator, EmulatorHandle};
pub use world::snapshot::{
    BlobSnapshot, OperationSnapshot, PostSnapshot, ServiceSnapshot, WorldSnapshot,
};
pub use world::{Api, BlobLocation, ListPages, World, WorldError};

/// Which headers a 202 from backup/restore carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LroHeaders {
    /// `Location` only, as the APIM spec declares (the default).
    #[default]
    Location,
    /// `Azure-AsyncOperation` only.
    AsyncOperation,
    /// Both headers.
    Both,
}

impl FromStr for LroHeaders {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "location" => Ok(Self::Location),
            "async-operation" | "azure-asyncoperation" | "asyncoperation" => {
                Ok(Self::AsyncOperation)
            }
            "both" => Ok(Self::Both),
            other => Err(format!(
                "'{other}' is not location, async-operation or both"
            )),
        }
    }
}

/// How the retry hint is written on 202s and on polls of a running operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryAfterMode {
    /// `Retry-After` as an integer number of seconds (the ARM contract; the default).
    #[default]
    Seconds,
    /// `Retry-After` as an RFC 1123 HTTP date naming the same instant.
    HttpDate,
    /// `retry-after-ms` in milliseconds, with `Retry-After` in seconds beside it (the form some
    /// other Azure services send; a drill switch, not what APIM sends).
    RetryAfterMs,
    /// `x-ms-retry-after-ms` in milliseconds, with `Retry-After` in seconds beside it (as
    /// above).
    XMsRetryAfterMs,
    /// No retry hint at all.
    Off,
}

impl FromStr for RetryAfterMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "seconds" => Ok(Self::Seconds),
            "http-date" | "httpdate" | "date" => Ok(Self::HttpDate),
            "retry-after-ms" | "ms" => Ok(Self::RetryAfterMs),
            "x-ms-retry-after-ms" => Ok(Self::XMsRetryAfterMs),
            "off" | "none" => Ok(Self::Off),
            other => Err(format!(
                "'{other}' is not seconds, http-date, retry-after-ms, x-ms-retry-after-ms or off"
            )),
        }
    }
}

/// When Storage's refusals of a backup or restore (firewall, key, role, CORS, container, blob)
/// reach the caller. Azure's timing is not published for most of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StorageErrors {
    /// On the POST, as observed for CORS and an invalid container name (the default).
    #[default]
    Post,
    /// After the 202, while polling.
    Poll,
}

/// Which services with workspaces refuse backup and restore. Microsoft's documentation has
/// said both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkspaceRefusal {
    /// Services with a workspace linked to a workspace gateway (the current documentation;
    /// the default).
    #[default]
    Gateways,
    /// Services with any workspace (an earlier revision of the documentation).
    Any,
}

/// The speed-up of Azure's operation durations the emulator accepts (`--speed`): from a
/// thousandth (a restore takes 3 weeks) to 100 000 (a restore takes 18 ms).
pub const SPEED: std::ops::RangeInclusive<f64> = 0.001..=100_000.0;
/// Milliseconds added to every reply (`--latency`): at most a minute.
pub const LATENCY_MS: std::ops::RangeInclusive<u64> = 0..=60_000;
/// Items per ARM list page (`--page-size`).
pub const PAGE_SIZE: std::ops::RangeInclusive<usize> = 1..=1000;
/// Items per List Blobs page (`--blob-page-size`): Blob's own largest `maxresults` is 5000.
pub const BLOB_PAGE_SIZE: std::ops::RangeInclusive<usize> = 1..=5000;
/// Page sizes of particular ARM lists (`None`: the general `page_size`). ARM's lists return
/// what one page of the provider holds; the size differs between providers and is not
/// documented, so a drill can make each list as long as an estate needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListPageSizes {
    /// `GET /subscriptions`.
    pub subscriptions: Option<usize>,
    /// APIM service lists.
    pub services: Option<usize>,
    /// Storage account lists.
    pub storage_accounts: Option<usize>,
}

/// Everything the emulator is started with.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// What exists.
    pub world: World,
    /// Operation durations are divided by this (1.0: backup 10 min, restore 30 min).
    pub speed: f64,
    /// Added to every reply.
    pub latency: Duration,
    /// Scripted faults.
    pub faults: FaultPlan,
    /// ARM port; 0 picks a free one.
    pub arm_port: u16,
    /// Blob port; 0 picks a free one.
    pub blob_port: u16,
    /// ARM list page size (a `nextLink` follows when there is more).
    pub page_size: usize,
    /// Page sizes of particular ARM lists, where they differ from `page_size`.
    pub list_page_sizes: ListPageSizes,
    /// Most blobs or containers per listing page, whatever `maxresults` asks.
    pub blob_page_size: usize,
    /// Headers of the backup/restore 202.
    pub lro_headers: LroHeaders,
    /// Form of the retry hint on 202s and polls.
    pub retry_after: RetryAfterMode,
    /// A backup into a missing container creates it (the current documentation) instead of
    /// failing.
    pub backup_creates_container: bool,
    /// When Storage's refusals reach the caller.
    pub storage_errors: StorageErrors,
    /// Which services with workspaces refuse backup and restore.
    pub workspace_refusal: WorkspaceRefusal,
    /// When set, a JSON snapshot of the world is rewritten (tmp file + rename) after every
    /// change.
    pub state_file: Option<PathBuf>,
    /// How long a token from the identity endpoints lasts: stated in the reply
    /// (`expires_in`, `expires_on`) and enforced by ARM and Blob. Entra's usual 3599 s by
    /// default; a few seconds makes a token expire mid-restore, so refresh can be drilled.
    pub token_lifetime: Duration,
    /// Services keep `provisioningState: Succeeded` while a backup or restore runs, as some
    /// Azure-compatible servers do: a client can then learn of a running operation only from
    /// its operation URL or the Activity Log.
    pub steady_provisioning: bool,
    /// Regions (short or display names) whose gateways are down, as in a regional outage:
    /// their regional health endpoints answer 503, and a multi-region service's main gateway
    /// host still answers from its other regions. ARM keeps answering (a drill of the data
    /// plane, not of ARM).
    pub regions_down: Vec<String>,
}

impl EmulatorConfig {
    /// Azure-like defaults around `world`: speed 1, no latency, no faults, free ports, pages of
    /// 50 (ARM) and 5000 (Blob), `Location` only, `Retry-After` in seconds, backups create
    /// containers, Storage's refusals on the POST, workspace gateways refuse backup and
    /// restore, no state file, tokens that last an hour, `Updating` while an operation runs.
    pub fn new(world: World) -> Self {
        Self {
            world,
            speed: 1.0,
            latency: Duration::ZERO,
            faults: FaultPlan::default(),
            arm_port: 0,
            blob_port: 0,
            page_size: 50,
            list_page_sizes: ListPageSizes::default(),
            blob_page_size: 5000,
            lro_headers: LroHeaders::Location,
            retry_after: RetryAfterMode::Seconds,
            backup_creates_container: true,
            storage_errors: StorageErrors::Post,
            workspace_refusal: WorkspaceRefusal::Gateways,
            state_file: None,
            token_lifetime: Duration::from_secs(3599),
            steady_provisioning: false,
            regions_down: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// Items per page of each list a discovery walk reads, as this configuration serves them.
    pub fn list_pages(&self) -> ListPages {
        let l = self.list_page_sizes;
        ListPages {
            subscriptions: l.subscriptions.unwrap_or(self.page_size),
            services: l.services.unwrap_or(self.page_size),
            storage_accounts: l.storage_accounts.unwrap_or(self.page_size),
            blobs: self.blob_page_size,
        }
    }
}

/// The emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// A port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for (0 = any).
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// A configuration value is out of range.
    #[error("invalid emulator configuration: {0}")]
    Config(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_from_their_cli_names() {
        assert_eq!("both".parse::<LroHeaders>(), Ok(LroHeaders::Both));
        assert_eq!(
            "Async-Operation".parse::<LroHeaders>(),
            Ok(LroHeaders::AsyncOperation)
        );
        assert!("x".parse::<LroHeaders>().is_err());
        assert_eq!(
            "http-date".parse::<RetryAfterMode>(),
            Ok(RetryAfterMode::HttpDate)
        );
        assert_eq!("off".parse::<RetryAfterMode>(), Ok(RetryAfterMode::Off));
        assert_eq!(
            "x-ms-retry-after-ms".parse::<RetryAfterMode>(),
            Ok(RetryAfterMode::XMsRetryAfterMs)
        );
    }
}
