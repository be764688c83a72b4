//! Fidelity against Microsoft's own examples: for every file in
//! `shared/fixtures/azure-rest-examples/`, build a world holding the resources the example
//! names, send the example's request, and check the status code, the `location` header's shape
//! and that every field name of the example's response body is present in ours.
//!
//! The fixtures directory must exist (the test fails, never skips, without it). A new example
//! file without a mapping here fails the test, so the mapping stays complete.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use apim_dr::emulator::{EmulatorConfig, World};
use reqwest::Method;
use serde_json::{Map, Value, json};

/// Azurite's published development key: public, used as every fixture account's key.
const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// Field names the emulator does not model, with the reason (compared as path segments).
const NOT_MODELLED: [(&str, &str); 9] = [
    ("keyVaultId", "certificates from Key Vault are not emulated"),
    (
        "isHnsEnabled",
        "Data Lake hierarchical namespace is not emulated",
    ),
    (
        "routingPreference",
        "storage routing preference is not emulated",
    ),
    (
        "internetEndpoints",
        "storage routing preference is not emulated",
    ),
    (
        "microsoftEndpoints",
        "storage routing preference is not emulated",
    ),
    (
        "geoReplicationStats",
        "only returned with $expand=geoReplicationStats",
    ),
    (
        "keyvaultproperties",
        "customer-managed storage keys are not emulated",
    ),
    (
        "identity",
        "storage account identities are not emulated (APIM identities are)",
    ),
    (
        "nextLink",
        "a single page has none; the emulator pages with page_size",
    ),
];

/// Maps whose keys are data, not field names.
const DYNAMIC_MAPS: [&str; 2] = ["tags", "userAssignedIdentities"];

fn fixtures_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        manifest.join("../shared/fixtures/azure-rest-examples"),
        PathBuf::from("/work/shared/fixtures/azure-rest-examples"),
    ];
    candidates
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| panic!("the REST examples are missing: looked in {candidates:?}"))
}

fn example_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(example_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every field path of a JSON value: `a.b`, `a.list[].c`; dynamic map keys become `*`.
/// `empty` collects paths of empty arrays/objects and nulls, which stand for anything below.
fn paths(
    v: &Value,
    prefix: &str,
    parent: &str,
    out: &mut BTreeSet<String>,
    empty: &mut BTreeSet<String>,
) {
    match v {
        Value::Object(m) => {
            if m.is_empty() && !prefix.is_empty() {
                empty.insert(prefix.to_owned());
            }
            for (k, child) in m {
                let key = if DYNAMIC_MAPS.contains(&parent) {
                    "*"
                } else {
                    k.as_str()
                };
                let p = if prefix.is_empty() {
                    key.to_owned()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(p.clone());
                paths(child, &p, k, out, empty);
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                empty.insert(prefix.to_owned());
            }
            for item in items {
                paths(item, &format!("{prefix}[]"), parent, out, empty);
            }
        }
        Value::Null => {
            empty.insert(prefix.to_owned());
        }
        _ => {}
    }
}

/// Field paths of the example missing from ours (not counting what the emulator does not model).
fn missing_fields(example: &Value, ours: &Value) -> Vec<String> {
    let (mut want, mut have, mut open, mut ignored) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    paths(example, "", "", &mut want, &mut ignored);
    paths(ours, "", "", &mut have, &mut open);
    want.into_iter()
        .filter(|p| !have.contains(p))
        .filter(|p| {
            !open
                .iter()
                .any(|o| p.starts_with(&format!("{o}.")) || p.starts_with(&format!("{o}[]")))
        })
        .filter(|p| {
            !p.split(['.', '['])
                .any(|seg| NOT_MODELLED.iter().any(|(n, _)| *n == seg))
        })
        .collect()
}

fn assert_fields(name: &str, example: &Value, ours: &Value) {
    let missing = missing_fields(example, ours);
    assert!(
        missing.is_empty(),
        "{name}: fields of the example missing from the emulator's reply: {missing:?}\nours: {ours}"
    );
}

// ------------------------------------------------------------------------------------------
// Worlds built from the examples.

fn service_entry(sub: &str, rg: &str, name: &str, body: &Value) -> Value {
    let p = &body["properties"];
    let hostnames: Vec<Value> = p["hostnameConfigurations"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .filter(|h| {
                    h["certificateSource"] != "BuiltIn"
                        && !h["hostName"]
                            .as_str()
                            .unwrap_or("")
                            .ends_with(".azure-api.net")
                })
                .map(|h| json!({"type": h["type"], "host_name": h["hostName"]}))
                .collect()
        })
        .unwrap_or_default();
    let additional: Vec<Value> = p["additionalLocations"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| json!({"location": l["location"], "capacity": l["sku"]["capacity"]}))
                .collect()
        })
        .unwrap_or_default();
    let mut entry = json!({
        "subscription": sub, "resource_group": rg, "name": name,
        "location": body["location"], "sku": body["sku"]["name"], "capacity": body["sku"]["capacity"],
        "additional_locations": additional, "custom_hostnames": hostnames,
        "tags": if body["tags"].is_object() { body["tags"].clone() } else { json!({}) },
        "custom_properties": if p["customProperties"].is_object() { p["customProperties"].clone() } else { json!({}) },
    });
    let kind = body["identity"]["type"].as_str().unwrap_or("");
    if !kind.is_empty() {
        let users: Vec<Value> = body["identity"]["userAssignedIdentities"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(id, v)| json!({"name": id.rsplit('/').next().unwrap(), "client_id": v["clientId"], "principal_id": v["principalId"]}))
                    .collect()
            })
            .unwrap_or_default();
        entry["identity"] =
            json!({"system_assigned": kind.contains("SystemAssigned"), "user_assigned": users});
    }
    entry
}

