//! `apim-dr drill` (issue 12): backup → restore into the standby → verification, traffic
//! untouched, over loopback against the emulator process; refused without `--yes`, in
//! read-only mode, and into the service itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};

const DRILL: [&str; 9] = [
    "drill",
    "--service",
    "apim-contoso-weu",
    "--to",
    "apim-contoso-neu",
    "--account",
    "stcontosodrneu",
    "--container",
    "apim-drills",
];

fn posts(emu: &EmulatorProcess) -> usize {
    emu.state()["operations"].as_array().unwrap().len()
}

#[test]
fn a_drill_backs_up_restores_and_verifies() {
    let emu = EmulatorProcess::start(&["--speed", "6000", "--retry-after", "off"]);
    let o = emu.run(&DRILL);
    assert_eq!(code(&o), 2, "no --yes: {}", stderr(&o));
    assert!(stderr(&o).contains("add --yes"), "{}", stderr(&o));
    let o = emu.run(&[&DRILL[..], &["--yes", "--read-only"]].concat());
    assert_eq!(code(&o), 2, "read-only: {}", stderr(&o));
    let mut itself = DRILL;
    itself[4] = "apim-contoso-weu";
    let o = emu.run(&[&itself[..], &["--yes"]].concat());
    assert_eq!(code(&o), 2, "into itself: {}", stderr(&o));
    assert!(stderr(&o).contains("never into the service it backs up"));
    assert_eq!(posts(&emu), 0, "a refused drill sends nothing");

    let o = emu.run(&[&DRILL[..], &["--yes", "-o", "json", "--poll-interval", "1"]].concat());
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let last = stdout(&o).lines().last().unwrap().to_owned();
    let v: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(v["drill"]["verified"], true, "{v}");
    let blob = v["drill"]["backup"].as_str().unwrap();
    assert!(
        blob.starts_with("stcontosodrneu/apim-drills/apim-contoso-weu/"),
        "{blob}"
    );
    // One backup of the source, one restore into the standby, both in the journal.
    let state = emu.state();
    let kinds: Vec<(&str, &str)> = state["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["kind"].as_str().unwrap(),
                o["service_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(kinds[0].0 == "backup" && kinds[0].1.ends_with("apim-contoso-weu"));
    assert!(kinds[1].0 == "restore" && kinds[1].1.ends_with("apim-contoso-neu"));
    let ops = emu.run(&["operations", "-o", "json"]);
    let ops: Vec<serde_json::Value> = serde_json::from_str(&stdout(&ops)).unwrap();
    assert_eq!(ops.len(), 2);
    assert!(ops.iter().all(|o| o["outcome"] == "succeeded"), "{ops:?}");
}
