use std::collections::BTreeMap;

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::domain::backup::{BackupCatalog, infer};
use crate::domain::service::ServiceFields;
use crate::domain::sku::SkuName;

const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);

fn service(name: &str, sku: &str, location: &str) -> ServiceSummary {
    ServiceSummary::from(ServiceFields {
        id: format!(
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/{name}"
        ),
        name: name.into(),
        subscription_id: "00000000-0000-0000-0000-000000000001".into(),
        resource_group: "rg".into(),
        location: location.into(),
        sku: SkuName::new(sku),
        capacity: 1,
        provisioning_state: "Succeeded".into(),
        target_provisioning_state: "".into(),
        gateway_url: None,
        additional_locations: Vec::new(),
        custom_hostnames: Vec::new(),
        tags: std::collections::BTreeMap::new(),
        identity: None,
    })
}

fn backup(
    account: &str,
    name: &str,
    source: Option<&ServiceSummary>,
    age: Duration,
) -> BackupEntry {
    BackupEntry {
        account: account.into(),
        container: "apim-backups".into(),
        name: name.into(),
        created: Some(NOW - age),
        size_bytes: 1,
        catalog: BackupCatalog {
            source_service: source.map(|s| s.id().as_ref().into()),
            ..BackupCatalog::default()
        }
        .into(),
    }
}

fn regions() -> BTreeMap<String, String> {
    [
        ("stneu".to_owned(), "northeurope".to_owned()),
        ("stweu".to_owned(), "westeurope".to_owned()),
    ]
    .into_iter()
    .collect()
}

fn candidates(entries: &[BackupEntry]) -> Vec<Candidate<'_>> {
    entries
        .iter()
        .map(|entry| Candidate {
            entry,
            view: infer(entry, None),
        })
        .collect()
}

fn seen<'a>(
    services: &'a [ServiceSummary],
    entries: &'a [BackupEntry],
    complete: bool,
) -> Seen<'a> {
    Seen {
        services,
        backups: candidates(entries),
        account_regions: regions(),
        complete,
    }
}

#[test]
fn the_newest_restorable_backup_sets_each_services_verdict() {
    let services = [
        service("apim-a", "Standard", "West Europe"),
        service("apim-b", "Premium", "West Europe"),
        service("apim-c", "Basic", "North Europe"),
        service("apim-cons", "Consumption", "West Europe"),
    ];
    let entries = [
        backup("stneu", "a1", Some(&services[0]), Duration::hours(30)),
        backup("stneu", "a2", Some(&services[0]), Duration::hours(3)),
        backup("stweu", "b1", Some(&services[1]), Duration::hours(50)),
        // Expired: not restorable, so apim-c has none.
        backup("stneu", "c1", Some(&services[2]), Duration::days(31)),
    ];
    let rows = assess(&seen(&services, &entries, true), Duration::hours(24), NOW);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].newest.map(|b| b.name.as_str()), Some("a2"));
    assert_eq!(rows[0].verdict, RpoVerdict::Within);
    assert_eq!(rows[0].off_region, Some(true));
    assert_eq!(rows[1].verdict, RpoVerdict::Exceeded);
    assert_eq!(rows[1].off_region, Some(false), "same region: ⚠");
    assert_eq!(rows[2].verdict, RpoVerdict::NoBackup);
    assert_eq!(rows[2].newest, None);
    assert_eq!(rows[3].verdict, RpoVerdict::NotApplicable);
    assert!(!all_within(&rows));
    assert!(all_within(&rows[..1]));
    assert!(all_within(&rows[3..]), "n/a tiers do not alert");
}

#[test]
fn a_backup_near_expiry_warns_and_a_longer_objective_accepts_it() {
    let services = [service("apim-a", "Developer", "West Europe")];
    let entries = [backup(
        "stneu",
        "old",
        Some(&services[0]),
        Duration::days(27),
    )];
    let rows = assess(&seen(&services, &entries, true), Duration::days(28), NOW);
    assert_eq!(rows[0].verdict, RpoVerdict::Within);
    assert!(rows[0].expiring_soon);
    assert_eq!(rows[0].expires, Some(NOW + Duration::days(3)));
}

#[test]
fn a_blob_without_catalog_counts_by_its_default_name_and_says_so() {
    let services = [service("apim-a", "Standard", "West Europe")];
    let entries = [backup(
        "stother",
        "apim-a/20261126T080000Z.apimbackup",
        None,
        Duration::hours(4),
    )];
    let rows = assess(&seen(&services, &entries, true), Duration::hours(24), NOW);
    assert_eq!(rows[0].verdict, RpoVerdict::Within);
    assert!(rows[0].inferred);
    assert_eq!(rows[0].off_region, None, "the account's region is unknown");
}

#[test]
fn a_partial_walk_never_says_past_rpo_only_unconfirmed() {
    let services = [
        service("apim-a", "Standard", "West Europe"),
        service("apim-b", "Standard", "West Europe"),
    ];
    let entries = [
        backup("stneu", "a", Some(&services[0]), Duration::hours(2)),
        backup("stneu", "b", Some(&services[1]), Duration::hours(40)),
    ];
    let rows = assess(&seen(&services, &entries, false), Duration::hours(24), NOW);
    assert_eq!(
        rows[0].verdict,
        RpoVerdict::Within,
        "a backup seen is a backup"
    );
    assert_eq!(rows[1].verdict, RpoVerdict::Unconfirmed);
    assert!(all_within(&rows) && any_unconfirmed(&rows));
}
