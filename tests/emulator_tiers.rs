//! API Management's own rules around backup and restore, over loopback with the real client
//! where it has the call: a restore into a v2 tier is accepted and fails while polling; v2 and
//! Consumption backups are refused; workspaces (and workspace gateways) refuse backup and
//! restore; an api-version not yet deployed in a region is refused by ARM as
//! `NoRegisteredProviderFound` and the client falls back; a backup's 30 days count from its
//! own time, not from its blob's.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;

mod common;

use std::time::Duration;

use apim_dr::azure::AzureClient;
use apim_dr::azure::arm::{LroHandle, Started};
use apim_dr::azure::lro::{LroEnd, PollEvent, poll};
use apim_dr::domain::names::{BackupRef, ServiceId};
use apim_dr::domain::operation::{AccessType, PostKind};
use apim_dr::emulator::{EmulatorConfig, WorkspaceRefusal, World};
use futures::StreamExt;
use helpers::{Emu, service_id, start};
use serde_json::{Value, json};

const SUB: &str = "22222222-3333-4444-8555-666666666666";

/// Services of every tier that matters, a Premium with a workspace gateway and one with a
/// plain workspace, one storage account with a fresh backup, an expired one and a copy.
fn world(locations: &str) -> World {
    let svc = |name: &str, location: &str, sku: &str, extra: &str| {
        format!(
            r#"{{"subscription":"{SUB}","resource_group":"rg","name":"{name}","location":"{location}","sku":"{sku}"{extra}}}"#
        )
    };
    let services = [
        svc("apim-std", "West Europe", "Standard", ""),
        svc("apim-std-neu", "North Europe", "Standard", ""),
        svc("apim-v2", "North Europe", "StandardV2", ""),
        svc("apim-basicv2", "North Europe", "BasicV2", ""),
        svc("apim-cons", "North Europe", "Consumption", ""),
        svc(
            "apim-prem-gw",
            "West Europe",
            "Premium",
            r#","workspaces":[{"name":"ws-sales","display_name":"Sales","description":"sales team","gateway":"gw-sales"},{"name":"ws-ops"}]"#,
        ),
        svc(
            "apim-prem-ws",
            "West Europe",
            "Premium",
            r#","workspaces":[{"name":"ws-only"}]"#,
        ),
    ]
    .join(",");
    let text = format!(
        r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],
        "locations":[{locations}],
        "services":[{services}],
        "storage_accounts":[{{"subscription":"{SUB}","resource_group":"rg","name":"stbackups","location":"westeurope",
          "containers":[{{"name":"backups","blobs":[
            {{"name":"fresh.apimbackup","age_days":1,"backup":{{"service":"apim-std"}}}},
            {{"name":"prem.apimbackup","age_days":1,"backup":{{"service":"apim-prem-ws"}}}},
            {{"name":"copied.apimbackup","age_days":0.1,"catalog":true,"backup":{{"service":"apim-std","age_days":40}}}}]}}]}}]}}"#
    );
    World::from_json(&text).unwrap()
}

const REGIONS: &str = r#"{"name":"westeurope","display_name":"West Europe"},{"name":"northeurope","display_name":"North Europe"}"#;

fn id(name: &str) -> String {
    service_id(SUB, "rg", name)
}

fn config(locations: &str) -> EmulatorConfig {
    let mut c = EmulatorConfig::new(world(locations));
    c.speed = 3000.0;
    c
}

/// The real client: api-version 2024-05-01, falling back to 2022-08-01.
fn client(emu: &Emu) -> AzureClient {
    common::emu::client(&emu.handle)
}

/// Starts an operation with the account key through the real client.
async fn start_op(
    c: &AzureClient,
    kind: PostKind,
    service: &str,
    blob: &str,
) -> Result<LroHandle, apim_dr::azure::ApiError> {
    let account = apim_dr::engine::inventory::storage_accounts(c, SUB)
        .await
        .unwrap();
    let key = c.storage_key(&account[0].id).await.unwrap();
    let started = c
        .start_operation(
            kind,
            &ServiceId::parse(service).unwrap(),
            &BackupRef::parse(&format!("stbackups/backups/{blob}")).unwrap(),
            &AccessType::AccessKey,
            Some(&key),
        )
        .await?;
    match started {
        Started::Accepted(h) => Ok(h),
        Started::Completed => panic!("expected a 202"),
    }
}

/// Polls to the end with the real client.
async fn end(c: &AzureClient, h: &LroHandle) -> LroEnd {
    let events: Vec<PollEvent> =
        tokio::time::timeout(Duration::from_secs(30), poll(c, h).collect())
            .await
            .expect("the operation ends");
    match events.last() {
        Some(PollEvent::Finished(e)) => e.clone(),
        other => panic!("no end: {other:?}"),
    }
}

