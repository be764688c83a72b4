//! The backup catalog end to end against `apim-dr emulator` in another process: a backup
//! writes every catalog field (with the counts of APIs, products and named values read
//! through ARM before it), `backups` shows them in text and JSON, and a blob without a
//! catalog gets what can be inferred from its name and the journal, the rest unknown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::emu;
use serde_json::Value;

fn backups(e: &EmulatorProcess) -> Vec<Value> {
    let o = e.run(&["backups", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str::<Value>(&stdout(&o))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_backup_carries_the_complete_catalog_and_backups_shows_it() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let blob = "catalog-test/full.apimbackup";
    let o = e.backup_source_weu(blob);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));

    let list = backups(&e);
    let b = list.iter().find(|b| b["name"] == blob).unwrap();
    assert_eq!(b["source_service"], emu::source_weu().as_str());
    assert_eq!(b["source_name"], "apim-contoso-weu");
    assert_eq!(b["source_sku"], "Standard");
    assert_eq!(b["source_capacity"], 2);
    assert_eq!(b["source_location"], "West Europe");
    assert_eq!(b["api_version"], "2024-05-01");
    assert!(
        b["tool_version"]
            .as_str()
            .unwrap()
            .starts_with(env!("CARGO_PKG_VERSION")),
        "{b}"
    );
    // The demo world's apim-contoso-weu: 14 APIs, 3 products, 3 named values.
    assert_eq!(b["api_count"], 14, "{b}");
    assert_eq!(b["product_count"], 3, "{b}");
    assert_eq!(b["named_value_count"], 3, "{b}");
    let (started, ended) = (b["started"].as_str().unwrap(), b["ended"].as_str().unwrap());
    assert!(started.ends_with('Z') && ended.ends_with('Z'), "{b}");
    assert!(started <= ended, "{b}");
    assert_eq!(b["catalog"], "complete", "{b}");
    assert_eq!(b["inferred"], serde_json::json!({}));

    let o = e.run(&["backups", "--account", "stcontosodrneu"]);
    let text = stdout(&o);
    let line = text.lines().find(|l| l.contains(blob)).unwrap();
    assert!(line.contains("apim-contoso-weu"), "{line}");
    assert!(line.contains("14/3/3"), "{line}");
    assert!(line.contains(&started[..19]), "{line}\n{started}");
}

#[test]
fn a_blob_without_catalog_is_inferred_from_its_name_and_the_rest_is_unknown() {
    let e = EmulatorProcess::start(&[]);
    let list = backups(&e);
    // Seeded by the demo world without metadata, under a name of no known pattern.
    let bare = list
        .iter()
        .find(|b| b["name"] == "manual/retail-eus-before-migration.bak")
        .unwrap();
    assert_eq!(bare["catalog"], "none", "{bare}");
    assert!(bare["source_name"].is_null() && bare["source_sku"].is_null());
    // Seeded with the tool's keys of an earlier version: what it has is kept, not inferred.
    let seeded = list
        .iter()
        .find(|b| b["source_name"] == "apim-partners-weu")
        .unwrap();
    assert_eq!(seeded["catalog"], "partial", "{seeded}");
    assert!(seeded["tool_version"].is_null(), "{seeded}");
    let o = e.run(&["backups", "--account", "stcontosodrneu"]);
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("retail-eus-before-migration"))
        .unwrap();
    assert!(line.contains("unknown"), "{line}");
}
