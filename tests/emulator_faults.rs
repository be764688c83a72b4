//! Every scripted fault kind, on both ports, with COUNT and SKIP, added at start and at runtime;
//! and the configured latency.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;

use std::time::{Duration, Instant};

use apim_dr::emulator::parse_faults;
use helpers::{APIM, BLOB_VERSION, DR, PROD, body, contoso_weu, demo_config, start};
use reqwest::Method;
use serde_json::Value;

const SUBS: &str = "/subscriptions?api-version=2022-12-01";

fn services_path() -> String {
    format!("/subscriptions/{PROD}/providers/Microsoft.ApiManagement/service?{APIM}")
}

/// List Blobs of the DR account's backup container, signed with its key.
async fn list_dr_backups(emu: &helpers::Emu) -> reqwest::Response {
    let key = emu.dr_key().await;
    emu.blob_request(
        Method::GET,
        "stcontosodrneu",
        &key,
        "/stcontosodrneu/apim-backups?restype=container&comp=list",
        &[],
        None,
    )
    .await
}

/// ARM's 429 body, asking to come back after `secs` seconds; returns the message.
async fn assert_arm_throttled(r: reqwest::Response, secs: u64) -> String {
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "SubscriptionRequestsThrottled");
    let message = v["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(&format!(
            "Please try again after '{secs}' seconds after additional tokens are available."
        )),
        "{message}"
    );
    message
}

async fn emu_with(spec: &str) -> helpers::Emu {
    let mut config = demo_config();
    config.faults = parse_faults(spec).unwrap();
    start(config).await
}

#[tokio::test]
async fn throttling_on_both_ports() {
    let emu = emu_with("throttle:2@services, throttle-date:3@subscriptions, throttle@blobs").await;
    let r = emu.get(&services_path()).await;
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_arm_throttled(r, 2).await;
    assert_eq!(emu.get(&services_path()).await.status().as_u16(), 200);

    let r = emu.get(SUBS).await;
    assert_eq!(r.status().as_u16(), 429);
    let date = r.headers()["retry-after"].to_str().unwrap().to_owned();
    let when =
        time::OffsetDateTime::parse(&date, &time::format_description::well_known::Rfc2822).unwrap();
    let ahead = when - time::OffsetDateTime::now_utc();
    assert!(
        ahead > time::Duration::seconds(1) && ahead <= time::Duration::seconds(4),
        "{date}"
    );

    let r = list_dr_backups(&emu).await;
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers()["x-ms-error-code"], "ServerBusy");
    assert_eq!(r.headers()["retry-after"], "1");
}

#[tokio::test]
async fn throttling_with_millisecond_retry_hints() {
    let emu = emu_with(
        "throttle-ms:250@services, throttle-x-ms:1500@subscriptions, throttle-ms:300@blobs",
    )
    .await;
    let r = emu.get(&services_path()).await;
    assert_eq!(r.status().as_u16(), 429);
    // The millisecond form, with whole seconds (rounded up) beside it for older clients.
    assert_eq!(r.headers()["retry-after-ms"], "250");
    assert_eq!(r.headers()["retry-after"], "1");
    assert!(!r.headers().contains_key("x-ms-retry-after-ms"));
    assert_arm_throttled(r, 1).await;

    let r = emu.get(SUBS).await;
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["x-ms-retry-after-ms"], "1500");
    assert_eq!(r.headers()["retry-after"], "2");
    assert!(!r.headers().contains_key("retry-after-ms"));

    let r = list_dr_backups(&emu).await;
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers()["x-ms-error-code"], "ServerBusy");
    assert_eq!(r.headers()["retry-after-ms"], "300");
    assert_eq!(r.headers()["retry-after"], "1");
}

