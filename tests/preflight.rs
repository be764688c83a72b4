//! Pre-flight over loopback against the emulator: for a restore and for a backup, every check
//! with its exact id, status and words, each from a world that makes it come out that way;
//! a machine that cannot read the data plane gets warnings and can still back up; `backup`
//! refuses to overwrite an existing blob unless asked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apim_dr::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use apim_dr::domain::operation::{AccessType, BackupPlan, Outcome, PostKind};
use apim_dr::domain::preflight::{Check, Level, Verdict};
use apim_dr::domain::sku::SkuName;
use apim_dr::emulator::{EmulatorConfig, EmulatorHandle, RetryAfterMode, World};
use apim_dr::engine::preflight::{PreflightAsk, run};
use apim_dr::engine::{Engine, EngineError, RunEnd};
use apim_dr::journal::Journal;
use common::emu;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const SUB: &str = "33333333-4444-4555-8666-777777777777";
const WEU_CONTROL_PLANE: &str = "51.145.179.78";
const USER_CLIENT: &str = "0b0c0d0e-0000-4000-8000-000000000001";

fn account(name: &str, location: &str, extra: &str) -> String {
    format!(
        r#"{{"subscription":"{SUB}","resource_group":"rg-st","name":"{name}","location":"{location}",
        "containers":[{{"name":"backups","blobs":[{{"name":"src.apimbackup","age_days":1,"catalog":true,"backup":{{"service":"apim-src"}}}}]}}]{extra}}}"#
    )
}

fn svc(name: &str, location: &str, sku: &str, extra: &str) -> String {
    format!(
        r#"{{"subscription":"{SUB}","resource_group":"rg-apim","name":"{name}","location":"{location}","sku":"{sku}"{extra}}}"#
    )
}

/// Services of each kind pre-flight judges, one storage account per storage setting, and the
/// roles: apim-src holds Storage Blob Data Contributor on stplain, apim-dst only Owner.
fn world(caller: &str) -> World {
    let plain_blobs = r#","containers":[{"name":"backups","blobs":[
        {"name":"fresh.apimbackup","age_days":1,"catalog":true,"backup":{"service":"apim-src"}},
        {"name":"nocat.apimbackup","age_days":1,"backup":{"service":"apim-src"}},
        {"name":"old.apimbackup","age_days":31,"catalog":true,"backup":{"service":"apim-src"}},
        {"name":"soon.apimbackup","age_days":27,"catalog":true,"backup":{"service":"apim-src"}},
        {"name":"copied.apimbackup","age_days":0.1,"catalog":true,"backup":{"service":"apim-src","age_days":40}}]}]"#;
    let accounts = [
        format!(
            r#"{{"subscription":"{SUB}","resource_group":"rg-st","name":"stplain","location":"northeurope"{plain_blobs}}}"#
        ),
        account(
            "stcors",
            "northeurope",
            r#","blob_cors":[{"allowed_origins":["*"],"allowed_methods":["GET","PUT","PATCH"]}]"#,
        ),
        account(
            "stcorsget",
            "northeurope",
            r#","blob_cors":[{"allowed_origins":["*"],"allowed_methods":["GET"]}]"#,
        ),
        account(
            "stsameregion",
            "westeurope",
            &format!(
                r#","network_acls":{{"default_action":"Deny","bypass":"None","ip_rules":["{WEU_CONTROL_PLANE}","203.0.113.0/24"]}}"#
            ),
        ),
        account(
            "stotherregion",
            "northeurope",
            r#","network_acls":{"default_action":"Deny","bypass":"None","ip_rules":["51.145.179.0/24"]}"#,
        ),
        account(
            "sttrusted",
            "westeurope",
            r#","network_acls":{"default_action":"Deny","bypass":"Logging, AzureServices","ip_rules":["203.0.113.0/24"]}"#,
        ),
        account("stnokey", "northeurope", r#","allow_shared_key_access":false"#),
        account(
            "stprivate",
            "northeurope",
            r#","public_network_access":"Disabled""#,
        ),
    ]
    .join(",");
    let services = [
        svc(
            "apim-src",
            "West Europe",
            "Standard",
            &format!(
                r#","capacity":2,"identity":{{"system_assigned":true,"user_assigned":[{{"name":"id-backup","client_id":"{USER_CLIENT}"}}]}}"#
            ),
        ),
        svc("apim-dst", "North Europe", "Standard", r#","identity":"SystemAssigned""#),
        svc("apim-noid", "North Europe", "Standard", ""),
        svc("apim-v2", "North Europe", "StandardV2", ""),
        svc("apim-fr", "France Central", "Standard", ""),
        svc(
            "apim-prem-gw",
            "West Europe",
            "Premium",
            r#","workspaces":[{"name":"ws-sales","gateway":"gw-sales"},{"name":"ws-ops"}]"#,
        ),
        svc(
            "apim-prem-ws",
            "West Europe",
            "Premium",
            r#","workspaces":[{"name":"ws-only"}]"#,
        ),
    ]
    .join(",");
    let roles = format!(
        r#"{{"principal":"apim-src","role":"Storage Blob Data Contributor","scope":"stplain"}},
        {{"principal":"apim-src","role":"Storage Blob Data Owner","scope":"sttrusted"}},
        {{"principal":"apim-src/id-backup","role":"Storage Blob Data Contributor","scope":"/subscriptions/{SUB}/resourceGroups/rg-st"}},
        {{"principal":"apim-dst","role":"Owner","scope":"/subscriptions/{SUB}"}}"#
    );
    let text = format!(
        r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}]{caller},
        "locations":[{{"name":"westeurope","display_name":"West Europe","apim_control_plane_ip":"{WEU_CONTROL_PLANE}"}},
                     {{"name":"northeurope","display_name":"North Europe"}},
                     {{"name":"francecentral","display_name":"France Central","apim_pending_api_versions":["2024-05-01"]}}],
        "services":[{services}],
        "storage_accounts":[{accounts}],
        "role_assignments":[{roles}]}}"#
    );
    World::from_json(&text).unwrap()
}

