//! Tests of `domain::preflight`: each check's status and words from facts built here.
use super::*;
use crate::domain::backup::{BackupCatalog, BackupEntry};
use crate::domain::operation::AccessType;
use crate::domain::service::{ServiceFields, ServiceSummary};
use crate::domain::sku::SkuName;
use time::{Duration, OffsetDateTime, macros::datetime};

const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);
const ACCOUNT_ID: &str =
    "/subscriptions/s/resourceGroups/rg-st/providers/Microsoft.Storage/storageAccounts/stdr";

fn service(sku: &str, loc: &str) -> ServiceFacts {
    ServiceFacts {
        summary: ServiceSummary::from(ServiceFields {
            id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-b"
                .into(),
            name: "apim-b".into(),
            subscription_id: "s".into(),
            resource_group: "rg".into(),
            location: loc.into(),
            sku: SkuName::new(sku),
            capacity: 1,
            provisioning_state: "Succeeded".into(),
            target_provisioning_state: "".into(),
            gateway_url: None,
            additional_locations: vec![],
            custom_hostnames: vec![],
            tags: std::collections::BTreeMap::new(),
            identity: None,
        }),
        identity: ServiceIdentity {
            system_principal: Some("p-sys".into()),
            user_assigned: vec![],
        },
        api_version: ApiVersionFacts {
            asked: "2024-05-01".into(),
            used: "2024-05-01".into(),
            refusal: None,
        },
        workspaces: Seen::Read(WorkspaceFacts {
            names: vec![],
            gateway_linked: Seen::Read(vec![]),
        }),
    }
}

fn entry(sku: Option<&str>, age_days: i64) -> BackupEntry {
    BackupEntry {
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
            started: Some(NOW - Duration::days(age_days) - Duration::minutes(10)),
            ..BackupCatalog::default()
        }
        .into(),
    }
}

fn account() -> AccountFacts {
    AccountFacts {
        id: ACCOUNT_ID.into(),
        location: "northeurope".into(),
        network: NetworkFacts::default(),
        shared_key_disabled: false,
        cors: Seen::Read(vec![]),
        roles: Seen::Read(vec![]),
    }
}

fn facts(kind: PostKind, blob: Option<BackupEntry>) -> PreflightFacts {
    PreflightFacts {
        kind,
        service: Seen::Read(service("Standard", "North Europe")),
        local_operation: false,
        access: AccessType::AccessKey,
        storage: StorageFacts {
            account_name: "stdr".into(),
            container: "apim-backups".into(),
            blob: "a.apimbackup".into(),
            account: Seen::Read(account()),
            container_exists: Seen::Read(true),
            blob_state: Seen::Read(blob),
        },
        confirmed_tier: None,
        overwrite: false,
        now: NOW,
    }
}

fn restore() -> PreflightFacts {
    facts(PostKind::Restore, Some(entry(Some("Standard"), 2)))
}

fn get<'v>(v: &'v Verdict, id: &str) -> &'v Check {
    v.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {v:?}"))
}

fn level(f: &PreflightFacts, id: &str) -> (Level, String) {
    let v = evaluate(f);
    let c = get(&v, id);
    (c.level, c.reason.clone())
}

#[test]
fn a_good_failover_lists_every_check_and_warns_only_on_capacity() {
    let v = evaluate(&restore());
    let ids: Vec<&str> = v.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "service_exists",
            "service_idle",
            "service_tier",
            "workspaces",
            "api_version",
            "identity",
            "storage_account",
            "container_name",
            "container_exists",
            "cors",
            "firewall",
            "shared_key",
            "identity_role",
            "blob_exists",
            "backup_age",
            "backup_time",
            "tier_match",
            "region",
            "capacity",
        ]
    );
    assert!(v.allows_restore());
    let warns: Vec<&str> = v
        .checks
        .iter()
        .filter(|c| c.level != Level::Pass)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(warns, ["capacity"]);
    assert!(
        v.checks
            .iter()
            .all(|c| c.fix.is_some() == (c.level != Level::Pass))
    );
}

#[test]
fn json_uses_status_ok_warn_fail_and_a_fix() {
    let v = evaluate(&restore());
    let json = serde_json::to_value(get(&v, "capacity")).unwrap();
    assert_eq!(json["status"], "warn");
    assert_eq!(json["fix"], "scale the target to 2 unit(s)");
    let json = serde_json::to_value(get(&v, "region")).unwrap();
    assert_eq!(
        (json["status"].as_str(), json["fix"].is_null()),
        (Some("ok"), true)
    );
}

#[test]
fn missing_service_fails_and_its_dependents_are_not_checked() {
    let mut f = restore();
    f.service = Seen::Unreadable("ResourceNotFound: not found".into());
    let v = evaluate(&f);
    assert_eq!(get(&v, "service_exists").level, Level::Block);
    let c = get(&v, "service_idle");
    assert_eq!(
        (c.level, c.reason.as_str()),
        (Level::Warn, "not checked: the service was not found")
    );
    assert_eq!(
        get(&v, "firewall").reason,
        "not checked: the service was not found"
    );
}

