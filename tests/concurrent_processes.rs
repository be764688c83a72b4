//! Several apim-dr processes on one data dir, against one `apim-dr emulator`: the journal's
//! lock makes "one operation per service" hold across processes. Of two `restore --yes` into
//! one target started together, exactly one POST reaches the emulator and the other process is
//! refused with the first one's operation id; two watchers of one operation write one end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Child, Stdio};

use common::cli::{
    EmulatorProcess, code, restore_to_standby, started_operation_id, stderr, stdout,
};
use common::emu;

/// Rounds of the race; each has its own emulator and data dir.
const ROUNDS: usize = 6;

/// Restore POSTs that reached the emulator for `service`, whatever their answer.
fn restore_posts(e: &EmulatorProcess, service: &str) -> u64 {
    e.state()["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "restore" && p["service_id"] == service)
        .map(|p| p["count"].as_u64().unwrap())
        .sum()
}

fn spawn(e: &EmulatorProcess, data: &Path, args: &[String]) -> Child {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    e.cmd_in(data, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_restores_into_one_target_from_two_processes_send_exactly_one_post() {
    let target = emu::standby_neu();
    for round in 1..=ROUNDS {
        // Latency makes the pre-flight of each process take about a second, so both are past
        // it before either POSTs: what decides is the journal, the thing under test.
        let e = EmulatorProcess::start(&["--speed", "300", "--latency", "300"]);
        let backup = e.fresh_standard_backup();
        let shared = tempfile::tempdir().unwrap();
        let args = restore_to_standby(&backup, &["--no-wait"]);
        let (a, b) = (
            spawn(&e, shared.path(), &args),
            spawn(&e, shared.path(), &args),
        );
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let posts = restore_posts(&e, &target);
        assert_eq!(
            posts,
            1,
            "round {round}: exactly one POST\nA: {}{}\nB: {}{}",
            stdout(&a),
            stderr(&a),
            stdout(&b),
            stderr(&b)
        );
        let (winner, loser) = if code(&a) == 0 { (a, b) } else { (b, a) };
        assert_eq!(code(&winner), 0, "round {round}: {}", stderr(&winner));
        let id = started_operation_id(&stdout(&winner));
        assert_eq!(code(&loser), 1, "round {round}: {}", stderr(&loser));
        assert!(
            stderr(&loser).contains(&format!(
                "apim-dr already has an unfinished operation ({id})"
            )),
            "round {round}: the loser names the winner's operation {id}:\n{}",
            stderr(&loser)
        );
        assert!(
            !stdout(&loser).contains("started as operation"),
            "round {round}"
        );
    }
}

#[test]
fn two_watchers_of_one_operation_journal_one_end() {
    let e = EmulatorProcess::start(&["--speed", "300", "--retry-after", "off"]);
    let backup = e.fresh_standard_backup();
    let shared = tempfile::tempdir().unwrap();
    let started = spawn(
        &e,
        shared.path(),
        &restore_to_standby(&backup, &["--no-wait"]),
    )
    .wait_with_output()
    .unwrap();
    assert_eq!(code(&started), 0, "{}", stderr(&started));
    let id = started_operation_id(&stdout(&started));
    // Two processes follow the same operation to its end, as two TUIs on one journal do.
    let watch = ["operations", "watch", id.as_str(), "--poll-interval", "1"].map(String::from);
    let (a, b) = (
        spawn(&e, shared.path(), &watch),
        spawn(&e, shared.path(), &watch),
    );
    for o in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).trim_end().ends_with("succeeded"),
            "{}",
            stdout(&o)
        );
    }
    let journal = std::fs::read_to_string(shared.path().join("data/journal.jsonl")).unwrap();
    let ends = journal
        .lines()
        .filter(|l| l.contains(&format!("\"id\":\"{id}\"")) && l.contains("\"event\":\"finished\""))
        .count();
    assert_eq!(ends, 1, "one end for one operation:\n{journal}");
}
