//! The real ARM client against the emulator over loopback HTTP: listings and paging, one
//! service, storage accounts and keys, locations, APIs; throttling, server errors, dropped
//! connections, malformed replies, refused tokens, api-version fallback, not-found.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use apim_dr::azure::AzureClient;
use apim_dr::azure::ErrorKind;
use apim_dr::azure::auth::TokenSource;
use apim_dr::domain::names::{ServiceId, SubscriptionId};
use apim_dr::engine::inventory;
use apim_dr::secret::Secret;
use common::emu::{self, DEV, DR, PROD};

fn sub(s: &str) -> SubscriptionId {
    SubscriptionId::parse(s).unwrap()
}

#[tokio::test]
async fn lists_the_demo_estate_across_short_pages() {
    let mut cfg = emu::fast_config();
    cfg.page_size = 2;
    let h = emu::start(cfg).await;
    let c = emu::client(&h);

    let subs = c.list_subscriptions().await.unwrap();
    assert_eq!(subs.len(), 3, "three subscriptions over two pages");

    let prod = c.list_services(&sub(PROD)).await.unwrap();
    let mut names: Vec<&str> = prod.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "apim-contoso-weu",
            "apim-mobile-cons",
            "apim-partners-weu",
            "apim-retail-eus"
        ]
    );
    let weu = prod.iter().find(|s| s.name == "apim-contoso-weu").unwrap();
    assert_eq!(
        (weu.sku.as_str(), weu.capacity, weu.location.as_str()),
        ("Standard", 2, "West Europe")
    );
    assert_eq!(weu.provisioning_state, "Succeeded");
    // The gateway is served over loopback, its Azure host name in the path (FIDELITY).
    assert_eq!(
        weu.gateway_url().as_deref(),
        Some(
            format!(
                "{}_gateway/apim-contoso-weu.azure-api.net",
                h.arm_endpoint()
            )
            .as_str()
        )
    );
    assert_eq!(weu.custom_hostnames(), ["api.contoso.com"]);
    let partners = prod.iter().find(|s| s.name == "apim-partners-weu").unwrap();
    assert_eq!(partners.additional_locations(), ["North Europe"]);

    let all: usize = futures::future::join_all([PROD, DR, DEV].map(|s| inventory::services(&c, s)))
        .await
        .into_iter()
        .map(|r| r.unwrap().len())
        .sum();
    assert_eq!(all, 10);

    let accounts = inventory::storage_accounts(&c, DR).await.unwrap();
    assert_eq!(accounts.len(), 1);
    let neu = &accounts[0];
    assert_eq!(neu.name, "stcontosodrneu");
    assert!(
        neu.blob_endpoint
            .as_deref()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    let key = c.storage_key(&neu.id).await.unwrap();
    assert!(!key.is_empty());
    assert_eq!(format!("{key}"), "***");

    let prod_accounts = inventory::storage_accounts(&c, PROD).await.unwrap();
    assert!(
        prod_accounts[0].firewall_enabled,
        "stcontosoprodweu has a firewall"
    );

    let locations = c.list_locations(&sub(PROD)).await.unwrap();
    assert!(locations.iter().any(|l| l.name == "northeurope"));

    let apis = c
        .list_apis(&ServiceId::parse(&emu::standby_neu()).unwrap())
        .await
        .unwrap();
    let mut api_names: Vec<&str> = apis.iter().map(|a| a.name.as_str()).collect();
    api_names.sort_unstable();
    assert_eq!(api_names, ["echo-api", "orders-v1", "payments"]);
    h.shutdown().await;
}

#[tokio::test]
async fn throttling_server_errors_and_resets_are_retried() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    h.add_faults(
        "throttle:1@subscriptions*2,503@services*2,reset@service*1,throttle-date:1@storage*1",
    )
    .unwrap();
    let started = Instant::now();
    assert_eq!(c.list_subscriptions().await.unwrap().len(), 3);
    // Two 429s with Retry-After: 1 s were honoured.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(c.list_services(&sub(PROD)).await.unwrap().len(), 4);
    let svc = c
        .get_service(&ServiceId::parse(&emu::source_weu()).unwrap())
        .await
        .unwrap();
    assert_eq!(svc.name, "apim-contoso-weu");
    assert_eq!(c.list_storage_accounts(&sub(DR)).await.unwrap().len(), 1);
    h.shutdown().await;
}

