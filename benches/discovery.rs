//! Discovery of issue 10's estate, measured with `cargo bench --bench discovery`: the emulator
//! serves `gen:estate` (22 subscriptions one per page, 508 services two per page, 21 storage
//! accounts, 4009 blobs at most four per page) with 20 ms added to every reply; apim-dr's
//! discovery walks it (median of a few runs) and Microsoft's Python SDK walks it one call at a
//! time in the same run (`.ci/sdk/walk_estate.py`; skipped with a note when `.ci/sdk/venv` is
//! missing). Each figure is printed beside its target; the numbers and the command go in
//! BENCHMARKS.md.
//!
//! Options (after `--`): `--runs N` (default 5), `--no-sdk`, `--max-in-flight N`,
//! `--per-host N` (default: the client's defaults).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use apim_dr::azure::auth::TokenSource;
use apim_dr::azure::{AzureClient, ClientOptions, InFlightLimits};
use apim_dr::emulator::{Emulator, EmulatorConfig, EmulatorHandle, ListPageSizes, World};
use apim_dr::engine::discovery::{Estate, Scope};

const LATENCY: Duration = Duration::from_millis(20);

fn config() -> EmulatorConfig {
    let mut c = EmulatorConfig::new(World::load("gen:estate").unwrap());
    c.latency = LATENCY;
    c.list_page_sizes = ListPageSizes {
        subscriptions: Some(1),
        services: Some(2),
        storage_accounts: None,
    };
    c.blob_page_size = 4;
    c
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let sdk = !args.iter().any(|a| a == "--no-sdk");
    let number = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<usize>().ok())
    };
    let mut limits = InFlightLimits::default();
    limits.total = number("--max-in-flight").unwrap_or(limits.total);
    limits.per_host = number("--per-host").unwrap_or(limits.per_host);

    let config = config();
    let depth = config.world.discovery_critical_path(config.list_pages());
    let bound = LATENCY * u32::try_from(depth).unwrap();
    // The emulator has a runtime of its own, so its work is not counted against the walk's.
    let emulator_rt = tokio::runtime::Runtime::new().unwrap();
    let handle = emulator_rt.block_on(Emulator::start(config)).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();

    let mut walks: Vec<Estate> = (0..runs)
        .map(|_| {
            // A fresh client each run: a cold connection pool and its own peak of requests.
            let mut options = ClientOptions::new(handle.arm_endpoint());
            options.in_flight = limits;
            let client = AzureClient::new(
                options,
                TokenSource::fixed(handle.token(), Some(handle.token())),
            )
            .unwrap();
            rt.block_on(Estate::collect(&client, Scope::everything()))
        })
        .collect();
    walks.sort_by_key(|e| e.wall_time);
    let median = &walks[walks.len() / 2];
    assert!(
        median.failures.is_empty(),
        "the walk failed: {:?}",
        median.failures.first()
    );
    let counts = |e: &Estate| {
        format!(
            "{} subscriptions, {} services, {} storage accounts, {} backups",
            e.subscriptions.len(),
            e.services.len(),
            e.storage_accounts.len(),
            e.backups.len()
        )
    };
    println!("estate: {}", counts(median));
    println!(
        "budgets: {} requests in flight, {} to one host",
        limits.total, limits.per_host
    );
    println!(
        "critical path: {depth} dependent round trips x {} ms = {:.3} s",
        LATENCY.as_millis(),
        bound.as_secs_f64()
    );
    println!(
        "apim-dr discovery (median of {runs}): {:.3} s, {} requests, at most {} in flight; {:.2} x the bound (target <= 1.5)  [{}]",
        median.wall_time.as_secs_f64(),
        median.requests,
        median.max_in_flight,
        ratio(median.wall_time, bound),
        if ratio(median.wall_time, bound) <= 1.5 {
            "met"
        } else {
            "MISSED"
        }
    );
    if sdk {
        sdk_walk(&handle, median.wall_time);
    }
    drop(handle);
}

/// Microsoft's Python SDK walks the same estate one call at a time; prints its time and the
/// ratio to `ours`.
fn sdk_walk(handle: &EmulatorHandle, ours: Duration) {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/sdk/venv/bin/python");
    if !python.exists() {
        println!(
            "Microsoft's Python SDK: not measured (.ci/sdk/venv is missing; `.ci/run` installs it)"
        );
        return;
    }
    let endpoint = handle.arm_endpoint().to_string();
    let out = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/sdk/walk_estate.py"))
        .env("APIM_DR_ARM_ENDPOINT", endpoint.trim_end_matches('/'))
        .env("APIM_DR_ACCESS_TOKEN", handle.token().expose())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the SDK walk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let peer = Duration::from_secs_f64(report["wall_time_s"].as_f64().unwrap());
    let c = &report["counts"];
    println!(
        "Microsoft's Python SDK, one call at a time: {:.3} s ({} subscriptions, {} services, {} storage accounts, {} backups)",
        peer.as_secs_f64(),
        c["subscriptions"],
        c["services"],
        c["storage_accounts"],
        c["backups"]
    );
    let speedup = ratio(peer, ours);
    println!(
        "apim-dr is {speedup:.1} x faster than the SDK (target >= 10)  [{}]",
        if speedup >= 10.0 { "met" } else { "MISSED" }
    );
}
