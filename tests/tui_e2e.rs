//! The real binary `apim-dr demo` in a pseudo-terminal, driven by keys through a whole
//! failover of apim-contoso-weu (West Europe) into apim-contoso-neu (North Europe). The
//! test then reads the emulator's state file and checks the target holds the source's
//! configuration, and that quitting restores the terminal and exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::pty::Tui;

#[test]
fn a_newcomer_fails_over_with_the_keys_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("world.json");
    let state = state_file.to_str().unwrap();
    let mut tui = Tui::spawn(
        &[
            "demo",
            "--speed",
            "1500",
            "--latency",
            "0",
            "--state-file",
            state,
        ],
        dir.path(),
        &[],
    );

    let text = tui.wait_for("apim-contoso-weu", 20);
    assert!(
        text.contains("f failover"),
        "the hint a newcomer follows: {text}"
    );
    // Esc backs out of the wizard step by step.
    tui.wait_for("Last backup", 10);
    tui.keys("f\r");
    tui.wait_for("step 2 of 6", 10);
    tui.keys("\x1b");
    tui.wait_for("step 1 of 6", 10);
    tui.keys("\x1b");
    tui.wait_for("f failover", 10);
    tui.fail_over_contoso_to_north_europe();
    let text = tui.wait_for("succeeded", 60);
    assert!(text.contains("apim-contoso-neu"), "{text}");
    // The restore's last word on screen is its verification (issue 12): the restored
    // standby serves, with the backup's counts.
    tui.wait_for("verified: the target serves (5 checks passed)", 10);

    // The emulator's world: the standby now holds the source's configuration.
    let world: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    let target = world["services"]
        .as_object()
        .unwrap()
        .values()
        .find(|s| s["name"] == "apim-contoso-neu")
        .unwrap();
    assert_eq!(target["apis"].as_array().unwrap().len(), 14, "{target}");
    assert!(
        target["restored_from"]["blob"]
            .as_str()
            .unwrap()
            .starts_with("apim-contoso-weu/"),
        "{target}"
    );
    let posts = world["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1, "exactly one restore POST: {posts:?}");

    tui.keys("q");
    assert!(tui.wait_exit(10).success());
}

#[test]
fn survives_resizes_and_ctrl_c_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(&["demo", "--latency", "0"], dir.path(), &[]);
    tui.wait_for("Last backup", 20);
    assert!(tui.alternate_screen());
    tui.resize(24, 80);
    // The hints were cut off with the old bottom rows: seeing them again means it redrew at 80×24,
    // on the new last line.
    let text = tui.wait_for("f failover", 10);
    let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap();
    assert!(last.contains("f failover"), "{text}");
    tui.resize(30, 100);
    tui.wait_for("apim-contoso-weu", 10);
    // Ctrl-C with nothing running quits at once and leaves the terminal as it found it.
    tui.keys("\x03");
    assert!(tui.wait_exit(10).success());
    assert!(!tui.alternate_screen(), "the alternate screen was left");
}

#[test]
fn a_pasted_name_does_not_confirm_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(&["demo", "--latency", "0"], dir.path(), &[]);
    tui.wait_for("Last backup", 20);
    assert!(
        tui.bracketed_paste(),
        "bracketed paste is on, so a paste is one event, not key presses"
    );
    tui.wait_for("apim-contoso-weu", 20);
    tui.keys("f");
    tui.wait_for("step 1 of 6", 10);
    tui.keys("\r");
    tui.wait_for("step 2 of 6", 10);
    tui.keys("j\r");
    tui.wait_for("Pick the service to overwrite in North Europe", 10);
    tui.keys("\r");
    tui.wait_for("Target is idle", 20);
    tui.keys("\r");
    tui.wait_for("does not carry", 10);
    tui.keys("\r");
    tui.wait_for("Type apim-contoso-neu to confirm", 10);
    tui.paste("apim-contoso-neu");
    tui.wait_for("pasted text is not accepted here", 10);
    tui.keys("\r");
    let text = tui.wait_for(
        "'' does not match apim-contoso-neu: nothing was started",
        10,
    );
    assert!(!text.contains("restore into"), "{text}");
    // Esc out of the wizard, quit: the terminal no longer expects bracketed paste.
    for _ in 0..6 {
        tui.keys("\x1b");
    }
    tui.wait_for("f failover", 10);
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
    assert!(!tui.bracketed_paste(), "bracketed paste was left on");
    assert!(!tui.alternate_screen(), "the alternate screen was left");
}