#[tokio::test]
async fn a_drained_quota_is_reported_then_refused_with_arms_429() {
    let emu = emu_with("quota:2@services+1").await;
    // What every reply reports: the caller's bucket and the subscription's global one (×15)
    // for the kind of request it was.
    let r = emu.get(&services_path()).await;
    let h = r.headers();
    assert_eq!(h["x-ms-ratelimit-remaining-subscription-reads"], "249");
    assert_eq!(
        h["x-ms-ratelimit-remaining-subscription-global-reads"],
        "3749"
    );
    assert!(!h.contains_key("x-ms-ratelimit-remaining-subscription-writes"));
    let r = emu
        .post(
            &format!("/subscriptions/{PROD}/resourceGroups/rg-apim-prod-weu/providers/Microsoft.Storage/storageAccounts/nosuchaccount/listKeys?api-version=2023-05-01"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(
        r.headers()["x-ms-ratelimit-remaining-subscription-writes"],
        "199"
    );
    assert!(
        !r.headers()
            .contains_key("x-ms-ratelimit-remaining-subscription-reads")
    );

    // Then the fault: something else of the same caller spent the reads. Buckets refill with
    // the real clock (25 reads a second), so a slow machine may see a token or two more.
    let asked = Instant::now();
    let r = emu.get(&services_path()).await;
    assert_eq!(r.status().as_u16(), 200, "the real reply");
    let refilled = asked.elapsed().as_secs_f64() * 25.0;
    let reads = header_number(&r, "x-ms-ratelimit-remaining-subscription-reads");
    assert!(
        reads >= 2.0 && reads <= 2.0 + refilled.ceil(),
        "{reads} reads left"
    );
    assert!(
        header_number(&r, "x-ms-ratelimit-remaining-subscription-global-reads") >= 3748.0,
        "the subscription's global bucket was not drained"
    );
    // Twenty reads at once: two fit, and the few tokens refilled meanwhile (25 a second);
    // the rest are refused and cost nothing.
    let started = Instant::now();
    let path = services_path();
    let replies = futures::future::join_all((0..20).map(|_| emu.get(&path))).await;
    let refill = started.elapsed().as_secs_f64() * 25.0;
    let ok = replies
        .iter()
        .filter(|r| r.status().as_u16() == 200)
        .count();
    let refused: Vec<_> = replies
        .into_iter()
        .filter(|r| r.status().as_u16() == 429)
        .collect();
    assert_eq!(ok + refused.len(), 20);
    let served = f64::from(u32::try_from(ok).unwrap());
    assert!(ok >= 2 && served <= 3.0 + refill, "{ok} served");
    let r = refused.into_iter().next().expect("some were refused");
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(
        r.headers()["x-ms-ratelimit-remaining-subscription-reads"],
        "0"
    );
    let message = assert_arm_throttled(r, 1).await;
    assert!(
        message.starts_with(&format!(
            "Number of 'read' requests for subscription '{PROD}' actor '"
        )) && message.ends_with(
            "exceeded. Please try again after '1' seconds after additional tokens are available. \
             Refer to https://aka.ms/arm-throttling for additional information."
        ),
        "{message}"
    );
    // Writes have a bucket of their own, and so has every other subscription.
    let r = emu
        .get(&format!(
            "/subscriptions/{DR}/providers/Microsoft.ApiManagement/service?{APIM}"
        ))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let key = emu.dr_key().await;
    assert!(!key.is_empty(), "listKeys (a write) still answers");
    // A moment later the bucket has refilled enough.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(emu.get(&services_path()).await.status().as_u16(), 200);

    // quota-global drains the bucket every caller of the subscription shares.
    emu.handle.add_faults("quota-global:5@services").unwrap();
    let r = emu.get(&services_path()).await;
    assert_eq!(
        r.headers()["x-ms-ratelimit-remaining-subscription-global-reads"],
        "5"
    );
}

#[tokio::test]
async fn server_errors_and_expired_tokens() {
    let emu =
        emu_with("500@service, 503@apis, expired-token@keys, 500@containers, expired-token@blob")
            .await;
    let (s, v) = emu.get_json(&format!("{}?{APIM}", contoso_weu())).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (500, Some("InternalServerError"))
    );
    let (s, v) = emu
        .get_json(&format!("{}/apis?{APIM}", contoso_weu()))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (503, Some("ServiceUnavailable"))
    );
    let path = format!(
        "/subscriptions/{DR}/resourceGroups/rg-apim-dr-neu/providers/Microsoft.Storage/storageAccounts/stcontosodrneu/listKeys?api-version=2023-05-01"
    );
    let r = emu.post(&path, &serde_json::json!({})).await;
    assert_eq!(r.status().as_u16(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "ExpiredAuthenticationToken");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("The access token expiry UTC time '")
    );
    let key = emu.dr_key().await;
    let r = emu
        .blob_request(
            Method::GET,
            "stcontosodrneu",
            &key,
            "/stcontosodrneu/?comp=list",
            &[],
            None,
        )
        .await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["x-ms-error-code"].to_str().unwrap()
        ),
        (500, "InternalError")
    );
    let r = emu
        .blob_request(
            Method::HEAD,
            "stcontosodrneu",
            &key,
            "/stcontosodrneu/apim-backups/x",
            &[],
            None,
        )
        .await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["x-ms-error-code"].to_str().unwrap()
        ),
        (401, "InvalidAuthenticationInfo")
    );
    // Each rule fired once: everything answers normally now.
    assert_eq!(
        emu.get_json(&format!("{}?{APIM}", contoso_weu())).await.0,
        200
    );
}

