//! Estimates end to end against `apim-dr emulator` in another process: with no history a
//! restore says Microsoft's typical duration, labelled as such; once one restore of the service
//! is journaled, the next takes its estimate from it; `operations` shows the time left of an
//! unfinished one, and none for a finished one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, restore_to_standby, stderr, stdout};
use serde_json::Value;

fn started_event(out: &str) -> Value {
    out.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["event"] == "started")
        .unwrap_or_else(|| panic!("no started event in {out}"))
}

#[test]
fn estimates_come_from_microsoft_then_from_the_journal() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let backup = e.fresh_standard_backup();
    let args = restore_to_standby(&backup, &["--poll-interval", "1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    let o = e.run(&args);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let first = stdout(&o);
    let start = first
        .lines()
        .find(|l| l.contains("started as operation"))
        .unwrap();
    assert!(
        start.contains("typically 30 min or more (typical, Microsoft), ETA 20"),
        "{start}"
    );

    let mut json_args = args.clone();
    json_args.extend(["-o", "json"]);
    let o = e.run(&json_args);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let est = &started_event(&stdout(&o))["estimate"];
    assert_eq!(est["basis"], "same_service", "{est}");
    assert_eq!(est["samples"], 1, "the first restore, journaled");
    assert!(est["typical_secs"].as_i64().unwrap() < 1800, "{est}");
    assert!(
        est["basis_text"]
            .as_str()
            .unwrap()
            .contains("past restore of this service")
    );

    let ops = e.run(&["operations", "-o", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&stdout(&ops)).unwrap();
    assert!(
        rows.iter().all(|r| r["estimate"].is_null()),
        "finished: no estimate"
    );
}

#[test]
fn operations_show_the_time_left_of_an_unfinished_one() {
    // Slow enough that the restore still runs when `operations` reads the journal.
    let e = EmulatorProcess::start(&["--retry-after", "off"]);
    let backup = e.fresh_standard_backup();
    let args = restore_to_standby(&backup, &["--no-wait"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = e.run(&args);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let ops = e.run(&["operations", "-o", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&stdout(&ops)).unwrap();
    let live = rows.iter().find(|r| r["outcome"].is_null()).unwrap();
    let est = &live["estimate"];
    assert_eq!(est["basis"], "microsoft", "{est}");
    assert!(est["remaining_secs"].as_i64().unwrap() > 1700, "{est}");
    let text = stdout(&e.run(&["operations"]));
    assert!(text.contains("min left (typical, Microsoft)"), "{text}");
}