#[test]
fn sigterm_with_the_help_open_ends_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(&["demo", "--latency", "0"], dir.path(), &[]);
    tui.wait_for("Last backup", 20);
    // An overlay open used to swallow the quit and panic on the next turn of the loop.
    tui.keys("?");
    tui.wait_for("esc", 10);
    tui.signal("TERM");
    let status = tui.wait_exit(10);
    assert_eq!(
        status.exit_code(),
        143,
        "SIGTERM ends with 128+15, not a panic"
    );
    assert!(!tui.alternate_screen(), "the alternate screen was left");
    assert!(!tui.bracketed_paste(), "bracketed paste was left on");
}

#[test]
fn sighup_during_a_restore_journals_it_as_detached() {
    let dir = tempfile::tempdir().unwrap();
    // Speed 1: the restore runs for many minutes, so it is live when the terminal goes.
    let mut tui = Tui::spawn(&["demo", "--latency", "0", "--speed", "1"], dir.path(), &[]);
    tui.fail_over_contoso_to_north_europe();
    tui.wait_for("restore into apim-contoso-neu started", 20);
    tui.signal("HUP");
    let status = tui.wait_exit(10);
    assert_eq!(
        status.exit_code(),
        129,
        "SIGHUP ends with 128+1, not a panic"
    );
    let journal =
        std::fs::read_to_string(dir.path().join("data").join("demo").join("journal.jsonl"))
            .unwrap();
    let last = journal.lines().last().unwrap();
    assert!(last.contains("detached"), "{journal}");
    assert_eq!(journal.matches("detached").count(), 1, "{journal}");
}

/// Issue 9, defects 8 and 16 in the real terminal: `:ba` then Enter opens the Backups screen
/// (it was suggested, then refused), and `q` quits from inside the backup wizard.
#[test]
fn a_colon_prefix_is_accepted_and_q_quits_from_a_wizard() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(&["demo", "--latency", "0"], dir.path(), &[]);
    tui.wait_for("Last backup", 20);
    tui.keys(":ba");
    tui.wait_for("backups", 10);
    tui.keys("\r");
    tui.wait_for("storage account(s)", 10);
    tui.keys("1");
    tui.wait_for("Last backup", 10);
    tui.keys("b");
    tui.wait_for("step 1 of 4", 10);
    tui.keys("q");
    assert!(tui.wait_exit(10).success(), "q quits from the wizard");
    assert!(!tui.alternate_screen(), "the alternate screen was left");
}

/// Issue 9: `y` copies the selected service's resource id through the terminal (OSC 52).
#[test]
fn y_copies_the_selected_id_with_an_osc52_escape() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(&["demo", "--latency", "0"], dir.path(), &[]);
    tui.wait_for("Last backup", 20);
    tui.keys("y");
    tui.wait_for("copied the resource id of apim-contoso-weu", 10);
    let raw = tui.raw().to_vec();
    let start = b"\x1b]52;c;";
    let at = raw
        .windows(start.len())
        .position(|w| w == start)
        .expect("an OSC 52 escape");
    let rest = &raw[at + start.len()..];
    let end = rest.iter().position(|&b| b == 0x07).expect("ended by BEL");
    let text = base64::engine::general_purpose::STANDARD
        .decode(&rest[..end])
        .unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.starts_with("/subscriptions/")
            && text.ends_with("/providers/Microsoft.ApiManagement/service/apim-contoso-weu"),
        "{text}"
    );
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
}

/// Issue 10, start-up from cache: a finished walk is kept per ARM endpoint; the next start's
/// first frame draws it, marked as the cache's with its age, before the slow emulator has
/// answered anything, and the refresh replaces it.
#[test]
fn the_next_start_draws_the_last_inventory_from_the_cache_at_once() {
    let e = common::cli::EmulatorProcess::start(&["--latency", "400"]);
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("APIM_DR_ARM_ENDPOINT", e.endpoint.as_str()),
        ("APIM_DR_ACCESS_TOKEN", e.token.as_str()),
    ];
    let cache_dir = dir.path().join("cache/apim-dr");
    let mut tui = Tui::spawn(&[], dir.path(), &env);
    let text = tui.wait_for("Last backup", 30);
    assert!(!text.contains("from cache"), "nothing cached yet: {text}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let written = || {
        std::fs::read_dir(&cache_dir).is_ok_and(|mut d| {
            d.any(|f| f.is_ok_and(|f| f.file_name().to_string_lossy().ends_with(".json")))
        })
    };
    while !written() {
        assert!(std::time::Instant::now() < deadline, "no cache written");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    tui.keys("q");
    assert!(tui.wait_exit(10).success());

    let mut tui = Tui::spawn(&[], dir.path(), &env);
    let first = tui.wait_for("from cache", 10);
    assert!(first.contains("apim-contoso-weu"), "{first}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while tui.text().contains("from cache") {
        assert!(
            std::time::Instant::now() < deadline,
            "the cache mark stayed"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(tui.text().contains("apim-contoso-weu"));
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
}
