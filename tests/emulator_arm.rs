//! The emulator's ARM surface against plain HTTP: authentication and api-version errors, the
//! headers on every reply, case-insensitive names, paging with `nextLink`, and the shapes of
//! subscriptions, locations, services, APIs and storage accounts.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;

use apim_dr::emulator::{EmulatorConfig, World};
use helpers::{APIM, DEV, DR, PROD, contoso_weu, demo_config, service_id, start};
use serde_json::Value;

#[tokio::test]
async fn authentication_errors_look_like_arm() {
    let emu = start(demo_config()).await;
    let url = emu.url("/subscriptions?api-version=2022-12-01");
    let r = emu.http.get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer authorization_uri=")
    );
    assert!(r.headers().contains_key("x-ms-request-id"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "AuthenticationFailed");

    let r = emu
        .http
        .get(&url)
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "InvalidAuthenticationToken");

    let r = emu
        .http
        .get(&url)
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // The drill endpoint needs the token too.
    let r = emu
        .http
        .get(emu.url("/_emulator/state"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn api_version_errors_name_the_supported_versions() {
    let emu = start(demo_config()).await;
    let (status, v) = emu.get_json("/subscriptions").await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (400, Some("MissingApiVersionParameter"))
    );
    let (status, v) = emu.get_json("/subscriptions?api-version=2099-01-01").await;
    assert_eq!(status, 400);
    assert_eq!(v["error"]["code"], "InvalidApiVersionParameter");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2022-12-01")
    );
    let (status, v) = emu
        .get_json(&format!("/subscriptions/{PROD}/providers/Microsoft.Storage/storageAccounts?api-version=2024-05-01-preview"))
        .await;
    assert_eq!(status, 400);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2023-05-01")
    );
    // APIM's own versions are refused on Resources routes and the other way round.
    let (status, _) = emu
        .get_json(&format!("{}?api-version=2022-12-01", contoso_weu()))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn every_reply_carries_arm_headers() {
    let emu = start(demo_config()).await;
    let r = emu
        .http
        .get(emu.url("/subscriptions?api-version=2022-12-01"))
        .bearer_auth(&emu.token)
        .header("x-ms-correlation-request-id", "corr-123")
        .header("x-ms-client-request-id", "client-9")
        .header("x-ms-return-client-request-id", "true")
        .send()
        .await
        .unwrap();
    let h = r.headers();
    assert!(uuid::Uuid::parse_str(h["x-ms-request-id"].to_str().unwrap()).is_ok());
    assert_eq!(h["x-ms-correlation-request-id"], "corr-123");
    assert_eq!(h["x-ms-client-request-id"], "client-9");
    assert!(
        h["x-ms-routing-request-id"]
            .to_str()
            .unwrap()
            .starts_with("WESTEUROPE:")
    );
    assert!(h["date"].to_str().unwrap().ends_with("GMT"));
    // A tenant-level read reports the tenant's bucket (tests/emulator_faults.rs has the rest).
    assert_eq!(h["x-ms-ratelimit-remaining-tenant-reads"], "249");
    let r = emu.get("/subscriptions?api-version=2022-12-01").await;
    assert!(!r.headers().contains_key("x-ms-client-request-id"));
    assert!(
        uuid::Uuid::parse_str(r.headers()["x-ms-correlation-request-id"].to_str().unwrap()).is_ok()
    );
}

#[tokio::test]
async fn names_match_case_insensitively_and_echo_stored_casing() {
    let emu = start(demo_config()).await;
    let path = format!(
        "/SUBSCRIPTIONS/{}/RESOURCEGROUPS/RG-APIM-PROD-WEU/PROVIDERS/MICROSOFT.APIMANAGEMENT/SERVICE/APIM-CONTOSO-WEU?{APIM}",
        PROD.to_uppercase()
    );
    let (status, v) = emu.get_json(&path).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "apim-contoso-weu");
    assert_eq!(v["id"], contoso_weu());
}

