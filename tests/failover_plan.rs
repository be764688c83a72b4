//! The plan of a region's failover (issue 12 item 3), over loopback against the emulator: one
//! planned restore per service of the lost region with its pre-flight, a blocked item saying
//! why, `apim-dr failover --plan` exiting 1 when any item is blocked, and `--yes` running the
//! ready restore while it skips the blocked ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::emulator::{EmulatorConfig, World};
use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::direct;
use common::emu;

/// The demo world with West Europe holding only apim-contoso-weu (Standard, a standby in
/// North Europe) and apim-partners-weu (Premium, no Premium standby there, and here without
/// its North Europe gateway, so that it needs a restore).
fn two_service_world() -> World {
    let mut demo: serde_json::Value =
        serde_json::from_str(include_str!("../assets/emulator/demo-world.json")).unwrap();
    for s in demo["services"].as_array_mut().unwrap() {
        let name = s["name"].as_str().unwrap().to_owned();
        let weu = s["location"].as_str().unwrap() == "West Europe";
        if weu && name != "apim-contoso-weu" && name != "apim-partners-weu" {
            s["location"] = "East US".into();
        }
        if name == "apim-partners-weu" {
            s["additional_locations"] = serde_json::json!([]);
        }
    }
    World::from_json(&demo.to_string()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_with_one_blocked_item() {
    let mut cfg = EmulatorConfig::new(two_service_world());
    cfg.speed = 6000.0;
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = direct::engine(&h, dir.path());
    let items = engine
        .plan_failover("West Europe", "northeurope", None)
        .await;
    assert!(items.listing_failures.is_empty(), "{items:?}");
    let items = items.items;
    let names: Vec<&str> = items.iter().map(|i| i.pick.source.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");

    let contoso = items
        .iter()
        .find(|i| i.pick.source.name == "apim-contoso-weu")
        .unwrap();
    assert!(!contoso.blocked(), "{contoso:?}");
    assert_eq!(
        contoso.pick.target.as_ref().unwrap().name,
        "apim-contoso-neu"
    );
    let backup = contoso.pick.backup.as_ref().unwrap();
    assert!(backup.name.starts_with("apim-contoso-weu/"), "{backup:?}");
    assert!(contoso.report.as_ref().unwrap().verdict.allows_restore());

    let partners = items
        .iter()
        .find(|i| i.pick.source.name == "apim-partners-weu")
        .unwrap();
    assert!(partners.blocked());
    assert!(partners.report.is_none(), "no restore to pre-flight");
    let why = partners.pick.why_not.as_deref().unwrap();
    assert!(
        why.starts_with("no standby of tier Premium in northeurope"),
        "{why}"
    );
    assert!(why.contains("apim-dr standby create --like"), "{why}");
    // Planning sends nothing.
    assert!(h.snapshot().operations.is_empty());
    h.shutdown().await;
}

#[test]
fn the_plan_command_exits_1_when_an_item_is_blocked() {
    let emu = EmulatorProcess::start(&[]);
    let args = [
        "failover",
        "--region",
        "westeurope",
        "--to",
        "northeurope",
        "--plan",
    ];
    let o = emu.run(&args);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("✔ 1. apim-contoso-weu (Standard)"), "{text}");
    assert!(
        text.contains("✖ 2. apim-mobile-cons (Consumption)"),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("plan: 1 ready, 2 blocked, 1 need no restore"),
        "{text}"
    );
    // The Premium service with a North Europe gateway still serves: no restore, not blocked.
    assert!(text.contains("• "), "{text}");
    assert!(
        text.contains("no restore needed for traffic: its gateways in North Europe still serve"),
        "{text}"
    );
    let o = emu.run(&[&args[..], &["-o", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["blocked"], 2);
    let partners = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["source"]
                .as_str()
                .unwrap()
                .ends_with("/apim-partners-weu")
        })
        .unwrap();
    assert_eq!(partners["not_needed"], true, "{partners}");
    assert_eq!(partners["blocked"], false, "{partners}");
    assert_eq!(partners["target"], serde_json::Value::Null, "{partners}");
    assert_eq!(v["items"][0]["blocked"], false);
    assert_eq!(v["items"][0]["checks"][0]["id"], "service_exists");
    let o = emu.run(&["failover", "--region", "westeurope", "--to", "northeurope"]);
    assert_eq!(code(&o), 2, "--plan or --yes is required");
}

#[test]
fn the_batch_runs_the_ready_restore_and_skips_the_blocked_ones() {
    let emu = EmulatorProcess::start(&["--speed", "6000"]);
    let base = ["failover", "--region", "westeurope", "--to", "northeurope"];
    let o = emu.run(&[&base[..], &["--yes", "--read-only"]].concat());
    assert_eq!(code(&o), 2, "read-only refuses the batch: {}", stderr(&o));
    assert!(emu.state()["operations"].as_array().unwrap().is_empty());

    let o = emu.run(&[&base[..], &["--yes", "-o", "json"]].concat());
    assert_eq!(
        code(&o),
        1,
        "blocked items make the batch exit 1: {}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["succeeded"], 1, "{v}");
    assert_eq!(v["summary"]["skipped"], 2, "{v}");
    assert_eq!(v["summary"]["not_needed"], 1, "{v}");
    assert_eq!(v["summary"]["unverified"], 0, "{v}");
    let items = v["items"].as_array().unwrap();
    let contoso = items
        .iter()
        .find(|i| i["service"] == "apim-contoso-weu")
        .unwrap();
    assert_eq!(contoso["status"], "succeeded", "{contoso}");
    assert_eq!(contoso["target"], "apim-contoso-neu");
    assert_eq!(contoso["verified"], true, "{contoso}");
    let id = contoso["operation_id"].as_str().unwrap();
    for skipped in items.iter().filter(|i| i["status"] == "skipped") {
        assert!(skipped["operation_id"].is_null(), "{skipped}");
        assert!(
            skipped["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "a skipped item says why: {skipped}"
        );
    }
    // Exactly one restore reached Azure, into the standby, and its report was saved.
    let ops = emu.state()["operations"].clone();
    let restores: Vec<_> = ops
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "restore")
        .collect();
    assert_eq!(restores.len(), 1, "{ops}");
    let report = emu.run(&["report", id]);
    assert_eq!(code(&report), 0, "{}", stderr(&report));
    // One report for the batch, with every item.
    let batch = v["summary"]["report"].as_str().unwrap();
    let report = emu.run(&["report", batch]);
    assert_eq!(code(&report), 0, "{}", stderr(&report));
    let md = stdout(&report);
    assert!(
        md.contains("# failover westeurope → northeurope report batch-"),
        "{md}"
    );
    assert!(
        md.contains("| apim-contoso-weu | Standard | succeeded | apim-contoso-neu | ✔ |"),
        "{md}"
    );
    assert!(
        md.contains("| apim-partners-weu | Premium | not needed |"),
        "{md}"
    );
}