#[test]
fn busy_v2_and_locally_busy_services_fail() {
    let mut f = restore();
    if let Seen::Read(s) = &mut f.service {
        s.summary.provisioning_state = "Updating".into();
        s.summary.sku = SkuName::new("StandardV2");
    }
    assert_eq!(level(&f, "service_tier").0, Level::Block);
    assert_eq!(
        level(&f, "service_idle"),
        (
            Level::Block,
            "the service is Updating: another operation is running on it".into()
        )
    );
    let mut f = restore();
    f.local_operation = true;
    assert_eq!(level(&f, "service_idle").0, Level::Block);
}

#[test]
fn workspaces_fail_only_with_a_gateway() {
    let mut f = restore();
    let set = |f: &mut PreflightFacts, linked: Vec<String>| {
        if let Seen::Read(s) = &mut f.service {
            s.workspaces = Seen::Read(WorkspaceFacts {
                names: vec!["ws-a".into()],
                gateway_linked: Seen::Read(linked),
            });
        }
    };
    set(&mut f, vec![]);
    assert_eq!(level(&f, "workspaces").0, Level::Warn);
    set(&mut f, vec!["ws-a".into()]);
    let (l, reason) = level(&f, "workspaces");
    assert_eq!(l, Level::Block);
    assert!(reason.starts_with(
        "Backup and restore aren't supported in API Management instances with associated workspace gateways"
    ));
}

#[test]
fn tier_match_from_catalog_or_confirmation() {
    let f = facts(PostKind::Restore, Some(entry(Some("Premium"), 2)));
    assert_eq!(
        level(&f, "tier_match"),
        (
            Level::Block,
            "Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'".into()
        )
    );
    let mut f = facts(PostKind::Restore, Some(entry(None, 2)));
    let v = evaluate(&f);
    let c = get(&v, "tier_match");
    assert_eq!(c.level, Level::Warn);
    assert_eq!(
        c.fix.as_deref(),
        Some("check the source's tier and confirm it: --confirm-tier Standard (the target's tier)")
    );
    f.confirmed_tier = Some(SkuName::new("standard"));
    assert_eq!(level(&f, "tier_match").0, Level::Pass);
    f.confirmed_tier = Some(SkuName::new("Basic"));
    assert_eq!(level(&f, "tier_match").0, Level::Block);
}

#[test]
fn age_counts_from_the_backups_own_time() {
    let f = facts(PostKind::Restore, Some(entry(Some("Standard"), 31)));
    let (l, reason) = level(&f, "backup_age");
    assert_eq!(l, Level::Block);
    assert!(
        reason.starts_with("Cannot restore: backup expired"),
        "{reason}"
    );
    let f = facts(PostKind::Restore, Some(entry(Some("Standard"), 27)));
    assert_eq!(level(&f, "backup_age").0, Level::Warn);
    // A copy made yesterday of a 31-day-old backup: expired, and the times disagree.
    let mut e = entry(Some("Standard"), 31);
    e.created = Some(NOW - Duration::days(1));
    let f = facts(PostKind::Restore, Some(e));
    assert_eq!(level(&f, "backup_age").0, Level::Block);
    let (l, reason) = level(&f, "backup_time");
    assert_eq!(l, Level::Warn);
    assert!(reason.contains("probably a copy"), "{reason}");
}

#[test]
fn missing_container_and_blob_fail_for_a_restore() {
    let mut f = facts(PostKind::Restore, None);
    assert_eq!(
        level(&f, "blob_exists"),
        (
            Level::Block,
            "The specified blob does not exist. (stdr/apim-backups/a.apimbackup)".into()
        )
    );
    f.storage.container_exists = Seen::Read(false);
    assert_eq!(level(&f, "container_exists").0, Level::Block);
    f.storage.container = "Bad--Name".into();
    assert_eq!(level(&f, "container_name").0, Level::Block);
}

#[test]
fn an_unreachable_data_plane_warns_and_allows() {
    let mut f = restore();
    f.storage.blob_state = Seen::Unreadable("AuthorizationFailure".into());
    let v = evaluate(&f);
    assert!(v.allows_restore());
    assert_eq!(
        get(&v, "blob_exists").reason,
        "this machine cannot read the blob (AuthorizationFailure); APIM reaches storage on its own"
    );
    let mut f = facts(PostKind::Backup, None);
    f.storage.blob_state = Seen::Unreadable("AuthorizationFailure".into());
    let v = evaluate(&f);
    assert!(v.allows_restore());
    assert_eq!(get(&v, "overwrite").level, Level::Warn);
}

#[test]
fn a_backup_refuses_to_overwrite_unless_asked() {
    let mut f = facts(PostKind::Backup, Some(entry(Some("Standard"), 1)));
    assert_eq!(
        level(&f, "overwrite"),
        (
            Level::Block,
            "stdr/apim-backups/a.apimbackup already exists: the backup would overwrite it".into()
        )
    );
    f.overwrite = true;
    assert_eq!(level(&f, "overwrite").0, Level::Warn);
    let ids: Vec<String> = evaluate(&f).checks.into_iter().map(|c| c.id).collect();
    assert!(
        !ids.contains(&"tier_match".to_owned()) && ids.len() == 14,
        "{ids:?}"
    );
}

