//! Starts the emulator on loopback (port 0) and builds the real client against it, with
//! polling fast enough for tests. No fake in place of the network: everything goes over HTTP.

use std::time::Duration;

use apim_dr::azure::auth::TokenSource;
use apim_dr::azure::{AzureClient, ClientOptions};
use apim_dr::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use apim_dr::domain::operation::{AccessType, BackupPlan};
use apim_dr::domain::progress::ProgressUpdate;
use apim_dr::emulator::{Emulator, EmulatorConfig, EmulatorHandle, RetryAfterMode, World};
use apim_dr::engine::{Engine, Prepared, RunEnd};
use apim_dr::journal::Journal;
use tokio_util::sync::CancellationToken;

pub const PROD: &str = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
pub const DR: &str = "7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f";
pub const DEV: &str = "c4d5e6f7-1a2b-4c3d-9e8f-6a5b4c3d2e1f";

pub fn service_id(sub: &str, rg: &str, name: &str) -> String {
    format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}"
    )
}

/// apim-contoso-weu: Standard ×2, West Europe (the demo's source).
pub fn source_weu() -> String {
    service_id(PROD, "rg-apim-prod-weu", "apim-contoso-weu")
}

/// apim-contoso-neu: Standard ×1, North Europe (the demo's standby).
pub fn standby_neu() -> String {
    service_id(DR, "rg-apim-dr-neu", "apim-contoso-neu")
}

/// A backup of apim-contoso-weu into `stcontosodrneu/apim-backups/{blob}`, by account key.
pub fn backup_plan(blob: &str) -> BackupPlan {
    BackupPlan {
        service: ServiceId::parse(&source_weu()).unwrap(),
        account: StorageAccountName::parse("stcontosodrneu").unwrap(),
        container: ContainerName::parse("apim-backups").unwrap(),
        blob: BlobName::parse(blob).unwrap(),
        access: AccessType::AccessKey,
        overwrite: false,
    }
}

/// A demo-world emulator config, fast: operations take well under a second.
pub fn fast_config() -> EmulatorConfig {
    let mut c = EmulatorConfig::new(World::demo().expect("demo world"));
    c.speed = 6000.0;
    c.retry_after = RetryAfterMode::Off;
    c
}

pub async fn start(config: EmulatorConfig) -> EmulatorHandle {
    Emulator::start(config).await.expect("emulator starts")
}

/// Client options for tests: polls every 100 ms, quick retries.
pub fn fast_options(handle: &EmulatorHandle) -> ClientOptions {
    let mut o = ClientOptions::new(handle.arm_endpoint());
    o.poll.default_interval = Duration::from_millis(100);
    o.poll.min_interval = Duration::from_millis(50);
    o.poll.backoff.base_delay = Duration::from_millis(50);
    o.poll.backoff.max_delay = Duration::from_millis(200);
    o.retry.base_delay = Duration::from_millis(20);
    o.retry.max_delay = Duration::from_millis(200);
    o.request_timeout = Duration::from_secs(5);
    o.poll.lost_post_window = Duration::from_secs(4);
    o.poll.max_consecutive_failures = 5;
    o
}

pub fn client(handle: &EmulatorHandle) -> AzureClient {
    client_with(handle, fast_options(handle))
}

pub fn client_with(handle: &EmulatorHandle, options: ClientOptions) -> AzureClient {
    AzureClient::new(
        options,
        TokenSource::fixed(handle.token(), Some(handle.token())),
    )
    .expect("client")
}

/// A progress channel whose updates are gathered until its sender is dropped.
pub fn collect_updates() -> (
    tokio::sync::mpsc::Sender<ProgressUpdate>,
    tokio::task::JoinHandle<Vec<ProgressUpdate>>,
) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    let drain = tokio::spawn(async move {
        let mut all = Vec::new();
        while let Some(u) = rx.recv().await {
            all.push(u);
        }
        all
    });
    (tx, drain)
}

/// Sends a prepared operation and watches it to its end (at most a minute); returns the end
/// and every progress update, in order.
pub async fn run_to_end(prepared: Prepared) -> (RunEnd, Vec<ProgressUpdate>) {
    let (tx, drain) = collect_updates();
    let end = tokio::time::timeout(
        Duration::from_secs(60),
        prepared.send_and_watch(tx, CancellationToken::new()),
    )
    .await
    .expect("the watch ends")
    .unwrap();
    (end, drain.await.unwrap())
}

/// An engine on the test client, journaling into `dir/journal.jsonl`.
pub fn engine(handle: &EmulatorHandle, dir: &std::path::Path) -> Engine {
    Engine::from_client(
        client(handle),
        Journal::open(&dir.join("journal.jsonl")).unwrap(),
        false,
    )
}