#[tokio::test]
async fn missing_things_are_404_with_arms_codes() {
    let emu = start(demo_config()).await;
    let (s, v) = emu.get_json(&format!("/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.ApiManagement/service?{APIM}")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (404, Some("SubscriptionNotFound"))
    );
    let (s, v) = emu
        .get_json(&format!(
            "{}?{APIM}",
            service_id(PROD, "rg-nope", "apim-contoso-weu")
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (404, Some("ResourceGroupNotFound"))
    );
    let (s, v) = emu
        .get_json(&format!(
            "{}?{APIM}",
            service_id(PROD, "rg-apim-prod-weu", "apim-nope")
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (404, Some("ResourceNotFound"))
    );
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("The Resource 'Microsoft.ApiManagement/service/apim-nope' under resource group 'rg-apim-prod-weu' was not found"));
    let (s, _) = emu
        .get_json(&format!(
            "/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines?{APIM}"
        ))
        .await;
    assert_eq!(s, 400);
    let r = emu
        .post(&format!("{}?{APIM}", contoso_weu()), &serde_json::json!({}))
        .await;
    assert_eq!(r.status().as_u16(), 405);
}

/// Follows `nextLink` from `first`, checking every link is absolute and keeps the api-version.
async fn all_pages(emu: &helpers::Emu, first: &str, version: &str) -> (usize, Vec<Value>) {
    let mut url = emu.url(first);
    let (mut pages, mut items) = (0, Vec::new());
    loop {
        let r = emu.send(reqwest::Method::GET, &url, None).await;
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().await.unwrap();
        pages += 1;
        items.extend(v["value"].as_array().unwrap().iter().cloned());
        match v["nextLink"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&emu.arm), "{next}");
                assert!(
                    next.contains(&format!("api-version={version}"))
                        && next.contains("$skipToken="),
                    "{next}"
                );
                next.clone_into(&mut url);
            }
            None => return (pages, items),
        }
    }
}

#[tokio::test]
async fn service_lists_page_with_next_link() {
    let mut config = demo_config();
    config.page_size = 2;
    let emu = start(config).await;
    let (pages, items) = all_pages(
        &emu,
        &format!("/subscriptions/{PROD}/providers/Microsoft.ApiManagement/service?{APIM}"),
        "2024-05-01",
    )
    .await;
    assert_eq!((pages, items.len()), (2, 4));
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "apim-contoso-weu",
            "apim-partners-weu",
            "apim-retail-eus",
            "apim-mobile-cons"
        ]
    );
    let (pages, items) = all_pages(
        &emu,
        &format!("/subscriptions/{PROD}/resourceGroups/rg-apim-prod-weu/providers/Microsoft.ApiManagement/service?{APIM}"),
        "2024-05-01",
    )
    .await;
    assert_eq!((pages, items.len()), (2, 3));
    let (pages, items) = all_pages(
        &emu,
        &format!("{}/apis?{APIM}", contoso_weu()),
        "2024-05-01",
    )
    .await;
    assert_eq!((pages, items.len()), (7, 14));
    assert_eq!(items[0]["type"], "Microsoft.ApiManagement/service/apis");
    assert_eq!(items[0]["id"], format!("{}/apis/orders-v2", contoso_weu()));
    assert_eq!(items[0]["properties"]["path"], "orders/v2");
    let (pages, items) =
        all_pages(&emu, "/subscriptions?api-version=2022-12-01", "2022-12-01").await;
    assert_eq!((pages, items.len()), (2, 3));
    let (s, v) = emu
        .get_json("/subscriptions?api-version=2022-12-01&$skipToken=bogus")
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (400, Some("InvalidSkipToken"))
    );
}

