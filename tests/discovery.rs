//! The discovery engine against the emulator over loopback: one walk finds every
//! subscription, service, storage account and backup; throttling of one subscription loses
//! nothing and holds back only that subscription; the in-flight budgets hold; the CLI's
//! listings stream with `-o jsonl` and `inventory` reports the whole estate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use apim_dr::azure::InFlightLimits;
use apim_dr::domain::backup::BackupEntry;
use apim_dr::emulator::{EmulatorConfig, ListPageSizes, World};
use apim_dr::engine::discovery::{Estate, Found, Scope};
use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::emu::{client_with, fast_options, start};

/// A small estate with every account open, paged finely so every chain has several links.
fn estate_config() -> EmulatorConfig {
    let mut c = EmulatorConfig::new(
        World::load("gen:subs=6,services=40,accounts=5,backups=90,open=1,seed=4").unwrap(),
    );
    c.list_page_sizes = ListPageSizes {
        subscriptions: Some(1),
        services: Some(2),
        storage_accounts: Some(1),
    };
    c.blob_page_size = 4;
    c
}

fn ids(
    e: &Estate,
) -> (
    Vec<String>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
) {
    (
        e.subscriptions.iter().map(|s| s.id.clone()).collect(),
        e.services.iter().map(|s| s.id().into_owned()).collect(),
        e.storage_accounts.iter().map(|a| a.id.clone()).collect(),
        e.backups.iter().map(BackupEntry::display_ref).collect(),
    )
}

#[tokio::test]
async fn one_walk_finds_the_whole_estate_within_its_budgets() {
    let h = start(estate_config()).await;
    let mut options = fast_options(&h);
    options.in_flight = InFlightLimits {
        total: 5,
        per_host: 3,
    };
    let client = client_with(&h, options);
    let e = Estate::collect(&client, Scope::everything()).await;
    assert!(e.failures.is_empty(), "{:?}", e.failures.first());
    assert_eq!(
        (
            e.subscriptions.len(),
            e.services.len(),
            e.storage_accounts.len(),
            e.backups.len()
        ),
        (6, 40, 5, 90)
    );
    // Every request went through the budgets: never more than 5 at once, and branches
    // overlapped (more than one at once).
    assert!(
        e.max_in_flight <= 5 && e.max_in_flight >= 2,
        "{}",
        e.max_in_flight
    );
    assert_eq!(e.requests, h.requests().len() as u64);
    // Stable order: services grouped by subscription in listing order, then by name.
    let order: Vec<usize> = e
        .services
        .iter()
        .map(|s| {
            e.subscriptions
                .iter()
                .position(|x| x.id == s.subscription_id)
                .unwrap()
        })
        .collect();
    assert!(order.is_sorted(), "{order:?}");
}

#[tokio::test]
async fn a_throttled_subscription_loses_nothing_and_holds_back_only_itself() {
    let h = start(estate_config()).await;
    let baseline = Estate::collect(&client_with(&h, fast_options(&h)), Scope::everything()).await;
    assert!(baseline.failures.is_empty());
    let throttled = baseline.subscriptions[2].id.clone();
    let other = baseline.subscriptions[4].id.clone();
    // ARM throttles per subscription: two 429s (Retry-After 1 s) on each list of one
    // subscription, one on the services of another.
    h.add_faults(&format!(
        "throttle:1@services/{throttled}*2,throttle:1@storage/{throttled}*2,throttle:1@keys/{throttled},throttle:1@services/{other}"
    ))
    .unwrap();
    let client = client_with(&h, fast_options(&h));
    let started = Instant::now();
    let mut first_seen: Vec<(String, Duration)> = Vec::new();
    let e = Estate::walk(&client, Scope::everything(), |found| {
        if let Found::Services { page, .. } = found {
            for s in page {
                first_seen.push((s.subscription_id.to_string(), started.elapsed()));
            }
        }
        true
    })
    .await;
    assert!(e.failures.is_empty(), "{:?}", e.failures.first());
    assert_eq!(ids(&e), ids(&baseline), "every item, under throttling");
    // The unthrottled subscriptions' services all came before the throttled one's first: its
    // back-off held no one else.
    let throttled_first = first_seen
        .iter()
        .filter(|(s, _)| *s == throttled)
        .map(|(_, t)| *t)
        .min()
        .unwrap();
    assert!(
        throttled_first >= Duration::from_secs(2),
        "{throttled_first:?}"
    );
    let others_last = first_seen
        .iter()
        .filter(|(s, _)| *s != throttled && *s != other)
        .map(|(_, t)| *t)
        .max()
        .unwrap();
    assert!(
        others_last < throttled_first,
        "others done at {others_last:?}, throttled first at {throttled_first:?}"
    );
    // The 429s were answered and retried, not skipped.
    let throttled_replies = h.requests().iter().filter(|r| r.status == 429).count();
    assert_eq!(throttled_replies, 6);
}

