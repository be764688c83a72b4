//! Issue 10 benches 4 and 5, measured with `cargo bench --bench render`: the TUI's main screens
//! drawn with 10 000 and 100 000 rows (services on the estate screen, of one subscription and
//! in the every-subscription view `0`, backup blobs on the backups screen) into a 120×40
//! in-memory terminal, through the real `update` and `render`; the median time of a frame and
//! of a key press to its frame (`MoveDown`, then the draw), each beside its target (5 ms a
//! frame, 16 ms key to frame); then the peak resident memory of a fresh process holding
//! 100 000 backups (the measure), and one holding 100 000 services as well (target
//! 50 MiB, read from `/proc/self/status` `VmHWM`; each in a child process of this bench, run
//! with `--rss-of SERVICES,BACKUPS`).
//!
//! Options (after `--`): `--frames N` (default 30).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use apim_dr::app::state::Screen;
use apim_dr::app::{Action, AppOptions, AppState, Keymap, update};
use apim_dr::domain::backup::{BackupCatalog, BackupEntry};
use apim_dr::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use apim_dr::domain::service::ServiceSummary;
use apim_dr::ui::{Theme, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use time::OffsetDateTime;

const SUB: &str = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
const FRAME_TARGET: Duration = Duration::from_millis(5);
const KEY_TARGET: Duration = Duration::from_millis(16);
const RSS_TARGET_MIB: f64 = 50.0;

fn services(n: usize) -> Vec<ServiceSummary> {
    (0..n)
        .map(|i| {
            let sku = ["Developer", "Standard", "Premium", "Basic"][i % 4];
            serde_json::from_value(json!({
                "id": format!("/subscriptions/{SUB}/resourceGroups/rg-{}/providers/Microsoft.ApiManagement/service/apim-{i:06}", i % 40),
                "name": format!("apim-{i:06}"),
                "subscription_id": SUB,
                "resource_group": format!("rg-{}", i % 40),
                "location": if i % 2 == 0 { "West Europe" } else { "North Europe" },
                "sku": sku,
                "capacity": 1 + i % 3,
                "provisioning_state": "Succeeded",
                "gateway_url": format!("https://apim-{i:06}.azure-api.net"),
            }))
            .unwrap()
        })
        .collect()
}

/// `n` backup blobs, each with the catalog apim-dr writes when `catalogued` (blobs other tools
/// wrote carry none).
fn backups(n: usize, now: OffsetDateTime, catalogued: bool) -> Vec<BackupEntry> {
    (0..n)
        .map(|i| {
            let minutes = i64::try_from(i).unwrap();
            let created = now - time::Duration::minutes(minutes * 7);
            serde_json::from_value(json!({
                "account": "stcontosodrneu",
                "container": "apim-backups",
                "name": format!("apim-{:06}/{}.apimbackup", i % 5000, created.unix_timestamp()),
                "created": created.format(&time::format_description::well_known::Rfc3339).unwrap(),
                "size_bytes": 1_048_576,
                "catalog": if catalogued {
                    catalog(i, created)
                } else {
                    serde_json::to_value(BackupCatalog::default()).unwrap()
                },
            }))
            .unwrap()
        })
        .collect()
}

/// The catalog apim-dr writes on the `i`th backup, taken at `at`.
fn catalog(i: usize, at: OffsetDateTime) -> serde_json::Value {
    let source = format!(
        "/subscriptions/{SUB}/resourceGroups/rg-{}/providers/Microsoft.ApiManagement/service/apim-{:06}",
        i % 40,
        i % 5000
    );
    let mut c = BackupCatalog {
        source_service: Some(source.into()),
        source_name: Some(format!("apim-{:06}", i % 5000).into()),
        source_capacity: Some(1),
        source_location: Some("West Europe".into()),
        api_version: Some("2024-05-01".into()),
        tool_version: Some("0.1.0".into()),
        started: Some(at),
        ended: Some(at + time::Duration::minutes(9)),
        ..BackupCatalog::default()
    };
    c.source_sku = Some(apim_dr::domain::sku::SkuName::new("Standard"));
    serde_json::to_value(c).unwrap()
}

fn loaded(n: usize) -> AppState {
    loaded_with(n, n, false)
}

/// The state with `n_services` services and `n_backups` backups (`catalogued` or not) loaded.
fn loaded_with(n_services: usize, n_backups: usize, catalogued: bool) -> AppState {
    let now = OffsetDateTime::now_utc();
    let (mut state, _) = AppState::new(AppOptions {
        read_only: false,
        keymap: Keymap::default_embedded(),
        now,
        context_label: "bench".to_owned(),
        starts_over: false,
        rpo_hours: 24,
        arm_endpoint: "https://management.azure.com".to_owned(),
        api_version: "2024-05-01".to_owned(),
    });
    let sub: SubscriptionSummary = serde_json::from_value(json!({
        "id": SUB, "name": "Contoso Production", "state": "Enabled"
    }))
    .unwrap();
    let account: StorageAccountSummary = serde_json::from_value(json!({
        "id": format!("/subscriptions/{SUB}/resourceGroups/rg-dr/providers/Microsoft.Storage/storageAccounts/stcontosodrneu"),
        "name": "stcontosodrneu",
        "subscription_id": SUB,
        "location": "northeurope",
        "blob_endpoint": "https://stcontosodrneu.blob.core.windows.net/",
        "firewall_enabled": false,
        "shared_key_disabled": false,
    }))
    .unwrap();
    for action in [
        Action::SubscriptionsLoaded(Ok(vec![sub])),
        Action::ServicesLoaded {
            subscription: SUB.to_owned(),
            result: Ok(services(n_services)),
        },
        Action::StorageAccountsLoaded {
            subscription: SUB.to_owned(),
            result: Ok(vec![account]),
        },
        Action::BackupsLoaded {
            account: "stcontosodrneu".to_owned(),
            result: Ok(vec![ContainerBackups {
                account: "stcontosodrneu".to_owned(),
                container: "apim-backups".to_owned(),
                backups: backups(n_backups, now, catalogued),
            }]),
        },
    ] {
        let _ = update(&mut state, action);
    }
    state
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Median time of a frame, and of `MoveDown` then a frame.
fn measure(state: &mut AppState, frames: usize) -> (Duration, Duration) {
    let theme = Theme::default_embedded();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut draw = |state: &AppState| {
        terminal.draw(|frame| render(frame, state, &theme)).unwrap();
    };
    draw(state);
    let mut frame_times = Vec::with_capacity(frames);
    for _ in 0..frames {
        let t = Instant::now();
        draw(state);
        frame_times.push(t.elapsed());
    }
    let mut key_times = Vec::with_capacity(frames);
    for _ in 0..frames {
        let t = Instant::now();
        let _ = update(state, Action::MoveDown);
        draw(state);
        key_times.push(t.elapsed());
    }
    (median(frame_times), median(key_times))
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// `--rss-of SERVICES,BACKUPS[,catalogued]`: in this fresh process, load that many services
/// and backups, draw the backups and estate screens and move once on each; print the peak
/// RSS in MiB.
fn rss_child(spec: &str) {
    let mut parts = spec.split(',');
    let mut count = || parts.next().unwrap().parse::<usize>().unwrap();
    let (services, backups) = (count(), count());
    let catalogued = spec.ends_with(",catalogued");
    let mut state = loaded_with(services, backups, catalogued);
    for screen in [Screen::Backups, Screen::Estate] {
        let _ = update(&mut state, Action::Jump(screen));
        let _ = measure(&mut state, 1);
    }
    println!("{}", peak_rss_mib().unwrap_or(f64::NAN));
}

/// The peak RSS of a fresh process of this bench holding `services` and `backups` rows
/// (`catalogued` or not).
fn rss_of(services: usize, backups: usize, catalogued: bool) -> Option<f64> {
    let spec = if catalogued {
        format!("{services},{backups},catalogued")
    } else {
        format!("{services},{backups}")
    };
    let out = std::process::Command::new(std::env::current_exe().ok()?)
        .args(["--rss-of", &spec])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .ok()
        .filter(|m: &f64| m.is_finite())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(spec) = args
        .iter()
        .position(|a| a == "--rss-of")
        .and_then(|i| args.get(i + 1))
    {
        return rss_child(spec);
    }
    let frames: usize = args
        .iter()
        .position(|a| a == "--frames")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    println!("render bench: 120×40, median of {frames} frames");
    for n in [10_000, 100_000] {
        let mut state = loaded(n);
        for (screen, name) in [
            (Screen::Estate, "services"),
            (Screen::Backups, "backups"),
            (Screen::Estate, "all subs"),
        ] {
            let _ = update(&mut state, Action::Jump(screen));
            if name == "all subs" {
                // The same services in the every-subscription view (`0`).
                let _ = update(&mut state, Action::ToggleAllSubscriptions);
            }
            let (frame, key) = measure(&mut state, frames);
            println!(
                "{n:>7} {name:<8}  frame {:>8.3} ms (target ≤ {} ms: {})  key to frame {:>8.3} ms (target ≤ {} ms: {})",
                frame.as_secs_f64() * 1e3,
                FRAME_TARGET.as_millis(),
                verdict(frame <= FRAME_TARGET),
                key.as_secs_f64() * 1e3,
                KEY_TARGET.as_millis(),
                verdict(key <= KEY_TARGET),
            );
        }
    }
    // Each in a fresh process, so the peak is of that state alone (the measure is
    // 100 000 backups; the second adds 100 000 services).
    for (services, backups, catalogued, what) in [
        (10, 100_000, false, "100 000 backups"),
        (
            10,
            100_000,
            true,
            "100 000 backups, each with apim-dr's catalog",
        ),
        (
            100_000,
            100_000,
            false,
            "100 000 backups and 100 000 services",
        ),
    ] {
        match rss_of(services, backups, catalogued) {
            Some(mib) => println!(
                "peak RSS with {what} loaded: {mib:.1} MiB (target ≤ {RSS_TARGET_MIB} MiB: {})",
                verdict(mib <= RSS_TARGET_MIB)
            ),
            None => println!("peak RSS with {what}: /proc/self/status not readable here"),
        }
    }
}