async fn emulator(caller: &str) -> EmulatorHandle {
    let mut c = EmulatorConfig::new(world(caller));
    c.speed = 6000.0;
    c.retry_after = RetryAfterMode::Off;
    emu::start(c).await
}

fn id(name: &str) -> ServiceId {
    ServiceId::parse(&emu::service_id(SUB, "rg-apim", name)).unwrap()
}

fn restore(target: &str, backup: &str, access: AccessType) -> PreflightAsk {
    let mut parts = backup.splitn(3, '/');
    let (a, c, b) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    PreflightAsk {
        kind: PostKind::Restore,
        service: id(target),
        account: StorageAccountName::parse(a).unwrap(),
        container: c.to_owned(),
        blob: BlobName::parse(b).unwrap(),
        access,
        confirmed_tier: None,
        overwrite: false,
    }
}

fn backup(service: &str, dest: &str, access: AccessType) -> PreflightAsk {
    PreflightAsk {
        kind: PostKind::Backup,
        ..restore(service, dest, access)
    }
}

async fn verdict(h: &EmulatorHandle, ask: &PreflightAsk) -> Verdict {
    run(&emu::client(h), ask, false).await.unwrap().verdict
}

fn get<'v>(v: &'v Verdict, id: &str) -> &'v Check {
    v.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}: {v:#?}"))
}

/// Asserts a check's status and exact reason.
fn is(v: &Verdict, id: &str, level: Level, reason: &str) {
    let c = get(v, id);
    assert_eq!(
        (c.level, c.reason.as_str()),
        (level, reason),
        "{id}: {c:#?}"
    );
    assert_eq!(c.fix.is_some(), level != Level::Pass, "{id}: {c:#?}");
}

const KEY: AccessType = AccessType::AccessKey;
const MI: AccessType = AccessType::SystemAssignedManagedIdentity;

