//! The emulator's Blob data plane over HTTP: Shared Key and bearer authentication, the XML of
//! listings, paging with opaque markers capped by `blob_page_size`, and the blob operations
//! with Azure's status and error codes.

// A failed expectation in an integration test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "emulator_common/helpers.rs"]
mod helpers;

use apim_dr::azure::models::{BlobError, BlobList, ContainerList};
use apim_dr::emulator::{EmulatorConfig, World};
use helpers::{BLOB_VERSION, DR, demo_config, httpdate_now, start};
use reqwest::Method;

const ACCOUNT: &str = "stcontosodrneu";

#[tokio::test]
async fn shared_key_listings_with_metadata() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}/?comp=list&include=metadata"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["x-ms-version"], BLOB_VERSION);
    assert!(r.headers().contains_key("x-ms-request-id") && r.headers().contains_key("date"));
    let list: ContainerList = quick_xml::de::from_str(&r.text().await.unwrap()).unwrap();
    let names: Vec<String> = list
        .containers
        .items
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, ["apim-backups", "scratch"]);
    // The account root without its trailing slash works too (the path as sent is signed).
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}?comp=list"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);

    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}/apim-backups?restype=container&comp=list&include=metadata"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/xml");
    let xml = r.text().await.unwrap();
    assert!(
        xml.starts_with('\u{feff}'),
        "Azure's XML starts with a byte order mark"
    );
    for element in [
        "<Creation-Time>",
        "<Last-Modified>",
        "<Etag>0x8DC",
        "<Content-Length>",
        "<Content-Type>",
        "<BlobType>BlockBlob</BlobType>",
        "<LeaseStatus>unlocked</LeaseStatus>",
        "<LeaseState>available</LeaseState>",
        "<NextMarker />",
        "<MaxResults",
        "ContainerName=\"apim-backups\"",
    ] {
        assert!(
            xml.contains(element) || element == "<MaxResults",
            "{element} missing in {xml}"
        );
    }
    let list: BlobList = quick_xml::de::from_str(&xml).unwrap();
    assert_eq!(list.blobs.items.len(), 7);
    let with_catalog = list
        .blobs
        .items
        .iter()
        .find(|b| b.name.starts_with("apim-partners-weu/"))
        .unwrap();
    let md = with_catalog.metadata.as_ref().unwrap();
    assert_eq!(md["sourcesku"], "Premium");
    assert!(md["sourceservice"].ends_with("/service/apim-partners-weu"));
    let manual = list
        .blobs
        .items
        .iter()
        .find(|b| b.name.starts_with("manual/"))
        .unwrap();
    assert!(
        manual
            .metadata
            .as_ref()
            .is_none_or(std::collections::BTreeMap::is_empty)
    );
    assert!(
        manual
            .properties
            .creation_time
            .as_deref()
            .unwrap()
            .ends_with("GMT")
    );
}

#[tokio::test]
async fn authentication_failures_answer_like_azure() {
    let emu = start(demo_config()).await;
    let wrong = "d3JvbmcgYnV0IGJhc2U2NCBrZXkgb2YgZW5vdWdoIGxlbmd0aCBmb3IgdGhlIHRlc3Q=";
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            wrong,
            &format!("/{ACCOUNT}/?comp=list"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(r.headers()["x-ms-error-code"], "AuthenticationFailed");
    let text = r.text().await.unwrap();
    let e: BlobError = quick_xml::de::from_str(&text).unwrap();
    assert_eq!(e.code, "AuthenticationFailed");
    assert!(e.message.contains("RequestId:") && e.message.contains("Time:"));
    assert!(
        text.contains("<AuthenticationErrorDetail>")
            && text.contains("Server used following string to sign: &apos;GET\n"),
        "{text}"
    );
    assert!(text.contains(&format!("/{ACCOUNT}/{ACCOUNT}/\ncomp:list")));

    let url = format!("{}/{ACCOUNT}/?comp=list", emu.blob);
    let r = emu
        .http
        .get(&url)
        .header("x-ms-version", BLOB_VERSION)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(
        r.headers()["x-ms-error-code"],
        "NoAuthenticationInformation"
    );
    let r = emu
        .http
        .get(&url)
        .bearer_auth(&emu.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.headers()["x-ms-error-code"], "MissingRequiredHeader");
    let r = emu
        .http
        .get(&url)
        .bearer_auth(&emu.token)
        .header("x-ms-version", "2099-01-01")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-ms-error-code"], "InvalidHeaderValue");
    let r = emu
        .http
        .get(&url)
        .bearer_auth(&emu.token)
        .header("x-ms-version", BLOB_VERSION)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = emu
        .http
        .get(&url)
        .bearer_auth("nope")
        .header("x-ms-version", BLOB_VERSION)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["x-ms-error-code"], "InvalidAuthenticationInfo");
    assert!(r.headers().contains_key("www-authenticate"));
}

