//! Post-restore verification (issue 12): a restore's 200 is not a serving service. Over
//! loopback against the emulator: the checks fail while the target updates (provisioning
//! state, the gateway's `/status-0123456789abcdef` answering 503) and pass once the restore
//! ended, with the counts equal to the backup's catalog; the restore reports them before its
//! end; `apim-dr verify` prints them with its exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, Outcome, RestorePlan};
use apim_dr::domain::preflight::{Level, Verdict};
use apim_dr::domain::progress::ProgressUpdate;
use apim_dr::domain::verification::verified;
use apim_dr::engine::RunEnd;
use common::cli::{EmulatorProcess, code, stdout};
use common::direct;
use common::emu;

fn level_of(v: &Verdict, id: &str) -> Level {
    v.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {v:?}"))
        .level
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_fails_while_the_target_updates_and_passes_after() {
    let mut cfg = emu::fast_config();
    cfg.speed = 600.0; // backup 1 s, restore 3 s
    let h = emu::start(cfg).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = direct::engine(&h, dir.path());

    let blob = "verify/fresh.apimbackup";
    let (backup, _) = engine
        .prepare_backup(&emu::backup_plan(blob))
        .await
        .unwrap();
    let (end, _) = direct::run_with_updates(backup).await;
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let backup_ref = BackupRef::parse(&format!("stcontosodrneu/apim-backups/{blob}")).unwrap();
    let target = ServiceId::parse(&emu::standby_neu()).unwrap();

    // Before: the standby serves, but holds its own configuration, not the backup's.
    let before = engine.verify(&target, Some(&backup_ref)).await;
    assert_eq!(before.catalog_note, None, "the catalog was read");
    assert_eq!(level_of(&before.verdict, "gateway_health"), Level::Pass);
    assert_eq!(level_of(&before.verdict, "count_apis"), Level::Block);
    assert_eq!(
        level_of(&before.verdict, "count_named_values"),
        Level::Block
    );

    let plan = RestorePlan {
        backup: backup_ref.clone(),
        target: target.clone(),
        access: AccessType::AccessKey,
        began: None,
    };
    let report = engine.preflight(&plan, false).await.unwrap();
    let prepared = engine.prepare_restore(&plan, &report).await.unwrap();
    let restore = tokio::spawn(direct::run_with_updates(prepared));

    // While the restore runs, the target is Updating and its gateway answers 503.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while h
        .snapshot()
        .service("apim-contoso-neu")
        .is_none_or(|s| s.provisioning_state != "Updating")
    {
        assert!(tokio::time::Instant::now() < deadline, "never Updating");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let during = engine.verify(&target, Some(&backup_ref)).await;
    assert!(!verified(&during.verdict), "{during:?}");
    assert_eq!(
        level_of(&during.verdict, "provisioning_state"),
        Level::Block
    );
    let health = during
        .verdict
        .checks
        .iter()
        .find(|c| c.id == "gateway_health")
        .unwrap();
    assert_eq!(health.level, Level::Block);
    assert!(health.reason.contains("503"), "{health:?}");

    // The restore ends with its own verification, before its end, and every check passes.
    let (end, updates) = restore.await.unwrap();
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded), "{updates:?}");
    let n = updates.len();
    let ProgressUpdate::Verified(at_end) = &updates[n - 2] else {
        panic!("no verification just before the end: {updates:?}");
    };
    assert!(verified(at_end), "{at_end:?}");
    assert_eq!(
        at_end
            .checks
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        [
            "provisioning_state",
            "gateway_health",
            "count_apis",
            "count_products",
            "count_named_values"
        ]
    );
    let apis = at_end.checks.iter().find(|c| c.id == "count_apis").unwrap();
    assert!(
        apis.reason.starts_with("14, as in the backup's catalog"),
        "{apis:?}"
    );
    let after = engine.verify(&target, Some(&backup_ref)).await;
    assert!(verified(&after.verdict), "{after:?}");
    h.shutdown().await;
}

#[test]
fn the_verify_command_prints_checks_and_exits_by_the_worst() {
    let emu = EmulatorProcess::start(&[]);
    let standby = emu::standby_neu();
    // No backup to compare with: the counts cannot be confirmed, so the verdict is
    // unconfirmed (exit 3), never a pass.
    let o = emu.run(&["verify", "--service", &standby, "-o", "json"]);
    assert_eq!(code(&o), 3, "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verified"], false);
    assert_eq!(v["verdict"], "warn");
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks[0]["id"], "provisioning_state");
    assert_eq!(checks[0]["status"], "ok");
    assert_eq!(checks[1]["id"], "gateway_health");
    assert_eq!(checks[1]["status"], "ok", "{v}");
    assert_eq!(checks[2]["status"], "warn");

    // Compared with a backup of another configuration: evidence it does not match (exit 1).
    let backup = emu.fresh_standard_backup();
    let o = emu.run(&["verify", "--service", &standby, "--backup", &backup]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(
        text.contains("✔ Gateway health endpoint: /status-0123456789abcdef answered 200"),
        "{text}"
    );
    assert!(text.contains("✖ Number of APIs:"), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("not verified: "),
        "{text}"
    );

    let bad = emu.run(&["verify", "--service", "not-an-id"]);
    assert_eq!(code(&bad), 2);
}
