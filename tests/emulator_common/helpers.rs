//! Helpers shared by the `emulator_*` integration tests: start an emulator, talk to it with
//! plain reqwest (never our client, so the two stay independent), sign Blob requests with a
//! small Shared Key signer written here from the reference, and poll operations quickly.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use apim_dr::emulator::{Emulator, EmulatorConfig, EmulatorHandle, World};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::{Method, Response};
use serde_json::Value;
use sha2::Sha256;

pub const PROD: &str = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
pub const DR: &str = "7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f";
pub const DEV: &str = "c4d5e6f7-1a2b-4c3d-9e8f-6a5b4c3d2e1f";
pub const APIM: &str = "api-version=2024-05-01";
pub const BLOB_VERSION: &str = "2025-01-05";

/// ARM id of a demo service.
pub fn service_id(sub: &str, rg: &str, name: &str) -> String {
    format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}"
    )
}

pub fn contoso_weu() -> String {
    service_id(PROD, "rg-apim-prod-weu", "apim-contoso-weu")
}

pub fn contoso_neu() -> String {
    service_id(DR, "rg-apim-dr-neu", "apim-contoso-neu")
}

/// The demo world at a speed where a restore takes 0.6 s.
pub fn demo_config() -> EmulatorConfig {
    let mut c = EmulatorConfig::new(World::demo().expect("demo world"));
    c.speed = 3000.0;
    c
}

pub struct Emu {
    pub handle: EmulatorHandle,
    pub http: reqwest::Client,
    pub arm: String,
    pub blob: String,
    pub token: String,
}

pub async fn start(config: EmulatorConfig) -> Emu {
    let handle = Emulator::start(config).await.expect("emulator starts");
    let arm = handle
        .arm_endpoint()
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let blob = handle
        .blob_endpoint()
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let token = handle.token().expose().to_owned();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    Emu {
        handle,
        http,
        arm,
        blob,
        token,
    }
}

impl Emu {
    /// `{arm}{path}` (path starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.arm)
    }

    pub async fn send(&self, method: Method, url: &str, body: Option<&Value>) -> Response {
        let mut r = self.http.request(method, url).bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(b);
        }
        r.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, &self.url(path), None).await
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(Method::POST, &self.url(path), Some(body)).await
    }

    /// Storage key 1 of an account, through ARM listKeys.
    pub async fn key(&self, sub: &str, rg: &str, account: &str) -> String {
        let path = format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{account}/listKeys?api-version=2023-05-01"
        );
        let r = self.send(Method::POST, &self.url(&path), None).await;
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().await.expect("keys json");
        v["keys"][0]["value"].as_str().expect("key").to_owned()
    }

    pub async fn dr_key(&self) -> String {
        self.key(DR, "rg-apim-dr-neu", "stcontosodrneu").await
    }

    /// Polls an operation URL (ignoring Retry-After, to stay fast) until it stops saying 202.
    pub async fn poll(&self, location: &str) -> (u16, Value) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let r = self.send(Method::GET, location, None).await;
            let status = r.status().as_u16();
            if status != 202 {
                return (status, r.json().await.unwrap_or(Value::Null));
            }
            assert!(Instant::now() < deadline, "operation did not finish");
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    /// POSTs backup/restore and returns the reply.
    pub async fn start_op(&self, service: &str, action: &str, body: &Value) -> Response {
        self.post(&format!("{service}/{action}?{APIM}"), body).await
    }

    /// A signed Blob request (Shared Key), path-style: `/{account}/…`.
    pub async fn blob_request(
        &self,
        method: Method,
        account: &str,
        key: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Response {
        let url = format!("{}{path_and_query}", self.blob);
        let date = httpdate_now();
        let mut all: Vec<(String, String)> = vec![
            ("x-ms-date".into(), date),
            ("x-ms-version".into(), BLOB_VERSION.into()),
        ];
        all.extend(
            headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        if method == Method::PUT {
            let len = body.as_ref().map_or(0, Vec::len);
            all.push(("content-length".into(), len.to_string()));
        }
        let parsed = url::Url::parse(&url).expect("url");
        let sts = sign_string(method.as_str(), &parsed, &all, account);
        let sig = hmac_b64(key, &sts);
        let mut r = self.http.request(method, &url);
        for (k, v) in &all {
            if k != "content-length" {
                r = r.header(k.as_str(), v.as_str());
            }
        }
        r = r.header("authorization", format!("SharedKey {account}:{sig}"));
        if let Some(b) = body {
            r = r.body(b);
        } else if all.iter().any(|(k, _)| k == "content-length") {
            r = r.body(Vec::<u8>::new());
        }
        r.send().await.expect("blob request sent")
    }
}

/// RFC 1123 now.
pub fn httpdate_now() -> String {
    let f = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::now_utc().format(f).expect("date")
}

/// The Shared Key string to sign (reference §5.3), written independently for the tests.
pub fn sign_string(
    method: &str,
    url: &url::Url,
    headers: &[(String, String)],
    account: &str,
) -> String {
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let mut s = format!("{method}\n");
    for h in [
        "content-encoding",
        "content-language",
        "content-length",
        "content-md5",
        "content-type",
        "date",
        "if-modified-since",
        "if-match",
        "if-none-match",
        "if-unmodified-since",
        "range",
    ] {
        let v = get(h);
        if !(h == "content-length" && v == "0") {
            s.push_str(&v);
        }
        s.push('\n');
    }
    let mut ms: Vec<(String, String)> = headers
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("x-ms-"))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    ms.sort();
    for (k, v) in ms {
        let _ = writeln!(s, "{k}:{v}");
    }
    let _ = write!(s, "/{account}{}", url.path());
    let mut q: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
        .collect();
    q.sort();
    for (k, v) in q {
        let _ = write!(s, "\n{k}:{v}");
    }
    s
}

pub fn hmac_b64(key: &str, msg: &str) -> String {
    let raw = STANDARD.decode(key).expect("key is base64");
    let mut mac = Hmac::<Sha256>::new_from_slice(&raw).expect("hmac");
    mac.update(msg.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The body of a backup/restore POST with an access key.
pub fn body(account: &str, container: &str, blob: &str, key: &str) -> Value {
    serde_json::json!({
        "storageAccount": account, "containerName": container, "backupName": blob,
        "accessType": "AccessKey", "accessKey": key
    })
}

/// Names of the blobs of a container, from the snapshot.
pub fn blob_names(emu: &Emu, account: &str, container: &str) -> Vec<String> {
    emu.handle
        .snapshot()
        .blobs(account, container)
        .map(|b| b.iter().map(|x| x.name.clone()).collect())
        .unwrap_or_default()
}

/// The demo backup of `prefix` (e.g. `apim-contoso-weu/`) whose age is nearest `days`.
pub fn backup_aged(emu: &Emu, account: &str, container: &str, prefix: &str, days: f64) -> String {
    let snap = emu.handle.snapshot();
    let now = time::OffsetDateTime::now_utc();
    let blobs = snap.blobs(account, container).expect("container");
    blobs
        .iter()
        .filter(|b| b.name.starts_with(prefix))
        .min_by(|a, b| {
            let age = |x: &apim_dr::emulator::BlobSnapshot| {
                let t = time::OffsetDateTime::parse(
                    &x.created,
                    &time::format_description::well_known::Rfc3339,
                )
                .expect("created");
                ((now - t).as_seconds_f64() / 86_400.0 - days).abs()
            };
            age(a).total_cmp(&age(b))
        })
        .expect("a backup")
        .name
        .clone()
}
