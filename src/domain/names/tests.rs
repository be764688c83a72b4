//! Tests of `names`.
use super::*;

const SUB: &str = "00000000-0000-0000-0000-000000000000";

#[test]
fn service_id_round_trips_and_ignores_segment_case() {
    let raw = format!(
        "/subscriptions/{SUB}/resourcegroups/rg-1/providers/microsoft.apimanagement/service/apim-a"
    );
    let id = ServiceId::parse(&raw).unwrap();
    assert_eq!(id.name.as_str(), "apim-a");
    assert_eq!(id.resource_group.as_str(), "rg-1");
    assert_eq!(
        id.path(),
        format!(
            "/subscriptions/{SUB}/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/apim-a"
        )
    );
    assert_eq!(ServiceId::parse(&id.path()).unwrap(), id);
}

#[test]
fn service_id_rejects_other_shapes_with_the_rule() {
    for bad in [
        "apim-a",
        "/subscriptions/x",
        &format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a"
        ),
    ] {
        let err = ServiceId::parse(bad).unwrap_err();
        assert_eq!(err.field, "service id");
        assert!(err.rule.contains("/subscriptions/{id}"), "{err}");
    }
    let err = ServiceId::parse(&format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/1bad"
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid API Management service name '1bad': must start with a letter"
    );
}

#[test]
fn service_name_rules() {
    assert!(ServiceName::parse("a").is_ok());
    assert!(ServiceName::parse("apim-prod-01").is_ok());
    assert!(ServiceName::parse("").is_err());
    assert!(ServiceName::parse("a-").is_err());
    assert!(ServiceName::parse("a_b").is_err());
    assert!(ServiceName::parse(&"a".repeat(51)).is_err());
}

#[test]
fn storage_and_container_rules() {
    assert!(StorageAccountName::parse("stbackups01").is_ok());
    assert_eq!(
        StorageAccountName::parse("StBackups").unwrap_err().rule,
        "may contain only lowercase letters and digits"
    );
    assert!(StorageAccountName::parse("ab").is_err());
    assert!(ContainerName::parse("apim-backups").is_ok());
    assert!(ContainerName::parse("apim--backups").is_err());
    assert!(ContainerName::parse("-apim").is_err());
    assert!(ContainerName::parse("Apim").is_err());
}

#[test]
fn blob_and_backup_ref_rules() {
    let r = BackupRef::parse("stdr/apim-backups/prod/2024-01-01.apimbackup").unwrap();
    assert_eq!(r.blob.as_str(), "prod/2024-01-01.apimbackup");
    assert_eq!(
        r.to_string(),
        "stdr/apim-backups/prod/2024-01-01.apimbackup"
    );
    assert!(BackupRef::parse("stdr/apim-backups").is_err());
    assert!(BackupRef::parse("stdr/apim-backups/").is_err());
    assert!(BlobName::parse("x.").is_err());
    assert!(BlobName::parse("a\nb").is_err());
}

#[test]
fn subscription_is_a_guid() {
    assert!(SubscriptionId::parse(SUB).is_ok());
    assert!(SubscriptionId::parse("subid").is_err());
    assert!(SubscriptionId::parse("00000000-0000-0000-0000-00000000000g").is_err());
}

#[test]
fn resource_group_rules() {
    assert!(ResourceGroupName::parse("rg_dr-(west).1").is_ok());
    assert!(ResourceGroupName::parse("rg.").is_err());
    assert!(ResourceGroupName::parse("rg/x").is_err());
    assert!(ResourceGroupName::parse(&"r".repeat(91)).is_err());
}

#[test]
fn blob_names_follow_azures_segment_rules() {
    for ok in [
        "a",
        "prod/2024-01-01.apimbackup",
        "/leading/slash",
        "a//b",
        ".hidden",
        "a/.b/c",
        "a..b",
        "ü/ß.bak",
        "%2e/%2E%2e",
        "back\\slash",
    ] {
        assert!(BlobName::parse(ok).is_ok(), "{ok}");
    }
    let rule = |s: &str| BlobName::parse(s).unwrap_err().rule;
    for dots in [".", "..", "a/./b", "a/../b", "./a", "a/.."] {
        assert!(rule(dots).contains("'.' or '..' path segment"), "{dots}");
    }
    for trailing in ["x.", "prod./a", "a/b../c", "a/b/c."] {
        assert_eq!(
            rule(trailing),
            "no path segment may end with a dot (.)",
            "{trailing}"
        );
    }
    assert_eq!(rule("a/"), "must not end with a forward slash (/)");
    let at_limit = vec!["s"; MAX_BLOB_SEGMENTS].join("/");
    assert!(BlobName::parse(&at_limit).is_ok());
    let over = format!("{at_limit}/s");
    assert!(rule(&over).contains("cannot exceed 254"), "{over}");
}

#[test]
fn client_ids_are_guids() {
    assert!(ClientId::parse("6b9e4c2a-1f3d-4e5a-8b7c-9d0e1f2a3b4c").is_ok());
    for bad in [
        "",
        "my-identity",
        "6b9e4c2a1f3d4e5a8b7c9d0e1f2a3b4c",
        "{6b9e4c2a-1f3d-4e5a-8b7c-9d0e1f2a3b4c}",
    ] {
        assert_eq!(
            ClientId::parse(bad).unwrap_err().field,
            "client id",
            "{bad}"
        );
    }
}