#[test]
fn cors_fails_only_with_patch_and_a_key() {
    let mut f = restore();
    let set = |f: &mut PreflightFacts, methods: &[&str]| {
        if let Seen::Read(a) = &mut f.storage.account {
            a.cors = Seen::Read(vec![CorsRule {
                allowed_methods: methods.iter().map(|m| (*m).to_owned()).collect(),
            }]);
        }
    };
    set(&mut f, &["GET", "PATCH"]);
    assert_eq!(
        level(&f, "cors"),
        (
            Level::Block,
            "a CORS rule allows PATCH: APIM's storage client cannot read it and refuses the restore by key (Requested value 'GET,PATCH' was not found.)".into()
        )
    );
    f.access = AccessType::SystemAssignedManagedIdentity;
    assert_eq!(level(&f, "cors").0, Level::Warn);
    set(&mut f, &["GET"]);
    f.access = AccessType::AccessKey;
    assert_eq!(level(&f, "cors").0, Level::Warn);
}

#[test]
fn firewall_against_access_type_and_region() {
    let mut f = restore();
    let net = |f: &mut PreflightFacts, n: NetworkFacts, loc: &str| {
        if let Seen::Read(a) = &mut f.storage.account {
            a.network = n;
            a.location = loc.into();
        }
    };
    let deny = NetworkFacts {
        default_deny: true,
        ..NetworkFacts::default()
    };
    net(&mut f, deny.clone(), "northeurope");
    assert_eq!(level(&f, "firewall").0, Level::Block);
    net(
        &mut f,
        NetworkFacts {
            ip_rules: vec!["51.145.179.0/24".into()],
            ..deny.clone()
        },
        "westeurope",
    );
    assert_eq!(level(&f, "firewall").0, Level::Warn);
    let trusted = NetworkFacts {
        bypass: vec!["AzureServices".into()],
        ..deny.clone()
    };
    net(&mut f, trusted.clone(), "northeurope");
    let (l, reason) = level(&f, "firewall");
    assert_eq!(l, Level::Block);
    assert!(reason.contains("only with a managed identity"), "{reason}");
    f.access = AccessType::SystemAssignedManagedIdentity;
    assert_eq!(level(&f, "firewall").0, Level::Pass);
    net(
        &mut f,
        NetworkFacts {
            public_network_access: "Disabled".into(),
            ..trusted
        },
        "northeurope",
    );
    assert_eq!(level(&f, "firewall").0, Level::Block);
}

#[test]
fn identity_and_role_for_identity_access() {
    let mut f = restore();
    f.access = AccessType::SystemAssignedManagedIdentity;
    let roles = |f: &mut PreflightFacts, r: Seen<Vec<RoleAssignmentFact>>| {
        if let Seen::Read(a) = &mut f.storage.account {
            a.roles = r;
        }
    };
    let owner = RoleAssignmentFact {
        principal_id: "p-sys".into(),
        role_definition_id: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635".into(),
        scope: "/subscriptions/s".into(),
    };
    roles(&mut f, Seen::Read(vec![owner.clone()]));
    assert_eq!(
        level(&f, "identity_role"),
        (
            Level::Block,
            "principal p-sys holds no Storage Blob Data Contributor (or Owner) on stdr, its resource group or subscription (it holds Owner: no data actions)".into()
        )
    );
    let contributor = RoleAssignmentFact {
        role_definition_id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe".into(),
        scope: "/subscriptions/s/resourceGroups/rg-st".into(),
        ..owner
    };
    roles(&mut f, Seen::Read(vec![contributor]));
    assert_eq!(
        level(&f, "identity_role"),
        (
            Level::Pass,
            "Storage Blob Data Contributor at /subscriptions/s/resourceGroups/rg-st".into()
        )
    );
    roles(&mut f, Seen::Unreadable("AuthorizationFailed".into()));
    assert_eq!(level(&f, "identity_role").0, Level::Warn);
    if let Seen::Read(s) = &mut f.service {
        s.identity.system_principal = None;
    }
    assert_eq!(level(&f, "identity").0, Level::Block);
    f.access = AccessType::AccessKey;
    assert_eq!(level(&f, "identity").0, Level::Pass);
}

#[test]
fn shared_key_off_fails_key_access_and_api_fallback_warns() {
    let mut f = restore();
    if let Seen::Read(a) = &mut f.storage.account {
        a.shared_key_disabled = true;
    }
    assert_eq!(
        level(&f, "shared_key"),
        (
            Level::Block,
            "Key based authentication is not permitted on this storage account.".into()
        )
    );
    if let Seen::Read(s) = &mut f.service {
        s.api_version.used = "2022-08-01".into();
        s.api_version.refusal = Some("NoRegisteredProviderFound".into());
    }
    assert_eq!(level(&f, "api_version").0, Level::Warn);
}