fn world(subs: &[&str], services: &[Value], accounts: &[Value], locations: &[Value]) -> World {
    world_with_roles(subs, services, accounts, locations, &[])
}

fn world_with_roles(
    subs: &[&str],
    services: &[Value],
    accounts: &[Value],
    locations: &[Value],
    roles: &[Value],
) -> World {
    let subscriptions: Vec<Value> = subs
        .iter()
        .map(|s| json!({"id": s, "display_name": format!("Subscription {s}")}))
        .collect();
    let text = json!({
        "lenient_names": true, "subscriptions": subscriptions, "locations": locations,
        "services": services, "storage_accounts": accounts, "role_assignments": roles,
    });
    World::from_json(&text.to_string()).unwrap_or_else(|e| panic!("fixture world: {e}"))
}

fn account(sub: &str, rg: &str, name: &str, containers: &Value) -> Value {
    json!({"subscription": sub, "resource_group": rg, "name": name, "location": "westus", "keys": [KEY, KEY], "containers": containers})
}

/// Replaces masked secrets (`****`, `<value>`) with the fixture key.
fn unmask(body: &Value) -> Value {
    let mut b = body.clone();
    if let Some(obj) = b.as_object_mut() {
        for (k, v) in obj.iter_mut() {
            if k == "accessKey" {
                *v = json!(KEY);
            }
        }
    }
    b
}

// ------------------------------------------------------------------------------------------

struct Example {
    name: String,
    params: Map<String, Value>,
    responses: Map<String, Value>,
}

impl Example {
    fn param(&self, k: &str) -> &str {
        self.params
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{}: parameter {k}", self.name))
    }

    fn body(&self, status: &str) -> &Value {
        &self.responses[status]["body"]
    }

    fn service_path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ApiManagement/service/{}",
            self.param("subscriptionId"),
            self.param("resourceGroupName"),
            self.param("serviceName")
        )
    }
}

async fn emulator(world: World) -> helpers::Emu {
    let mut config = EmulatorConfig::new(world);
    config.speed = 3000.0;
    helpers::start(config).await
}

/// Storage Blob Data Contributor on the account for every identity of the service (what the
/// documentation asks for before a backup or restore by managed identity).
fn blob_roles(name: &str, service: &Value, account: &str) -> Vec<Value> {
    let mut principals = Vec::new();
    if service["identity"]["system_assigned"] == true {
        principals.push(name.to_owned());
    }
    for u in service["identity"]["user_assigned"]
        .as_array()
        .into_iter()
        .flatten()
    {
        principals.push(format!("{name}/{}", u["name"].as_str().unwrap()));
    }
    principals
        .into_iter()
        .map(|p| json!({"principal": p, "role": "Storage Blob Data Contributor", "scope": account}))
        .collect()
}

