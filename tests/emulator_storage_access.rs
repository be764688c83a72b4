//! Storage as API Management meets it, over loopback: CORS on the Blob service (served by ARM
//! at `blobServices/default`) and Storage's refusals in APIM's words (`400
//! InvalidParameters`, `Invalid parameter: …\r\nParameter name: …`), on the POST or, when the
//! emulator is told so, while polling. The firewall and identities are in
//! `emulator_firewall_identity.rs`.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;
#[path = "emulator_common/storage_world.rs"]
mod storage_world;

use apim_dr::emulator::StorageErrors;
use helpers::body;
use serde_json::json;
use storage_world::*;

#[tokio::test]
async fn a_cors_rule_allowing_patch_breaks_access_key_backups_only() {
    let emu = emulator(ROLES, "", StorageErrors::Post).await;
    let (s, v) = emu
        .get_json(&format!(
            "{}/blobServices/default?{ST}",
            account_path("stcors")
        ))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["name"], "default");
    assert_eq!(v["type"], "Microsoft.Storage/storageAccounts/blobServices");
    assert_eq!(
        v["properties"]["cors"]["corsRules"][1],
        json!({"allowedOrigins": ["*"], "allowedMethods": ["GET", "PUT", "PATCH"], "maxAgeInSeconds": 60,
               "exposedHeaders": ["x-ms-meta-*"], "allowedHeaders": []})
    );
    let (_, v) = emu
        .get_json(&format!(
            "{}/blobServices/default?{ST}",
            account_path("stplain")
        ))
        .await;
    assert_eq!(v["properties"]["cors"], json!({"corsRules": []}));
    let (_, v) = emu
        .get_json(&format!("{}/blobServices?{ST}", account_path("stcors")))
        .await;
    assert_eq!(v["value"][0]["name"], "default");

    let refused = key_body(&emu, "stcors", "backups", "b1").await;
    assert_eq!(
        post(&emu, &src(), "backup", &refused).await,
        (
            400,
            invalid_parameter(
                "Requested value 'GET,PUT,PATCH' was not found.",
                "backupStorageAccount"
            )
        )
    );
    let restore = key_body(&emu, "stcors", "backups", "src.apimbackup").await;
    assert_eq!(post(&emu, &dst(), "restore", &restore).await.0, 400);
    // The managed identity path does not read CORS with the old SDK; a rule without PATCH
    // does not break the access-key path either.
    accepted(&emu, &src(), "backup", &identity("stcors", "mi")).await;
    let fine = key_body(&emu, "stcorsget", "backups", "b2").await;
    accepted(&emu, &dst(), "backup", &fine).await;
}

#[tokio::test]
async fn storage_refusals_are_worded_as_apim_words_them() {
    let emu = emulator(ROLES, "", StorageErrors::Post).await;
    let key = emu.key(SUB, "rg-st", "stplain").await;
    for (container, blob, text, parameter) in [
        (
            "Bad_Container",
            "x",
            "The specifed resource name contains invalid characters.",
            "backupContainerName",
        ),
        (
            "UPPER",
            "x",
            "The specifed resource name contains invalid characters.",
            "backupContainerName",
        ),
        (
            "missing",
            "src.apimbackup",
            "The specified container does not exist.",
            "backupContainerName",
        ),
        (
            "backups",
            "nope.apimbackup",
            "The specified blob does not exist.",
            "backupName",
        ),
    ] {
        let b = body("stplain", container, blob, &key);
        assert_eq!(
            post(&emu, &dst(), "restore", &b).await,
            (400, invalid_parameter(text, parameter)),
            "{container}/{blob}"
        );
    }
    let b = body("stplain", "Bad_Container", "x", &key);
    assert_eq!(post(&emu, &src(), "backup", &b).await.0, 400);
    let wrong = body("stplain", "backups", "x", "d3JvbmcgYnV0IGJhc2U2NA==");
    assert_eq!(
        post(&emu, &src(), "backup", &wrong).await,
        (
            400,
            invalid_parameter(
                "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
                "backupStorageAccount"
            )
        )
    );
    let nowhere = body("stnowhere", "backups", "x", &key);
    assert_eq!(
        post(&emu, &src(), "backup", &nowhere).await,
        (
            400,
            invalid_parameter(
                "The remote name could not be resolved: 'stnowhere.blob.core.windows.net'",
                "backupStorageAccount"
            )
        )
    );
    let r = emu.start_op(&src(), "backup", &wrong).await;
    assert_eq!(r.headers()["x-ms-failure-cause"], "service");
    // Refused POSTs start nothing.
    assert!(emu.handle.snapshot().operations.is_empty());
}

#[tokio::test]
async fn storage_refusals_can_come_while_polling_instead() {
    let emu = emulator(ROLES, "", StorageErrors::Poll).await;
    let b = key_body(&emu, "stcors", "backups", "b1").await;
    let r = emu.start_op(&src(), "backup", &b).await;
    assert_eq!(r.status().as_u16(), 202);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let (status, v) = emu.poll(&location).await;
    assert_eq!(status, 400);
    assert_eq!(v["error"]["code"], "InvalidParameters");
    assert_eq!(
        v["error"]["message"],
        "Invalid parameter: Requested value 'GET,PUT,PATCH' was not found.\r\nParameter name: backupStorageAccount"
    );
    let snap = emu.handle.snapshot();
    assert_eq!(snap.operations[0].status, "Failed");
    assert!(
        snap.blobs("stcors", "backups").unwrap().len() == 1,
        "nothing written"
    );
}
