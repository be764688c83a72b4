//! The storage firewall and managed identities as API Management meets them, over loopback:
//! `networkAcls` and `publicNetworkAccess` as ARM serves them, IP rules that never admit a
//! same-region caller, trusted services with a managed identity, Shared Key turned off, the
//! operator meeting the same firewall on the data plane; identities that need Storage Blob
//! Data Contributor, and the role assignments ARM lists (or refuses to list).

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;
#[path = "emulator_common/storage_world.rs"]
mod storage_world;

use apim_dr::emulator::StorageErrors;
use helpers::service_id;
use reqwest::Method;
use serde_json::json;
use storage_world::*;

#[tokio::test]
async fn the_firewall_admits_apim_as_storage_does() {
    let emu = emulator(ROLES, "", StorageErrors::Post).await;
    let (_, v) = emu
        .get_json(&format!("{}?{ST}", account_path("stotherregion")))
        .await;
    let acls = &v["properties"]["networkAcls"];
    assert_eq!(acls["defaultAction"], "Deny");
    assert_eq!(acls["bypass"], "None");
    assert_eq!(
        acls["ipRules"],
        json!([{"value": "51.145.179.0/24", "action": "Allow"}])
    );
    assert_eq!(acls["virtualNetworkRules"][0]["state"], "Succeeded");
    assert_eq!(v["properties"]["publicNetworkAccess"], "Enabled");
    let (_, v) = emu
        .get_json(&format!("{}?{ST}", account_path("sttrusted")))
        .await;
    assert_eq!(
        v["properties"]["networkAcls"]["bypass"],
        "Logging, AzureServices"
    );
    let (_, v) = emu
        .get_json(&format!("{}?{ST}", account_path("stinstance")))
        .await;
    assert_eq!(
        v["properties"]["networkAcls"]["resourceAccessRules"][0]["resourceId"],
        src()
    );

    let blocked = (
        400,
        invalid_parameter(AUTHORIZATION_FAILURE, "backupStorageAccount"),
    );
    // The IP rule lists APIM's control plane, but the account is in APIM's own region.
    let b = key_body(&emu, "stsameregion", "backups", "k").await;
    assert_eq!(post(&emu, &src(), "backup", &b).await, blocked);
    // From another region the same kind of rule admits it.
    let b = key_body(&emu, "stotherregion", "backups", "k").await;
    accepted(&emu, &src(), "backup", &b).await;
    // Trusted services: only with a managed identity (and its role).
    let b = key_body(&emu, "sttrusted", "backups", "k").await;
    assert_eq!(post(&emu, &src(), "backup", &b).await, blocked);
    accepted(&emu, &src(), "backup", &identity("sttrusted", "mi")).await;
    accepted(&emu, &src(), "backup", &identity("stinstance", "mi")).await;
    // Public network access off: nothing gets in, trusted or not.
    let b = key_body(&emu, "stprivate", "backups", "k").await;
    assert_eq!(post(&emu, &dst(), "backup", &b).await, blocked);
    assert_eq!(
        post(&emu, &src(), "backup", &identity("stprivate", "mi")).await,
        blocked
    );
    // Shared Key off: the key path fails although listKeys answers.
    let b = key_body(&emu, "stnokey", "backups", "k").await;
    assert_eq!(
        post(&emu, &dst(), "backup", &b).await,
        (
            400,
            invalid_parameter(
                "Key based authentication is not permitted on this storage account.",
                "backupStorageAccount"
            )
        )
    );
}

#[tokio::test]
async fn the_operator_meets_the_firewall_on_the_data_plane() {
    /// List Containers on the Blob port, signed with the account's key.
    async fn list(emu: &helpers::Emu, account: &str) -> reqwest::Response {
        let key = emu.key(SUB, "rg-st", account).await;
        let path = format!("/{account}/?comp=list");
        emu.blob_request(Method::GET, account, &key, &path, &[], None)
            .await
    }
    let emu = emulator(
        ROLES,
        r#","caller":{"ip":"198.51.100.7"}"#,
        StorageErrors::Post,
    )
    .await;
    let r = list(&emu, "stsameregion").await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(r.headers()["x-ms-error-code"], "AuthorizationFailure");
    assert!(r.text().await.unwrap().contains(AUTHORIZATION_FAILURE));
    // ARM still shows the account and its containers: pre-flight can read them there.
    let containers = format!(
        "{}/blobServices/default/containers",
        account_path("stsameregion")
    );
    let (s, v) = emu.get_json(&format!("{containers}?{ST}")).await;
    assert_eq!((s, v["value"][0]["name"].as_str()), (200, Some("backups")));
    let (s, v) = emu.get_json(&format!("{containers}/backups?{ST}")).await;
    assert_eq!(
        (s, v["type"].as_str()),
        (
            200,
            Some("Microsoft.Storage/storageAccounts/blobServices/containers")
        )
    );
    let (s, v) = emu.get_json(&format!("{containers}/gone?{ST}")).await;
    assert_eq!(
        (
            s,
            v["error"]["code"].as_str(),
            v["error"]["message"].as_str()
        ),
        (
            404,
            Some("ContainerNotFound"),
            Some("The specified container does not exist.")
        )
    );
    // The office range in the default caller's world is admitted; nobody passes a
    // disabled public network access.
    let emu = emulator(ROLES, "", StorageErrors::Post).await;
    assert_eq!(list(&emu, "stsameregion").await.status().as_u16(), 200);
    assert_eq!(list(&emu, "stprivate").await.status().as_u16(), 403);
}