#[tokio::test]
async fn a_good_restore_lists_every_check() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/backups/fresh.apimbackup", KEY),
    )
    .await;
    let ids: Vec<&str> = v.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 19, "{ids:?}");
    assert!(v.allows_restore());
    is(
        &v,
        "service_exists",
        Level::Pass,
        "apim-dst in North Europe, Standard × 1",
    );
    is(
        &v,
        "service_idle",
        Level::Pass,
        "provisioning state Succeeded",
    );
    is(
        &v,
        "service_tier",
        Level::Pass,
        "Standard is a classic tier",
    );
    is(
        &v,
        "workspaces",
        Level::Pass,
        "the service has no workspaces",
    );
    is(
        &v,
        "api_version",
        Level::Pass,
        "2024-05-01 accepted in North Europe",
    );
    is(&v, "storage_account", Level::Pass, "stplain in northeurope");
    is(&v, "container_name", Level::Pass, "'backups'");
    is(&v, "container_exists", Level::Pass, "backups exists");
    is(&v, "cors", Level::Pass, "the Blob service has no CORS rule");
    is(
        &v,
        "firewall",
        Level::Pass,
        "the account admits every network (defaultAction Allow)",
    );
    is(
        &v,
        "shared_key",
        Level::Pass,
        "the account accepts its access keys",
    );
    is(
        &v,
        "tier_match",
        Level::Pass,
        "backup and target are both Standard",
    );
    is(
        &v,
        "backup_time",
        Level::Pass,
        "the blob's creation time and the catalog's start time agree",
    );
    is(
        &v,
        "region",
        Level::Pass,
        "backup from West Europe, target in North Europe",
    );
    is(
        &v,
        "capacity",
        Level::Warn,
        "the target has 1 unit(s), the source had 2: scale it out before taking traffic",
    );
    assert!(get(&v, "backup_age").reason.starts_with("expires in 28d"));
    assert!(
        get(&v, "blob_exists")
            .reason
            .starts_with("stplain/backups/fresh.apimbackup exists (")
    );
}

#[tokio::test]
async fn a_missing_target_fails_and_its_dependents_are_not_checked() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &restore("apim-nope", "stplain/backups/fresh.apimbackup", KEY),
    )
    .await;
    let c = get(&v, "service_exists");
    assert_eq!(c.level, Level::Block);
    assert!(c.reason.starts_with("404 ResourceNotFound: "), "{c:?}");
    is(
        &v,
        "service_idle",
        Level::Warn,
        "not checked: the service was not found",
    );
    is(
        &v,
        "tier_match",
        Level::Warn,
        "not checked: the target was not found",
    );
}

#[tokio::test]
async fn tiers_workspaces_and_api_versions() {
    let h = emulator("").await;
    let blob = "stplain/backups/fresh.apimbackup";
    let v = verdict(&h, &restore("apim-v2", blob, KEY)).await;
    is(
        &v,
        "service_tier",
        Level::Block,
        "StandardV2: the v2 tiers do not support backup and restore of the service",
    );
    let v = verdict(&h, &backup("apim-prem-gw", blob, KEY)).await;
    is(
        &v,
        "workspaces",
        Level::Block,
        "Backup and restore aren't supported in API Management instances with associated workspace gateways: ws-sales served by a workspace gateway",
    );
    let v = verdict(&h, &backup("apim-prem-ws", blob, KEY)).await;
    is(
        &v,
        "workspaces",
        Level::Warn,
        "the service has workspaces (ws-only), none linked to a workspace gateway: the current documentation refuses only instances with workspace gateways, an earlier revision any workspace",
    );
    let v = verdict(&h, &restore("apim-fr", blob, KEY)).await;
    let c = get(&v, "api_version");
    assert_eq!(c.level, Level::Warn);
    assert!(
        c.reason.starts_with("2024-05-01 refused in France Central (NoRegisteredProviderFound: No registered resource provider found for location 'francecentral'")
            && c.reason.ends_with("; 2022-08-01 accepted"),
        "{c:?}"
    );
}

#[tokio::test]
async fn tier_match_needs_the_catalog_or_a_confirmation() {
    let h = emulator("").await;
    let mut ask = restore("apim-dst", "stplain/backups/nocat.apimbackup", KEY);
    let v = verdict(&h, &ask).await;
    let c = get(&v, "tier_match");
    assert_eq!(c.level, Level::Warn);
    assert_eq!(
        c.fix.as_deref(),
        Some("check the source's tier and confirm it: --confirm-tier Standard (the target's tier)")
    );
    ask.confirmed_tier = Some(SkuName::new("Standard"));
    let v = verdict(&h, &ask).await;
    is(
        &v,
        "tier_match",
        Level::Pass,
        "you confirmed the backup is Standard, as the target",
    );
    ask.confirmed_tier = Some(SkuName::new("Premium"));
    let v = verdict(&h, &ask).await;
    is(
        &v,
        "tier_match",
        Level::Block,
        "Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'",
    );
}

