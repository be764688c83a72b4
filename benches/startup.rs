//! Issue 10 bench 3, measured with `cargo bench --bench startup`: the first frame from the
//! inventory cache. The emulator serves issue 10's estate (`gen:estate`: 22 subscriptions, 508
//! services, 21 storage accounts, 4 009 backups); one walk of it at full speed fills the cache
//! file the TUI keeps for that endpoint; then the emulator answers every request after
//! `--latency` (1 s by default, so nothing fetched can reach the first frame) and the built
//! binary is started in a 120×40 pseudo-terminal, timed from the spawn to the first screen
//! that shows the cached services marked "from cache". Target: 100 ms.
//!
//! Options (after `--`): `--runs N` (default 5), `--latency MS` (default 1000).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::io::Read;
use std::num::NonZeroU16;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use apim_dr::azure::auth::TokenSource;
use apim_dr::azure::{AzureClient, ClientOptions};
use apim_dr::cache::InventoryCache;
use apim_dr::domain::inventory::{ContainerBackups, Inventory};
use apim_dr::emulator::{Emulator, EmulatorConfig, EmulatorHandle, World};
use apim_dr::engine::discovery::{Estate, Scope};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use time::OffsetDateTime;

const TARGET: Duration = Duration::from_millis(100);

fn emulator(rt: &tokio::runtime::Runtime, latency: Duration) -> EmulatorHandle {
    let mut c = EmulatorConfig::new(World::load("gen:estate").unwrap());
    c.latency = latency;
    rt.block_on(Emulator::start(c)).unwrap()
}

/// The estate as the TUI would have cached it after a walk.
fn inventory(estate: Estate) -> Inventory {
    let mut inv = Inventory {
        subscriptions: estate.subscriptions.into(),
        ..Inventory::default()
    };
    for s in estate.services {
        Arc::make_mut(
            inv.services
                .entry(s.subscription_id.to_string())
                .or_default(),
        )
        .push(s);
    }
    for a in estate.storage_accounts {
        Arc::make_mut(
            inv.storage_accounts
                .entry(a.subscription_id.clone())
                .or_default(),
        )
        .push(a);
    }
    let mut containers: BTreeMap<(String, String), Vec<_>> = BTreeMap::new();
    for b in estate.backups {
        containers
            .entry((b.account.to_string(), b.container.to_string()))
            .or_default()
            .push(b);
    }
    for ((account, container), backups) in containers {
        Arc::make_mut(inv.backups.entry(account.clone()).or_default()).push(ContainerBackups {
            account,
            container,
            backups,
        });
    }
    inv
}

/// Milliseconds from spawning the TUI to a screen showing `needle` (and the cached rows).
fn first_frame(handle: &EmulatorHandle, dir: &std::path::Path, needle: &str) -> Duration {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_apim-dr"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("APIM_DR_DATA_DIR", dir.join("data"));
    cmd.env("APIM_DR_CONFIG_DIR", dir.join("config"));
    cmd.env("XDG_CACHE_HOME", dir.join("cache"));
    cmd.env("APIM_DR_ARM_ENDPOINT", handle.arm_endpoint().as_str());
    cmd.env("APIM_DR_ACCESS_TOKEN", handle.token().expose());
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let _writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(
        NonZeroU16::new(40).unwrap(),
        NonZeroU16::new(120).unwrap(),
        0,
    );
    let deadline = start + Duration::from_secs(20);
    let took = loop {
        let (at, chunk) = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the cached rows never showed");
        parser.process(&chunk);
        let text = parser.screen().contents();
        if text.contains(needle) && text.contains("from cache") {
            break at - start;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    took
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let number = |flag: &str, default: u64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let runs = usize::try_from(number("--runs", 5)).unwrap();
    let latency = Duration::from_millis(number("--latency", 1000));
    let rt = tokio::runtime::Runtime::new().unwrap();

    // One walk at full speed gives what the last session would have cached.
    let fast = emulator(&rt, Duration::ZERO);
    let client = AzureClient::new(
        ClientOptions::new(fast.arm_endpoint()),
        TokenSource::fixed(fast.token(), Some(fast.token())),
    )
    .unwrap();
    let estate = rt.block_on(Estate::collect(&client, Scope::everything()));
    assert!(estate.failures.is_empty(), "the walk failed");
    let inventory = inventory(estate);
    let needle = inventory
        .subscriptions
        .first()
        .and_then(|s| inventory.services.get(&s.id))
        .and_then(|s| s.iter().map(|s| s.name.clone()).min())
        .expect("a service in the first subscription");

    let slow = emulator(&rt, latency);
    let dir = tempfile::tempdir().unwrap();
    let cache = InventoryCache::new(&dir.path().join("cache/apim-dr"), &slow.arm_endpoint());
    cache.write(&inventory, OffsetDateTime::now_utc()).unwrap();
    let size = std::fs::metadata(cache.path()).unwrap().len();
    println!(
        "startup bench: cache of {} subscriptions, {} services, {} backups ({} KiB); emulator latency {} ms",
        inventory.subscriptions.len(),
        inventory.services.values().map(|s| s.len()).sum::<usize>(),
        inventory
            .backups
            .values()
            .flat_map(|c| c.iter())
            .map(|c| c.backups.len())
            .sum::<usize>(),
        size / 1024,
        latency.as_millis()
    );
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| first_frame(&slow, dir.path(), &needle))
        .collect();
    times.sort_unstable();
    let median = times[times.len() / 2];
    println!(
        "first frame from cache (median of {runs}, process start to the cached rows on screen): {:.1} ms (target ≤ {} ms: {})  [all: {}]",
        median.as_secs_f64() * 1e3,
        TARGET.as_millis(),
        if median <= TARGET { "met" } else { "MISSED" },
        times
            .iter()
            .map(|t| format!("{:.1}", t.as_secs_f64() * 1e3))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
