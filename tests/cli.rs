//! The binary end to end against `apim-dr emulator` in another process: listings in text and
//! JSON, pre-flight verdicts, backup, restore (refused without `--yes`), the journal, exit
//! codes, read-only mode, bad input, and the `--help` text (snapshotted).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{BIN, EmulatorProcess, code, stderr, stdout};
use common::emu::{self, DR, PROD};
use serde_json::Value;

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

fn backups(e: &EmulatorProcess) -> Vec<Value> {
    let o = e.run(&["backups", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    json(&o).as_array().unwrap().clone()
}

fn find_backup(list: &[Value], pred: impl Fn(&Value) -> bool) -> String {
    list.iter().find(|b| pred(b)).unwrap()["backup"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn services_and_backups_list_the_demo_world_in_stable_json() {
    let e = EmulatorProcess::start(&["--page-size", "3"]);
    let o = e.run(&["services", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let services = json(&o);
    let services = services.as_array().unwrap();
    assert_eq!(services.len(), 10);
    for s in services {
        for field in [
            "id",
            "name",
            "subscription_id",
            "resource_group",
            "location",
            "sku",
            "capacity",
            "provisioning_state",
            "gateway_url",
        ] {
            assert!(s.get(field).is_some(), "{field} missing in {s}");
        }
    }
    let weu = services
        .iter()
        .find(|s| s["name"] == "apim-contoso-weu")
        .unwrap();
    assert_eq!(weu["sku"], "Standard");
    assert_eq!(weu["capacity"], 2);
    assert_eq!(weu["subscription_id"], PROD);

    let list = backups(&e);
    assert!(list.len() >= 10, "{}", list.len());
    for b in &list {
        for field in [
            "account",
            "container",
            "name",
            "created",
            "size_bytes",
            "source_service",
            "source_sku",
            "source_location",
            "expires",
            "expired",
        ] {
            assert!(b.get(field).is_some(), "{field} missing in {b}");
        }
    }
    assert!(list.iter().any(|b| b["expired"] == true));
    assert!(
        list.iter().any(|b| b["source_sku"].is_null()),
        "the blob without catalog metadata"
    );

    // `--container` without `--account` filters: stcontosodevtest has no apim-backups.
    let o = e.run(&["backups", "--container", "apim-backups", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let only = json(&o);
    let only = only.as_array().unwrap();
    assert!(only.iter().all(|b| b["container"] == "apim-backups"));
    assert_eq!(
        only.len(),
        list.iter()
            .filter(|b| b["container"] == "apim-backups")
            .count()
    );
    let o = e.run(&["backups", "--container", "nowhere", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o), serde_json::json!([]));
    assert!(stderr(&o).contains("no storage account you can see has a container named nowhere"));

    let o = e.run(&["services", "--subscription", DR]);
    assert_eq!(code(&o), 0);
    let text = stdout(&o);
    assert!(text.starts_with("NAME"), "{text}");
    assert!(
        text.contains("apim-edge-v2-neu") && text.contains("(no backup/restore)"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 5);

    let o = e.run(&["subscriptions"]);
    assert!(stdout(&o).contains("Contoso DR Standby"));
}

#[test]
fn preflight_exit_codes_follow_the_verdict() {
    let e = EmulatorProcess::start(&[]);
    let list = backups(&e);
    let fresh = find_backup(&list, |b| {
        b["source_sku"] == "Standard" && b["expired"] == false && b["account"] == "stcontosodrneu"
    });
    let expired = find_backup(&list, |b| {
        b["source_sku"] == "Standard" && b["expired"] == true && b["account"] == "stcontosodrneu"
    });

    let o = e.run(&[
        "preflight",
        "--backup",
        &fresh,
        "--target",
        &emu::standby_neu(),
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("verdict: allowed"));

    let o = e.run(&[
        "preflight",
        "--backup",
        &expired,
        "--target",
        &emu::standby_neu(),
        "-o",
        "json",
    ]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    assert_eq!(v["allowed"], false);
    assert_eq!(v["verdict"], "fail");
    assert!(v["checks"].as_array().unwrap().iter().any(|c| {
        c["status"] == "fail"
            && c["reason"]
                .as_str()
                .unwrap()
                .starts_with("Cannot restore: backup expired")
    }));

    let o = e.run(&[
        "preflight",
        "--backup",
        &fresh,
        "--target",
        "/subscriptions/x/apim",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("invalid service id"), "{}", stderr(&o));
}

#[test]
fn backup_then_restore_with_yes_replaces_the_targets_configuration() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let blob = "cli-test/one.apimbackup";
    let o = e.backup_source_weu(blob);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("succeeded"), "{}", stdout(&o));
    check_text_progress(&stdout(&o));
    // The correlation id support asks for, next to the request id.
    assert!(
        stdout(&o).contains("); correlation id ")
            && stdout(&o).contains("accepted by Azure (request id "),
        "{}",
        stdout(&o)
    );

    // The backup now carries catalog metadata, so pre-flight knows its tier.
    let list = backups(&e);
    let mine = list.iter().find(|b| b["name"] == blob).unwrap();
    assert_eq!(mine["source_sku"], "Standard");
    assert_eq!(mine["source_location"], "West Europe");

    let backup = format!("stcontosodrneu/apim-backups/{blob}");
    let o = e.run(&[
        "restore",
        "--backup",
        &backup,
        "--target",
        &emu::standby_neu(),
    ]);
    assert_eq!(code(&o), 2, "refused without --yes");
    assert!(stderr(&o).contains("--yes"));
    assert_eq!(
        e.state()["services"][emu::standby_neu()]["apis"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "nothing was sent"
    );

    let o = e.run(&[
        "restore",
        "--backup",
        &backup,
        "--target",
        &emu::standby_neu(),
        "--yes",
        "-o",
        "json",
        "--poll-interval",
        "1",
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let events: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.first().unwrap()["event"], "started");
    for ev in &events {
        assert!(utc_to_the_second(&ev["at"]), "{ev}");
    }
    let correlation = events[0]["correlation_id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&correlation).is_ok(), "{correlation}");
    let accepted = events.iter().find(|e| e["event"] == "accepted").unwrap();
    assert_eq!(accepted["correlation_id"], correlation.as_str());
    assert!(accepted["request_id"].is_string());
    assert_eq!(events.last().unwrap()["event"], "finished");
    assert_eq!(events.last().unwrap()["outcome"]["result"], "succeeded");

    let state = e.state();
    let target = &state["services"][emu::standby_neu()];
    assert_eq!(target["apis"].as_array().unwrap().len(), 14, "{target}");
    assert_eq!(target["restored_from"]["blob"], blob);

    // The journal has both, finished.
    let o = e.run(&["operations", "-o", "json"]);
    let ops = json(&o);
    assert_eq!(ops.as_array().unwrap().len(), 2);
    // Newest first, flat, with `id` at the top level.
    assert_eq!(ops[0]["kind"], "restore");
    assert_eq!(ops[0]["correlation_id"], correlation.as_str());
    assert_eq!(ops[0]["id"], events[0]["id"]);
    check_finished_rows(&ops, &e);
}

/// Flat rows, finished, stamped to the second, no running status next to an outcome; the
/// text table has a duration.
fn check_finished_rows(ops: &Value, e: &EmulatorProcess) {
    for op in ops.as_array().unwrap() {
        assert_eq!(op["stage"], "finished");
        assert_eq!(op["outcome"], "succeeded");
        assert!(op["last_status"].is_null(), "{op}");
        assert!(utc_to_the_second(&op["started"]) && utc_to_the_second(&op["finished"]));
        assert!(op["duration_secs"].is_u64(), "{op}");
    }
    let o = e.run(&["operations"]);
    let text = stdout(&o);
    assert!(text.lines().next().unwrap().contains("DURATION"), "{text}");
    for line in text.lines().skip(1) {
        let started = line.split_whitespace().nth(4).unwrap();
        assert!(utc_to_the_second(&Value::from(started)), "{text}");
        assert!(line.ends_with("succeeded"), "{text}");
    }
}

/// Each progress line starts with the time since the start, and a poll that says nothing new
/// is not printed again.
fn check_text_progress(printed: &str) {
    let progress: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| l.split_once("] ").unwrap().1)
        .collect();
    assert!(progress.len() >= 3, "{printed}");
    let running: Vec<&str> = progress
        .iter()
        .filter(|l| l.starts_with("running"))
        .map(|l| l.split(';').next().unwrap())
        .collect();
    assert!(
        running.windows(2).all(|w| w[0] != w[1]),
        "one line per poll: {printed}"
    );
}

/// An RFC 3339 UTC stamp to the second: `2026-11-26T12:03:09Z`, no fraction.
fn utc_to_the_second(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    s.len() == 20
        && s.ends_with('Z')
        && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

#[test]
fn tier_mismatch_and_expired_backups_exit_1_with_azures_words() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let list = backups(&e);
    let premium = find_backup(&list, |b| b["source_sku"] == "Premium");
    let o = e.run(&[
        "restore",
        "--backup",
        &premium,
        "--target",
        &emu::standby_neu(),
        "--yes",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'"),
        "{}",
        stderr(&o)
    );

    let expired = find_backup(&list, |b| {
        b["expired"] == true && b["account"] == "stcontosodrneu"
    });
    let o = e.run(&[
        "restore",
        "--backup",
        &expired,
        "--target",
        &emu::standby_neu(),
        "--yes",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("Cannot restore: backup expired"),
        "{}",
        stderr(&o)
    );

    // The blob without catalog metadata passes pre-flight with a warning; Azure refuses it while polling.
    let unknown = find_backup(&list, |b| b["source_sku"].is_null());
    let o = e.run(&[
        "restore",
        "--backup",
        &unknown,
        "--target",
        &emu::standby_neu(),
        "--yes",
        "--poll-interval",
        "1",
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains(
            "RestoreFailed: Cannot restore: current SKU is 'Standard', backup SKU is 'Basic'"
        ),
        "{}",
        stdout(&o)
    );
    let posts = e.state()["posts"].as_array().unwrap().clone();
    assert_eq!(
        posts.len(),
        1,
        "only the unknown-tier restore was sent: {posts:?}"
    );
}

#[test]
fn no_wait_then_operations_watch_follows_it_to_the_end() {
    let e = EmulatorProcess::start(&["--speed", "600", "--retry-after", "off"]);
    let o = e.run(&[
        "backup",
        "--service",
        &emu::source_weu(),
        "--account",
        "stcontosodrneu",
        "--container",
        "apim-backups",
        "--no-wait",
        "-o",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let first: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    let id = first["id"].as_str().unwrap().to_owned();
    let o = e.run(&["operations"]);
    assert!(
        stdout(&o).contains(&id) && stdout(&o).contains("running in Azure (not watched)"),
        "{}",
        stdout(&o)
    );
    let o = e.run(&["operations", "watch", &id[..12], "--poll-interval", "1"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).trim_end().ends_with("succeeded"),
        "{}",
        stdout(&o)
    );
    let o = e.run(&["operations", "watch", "nope"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn read_only_refuses_changes_with_exit_2() {
    let e = EmulatorProcess::start(&[]);
    let list = backups(&e);
    let fresh = find_backup(&list, |b| {
        b["source_sku"] == "Standard" && b["expired"] == false
    });
    let o = e.run(&[
        "--read-only",
        "restore",
        "--backup",
        &fresh,
        "--target",
        &emu::standby_neu(),
        "--yes",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    let o = e.run(&[
        "backup",
        "--read-only",
        "--service",
        &emu::source_weu(),
        "--account",
        "stcontosodrneu",
        "--container",
        "apim-backups",
    ]);
    assert_eq!(code(&o), 2);
    assert!(e.state()["posts"].as_array().unwrap().is_empty());
    // Reading still works.
    assert_eq!(code(&e.run(&["--read-only", "services"])), 0);
}

#[test]
fn bad_input_gets_one_clear_error_and_exit_2() {
    let e = EmulatorProcess::start(&[]);
    for (args, needle) in [
        (
            vec![
                "backup",
                "--service",
                "apim-contoso/weu",
                "--account",
                "stcontosodrneu",
                "--container",
                "apim-backups",
            ],
            "invalid API Management service name 'apim-contoso/weu'",
        ),
        (
            vec![
                "backup",
                "--service",
                &emu::source_weu(),
                "--account",
                "St_Bad",
                "--container",
                "apim-backups",
            ],
            "invalid storage account name 'St_Bad'",
        ),
        (
            vec![
                "backup",
                "--service",
                &emu::source_weu(),
                "--account",
                "stcontosodrneu",
                "--container",
                "Apim--x",
            ],
            "invalid container name",
        ),
        (
            vec![
                "restore",
                "--backup",
                "only/two",
                "--target",
                &emu::standby_neu(),
                "--yes",
            ],
            "ACCOUNT/CONTAINER/BLOB",
        ),
        (
            vec!["services", "--subscription", "prod"],
            "'prod' is neither a subscription id (GUID) nor the name",
        ),
    ] {
        let o = e.run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let o = std::process::Command::new(BIN)
        .args(["emulator", "--faults", "explode@everything"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = std::process::Command::new(BIN)
        .args(["emulator", "--world", "/nonexistent/world.json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}

#[test]
fn doctor_reports_a_ready_machine() {
    let e = EmulatorProcess::start(&[]);
    let o = e.run(&["doctor"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("✔ Subscriptions: 3 visible"), "{text}");
    assert!(
        text.contains("✔ API Management services: 10 visible"),
        "{text}"
    );
    assert!(!text.contains(&e.token));
    // listKeys is tried on every account that allows Shared Key, not only the first.
    assert!(
        text.contains("✔ Storage keys: listKeys allowed on 3 of 3 accounts"),
        "{text}"
    );
    assert!(!text.contains("Unfinished operations"), "{text}");

    // An operation left running is reported, with how to follow it; the account it wrote to
    // is checked first.
    let o = e.run(&[
        "backup",
        "--service",
        &emu::source_weu(),
        "--account",
        "stcontosodrneu",
        "--container",
        "apim-backups",
        "--no-wait",
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let id = common::cli::started_operation_id(&stdout(&o));
    let o = e.run(&["doctor"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(
        text.contains(&format!(
            "⚠ Unfinished operations: 1 ({id} backup apim-contoso-weu); `apim-dr operations watch ID`"
        )),
        "{text}"
    );
    assert!(
        text.contains("listKeys allowed on 3 of 3 accounts: stcontosodrneu, "),
        "{text}"
    );
}

#[test]
fn help_texts_are_reviewed_like_code() {
    let o = std::process::Command::new(BIN)
        .arg("--help")
        .env_remove("APIM_DR_ARM_ENDPOINT")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    insta::assert_snapshot!("help", stdout(&o));
    let o = std::process::Command::new(BIN)
        .args(["restore", "--help"])
        .output()
        .unwrap();
    insta::assert_snapshot!("help_restore", stdout(&o));
    let o = std::process::Command::new(BIN)
        .args(["runbook", "--help"])
        .output()
        .unwrap();
    insta::assert_snapshot!("help_runbook", stdout(&o));
}

#[test]
fn never_two_operations_on_one_service() {
    let e = EmulatorProcess::start(&["--speed", "20", "--retry-after", "off"]);
    let list = backups(&e);
    let fresh = find_backup(&list, |b| {
        b["source_sku"] == "Standard" && b["expired"] == false && b["account"] == "stcontosodrneu"
    });
    let o = e.run(&[
        "restore",
        "--backup",
        &fresh,
        "--target",
        &emu::standby_neu(),
        "--yes",
        "--no-wait",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The same tool refuses a second one before sending anything.
    let o = e.run(&[
        "restore",
        "--backup",
        &fresh,
        "--target",
        &emu::standby_neu(),
        "--yes",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("already has an unfinished operation"),
        "{}",
        stderr(&o)
    );
    assert_eq!(e.state()["posts"].as_array().unwrap().len(), 1);
    // Another operator (another journal) is stopped by pre-flight: the service is busy.
    let other = tempfile::tempdir().unwrap();
    let o = e
        .cmd_in(
            other.path(),
            &[
                "restore",
                "--backup",
                &fresh,
                "--target",
                &emu::standby_neu(),
                "--yes",
            ],
        )
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("✖ Target is idle: the service is Updating"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        e.state()["posts"].as_array().unwrap().len(),
        1,
        "nothing more was sent"
    );
}

#[test]
fn read_only_in_the_config_file_refuses_changes() {
    let e = EmulatorProcess::start(&[]);
    let config = e.dirs.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "read_only = true\n").unwrap();
    let o = e.run(&[
        "backup",
        "--service",
        &emu::source_weu(),
        "--account",
        "stcontosodrneu",
        "--container",
        "apim-backups",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("read-only"));
    assert!(e.state()["posts"].as_array().unwrap().is_empty());
}
