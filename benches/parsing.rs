//! Throughput of the hot paths of a large estate, measured with `cargo bench --bench parsing`:
//! ARM service pages, Blob listings of thousands of backups, Shared Key signing, and the
//! pre-flight verdict. Plain `Instant` timing over repeated runs (median of 15 samples); the
//! numbers and the command go in BENCHMARKS.md.
#![allow(clippy::unwrap_used, missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use apim_dr::azure::models::{BlobList, Page, ServiceResource};
use apim_dr::azure::shared_key::{signature, string_to_sign};
use apim_dr::domain::backup::{BackupCatalog, BackupEntry};
use apim_dr::domain::operation::{AccessType, PostKind};
use apim_dr::domain::preflight::{
    AccountFacts, ApiVersionFacts, NetworkFacts, PreflightFacts, Seen, ServiceFacts,
    ServiceIdentity, StorageFacts, WorkspaceFacts, evaluate,
};
use apim_dr::domain::service::ServiceSummary;
use apim_dr::domain::sku::SkuName;
use apim_dr::secret::Secret;

fn measure(name: &str, per_run: usize, unit: &str, mut f: impl FnMut()) {
    f();
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    let median = samples[samples.len() / 2];
    #[allow(clippy::cast_precision_loss)]
    let rate = per_run as f64 / median.as_secs_f64();
    println!("{name:<44} {median:>12.3?} per run   {rate:>14.0} {unit}/s");
}

fn services_page(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg{i}/providers/Microsoft.ApiManagement/service/apim-{i}",
                "name":"apim-{i}","type":"Microsoft.ApiManagement/service","location":"West Europe","etag":"AAAA",
                "sku":{{"name":"Standard","capacity":2}},
                "properties":{{"publisherEmail":"a@b.c","publisherName":"x","provisioningState":"Succeeded","targetProvisioningState":"",
                "gatewayUrl":"https://apim-{i}.azure-api.net","hostnameConfigurations":[{{"type":"Proxy","hostName":"apim-{i}.azure-api.net","certificateSource":"BuiltIn"}}],
                "additionalLocations":null,"customProperties":{{"a":"False"}},"platformVersion":"stv2"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"value":[{}],"nextLink":"https://management.azure.com/next?$skipToken=abc"}}"#,
        items.join(",")
    )
}

fn blob_listing(n: usize) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://a.blob.core.windows.net/" ContainerName="apim-backups"><Blobs>"#,
    );
    for i in 0..n {
        write!(
            xml,
            "<Blob><Name>apim-{i}/20261126T0600Z.apimbackup</Name><Properties><Creation-Time>Thu, 26 Nov 2026 06:00:00 GMT</Creation-Time>\
             <Last-Modified>Thu, 26 Nov 2026 06:00:00 GMT</Last-Modified><Etag>0x8D</Etag><Content-Length>123456</Content-Length>\
             <Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus></Properties>\
             <Metadata><sourceservice>/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-{i}</sourceservice>\
             <sourcesku>Standard</sourcesku><sourceregion>West Europe</sourceregion></Metadata></Blob>"
        )
        .unwrap();
    }
    xml.push_str("</Blobs><NextMarker>2!opaque</NextMarker></EnumerationResults>");
    xml
}

fn main() {
    let page = services_page(1000);
    measure(
        "ARM page: 1000 services → ServiceSummary",
        1000,
        "services",
        || {
            let p: Page<ServiceResource> = serde_json::from_str(black_box(&page)).unwrap();
            black_box(p.value.into_iter().map(ServiceSummary::from).count());
        },
    );

    let xml = blob_listing(5000);
    measure("Blob list: 5000 blobs with metadata", 5000, "blobs", || {
        let l: BlobList = quick_xml::de::from_str(black_box(&xml)).unwrap();
        black_box(l.blobs.items.len());
    });

    let url = url::Url::parse("https://acct.blob.core.windows.net/apim-backups?restype=container&comp=list&include=metadata&maxresults=5000&marker=2!abc").unwrap();
    let headers = vec![
        (
            "x-ms-date".to_owned(),
            "Mon, 01 Jan 2024 00:00:00 GMT".to_owned(),
        ),
        ("x-ms-version".to_owned(), "2025-01-05".to_owned()),
    ];
    let key = Secret::new(
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    );
    measure(
        "Shared Key: sign 10 000 requests",
        10_000,
        "signatures",
        || {
            for _ in 0..10_000 {
                black_box(
                    signature(
                        &key,
                        &string_to_sign("GET", black_box(&url), &headers, "acct"),
                    )
                    .unwrap(),
                );
            }
        },
    );

    let now = time::OffsetDateTime::now_utc();
    let target: ServiceSummary = serde_json::from_str::<Page<ServiceResource>>(&services_page(1))
        .unwrap()
        .value
        .remove(0)
        .into();
    let backup = BackupEntry {
        account: "st".into(),
        container: "apim-backups".into(),
        name: "b".into(),
        created: Some(now - time::Duration::days(3)),
        size_bytes: 1,
        catalog: BackupCatalog {
            source_sku: Some(SkuName::new("Standard")),
            source_location: Some("North Europe".into()),
            ..BackupCatalog::default()
        }
        .into(),
    };
    let facts = restore_facts(target, backup, now);
    measure("Pre-flight: 100 000 verdicts", 100_000, "verdicts", || {
        for _ in 0..100_000 {
            black_box(evaluate(black_box(&facts)));
        }
    });
}

/// The facts of a restore with every check passing but capacity.
fn restore_facts(
    target: ServiceSummary,
    backup: BackupEntry,
    now: time::OffsetDateTime,
) -> PreflightFacts {
    PreflightFacts {
        kind: PostKind::Restore,
        service: Seen::Read(ServiceFacts {
            summary: target,
            identity: ServiceIdentity::default(),
            api_version: ApiVersionFacts {
                asked: "2024-05-01".into(),
                used: "2024-05-01".into(),
                refusal: None,
            },
            workspaces: Seen::Read(WorkspaceFacts {
                names: vec![],
                gateway_linked: Seen::Read(vec![]),
            }),
        }),
        local_operation: false,
        access: AccessType::AccessKey,
        storage: StorageFacts {
            account_name: "st".into(),
            container: "apim-backups".into(),
            blob: "b".into(),
            account: Seen::Read(AccountFacts {
                id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st".into(),
                location: "northeurope".into(),
                network: NetworkFacts::default(),
                shared_key_disabled: false,
                cors: Seen::Read(vec![]),
                roles: Seen::Read(vec![]),
            }),
            container_exists: Seen::Read(true),
            blob_state: Seen::Read(Some(backup)),
        },
        confirmed_tier: None,
        overwrite: false,
        now,
    }
}
