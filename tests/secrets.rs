//! Secrets never leak: the demo world's storage keys and the emulator's token are searched
//! for in everything the tool writes — CLI output and errors, the journal, the logs (at trace
//! level), the emulator's state file, the TUI's screens and every committed snapshot: zero hits.
//! Log and journal files are mode 0600.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::cli::EmulatorProcess;
use common::emu;
use common::pty::Tui;

fn demo_keys() -> Vec<String> {
    let world: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/emulator/demo-world.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let keys: Vec<String> = world["storage_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| {
            a["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_owned())
        })
        .collect();
    assert!(keys.len() >= 6, "every demo account has two keys");
    keys
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(
            !text.contains(s.as_str()),
            "{what} leaks a secret ({}…)",
            &s[..6]
        );
        // A key's first half is enough to be a leak too.
        assert!(
            !text.contains(&s[..s.len() / 2]),
            "{what} leaks part of a secret ({}…)",
            &s[..6]
        );
    }
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every command, succeeding and failing, at trace level; returns all it printed.
fn drive_cli(e: &EmulatorProcess) -> String {
    let list = e.run(&["backups", "-o", "json"]);
    let backups: Vec<serde_json::Value> =
        serde_json::from_str(&common::cli::stdout(&list)).unwrap();
    let pick = |pred: &dyn Fn(&serde_json::Value) -> bool| {
        backups.iter().find(|b| pred(b)).unwrap()["backup"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let fresh = pick(&|b| {
        b["source_sku"] == "Standard" && b["expired"] == false && b["account"] == "stcontosodrneu"
    });
    let premium = pick(&|b| b["source_sku"] == "Premium");
    let unknown = pick(&|b| b["source_sku"].is_null());
    let (source, standby) = (emu::source_weu(), emu::standby_neu());
    let runs = [
        vec!["services", "-o", "json"],
        vec!["services"],
        vec!["doctor"],
        vec!["doctor", "-o", "json"],
        vec![
            "preflight",
            "--backup",
            &fresh,
            "--target",
            &standby,
            "-o",
            "json",
        ],
        vec![
            "backup",
            "--service",
            &source,
            "--account",
            "stcontosodrneu",
            "--container",
            "apim-backups",
            "--poll-interval",
            "1",
        ],
        vec![
            "backup",
            "--service",
            &source,
            "--account",
            "stcontosoprodweu",
            "--container",
            "apim-backups",
            "--poll-interval",
            "1",
        ],
        vec![
            "restore",
            "--backup",
            &fresh,
            "--target",
            &standby,
            "--yes",
            "-o",
            "json",
            "--poll-interval",
            "1",
        ],
        vec![
            "restore", "--backup", &premium, "--target", &standby, "--yes",
        ],
        vec![
            "restore",
            "--backup",
            &unknown,
            "--target",
            &standby,
            "--yes",
            "--poll-interval",
            "1",
        ],
        vec!["operations", "-o", "json"],
    ];
    let mut outputs = String::from_utf8_lossy(&list.stdout).into_owned();
    for args in &runs {
        let o = e.cmd(args).env("APIM_DR_LOG", "trace").output().unwrap();
        outputs.push_str(&String::from_utf8_lossy(&o.stdout));
        outputs.push_str(&String::from_utf8_lossy(&o.stderr));
    }
    // A wrong token: the error must not echo it either.
    let o = e
        .cmd(&["services"])
        .env("APIM_DR_ACCESS_TOKEN", "wrong-token-0123456789")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("wrong-token-0123456789"));
    outputs
}

#[test]
fn cli_output_errors_journal_logs_and_state_never_hold_a_key_or_token() {
    let e = EmulatorProcess::start(&[
        "--speed",
        "3000",
        "--retry-after",
        "off",
        "--faults",
        "503@poll*1,expired-token@services*1",
    ]);
    let mut secrets = demo_keys();
    secrets.push(e.token.clone());
    let dir = e.dirs.path().to_owned();

    let outputs = drive_cli(&e);
    assert_clean("CLI output and errors", &outputs, &secrets);

    // The emulator's own snapshot.
    let snap = e.state().to_string();
    assert_clean("the emulator's state", &snap, &secrets);

    // Everything the CLI wrote to disk: journal and logs.
    let files = files_under(&dir.join("data"));
    let journal = files
        .iter()
        .find(|p| p.ends_with("journal.jsonl"))
        .expect("a journal");
    let log = files
        .iter()
        .find(|p| p.to_string_lossy().contains("apim-dr.log"))
        .expect("a log file");
    assert!(
        std::fs::read_to_string(log).unwrap().contains("TRACE")
            || std::fs::read_to_string(log).unwrap().contains("DEBUG"),
        "the log was written at trace level"
    );
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        assert_clean(&f.display().to_string(), &text, &secrets);
    }
    #[cfg(unix)]
    {
        assert_eq!(mode(journal), 0o600, "journal mode");
        assert_eq!(mode(log), 0o600, "log mode");
        assert_eq!(mode(&dir.join("data")), 0o700, "data dir mode");
        assert_eq!(mode(log.parent().unwrap()), 0o700, "log dir mode");
    }
}

/// The demo's journal dir too is created private. A keymap with a bad binding stops `demo`
/// after its engine (and journal) are made and before the terminal is touched.
#[cfg(unix)]
#[test]
fn the_demo_dir_is_created_0700() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("keymap.toml"),
        "[services]\nkeymap = [{ on = \"ctrl-alt-nothing\", action = \"refresh\", desc = \"x\" }]\n",
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_apim-dr"))
        .arg("demo")
        .env("APIM_DR_DATA_DIR", dir.path().join("data"))
        .env("APIM_DR_CONFIG_DIR", &config)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for d in ["data", "data/demo", "data/logs"] {
        assert_eq!(mode(&dir.path().join(d)), 0o700, "{d}");
    }
    assert_eq!(mode(&dir.path().join("data/demo/journal.jsonl")), 0o600);
}

#[test]
fn tui_screens_and_committed_snapshots_never_hold_a_key() {
    let secrets = demo_keys();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut snaps = 0;
    for dir in [root.join("src"), root.join("tests")] {
        for f in files_under(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "snap"))
        {
            assert_clean(
                &f.display().to_string(),
                &std::fs::read_to_string(&f).unwrap(),
                &secrets,
            );
            snaps += 1;
        }
    }
    assert!(snaps > 40, "{snaps} snapshots scanned");

    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(
        &["demo", "--speed", "1500", "--latency", "0"],
        dir.path(),
        &[],
    );
    let mut screens = tui.wait_for("Last backup", 20);
    tui.keys("2");
    screens.push_str(&tui.wait_for("stcontosodrneu", 10));
    tui.keys("1");
    tui.fail_over_contoso_to_north_europe();
    screens.push_str(&tui.wait_for("succeeded", 60));
    tui.keys("?");
    screens.push_str(&tui.text());
    assert_clean("the TUI's screens", &screens, &secrets);
    tui.keys("\x1b");
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
    for f in files_under(&dir.path().join("data")) {
        assert_clean(
            &f.display().to_string(),
            &String::from_utf8_lossy(&std::fs::read(&f).unwrap()),
            &secrets,
        );
    }
}
