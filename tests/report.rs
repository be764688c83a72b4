//! The failover report end to end against `apim-dr emulator` in another process: a restore
//! ends with a report written in the data dir (Markdown and JSON), and `apim-dr report ID`
//! shows the journaled timeline, the time from intent to end, the backup's catalog, the
//! target read after it and the manual steps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{
    EmulatorProcess, code, restore_to_standby, started_operation_id, stderr, stdout,
};
use serde_json::Value;

#[test]
fn a_restore_ends_with_a_report_and_report_id_shows_it() {
    let e = EmulatorProcess::start(&["--speed", "3000", "--retry-after", "off"]);
    let blob = "report-test/one.apimbackup";
    let o = e.backup_source_weu(blob);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let backup = format!("stcontosodrneu/apim-backups/{blob}");
    let args = restore_to_standby(&backup, &["--poll-interval", "1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = e.run(&args);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let id = started_operation_id(&stdout(&o));
    assert!(stderr(&o).contains("report: "), "{}", stderr(&o));
    let reports = e.dirs.path().join("data").join("reports");
    let md = std::fs::read_to_string(reports.join(format!("{id}.md"))).unwrap();
    assert!(md.contains("outcome: succeeded"), "{md}");
    assert!(reports.join(format!("{id}.json")).exists());

    let o = e.run(&["report", &id, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["id"], id.as_str());
    assert_eq!(r["kind"], "restore");
    let steps: Vec<&str> = r["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["what"].as_str().unwrap())
        .collect();
    assert!(
        steps[0].starts_with("intent journaled: restore"),
        "{steps:?}"
    );
    assert!(
        steps.iter().any(|s| s.starts_with("accepted by Azure")),
        "{steps:?}"
    );
    assert!(
        steps.last().unwrap().starts_with("finished: succeeded"),
        "{steps:?}"
    );
    assert!(r["rto_seconds"].as_i64().unwrap() >= 0);
    assert_eq!(r["rto_from"], "the start of the command");
    let checks = r["preflight"].as_array().unwrap();
    assert!(
        checks
            .iter()
            .any(|c| c["id"] == "tier_match" && c["status"] == "ok"),
        "{checks:?}"
    );
    assert!(checks.iter().all(|c| c["reason"].is_string()));
    assert!(
        md.contains("RTO (from the start of the command to confirmed success): "),
        "{md}"
    );
    assert!(md.contains("## Pre-flight\n\n- ✔ ok · "), "{md}");
    assert_eq!(r["catalog"]["source_sku"], "Standard", "{r}");
    assert_eq!(r["catalog"]["counts"]["apis"], 14, "{r}");
    assert_eq!(r["verification"]["provisioning_state"], "Succeeded");
    // The restore's post-restore verification, read again for the report, every check passing.
    let checks = r["verification"]["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"gateway_health") && ids.contains(&"count_apis"),
        "{ids:?}"
    );
    assert!(checks.iter().all(|c| c["status"] == "ok"), "{checks:?}");
    assert!(
        md.contains("Checks, read when this report was built:"),
        "{md}"
    );
    assert_eq!(
        r["verification"]["api_count"], 14,
        "the source's APIs, restored"
    );
    assert_eq!(r["manual_steps"].as_array().unwrap().len(), 9);

    let o = e.run(&["report", "nope"]);
    assert_eq!(code(&o), 2);
}
