//! `apim-dr rpo` end to end against `apim-dr emulator` in another process: every service of
//! the demo world with its newest restorable backup, age, expiry, off-region flag and verdict;
//! the exit code a monitor alerts on; the objective from the flag and from config.toml, range
//! checked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::emu::PROD;
use serde_json::Value;

fn rpo(e: &EmulatorProcess, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["rpo", "-o", "json"];
    args.extend_from_slice(extra);
    let o = e.run(&args);
    let v = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|err| panic!("{err}: {}\n{}", stdout(&o), stderr(&o)));
    (code(&o), v)
}

fn service<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == name)
        .unwrap_or_else(|| panic!("{name} missing in {v}"))
}

#[test]
fn every_service_of_the_demo_world_has_an_age_and_a_verdict() {
    let e = EmulatorProcess::start(&[]);
    let (exit, v) = rpo(&e, &[]);
    assert_eq!(
        exit, 1,
        "some services are past 24 h or have no backup: {v}"
    );
    let services = v["services"].as_array().unwrap();
    assert_eq!(services.len(), 10, "{v}");
    assert_eq!(v["summary"]["rpo_hours"], 24);
    assert_eq!(v["summary"]["complete"], true);
    assert_eq!(v["summary"]["all_within"], false);

    let weu = service(&v, "apim-contoso-weu");
    assert_eq!(weu["verdict"], "within", "{weu}");
    assert!(weu["age_seconds"].as_i64().unwrap() < 24 * 3600, "{weu}");
    assert_eq!(weu["off_region"], true, "stored in North Europe: {weu}");
    assert!(weu["expires"].is_string());
    assert!(
        weu["backup"]
            .as_str()
            .unwrap()
            .starts_with("stcontosodrneu/apim-backups/apim-contoso-weu/")
    );
    let partners = service(&v, "apim-partners-weu");
    assert_eq!(partners["verdict"], "exceeded", "2.2 days old: {partners}");
    let dev = service(&v, "apim-dev-weu");
    assert_eq!(dev["off_region"], false, "stored in West Europe: {dev}");
    // Its only backup expired: nothing Azure would restore.
    let stage = service(&v, "apim-contoso-stage-eus");
    assert_eq!(stage["verdict"], "no_backup", "{stage}");
    assert!(stage["backup"].is_null());
    let cons = service(&v, "apim-mobile-cons");
    assert_eq!(cons["verdict"], "not_applicable");
    assert!(cons["reason"].as_str().unwrap().contains("Consumption"));
    assert_eq!(service(&v, "apim-edge-v2-neu")["verdict"], "not_applicable");

    let o = e.run(&["rpo"]);
    let text = stdout(&o);
    let dev_line = text
        .lines()
        .find(|l| l.starts_with("apim-dev-weu"))
        .unwrap();
    assert!(dev_line.contains("⚠ same region"), "{text}");
    assert!(
        text.contains("1 of 10 services within the 24 h RPO"),
        "{text}"
    );
}

#[test]
fn within_the_objective_exits_zero_and_the_objective_is_range_checked() {
    let e = EmulatorProcess::start(&[]);
    // Production's services: backups 0.3, 2.2 and 3.1 days old (stored in the DR and the
    // production subscriptions), and a Consumption service.
    let (exit, v) = rpo(&e, &["--subscription", PROD, "--rpo-hours", "96"]);
    assert_eq!(exit, 0, "{v}");
    assert_eq!(v["summary"]["all_within"], true);
    assert_eq!(v["summary"]["not_applicable"], 1);
    assert_eq!(v["summary"]["services"], 4);

    let config = e.dirs.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "rpo_hours = 96\n").unwrap();
    let (exit, _) = rpo(&e, &["--subscription", PROD]);
    assert_eq!(exit, 0, "the objective from config.toml");
    let (exit, _) = rpo(&e, &["--subscription", PROD, "--rpo-hours", "24"]);
    assert_eq!(exit, 1, "the flag wins over the file");

    let o = e.run(&["rpo", "--rpo-hours", "0"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("from 1 to 720"), "{}", stderr(&o));
    std::fs::write(config.join("config.toml"), "rpo_hours = 1000\n").unwrap();
    let o = e.run(&["rpo"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("rpo_hours in"), "{}", stderr(&o));
}
