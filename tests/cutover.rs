//! Traffic cutover (issue 12, "Traffic cutover"), over loopback against the emulator's demo
//! world, where `api.contoso.com` is a CNAME in the Azure DNS zone `contoso.com` pointing at
//! apim-contoso-weu's gateway and the Traffic Manager profile `tm-contoso-api`
//! (`contoso-api.trafficmanager.net`) has one external endpoint `weu` pointing there too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::azure::AzureClient;
use apim_dr::domain::cutover::CutoverPlace;
use apim_dr::domain::names::ServiceId;
use apim_dr::emulator::EmulatorHandle;
use apim_dr::engine::cutover::{CutoverAsk, CutoverEnd, CutoverTo};
use apim_dr::engine::{Engine, EngineError};
use apim_dr::journal::cutover_log;
use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::{direct, emu};

const WEU: &str = "apim-contoso-weu.azure-api.net";
const NEU: &str = "apim-contoso-neu.azure-api.net";
const RECORD: &str = "/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/contoso.com/CNAME/api";
const ENDPOINT: &str = "/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-dns/providers/Microsoft.Network/trafficManagerProfiles/tm-contoso-api/externalEndpoints/weu";

fn ask(hostname: &str, to: CutoverTo) -> CutoverAsk {
    CutoverAsk {
        hostname: hostname.into(),
        to,
        endpoint: None,
    }
}

/// The demo world's emulator, an engine journaling into a temporary dir, a client.
async fn demo() -> (EmulatorHandle, tempfile::TempDir, Engine, AzureClient) {
    let h = emu::start(emu::fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = direct::engine(&h, dir.path());
    let client = emu::client(&h);
    (h, dir, engine, client)
}

fn to_neu() -> CutoverTo {
    CutoverTo::Service(ServiceId::parse(&emu::standby_neu()).unwrap())
}

#[tokio::test]
async fn a_dns_cutover_then_its_rollback_restore_the_record_exactly() {
    let (h, dir, engine, client) = demo().await;
    let original = client.record_set(RECORD).await.unwrap();
    assert_eq!(original.cname(), Some(WEU));

    let ready = engine
        .plan_cutover(&ask("api.contoso.com", to_neu()))
        .await
        .unwrap();
    assert!(
        matches!(&ready.plan.place, CutoverPlace::DnsCname { zone, record, .. } if zone == "contoso.com" && record == "api")
    );
    assert_eq!(
        (ready.plan.before.as_str(), ready.plan.after.as_str()),
        (WEU, NEU)
    );
    assert_eq!(
        ready.plan.service.as_deref(),
        Some(emu::standby_neu().as_str())
    );
    assert_eq!(
        engine.apply_cutover(&ready).await.unwrap(),
        CutoverEnd::Done
    );
    let moved = client.record_set(RECORD).await.unwrap();
    assert_eq!(moved.cname(), Some(NEU));
    assert_eq!(moved.properties.ttl, original.properties.ttl);
    assert_eq!(
        h.snapshot()
            .traffic
            .get("api.contoso.com")
            .map(String::as_str),
        Some(NEU),
        "the drill endpoint shows where the name points"
    );
    assert_ne!(
        moved.etag, original.etag,
        "a write gives the record a new etag"
    );

    let rollback = ready.plan.rollback_command();
    assert!(
        rollback.contains(&format!("--to-target {WEU}")),
        "{rollback}"
    );
    let back = engine
        .plan_cutover(&ask("api.contoso.com", CutoverTo::Target(WEU.into())))
        .await
        .unwrap();
    assert_eq!(
        (back.plan.before.as_str(), back.plan.after.as_str()),
        (NEU, WEU)
    );
    assert_eq!(engine.apply_cutover(&back).await.unwrap(), CutoverEnd::Done);
    let restored = client.record_set(RECORD).await.unwrap();
    assert_eq!(
        restored.properties, original.properties,
        "the record is as it was"
    );
    assert_eq!(restored.id, original.id);

    let log = cutover_log::read_all(&dir.path().join("cutover.jsonl")).unwrap();
    let stages: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.stage.as_str(), e.plan.after.as_str()))
        .collect();
    assert_eq!(
        stages,
        [
            ("intent", NEU),
            ("done", NEU),
            ("intent", WEU),
            ("done", WEU)
        ]
    );
}