/// The gap between the 429 on `path` and the request after it, from the emulator's log.
fn gap_after_429(h: &apim_dr::emulator::EmulatorHandle, path: &str) -> Duration {
    let log: Vec<_> = h
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect();
    let i = log
        .iter()
        .position(|r| r.status == 429)
        .unwrap_or_else(|| panic!("no 429: {log:?}"));
    let next = log
        .get(i + 1)
        .unwrap_or_else(|| panic!("not retried: {log:?}"));
    assert_eq!(next.status, 200, "{log:?}");
    Duration::try_from(next.at - log[i].at).unwrap()
}

#[tokio::test]
async fn millisecond_retry_hints_are_honoured() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    h.add_faults("throttle-ms:400@services*1,throttle-x-ms:300@service*1")
        .unwrap();
    assert_eq!(c.list_services(&sub(PROD)).await.unwrap().len(), 4);
    let gap = gap_after_429(
        &h,
        &format!("/subscriptions/{PROD}/providers/Microsoft.ApiManagement/service"),
    );
    assert!(gap >= Duration::from_millis(400), "retry-after-ms: {gap:?}");
    let id = ServiceId::parse(&emu::source_weu()).unwrap();
    assert_eq!(c.get_service(&id).await.unwrap().name, "apim-contoso-weu");
    let gap = gap_after_429(&h, &emu::source_weu());
    assert!(
        gap >= Duration::from_millis(300),
        "x-ms-retry-after-ms: {gap:?}"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn the_client_slows_down_before_arm_throttles() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    let id = ServiceId::parse(&emu::source_weu()).unwrap();
    // Something else of the same caller has spent the subscription's reads: 3 are left.
    h.add_faults("quota:3@service").unwrap();
    c.get_service(&id).await.unwrap();
    assert_eq!(c.pacing().paced_requests, 0, "nothing was low before");
    // Twenty reads at once would empty the bucket and meet 429s; paced, they never do.
    let started = h.requests().len();
    let replies = futures::future::join_all((0..20).map(|_| c.get_service(&id))).await;
    assert!(replies.iter().all(Result::is_ok));
    let log = &h.requests()[started..];
    assert_eq!(
        log.len(),
        20,
        "no request was refused and sent again: {log:?}"
    );
    assert!(log.iter().all(|r| r.status == 200), "{log:?}");
    let pacing = c.pacing();
    assert_eq!(pacing.paced_requests, 20);
    // They waited for the bucket to climb back over a tenth (25 of 250, refilled 25 a
    // second), then went out at the refill rate.
    let spread = Duration::try_from(log[19].at - log[0].at).unwrap();
    assert!(spread >= Duration::from_millis(500), "{spread:?}");
    assert!(pacing.paced_for >= Duration::from_secs(15), "{pacing:?}");
    // Another subscription was never held back.
    assert!(c.list_services(&sub(DR)).await.is_ok());
    assert_eq!(c.pacing().paced_requests, 20);
    h.shutdown().await;
}

#[tokio::test]
async fn retries_are_bounded_and_end_with_the_services_words() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    h.add_faults("500@subscriptions*inf").unwrap();
    let e = c.list_subscriptions().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Http);
    assert_eq!(e.status, Some(500));
    assert!(e.request_id.is_some(), "{e}");
    h.shutdown().await;
}

#[tokio::test]
async fn malformed_and_truncated_replies_are_errors_not_panics() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    h.add_faults("malformed-json@services*inf").unwrap();
    let e = c.list_services(&sub(PROD)).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_str()),
        (ErrorKind::Decode, "MalformedReply"),
        "{e}"
    );
    let h2 = emu::start(emu::fast_config()).await;
    let c2 = emu::client(&h2);
    h2.add_faults("truncated@subscriptions*inf").unwrap();
    let e = c2.list_subscriptions().await.unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::Decode | ErrorKind::Connection),
        "{e}"
    );
    // A garbled reply once is retried like any transient failure.
    h2.add_faults("malformed-json@service*1").unwrap();
    let r = c2
        .get_service(&ServiceId::parse(&emu::source_weu()).unwrap())
        .await;
    assert!(r.is_ok(), "{r:?}");
    h.shutdown().await;
    h2.shutdown().await;
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_an_expired_one_is_refreshed_once() {
    let h = emu::start(emu::fast_config()).await;
    let bad = AzureClient::new(
        emu::fast_options(&h),
        TokenSource::fixed(Secret::new("not-the-token"), None),
    )
    .unwrap();
    let e = bad.list_subscriptions().await.unwrap_err();
    assert_eq!(e.status, Some(401));
    assert_eq!(e.code, "InvalidAuthenticationToken");
    assert!(!e.to_string().contains("not-the-token"));

    let c = emu::client(&h);
    h.add_faults("expired-token@subscriptions*1").unwrap();
    assert_eq!(
        c.list_subscriptions().await.unwrap().len(),
        3,
        "refreshed and sent once more"
    );
    h.shutdown().await;
}