fn failed(e: &LroEnd) -> (Option<u16>, &str, &str) {
    match e {
        LroEnd::Failed(e) => (e.status, e.code.as_str(), e.message.as_str()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_restore_into_a_v2_tier_is_accepted_and_fails_while_polling() {
    let emu = start(config(REGIONS)).await;
    let c = client(&emu);
    let h = start_op(&c, PostKind::Restore, &id("apim-v2"), "fresh.apimbackup")
        .await
        .expect("Azure accepts the POST (202)");
    assert_eq!(
        failed(&end(&c, &h).await),
        (
            Some(400),
            "RestoreFailed",
            "Cannot restore: current SKU is 'StandardV2', backup SKU is 'Standard'"
        )
    );
    let v2 = emu.handle.snapshot();
    assert!(v2.service(&id("apim-v2")).unwrap().restored_from.is_none());

    // Backups of v2 and Consumption, and restores into Consumption, are refused on the POST.
    for (service, kind, tier) in [
        ("apim-v2", PostKind::Backup, "StandardV2"),
        ("apim-basicv2", PostKind::Backup, "BasicV2"),
        ("apim-cons", PostKind::Backup, "Consumption"),
        ("apim-cons", PostKind::Restore, "Consumption"),
    ] {
        let e = start_op(&c, kind, &id(service), "fresh.apimbackup")
            .await
            .unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (
                Some(400),
                "MethodNotAllowedInPricingTier",
                format!("Method not allowed in {tier} pricing tier").as_str()
            ),
            "{service}"
        );
    }
    // An old api-version on a v2 service: APIM's own gate, in the observed words.
    let (s, v) = emu
        .get_json(&format!("{}?api-version=2022-08-01", id("apim-v2")))
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["error"]["code"], "OperationSupportedInSkuForApiVersions");
    assert!(
        v["error"]["message"].as_str().unwrap().starts_with(
            "Operation on StandardV2 SKU is only supported in the api-versions 2023-03-01-preview,2023-05-01-preview,2023-09-01-preview,2024-05-01,"
        ),
        "{v}"
    );
}

#[tokio::test]
async fn the_thirty_days_count_from_the_backups_own_time() {
    let emu = start(config(REGIONS)).await;
    let c = client(&emu);
    // The copy's blob is hours old; the backup inside it is 40 days old.
    let snap = emu.handle.snapshot();
    let copy = snap
        .blobs("stbackups", "backups")
        .unwrap()
        .iter()
        .find(|b| b.name == "copied.apimbackup")
        .unwrap()
        .clone();
    let created = time::OffsetDateTime::parse(
        &copy.created,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(time::OffsetDateTime::now_utc() - created < time::Duration::days(1));
    let h = start_op(
        &c,
        PostKind::Restore,
        &id("apim-std-neu"),
        "copied.apimbackup",
    )
    .await
    .unwrap();
    assert_eq!(
        failed(&end(&c, &h).await),
        (Some(400), "RestoreFailed", "Cannot restore: backup expired")
    );
    let h = start_op(
        &c,
        PostKind::Restore,
        &id("apim-std-neu"),
        "fresh.apimbackup",
    )
    .await
    .unwrap();
    assert_eq!(end(&c, &h).await, LroEnd::Succeeded);
}

async fn post(emu: &Emu, service: &str, action: &str, blob: &str) -> (u16, Value) {
    let key = emu.key(SUB, "rg", "stbackups").await;
    let r = emu
        .start_op(
            &id(service),
            action,
            &helpers::body("stbackups", "backups", blob, &key),
        )
        .await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn workspaces_and_their_gateways_are_listed() {
    let emu = start(config(REGIONS)).await;
    let (s, v) = emu
        .get_json(&format!(
            "{}/workspaces?api-version=2024-05-01",
            id("apim-prem-gw")
        ))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["count"], 2);
    assert_eq!(
        v["value"][0],
        json!({"id": format!("{}/workspaces/ws-sales", id("apim-prem-gw")),
               "type": "Microsoft.ApiManagement/service/workspaces", "name": "ws-sales",
               "properties": {"displayName": "Sales", "description": "sales team"}})
    );
    let (s, v) = emu
        .get_json(&format!(
            "{}/workspaces/WS-OPS?api-version=2025-09-01-preview",
            id("apim-prem-gw")
        ))
        .await;
    assert_eq!(
        (s, v["properties"]["displayName"].as_str()),
        (200, Some("ws-ops"))
    );
    let (s, v) = emu
        .get_json(&format!(
            "{}/workspaces?api-version=2022-08-01",
            id("apim-prem-gw")
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (400, Some("MissingOrIncorrectVersionParameter"))
    );
    assert!(v["error"]["message"].as_str().unwrap().starts_with(
        "API version query parameter is not specified or was specified incorrectly.  Supported versions: 2022-09-01-preview,"
    ));
    for (service, tier) in [("apim-basicv2", "BasicV2"), ("apim-std", "Standard")] {
        let (s, v) = emu
            .get_json(&format!(
                "{}/workspaces?api-version=2024-05-01",
                id(service)
            ))
            .await;
        assert_eq!(
            (
                s,
                v["error"]["code"].as_str(),
                v["error"]["message"].as_str()
            ),
            (
                400,
                Some("MethodNotAllowedInPricingTier"),
                Some(format!("Method not allowed in {tier} pricing tier").as_str())
            )
        );
    }
    let (s, v) = emu
        .get_json(&format!(
            "{}/workspaces?api-version=2024-05-01",
            id("apim-v2")
        ))
        .await;
    assert_eq!((s, v["value"].as_array().map(Vec::len)), (200, Some(0)));

    // The workspace gateway and the link to its workspace.
    let (s, v) = emu
        .get_json(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.ApiManagement/gateways?api-version=2024-05-01"
        ))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    assert_eq!(v["value"][0]["type"], "Microsoft.ApiManagement/gateways");
    assert_eq!(v["value"][0]["sku"]["name"], "WorkspaceGatewayPremium");
    let (s, v) = emu
        .get_json(&format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/gateways/gw-sales/configConnections?api-version=2024-05-01"
        ))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        v["value"][0]["properties"]["sourceId"],
        format!("{}/workspaces/ws-sales", id("apim-prem-gw"))
    );
}

