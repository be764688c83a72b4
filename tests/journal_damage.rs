//! The journal never blocks a failover: a journal with invalid UTF-8 in the middle (garbage)
//! and at the end (a record torn inside a multi-byte character) still lets `restore` run,
//! `operations` lists every good operation and says which lines it skipped, and `doctor`
//! reports them. The real binary against `apim-dr emulator`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::Path;

use common::cli::{EmulatorProcess, code, restore_to_standby, stderr, stdout};
use common::pty::Tui;
use serde_json::Value;

fn append(journal: &Path, bytes: &[u8]) {
    std::fs::OpenOptions::new()
        .append(true)
        .open(journal)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

fn restore(e: &EmulatorProcess, backup: &str) {
    let args = restore_to_standby(backup, &["--poll-interval", "1"]);
    let o = e.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).trim_end().ends_with("succeeded"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn invalid_bytes_in_the_journal_are_skipped_reported_and_never_block() {
    let e = EmulatorProcess::start(&["--speed", "300", "--retry-after", "off"]);
    let backup = e.fresh_standard_backup();
    let journal = e.dirs.path().join("data/journal.jsonl");

    restore(&e, &backup);
    let good_lines = std::fs::read_to_string(&journal).unwrap().lines().count();
    // Garbage in the middle: a failover must still start.
    append(&journal, b"\xff\xfe\x00 not a record \x80\n");
    restore(&e, &backup);
    // A record torn inside the 3-byte '\u{20ac}' at the very end (no newline): a kill mid-write.
    append(
        &journal,
        b"{\"id\":\"20261126T120000Z-torn01\",\"blob\":\"stdr/c/\xe2\x82",
    );
    let garbage = good_lines + 1;
    let torn = std::fs::read(&journal)
        .unwrap()
        .split(|b| *b == b'\n')
        .count();

    let o = e.run(&["operations"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let table = stdout(&o);
    assert_eq!(
        table.lines().filter(|l| l.contains("succeeded")).count(),
        2,
        "both operations are listed:\n{table}"
    );
    let warning = stderr(&o);
    assert!(
        warning.contains(&format!("2 unreadable lines ({garbage}, {torn})")),
        "says how many and where:\n{warning}"
    );
    assert!(warning.contains("not valid UTF-8"), "{warning}");
    assert!(
        warning.contains("operation 20261126T120000Z-torn01"),
        "names the operation of the torn line:\n{warning}"
    );

    // JSON: stdout stays one parsable array; the warning goes to stderr.
    let o = e.run(&["operations", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ops: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(ops.len(), 2);
    let warning: Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert!(
        warning["warning"]
            .as_str()
            .unwrap()
            .contains("2 unreadable lines")
    );

    let o = e.run(&["doctor"]);
    let report = stdout(&o);
    let line = report
        .lines()
        .find(|l| l.contains("Journal:"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(line.contains("2 unreadable lines"), "{line}");
    assert!(
        !line.contains('✖'),
        "damage is a warning, not a block: {line}"
    );

    // And the next failover still starts, with nothing lost.
    restore(&e, &backup);
    let o = e.run(&["operations", "-o", "json"]);
    let ops: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(ops.len(), 3);
    assert!(ops.iter().all(|o| o["stage"] == "finished"));
}

#[test]
fn the_tui_says_at_start_which_journal_lines_it_skipped() {
    let e = EmulatorProcess::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/journal.jsonl"),
        b"\xff\xfe\x00 not a record \x80\n",
    )
    .unwrap();
    let env = [
        ("APIM_DR_ARM_ENDPOINT", e.endpoint.as_str()),
        ("APIM_DR_ACCESS_TOKEN", e.token.as_str()),
    ];
    let mut tui = Tui::spawn(&[], dir.path(), &env);
    tui.wait_for(
        "has 1 unreadable line (1), skipped; every other record was read",
        20,
    );
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
}