/// The demo world with 2024-05-01 not yet deployed in West Europe, as ARM rolls versions out
/// region by region (the demo world itself has no such gap).
fn rollout_world() -> apim_dr::emulator::World {
    let mut demo: serde_json::Value =
        serde_json::from_str(include_str!("../assets/emulator/demo-world.json")).unwrap();
    let weu = demo["locations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|l| l["name"] == "westeurope")
        .unwrap();
    weu["apim_pending_api_versions"] = serde_json::json!(["2024-05-01"]);
    apim_dr::emulator::World::from_json(&demo.to_string()).unwrap()
}

#[tokio::test]
async fn falls_back_to_the_older_api_version_where_arm_has_not_deployed_the_new_one() {
    let mut cfg = emu::fast_config();
    cfg.world = rollout_world();
    let h = emu::start(cfg).await;
    let c = emu::client(&h);
    let id = ServiceId::parse(&emu::source_weu()).unwrap();
    // ARM refuses 2024-05-01 for a service in West Europe…
    let raw = reqwest::Client::new()
        .get(format!(
            "{}{}?api-version=2024-05-01",
            h.arm_endpoint().as_str().trim_end_matches('/'),
            emu::source_weu()
        ))
        .bearer_auth(h.token().expose())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["error"]["code"], "NoRegisteredProviderFound");
    // …and the client reads it with 2022-08-01, and starts a backup with it.
    let svc = c.get_service(&id).await.unwrap();
    assert_eq!(
        (svc.name.as_str(), svc.sku.as_str()),
        ("apim-contoso-weu", "Standard")
    );
    let key = c
        .storage_key(&format!(
            "/subscriptions/{DR}/resourceGroups/rg-apim-dr-neu/providers/Microsoft.Storage/storageAccounts/stcontosodrneu"
        ))
        .await
        .unwrap();
    let started = c
        .start_operation(
            apim_dr::domain::operation::PostKind::Backup,
            &id,
            &apim_dr::domain::names::BackupRef::parse(
                "stcontosodrneu/apim-backups/rollout.apimbackup",
            )
            .unwrap(),
            &apim_dr::domain::operation::AccessType::AccessKey,
            Some(&key),
        )
        .await
        .unwrap();
    let apim_dr::azure::arm::Started::Accepted(handle) = started else {
        panic!("expected a 202");
    };
    assert!(
        handle.location.unwrap().ends_with("api-version=2022-08-01"),
        "the backup was started with the fallback version"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn not_found_keeps_arms_code_message_and_request_id() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    let id = ServiceId::parse(&emu::service_id(PROD, "rg-apim-prod-weu", "apim-nope")).unwrap();
    let e = c.get_service(&id).await.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (Some(404), "ResourceNotFound"));
    assert!(e.message.contains("apim-nope"), "{}", e.message);
    assert!(e.request_id.is_some());
    h.shutdown().await;
}

#[tokio::test]
async fn plain_http_is_refused_for_anything_but_loopback() {
    let opts =
        apim_dr::azure::ClientOptions::new("http://management.example.com/".parse().unwrap());
    let e = AzureClient::new(opts, TokenSource::fixed(Secret::new("t"), None)).unwrap_err();
    assert_eq!(e.code, "InsecureEndpoint");
}

#[tokio::test]
async fn a_slow_reply_times_out_and_is_retried() {
    let h = emu::start(emu::fast_config()).await;
    let mut o = emu::fast_options(&h);
    o.request_timeout = Duration::from_millis(500);
    let c = emu::client_with(&h, o);
    h.add_faults("slow:3@subscriptions*1").unwrap();
    assert_eq!(c.list_subscriptions().await.unwrap().len(), 3);
    h.shutdown().await;
}