#[tokio::test]
async fn workspace_gateways_refuse_backup_and_restore() {
    let emu = start(config(REGIONS)).await;
    // A service with a workspace gateway refuses both; a plain workspace does not (the
    // current documentation), unless the emulator is told to follow the earlier one.
    let refusal = |what: &str| {
        (
            400,
            json!({"error": {"code": "BadRequest",
            "message": format!("Backup and restore aren't supported in API Management instances {what}."),
            "details": null, "innerError": null}}),
        )
    };
    assert_eq!(
        post(&emu, "apim-prem-gw", "backup", "x").await,
        refusal("with associated workspace gateways")
    );
    assert_eq!(
        post(&emu, "apim-prem-gw", "restore", "prem.apimbackup").await,
        refusal("with associated workspace gateways")
    );
    assert_eq!(post(&emu, "apim-prem-ws", "backup", "x").await.0, 202);
    let mut any = config(REGIONS);
    any.workspace_refusal = WorkspaceRefusal::Any;
    let emu = start(any).await;
    assert_eq!(
        post(&emu, "apim-prem-ws", "backup", "x").await,
        refusal("configured with workspaces")
    );
}

#[tokio::test]
async fn a_version_not_yet_deployed_in_a_region_is_refused_and_the_client_falls_back() {
    let rollout = r#"{"name":"westeurope","display_name":"West Europe"},
        {"name":"northeurope","display_name":"North Europe","apim_pending_api_versions":["2024-05-01","2026-03-01-preview"]}"#;
    let emu = start(config(rollout)).await;
    let (s, v) = emu
        .get_json(&format!("{}?api-version=2024-05-01", id("apim-std-neu")))
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["error"]["code"], "NoRegisteredProviderFound");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "No registered resource provider found for location 'northeurope' and API version '2024-05-01' for type 'service'. \
             The supported api-versions are '2014-02-14, 2015-09-15, 2016-07-07,"
        ),
        "{message}"
    );
    assert!(
        message.contains("2023-09-01-preview, 2024-06-01-preview,")
            && message.ends_with("The supported locations are 'westeurope'."),
        "{message}"
    );
    let (s, v) = emu
        .get_json(&format!(
            "{}/apis?api-version=2026-03-01-preview",
            id("apim-std-neu")
        ))
        .await;
    assert_eq!(s, 400);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("for type 'service/apis'")
    );
    // West Europe has it; lists are served; 2026-03-01-preview is a known version.
    let (s, _) = emu
        .get_json(&format!(
            "{}?api-version=2026-03-01-preview",
            id("apim-std")
        ))
        .await;
    assert_eq!(s, 200);
    let (s, _) = emu
        .get_json(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.ApiManagement/service?api-version=2024-05-01"
        ))
        .await;
    assert_eq!(s, 200);

    // The client (2024-05-01, falling back to 2022-08-01) reads and backs up the service.
    let c = client(&emu);
    let svc = c
        .get_service(&ServiceId::parse(&id("apim-std-neu")).unwrap())
        .await
        .unwrap();
    assert_eq!(svc.name, "apim-std-neu");
    let h = start_op(&c, PostKind::Backup, &id("apim-std-neu"), "neu.apimbackup")
        .await
        .unwrap();
    assert!(
        h.location
            .as_deref()
            .unwrap()
            .ends_with("?api-version=2022-08-01"),
        "{h:?}"
    );
    assert_eq!(end(&c, &h).await, LroEnd::Succeeded);
    // The demo world has no such gap: the cap per service is gone.
    let demo = World::demo().unwrap();
    let emu = start(EmulatorConfig::new(demo)).await;
    let cons = service_id(helpers::PROD, "rg-apim-prod-weu", "apim-mobile-cons");
    let (s, v) = emu
        .get_json(&format!("{cons}?api-version=2024-05-01"))
        .await;
    assert_eq!((s, v["sku"]["name"].as_str()), (200, Some("Consumption")));
}
