//! The emulator against Microsoft's own SDKs: `.ci/sdk/check_emulator.py` drives
//! `apim-dr emulator` with azure-mgmt-apimanagement, azure-mgmt-storage and azure-storage-blob
//! (pinned in `.ci/sdk/requirements.txt`, installed by `.ci/run`): listings and paging, keys,
//! Shared Key Blob calls, backup and restore pollers, a tier mismatch in Azure's words, a
//! restore into `StandardV2` that fails while polling, a Consumption backup refused for its tier
//! at the SDK's own api-version.
//!
//! When the SDKs are not installed the test fails if `APIM_DR_REQUIRE_SDK=1` (set by
//! `.ci/run`), and is skipped with a notice otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::cli::EmulatorProcess;

#[test]
fn microsofts_python_sdks_work_against_the_emulator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".ci/sdk/venv/bin/python");
    if !python.exists() {
        let required = std::env::var("APIM_DR_REQUIRE_SDK").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "the Azure SDKs are required (APIM_DR_REQUIRE_SDK=1) but .ci/sdk/venv is missing: run .ci/run"
        );
        eprintln!(
            "SKIPPED: the Azure Python SDKs are not installed (.ci/run installs them into .ci/sdk/venv)"
        );
        return;
    }
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let out = Command::new(python)
        .arg(root.join(".ci/sdk/check_emulator.py"))
        .env("APIM_DR_ARM_ENDPOINT", &e.endpoint)
        .env("APIM_DR_ACCESS_TOKEN", &e.token)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count() >= 15,
        "{stdout}"
    );
}