#[tokio::test]
async fn age_counts_from_the_backups_own_time() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/backups/old.apimbackup", KEY),
    )
    .await;
    let c = get(&v, "backup_age");
    assert_eq!(c.level, Level::Block);
    assert!(
        c.reason.starts_with("Cannot restore: backup expired ("),
        "{c:?}"
    );
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/backups/soon.apimbackup", KEY),
    )
    .await;
    let c = get(&v, "backup_age");
    assert_eq!(c.level, Level::Warn);
    assert!(
        c.reason.ends_with(": restore now or take a fresh backup"),
        "{c:?}"
    );
    // A blob copied two hours ago of a backup taken 40 days ago: expired, and it says why.
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/backups/copied.apimbackup", KEY),
    )
    .await;
    assert_eq!(get(&v, "backup_age").level, Level::Block);
    let c = get(&v, "backup_time");
    assert_eq!(c.level, Level::Warn);
    assert!(
        c.reason
            .contains(" apart, probably a copy; its age counts from the backup's own time"),
        "{c:?}"
    );
}

#[tokio::test]
async fn blob_container_and_its_name() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/backups/none.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "blob_exists",
        Level::Block,
        "The specified blob does not exist. (stplain/backups/none.apimbackup)",
    );
    let v = verdict(&h, &restore("apim-dst", "stplain/gone/x.apimbackup", KEY)).await;
    is(
        &v,
        "container_exists",
        Level::Block,
        "The specified container does not exist. (gone)",
    );
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/Bad--Name/x.apimbackup", KEY),
    )
    .await;
    assert_eq!(get(&v, "container_name").level, Level::Block);
    let v = verdict(&h, &backup("apim-src", "stplain/newone/x.apimbackup", KEY)).await;
    is(
        &v,
        "container_exists",
        Level::Warn,
        "newone does not exist: apim-dr creates it before the backup",
    );
    let v = verdict(
        &h,
        &restore("apim-dst", "stnowhere/backups/x.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "storage_account",
        Level::Block,
        "storage account stnowhere is not visible in your subscriptions",
    );
}

