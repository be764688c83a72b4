//! The options of `apim-dr demo` and `apim-dr emulator`: how fast, how slow, how faithful to
//! which of Azure's shapes, and which faults the local Azure plays.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{bounds, demo};

/// `demo` options.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Speed-up of Azure's operation durations (90: a 30-minute restore takes 20 s; 1-100000).
    #[arg(long, default_value_t = 90.0, value_parser = bounds::decimal(demo::SPEED))]
    pub speed: f64,
    /// Added round-trip delay in milliseconds (0-60000).
    #[arg(
        long,
        default_value_t = 40,
        value_name = "MS",
        value_parser = bounds::whole(crate::emulator::LATENCY_MS, "milliseconds")
    )]
    pub latency: u64,
    /// Write the emulator's world as JSON to this file after every change (for drills and tests).
    #[arg(long, value_name = "PATH")]
    pub state_file: Option<PathBuf>,
}

/// `emulator` options.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// ARM port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Blob port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub blob_port: u16,
    /// `demo`, `gen:subs=N,services=N,backups=N[,accounts=N][,open=1][,seed=N]`, `gen:estate`
    /// (the estate of the discovery bench) or a world JSON file.
    #[arg(long, default_value = "demo", value_name = "WORLD")]
    pub world: String,
    /// Speed-up of operation durations (1 = Azure-like: backup 10 min, restore 30 min;
    /// 0.001-100000).
    #[arg(long, default_value_t = 1.0, value_parser = bounds::decimal(crate::emulator::SPEED))]
    pub speed: f64,
    /// Added round-trip delay in milliseconds (0-60000).
    #[arg(
        long,
        default_value_t = 0,
        value_name = "MS",
        value_parser = bounds::whole(crate::emulator::LATENCY_MS, "milliseconds")
    )]
    pub latency: u64,
    /// Scripted faults: `KIND[:ARG]@TARGET[*COUNT][+SKIP],…` (see README).
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// ARM list page size (smaller pages exercise nextLink; 1-1000).
    #[arg(
        long,
        default_value_t = 50,
        value_name = "N",
        value_parser = bounds::whole(crate::emulator::PAGE_SIZE, "items")
    )]
    pub page_size: usize,
    /// Page size of `GET /subscriptions` (default: --page-size; 1-1000).
    #[arg(long, value_name = "N", value_parser = bounds::whole(crate::emulator::PAGE_SIZE, "items"))]
    pub subscription_page_size: Option<usize>,
    /// Page size of APIM service lists (default: --page-size; 1-1000).
    #[arg(long, value_name = "N", value_parser = bounds::whole(crate::emulator::PAGE_SIZE, "items"))]
    pub service_page_size: Option<usize>,
    /// Page size of storage account lists (default: --page-size; 1-1000).
    #[arg(long, value_name = "N", value_parser = bounds::whole(crate::emulator::PAGE_SIZE, "items"))]
    pub storage_page_size: Option<usize>,
    /// Largest List Blobs page, whatever maxresults asks (1-5000).
    #[arg(
        long,
        default_value_t = 5000,
        value_name = "N",
        value_parser = bounds::whole(crate::emulator::BLOB_PAGE_SIZE, "items")
    )]
    pub blob_page_size: usize,
    /// LRO headers on a 202.
    #[arg(long, value_enum, default_value_t = LroHeadersArg::Location)]
    pub lro_headers: LroHeadersArg,
    /// The retry hint on 202s and polls.
    #[arg(long, value_enum, default_value_t = RetryAfterArg::Seconds)]
    pub retry_after: RetryAfterArg,
    /// When Storage's refusals of a backup/restore (firewall, key, role, CORS, container,
    /// blob) are answered: on the POST or while polling.
    #[arg(long, value_enum, default_value_t = StorageErrorsArg::Post)]
    pub storage_errors: StorageErrorsArg,
    /// Which services with workspaces refuse backup/restore: those with workspace gateways
    /// (current documentation) or any.
    #[arg(long, value_enum, default_value_t = WorkspaceRefusalArg::Gateways)]
    pub workspace_refusal: WorkspaceRefusalArg,
    /// Write the world as JSON to this file after every change.
    #[arg(long, value_name = "PATH")]
    pub state_file: Option<PathBuf>,
    /// Services stay `Succeeded` while a backup or restore runs: only the operation URL and
    /// the Activity Log show it (drills the client's "may have started" evidence).
    #[arg(long)]
    pub steady_provisioning: bool,
    /// A regional outage drill: the gateways of this region answer their health endpoint
    /// with 503 (repeat for several regions); a Premium service's main gateway host still
    /// answers from its other regions. ARM keeps answering.
    #[arg(long, value_name = "REGION")]
    pub region_down: Vec<String>,
    /// Seconds a token from the emulator's sign-in endpoints lasts (stated and enforced); a
    /// few seconds makes tokens expire mid-restore.
    #[arg(long, default_value_t = 3599, value_name = "SECS")]
    pub token_lifetime: u64,
    /// Print `export APIM_DR_ARM_ENDPOINT=…`, `APIM_DR_ACCESS_TOKEN=…` and
    /// `APIM_DR_STORAGE_TOKEN=…` before serving.
    #[arg(long)]
    pub print_env: bool,
}

/// `--lro-headers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LroHeadersArg {
    /// `Location` only, as the APIM spec declares.
    Location,
    /// `Azure-AsyncOperation` only.
    Async,
    /// Both.
    Both,
}

/// `--storage-errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StorageErrorsArg {
    /// On the POST (400 `InvalidParameters`).
    Post,
    /// After the 202, while polling.
    Poll,
}

/// `--workspace-refusal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkspaceRefusalArg {
    /// Services with a workspace linked to a workspace gateway.
    Gateways,
    /// Services with any workspace.
    Any,
}

/// `--retry-after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryAfterArg {
    /// Delta seconds.
    Seconds,
    /// An HTTP date.
    Date,
    /// `retry-after-ms` (with `Retry-After` in seconds beside it).
    RetryAfterMs,
    /// `x-ms-retry-after-ms` (with `Retry-After` in seconds beside it).
    XMsRetryAfterMs,
    /// No header.
    Off,
}
