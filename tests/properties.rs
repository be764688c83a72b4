//! Property tests: whatever a server or a user sends, parsing gives a value or an error, never
//! a panic; and what is valid round-trips.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use apim_dr::azure::arm::{backup_restore_parameters, strip_sas};
use apim_dr::azure::blob::{BlobAccount, BlobAuth};
use apim_dr::azure::models::{
    BlobList, ContainerList, ErrorResponse, OperationStatus, Page, ServiceResource, StorageAccount,
};
use apim_dr::azure::retry::{parse_retry_after, retry_hint};
use apim_dr::azure::shared_key::string_to_sign;
use apim_dr::domain::names::{BackupRef, BlobName, ContainerName, ServiceId, StorageAccountName};
use apim_dr::domain::operation::AccessType;
use apim_dr::domain::service::ServiceSummary;
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "[a-zA-Z0-9 ._/-]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("id".to_owned()),
            Just("name".to_owned()),
            Just("sku".to_owned()),
            Just("capacity".to_owned()),
            Just("location".to_owned()),
            Just("properties".to_owned()),
            Just("value".to_owned()),
            Just("nextLink".to_owned()),
            Just("provisioningState".to_owned()),
            Just("gatewayUrl".to_owned()),
            Just("additionalLocations".to_owned()),
            Just("error".to_owned()),
            Just("code".to_owned()),
            Just("message".to_owned()),
            Just("status".to_owned()),
            "[a-z]{1,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Blob names built from the segments URLs, percent-encoding and Azure's rules treat
/// specially (`.`, `..`, `%2e`, trailing dots, empty segments, backslashes, reserved and
/// non-ASCII characters), joined by `/`.
fn blob_name() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just(String::new()),
        Just("%2e".to_owned()),
        Just("%2E%2e".to_owned()),
        Just(".%2e".to_owned()),
        Just("a.".to_owned()),
        Just(".a".to_owned()),
        Just("..a".to_owned()),
        Just("\\".to_owned()),
        "[a-z0-9 ._%+#?&=;:@$!'()*,~\\[\\]\\\\-]{1,6}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(segment, 1..6).prop_map(|s| s.join("/"))
}

/// The blob names a request for `name` reaches, read back from the canonicalized resource of
/// its Shared Key string to sign (the path as sent), for a host-style (Azure) and a path-style
/// (emulator, Azurite) endpoint; and the `backupName` of the backup/restore body for it.
fn signed_and_posted(name: &BlobName) -> (Vec<String>, String) {
    let backup = BackupRef {
        account: StorageAccountName::parse("stdr").unwrap(),
        container: ContainerName::parse("apim-backups").unwrap(),
        blob: name.clone(),
    };
    let body = serde_json::to_value(backup_restore_parameters(
        &backup,
        &AccessType::AccessKey,
        None,
    ))
    .unwrap();
    let posted = body["backupName"].as_str().unwrap().to_owned();
    let signed = [
        "https://stdr.blob.core.windows.net/",
        "http://127.0.0.1:10000/stdr",
    ]
    .into_iter()
    .map(|endpoint| {
        let account = BlobAccount::new("stdr", endpoint, BlobAuth::Bearer).unwrap();
        let mut url = account
            .url(Some("apim-backups"), Some(name.as_str()))
            .unwrap();
        url.query_pairs_mut().append_pair("comp", "metadata");
        let sts = string_to_sign("PUT", &url, &[], "stdr");
        let resource = sts.lines().find(|l| l.starts_with('/')).unwrap();
        let prefix = format!("/stdr{}apim-backups/", account.endpoint.path());
        let encoded = resource
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{resource} does not start with {prefix}"));
        percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .unwrap()
            .into_owned()
    })
    .collect();
    (signed, posted)
}

