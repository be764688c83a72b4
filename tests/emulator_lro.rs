//! Backup and restore through the emulator as Azure runs them: validation on the POST (with
//! Storage's refusals: a missing blob or container, a wrong key, a firewall), 202 with
//! `Location` (and `Azure-AsyncOperation` when configured), 202 while running, then the final
//! answer; the execution rules (tier match, 30-day expiry); the state file.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;

use apim_dr::emulator::{EmulatorConfig, LroHeaders, RetryAfterMode, World};
use helpers::{
    APIM, DEV, DR, PROD, backup_aged, blob_names, body, contoso_neu, contoso_weu, demo_config,
    service_id, start,
};
use serde_json::{Value, json};

fn location_of(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn backup_runs_202_then_200_and_writes_a_blob_without_metadata() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body(
                "stcontosodrneu",
                "apim-backups",
                "drill/weu.apimbackup",
                &key,
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    assert_eq!(r.headers()["retry-after"], "1");
    assert!(!r.headers().contains_key("azure-asyncoperation"));
    let location = location_of(&r);
    let prefix = format!("{}{}/operationresults/", emu.arm, contoso_weu());
    assert!(location.starts_with(&prefix), "{location}");
    assert!(location.ends_with("?api-version=2024-05-01"), "{location}");
    let id = &location[prefix.len()..location.len() - "?api-version=2024-05-01".len()];
    assert!(!id.is_empty() && !id.contains('/'));
    assert!(r.text().await.unwrap().is_empty());

    // While it runs: Updating, polls say 202, a second operation is refused.
    let (_, v) = emu.get_json(&format!("{}?{APIM}", contoso_weu())).await;
    assert_eq!(v["properties"]["provisioningState"], "Updating");
    let r = emu.send(reqwest::Method::GET, &location, None).await;
    assert_eq!(r.status().as_u16(), 202);
    assert!(r.headers().contains_key("retry-after"));
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stcontosodrneu", "apim-backups", "other", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "Conflict");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("another operation")
    );

    let (status, v) = emu.poll(&location).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "apim-contoso-weu");
    assert_eq!(v["properties"]["provisioningState"], "Succeeded");
    // The final answer stays the same.
    let (status, again) = emu.poll(&location).await;
    assert_eq!((status, again["name"].clone()), (200, v["name"].clone()));

    let snap = emu.handle.snapshot();
    let blob = snap
        .blobs("stcontosodrneu", "apim-backups")
        .unwrap()
        .iter()
        .find(|b| b.name == "drill/weu.apimbackup")
        .unwrap()
        .clone();
    assert!(blob.metadata.is_empty());
    assert_eq!(blob.backup_sku.as_deref(), Some("Standard"));
    assert_eq!(blob.backup_of.as_deref(), Some(contoso_weu().as_str()));
    assert_eq!(emu.handle.post_count("backup", &contoso_weu()), 2);
    assert_eq!(
        emu.handle
            .post_count("BACKUP", &contoso_weu().to_uppercase()),
        2
    );
    assert_eq!(emu.handle.post_count("restore", &contoso_weu()), 0);
    assert_eq!(snap.operations.len(), 1);
}

