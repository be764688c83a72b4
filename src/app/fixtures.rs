//! Test fixtures: the demo world as `AppState` (three subscriptions, six APIM services, two
//! storage accounts with backups), at a fixed clock. Test-only.

pub mod region;
pub mod standby;

use std::collections::BTreeMap;

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::action::Action;
use super::effect::Effect;
use super::keymap::Keymap;
use super::state::{AppOptions, AppState};
use super::update::update;
use crate::domain::backup::{BackupCatalog, BackupEntry};
use crate::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use crate::domain::operation::RestorePlan;
use crate::domain::preflight::{Check, Level, PreflightReport, Verdict};
use crate::domain::service::{ServiceFields, ServiceSummary};
use crate::domain::sku::SkuName;

/// The fixed clock of every test.
pub const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);
/// Contoso Production.
pub const PROD: &str = "6f1c2a4e-5b7d-4e8a-9c3f-1a2b3c4d5e6f";
/// Contoso DR Standby.
pub const DR: &str = "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b";
/// Contoso Dev & Test.
pub const DEV: &str = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

/// A service in the demo world.
pub fn service(
    sub: &str,
    rg: &str,
    name: &str,
    sku: &str,
    units: u32,
    loc: &str,
) -> ServiceSummary {
    ServiceSummary::from(ServiceFields {
        id: format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}"
        ),
        name: name.into(),
        subscription_id: sub.into(),
        resource_group: rg.into(),
        location: loc.into(),
        sku: SkuName::new(sku),
        capacity: units,
        provisioning_state: "Succeeded".into(),
        target_provisioning_state: "".into(),
        gateway_url: Some(format!("https://{name}.azure-api.net")),
        additional_locations: vec![],
        custom_hostnames: vec![],
        tags: std::collections::BTreeMap::new(),
        identity: None,
    })
}

/// A backup blob with apim-dr's catalog.
pub fn backup(
    account: &str,
    blob: &str,
    created: OffsetDateTime,
    source: Option<&ServiceSummary>,
) -> BackupEntry {
    BackupEntry {
        account: account.into(),
        container: "apim-backups".into(),
        name: blob.into(),
        created: Some(created),
        size_bytes: 3_481_216,
        catalog: source
            .map_or_else(BackupCatalog::default, |s| BackupCatalog {
                source_service: Some(s.id().as_ref().into()),
                source_sku: Some(s.sku.clone()),
                source_capacity: Some(s.capacity),
                source_location: Some(s.location.clone()),
                api_version: Some("2024-05-01".into()),
                started: Some(created - Duration::minutes(9)),
                ..BackupCatalog::default()
            })
            .into(),
    }
}

/// The subscriptions.
pub fn subscriptions() -> Vec<SubscriptionSummary> {
    [
        (PROD, "Contoso Production"),
        (DR, "Contoso DR Standby"),
        (DEV, "Contoso Dev & Test"),
    ]
    .into_iter()
    .map(|(id, name)| SubscriptionSummary {
        id: id.into(),
        name: name.into(),
        state: "Enabled".into(),
    })
    .collect()
}

/// The services, per subscription.
pub fn services() -> BTreeMap<&'static str, Vec<ServiceSummary>> {
    let mut partners = service(
        PROD,
        "rg-apim-prod",
        "apim-partners-weu",
        "Premium",
        1,
        "West Europe",
    );
    partners.rare_mut().additional_locations = vec!["North Europe".into()];
    BTreeMap::from([
        (
            PROD,
            vec![
                service(
                    PROD,
                    "rg-apim-prod",
                    "apim-contoso-weu",
                    "Standard",
                    2,
                    "West Europe",
                ),
                partners,
                service(
                    PROD,
                    "rg-apim-prod",
                    "apim-mobile-cons",
                    "Consumption",
                    0,
                    "West Europe",
                ),
                service(
                    PROD,
                    "rg-apim-prod",
                    "apim-edge-v2-neu",
                    "StandardV2",
                    1,
                    "North Europe",
                ),
            ],
        ),
        (
            DR,
            vec![service(
                DR,
                "rg-apim-dr",
                "apim-contoso-neu",
                "Standard",
                1,
                "North Europe",
            )],
        ),
        (
            DEV,
            vec![service(
                DEV,
                "rg-apim-dev",
                "apim-contoso-stage-eus",
                "Standard",
                1,
                "East US",
            )],
        ),
    ])
}