#[tokio::test]
async fn storage_account_lists_page_and_point_at_the_blob_port() {
    let accounts: Vec<String> = (1..=5)
        .map(|i| format!(r#"{{"subscription":"{PROD}","resource_group":"rg-st","name":"stpage{i}","location":"westeurope","firewall":{}}}"#, i == 3))
        .collect();
    let world = format!(
        r#"{{"subscriptions":[{{"id":"{PROD}","display_name":"P"}}],"storage_accounts":[{}]}}"#,
        accounts.join(",")
    );
    let mut config = EmulatorConfig::new(World::from_json(&world).unwrap());
    config.page_size = 2;
    let emu = start(config).await;
    let (pages, items) =
        all_pages(&emu, &format!("/subscriptions/{PROD}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01"), "2023-05-01").await;
    assert_eq!((pages, items.len()), (3, 5));
    let third = &items[2];
    assert_eq!(third["name"], "stpage3");
    assert_eq!(third["kind"], "StorageV2");
    assert_eq!(third["sku"]["name"], "Standard_RAGRS");
    assert_eq!(
        third["properties"]["primaryEndpoints"]["blob"],
        format!("{}/stpage3/", emu.blob)
    );
    assert_eq!(third["properties"]["networkAcls"]["defaultAction"], "Deny");
    assert_eq!(
        items[0]["properties"]["networkAcls"]["defaultAction"],
        "Allow"
    );
    assert_eq!(third["properties"]["allowSharedKeyAccess"], true);
    assert_eq!(third["properties"]["provisioningState"], "Succeeded");
    let (pages, _) = all_pages(
        &emu,
        &format!("/subscriptions/{PROD}/resourceGroups/rg-st/providers/Microsoft.Storage/storageAccounts?api-version=2025-01-01"),
        "2025-01-01",
    )
    .await;
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn list_keys_gives_two_full_keys() {
    let emu = start(demo_config()).await;
    let path = format!(
        "/subscriptions/{DR}/resourceGroups/rg-apim-dr-neu/providers/Microsoft.Storage/storageAccounts/stcontosodrneu/listKeys?api-version=2023-05-01"
    );
    let r = emu.post(&path, &serde_json::json!({})).await;
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    let keys = v["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(
        (keys[0]["keyName"].as_str(), keys[0]["permissions"].as_str()),
        (Some("key1"), Some("FULL"))
    );
    assert_eq!(keys[1]["keyName"], "key2");
    assert!(keys[0]["creationTime"].is_string());
    let r = emu.get(&path).await;
    assert_eq!(r.status().as_u16(), 405);
}

#[tokio::test]
async fn services_look_like_the_published_examples() {
    let emu = start(demo_config()).await;
    let (_, v) = emu.get_json(&format!("{}?{APIM}", contoso_weu())).await;
    assert_eq!(v["type"], "Microsoft.ApiManagement/service");
    assert_eq!(v["location"], "West Europe");
    assert_eq!(
        (v["sku"]["name"].as_str(), v["sku"]["capacity"].as_u64()),
        (Some("Standard"), Some(2))
    );
    let p = &v["properties"];
    assert_eq!(p["provisioningState"], "Succeeded");
    assert_eq!(p["targetProvisioningState"], "");
    // Gateways are served over loopback, their Azure host names in the path (FIDELITY).
    let gateway = |host: &str| format!("{}/_gateway/{host}", emu.arm);
    assert_eq!(p["gatewayUrl"], gateway("apim-contoso-weu.azure-api.net"));
    assert_eq!(
        p["gatewayRegionalUrl"],
        gateway("apim-contoso-weu-westeurope-01.regional.azure-api.net")
    );
    assert_eq!(p["platformVersion"], "stv2");
    let hosts = p["hostnameConfigurations"].as_array().unwrap();
    assert_eq!(hosts[0]["certificateSource"], "BuiltIn");
    assert_eq!(
        (
            hosts[1]["hostName"].as_str(),
            hosts[1]["certificateSource"].as_str()
        ),
        (Some("api.contoso.com"), Some("Custom"))
    );
    assert_eq!(v["identity"]["type"], "SystemAssigned");
    assert!(v["etag"].is_string());

    let partners = service_id(PROD, "rg-apim-prod-weu", "apim-partners-weu");
    let (_, v) = emu.get_json(&format!("{partners}?{APIM}")).await;
    let extra = &v["properties"]["additionalLocations"][0];
    assert_eq!(extra["location"], "North Europe");
    assert_eq!(extra["sku"]["name"], "Premium");
    assert_eq!(
        extra["gatewayRegionalUrl"],
        gateway("apim-partners-weu-northeurope-01.regional.azure-api.net")
    );

    let cons = service_id(PROD, "rg-apim-prod-weu", "apim-mobile-cons");
    let (s, v) = emu.get_json(&format!("{cons}?{APIM}")).await;
    assert_eq!(s, 200, "no api-version cap on a service: {v}");
    assert_eq!(v["sku"]["capacity"], 0);
    assert!(
        v["properties"].get("portalUrl").is_none()
            && v["properties"].get("gatewayRegionalUrl").is_none()
    );

    let v2 = service_id(DR, "rg-apim-dr-neu", "apim-edge-v2-neu");
    let (s, v) = emu.get_json(&format!("{v2}?api-version=2022-08-01")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (400, Some("OperationSupportedInSkuForApiVersions"))
    );
    let (s, _) = emu.get_json(&format!("{v2}?{APIM}")).await;
    assert_eq!(s, 200);
    let (s, v) = emu
        .get_json(&format!("{}/skus?{APIM}", contoso_weu()))
        .await;
    assert_eq!(
        (s, v["value"][0]["sku"]["name"].as_str()),
        (200, Some("Developer"))
    );
}

#[tokio::test]
async fn subscriptions_locations_and_resource_groups() {
    let emu = start(demo_config()).await;
    let (_, v) = emu
        .get_json(&format!("/subscriptions/{DEV}?api-version=2016-06-01"))
        .await;
    assert_eq!(v["displayName"], "Contoso Dev & Test");
    assert_eq!(v["state"], "Enabled");
    assert_eq!(v["subscriptionId"], DEV);
    let (s, v) = emu
        .get_json(&format!(
            "/subscriptions/{DEV}/locations?api-version=2022-12-01"
        ))
        .await;
    assert_eq!(s, 200);
    let locs = v["value"].as_array().unwrap();
    assert_eq!(locs.len(), 5);
    assert_eq!(locs[0]["name"], "westeurope");
    assert_eq!(locs[0]["displayName"], "West Europe");
    assert_eq!(
        locs[0]["metadata"]["pairedRegion"][0]["name"],
        "northeurope"
    );
    assert!(v.get("nextLink").is_none());
    let (s, v) = emu
        .get_json(&format!(
            "/subscriptions/{DR}/resourcegroups/RG-APIM-DR-NEU?api-version=2021-04-01"
        ))
        .await;
    assert_eq!((s, v["name"].as_str()), (200, Some("rg-apim-dr-neu")));
    let (s, v) = emu
        .get_json(&format!(
            "/subscriptions/{DR}/resourcegroups?api-version=2021-04-01"
        ))
        .await;
    assert_eq!((s, v["value"].as_array().map(Vec::len)), (200, Some(3)));
}

#[tokio::test]
async fn the_drill_endpoint_and_odd_requests() {
    let emu = start(demo_config()).await;
    let (s, v) = emu.get_json("/_emulator/state").await;
    assert_eq!(s, 200);
    assert_eq!(v["services"].as_object().unwrap().len(), 10);
    // Odd paths and a huge header are answered, never crash the server.
    for path in [
        "/",
        "//subscriptions/%ff%fe?api-version=2022-12-01",
        "/subscriptions/x/y/z/w/v?api-version=1",
        "/%00",
    ] {
        let r = emu.get(path).await;
        assert!(r.status().is_client_error(), "{path}: {}", r.status());
    }
    let r = emu
        .http
        .get(emu.url("/subscriptions?api-version=2022-12-01"))
        .bearer_auth(&emu.token)
        .header("x-huge", "a".repeat(512 * 1024))
        .send()
        .await;
    if let Ok(r) = r {
        assert!(r.status().is_client_error());
    }
    let (s, _) = emu.get_json("/subscriptions?api-version=2022-12-01").await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn generated_worlds_serve_every_subscription() {
    let world = World::generate("gen:subs=20,services=50,backups=100,seed=7").unwrap();
    let mut config = EmulatorConfig::new(world);
    config.page_size = 7;
    let emu = start(config).await;
    let (_, subs) = all_pages(&emu, "/subscriptions?api-version=2022-12-01", "2022-12-01").await;
    assert_eq!(subs.len(), 20);
    let (mut services, mut accounts) = (0, 0);
    for s in &subs {
        let id = s["subscriptionId"].as_str().unwrap();
        let path = format!("/subscriptions/{id}/providers/Microsoft.ApiManagement/service?{APIM}");
        services += all_pages(&emu, &path, "2024-05-01").await.1.len();
        let path = format!(
            "/subscriptions/{id}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01"
        );
        accounts += all_pages(&emu, &path, "2023-05-01").await.1.len();
    }
    assert_eq!((services, accounts), (50, 20));
    let snap = emu.handle.snapshot();
    let blobs: usize = snap
        .storage
        .values()
        .flat_map(|c| c.values())
        .map(Vec::len)
        .sum();
    assert_eq!(blobs, 100);
}
