//! The world of the storage-access tests (`emulator_storage_access.rs`,
//! `emulator_firewall_identity.rs`): three services, one storage account per storage setting
//! (CORS, firewall kinds, Shared Key off, public access off), role assignments; and the helpers
//! that POST against it and expect Azure's exact answers.
#![allow(dead_code)]

use apim_dr::emulator::{EmulatorConfig, StorageErrors, World};
use serde_json::{Value, json};

use super::helpers::{Emu, body, service_id, start};

pub const SUB: &str = "11111111-2222-4333-8444-555555555555";
pub const ST: &str = "api-version=2023-05-01";
/// Where APIM in West Europe reaches storage from, in this world.
pub const WEU_CONTROL_PLANE: &str = "51.145.179.78";

pub fn account(name: &str, location: &str, extra: &str) -> String {
    format!(
        r#"{{"subscription":"{SUB}","resource_group":"rg-st","name":"{name}","location":"{location}",
        "containers":[{{"name":"backups","blobs":[{{"name":"src.apimbackup","age_days":1,"backup":{{"service":"apim-src"}}}}]}}]{extra}}}"#
    )
}

/// apim-src (West Europe, system + user-assigned identity), apim-dst (North Europe, system
/// identity), apim-noid (no identity); one storage account per storage setting.
pub fn world(roles: &str, caller: &str) -> World {
    let accounts = [
        account("stplain", "northeurope", ""),
        account(
            "stcors",
            "northeurope",
            r#","blob_cors":[{"allowed_origins":["https://portal.contoso.com"],"allowed_methods":["GET","OPTIONS"]},
              {"allowed_origins":["*"],"allowed_methods":["GET","PUT","PATCH"],"max_age_in_seconds":60,"exposed_headers":["x-ms-meta-*"]}]"#,
        ),
        account(
            "stcorsget",
            "northeurope",
            r#","blob_cors":[{"allowed_origins":["*"],"allowed_methods":["GET"]}]"#,
        ),
        account(
            "stsameregion",
            "westeurope",
            &format!(
                r#","network_acls":{{"default_action":"Deny","bypass":"None","ip_rules":["{WEU_CONTROL_PLANE}","203.0.113.0/24"]}}"#
            ),
        ),
        account(
            "stotherregion",
            "northeurope",
            &format!(
                r#","network_acls":{{"default_action":"Deny","bypass":"None","ip_rules":["51.145.179.0/24"],
                "virtual_network_rules":["/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apim"]}}"#
            ),
        ),
        account(
            "sttrusted",
            "westeurope",
            r#","network_acls":{"default_action":"Deny","bypass":"Logging, AzureServices"}"#,
        ),
        account(
            "stinstance",
            "westeurope",
            &format!(
                r#","network_acls":{{"default_action":"Deny","bypass":"None","resource_access_rules":[{{"resource_id":"{}","tenant_id":"72f988bf-86f1-41af-91ab-2d7cd011db47"}}]}}"#,
                src()
            ),
        ),
        account("stnokey", "northeurope", r#","allow_shared_key_access":false"#),
        account(
            "stprivate",
            "northeurope",
            r#","public_network_access":"Disabled""#,
        ),
    ]
    .join(",");
    let text = format!(
        r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}]{caller},
        "locations":[{{"name":"westeurope","display_name":"West Europe","apim_control_plane_ip":"{WEU_CONTROL_PLANE}"}},
                     {{"name":"northeurope","display_name":"North Europe"}}],
        "services":[
          {{"subscription":"{SUB}","resource_group":"rg-apim","name":"apim-src","location":"West Europe","sku":"Standard",
            "identity":{{"system_assigned":true,"user_assigned":[{{"name":"id-backup","client_id":"0b0c0d0e-0000-4000-8000-000000000001"}}]}}}},
          {{"subscription":"{SUB}","resource_group":"rg-apim","name":"apim-dst","location":"North Europe","sku":"Standard","identity":"SystemAssigned"}},
          {{"subscription":"{SUB}","resource_group":"rg-apim","name":"apim-noid","location":"North Europe","sku":"Standard"}}],
        "storage_accounts":[{accounts}],
        "role_assignments":[{roles}]}}"#
    );
    World::from_json(&text).unwrap()
}

/// The role assignments most tests use.
pub const ROLES: &str = r#"
    {"principal":"apim-src","role":"Storage Blob Data Contributor","scope":"stplain"},
    {"principal":"apim-src","role":"Storage Blob Data Contributor","scope":"stcors"},
    {"principal":"apim-src","role":"Storage Blob Data Owner","scope":"sttrusted"},
    {"principal":"apim-src","role":"Storage Blob Data Contributor","scope":"stinstance"},
    {"principal":"apim-src","role":"Storage Blob Data Contributor","scope":"stprivate"},
    {"principal":"apim-src/id-backup","role":"Storage Blob Data Contributor","scope":"/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-st"},
    {"principal":"apim-dst","role":"Owner","scope":"/subscriptions/11111111-2222-4333-8444-555555555555"}"#;

pub fn src() -> String {
    service_id(SUB, "rg-apim", "apim-src")
}

pub fn dst() -> String {
    service_id(SUB, "rg-apim", "apim-dst")
}

pub fn account_path(name: &str) -> String {
    format!(
        "/subscriptions/{SUB}/resourceGroups/rg-st/providers/Microsoft.Storage/storageAccounts/{name}"
    )
}

pub async fn emulator(roles: &str, caller: &str, storage_errors: StorageErrors) -> Emu {
    let mut config = EmulatorConfig::new(world(roles, caller));
    config.speed = 3000.0;
    config.storage_errors = storage_errors;
    start(config).await
}

pub fn identity(account: &str, blob: &str) -> Value {
    json!({"storageAccount": account, "containerName": "backups", "backupName": blob,
           "accessType": "SystemAssignedManagedIdentity"})
}

pub async fn key_body(emu: &Emu, account: &str, container: &str, blob: &str) -> Value {
    let key = emu.key(SUB, "rg-st", account).await;
    body(account, container, blob, &key)
}

/// Status and body of a POST, plus `x-ms-failure-cause`.
pub async fn post(emu: &Emu, service: &str, action: &str, body: &Value) -> (u16, Value) {
    let r = emu.start_op(service, action, body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Asserts a 202 and polls the operation to its successful end (so the service is idle again).
pub async fn accepted(emu: &Emu, service: &str, action: &str, body: &Value) {
    let r = emu.start_op(service, action, body).await;
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    let text = r.text().await.unwrap();
    assert_eq!(status, 202, "{service}/{action}: {text}");
    let (status, v) = emu.poll(&location.unwrap()).await;
    assert_eq!(status, 200, "{service}/{action}: {v}");
}

/// The exact `400 InvalidParameters` APIM sends for a Storage refusal.
pub fn invalid_parameter(text: &str, parameter: &str) -> Value {
    json!({"error": {
        "code": "InvalidParameters",
        "message": format!("Invalid parameter: {text}\r\nParameter name: {parameter}"),
        "details": null,
        "innerError": null,
    }})
}

pub const AUTHORIZATION_FAILURE: &str = "This request is not authorized to perform this operation.";