#[test]
fn the_blob_we_sign_is_the_blob_we_post_for_names_that_need_encoding() {
    for name in [
        "prod/2026-11-26.apimbackup",
        "a b/c+d&e=f#g?h",
        "%2e/%2E%2e/x",
        "ü/ß.apimbackup",
        "/leading//double",
        "back\\slash",
        ".hidden/..dots",
    ] {
        let blob = BlobName::parse(name).unwrap();
        let (signed, posted) = signed_and_posted(&blob);
        assert_eq!(posted, name);
        assert_eq!(signed, [name, name], "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever name is accepted, the blob the metadata PUT and the HEAD reach (the path we
    /// sign and send) is the blob the backup/restore POST names: a catalogue is never written
    /// on another blob than the backup.
    #[test]
    fn the_blob_we_sign_is_the_blob_we_post(name in blob_name()) {
        if let Ok(blob) = BlobName::parse(&name) {
            let (signed, posted) = signed_and_posted(&blob);
            prop_assert_eq!(&posted, &name);
            for s in signed {
                prop_assert_eq!(&s, &name);
            }
        }
    }

    #[test]
    fn arm_models_never_panic_on_any_json(v in json_value()) {
        let text = v.to_string();
        let _ = serde_json::from_str::<ServiceResource>(&text).map(ServiceSummary::from);
        let _ = serde_json::from_str::<Page<ServiceResource>>(&text);
        let _ = serde_json::from_str::<Page<StorageAccount>>(&text);
        let _ = serde_json::from_str::<ErrorResponse>(&text);
        let _ = serde_json::from_str::<OperationStatus>(&text);
    }

    #[test]
    fn arm_models_never_panic_on_any_bytes(s in ".{0,200}") {
        let _ = serde_json::from_str::<Page<ServiceResource>>(&s);
        let _ = serde_json::from_str::<ErrorResponse>(&s);
    }

    #[test]
    fn services_keep_their_failover_fields(name in "[a-z][a-z0-9-]{0,20}[a-z0-9]", sku in "(Developer|Basic|Standard|Premium|StandardV2)", cap in 0u32..20, loc in "(West Europe|North Europe|East US)") {
        let json = serde_json::json!({
            "id": format!("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/{name}"),
            "name": name, "location": loc, "sku": {"name": sku, "capacity": cap},
            "properties": {"provisioningState": "Succeeded", "gatewayUrl": format!("https://{name}.azure-api.net"),
                           "additionalLocations": [{"location": "East US 2", "sku": {"name": sku, "capacity": 1}}]}
        });
        let s: ServiceSummary = serde_json::from_value::<ServiceResource>(json).unwrap().into();
        prop_assert_eq!(s.sku.as_str(), sku.as_str());
        prop_assert_eq!(s.capacity, cap);
        prop_assert_eq!(&s.location, &loc);
        prop_assert_eq!(&s.additional_locations(), &vec!["East US 2".to_owned()]);
        prop_assert!(s.service_id().is_some());
    }

    #[test]
    fn blob_xml_never_panics(s in ".{0,300}") {
        let _ = quick_xml::de::from_str::<BlobList>(&s);
        let _ = quick_xml::de::from_str::<ContainerList>(&s);
    }

    #[test]
    fn blob_xml_with_random_structure_never_panics(names in prop::collection::vec("[A-Za-z-]{1,10}", 0..12), text in "[^<>&]{0,10}") {
        let mut xml = String::from("<EnumerationResults><Blobs>");
        for n in &names {
            write!(xml, "<Blob><Name>{n}</Name><{n}>{text}</{n}><Properties><Content-Length>{text}</Content-Length></Properties></Blob>").unwrap();
        }
        xml.push_str("</Blobs><NextMarker>");
        xml.push_str(&text);
        xml.push_str("</NextMarker></EnumerationResults>");
        let _ = quick_xml::de::from_str::<BlobList>(&xml);
    }

    #[test]
    fn retry_after_never_panics_and_seconds_round_trip(s in ".{0,40}", secs in 0u64..100_000) {
        let now = SystemTime::now();
        let _ = parse_retry_after(&s, now);
        prop_assert_eq!(parse_retry_after(&secs.to_string(), now), Some(Duration::from_secs(secs)));
    }

    #[test]
    fn retry_hints_never_panic_and_a_valid_millisecond_form_wins(
        ms in ".{0,20}", x_ms in ".{0,20}", secs in ".{0,20}", good in 0u64..10_000_000,
    ) {
        let now = SystemTime::now();
        let headers = [("retry-after-ms", ms.as_str()), ("x-ms-retry-after-ms", x_ms.as_str()), ("retry-after", secs.as_str())];
        let _ = retry_hint(|n| headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v), now);
        let good = good.to_string();
        let headers = [("x-ms-retry-after-ms", good.as_str()), ("retry-after", secs.as_str())];
        prop_assert_eq!(
            retry_hint(|n| headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v), now),
            Some(Duration::from_millis(good.parse().unwrap()))
        );
    }

    #[test]
    fn operation_urls_keep_api_version_and_lose_signatures(path in "[a-zA-Z0-9/=]{0,30}", sig in "[a-zA-Z0-9%]{1,20}") {
        let raw = format!("https://management.azure.com/{path}?api-version=2024-05-01&sig={sig}");
        if let Ok(url) = url::Url::parse(&raw) {
            let stripped = strip_sas(&url);
            prop_assert!(!stripped.as_str().contains("sig="));
            prop_assert!(stripped.as_str().contains("api-version=2024-05-01"));
        }
    }

    #[test]
    fn resource_ids_never_panic(s in ".{0,200}") {
        let _ = ServiceId::parse(&s);
        let _ = BackupRef::parse(&s);
    }

    #[test]
    fn valid_resource_ids_round_trip(rg in "[a-zA-Z0-9_.()-]{0,40}[a-zA-Z0-9_()-]", name in "[a-zA-Z]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?") {
        let id = format!("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}");
        let parsed = ServiceId::parse(&id).unwrap();
        prop_assert_eq!(parsed.path(), id);
    }

    #[test]
    fn world_files_never_panic(v in json_value(), s in ".{0,200}") {
        let _ = apim_dr::emulator::World::from_json(&v.to_string());
        let _ = apim_dr::emulator::World::from_json(&s);
        let _ = apim_dr::emulator::World::generate(&s);
        let _ = apim_dr::emulator::parse_faults(&s);
    }

    #[test]
    fn world_files_with_real_keys_in_odd_places_never_panic(mutation in 0usize..400, byte in any::<u8>()) {
        // The demo world with one byte changed: an error naming the place, or a world.
        let text = include_str!("../assets/emulator/demo-world.json");
        let mut bytes = text.as_bytes().to_vec();
        let i = mutation * bytes.len() / 400;
        bytes[i] = byte;
        if let Ok(t) = std::str::from_utf8(&bytes) {
            let _ = apim_dr::emulator::World::from_json(t);
        }
    }
}
