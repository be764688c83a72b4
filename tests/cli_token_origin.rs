//! A fixed token goes only to the origin it was given for (issue 13 item 7). The binary runs
//! against the emulator through two capturing proxies on loopback: one in front of ARM (which
//! rewrites the storage account's blob endpoint to the second proxy), one in front of Blob.
//! Every `Authorization` header each proxy sees is recorded, so the test can say which token
//! reached which origin.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use apim_dr::emulator::{Emulator, EmulatorConfig, EmulatorHandle, World};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use common::cli::{BIN, code, stderr, stdout};

/// The account the test takes Shared Key away from.
const ACCOUNT: &str = "stcontosodrneu";
/// The storage token the binary is given; the Blob proxy swaps it for the emulator's.
const STORAGE_TOKEN: &str = "storage-audience-token-for-the-test";

#[derive(Clone)]
struct Proxy {
    /// Where requests go: the emulator's ARM or Blob origin.
    target: String,
    /// In replies: this text replaced by that (the blob origin by the Blob proxy's).
    rewrite: Option<(String, String)>,
    /// In requests: this `Authorization` replaced by that before forwarding.
    swap: Option<(String, String)>,
    /// Every `Authorization` header seen.
    seen: Arc<Mutex<Vec<String>>>,
    http: reqwest::Client,
}

async fn forward(State(p): State<Proxy>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut out = p
        .http
        .request(parts.method.clone(), format!("{}{path}", p.target))
        .body(body);
    for (name, value) in &parts.headers {
        if name == "host" || name == "content-length" {
            continue;
        }
        let mut value = value.to_str().unwrap().to_owned();
        if name == "authorization" {
            p.seen.lock().unwrap().push(value.clone());
            if let Some((from, to)) = &p.swap {
                value = value.replace(from, to);
            }
        }
        out = out.header(name, value);
    }
    let reply = out.send().await.unwrap();
    let mut response = Response::builder().status(reply.status().as_u16());
    for (name, value) in reply.headers() {
        if !matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            response = response.header(name, value);
        }
    }
    let mut bytes: Bytes = reply.bytes().await.unwrap();
    if let Some((from, to)) = &p.rewrite {
        bytes = String::from_utf8_lossy(&bytes).replace(from, to).into();
    }
    response.body(Body::from(bytes)).unwrap()
}

/// A proxy on a free loopback port; returns its origin.
async fn start_proxy(p: Proxy) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(p);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

fn origin(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

struct Setup {
    _rt: tokio::runtime::Runtime,
    emulator: EmulatorHandle,
    arm_proxy: String,
    arm_seen: Arc<Mutex<Vec<String>>>,
    blob_seen: Arc<Mutex<Vec<String>>>,
}

/// The demo world with Shared Key disallowed on [`ACCOUNT`], behind the two proxies.
fn setup() -> Setup {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut world: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/emulator/demo-world.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for a in world["storage_accounts"].as_array_mut().unwrap() {
        if a["name"] == ACCOUNT {
            a["allow_shared_key_access"] = false.into();
        }
    }
    let world = World::from_json(&world.to_string()).unwrap();
    let emulator = rt
        .block_on(Emulator::start(EmulatorConfig::new(world)))
        .unwrap();
    let token = emulator.token().expose().to_owned();
    let (arm_seen, blob_seen) = (Arc::default(), Arc::default());
    let http = reqwest::Client::new();
    let blob_proxy = rt.block_on(start_proxy(Proxy {
        target: origin(&emulator.blob_endpoint()),
        rewrite: None,
        swap: Some((STORAGE_TOKEN.to_owned(), token)),
        seen: Arc::clone(&blob_seen),
        http: http.clone(),
    }));
    let arm_proxy = rt.block_on(start_proxy(Proxy {
        target: origin(&emulator.arm_endpoint()),
        rewrite: Some((origin(&emulator.blob_endpoint()), blob_proxy)),
        swap: None,
        seen: Arc::clone(&arm_seen),
        http,
    }));
    Setup {
        _rt: rt,
        emulator,
        arm_proxy,
        arm_seen,
        blob_seen,
    }
}

fn backups(s: &Setup, dir: &std::path::Path, storage_token: Option<&str>) -> std::process::Output {
    let mut c = std::process::Command::new(BIN);
    c.args(["backups", "--account", ACCOUNT])
        .env("APIM_DR_ARM_ENDPOINT", &s.arm_proxy)
        .env("APIM_DR_ACCESS_TOKEN", s.emulator.token().expose())
        .env_remove("APIM_DR_STORAGE_TOKEN")
        .env("APIM_DR_DATA_DIR", dir.join("data"))
        .env("APIM_DR_CONFIG_DIR", dir.join("config"));
    if let Some(t) = storage_token {
        c.env("APIM_DR_STORAGE_TOKEN", t);
    }
    c.output().unwrap()
}

#[test]
fn the_arm_token_never_reaches_blob_and_a_storage_token_is_taken_on_its_own() {
    let s = setup();
    let arm_token = format!("Bearer {}", s.emulator.token().expose());
    let dir = tempfile::tempdir().unwrap();

    // Without a storage token: a clear refusal, and the ARM token is not tried on Blob.
    let o = backups(&s, dir.path(), None);
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("APIM_DR_STORAGE_TOKEN") && stderr(&o).contains("ARM only"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(s.emulator.token().expose()));
    assert!(
        !s.arm_seen.lock().unwrap().is_empty(),
        "ARM was reached through the proxy"
    );
    assert_eq!(
        s.blob_seen.lock().unwrap().clone(),
        Vec::<String>::new(),
        "nothing was sent to Blob"
    );

    // With one: Blob gets that token, and only that one; ARM never sees it.
    let o = backups(&s, dir.path(), Some(STORAGE_TOKEN));
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("apim-backups/"), "{}", stdout(&o));
    let blob_seen = s.blob_seen.lock().unwrap().clone();
    assert!(!blob_seen.is_empty());
    assert!(
        blob_seen
            .iter()
            .all(|a| *a == format!("Bearer {STORAGE_TOKEN}")),
        "Blob saw {} other authorizations",
        blob_seen
            .iter()
            .filter(|a| **a != format!("Bearer {STORAGE_TOKEN}"))
            .count()
    );
    assert!(!blob_seen.contains(&arm_token));
    let arm_seen = s.arm_seen.lock().unwrap().clone();
    assert!(arm_seen.iter().all(|a| *a == arm_token));
}