#[tokio::test]
async fn garbled_bodies() {
    let emu = emu_with(
        "malformed-json@storage, malformed-xml@containers, truncated@service, truncated@blobs",
    )
    .await;
    let r = emu
        .get(&format!(
            "/subscriptions/{DR}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01"
        ))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).is_err());
    let key = emu.dr_key().await;
    let r = emu
        .blob_request(
            Method::GET,
            "stcontosodrneu",
            &key,
            "/stcontosodrneu/?comp=list",
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().await.unwrap();
    assert!(
        quick_xml::de::from_str::<apim_dr::azure::models::ContainerList>(&text).is_err(),
        "{text}"
    );

    let r = emu.get(&format!("{}?{APIM}", contoso_weu())).await;
    assert_eq!(r.status().as_u16(), 200);
    let announced: usize = r.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let bytes = r.bytes().await.unwrap();
    assert_eq!(bytes.len(), announced);
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
    let (_, whole) = emu.get_json(&format!("{}?{APIM}", contoso_weu())).await;
    assert_eq!(bytes.len(), serde_json::to_vec(&whole).unwrap().len() / 2);

    let r = list_dr_backups(&emu).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        quick_xml::de::from_str::<apim_dr::azure::models::BlobList>(&r.text().await.unwrap())
            .is_err()
    );
}

#[tokio::test]
async fn resets_drop_the_connection_and_faulted_posts_start_nothing() {
    let emu = emu_with("reset@poll, reset@backup, 500@restore, reset@blob").await;
    let key = emu.dr_key().await;
    // A reset POST never reached the service: no operation.
    let r = emu
        .http
        .post(emu.url(&format!("{}/backup?{APIM}", contoso_weu())))
        .bearer_auth(&emu.token)
        .json(&body("stcontosodrneu", "apim-backups", "b", &key))
        .send()
        .await;
    match r {
        Err(_) => {}
        Ok(r) => assert!(r.bytes().await.is_err(), "the body must be cut off"),
    }
    let neu = helpers::contoso_neu();
    let r = emu
        .start_op(
            &neu,
            "restore",
            &body("stcontosodrneu", "apim-backups", "x", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 500);
    let snap = emu.handle.snapshot();
    assert!(snap.operations.is_empty());
    assert_eq!(emu.handle.post_count("backup", &contoso_weu()), 1);
    assert_eq!(emu.handle.post_count("restore", &neu), 1);

    let r = emu
        .start_op(
            &contoso_weu(),
            "backup",
            &body("stcontosodrneu", "apim-backups", "b", &key),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let first = emu.http.get(&location).bearer_auth(&emu.token).send().await;
    match first {
        Err(_) => {}
        Ok(r) => assert!(r.bytes().await.is_err(), "the poll reply must be cut off"),
    }
    assert_eq!(emu.poll(&location).await.0, 200);

    let url = format!("{}/stcontosodrneu/apim-backups/x", emu.blob);
    let r = emu
        .http
        .head(&url)
        .bearer_auth(&emu.token)
        .header("x-ms-version", BLOB_VERSION)
        .send()
        .await;
    assert!(
        r.is_err(),
        "a HEAD cannot be cut mid-body, so the connection drops before the reply"
    );
    let r = emu
        .http
        .head(&url)
        .bearer_auth(&emu.token)
        .header("x-ms-version", BLOB_VERSION)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn slow_replies_latency_counts_and_skips() {
    let emu = emu_with("slow:0.4@subscriptions, 500@locations*2+1").await;
    let t = Instant::now();
    assert_eq!(emu.get_json(SUBS).await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(400));
    let locations = format!("/subscriptions/{PROD}/locations?api-version=2022-12-01");
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(emu.get(&locations).await.status().as_u16());
    }
    assert_eq!(seen, [200, 500, 500, 200]);

    // Rules added at runtime go after the planned ones; a bad spec adds nothing.
    assert!(emu.handle.add_faults("503@subscriptions*inf+1").is_ok());
    let err = emu.handle.add_faults("503@nowhere").unwrap_err();
    assert!(err.to_string().contains("unknown target 'nowhere'"));
    assert_eq!(emu.get(SUBS).await.status().as_u16(), 200);
    for _ in 0..3 {
        assert_eq!(emu.get(SUBS).await.status().as_u16(), 503);
    }
    // The drill endpoint is never faulted.
    emu.handle.add_faults("500@any*inf").unwrap();
    assert_eq!(emu.get_json("/_emulator/state").await.0, 200);
    assert_eq!(emu.get(&locations).await.status().as_u16(), 500);

    let mut config = demo_config();
    config.latency = Duration::from_millis(250);
    let emu = start(config).await;
    let t = Instant::now();
    assert_eq!(emu.get_json(SUBS).await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(250));
}

/// A numeric response header.
fn header_number(r: &reqwest::Response, name: &str) -> f64 {
    r.headers()[name]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} is not a number"))
}