#[tokio::test]
async fn clock_skew_and_unknown_accounts() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let url = format!("{}/{ACCOUNT}/?comp=list", emu.blob);
    // An old x-ms-date is refused even with the right key.
    let r = emu
        .http
        .get(&url)
        .header("x-ms-version", BLOB_VERSION)
        .header("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT")
        .header(
            "authorization",
            format!("SharedKey {ACCOUNT}:{}", helpers::hmac_b64(&key, "x")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Request date header too old")
    );
    let r = emu
        .http
        .get(format!("{}/stnosuchaccount/?comp=list", emu.blob))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn accounts_without_shared_key_refuse_it() {
    let text = format!(
        r#"{{"subscriptions":[{{"id":"{DR}","display_name":"D"}}],
        "storage_accounts":[{{"subscription":"{DR}","resource_group":"rg","name":"stnokey","location":"eastus",
          "allow_shared_key_access":false,"containers":[{{"name":"backups"}}]}}]}}"#
    );
    let emu = start(EmulatorConfig::new(World::from_json(&text).unwrap())).await;
    let key = emu.key(DR, "rg", "stnokey").await;
    let r = emu
        .blob_request(
            Method::GET,
            "stnokey",
            &key,
            "/stnokey/?comp=list",
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(
        r.headers()["x-ms-error-code"],
        "KeyBasedAuthenticationNotPermitted"
    );
    let r = emu
        .http
        .get(format!("{}/stnokey/?comp=list", emu.blob))
        .bearer_auth(&emu.token)
        .header("x-ms-version", BLOB_VERSION)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn list_blobs_pages_with_opaque_markers() {
    let mut config = demo_config();
    config.blob_page_size = 2;
    let emu = start(config).await;
    let key = emu.dr_key().await;
    let mut marker = String::new();
    let (mut pages, mut names) = (0, Vec::<String>::new());
    loop {
        let mut q = format!("/{ACCOUNT}/apim-backups?restype=container&comp=list&maxresults=5000");
        if !marker.is_empty() {
            q.push_str("&marker=");
            q.push_str(
                &url::form_urlencoded::byte_serialize(marker.as_bytes()).collect::<String>(),
            );
        }
        let r = emu
            .blob_request(Method::GET, ACCOUNT, &key, &q, &[], None)
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let list: BlobList = quick_xml::de::from_str(&r.text().await.unwrap()).unwrap();
        pages += 1;
        assert!(list.blobs.items.len() <= 2);
        names.extend(list.blobs.items.iter().map(|b| b.name.clone()));
        marker = list.next_marker.unwrap_or_default();
        if marker.is_empty() {
            break;
        }
        assert!(marker.starts_with("2!"), "{marker}");
        assert!(
            !names.iter().any(|n| marker.contains(n.as_str())),
            "marker is not opaque: {marker}"
        );
    }
    assert_eq!(pages, 4);
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!((names.len(), sorted), (7, names.clone()));
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}/apim-backups?restype=container&comp=list&marker=apim-contoso-weu"),
            &[],
            None,
        )
        .await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["x-ms-error-code"].to_str().unwrap()
        ),
        (400, "InvalidQueryParameterValue")
    );
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}/apim-backups?restype=container&comp=list&maxresults=0"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 400);
    // Prefix and delimiter.
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}/apim-backups?restype=container&comp=list&delimiter=/"),
            &[],
            None,
        )
        .await;
    let xml = r.text().await.unwrap();
    assert!(
        xml.contains("<BlobPrefix><Name>apim-contoso-weu/</Name></BlobPrefix>"),
        "{xml}"
    );
    let r = emu
        .blob_request(
            Method::GET,
            ACCOUNT,
            &key,
            &format!("/{ACCOUNT}/apim-backups?restype=container&comp=list&prefix=manual/"),
            &[],
            None,
        )
        .await;
    let list: BlobList = quick_xml::de::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(list.blobs.items.len(), 1);
}

async fn call(
    emu: &helpers::Emu,
    key: &str,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> (u16, String, reqwest::Response) {
    let r = emu
        .blob_request(
            method,
            ACCOUNT,
            key,
            &format!("/{ACCOUNT}{path}"),
            headers,
            body.map(<[u8]>::to_vec),
        )
        .await;
    let code = r
        .headers()
        .get("x-ms-error-code")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), code, r)
}