fn cli_estate() -> EmulatorProcess {
    EmulatorProcess::start(&[
        "--world",
        "gen:subs=4,services=12,accounts=3,backups=30,open=1,seed=2",
        "--subscription-page-size",
        "1",
        "--service-page-size",
        "2",
        "--blob-page-size",
        "4",
    ])
}

/// Each line of a command's output, read as JSON.
fn json_lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn listings_stream_one_line_per_item_with_jsonl() {
    let emu = cli_estate();
    let out = emu.run(&["services", "-o", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 12);
    // The same items, fields and all, as `-o json`, in whatever order they arrived.
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&emu.run(&["services", "-o", "json"]))).unwrap();
    let key = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
    let mut a: Vec<_> = lines.iter().map(|v| (key(v), v.to_string())).collect();
    let mut b: Vec<_> = json.iter().map(|v| (key(v), v.to_string())).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let out = emu.run(&["backups", "-o", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 30);
    // The subscription list is a walk too: one line per subscription, as `-o json` lists them.
    let out = emu.run(&["subscriptions", "-o", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = json_lines(&out);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&emu.run(&["subscriptions", "-o", "json"]))).unwrap();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines, json);
}

#[test]
fn inventory_reports_the_whole_estate_from_one_walk() {
    let emu = cli_estate();
    let out = emu.run(&["inventory", "-o", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["counts"],
        serde_json::json!({"subscriptions": 4, "services": 12, "storage_accounts": 3, "backups": 30})
    );
    assert_eq!(v["subscriptions"].as_array().unwrap().len(), 4);
    assert_eq!(v["storage_accounts"].as_array().unwrap().len(), 3);
    // The same fields as the single listings.
    let services: serde_json::Value =
        serde_json::from_str(&stdout(&emu.run(&["services", "-o", "json"]))).unwrap();
    assert_eq!(v["services"], services);
    let backups: serde_json::Value =
        serde_json::from_str(&stdout(&emu.run(&["backups", "-o", "json"]))).unwrap();
    assert_eq!(
        v["backups"].as_array().unwrap().len(),
        backups.as_array().unwrap().len()
    );
    assert_eq!(v["backups"][0]["backup"], backups[0]["backup"]);
    // 4 subscription pages + 6 service pages + 4 account lists + 3 keys + 3 container lists +
    // at least 30/4 blob pages.
    let requests = v["requests"].as_u64().unwrap();
    assert!((28..=60).contains(&requests), "{requests}");
    assert!(v["wall_time_ms"].as_u64().is_some());
    assert!(v["max_in_flight"].as_u64().unwrap() >= 1);

    let text = emu.run(&["inventory"]);
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    let first = stdout(&text).lines().next().unwrap().to_owned();
    assert!(
        first.starts_with("4 subscriptions, 12 services, 3 storage accounts, 30 backups: "),
        "{first}"
    );

    let stream = emu.run(&["inventory", "-o", "jsonl"]);
    let lines = json_lines(&stream);
    assert_eq!(lines.len(), 4 + 12 + 3 + 30 + 1);
    assert_eq!(lines.last().unwrap()["summary"]["counts"], v["counts"]);
}

#[test]
fn the_in_flight_budget_is_a_checked_setting() {
    let emu = cli_estate();
    let out = emu.run(&["services", "--max-in-flight", "0"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("1 to 1024"), "{}", stderr(&out));
    let out = emu.run(&["services", "--max-in-flight", "1", "-o", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}
