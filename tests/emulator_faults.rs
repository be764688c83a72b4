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
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "SubscriptionRequestsThrottled");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Please try again after '2' seconds")
    );
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

    let key = emu.dr_key().await;
    let r = emu
        .blob_request(
            Method::GET,
            "stcontosodrneu",
            &key,
            "/stcontosodrneu/apim-backups?restype=container&comp=list",
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers()["x-ms-error-code"], "ServerBusy");
    assert_eq!(r.headers()["retry-after"], "1");
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

    let r = emu
        .blob_request(
            Method::GET,
            "stcontosodrneu",
            &key,
            "/stcontosodrneu/apim-backups?restype=container&comp=list",
            &[],
            None,
        )
        .await;
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