#[tokio::test]
async fn containers_are_created_once_with_valid_names() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let (s, _, r) = call(
        &emu,
        &key,
        Method::PUT,
        "/drills?restype=container",
        &[],
        None,
    )
    .await;
    assert_eq!(s, 201);
    assert!(r.headers().contains_key("etag"));
    let (s, c, _) = call(
        &emu,
        &key,
        Method::PUT,
        "/drills?restype=container",
        &[],
        None,
    )
    .await;
    assert_eq!((s, c.as_str()), (409, "ContainerAlreadyExists"));
    let (s, c, _) = call(
        &emu,
        &key,
        Method::PUT,
        "/Bad_Name?restype=container",
        &[],
        None,
    )
    .await;
    assert_eq!((s, c.as_str()), (400, "InvalidResourceName"));
    let (s, _, _) = call(
        &emu,
        &key,
        Method::GET,
        "/drills?restype=container",
        &[],
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (s, _, _) = call(
        &emu,
        &key,
        Method::DELETE,
        "/drills?restype=container",
        &[],
        None,
    )
    .await;
    assert_eq!(s, 202);
    let (s, c, _) = call(
        &emu,
        &key,
        Method::GET,
        "/drills?restype=container&comp=list",
        &[],
        None,
    )
    .await;
    assert_eq!((s, c.as_str()), (404, "ContainerNotFound"));
}

#[tokio::test]
async fn blobs_are_put_read_retagged_and_deleted() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let blob = "/scratch/a%20b/c.txt";
    let put = [
        ("x-ms-blob-type", "BlockBlob"),
        ("content-type", "text/plain"),
        ("x-ms-meta-sourcesku", "Basic"),
        ("x-ms-meta-Owner", "sre"),
    ];
    let (s, _, _) = call(&emu, &key, Method::PUT, blob, &put, Some(b"hello blob")).await;
    assert_eq!(s, 201);
    let (s, _, r) = call(&emu, &key, Method::HEAD, blob, &[], None).await;
    assert_eq!(s, 200);
    let h = r.headers().clone();
    assert_eq!(h["content-length"], "10");
    assert_eq!(h["x-ms-blob-type"], "BlockBlob");
    assert_eq!(h["x-ms-meta-sourcesku"], "Basic");
    assert_eq!(h["x-ms-meta-owner"], "sre");
    let created = h["x-ms-creation-time"].to_str().unwrap().to_owned();
    let etag = h["etag"].to_str().unwrap().to_owned();
    let (_, _, r) = call(&emu, &key, Method::GET, blob, &[], None).await;
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"hello blob");

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let meta = format!("{blob}?comp=metadata");
    let (s, _, _) = call(
        &emu,
        &key,
        Method::PUT,
        &meta,
        &[("x-ms-meta-sourceservice", "apim-x")],
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (_, _, r) = call(&emu, &key, Method::HEAD, blob, &[], None).await;
    let h = r.headers();
    assert_eq!(h["x-ms-creation-time"].to_str().unwrap(), created);
    assert_ne!(h["etag"].to_str().unwrap(), etag);
    assert_eq!(h["x-ms-meta-sourceservice"], "apim-x");
    assert!(
        !h.contains_key("x-ms-meta-sourcesku"),
        "metadata is replaced as a whole"
    );

    let (s, _, _) = call(&emu, &key, Method::DELETE, blob, &[], None).await;
    assert_eq!(s, 202);
    let (s, c, r) = call(&emu, &key, Method::HEAD, blob, &[], None).await;
    assert_eq!((s, c.as_str()), (404, "BlobNotFound"));
    assert!(r.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn blob_errors_use_azures_codes() {
    let emu = start(demo_config()).await;
    let key = emu.dr_key().await;
    let bad_meta = [("x-ms-meta-bad-name", "1")];
    let (s, c, _) = call(
        &emu,
        &key,
        Method::PUT,
        "/scratch/x?comp=metadata",
        &bad_meta,
        None,
    )
    .await;
    assert_eq!((s, c.as_str()), (400, "InvalidMetadata"));
    let (s, c, _) = call(&emu, &key, Method::HEAD, "/nothere/x", &[], None).await;
    assert_eq!((s, c.as_str()), (404, "ContainerNotFound"));
    let (s, c, _) = call(&emu, &key, Method::PUT, "/scratch/nobody", &[], Some(b"x")).await;
    assert_eq!((s, c.as_str()), (400, "MissingRequiredHeader"));
    let (s, c, _) = call(&emu, &key, Method::GET, "/?comp=bogus", &[], None).await;
    assert_eq!((s, c.as_str()), (400, "InvalidQueryParameterValue"));
    let exists = [("x-ms-blob-type", "BlockBlob"), ("if-none-match", "*")];
    let blob = "/apim-backups/manual/retail-eus-before-migration.bak";
    let (s, c, _) = call(&emu, &key, Method::PUT, blob, &exists, Some(b"x")).await;
    assert_eq!((s, c.as_str()), (409, "BlobAlreadyExists"));
    let _ = httpdate_now();
}