#[tokio::test]
async fn cors_shared_key_and_public_access() {
    let h = emulator("").await;
    let v = verdict(&h, &backup("apim-src", "stcors/backups/n.apimbackup", KEY)).await;
    is(
        &v,
        "cors",
        Level::Block,
        "a CORS rule allows PATCH: APIM's storage client cannot read it and refuses the backup by key (Requested value 'GET,PUT,PATCH' was not found.)",
    );
    let v = verdict(
        &h,
        &backup("apim-src", "stcorsget/backups/n.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "cors",
        Level::Warn,
        "the Blob service has 1 CORS rule(s): Microsoft's guide says CORS should not be enabled on the backup account",
    );
    let v = verdict(&h, &backup("apim-dst", "stnokey/backups/n.apimbackup", KEY)).await;
    is(
        &v,
        "shared_key",
        Level::Block,
        "Key based authentication is not permitted on this storage account.",
    );
    let v = verdict(
        &h,
        &backup("apim-src", "stprivate/backups/n.apimbackup", MI),
    )
    .await;
    is(
        &v,
        "firewall",
        Level::Block,
        "public network access is Disabled: API Management cannot reach the account, trusted services included",
    );
}

#[tokio::test]
async fn the_firewall_against_access_type_and_region() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &backup("apim-src", "stsameregion/backups/n.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "firewall",
        Level::Block,
        "the firewall denies by default and the account is in West Europe, the service's own region: IP rules never admit API Management from its own region",
    );
    let v = verdict(
        &h,
        &backup("apim-src", "sttrusted/backups/n.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "firewall",
        Level::Block,
        "the firewall denies by default and the account is in West Europe, the service's own region: IP rules never admit API Management from its own region (the AzureServices exception admits APIM only with a managed identity)",
    );
    let v = verdict(
        &h,
        &backup("apim-src", "sttrusted/backups/n.apimbackup", MI),
    )
    .await;
    is(
        &v,
        "firewall",
        Level::Pass,
        "the firewall admits trusted Azure services (bypass AzureServices) and APIM uses its managed identity",
    );
    let v = verdict(
        &h,
        &backup("apim-src", "stotherregion/backups/n.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "firewall",
        Level::Warn,
        "the firewall admits only its IP rules (51.145.179.0/24): they must include API Management's control-plane addresses of West Europe",
    );
}

#[tokio::test]
async fn identities_and_their_roles_are_read_through_arm() {
    let h = emulator("").await;
    let v = verdict(&h, &backup("apim-noid", "stplain/backups/n.apimbackup", MI)).await;
    is(
        &v,
        "identity",
        Level::Block,
        "System-assigned managed identity is not enabled on apim-noid",
    );
    let v = verdict(
        &h,
        &restore("apim-dst", "stplain/backups/fresh.apimbackup", MI),
    )
    .await;
    let c = get(&v, "identity_role");
    assert_eq!(c.level, Level::Block);
    assert!(
        c.reason.ends_with(
            "holds no Storage Blob Data Contributor (or Owner) on stplain, its resource group or subscription (it holds Owner: no data actions)"
        ),
        "{c:?}"
    );
    assert!(
        c.fix
            .as_deref()
            .unwrap()
            .starts_with("az role assignment create --assignee-object-id ")
    );
    let v = verdict(&h, &backup("apim-src", "stplain/backups/n.apimbackup", MI)).await;
    let c = get(&v, "identity_role");
    assert_eq!(c.level, Level::Pass, "{c:?}");
    assert!(
        c.reason
            .starts_with("Storage Blob Data Contributor at /subscriptions/"),
        "{c:?}"
    );
    let user = AccessType::UserAssignedManagedIdentity {
        client_id: USER_CLIENT.to_owned(),
    };
    let v = verdict(
        &h,
        &backup("apim-src", "stplain/backups/n.apimbackup", user),
    )
    .await;
    is(
        &v,
        "identity_role",
        Level::Pass,
        &format!("Storage Blob Data Contributor at /subscriptions/{SUB}/resourceGroups/rg-st"),
    );
}

#[tokio::test]
async fn unreadable_role_assignments_warn() {
    let h = emulator(
        r#","caller":{"denied_actions":["Microsoft.Authorization/roleAssignments/read"]}"#,
    )
    .await;
    let v = verdict(&h, &backup("apim-src", "stplain/backups/n.apimbackup", MI)).await;
    let c = get(&v, "identity_role");
    assert_eq!(c.level, Level::Warn);
    assert!(
        c.reason
            .starts_with("cannot read role assignments: 403 AuthorizationFailed: "),
        "{c:?}"
    );
    assert!(v.allows_restore());
}

fn engine(h: &EmulatorHandle, dir: &std::path::Path) -> Engine {
    Engine::from_client(
        emu::client(h),
        Journal::open(&dir.join("journal.jsonl")).unwrap(),
        false,
    )
}

fn plan(account: &str, blob: &str, overwrite: bool) -> BackupPlan {
    BackupPlan {
        service: id("apim-src"),
        account: StorageAccountName::parse(account).unwrap(),
        container: ContainerName::parse("backups").unwrap(),
        blob: BlobName::parse(blob).unwrap(),
        access: AccessType::AccessKey,
        overwrite,
    }
}

#[tokio::test]
async fn a_backup_never_overwrites_a_blob_unless_asked() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &backup("apim-src", "stplain/backups/fresh.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "overwrite",
        Level::Block,
        "stplain/backups/fresh.apimbackup already exists: the backup would overwrite it",
    );
    assert_eq!(v.checks.len(), 14);
    let dir = tempfile::tempdir().unwrap();
    let e = engine(&h, dir.path());
    match e
        .prepare_backup(&plan("stplain", "fresh.apimbackup", false))
        .await
    {
        Err(EngineError::Blocked(v)) => {
            assert_eq!(
                v.blockers().map(|c| c.id.as_str()).collect::<Vec<_>>(),
                ["overwrite"]
            );
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a backup onto an existing blob was prepared"),
    }
    assert!(h.requests().iter().all(|r| !r.path.ends_with("/backup")));
    let (_, notes) = e
        .prepare_backup(&plan("stplain", "fresh.apimbackup", true))
        .await
        .unwrap();
    assert!(
        notes.contains(&"⚠ No backup is overwritten: stplain/backups/fresh.apimbackup already exists and will be overwritten (--overwrite)".to_owned()),
        "{notes:?}"
    );
}

#[tokio::test]
async fn a_firewall_that_keeps_this_machine_out_warns_and_the_backup_still_runs() {
    let h = emulator("").await;
    let v = verdict(
        &h,
        &backup("apim-src", "stotherregion/backups/new.apimbackup", KEY),
    )
    .await;
    assert!(v.allows_restore(), "{v:#?}");
    let c = get(&v, "overwrite");
    assert_eq!(c.level, Level::Warn);
    assert!(
        c.reason.starts_with("cannot tell whether stotherregion/backups/new.apimbackup exists: this machine cannot read the data plane (403 AuthorizationFailure: 403 Forbidden)"),
        "{c:?}"
    );
    // The container is read through ARM, not the data plane.
    is(&v, "container_exists", Level::Pass, "backups exists");
    let v = verdict(
        &h,
        &restore("apim-src", "stotherregion/backups/src.apimbackup", KEY),
    )
    .await;
    is(
        &v,
        "blob_exists",
        Level::Warn,
        "this machine cannot read the blob (403 AuthorizationFailure: 403 Forbidden); APIM reaches storage on its own",
    );
    is(
        &v,
        "backup_age",
        Level::Warn,
        "not checked: this machine cannot read the blob",
    );

    let dir = tempfile::tempdir().unwrap();
    let e = engine(&h, dir.path());
    let (prepared, _) = e
        .prepare_backup(&plan("stotherregion", "new.apimbackup", false))
        .await
        .unwrap();
    let (tx, mut rx) = mpsc::channel(256);
    let end = prepared
        .send_and_watch(tx, CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(end, RunEnd::Finished(Outcome::Succeeded));
    let mut notes = Vec::new();
    while let Ok(u) = rx.try_recv() {
        notes.push(format!("{u:?}"));
    }
    assert!(
        notes
            .iter()
            .any(|n| n.contains("its catalog metadata could not be written")),
        "{notes:?}"
    );
}

mod cli {
    use std::process::Output;

    use super::common::cli::{EmulatorProcess, code, stderr, stdout};
    use super::common::emu::source_weu;

    /// `apim-dr CMD --service SRC --account stcontosodrneu --container apim-backups EXTRA…`.
    fn run(e: &EmulatorProcess, cmd: &str, extra: &[&str]) -> Output {
        let src = source_weu();
        let mut all = vec![
            cmd,
            "--service",
            &src,
            "--account",
            "stcontosodrneu",
            "--container",
            "apim-backups",
        ];
        all.extend_from_slice(extra);
        e.run(&all)
    }

    #[test]
    fn preflight_of_a_backup_and_a_backup_that_would_overwrite() {
        let e = EmulatorProcess::start(&[]);
        let o = run(&e, "preflight", &["-o", "json"]);
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(
            (v["kind"].as_str(), v["allowed"].as_bool()),
            (Some("backup"), Some(true))
        );
        let checks = v["checks"].as_array().unwrap();
        assert_eq!(checks.len(), 14);
        for c in checks {
            let obj = c.as_object().unwrap();
            for key in ["id", "status", "title", "reason", "fix"] {
                assert!(obj.contains_key(key), "{c}");
            }
            assert!(["ok", "warn", "fail"].contains(&c["status"].as_str().unwrap()));
        }

        // An existing blob: pre-flight fails, and `backup --name` refuses it without --overwrite.
        let existing = e.fresh_standard_backup();
        let name: &'static str = Box::leak(
            existing
                .splitn(3, '/')
                .nth(2)
                .unwrap()
                .to_owned()
                .into_boxed_str(),
        );
        let o = run(&e, "preflight", &["--name", name]);
        assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).contains(&format!(
                "✖ No backup is overwritten: {existing} already exists: the backup would overwrite it\n    fix: choose another blob name (--name), or add --overwrite to replace it\n"
            )),
            "{}",
            stdout(&o)
        );
        let o = run(&e, "backup", &["--name", name]);
        assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
        assert!(
            stderr(&o).contains("already exists: the backup would overwrite it"),
            "{}",
            stderr(&o)
        );
        assert!(e.state()["posts"].as_array().unwrap().is_empty());
        let o = run(&e, "backup", &["--name", name, "--overwrite", "--no-wait"]);
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
        assert_eq!(e.state()["posts"].as_array().unwrap().len(), 1);
    }
}
