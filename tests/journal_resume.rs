//! Kill tests: the binary is killed with SIGKILL at several points of a restore (during the
//! preparation, with the POST in flight, right after the 202, mid-poll), in the CLI and in
//! the TUI, then started again. Every operation is watched to its end from the journal, and
//! the emulator accepts exactly one POST per operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::cli::{EmulatorProcess, code, restore_to_standby, started_operation_id, stdout};
use common::emu;
use common::pty::Tui;
use serde_json::Value;

/// Starts `restore --yes` and returns the child with a channel of its stdout lines.
fn start_restore(e: &EmulatorProcess, backup: &str) -> (Child, mpsc::Receiver<String>) {
    let args = restore_to_standby(backup, &["--poll-interval", "1"]);
    let mut child = e
        .cmd(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Reads lines until one contains `needle`; returns every line read.
fn read_until(rx: &mpsc::Receiver<String>, needle: &str) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => {
                let done = line.contains(needle);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(e) => panic!("no {needle:?} ({e}); lines so far: {seen:?}"),
        }
    }
}

fn kill9(child: &mut Child) {
    let status = std::process::Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
}

fn accepted_restores(e: &EmulatorProcess) -> u64 {
    e.state()["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "restore")
        .map(|p| p["accepted"].as_u64().unwrap())
        .sum()
}

fn target_apis(e: &EmulatorProcess) -> usize {
    e.state()["services"][emu::standby_neu()]["apis"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn cli_killed_after_the_202_or_mid_poll_is_watched_to_the_end_on_restart() {
    // A poll that says nothing new prints no line: mid-poll is the first `running` line and
    // two more poll intervals.
    for (point, needle, then) in [
        ("right after the 202", "accepted by Azure", Duration::ZERO),
        ("mid-poll", "running (", Duration::from_secs(2)),
    ] {
        // Restores take 30 min / 300 = 6 s.
        let e = EmulatorProcess::start(&["--speed", "300", "--retry-after", "off"]);
        let backup = e.fresh_standard_backup();
        let (mut child, rx) = start_restore(&e, &backup);
        let lines = read_until(&rx, needle);
        std::thread::sleep(then);
        kill9(&mut child);
        let id = started_operation_id(&lines.join("\n"));

        let o = e.run(&["operations", "-o", "json"]);
        let ops: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(ops.len(), 1, "{point}");
        assert_eq!(
            ops[0]["stage"], "running",
            "{point}: the journal knows where to watch it"
        );

        let o = e.run(&["operations", "watch", &id, "--poll-interval", "1"]);
        assert_eq!(code(&o), 0, "{point}: {}", stdout(&o));
        assert!(
            stdout(&o).trim_end().ends_with("succeeded"),
            "{point}: {}",
            stdout(&o)
        );
        assert_eq!(accepted_restores(&e), 1, "{point}: exactly one POST");
        assert_eq!(target_apis(&e), 14, "{point}");
    }
}

#[test]
fn cli_killed_before_or_during_the_post_never_sends_twice() {
    // Killed while reading the storage key: nothing was journaled, nothing sent.
    let e = EmulatorProcess::start(&[
        "--speed",
        "300",
        "--retry-after",
        "off",
        "--faults",
        "slow:5@keys*inf",
    ]);
    let backup = e.fresh_standard_backup();
    let (mut child, _rx) = start_restore(&e, &backup);
    std::thread::sleep(Duration::from_millis(1500));
    kill9(&mut child);
    let o = e.run(&["operations", "-o", "json"]);
    assert_eq!(stdout(&o).trim(), "[]", "nothing to resume");
    assert!(e.state()["posts"].as_array().unwrap().is_empty());

    // Killed with the POST in flight: the intent is journaled, Azure's answer is not.
    let e = EmulatorProcess::start(&[
        "--speed",
        "300",
        "--retry-after",
        "off",
        "--faults",
        "slow:5@restore*1",
    ]);
    let backup = e.fresh_standard_backup();
    let (mut child, rx) = start_restore(&e, &backup);
    let lines = read_until(&rx, "sending the request");
    std::thread::sleep(Duration::from_millis(300));
    kill9(&mut child);
    let id = started_operation_id(&lines.join("\n"));
    let o = e.run(&["operations"]);
    assert!(stdout(&o).contains("may have started"), "{}", stdout(&o));

    // A new restore on the same target is refused until that one is checked.
    let o = e.run(&[
        "restore",
        "--backup",
        &backup,
        "--target",
        &emu::standby_neu(),
        "--yes",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        common::cli::stderr(&o).contains(&format!("operations watch {id}")),
        "{}",
        common::cli::stderr(&o)
    );

    // Checking it looks at the service instead of sending again.
    let o = e.run(&["operations", "watch", &id, "--poll-interval", "1"]);
    let accepted = accepted_restores(&e);
    if accepted == 0 {
        assert_eq!(code(&o), 3, "{}", stdout(&o));
        assert!(
            stdout(&o).contains("whether it started is unknown"),
            "{}",
            stdout(&o)
        );
        // Only an explicit new command sends it.
        let o = e.run(&[
            "restore",
            "--backup",
            &backup,
            "--target",
            &emu::standby_neu(),
            "--yes",
            "--poll-interval",
            "1",
        ]);
        assert_eq!(code(&o), 0, "{}", stdout(&o));
    } else {
        // The service did take it: it was followed to its end without a second POST.
        assert_eq!(accepted, 1);
    }
    assert_eq!(accepted_restores(&e), 1, "exactly one POST accepted");
    assert_eq!(target_apis(&e), 14);
}

#[test]
fn tui_killed_mid_restore_resumes_it_at_the_next_start() {
    let e = EmulatorProcess::start(&["--speed", "150", "--retry-after", "off"]);
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("APIM_DR_ARM_ENDPOINT", e.endpoint.as_str()),
        ("APIM_DR_ACCESS_TOKEN", e.token.as_str()),
    ];
    let mut tui = Tui::spawn(&["--poll-interval", "1"], dir.path(), &env);
    tui.fail_over_contoso_to_north_europe();
    tui.wait_for("restore running", 20);
    tui.wait_for("Polls       2", 20);
    tui.kill9();
    assert_eq!(target_apis(&e), 3, "still running when killed");

    let mut tui = Tui::spawn(&["--poll-interval", "1"], dir.path(), &env);
    tui.wait_for("apim-contoso-weu", 20);
    tui.keys("3");
    let text = tui.wait_for("succeeded", 60);
    assert!(text.contains("apim-contoso-neu"), "{text}");
    assert_eq!(accepted_restores(&e), 1, "exactly one POST");
    assert_eq!(target_apis(&e), 14);
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
}