#[tokio::test]
async fn a_record_changed_after_it_was_read_is_refused_not_overwritten() {
    let (_h, dir, engine, client) = demo().await;
    let ready = engine
        .plan_cutover(&ask("api.contoso.com", to_neu()))
        .await
        .unwrap();
    // Someone else points the record elsewhere in between.
    let mut theirs = client.record_set(RECORD).await.unwrap();
    let etag = theirs.etag.clone().unwrap();
    theirs.properties.cname_record.as_mut().unwrap().cname = "elsewhere.contoso.net".into();
    client
        .put_record_set_if_match(&theirs, &etag)
        .await
        .unwrap();

    let Err(EngineError::Refused(why)) = engine.apply_cutover(&ready).await else {
        panic!("a record changed in between is not refused");
    };
    assert!(
        why.contains("changed since it was read") && why.contains("elsewhere.contoso.net"),
        "{why}"
    );
    assert!(why.contains("nothing was written"), "{why}");
    let now = client.record_set(RECORD).await.unwrap();
    assert_eq!(now.cname(), Some("elsewhere.contoso.net"));
    let log = cutover_log::read_all(&dir.path().join("cutover.jsonl")).unwrap();
    assert_eq!(log.last().map(|e| e.stage.as_str()), Some("refused"));

    // Azure DNS itself refuses a stale etag (412), whatever the client checks.
    let e = client
        .put_record_set_if_match(&theirs, &etag)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (Some(412), "PreconditionFailed")
    );
    assert!(
        e.message
            .contains("in the If-Match header was not satisfied"),
        "{e}"
    );
}

#[tokio::test]
async fn a_hostname_served_nowhere_says_where_it_looked_and_what_to_do() {
    let (_h, _dir, engine, _client) = demo().await;
    let Err(EngineError::Refused(why)) = engine
        .plan_cutover(&ask("portal.fabrikam.com", to_neu()))
        .await
    else {
        panic!("a host name served nowhere is not refused");
    };
    assert!(
        why.contains(
            "portal.fabrikam.com is served by no CNAME record set and no Traffic Manager profile"
        ),
        "{why}"
    );
    assert!(
        why.contains("contoso.com") && why.contains("by hand"),
        "{why}"
    );
}

#[tokio::test]
async fn a_traffic_manager_endpoint_is_pointed_and_a_change_in_between_refused() {
    let (_h, _dir, engine, client) = demo().await;
    let ready = engine
        .plan_cutover(&ask("contoso-api.trafficmanager.net", to_neu()))
        .await
        .unwrap();
    assert!(
        matches!(&ready.plan.place, CutoverPlace::TrafficManagerEndpoint { profile, endpoint, .. } if profile == "tm-contoso-api" && endpoint == "weu")
    );
    assert_eq!(
        (ready.plan.before.as_str(), ready.plan.after.as_str()),
        (WEU, NEU)
    );
    assert!(
        ready
            .plan
            .rollback_command()
            .ends_with("--endpoint weu --yes")
    );

    client
        .set_tm_endpoint_target(ENDPOINT, "other.contoso.net")
        .await
        .unwrap();
    let Err(EngineError::Refused(why)) = engine.apply_cutover(&ready).await else {
        panic!("an endpoint changed in between is not refused");
    };
    assert!(why.contains("points at other.contoso.net"), "{why}");
    assert_eq!(
        client
            .tm_endpoint(ENDPOINT)
            .await
            .unwrap()
            .properties
            .target
            .as_deref(),
        Some("other.contoso.net")
    );

    client.set_tm_endpoint_target(ENDPOINT, WEU).await.unwrap();
    assert_eq!(
        engine.apply_cutover(&ready).await.unwrap(),
        CutoverEnd::Done
    );
    let ep = client.tm_endpoint(ENDPOINT).await.unwrap();
    assert_eq!(ep.properties.target.as_deref(), Some(NEU));
    assert_eq!(ep.properties.endpoint_status.as_deref(), Some("Enabled"));
}

