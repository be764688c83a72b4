//! `apim-dr prune --expired` end to end against `apim-dr emulator` in another process: the
//! expired backups of the demo world listed first and kept without `--yes` (exit 2), spared by
//! `--keep`, refused in read-only mode, then deleted through Blob DELETE.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};
use serde_json::Value;

fn expired_names(e: &EmulatorProcess) -> Vec<String> {
    let o = e.run(&["backups", "-o", "json"]);
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    list.iter()
        .filter(|b| b["expired"] == true)
        .map(|b| b["backup"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn expired_backups_are_listed_first_and_deleted_only_with_yes() {
    let e = EmulatorProcess::start(&[]);
    let expired = expired_names(&e);
    assert_eq!(expired.len(), 2, "{expired:?}");

    let o = e.run(&["prune", "--expired"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    let o = e.run(&["prune", "--expired", "-o", "json"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["refused"]["summary"].as_str().unwrap().contains("--yes"),
        "{v}"
    );
    let listed = v["backups"].as_array().unwrap();
    let mut names: Vec<String> = listed
        .iter()
        .map(|l| l["backup"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    let mut want = expired.clone();
    want.sort();
    assert_eq!(names, want);
    assert!(listed.iter().all(|l| l["status"] == "listed"));
    assert_eq!(expired_names(&e).len(), 2, "nothing deleted without --yes");

    let o = e.run(&["--read-only", "prune", "--expired", "--yes"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));

    // Each service's newest 10 stay: every expired one here is among them.
    let o = e.run(&["prune", "--expired", "--keep", "10", "--yes"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("no expired backups"), "{}", stdout(&o));

    let o = e.run(&["prune", "--expired", "--yes", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["refused"].is_null());
    let done = v["backups"].as_array().unwrap();
    assert_eq!(done.len(), 2);
    assert!(done.iter().all(|l| l["status"] == "deleted"), "{done:?}");
    assert!(expired_names(&e).is_empty(), "Blob DELETE removed them");
    let o = e.run(&["prune", "--expired"]);
    assert_eq!(code(&o), 0, "nothing left to list");
}
