//! `apim-dr backup --all` end to end against `apim-dr emulator` in another process: exactly
//! the classic-tier services of the demo world are backed up (each journaled like a single
//! backup, to `{service}/{stamp}.apimbackup`), the others reported skipped with the reason,
//! one summary, and the exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::emu::PROD;
use serde_json::Value;

const CLASSIC: [&str; 8] = [
    "apim-contoso-neu",
    "apim-contoso-stage-eus",
    "apim-contoso-weu",
    "apim-dev-weu",
    "apim-partners-sea",
    "apim-partners-weu",
    "apim-retail-eus",
    "apim-retail-wus2",
];

fn run(e: &EmulatorProcess, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "backup",
        "--all",
        "--account",
        "stcontosodrneu",
        "--container",
        "apim-backups",
        "--poll-interval",
        "1",
        "-o",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = e.run(&args);
    let v = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|err| panic!("{err}: {}\n{}", stdout(&o), stderr(&o)));
    (code(&o), v)
}

#[test]
fn all_backs_up_exactly_the_classic_tier_services_and_skips_the_rest_with_the_reason() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let (exit, v) = run(&e, &["--parallel", "3"]);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 10, "{v}");
    let attempted: Vec<&str> = items
        .iter()
        .filter(|i| i["status"] != "skipped")
        .map(|i| i["service"].as_str().unwrap())
        .collect();
    assert_eq!(attempted, CLASSIC, "{v}");
    for i in items.iter().filter(|i| i["status"] == "skipped") {
        let why = i["reason"].as_str().unwrap();
        assert!(
            (i["tier"] == "Consumption" && why.contains("Consumption"))
                || (i["tier"] == "StandardV2" && why.contains("v2")),
            "{i}"
        );
    }
    for i in items.iter().filter(|i| i["status"] == "succeeded") {
        let name = i["service"].as_str().unwrap();
        let blob = i["backup"].as_str().unwrap();
        assert!(
            blob.starts_with(&format!("stcontosodrneu/apim-backups/{name}/"))
                && blob.ends_with("Z.apimbackup"),
            "{blob}"
        );
        assert!(i["operation_id"].is_string());
    }
    assert_eq!(v["summary"]["succeeded"], 8, "{v}");
    assert_eq!(v["summary"]["skipped"], 2);
    assert_eq!(exit, 0, "{v}");

    // Every attempted backup is in the journal, like a single one.
    let o = e.run(&["operations", "-o", "json"]);
    let ops: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    for i in items.iter().filter(|i| i["operation_id"].is_string()) {
        assert!(
            ops.iter()
                .any(|op| op["id"] == i["operation_id"] && op["kind"] == "backup"),
            "{i} not journaled"
        );
    }
    // Every classic service now has a fresh backup: the RPO monitor is green.
    let o = e.run(&["rpo", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn filters_pick_the_services_and_bad_filters_are_usage_errors() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let (_, v) = run(
        &e,
        &[
            "--subscription",
            PROD,
            "--region",
            "westeurope",
            "--tag",
            "env=prod",
        ],
    );
    let names: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["service"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"apim-contoso-weu"), "{v}");
    assert!(!names.contains(&"apim-retail-eus"), "East US: {v}");

    for (extra, says) in [
        (["--tag", "novalue"], "KEY=VALUE"),
        (["--parallel", "0"], "from 1 to 16"),
        (["--name", "x"], "cannot be used with"),
    ] {
        let mut args = vec![
            "backup",
            "--all",
            "--account",
            "stacct",
            "--container",
            "cont",
        ];
        args.extend_from_slice(&extra);
        let o = e.run(&args);
        assert_eq!(code(&o), 2, "{extra:?}");
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
    }
}

/// The demo world with apim-contoso-weu tagged to back up into stcontosodevtest/dev-snapshots.
fn tagged_world(dir: &std::path::Path) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("assets/emulator/demo-world.json")).unwrap();
    let mut w: Value = serde_json::from_str(&text).unwrap();
    let services = w["services"].as_array_mut().unwrap();
    let weu = services
        .iter_mut()
        .find(|s| s["name"] == "apim-contoso-weu")
        .unwrap();
    weu["tags"]["apim-dr-backup-account"] = "stcontosodevtest".into();
    weu["tags"]["apim-dr-backup-container"] = "dev-snapshots".into();
    let path = dir.join("tagged-world.json");
    std::fs::write(&path, w.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn tags_name_a_services_account_and_the_batch_has_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let world = tagged_world(dir.path());
    let e = EmulatorProcess::start(&["--world", &world, "--speed", "3000", "--retry-after", "off"]);
    let (exit, v) = run(&e, &["--region", "westeurope", "--tag", "env=prod"]);
    assert_eq!(exit, 0, "{v}");
    let item = |name: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["service"] == name)
            .unwrap_or_else(|| panic!("no {name} in {v}"))
            .clone()
    };
    let weu = item("apim-contoso-weu");
    assert_eq!(weu["status"], "succeeded", "{weu}");
    assert!(
        weu["backup"]
            .as_str()
            .unwrap()
            .starts_with("stcontosodevtest/dev-snapshots/apim-contoso-weu/"),
        "the tags win over --account: {weu}"
    );
    let partners = item("apim-partners-weu");
    assert!(
        partners["backup"]
            .as_str()
            .unwrap()
            .starts_with("stcontosodrneu/apim-backups/"),
        "no tag: the flags: {partners}"
    );

    // One batch report, Markdown and JSON, listed and shown by `report`.
    let id = v["summary"]["report"].as_str().unwrap().to_owned();
    assert!(id.starts_with("batch-"), "{id}");
    let reports = e.dirs.path().join("data").join("reports");
    let md = std::fs::read_to_string(reports.join(format!("{id}.md"))).unwrap();
    assert!(
        md.contains("- filters: --region westeurope, --tag env=prod"),
        "{md}"
    );
    assert!(
        md.contains("| apim-contoso-weu | Standard | succeeded | stcontosodevtest/"),
        "{md}"
    );
    let listed = stdout(&e.run(&["report"]));
    assert!(listed.lines().any(|l| l == id), "{listed}");
    let o = e.run(&["report", &id, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["id"], id.as_str());
    assert_eq!(
        r["items"].as_array().unwrap().len(),
        v["items"].as_array().unwrap().len()
    );

    // Without --account, a service with no tag fails with how to give one; the others go on.
    let o = e.run(&[
        "backup",
        "--all",
        "--region",
        "westeurope",
        "--tag",
        "env=prod",
        "--container",
        "apim-backups",
        "--poll-interval",
        "1",
        "-o",
        "json",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let partners = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["service"] == "apim-partners-weu")
        .unwrap();
    assert_eq!(partners["status"], "failed");
    assert!(
        partners["reason"]
            .as_str()
            .unwrap()
            .contains("apim-dr-backup-account"),
        "{partners}"
    );
}
