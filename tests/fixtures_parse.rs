//! The client parses every response body of Azure's published examples
//! (`../shared/fixtures/azure-rest-examples/`) without losing the fields a failover needs:
//! `sku`, `capacity`, `location`, `provisioningState`, `gatewayUrl`, `additionalLocations`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use apim_dr::azure::models::{
    Location, Page, ServiceResource, StorageAccount, StorageKeys, Subscription,
};
use apim_dr::domain::inventory::{StorageAccountSummary, SubscriptionSummary};
use apim_dr::domain::service::ServiceSummary;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        here.join("../shared/fixtures/azure-rest-examples"),
        PathBuf::from("/work/shared/fixtures/azure-rest-examples"),
    ];
    candidates
        .into_iter()
        .find(|p| p.is_dir())
        .expect("the shared Azure REST examples must be present")
}

fn all_examples() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut stack = vec![fixtures_dir()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                out.push((p.display().to_string(), v));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn check_service(file: &str, raw: &Value) {
    let parsed: ServiceResource =
        serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let s = ServiceSummary::from(parsed);
    assert_eq!(s.name, raw["name"].as_str().unwrap(), "{file}");
    assert_eq!(s.location, raw["location"].as_str().unwrap(), "{file}");
    assert_eq!(
        s.sku.as_str(),
        raw["sku"]["name"].as_str().unwrap(),
        "{file}"
    );
    assert_eq!(
        u64::from(s.capacity),
        raw["sku"]["capacity"].as_u64().unwrap(),
        "{file}"
    );
    let props = &raw["properties"];
    assert_eq!(
        s.provisioning_state,
        props["provisioningState"].as_str().unwrap(),
        "{file}"
    );
    let gateway = props
        .get("gatewayUrl")
        .or_else(|| props.get("runtimeUrl"))
        .and_then(Value::as_str);
    assert_eq!(s.gateway_url().as_deref(), gateway, "{file}");
    let extra: Vec<&str> = props["additionalLocations"]
        .as_array()
        .map(|a| a.iter().map(|l| l["location"].as_str().unwrap()).collect())
        .unwrap_or_default();
    assert_eq!(s.additional_locations(), extra, "{file}");
    assert!(
        s.service_id().is_some() || s.subscription_id == "subid",
        "{file}: id {}",
        s.id()
    );
}

#[test]
fn every_example_response_parses_without_losing_fields() {
    let examples = all_examples();
    assert!(
        examples.len() >= 13,
        "expected the 13 shared examples, found {}",
        examples.len()
    );
    let mut checked = 0;
    for (file, ex) in &examples {
        for (status, resp) in ex["responses"].as_object().unwrap() {
            let Some(body) = resp.get("body") else {
                continue;
            };
            let name = file.rsplit('/').next().unwrap();
            match name {
                n if n.starts_with("ApiManagementListServiceBy") => {
                    let page: Page<ServiceResource> = serde_json::from_value(body.clone()).unwrap();
                    let raw = body["value"].as_array().unwrap();
                    assert_eq!(page.value.len(), raw.len(), "{file}");
                    for item in raw {
                        check_service(file, item);
                    }
                }
                "ApiManagementListSKUs-Dedicated.json" => {
                    let names: Vec<&str> = body["value"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v["sku"]["name"].as_str().unwrap())
                        .collect();
                    assert!(
                        names.contains(&"Standard") && names.contains(&"Premium"),
                        "{file}"
                    );
                    continue;
                }
                n if n.starts_with("ApiManagement") => check_service(file, body),
                "GetSubscriptions.json" => {
                    let page: Page<Subscription> = serde_json::from_value(body.clone()).unwrap();
                    let subs: Vec<SubscriptionSummary> =
                        page.value.into_iter().map(Into::into).collect();
                    assert_eq!(subs.len(), body["value"].as_array().unwrap().len());
                    assert_eq!(
                        subs[0].id,
                        body["value"][0]["subscriptionId"].as_str().unwrap()
                    );
                    assert_eq!(
                        subs[0].name,
                        body["value"][0]["displayName"].as_str().unwrap()
                    );
                }
                "GetLocations.json" => {
                    // The published example is a bare array; the client accepts both shapes.
                    let locs: Vec<Location> = serde_json::from_value(body.clone()).unwrap();
                    assert_eq!(locs.len(), body.as_array().unwrap().len());
                    assert!(locs.iter().all(|l| !l.name.is_empty()));
                }
                "StorageAccountList.json" => {
                    let page: Page<StorageAccount> = serde_json::from_value(body.clone()).unwrap();
                    let raw = body["value"].as_array().unwrap();
                    assert_eq!(page.value.len(), raw.len());
                    for (a, r) in page.value.into_iter().zip(raw) {
                        let s = StorageAccountSummary::from(a);
                        assert_eq!(s.name, r["name"].as_str().unwrap());
                        assert_eq!(s.location, r["location"].as_str().unwrap());
                        assert_eq!(
                            s.blob_endpoint.as_deref(),
                            r["properties"]["primaryEndpoints"]["blob"].as_str()
                        );
                    }
                }
                "StorageAccountListKeys.json" => {
                    let keys: StorageKeys = serde_json::from_value(body.clone()).unwrap();
                    assert_eq!(keys.keys.len(), 2);
                    assert_eq!(format!("{:?}", keys.keys[0].value), "Secret(***)");
                }
                other => panic!("{other} (status {status}) has no parse check: add one"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} bodies checked");
}
