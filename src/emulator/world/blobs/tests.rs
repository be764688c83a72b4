//! Tests of `emulator::world::blobs`.
use super::*;
use crate::emulator::world::file::parse;

const NOW: OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
const SUB: &str = "00000000-0000-0000-0000-000000000000";

fn with_blobs(blobs: &str) -> Result<World, WorldError> {
    parse(
        &format!(
            r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],
            "services":[{{"subscription":"{SUB}","resource_group":"rg","name":"apim-a","location":"West US",
              "sku":"Standard","capacity":2,"apis":[{{"name":"echo","display_name":"Echo","path":"echo"}}]}}],
            "storage_accounts":[{{"subscription":"{SUB}","resource_group":"rg","name":"stx","location":"westus",
              "containers":[{{"name":"apim-backups","blobs":[{blobs}]}}]}}]}}"#
        ),
        NOW,
    )
}

#[test]
fn backup_blobs_get_content_catalog_and_expanded_names() {
    let w = with_blobs(r#"{"name":"apim-a/{created}.apimbackup","age_days":1.5,"catalog":true,"backup":{"service":"apim-a"}}"#)
        .unwrap();
    let c = &w.accounts[0].containers["apim-backups"];
    let (name, blob) = c.blobs.iter().next().unwrap();
    assert_eq!(name, "apim-a/20261125T0000Z.apimbackup");
    assert_eq!(blob.created, NOW - Duration::hours(36));
    let doc = BackupDocument::parse(&blob.content).unwrap();
    assert_eq!(
        (doc.sku.as_str(), doc.capacity, doc.apis.len()),
        ("Standard", 2, 1)
    );
    let cat = BackupCatalog::from_metadata(&blob.metadata.iter().cloned().collect());
    assert_eq!(cat.source_sku, Some(SkuName::new("Standard")));
    assert!(cat.source_service.unwrap().ends_with("/service/apim-a"));
}

#[test]
fn blob_errors_name_the_entry() {
    let e = with_blobs(r#"{"name":"x","backup":{"service":"apim-zz"}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("blobs[0].backup.service: no service named 'apim-zz'"),
        "{e}"
    );
    let e = with_blobs(r#"{"name":"x","catalog":true}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("blobs[0].catalog"), "{e}");
    let e = with_blobs(r#"{"name":"x."}"#).unwrap_err().to_string();
    assert!(e.contains("blobs[0].name"), "{e}");
    let e = with_blobs(r#"{"name":"x","metadata":{"a-b":"1"}}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a C# identifier"), "{e}");
    let e = with_blobs(r#"{"name":"x"},{"name":"x"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("blobs[1].name: duplicate blob"), "{e}");
    let e = with_blobs(r#"{"name":"x","age_days":-1}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("age_days"), "{e}");
}

#[test]
fn backups_of_absent_services_need_sku_and_location() {
    let id = format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/gone"
    );
    let e = with_blobs(&format!(r#"{{"name":"x","backup":{{"service":"{id}"}}}}"#))
        .unwrap_err()
        .to_string();
    assert!(e.contains("backup.sku"), "{e}");
    assert!(
        with_blobs(&format!(
            r#"{{"name":"x","backup":{{"service":"{id}","sku":"Basic","location":"West US"}}}}"#
        ))
        .is_ok()
    );
    assert!(valid_metadata_name("_a1") && !valid_metadata_name("1a") && !valid_metadata_name(""));
}

#[test]
fn a_copied_blob_keeps_the_backup_time_in_its_content_and_catalog() {
    let w = with_blobs(
        r#"{"name":"copy.apimbackup","age_days":0.1,"catalog":true,"backup":{"service":"apim-a","age_days":40}}"#,
    )
    .unwrap();
    let blob = &w.accounts[0].containers["apim-backups"].blobs["copy.apimbackup"];
    assert_eq!(blob.created, NOW - Duration::seconds_f64(0.1 * 86_400.0));
    let doc = BackupDocument::parse(&blob.content).unwrap();
    assert_eq!(doc.taken(), Some(NOW - Duration::days(40)));
    let cat = BackupCatalog::from_metadata(&blob.metadata.iter().cloned().collect());
    assert_eq!(
        cat.started,
        Some(NOW - Duration::days(40) - Duration::minutes(10))
    );
    let e = with_blobs(r#"{"name":"x","age_days":3,"backup":{"service":"apim-a","age_days":1}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cannot be taken after its blob was created"),
        "{e}"
    );
    let e = with_blobs(
        r#"{"name":"x","backup":{"service":"apim-a","age_days":1,"taken":"2026-01-01T00:00:00Z"}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("either age_days or taken"), "{e}");
}