/// Backup and restore examples: 202 with the example's `location` shape, then the final 200.
async fn long_running(ex: &Example, action: &str) {
    let (sub, rg, name) = (
        ex.param("subscriptionId"),
        ex.param("resourceGroupName"),
        ex.param("serviceName"),
    );
    let request = &ex.params["parameters"];
    let final_body = ex.body("200");
    let blob = request["backupName"].as_str().unwrap();
    let blobs = if action == "restore" {
        let id = ex.service_path();
        json!([{"name": blob, "age_days": 1, "backup": {"service": id}}])
    } else {
        json!([])
    };
    let containers = json!([{"name": request["containerName"], "blobs": blobs}]);
    let storage = request["storageAccount"].as_str().unwrap();
    let service = service_entry(sub, rg, name, final_body);
    let roles = blob_roles(name, &service, storage);
    let w = world_with_roles(
        &[sub],
        &[service],
        &[account(sub, "rg-storage", storage, &containers)],
        &[],
        &roles,
    );
    let emu = emulator(w).await;
    let version = ex.param("api-version");
    let url = emu.url(&format!(
        "{}/{action}?api-version={version}",
        ex.service_path()
    ));
    let r = emu.send(Method::POST, &url, Some(&unmask(request))).await;
    assert_eq!(
        r.status().as_u16(),
        202,
        "{}: {}",
        ex.name,
        r.text().await.unwrap_or_default()
    );
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let shape = |loc: &str| -> String {
        let path = loc
            .split_once("://")
            .map_or(loc, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
        let (before, after) = path
            .split_once("/operationresults/")
            .unwrap_or_else(|| panic!("{loc}"));
        let (id, query) = after.split_once('?').unwrap_or_else(|| panic!("{loc}"));
        assert!(
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b)),
            "{loc}"
        );
        format!("{before}/operationresults/{{id}}?{query}")
    };
    let expected = ex.responses["202"]["headers"]["location"].as_str().unwrap();
    assert_eq!(shape(&location), shape(expected), "{}", ex.name);
    let (status, ours) = emu.poll(&location).await;
    assert_eq!(status, 200, "{}: {ours}", ex.name);
    assert_fields(&ex.name, final_body, &ours);
}

async fn get_service(ex: &Example) {
    let (sub, rg, name) = (
        ex.param("subscriptionId"),
        ex.param("resourceGroupName"),
        ex.param("serviceName"),
    );
    let body = ex.body("200");
    let emu = emulator(world(
        &[sub],
        &[service_entry(sub, rg, name, body)],
        &[],
        &[],
    ))
    .await;
    let (status, ours) = emu
        .get_json(&format!(
            "{}?api-version={}",
            ex.service_path(),
            ex.param("api-version")
        ))
        .await;
    assert_eq!(status, 200, "{}: {ours}", ex.name);
    assert_fields(&ex.name, body, &ours);
}

async fn list_services(ex: &Example) {
    let sub = ex.param("subscriptionId");
    let items = ex.body("200")["value"].as_array().unwrap();
    let services: Vec<Value> = items
        .iter()
        .map(|i| {
            let rg = i["id"].as_str().unwrap().split('/').nth(4).unwrap();
            service_entry(sub, rg, i["name"].as_str().unwrap(), i)
        })
        .collect();
    let emu = emulator(world(&[sub], &services, &[], &[])).await;
    let path = format!(
        "/subscriptions/{sub}/providers/Microsoft.ApiManagement/service?api-version={}",
        ex.param("api-version")
    );
    let (status, ours) = emu.get_json(&path).await;
    assert_eq!(status, 200);
    compare_items(ex, items, &ours, "name");
}

fn compare_items(ex: &Example, items: &[Value], ours: &Value, key: &str) {
    let mine = ours["value"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: {ours}", ex.name));
    assert_eq!(mine.len(), items.len(), "{}", ex.name);
    for item in items {
        let twin = mine
            .iter()
            .find(|m| m[key] == item[key])
            .unwrap_or_else(|| panic!("{}: no {}", ex.name, item[key]));
        assert_fields(&format!("{} / {}", ex.name, item[key]), item, twin);
    }
}

async fn list_skus(ex: &Example) {
    let (sub, rg, name) = (
        ex.param("subscriptionId"),
        ex.param("resourceGroupName"),
        ex.param("serviceName"),
    );
    let svc = json!({"location": "West US", "sku": {"name": "Premium", "capacity": 1}});
    let emu = emulator(world(
        &[sub],
        &[service_entry(sub, rg, name, &svc)],
        &[],
        &[],
    ))
    .await;
    let (status, ours) = emu
        .get_json(&format!(
            "{}/skus?api-version={}",
            ex.service_path(),
            ex.param("api-version")
        ))
        .await;
    assert_eq!(status, 200);
    assert_fields(&ex.name, ex.body("200"), &ours);
}

async fn list_subscriptions(ex: &Example) {
    let items = ex.body("200")["value"].as_array().unwrap();
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["subscriptionId"].as_str().unwrap())
        .collect();
    let emu = emulator(world(&ids, &[], &[], &[])).await;
    let (status, ours) = emu
        .get_json(&format!(
            "/subscriptions?api-version={}",
            ex.param("api-version")
        ))
        .await;
    assert_eq!(status, 200);
    compare_items(ex, items, &ours, "subscriptionId");
}

