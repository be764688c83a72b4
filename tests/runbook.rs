//! `apim-dr runbook` against `apim-dr emulator` in another process: the target given by name is
//! found over loopback, no secret is in the output, and the runbook's own POST and poll
//! commands, run by bash and curl against the emulator, restore the backup.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::emu::{DR, standby_neu};
use serde_json::Value;

/// The emulator's first key of stcontosodrneu, read through ARM listKeys as `az` would.
fn storage_key(e: &EmulatorProcess) -> String {
    let keys = e.call(
        reqwest::Method::POST,
        &format!("/subscriptions/{DR}/resourceGroups/rg-apim-dr-neu/providers/Microsoft.Storage/storageAccounts/stcontosodrneu/listKeys?api-version=2023-05-01"),
    );
    keys["keys"][0]["value"].as_str().unwrap().to_owned()
}

#[test]
fn the_runbook_names_the_target_hides_secrets_and_its_post_and_poll_restore() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let backup = e.fresh_standard_backup();
    let o = e.run(&[
        "runbook",
        "--backup",
        &backup,
        "--target",
        "apim-contoso-neu",
        "-o",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let book: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(book["target"], standby_neu().as_str(), "found by name");
    assert_eq!(book["backup"], backup.as_str());
    let step = |id: &str| -> String {
        book["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no step {id}"))["commands"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let key = storage_key(&e);
    let text = e.run(&["runbook", "--backup", &backup, "--target", &standby_neu()]);
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    for out in [stdout(&o), stdout(&text)] {
        assert!(!out.contains(&key), "the storage key never prints");
        assert!(!out.contains(&e.token), "the token never prints");
    }
    assert!(stdout(&text).contains(&format!("{}/subscriptions/{DR}/", e.endpoint)));

    // The runbook's POST and polls, as an operator would paste them (a 1 s pace for the test).
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "set -euo pipefail\n{}\n{}\n",
        step("post"),
        step("poll").replace("sleep 30", "sleep 1")
    );
    let run = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("TOKEN", &e.token)
        .env("ACCESS_KEY", &key)
        .output()
        .unwrap();
    let said = stdout(&run);
    assert_eq!(code(&run), 0, "{said}{}", stderr(&run));
    assert!(said.contains("operation URL: http://127.0.0.1:"), "{said}");
    assert!(said.contains("HTTP 202"), "{said}");
    assert!(said.contains("HTTP 200"), "{said}");
    let done: Value = serde_json::from_str(said.lines().last().unwrap()).unwrap_or_else(|_| {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("poll.json")).unwrap())
            .unwrap()
    });
    assert_eq!(
        done["properties"]["provisioningState"], "Succeeded",
        "{done}"
    );
    assert_eq!(done["name"], "apim-contoso-neu");
}

#[test]
fn a_bad_backup_or_an_unknown_target_is_refused_as_usage() {
    let e = EmulatorProcess::start(&[]);
    let o = e.run(&[
        "runbook",
        "--backup",
        "no-slashes",
        "--target",
        "apim-contoso-neu",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = e.run(&[
        "runbook",
        "--backup",
        "stcontosodrneu/apim-backups/x.apimbackup",
        "--target",
        "apim-contoso-neux",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("apim-contoso-neu"),
        "did you mean: {}",
        stderr(&o)
    );
}
