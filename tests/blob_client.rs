//! The Blob client against the emulator's data plane (path-style endpoints from ARM, as
//! Azurite's): short pages with opaque markers, metadata, properties, Shared Key and bearer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use apim_dr::azure::blob::{BlobAccount, BlobAuth};
use apim_dr::engine::inventory;
use common::emu::{self, DR};

#[tokio::test]
async fn listings_follow_opaque_markers_over_short_pages() {
    let mut cfg = emu::fast_config();
    cfg.blob_page_size = 2;
    let h = emu::start(cfg).await;
    let mut opts = emu::fast_options(&h);
    opts.blob_page_size = 5000; // asks for many; the server gives two at a time
    let c = emu::client_with(&h, opts);
    let account = inventory::storage_accounts(&c, DR).await.unwrap().remove(0);
    let acct = inventory::blob_account(&c, &account).await.unwrap();
    assert!(matches!(acct.auth, BlobAuth::SharedKey(_)));

    let blobs = c.list_blobs(&acct, "apim-backups", None).await.unwrap();
    let expected = h
        .snapshot()
        .blobs("stcontosodrneu", "apim-backups")
        .unwrap()
        .len();
    assert_eq!(blobs.len(), expected);
    assert!(expected >= 7);
    assert_eq!(
        blobs.iter().filter(|b| b.catalog.is_empty()).count(),
        1,
        "one blob has no catalog"
    );
    assert!(
        blobs
            .iter()
            .all(|b| b.created.is_some() && b.size_bytes > 0)
    );

    let mut containers = c.list_containers(&acct).await.unwrap();
    containers.sort();
    assert_eq!(containers, ["apim-backups", "scratch"]);

    let grouped = inventory::backups(&c, &account, None).await.unwrap();
    let newest = &grouped
        .iter()
        .find(|g| g.container == "apim-backups")
        .unwrap()
        .backups;
    assert!(
        newest.windows(2).all(|w| w[0].created >= w[1].created),
        "newest first"
    );

    let e = c.list_blobs(&acct, "missing", None).await.unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (Some(404), "ContainerNotFound")
    );
    h.shutdown().await;
}

#[tokio::test]
async fn metadata_properties_and_bearer_auth() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    let account = inventory::storage_accounts(&c, DR).await.unwrap().remove(0);
    let keyed = inventory::blob_account(&c, &account).await.unwrap();
    let name = &c.list_blobs(&keyed, "apim-backups", None).await.unwrap()[0]
        .name
        .clone();

    c.set_blob_metadata(
        &keyed,
        "apim-backups",
        name,
        &[("drill".into(), "2026-11-26".into())],
    )
    .await
    .unwrap();
    let props = c
        .blob_properties(&keyed, "apim-backups", name)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        props.metadata.get("drill").map(String::as_str),
        Some("2026-11-26")
    );
    assert!(
        c.blob_properties(&keyed, "apim-backups", "nope")
            .await
            .unwrap()
            .is_none()
    );

    // A storage-audience bearer token instead of the key (allowed over loopback only).
    let bearer = BlobAccount::new(
        &account.name,
        account.blob_endpoint.as_deref().unwrap(),
        BlobAuth::Bearer,
    )
    .unwrap();
    assert!(!c.list_containers(&bearer).await.unwrap().is_empty());
    h.shutdown().await;
}

#[tokio::test]
async fn awkward_blob_names_round_trip_through_the_emulator() {
    let h = emu::start(emu::fast_config()).await;
    let c = emu::client(&h);
    let account = inventory::storage_accounts(&c, DR).await.unwrap().remove(0);
    let acct = inventory::blob_account(&c, &account).await.unwrap();
    let names = [
        "drill/a b.apimbackup",
        "drill/100%#1?.apimbackup",
        "drill/zürich+ø.apimbackup",
    ];
    for n in names {
        c.put_block_blob(&acct, "scratch", n, b"x", &[])
            .await
            .unwrap();
        assert!(
            c.blob_properties(&acct, "scratch", n)
                .await
                .unwrap()
                .is_some(),
            "{n}"
        );
    }
    let mut listed: Vec<String> = c
        .list_blobs(&acct, "scratch", Some("drill/"))
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    listed.sort();
    let mut want: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    want.sort();
    assert_eq!(listed, want);
    h.shutdown().await;
}