/// The storage accounts, per subscription.
pub fn accounts() -> Vec<(&'static str, StorageAccountSummary)> {
    let account = |sub: &str, name: &str, loc: &str| StorageAccountSummary {
        id: format!(
            "/subscriptions/{sub}/resourceGroups/rg-dr/providers/Microsoft.Storage/storageAccounts/{name}"
        ),
        name: name.into(),
        subscription_id: sub.into(),
        location: loc.into(),
        blob_endpoint: Some(format!("https://{name}.blob.core.windows.net/")),
        firewall_enabled: false,
        shared_key_disabled: false,
    };
    vec![
        (DR, account(DR, "stcontosodrneu", "northeurope")),
        (PROD, account(PROD, "stcontosoweu", "westeurope")),
    ]
}

/// The backups, per account.
pub fn backups() -> Vec<(String, Vec<ContainerBackups>)> {
    let svcs = services();
    let weu = &svcs[PROD][0];
    let partners = &svcs[PROD][1];
    let stage = &svcs[DEV][0];
    let d = |day: u8, hour: u8| {
        datetime!(2026-11-01 00:00 UTC)
            + Duration::days(i64::from(day) - 1)
            + Duration::hours(i64::from(hour))
    };
    let neu = vec![
        backup(
            "stcontosodrneu",
            "apim-contoso-weu/20261126T0600Z.apimbackup",
            d(26, 6),
            Some(weu),
        ),
        backup(
            "stcontosodrneu",
            "apim-contoso-weu/20261125T0600Z.apimbackup",
            d(25, 6),
            Some(weu),
        ),
        backup(
            "stcontosodrneu",
            "apim-partners-weu/20261126T0000Z.apimbackup",
            d(26, 0),
            Some(partners),
        ),
        backup(
            "stcontosodrneu",
            "apim-contoso-stage-eus/20261124T2200Z.apimbackup",
            d(24, 22),
            Some(stage),
        ),
        backup(
            "stcontosodrneu",
            "legacy/manual-export.apimbackup",
            d(12, 9),
            None,
        ),
        backup(
            "stcontosodrneu",
            "apim-contoso-weu/20261021T0600Z.apimbackup",
            datetime!(2026-10-21 06:00 UTC),
            Some(weu),
        ),
    ];
    let weu_local = vec![backup(
        "stcontosoweu",
        "apim-contoso-weu/20261119T0600Z.apimbackup",
        d(19, 6),
        Some(weu),
    )];
    vec![
        (
            "stcontosodrneu".into(),
            vec![ContainerBackups {
                account: "stcontosodrneu".into(),
                container: "apim-backups".into(),
                backups: neu,
            }],
        ),
        (
            "stcontosoweu".into(),
            vec![ContainerBackups {
                account: "stcontosoweu".into(),
                container: "apim-backups".into(),
                backups: weu_local,
            }],
        ),
    ]
}

/// Options at the fixed clock.
pub fn options(read_only: bool) -> AppOptions {
    AppOptions {
        rpo_hours: crate::config::DEFAULT_RPO_HOURS,
        read_only,
        keymap: Keymap::default_embedded(),
        now: NOW,
        context_label: "demo emulator".into(),
        starts_over: false,
        arm_endpoint: "https://management.azure.com".into(),
        api_version: "2024-05-01".into(),
    }
}

/// A state that has asked for subscriptions and got nothing yet.
pub fn fresh(read_only: bool) -> AppState {
    AppState::new(options(read_only)).0
}

/// The whole demo world loaded through `update`, as the runtime would deliver it.
pub fn loaded(read_only: bool) -> AppState {
    let mut state = fresh(read_only);
    update(&mut state, Action::SubscriptionsLoaded(Ok(subscriptions())));
    for (sub, list) in services() {
        update(
            &mut state,
            Action::ServicesLoaded {
                subscription: sub.into(),
                result: Ok(list),
            },
        );
    }
    for sub in [PROD, DR, DEV] {
        let list = accounts()
            .into_iter()
            .filter(|(s, _)| *s == sub)
            .map(|(_, a)| a)
            .collect();
        update(
            &mut state,
            Action::StorageAccountsLoaded {
                subscription: sub.into(),
                result: Ok(list),
            },
        );
    }
    for (account, containers) in backups() {
        update(
            &mut state,
            Action::BackupsLoaded {
                account,
                result: Ok(containers),
            },
        );
    }
    state
}

