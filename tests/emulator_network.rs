//! The emulator's Azure DNS and Traffic Manager (`Microsoft.Network`), over loopback with plain
//! HTTP: the conditional headers and their 412s, a new record set's 201, Azure DNS's 404
//! wording, the api-versions, writes to Azure endpoints not emulated, a profile's shape (the
//! azure-rest-api-specs examples).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::emu;

const WEU: &str = "apim-contoso-weu.azure-api.net";
const RECORD: &str = "/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/contoso.com/CNAME/api";
const ENDPOINT: &str = "/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-dns/providers/Microsoft.Network/trafficManagerProfiles/tm-contoso-api/externalEndpoints/weu";

#[tokio::test]
async fn the_emulator_answers_dns_and_traffic_manager_as_azure_does() {
    let h = emu::start(emu::fast_config()).await;
    let base = h.arm_endpoint().to_string();
    let token = h.token().expose().to_owned();
    let http = reqwest::Client::new();
    let url =
        |path: &str, v: &str| format!("{}{}?api-version={v}", base.trim_end_matches('/'), path);
    let body =
        serde_json::json!({"properties": {"TTL": 60, "CNAMERecord": {"cname": "x.azure-api.net"}}});

    let exists = http
        .put(url(RECORD, "2018-05-01"))
        .bearer_auth(&token)
        .header("if-none-match", "*")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(exists.status(), 412);
    let text = exists.text().await.unwrap();
    assert!(
        text.contains("The condition '*' in the If-None-Match header was satisfied."),
        "{text}"
    );

    let new = RECORD.replace("/CNAME/api", "/CNAME/api2");
    let created = http
        .put(url(&new, "2018-05-01"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.unwrap();
    assert_eq!(created["type"], "Microsoft.Network/dnszones/CNAME");
    assert_eq!(created["properties"]["fqdn"], "api2.contoso.com.");
    assert_eq!(created["properties"]["TTL"], 60);

    let missing = http
        .get(url(
            &RECORD.replace("/CNAME/api", "/CNAME/www"),
            "2018-05-01",
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let text = missing.text().await.unwrap();
    assert!(
        text.contains("\"NotFound\"") && text.contains("The resource record 'www' does not exist"),
        "{text}"
    );

    let old_version = http
        .get(url(RECORD, "2024-01-01"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(old_version.status(), 400);
    assert!(
        old_version
            .text()
            .await
            .unwrap()
            .contains("InvalidApiVersionParameter")
    );

    let azure_ep = ENDPOINT.replace("externalEndpoints", "azureEndpoints");
    let patch = http
        .patch(url(&azure_ep, "2022-04-01"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"properties": {"target": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        patch.status(),
        405,
        "writes to Azure endpoints are not emulated"
    );
    let profile = ENDPOINT.replace("/externalEndpoints/weu", "");
    let p: serde_json::Value = http
        .get(url(&profile, "2022-04-01"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        p["properties"]["dnsConfig"]["fqdn"],
        "contoso-api.trafficmanager.net"
    );
    assert_eq!(p["properties"]["endpoints"][0]["properties"]["target"], WEU);
    assert_eq!(
        p["properties"]["endpoints"][0]["type"],
        "Microsoft.Network/trafficManagerProfiles/externalEndpoints"
    );
}
