//! The hand-written Blob client against Microsoft's own storage emulator (Azurite 3.35.0):
//! Shared Key signing, containers, blobs with metadata, properties, paging with `NextMarker`,
//! and Azurite's refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::azure::auth::TokenSource;
use apim_dr::azure::blob::{BlobAccount, BlobAuth, ContainerCreated};
use apim_dr::azure::{AzureClient, ClientOptions};
use apim_dr::domain::backup::BackupCatalog;
use apim_dr::domain::sku::SkuName;
use apim_dr::secret::Secret;
use common::azurite::{ACCOUNT, Azurite, KEY};

fn client(page: u32) -> AzureClient {
    let mut opts = ClientOptions::new("http://127.0.0.1:9/".parse().unwrap());
    opts.blob_page_size = page;
    opts.retry.max_attempts = 2;
    AzureClient::new(opts, TokenSource::fixed(Secret::new("unused"), None)).unwrap()
}

fn account(az: &Azurite, key: &str) -> BlobAccount {
    BlobAccount::new(
        ACCOUNT,
        &az.endpoint(),
        BlobAuth::SharedKey(Secret::new(key)),
    )
    .unwrap()
}

#[tokio::test]
async fn containers_blobs_metadata_and_paging() {
    let Some(az) = Azurite::start() else { return };
    let c = client(2);
    let acct = account(&az, KEY);

    assert_eq!(
        c.create_container(&acct, "apim-backups").await.unwrap(),
        ContainerCreated::Created
    );
    assert_eq!(
        c.create_container(&acct, "apim-backups").await.unwrap(),
        ContainerCreated::AlreadyExisted
    );
    c.create_container(&acct, "scratch").await.unwrap();

    let catalog = BackupCatalog {
        source_service: Some(
            "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a"
                .into(),
        ),
        source_sku: Some(SkuName::new("Standard")),
        source_capacity: Some(2),
        source_location: Some("West Europe".into()),
        ..BackupCatalog::default()
    };
    for i in 0..5 {
        let md = if i == 4 {
            vec![]
        } else {
            catalog.to_metadata()
        };
        c.put_block_blob(
            &acct,
            "apim-backups",
            &format!("apim-a/2026112{i}T0600Z.apimbackup"),
            b"backup bytes",
            &md,
        )
        .await
        .unwrap();
    }

    // Five blobs at two per page: three pages through NextMarker.
    let blobs = c.list_blobs(&acct, "apim-backups", None).await.unwrap();
    assert_eq!(blobs.len(), 5);
    assert!(
        blobs
            .iter()
            .all(|b| b.size_bytes == 12 && b.created.is_some())
    );
    assert_eq!(blobs.iter().filter(|b| *b.catalog == catalog).count(), 4);
    assert!(blobs.iter().any(|b| b.catalog.is_empty()));

    let mut containers = c.list_containers(&acct).await.unwrap();
    containers.sort();
    assert_eq!(containers, ["apim-backups", "scratch"]);

    let props = c
        .blob_properties(&acct, "apim-backups", "apim-a/20261120T0600Z.apimbackup")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(BackupCatalog::from_metadata(&props.metadata), catalog);
    assert_eq!(props.size_bytes, 12);

    c.set_blob_metadata(
        &acct,
        "apim-backups",
        "apim-a/20261124T0600Z.apimbackup",
        &catalog.to_metadata(),
    )
    .await
    .unwrap();
    let props = c
        .blob_properties(&acct, "apim-backups", "apim-a/20261124T0600Z.apimbackup")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(BackupCatalog::from_metadata(&props.metadata), catalog);

    assert!(
        c.blob_properties(&acct, "apim-backups", "nope")
            .await
            .unwrap()
            .is_none()
    );
    let e = c
        .blob_properties(&acct, "missing-container", "x")
        .await
        .unwrap_err();
    assert_eq!(e.code, "ContainerNotFound");
    let e = c
        .list_blobs(&acct, "missing-container", None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (Some(404), "ContainerNotFound")
    );
}

#[tokio::test]
async fn a_wrong_key_is_refused_with_azurites_code_and_never_echoed() {
    let Some(az) = Azurite::start() else { return };
    let c = client(5000);
    let wrong =
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    let e = c.list_containers(&account(&az, wrong)).await.unwrap_err();
    assert_eq!(e.status, Some(403));
    // Azure says AuthenticationFailed; Azurite says AuthorizationFailure.
    assert!(
        matches!(
            e.code.as_str(),
            "AuthorizationFailure" | "AuthenticationFailed"
        ),
        "{e}"
    );
    let text = format!("{e} {e:?}");
    assert!(!text.contains(wrong) && !text.contains(KEY));
}

#[tokio::test]
async fn awkward_blob_names_are_percent_encoded_and_signed_as_sent() {
    let Some(az) = Azurite::start() else { return };
    let c = client(2);
    let acct = account(&az, KEY);
    c.create_container(&acct, "odd-names").await.unwrap();
    let names = [
        "drill/a b.apimbackup",
        "drill/100%#1?.apimbackup",
        "drill/zürich+ø.apimbackup",
        "drill/[x]&y=z;@.apimbackup",
    ];
    for n in names {
        c.put_block_blob(
            &acct,
            "odd-names",
            n,
            b"x",
            &[("sourcesku".into(), "Standard".into())],
        )
        .await
        .unwrap();
        let p = c
            .blob_properties(&acct, "odd-names", n)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{n} not found"));
        assert_eq!(
            p.metadata.get("sourcesku").map(String::as_str),
            Some("Standard"),
            "{n}"
        );
        c.set_blob_metadata(&acct, "odd-names", n, &[])
            .await
            .unwrap();
    }
    let mut listed: Vec<String> = c
        .list_blobs(&acct, "odd-names", None)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    listed.sort();
    let mut want: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    want.sort();
    assert_eq!(listed, want);
}