/// The whole demo world as the inventory cache keeps it.
pub fn inventory() -> crate::domain::inventory::Inventory {
    let mut storage_accounts: BTreeMap<String, Vec<StorageAccountSummary>> =
        [PROD, DR, DEV].map(|s| (s.to_owned(), Vec::new())).into();
    for (sub, account) in accounts() {
        storage_accounts
            .entry(sub.into())
            .or_default()
            .push(account);
    }
    crate::domain::inventory::Inventory {
        subscriptions: subscriptions().into(),
        services: services()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into()))
            .collect(),
        storage_accounts: storage_accounts
            .into_iter()
            .map(|(k, v)| (k, v.into()))
            .collect(),
        backups: backups().into_iter().map(|(k, v)| (k, v.into())).collect(),
    }
}

/// Feeds actions and collects the effects.
pub fn run(state: &mut AppState, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    actions.into_iter().flat_map(|a| update(state, a)).collect()
}

/// A pre-flight check.
pub fn check(id: &str, level: Level, reason: &str) -> Check {
    Check {
        id: id.into(),
        level,
        title: id.into(),
        reason: reason.into(),
        fix: (level != Level::Pass).then(|| format!("what to do about {id}")),
    }
}

/// A verdict as the engine computes it for weu's backup into neu: one ⚠ (capacity).
pub fn good_verdict() -> Verdict {
    Verdict {
        checks: vec![
            check("target_tier", Level::Pass, "Standard is a classic tier"),
            check(
                "tier_match",
                Level::Pass,
                "backup and target are both Standard",
            ),
            check(
                "capacity",
                Level::Warn,
                "the target has 1 unit(s), the source had 2",
            ),
        ],
    }
}

/// A pre-flight report around `verdict`, for apim-contoso-neu.
pub fn report(verdict: Verdict) -> Box<PreflightReport> {
    Box::new(PreflightReport {
        verdict,
        service: Some(service(
            DR,
            "rg-apim-dr-neu",
            "apim-contoso-neu",
            "Standard",
            1,
            "northeurope",
        )),
        storage: None,
    })
}

/// Drives the wizard from the estate (apim-contoso-weu selected) to the targets in North
/// Europe, apim-contoso-neu first.
pub fn to_targets(state: &mut AppState) {
    run(
        state,
        [
            Action::StartFailover,
            Action::Submit,   // newest backup of apim-contoso-weu
            Action::MoveDown, // East US → North Europe
            Action::Submit,
        ],
    );
}

/// Drives the wizard from the estate (apim-contoso-weu selected) to the pre-flight step.
pub fn to_preflight(state: &mut AppState) -> RestorePlan {
    to_targets(state);
    let effects = run(state, [Action::Submit]); // apim-contoso-neu
    match effects.as_slice() {
        [
            Effect::RunPreflight {
                plan,
                target_busy_locally: false,
            },
        ] => plan.clone(),
        other => panic!("expected one RunPreflight, got {other:?}"),
    }
}

/// A loaded state with one restore started (apim-contoso-weu → apim-contoso-neu) and its id.
pub fn with_restore() -> (AppState, super::operation::OpId) {
    let mut state = loaded(false);
    let plan = to_preflight(&mut state);
    run(
        &mut state,
        [Action::PreflightDone {
            plan,
            result: Ok(report(good_verdict())),
        }],
    );
    run(&mut state, [Action::Submit, Action::Submit]);
    let effects = run(
        &mut state,
        "apim-contoso-neu"
            .chars()
            .map(Action::TypeChar)
            .chain([Action::Submit]),
    );
    match effects.as_slice() {
        [Effect::StartRestore { op, .. }] => (state, *op),
        other => panic!("no restore started: {other:?}"),
    }
}
