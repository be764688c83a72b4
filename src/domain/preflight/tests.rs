//! Tests of `domain::preflight`.
use super::*;
use crate::domain::backup::BackupCatalog;
use crate::domain::sku::SkuName;
use time::{Duration, macros::datetime};

const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);

fn target(sku: &str, loc: &str) -> ServiceSummary {
    ServiceSummary {
        id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b"
            .into(),
        name: "apim-b".into(),
        subscription_id: "s".into(),
        resource_group: "rg".into(),
        location: loc.into(),
        sku: SkuName::new(sku),
        capacity: 1,
        provisioning_state: "Succeeded".into(),
        target_provisioning_state: String::new(),
        gateway_url: None,
        additional_locations: vec![],
        custom_hostnames: vec![],
    }
}

fn backup(sku: Option<&str>, age_days: i64) -> BackupLookup {
    BackupLookup::Found(BackupEntry {
        account: "stdr".into(),
        container: "apim-backups".into(),
        name: "a.apimbackup".into(),
        created: Some(NOW - Duration::days(age_days)),
        size_bytes: 1,
        catalog: BackupCatalog {
            source_service: Some("apim-a".into()),
            source_sku: sku.map(SkuName::new),
            source_capacity: Some(2),
            source_location: Some("West Europe".into()),
            ..BackupCatalog::default()
        },
    })
}

fn verdict(b: &BackupLookup, t: &ServiceSummary) -> Verdict {
    evaluate(&PreflightFacts {
        backup: b,
        target: t,
        storage: None,
        target_has_local_operation: false,
        uses_access_key: true,
        now: NOW,
    })
}

fn level(v: &Verdict, id: &str) -> Level {
    v.checks.iter().find(|c| c.id == id).unwrap().level
}

#[test]
fn a_good_failover_passes_with_a_capacity_warning() {
    let v = verdict(
        &backup(Some("Standard"), 2),
        &target("Standard", "North Europe"),
    );
    assert!(v.allows_restore());
    assert_eq!(level(&v, "tier_match"), Level::Pass);
    assert_eq!(level(&v, "region"), Level::Pass);
    assert_eq!(level(&v, "capacity"), Level::Warn);
    assert_eq!(v.worst(), Level::Warn);
}

#[test]
fn tier_mismatch_blocks_with_azures_words() {
    let v = verdict(
        &backup(Some("Standard"), 2),
        &target("Premium", "North Europe"),
    );
    assert!(!v.allows_restore());
    let c = v.blockers().next().unwrap();
    assert_eq!(
        c.reason,
        "Cannot restore: current SKU is 'Premium', backup SKU is 'Standard'"
    );
}

#[test]
fn expired_blocks_and_unknown_tier_warns() {
    let v = verdict(&backup(None, 31), &target("Standard", "North Europe"));
    assert_eq!(level(&v, "backup_age"), Level::Block);
    assert!(
        v.checks
            .iter()
            .any(|c| c.reason.starts_with("Cannot restore: backup expired"))
    );
    assert_eq!(level(&v, "tier_match"), Level::Warn);
}

#[test]
fn v2_target_missing_blob_and_busy_target_block() {
    let mut t = target("StandardV2", "North Europe");
    t.provisioning_state = "Updating".into();
    let v = verdict(&BackupLookup::ContainerMissing, &t);
    assert_eq!(level(&v, "target_tier"), Level::Block);
    assert_eq!(level(&v, "backup_present"), Level::Block);
    assert_eq!(level(&v, "target_busy"), Level::Block);
    assert_eq!(v.blockers().count(), 3);
}

#[test]
fn same_region_and_rollback_warn() {
    let v = verdict(
        &backup(Some("Standard"), 1),
        &target("Standard", "westeurope"),
    );
    assert_eq!(level(&v, "region"), Level::Warn);
    let mut t = target("Standard", "North Europe");
    t.name = "apim-a".into();
    let v = verdict(&backup(Some("Standard"), 1), &t);
    assert!(v.checks.iter().any(|c| c.reason.contains("rolls it back")));
}

#[test]
fn storage_rules() {
    let b = backup(Some("Standard"), 1);
    let t = target("Standard", "North Europe");
    let storage = StorageFacts {
        location: Some("northeurope".into()),
        firewall_enabled: true,
        shared_key_disabled: true,
    };
    let v = evaluate(&PreflightFacts {
        backup: &b,
        target: &t,
        storage: Some(&storage),
        target_has_local_operation: true,
        uses_access_key: true,
        now: NOW,
    });
    assert_eq!(level(&v, "storage_access"), Level::Block);
    assert_eq!(level(&v, "storage_firewall"), Level::Warn);
    assert_eq!(level(&v, "target_busy"), Level::Block);
}
