//! Every invalid input gets one clear error naming the field and the rule, exit code 2, and
//! nothing is sent: one fixture per rule in `tests/fixtures/invalid-input/` (command-line
//! values) and `tests/fixtures/invalid-config/` (config and keymap files), as bottom does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures(dir: &str) -> Vec<(PathBuf, toml::Table)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut out: Vec<(PathBuf, toml::Table)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let t = toml::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, t)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The binary with a token and an endpoint where nothing listens: any network use would fail
/// with a connection error instead of the validation error the fixture expects.
fn apim_dr(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apim-dr"));
    c.env("APIM_DR_ARM_ENDPOINT", "http://127.0.0.1:9")
        .env("APIM_DR_ACCESS_TOKEN", "test-token")
        .env("APIM_DR_DATA_DIR", dir.join("data"))
        .env("APIM_DR_CONFIG_DIR", dir.join("config"));
    c
}

fn check(name: &Path, out: &std::process::Output, want: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {stderr}", name.display());
    assert!(
        stderr.contains(want),
        "{}: expected {want:?} in:\n{stderr}",
        name.display()
    );
    assert_eq!(
        stderr.matches("error:").count(),
        1,
        "{}: one error, not a cascade:\n{stderr}",
        name.display()
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("ConnectionFailed"),
        "{}: {stderr}",
        name.display()
    );
}

#[test]
fn each_invalid_value_names_its_field_and_rule() {
    let all = fixtures("invalid-input");
    assert!(all.len() >= 20, "{} fixtures", all.len());
    for (path, t) in all {
        let args: Vec<&str> = t["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let out = apim_dr(dir.path()).args(&args).output().unwrap();
        check(&path, &out, t["error"].as_str().unwrap());
    }
}

#[test]
fn each_invalid_config_or_keymap_file_names_the_file_and_entry() {
    let all = fixtures("invalid-config");
    assert!(all.len() >= 6);
    for (path, t) in all {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::create_dir_all(&config).unwrap();
        let args: &[&str] = if let Some(text) = t.get("config") {
            std::fs::write(config.join("config.toml"), text.as_str().unwrap()).unwrap();
            &["services"]
        } else {
            std::fs::write(config.join("keymap.toml"), t["keymap"].as_str().unwrap()).unwrap();
            &[]
        };
        // The config's own endpoint must be what is read, so the environment does not set one.
        let out = apim_dr(dir.path())
            .env_remove("APIM_DR_ARM_ENDPOINT")
            .args(args)
            .output()
            .unwrap();
        check(&path, &out, t["error"].as_str().unwrap());
    }
}