async fn list_locations(ex: &Example) {
    let sub = ex.param("subscriptionId");
    // The published example is a bare array; the service wraps it in `value`.
    let items = ex.body("200").as_array().unwrap();
    let locations: Vec<Value> = items
        .iter()
        .map(|l| {
            let m = &l["metadata"];
            json!({"name": l["name"], "display_name": l["displayName"], "paired_region": m["pairedRegion"][0]["name"],
                   "geography_group": m["geographyGroup"], "latitude": m["latitude"], "longitude": m["longitude"],
                   "physical_location": m["physicalLocation"]})
        })
        .collect();
    let emu = emulator(world(&[sub], &[], &[], &locations)).await;
    let (status, ours) = emu
        .get_json(&format!(
            "/subscriptions/{sub}/locations?api-version={}",
            ex.param("api-version")
        ))
        .await;
    assert_eq!(status, 200);
    compare_items(ex, items, &ours, "name");
}

async fn list_storage(ex: &Example) {
    let sub = ex.param("subscriptionId");
    let items = ex.body("200")["value"].as_array().unwrap();
    let accounts: Vec<Value> = items
        .iter()
        .map(|i| {
            let rg = i["id"].as_str().unwrap().split('/').nth(4).unwrap();
            let mut a = account(sub, rg, i["name"].as_str().unwrap(), &json!([]));
            a["location"] = i["location"].clone();
            a
        })
        .collect();
    let emu = emulator(world(&[sub], &[], &accounts, &[])).await;
    let (status, ours) = emu
        .get_json(&format!(
            "/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts?api-version={}",
            ex.param("api-version")
        ))
        .await;
    assert_eq!(status, 200);
    compare_items(ex, items, &ours, "name");
}

async fn list_keys(ex: &Example) {
    let (sub, rg, name) = (
        ex.param("subscriptionId"),
        ex.param("resourceGroupName"),
        ex.param("accountName"),
    );
    let emu = emulator(world(
        &[sub],
        &[],
        &[account(sub, rg, name, &json!([]))],
        &[],
    ))
    .await;
    let path = format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}/listKeys?api-version={}",
        ex.param("api-version")
    );
    let r = emu.send(Method::POST, &emu.url(&path), None).await;
    assert_eq!(r.status().as_u16(), 200);
    let ours: Value = r.json().await.unwrap();
    assert_eq!(ours["keys"][0]["value"], KEY);
    assert_fields(&ex.name, ex.body("200"), &ours);
}

#[tokio::test]
async fn every_published_example_is_answered_like_azure() {
    let dir = fixtures_dir();
    let files = example_files(&dir);
    assert!(
        files.len() >= 13,
        "expected the 13 examples of INDEX.md, found {}",
        files.len()
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let ex = Example {
            name: file.strip_prefix(&dir).unwrap().display().to_string(),
            params: v["parameters"].as_object().unwrap().clone(),
            responses: v["responses"].as_object().unwrap().clone(),
        };
        let stem = file.file_stem().unwrap().to_str().unwrap();
        match stem {
            s if s.contains("Backup") => long_running(&ex, "backup").await,
            s if s.contains("Restore") => long_running(&ex, "restore").await,
            "ApiManagementServiceGetService" => get_service(&ex).await,
            "ApiManagementListServiceBySubscription" => list_services(&ex).await,
            "ApiManagementListSKUs-Dedicated" => list_skus(&ex).await,
            "GetSubscriptions" => list_subscriptions(&ex).await,
            "GetLocations" => list_locations(&ex).await,
            "StorageAccountList" => list_storage(&ex).await,
            "StorageAccountListKeys" => list_keys(&ex).await,
            other => panic!(
                "no fidelity mapping for the example {other} ({}): add one",
                file.display()
            ),
        }
        println!("fidelity ok: {}", ex.name);
    }
}

#[test]
fn the_field_comparison_is_strict_where_it_should_be() {
    let example = json!({"a": {"b": 1, "list": [{"c": 1}]}, "tags": {"x": "y"}, "keyVaultId": "k"});
    assert_eq!(
        missing_fields(
            &example,
            &json!({"a": {"b": 2, "list": [{"c": 2}]}, "tags": {"z": "q"}})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        missing_fields(&example, &json!({"a": {"list": []}, "tags": {}})),
        ["a.b"]
    );
    assert_eq!(
        missing_fields(&example, &json!({"a": null, "tags": {}})),
        Vec::<String>::new()
    );
    assert_eq!(
        missing_fields(&example, &json!({})),
        ["a", "a.b", "a.list", "a.list[].c", "tags", "tags.*"]
    );
}