#[tokio::test]
async fn a_managed_identity_needs_blob_data_contributor_on_the_account() {
    let emu = emulator(ROLES, "", StorageErrors::Post).await;
    let mismatch = (
        400,
        invalid_parameter(
            "This request is not authorized to perform this operation using this permission.",
            "backupStorageAccount",
        ),
    );
    // apim-dst holds Owner on the subscription: no data actions, so no blob access.
    assert_eq!(
        post(
            &emu,
            &dst(),
            "restore",
            &identity("stplain", "src.apimbackup")
        )
        .await,
        mismatch
    );
    assert_eq!(
        post(&emu, &dst(), "backup", &identity("stnokey", "mi")).await,
        mismatch
    );
    let user = json!({"storageAccount": "stnokey", "containerName": "backups", "backupName": "u",
        "accessType": "UserAssignedManagedIdentity", "clientId": "0b0c0d0e-0000-4000-8000-000000000001"});
    let (s, v) = post(&emu, &dst(), "backup", &user).await;
    assert_eq!(
        s, 400,
        "the client id belongs to apim-src, not apim-dst: {v}"
    );
    assert_eq!(
        v["error"]["message"],
        "Invalid parameter: No user-assigned managed identity with this client id is assigned to the service.\r\nParameter name: clientId"
    );
    let noid = service_id(SUB, "rg-apim", "apim-noid");
    assert_eq!(
        post(
            &emu,
            &noid,
            "restore",
            &identity("stplain", "src.apimbackup")
        )
        .await,
        (
            400,
            json!({"error": {"code": "InvalidParameters",
            "message": "Invalid parameter: System-assigned managed identity is not enabled on the service.\r\nParameter name: accessType",
            "details": null, "innerError": null}})
        )
    );
    // The source's identity holds the role on the account: its backup goes through; its
    // user-assigned identity holds it on the resource group (inherited).
    accepted(&emu, &src(), "backup", &identity("stplain", "mi")).await;
    accepted(&emu, &src(), "backup", &user).await;

    // With the role granted to the target, the restore goes through.
    let roles = format!(
        r#"{ROLES},{{"principal":"apim-dst","role":"ba92f5b4-2d11-453d-a403-e96b0029c9fe","scope":"/subscriptions/{SUB}/resourceGroups/rg-st/providers/Microsoft.Storage/storageAccounts/stplain"}}"#
    );
    let emu = emulator(&roles, "", StorageErrors::Post).await;
    accepted(
        &emu,
        &dst(),
        "restore",
        &identity("stplain", "src.apimbackup"),
    )
    .await;
    assert_eq!(
        emu.handle
            .snapshot()
            .service("apim-dst")
            .unwrap()
            .restored_from
            .as_ref()
            .map(|b| b.blob.as_str()),
        Some("src.apimbackup")
    );
}

#[tokio::test]
async fn role_assignments_are_listed_by_scope_and_filter() {
    let emu = emulator(ROLES, "", StorageErrors::Post).await;
    let list = |scope: String, filter: &str| {
        let filter = if filter.is_empty() {
            String::new()
        } else {
            format!(
                "&$filter={}",
                url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>()
            )
        };
        format!(
            "{scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01{filter}"
        )
    };
    let (s, v) = emu
        .get_json(&list(account_path("stplain"), "atScope()"))
        .await;
    assert_eq!(s, 200, "{v}");
    let items = v["value"].as_array().unwrap();
    // At the account, on its resource group and on the subscription.
    assert_eq!(items.len(), 3, "{v}");
    let first = &items[0];
    assert_eq!(first["type"], "Microsoft.Authorization/roleAssignments");
    assert_eq!(
        first["properties"]["roleDefinitionId"],
        format!(
            "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
        )
    );
    assert_eq!(first["properties"]["principalType"], "ServicePrincipal");
    assert_eq!(first["properties"]["scope"], account_path("stplain"));
    assert_eq!(
        first["id"],
        format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{}",
            account_path("stplain"),
            first["name"].as_str().unwrap()
        )
    );
    let (_, svc) = emu
        .get_json(&format!("{}?api-version=2024-05-01", src()))
        .await;
    let principal = svc["identity"]["principalId"].as_str().unwrap().to_owned();
    assert_eq!(first["properties"]["principalId"], principal);
    let (_, v) = emu
        .get_json(&list(
            format!("/subscriptions/{SUB}"),
            &format!("principalId eq '{principal}'"),
        ))
        .await;
    assert_eq!(v["value"].as_array().unwrap().len(), 5, "at and below: {v}");
    let (_, v) = emu
        .get_json(&list(format!("/subscriptions/{SUB}"), "atScope()"))
        .await;
    assert_eq!(
        v["value"].as_array().unwrap().len(),
        1,
        "only the subscription's own: {v}"
    );
    let (s, v) = emu
        .get_json(&list(account_path("stplain"), "roleName eq 'Owner'"))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (400, Some("UnsupportedQuery"))
    );

    let oid = "5e1f7c3a-0000-4000-8000-00000000c0de";
    let emu = emulator(
        ROLES,
        &format!(r#","caller":{{"object_id":"{oid}","denied_actions":["Microsoft.Authorization/roleAssignments/read"]}}"#),
        StorageErrors::Post,
    )
    .await;
    let (s, v) = emu.get_json(&list(account_path("stplain"), "")).await;
    assert_eq!(s, 403);
    assert_eq!(
        v["error"],
        json!({"code": "AuthorizationFailed", "message": format!(
            "The client '{oid}' with object id '{oid}' does not have authorization to perform action \
             'Microsoft.Authorization/roleAssignments/read' over scope '{}/providers/Microsoft.Authorization' \
             or the scope is invalid. If access was recently granted, please refresh your credentials.",
            account_path("stplain")
        )})
    );
}