#[test]
fn the_cli_shows_a_dry_run_refuses_without_yes_and_prints_a_rollback_that_works() {
    let emu = EmulatorProcess::start(&[]);
    let dry = emu.run(&[
        "cutover",
        "--hostname",
        "api.contoso.com",
        "--to",
        "apim-contoso-neu",
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&dry)).unwrap();
    assert_eq!(shown["outcome"], "dry_run");
    assert_eq!(
        (shown["before"].as_str(), shown["after"].as_str()),
        (Some(WEU), Some(NEU))
    );
    assert_eq!(shown["place"]["kind"], "dns_cname");

    let no_yes = emu.run(&[
        "cutover",
        "--hostname",
        "api.contoso.com",
        "--to",
        "apim-contoso-neu",
    ]);
    assert_eq!(code(&no_yes), 2);
    assert!(
        stderr(&no_yes).contains("add --yes to confirm"),
        "{}",
        stderr(&no_yes)
    );
    assert!(
        stdout(&no_yes).contains(&format!("before: {WEU}")),
        "{}",
        stdout(&no_yes)
    );
    let ro = emu.run(&[
        "--read-only",
        "cutover",
        "--hostname",
        "api.contoso.com",
        "--to",
        "apim-contoso-neu",
        "--yes",
    ]);
    assert_eq!(code(&ro), 2);
    assert!(stderr(&ro).contains("read-only mode"), "{}", stderr(&ro));

    let again = emu.run(&[
        "cutover",
        "--hostname",
        "api.contoso.com",
        "--to",
        "apim-contoso-neu",
        "--dry-run",
        "-o",
        "json",
    ]);
    let again: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(
        again["before"], WEU,
        "neither the dry run nor the refusals changed it"
    );

    let done = emu.run(&[
        "cutover",
        "--hostname",
        "api.contoso.com",
        "--to",
        "apim-contoso-neu",
        "--yes",
        "-o",
        "json",
    ]);
    assert_eq!(code(&done), 0, "{}", stderr(&done));
    let done: serde_json::Value = serde_json::from_str(&stdout(&done)).unwrap();
    assert_eq!(done["outcome"], "done");
    let rollback = done["rollback"].as_str().unwrap().to_owned();
    let args: Vec<&str> = rollback.split_whitespace().skip(1).collect();
    let back = emu.run(&args);
    assert_eq!(code(&back), 0, "{}", stderr(&back));
    assert!(
        stdout(&back).contains(&format!("after:  {WEU}")),
        "{}",
        stdout(&back)
    );
    assert!(stdout(&back).contains("done:"), "{}", stdout(&back));
}

#[tokio::test]
async fn a_write_whose_answer_was_lost_is_read_back_never_called_a_race() {
    let (h, dir, engine, client) = demo().await;
    let ready = engine
        .plan_cutover(&ask("api.contoso.com", to_neu()))
        .await
        .unwrap();
    // The PUT lands but its answer is lost; the retry meets the new etag (412): the record,
    // read back, shows our value, so the cutover is done, not "changed by someone else".
    h.add_faults("lost-reply@dns-record*1").unwrap();
    assert_eq!(
        engine.apply_cutover(&ready).await.unwrap(),
        CutoverEnd::Done
    );
    assert_eq!(client.record_set(RECORD).await.unwrap().cname(), Some(NEU));
    let puts: Vec<u16> = h
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/CNAME/api"))
        .map(|r| r.status)
        .collect();
    assert_eq!(
        puts,
        [200, 412],
        "the lost PUT landed; its repeat met the new etag"
    );

    // Every answer lost, the read-back too: unconfirmed, not failed, not done.
    let back = engine
        .plan_cutover(&ask("api.contoso.com", CutoverTo::Target(WEU.into())))
        .await
        .unwrap();
    h.add_faults("lost-reply@dns-record*inf").unwrap();
    let CutoverEnd::Unconfirmed(why) = engine.apply_cutover(&back).await.unwrap() else {
        panic!("a write nobody could confirm is not unconfirmed");
    };
    assert!(why.contains("cannot be read back"), "{why}");
    let log = cutover_log::read_all(&dir.path().join("cutover.jsonl")).unwrap();
    assert_eq!(log.last().map(|e| e.stage.as_str()), Some("unconfirmed"));
}

#[test]
fn a_cname_to_a_traffic_manager_profile_out_of_sight_is_flagged_before_it_is_bypassed() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.json");
    let sub = "11111111-2222-4333-8444-555555555555";
    std::fs::write(
        &world,
        serde_json::json!({
            "subscriptions": [{"id": sub, "display_name": "Fabrikam"}],
            "dns_zones": [{"subscription": sub, "resource_group": "rg-dns", "name": "fabrikam.com",
                "cname_records": [{"name": "api", "cname": "fabrikam-api.trafficmanager.net"}]}]
        })
        .to_string(),
    )
    .unwrap();
    let emu = EmulatorProcess::start(&["--world", world.to_str().unwrap()]);
    let o = emu.run(&[
        "cutover",
        "--hostname",
        "api.fabrikam.com",
        "--to-target",
        "apim-fab-neu.azure-api.net",
        "--dry-run",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("points at the Traffic Manager profile fabrikam-api.trafficmanager.net, which you cannot see"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("before: fabrikam-api.trafficmanager.net"),
        "{}",
        stdout(&o)
    );
}