#[tokio::test]
async fn async_operation_header_when_configured() {
    let mut config = demo_config();
    config.lro_headers = LroHeaders::Both;
    config.retry_after = RetryAfterMode::HttpDate;
    let emu = start(config).await;
    let key = emu.dr_key().await;
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stcontosodrneu", "apim-backups", "b", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let status_url = r.headers()["azure-asyncoperation"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(status_url.starts_with(&format!("{}/subscriptions/{PROD}/providers/Microsoft.ApiManagement/locations/westeurope/operationStatuses/", emu.arm)));
    let retry = r.headers()["retry-after"].to_str().unwrap().to_owned();
    assert!(retry.ends_with("GMT"), "{retry}");
    let location = location_of(&r);
    let first: Value = emu
        .send(reqwest::Method::GET, &status_url, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "InProgress");
    assert!(first["startTime"].is_string() && first.get("endTime").is_none());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let done = loop {
        let r = emu.send(reqwest::Method::GET, &status_url, None).await;
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().await.unwrap();
        if v["status"] != "InProgress" {
            break v;
        }
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    };
    assert_eq!(done["status"], "Succeeded");
    assert_eq!(done["percentComplete"], 100.0);
    assert!(done["endTime"].is_string());
    assert_eq!(emu.poll(&location).await.0, 200);

    let mut config = demo_config();
    config.lro_headers = LroHeaders::AsyncOperation;
    config.retry_after = RetryAfterMode::Off;
    let emu = start(config).await;
    let key = emu.dr_key().await;
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stcontosodrneu", "apim-backups", "b", &key),
        )
        .await;
    assert!(r.headers().contains_key("azure-asyncoperation"));
    assert!(!r.headers().contains_key("location") && !r.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn restore_replaces_the_targets_apis() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let blob = backup_aged(
        &emu,
        "stcontosodrneu",
        "apim-backups",
        "apim-contoso-weu/",
        0.3,
    );
    let (_, before) = emu.get_json(&format!("{}?{APIM}", contoso_neu())).await;
    let r = emu
        .start_op(
            &contoso_neu(),
            "restore",
            &body("stcontosodrneu", "apim-backups", &blob, &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let (status, v) = emu.poll(&location_of(&r)).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "apim-contoso-neu");
    assert_eq!(
        (v["sku"]["name"].as_str(), v["sku"]["capacity"].as_u64()),
        (Some("Standard"), Some(1))
    );
    assert_eq!(v["location"], "North Europe");
    assert_ne!(v["etag"], before["etag"]);
    let (_, apis) = emu
        .get_json(&format!("{}/apis?{APIM}", contoso_neu()))
        .await;
    let names: Vec<&str> = apis["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 14);
    assert!(names.contains(&"orders-v2") && !names.contains(&"orders-v1"));
    let snap = emu.handle.snapshot();
    let neu = snap.service(&contoso_neu()).unwrap();
    assert_eq!(neu.apis.len(), 14);
    assert_eq!(neu.provisioning_state, "Succeeded");
    let from = neu.restored_from.as_ref().unwrap();
    assert_eq!(
        (
            from.account.as_str(),
            from.container.as_str(),
            from.blob.as_str()
        ),
        ("stcontosodrneu", "apim-backups", blob.as_str())
    );
    // The source is untouched.
    assert_eq!(snap.service("apim-contoso-weu").unwrap().apis.len(), 14);
}

async fn restore_error(emu: &helpers::Emu, target: &str, container: &str, blob: &str) -> Value {
    let key = emu.dr_key().await;
    let r = emu
        .start_op(
            target,
            "restore",
            &body("stcontosodrneu", container, blob, &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let location = location_of(&r);
    let (status, v) = emu.poll(&location).await;
    assert_eq!(status, 400, "{v}");
    assert_eq!(emu.poll(&location).await, (400, v.clone()));
    assert_eq!(v["error"]["code"], "RestoreFailed");
    v
}

#[tokio::test]
async fn restore_failures_come_while_polling_in_azures_words() {
    let emu = start(demo_config()).await;
    let premium = backup_aged(
        &emu,
        "stcontosodrneu",
        "apim-backups",
        "apim-partners-weu/",
        2.2,
    );
    let v = restore_error(&emu, &contoso_neu(), "apim-backups", &premium).await;
    assert_eq!(
        v["error"]["message"],
        "Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'"
    );
    let expired = backup_aged(
        &emu,
        "stcontosodrneu",
        "apim-backups",
        "apim-contoso-weu/",
        36.0,
    );
    let v = restore_error(&emu, &contoso_neu(), "apim-backups", &expired).await;
    assert_eq!(v["error"]["message"], "Cannot restore: backup expired");
    // A missing blob or container is Storage's answer, passed on by APIM on the POST.
    let key = emu.dr_key().await;
    for (container, blob, message) in [
        (
            "apim-backups",
            "nope.apimbackup",
            "Invalid parameter: The specified blob does not exist.\r\nParameter name: backupName",
        ),
        (
            "no-such-container",
            "x",
            "Invalid parameter: The specified container does not exist.\r\nParameter name: backupContainerName",
        ),
    ] {
        let r = emu
            .start_op(
                &contoso_neu(),
                "restore",
                &body("stcontosodrneu", container, blob, &key),
            )
            .await;
        assert_eq!(r.status().as_u16(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (v["error"]["code"].as_str(), v["error"]["message"].as_str()),
            (Some("InvalidParameters"), Some(message))
        );
    }
    // A failed restore changes nothing and leaves the service idle.
    let neu = emu
        .handle
        .snapshot()
        .service("apim-contoso-neu")
        .unwrap()
        .clone();
    assert_eq!(
        (neu.apis.len(), neu.provisioning_state.as_str()),
        (3, "Succeeded")
    );
    assert!(neu.restored_from.is_none());
    // The blob without catalog metadata is judged by its content: a Basic backup.
    let key = emu.dr_key().await;
    let wus2 = service_id(DR, "rg-apim-dr-wus2", "apim-retail-wus2");
    let r = emu
        .start_op(
            &wus2,
            "restore",
            &body(
                "stcontosodrneu",
                "apim-backups",
                "manual/retail-eus-before-migration.bak",
                &key,
            ),
        )
        .await;
    assert_eq!(emu.poll(&location_of(&r)).await.0, 200);
    assert_eq!(emu.handle.snapshot().service(&wus2).unwrap().apis.len(), 4);
}

#[tokio::test]
async fn content_that_is_not_a_backup_fails_the_restore() {
    let text = format!(
        r#"{{"subscriptions":[{{"id":"{DR}","display_name":"D"}}],
        "services":[{{"subscription":"{DR}","resource_group":"rg","name":"apim-t","location":"West US","sku":"Basic"}}],
        "storage_accounts":[{{"subscription":"{DR}","resource_group":"rg","name":"stt","location":"eastus",
          "containers":[{{"name":"c01","blobs":[{{"name":"junk.apimbackup","content":"hello"}}]}}]}}]}}"#
    );
    let mut config = EmulatorConfig::new(World::from_json(&text).unwrap());
    config.speed = 3000.0;
    let emu = start(config).await;
    let key = emu.key(DR, "rg", "stt").await;
    let target = service_id(DR, "rg", "apim-t");
    let r = emu
        .start_op(
            &target,
            "restore",
            &body("stt", "c01", "junk.apimbackup", &key),
        )
        .await;
    let (status, v) = emu.poll(&location_of(&r)).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (400, Some("RestoreFailed"))
    );
    assert_eq!(
        v["error"]["message"],
        "Cannot restore: the blob 'junk.apimbackup' is not a valid API Management backup."
    );
}

#[tokio::test]
async fn the_post_is_validated_like_apim_validates_it() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let code = |r: Value| r["error"]["code"].as_str().unwrap_or_default().to_owned();
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body(
                "stcontosodrneu",
                "apim-backups",
                "b",
                "d3JvbmcgYnV0IGJhc2U2NA==",
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid parameter: Server failed to authenticate the request.")
    );
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stnowhere", "apim-backups", "b", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("stnowhere"));
    let cons = service_id(PROD, "rg-apim-prod-weu", "apim-mobile-cons");
    let r = emu
        .post(
            &format!("{cons}/backup?api-version=2022-08-01"),
            &body("stcontosodrneu", "apim-backups", "b", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (code(v.clone()), v["error"]["message"].as_str()),
        (
            "MethodNotAllowedInPricingTier".into(),
            Some("Method not allowed in Consumption pricing tier")
        )
    );
    let v2 = service_id(DR, "rg-apim-dr-neu", "apim-edge-v2-neu");
    let r = emu
        .start_op(
            &v2,
            "backup",
            &body("stcontosodrneu", "apim-backups", "b", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        code(r.json().await.unwrap()),
        "MethodNotAllowedInPricingTier"
    );
    let r = emu
        .http
        .post(emu.url(&format!("{}/backup?{APIM}", contoso_weu())))
        .bearer_auth(&emu.token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(code(r.json().await.unwrap()), "InvalidRequestContent");
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &json!({"storageAccount": "stcontosodrneu", "backupName": "b", "accessKey": key}),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(code(v.clone()), "InvalidParameters");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'containerName'")
    );
    let r = emu.start_op(&contoso_weu(), "backup", &json!({"storageAccount": "stcontosodrneu", "containerName": "c", "backupName": "b", "accessType": "Magic"})).await;
    assert_eq!(r.status().as_u16(), 400);
    // Refused POSTs are counted but start nothing.
    assert_eq!(emu.handle.post_count("backup", &contoso_weu()), 5);
    assert!(emu.handle.snapshot().operations.is_empty());
}

#[tokio::test]
async fn legacy_2016_bodies_need_the_key_and_get_legacy_replies() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    // 2016-10-10 bodies have no accessType: the key is required.
    let old = json!({"storageAccount": "stcontosodrneu", "containerName": "apim-backups", "backupName": "old", "accessType": "SystemAssignedManagedIdentity"});
    let r = emu
        .post(
            &format!("{}/backup?api-version=2016-10-10", contoso_weu()),
            &old,
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("'accessKey'"));
    let r = emu
        .post(
            &format!("{}/backup?api-version=2016-10-10", contoso_weu()),
            &body("stcontosodrneu", "apim-backups", "old", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let location = location_of(&r);
    assert!(location.ends_with("?api-version=2016-10-10"));
    let (status, v) = emu.poll(&location).await;
    assert_eq!(status, 200);
    assert!(
        v["properties"]["runtimeUrl"].is_string() && v["properties"].get("gatewayUrl").is_none()
    );
    assert_eq!(emu.handle.post_count("backup", &contoso_weu()), 2);
    assert_eq!(emu.handle.snapshot().operations.len(), 1);
}

#[tokio::test]
async fn managed_identities_firewalls_and_missing_containers() {
    let emu = start(demo_config()).await;
    let mi = json!({"storageAccount": "stcontosodrneu", "containerName": "apim-backups", "backupName": "mi", "accessType": "SystemAssignedManagedIdentity"});
    let r = emu.start_op(&contoso_weu(), "backup", &mi).await;
    assert_eq!(r.status().as_u16(), 202);
    assert_eq!(emu.poll(&location_of(&r)).await.0, 200);
    let retail = service_id(PROD, "rg-apim-prod-eus", "apim-retail-eus");
    let r = emu.start_op(&retail, "backup", &mi).await;
    assert_eq!(r.status().as_u16(), 400);
    // Storage with a firewall in the service's own region refuses APIM's control plane.
    let prod_key = emu.key(PROD, "rg-apim-prod-weu", "stcontosoprodweu").await;
    let dev = service_id(DEV, "rg-apim-dev", "apim-dev-weu");
    let r = emu
        .start_op(
            &dev,
            "backup",
            &body("stcontosoprodweu", "apim-backups", "x", &prod_key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["error"]["message"],
        "Invalid parameter: This request is not authorized to perform this operation.\r\nParameter name: backupStorageAccount"
    );
    // A backup into a missing container creates it (the current documentation).
    let key = emu.dr_key().await;
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stcontosodrneu", "fresh-container", "x", &key),
        )
        .await;
    assert_eq!(emu.poll(&location_of(&r)).await.0, 200);
    assert_eq!(blob_names(&emu, "stcontosodrneu", "fresh-container"), ["x"]);

    let mut config = demo_config();
    config.backup_creates_container = false;
    let emu = start(config).await;
    let key = emu.dr_key().await;
    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stcontosodrneu", "fresh-container", "x", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["error"]["message"],
        "Invalid parameter: The specified container does not exist.\r\nParameter name: backupContainerName"
    );
}

#[tokio::test]
async fn the_state_file_follows_every_change_even_unpolled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut config = demo_config();
    config.state_file = Some(path.clone());
    let emu = start(config).await;
    let read =
        || -> Value { serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap() };
    assert_eq!(read()["services"].as_object().unwrap().len(), 10);
    let key = emu.dr_key().await;
    let blob = backup_aged(
        &emu,
        "stcontosodrneu",
        "apim-backups",
        "apim-contoso-weu/",
        1.3,
    );
    let r = emu
        .start_op(
            &contoso_neu(),
            "restore",
            &body("stcontosodrneu", "apim-backups", &blob, &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    assert_eq!(
        read()["services"][contoso_neu()]["provisioning_state"],
        "Updating"
    );
    // Nobody polls: the ticker finishes the restore (0.6 s) and rewrites the file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while read()["services"][contoso_neu()]["provisioning_state"] == "Updating" {
        assert!(
            std::time::Instant::now() < deadline,
            "the ticker never finished the restore"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let state = read();
    assert_eq!(
        state["services"][contoso_neu()]["provisioning_state"],
        "Succeeded"
    );
    assert_eq!(
        state["services"][contoso_neu()]["apis"]
            .as_array()
            .unwrap()
            .len(),
        14
    );
    assert_eq!(state["posts"][0]["kind"], "restore");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(&key),
        "the state file must not hold storage keys"
    );
    assert!(!text.contains(&emu.token));
    assert!(!dir.path().join("state.json.tmp").exists());
}
