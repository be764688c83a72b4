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
        .env("APIM_DR_STORAGE_TOKEN", "test-storage-token")
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

#[test]
fn an_unreadable_keymap_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let keymap = config.join("keymap.toml");
    let make = |what: &str| match what {
        "not UTF-8" => std::fs::write(&keymap, b"[services]\n# caf\xe9\n").unwrap(),
        "a directory" => std::fs::create_dir(&keymap).unwrap(),
        _ => {
            std::fs::write(&keymap, "").unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&keymap, std::fs::Permissions::from_mode(0o000)).unwrap();
            }
        }
    };
    for what in ["not UTF-8", "a directory", "no permission"] {
        let _ = std::fs::remove_dir(&keymap);
        let _ = std::fs::remove_file(&keymap);
        make(what);
        if what == "no permission" && std::fs::read(&keymap).is_ok() {
            // Running as root (or not on Unix): nothing stops the read, nothing to test.
            continue;
        }
        // The TUI: the keymap is read before the terminal is touched.
        let out = apim_dr(dir.path()).output().unwrap();
        let name = Path::new(what);
        check(name, &out, &format!("cannot read {}", keymap.display()));
    }
}

#[test]
fn the_emulator_refuses_page_sizes_of_zero() {
    for flag in ["--page-size", "--blob-page-size"] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = apim_dr(dir.path())
            .args(["emulator", "--port", "0", flag, "0"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A refused flag ends at once; an emulator that accepted it would serve until killed.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            panic!("{flag} 0 was accepted: the emulator is serving");
        }
        let out = child.wait_with_output().unwrap();
        check(
            Path::new(flag),
            &out,
            &format!("'{flag} <N>': must be a whole number of items from 1 to"),
        );
    }
}

/// A fake ARM with one subscription and one storage account whose blob endpoint is plain
/// `http://` to a host that is not loopback.
fn arm_with_an_insecure_blob_endpoint() -> (String, tokio::runtime::Runtime) {
    use axum::routing::get;
    const SUB: &str = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route(
            "/subscriptions",
            get(|| async {
                axum::Json(serde_json::json!({"value": [{
                    "id": format!("/subscriptions/{SUB}"), "subscriptionId": SUB,
                    "displayName": "prod", "state": "Enabled"}]}))
            }),
        )
        .route(
            "/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts",
            get(|| async {
                axum::Json(serde_json::json!({"value": [{
                    "id": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stplain"),
                    "name": "stplain", "location": "westeurope",
                    "properties": {"primaryEndpoints": {"blob": "http://stplain.blob.example.com/"},
                                   "allowSharedKeyAccess": false}}]}))
            }),
        );
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), rt)
}

#[test]
fn plain_http_to_a_remote_host_exits_2_for_arm_and_for_blob() {
    let dir = tempfile::tempdir().unwrap();
    let arm = apim_dr(dir.path())
        .env("APIM_DR_ARM_ENDPOINT", "http://management.example.com")
        .args(["services"])
        .output()
        .unwrap();
    check(
        Path::new("ARM"),
        &arm,
        "refusing plain http:// to management.example.com",
    );

    let (endpoint, _rt) = arm_with_an_insecure_blob_endpoint();
    let blob = apim_dr(dir.path())
        .env("APIM_DR_ARM_ENDPOINT", &endpoint)
        .args(["backups", "--account", "stplain"])
        .output()
        .unwrap();
    check(
        Path::new("Blob"),
        &blob,
        "refusing plain http:// to stplain.blob.example.com",
    );
}
