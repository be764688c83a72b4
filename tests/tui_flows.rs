//! Whole TUI flows through the public API, as the runtime drives them: key presses go through
//! the keymap, effects are answered with facts from a small in-memory estate (the demo world),
//! and the screen is snapshotted at every step. (The prune flow's deletes over the emulator,
//! through the real effect runner, are in `src/runtime/effects/tests.rs`.)

// Test helpers: a failed expectation is a failed test, and a flow reads best as one function.
#![allow(clippy::expect_used, clippy::too_many_lines)]

use std::collections::VecDeque;
use std::time::Duration as StdDuration;

use apim_dr::app::state::Screen;
use apim_dr::app::{Action, AppOptions, AppState, Effect, Keymap, update};
use apim_dr::domain::backup::{BackupCatalog, BackupEntry};
use apim_dr::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use apim_dr::domain::operation::PostKind;
use apim_dr::domain::operation::{AccessType, Outcome, RestorePlan};
use apim_dr::domain::preflight::{
    AccountFacts, ApiVersionFacts, Check, Level, NetworkFacts, PreflightFacts, PreflightReport,
    Seen, ServiceFacts, ServiceIdentity, StorageFacts, Verdict, WorkspaceFacts, evaluate,
};
use apim_dr::domain::progress::{CorrelationId, JournalId, OperationInfo, ProgressUpdate};
use apim_dr::domain::service::{ServiceFields, ServiceSummary};
use apim_dr::domain::sku::SkuName;
use apim_dr::journal::OperationState;
use apim_dr::ui::{Theme, render};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);
const PROD: &str = "6f1c2a4e-5b7d-4e8a-9c3f-1a2b3c4d5e6f";
const DR: &str = "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b";
const DEV: &str = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

/// The demo world: what the fake runtime answers with.
struct World {
    subscriptions: Vec<SubscriptionSummary>,
    services: Vec<ServiceSummary>,
    accounts: Vec<StorageAccountSummary>,
    backups: Vec<BackupEntry>,
}

fn service(sub: &str, rg: &str, name: &str, sku: &str, units: u32, loc: &str) -> ServiceSummary {
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

fn world() -> World {
    let subs = [
        (PROD, "Contoso Production"),
        (DR, "Contoso DR Standby"),
        (DEV, "Contoso Dev & Test"),
    ];
    let weu = service(
        PROD,
        "rg-apim-prod",
        "apim-contoso-weu",
        "Standard",
        2,
        "West Europe",
    );
    let partners = service(
        PROD,
        "rg-apim-prod",
        "apim-partners-weu",
        "Premium",
        1,
        "West Europe",
    );
    let stage = service(
        DEV,
        "rg-apim-dev",
        "apim-contoso-stage-eus",
        "Standard",
        1,
        "East US",
    );
    let blob = |name: &str, created: OffsetDateTime, from: Option<&ServiceSummary>| BackupEntry {
        account: "stcontosodrneu".into(),
        container: "apim-backups".into(),
        name: name.into(),
        created: Some(created),
        size_bytes: 3_481_216,
        catalog: from
            .map_or_else(BackupCatalog::default, |s| BackupCatalog {
                source_service: Some(s.id().as_ref().into()),
                source_sku: Some(s.sku.clone()),
                source_capacity: Some(s.capacity),
                source_location: Some(s.location.clone()),
                api_version: Some("2024-05-01".into()),
                started: None,
                ..BackupCatalog::default()
            })
            .into(),
    };
    World {
        subscriptions: subs
            .iter()
            .map(|(id, name)| SubscriptionSummary {
                id: (*id).into(),
                name: (*name).into(),
                state: "Enabled".into(),
            })
            .collect(),
        backups: vec![
            blob(
                "apim-contoso-weu/20261126T0600Z.apimbackup",
                datetime!(2026-11-26 06:00 UTC),
                Some(&weu),
            ),
            blob(
                "apim-contoso-weu/20261125T0600Z.apimbackup",
                datetime!(2026-11-25 06:00 UTC),
                Some(&weu),
            ),
            blob(
                "apim-partners-weu/20261126T0000Z.apimbackup",
                datetime!(2026-11-26 00:00 UTC),
                Some(&partners),
            ),
            blob(
                "apim-contoso-stage-eus/20261124T2200Z.apimbackup",
                datetime!(2026-11-24 22:00 UTC),
                Some(&stage),
            ),
            blob(
                "legacy/manual-export.apimbackup",
                datetime!(2026-11-12 09:00 UTC),
                None,
            ),
            blob(
                "apim-contoso-weu/20261021T0600Z.apimbackup",
                datetime!(2026-10-21 06:00 UTC),
                Some(&weu),
            ),
        ],
        services: vec![
            weu,
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
            service(
                DR,
                "rg-apim-dr",
                "apim-contoso-neu",
                "Standard",
                1,
                "North Europe",
            ),
            stage,
        ],
        accounts: vec![StorageAccountSummary {
            id: format!(
                "/subscriptions/{DR}/resourceGroups/rg-dr/providers/Microsoft.Storage/storageAccounts/stcontosodrneu"
            ),
            name: "stcontosodrneu".into(),
            subscription_id: DR.into(),
            location: "northeurope".into(),
            blob_endpoint: Some("https://stcontosodrneu.blob.core.windows.net/".into()),
            firewall_enabled: false,
            shared_key_disabled: false,
        }],
    }
}

/// A test harness: the state, the world and the effects nobody answered yet.
struct Harness {
    state: AppState,
    world: World,
    pending: Vec<Effect>,
}

impl Harness {
    fn start(read_only: bool) -> Self {
        let (state, effects) = AppState::new(AppOptions {
            rpo_hours: 24,
            read_only,
            keymap: Keymap::default_embedded(),
            now: NOW,
            context_label: "demo emulator".into(),
            starts_over: false,
            arm_endpoint: "https://management.azure.com".into(),
            api_version: "2024-05-01".into(),
        });
        let mut h = Self {
            state,
            world: world(),
            pending: Vec::new(),
        };
        h.settle(effects);
        h
    }

    /// Answers inventory effects from the world until none is left (a cache write needs no
    /// answer), each walk with every listing it covers in the order the runtime gives them;
    /// keeps the others.
    fn settle(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let facts = match effect {
                Effect::WalkEstate => {
                    let subs = self.world.subscriptions.clone();
                    let mut facts = vec![Action::SubscriptionsLoaded(Ok(subs.clone()))];
                    for s in &subs {
                        facts.push(self.services_of(&s.id));
                        facts.extend(self.accounts_of(&s.id));
                    }
                    facts
                }
                Effect::FetchServices { subscription } => vec![self.services_of(&subscription)],
                Effect::FetchStorageAccounts { subscription } => self.accounts_of(&subscription),
                Effect::FetchBackups { account } => vec![self.backups_of(&account.name)],
                // The runtime writes the cache; nothing answers it.
                Effect::SaveInventory { .. } => continue,
                other => {
                    self.pending.push(other);
                    continue;
                }
            };
            for fact in facts {
                queue.extend(update(&mut self.state, fact));
            }
        }
    }

    fn services_of(&self, subscription: &str) -> Action {
        Action::ServicesLoaded {
            result: Ok(self
                .world
                .services
                .iter()
                .filter(|s| s.subscription_id == subscription)
                .cloned()
                .collect()),
            subscription: subscription.to_owned(),
        }
    }

    /// A subscription's accounts, then each one's backups.
    fn accounts_of(&self, subscription: &str) -> Vec<Action> {
        let accounts: Vec<_> = self
            .world
            .accounts
            .iter()
            .filter(|a| a.subscription_id == subscription)
            .cloned()
            .collect();
        let mut facts: Vec<Action> = accounts.iter().map(|a| self.backups_of(&a.name)).collect();
        facts.insert(
            0,
            Action::StorageAccountsLoaded {
                result: Ok(accounts),
                subscription: subscription.to_owned(),
            },
        );
        facts
    }

    fn backups_of(&self, account: &str) -> Action {
        Action::BackupsLoaded {
            result: Ok(vec![ContainerBackups {
                account: account.to_owned(),
                container: "apim-backups".into(),
                backups: self
                    .world
                    .backups
                    .iter()
                    .filter(|b| b.account == account)
                    .cloned()
                    .collect(),
            }]),
            account: account.to_owned(),
        }
    }

    /// Feeds an action as the runtime would and answers what it can.
    fn act(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.settle(effects);
    }

    /// Presses a key through the keymap; false when the key does nothing here.
    fn press(&mut self, code: KeyCode) -> bool {
        let modifiers = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() || "?:".contains(c) => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        match self.state.resolve_key(KeyEvent::new(code, modifiers)) {
            Some(action) => {
                self.act(action);
                true
            }
            None => false,
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    fn take(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    fn screen(&self) -> TestBackend {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        terminal
            .draw(|f| render(f, &self.state, &Theme::default_embedded()))
            .expect("draw");
        terminal.backend().clone()
    }

    fn report_for(&self, plan: &RestorePlan) -> PreflightReport {
        let entry = self
            .world
            .backups
            .iter()
            .find(|b| b.name == plan.backup.blob.as_str())
            .expect("backup in the world")
            .clone();
        let target = self
            .world
            .services
            .iter()
            .find(|s| s.name == plan.target.name.as_str())
            .expect("target in the world");
        // What the emulator's ARM would show for the demo world: no firewall, no CORS, the
        // api-version accepted, no workspaces.
        let service = ServiceFacts {
            summary: target.clone(),
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
        };
        let storage = StorageFacts {
            account_name: entry.account.to_string(),
            container: entry.container.to_string(),
            blob: entry.name.clone(),
            account: Seen::Read(AccountFacts {
                id: format!(
                    "/subscriptions/{DR}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{}",
                    entry.account
                ),
                location: "northeurope".into(),
                network: NetworkFacts::default(),
                shared_key_disabled: false,
                cors: Seen::Read(vec![]),
                roles: Seen::Read(vec![]),
            }),
            container_exists: Seen::Read(true),
            blob_state: Seen::Read(Some(entry)),
        };
        let verdict = evaluate(&PreflightFacts {
            kind: PostKind::Restore,
            service: Seen::Read(service),
            local_operation: false,
            access: plan.access.clone(),
            storage,
            confirmed_tier: None,
            overwrite: false,
            now: self.state.now,
        });
        PreflightReport {
            verdict,
            service: Some(target.clone()),
            storage: None,
        }
    }
}

#[test]
fn failover_from_the_estate_to_a_finished_restore() {
    let mut h = Harness::start(false);
    assert!(h.take().is_empty(), "start-up only loads the estate");
    insta::assert_snapshot!("failover_01_estate", h.screen());

    assert!(h.press(KeyCode::Char('f')));
    insta::assert_snapshot!("failover_02_pick_backup", h.screen());
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("failover_03_pick_region", h.screen());
    h.press(KeyCode::Char('j'));
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("failover_04_pick_target", h.screen());
    h.press(KeyCode::Enter);
    let plan = match h.take().as_slice() {
        [
            Effect::RunPreflight {
                plan,
                target_busy_locally: false,
            },
        ] => plan.clone(),
        other => panic!("expected one RunPreflight, got {other:?}"),
    };
    assert_eq!(plan.target.name.as_str(), "apim-contoso-neu");
    assert_eq!(
        plan.backup.to_string(),
        "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup"
    );
    assert_eq!(plan.access, AccessType::AccessKey);
    insta::assert_snapshot!("failover_05_preflight_running", h.screen());

    let report = h.report_for(&plan);
    assert!(report.verdict.allows_restore());
    h.act(Action::PreflightDone {
        plan: plan.clone(),
        result: Ok(Box::new(report)),
    });
    insta::assert_snapshot!("failover_06_preflight_done", h.screen());
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("failover_07_not_carried", h.screen());
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("failover_08_confirm", h.screen());

    h.type_text("apim-contoso-ne");
    h.press(KeyCode::Enter);
    assert!(h.take().is_empty(), "a wrong name starts nothing");
    assert!(h.state.operations.is_empty());
    insta::assert_snapshot!("failover_09_wrong_name", h.screen());

    h.type_text("u");
    h.press(KeyCode::Enter);
    let op = match h.take().as_slice() {
        [
            Effect::StartRestore {
                op, plan: started, ..
            },
        ] if *started == plan => *op,
        other => panic!("expected exactly one StartRestore of the plan, got {other:?}"),
    };
    assert_eq!(h.state.screen, Screen::Operations);
    insta::assert_snapshot!("failover_10_started", h.screen());

    h.act(Action::OperationStarted {
        op,
        info: OperationInfo {
            id: JournalId("20261126T120000Z-restore-apim-contoso-neu".into()),
            kind: apim_dr::domain::operation::OperationKind::Restore,
            service: plan.target.clone(),
            blob: Some(plan.backup.clone()),
            creating: None,
            started_at: NOW,
            correlation_id: Some(CorrelationId("4d1f0b7e-6c2a-4f39-8e5d-9a3b7c1e2f60".into())),
            tier: None,
        },
    });
    for (secs, update) in [
        (1, ProgressUpdate::Sending),
        (
            2,
            ProgressUpdate::Accepted {
                operation_url: None,
                request_id: Some("b7e2c1d4".into()),
                correlation_id: CorrelationId("4d1f0b7e-6c2a-4f39-8e5d-9a3b7c1e2f60".into()),
            },
        ),
        (
            300,
            ProgressUpdate::Running {
                status: None,
                percent: None,
                polls: 10,
                next_poll_in: StdDuration::from_secs(30),
            },
        ),
        (
            310,
            ProgressUpdate::Retrying {
                reason: "server error 503".into(),
                detail: "ServiceUnavailable".into(),
                retry_in: StdDuration::from_secs(20),
                attempt: 1,
            },
        ),
    ] {
        h.act(Action::Tick {
            now: NOW + Duration::seconds(secs),
        });
        h.act(Action::OperationUpdated { op, update });
    }
    h.act(Action::Tick {
        now: NOW + Duration::seconds(315),
    });
    insta::assert_snapshot!("failover_11_running", h.screen());

    h.act(Action::Tick {
        now: NOW + Duration::minutes(29),
    });
    h.act(Action::OperationUpdated {
        op,
        update: ProgressUpdate::Finished(Outcome::Succeeded),
    });
    assert!(
        h.take().is_empty(),
        "the refresh of the target was answered"
    );
    insta::assert_snapshot!("failover_12_succeeded", h.screen());

    h.press(KeyCode::Char('q'));
    assert_eq!(
        h.take(),
        [Effect::Exit],
        "nothing runs any more: quit at once"
    );
}

#[test]
fn backup_of_a_service_into_the_dr_storage_account() {
    let mut h = Harness::start(false);
    h.act(Action::Tick {
        now: NOW + Duration::seconds(42),
    });
    assert!(h.press(KeyCode::Char('b')));
    insta::assert_snapshot!("backup_01_account", h.screen());
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("backup_02_container", h.screen());
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("backup_03_name", h.screen());
    h.press(KeyCode::Enter);
    // Issue 8: the review runs the backup's pre-flight; Enter waits for it.
    let plan = match h.take().as_slice() {
        [Effect::RunBackupPreflight { plan, .. }] => plan.clone(),
        other => panic!("expected the backup's pre-flight, got {other:?}"),
    };
    h.press(KeyCode::Enter);
    assert!(h.take().is_empty(), "nothing starts while pre-flight runs");
    let pass = |id: &str, reason: &str| Check {
        id: id.into(),
        level: Level::Pass,
        title: id.replace('_', " "),
        reason: reason.into(),
        fix: None,
    };
    let verdict = Verdict {
        checks: vec![
            pass(
                "service_exists",
                "apim-contoso-weu in West Europe, Standard × 2",
            ),
            pass("storage_account", "stcontosodrneu in northeurope"),
            pass("container_exists", "apim-backups exists"),
            pass("overwrite", "the blob does not exist yet"),
        ],
    };
    h.act(Action::BackupPreflightDone {
        plan,
        result: Ok(Box::new(PreflightReport {
            verdict,
            service: None,
            storage: None,
        })),
    });
    insta::assert_snapshot!("backup_04_review", h.screen());
    h.press(KeyCode::Enter);
    let (op, plan) = match h.take().as_slice() {
        [Effect::StartBackup { op, plan }] => (*op, plan.clone()),
        other => panic!("expected one StartBackup, got {other:?}"),
    };
    assert_eq!(
        plan.destination().to_string(),
        "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T120042Z.apimbackup"
    );
    assert_eq!(plan.service.name.as_str(), "apim-contoso-weu");
    h.act(Action::OperationUpdated {
        op,
        update: ProgressUpdate::Sending,
    });
    h.act(Action::Tick {
        now: NOW + Duration::minutes(9),
    });
    h.act(Action::OperationUpdated {
        op,
        update: ProgressUpdate::Finished(Outcome::Succeeded),
    });
    assert!(h.take().is_empty());
    insta::assert_snapshot!("backup_05_succeeded", h.screen());
}

#[test]
fn quitting_while_a_restore_runs_asks_first() {
    let mut h = Harness::start(false);
    let info = OperationInfo {
        id: JournalId("20261126T113000Z-restore-apim-contoso-neu".into()),
        kind: apim_dr::domain::operation::OperationKind::Restore,
        service: h.world.services[4].service_id().expect("valid id"),
        blob: Some(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup"
                .parse()
                .expect("valid ref"),
        ),
        creating: None,
        started_at: NOW - Duration::minutes(30),
        correlation_id: None,
        tier: None,
    };
    h.act(Action::OperationsFound(vec![OperationState::intended(
        info,
        Some(AccessType::AccessKey),
        "https://management.azure.com".into(),
    )]));
    assert!(matches!(h.take().as_slice(), [Effect::ResumeWatch { .. }]));
    h.press(KeyCode::Char('q'));
    assert!(h.take().is_empty());
    insta::assert_snapshot!("quit_with_a_live_restore", h.screen());
    h.press(KeyCode::Char('n'));
    assert!(h.state.overlay.is_none(), "n stays");
    h.press(KeyCode::Char('q'));
    h.press(KeyCode::Char('y'));
    assert_eq!(h.take(), [Effect::Exit]);
}

#[test]
fn read_only_mode_offers_no_way_to_change_azure() {
    let mut h = Harness::start(true);
    // Issue 9, defect 16: f and b are hidden, but a press says why nothing happens.
    for key in ['b', 'f'] {
        assert!(h.press(KeyCode::Char(key)), "{key} is answered");
        assert!(h.state.wizard.is_none());
        assert!(h.take().is_empty());
        let flash = h.state.flash.clone().expect("a word why");
        assert!(flash.text.starts_with("read-only mode"), "{}", flash.text);
    }
    insta::assert_snapshot!("read_only_refuses_failover", h.screen());
}

/// Issue 11: `p` on Backups lists the expired backup, a paste is refused, `delete 1` typed
/// asks for its Blob DELETE, the result shows in the dialog and the backups are loaded again.
#[test]
fn prune_of_the_expired_backups_from_the_backups_screen() {
    let mut h = Harness::start(false);
    h.press(KeyCode::Char('2'));
    assert!(h.press(KeyCode::Char('p')), "p is offered on Backups");
    insta::assert_snapshot!("prune_listed", h.screen());
    h.act(Action::PasteRefused);
    h.type_text("delete 1");
    h.press(KeyCode::Enter);
    let effects: [Effect; 1] = h.take().try_into().expect("one delete");
    let [Effect::DeleteBackups { account, blobs }] = effects else {
        panic!("Enter asks for the delete")
    };
    assert_eq!(blobs.len(), 1);
    h.world.backups.retain(|b| b.name != blobs[0].name);
    let results = blobs.into_iter().map(|b| (b, Ok(()))).collect();
    h.act(Action::BackupsDeleted {
        account: account.name,
        results,
    });
    insta::assert_snapshot!("prune_done", h.screen());
    h.press(KeyCode::Esc);
    assert!(h.state.overlay.is_none());
    let now = h.state.now;
    assert!(
        !apim_dr::app::catalog::all_backups(&h.state).any(|b| b.is_expired(now)),
        "loaded again without it"
    );
}

#[test]
fn failover_into_a_region_without_a_standby_creates_one_then_goes_on() {
    use apim_dr::app::state::Wizard;
    use apim_dr::domain::standby::StandbyOutline;

    let mut h = Harness::start(false);
    for _ in 0..6 {
        let on = apim_dr::app::estate::selected_service(&h.state).map(|s| s.name.clone());
        if on.as_deref() == Some("apim-partners-weu") {
            break;
        }
        h.press(KeyCode::Char('j'));
    }
    assert!(h.press(KeyCode::Char('f')));
    h.press(KeyCode::Enter); // its Premium backup
    for _ in 0..6 {
        let Some(Wizard::Failover(w)) = &h.state.wizard else {
            panic!("no wizard");
        };
        let rows = apim_dr::app::failover::region_rows(&h.state, w);
        if rows.get(w.region_cursor).map(|r| r.name.as_str()) == Some("North Europe") {
            break;
        }
        h.press(KeyCode::Char('j'));
    }
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("standby_01_no_target", h.screen());

    h.press(KeyCode::Enter);
    let ask = match h.take().as_slice() {
        [Effect::PlanStandby { ask }] => ask.clone(),
        other => panic!("expected the standby's plan, got {other:?}"),
    };
    assert_eq!(ask.like.name.as_str(), "apim-partners-weu");
    let name = "apim-partners-weu-northeurope";
    let target: apim_dr::domain::names::ServiceId = format!(
        "/subscriptions/{PROD}/resourceGroups/rg-apim-prod/providers/Microsoft.ApiManagement/service/{name}"
    )
    .parse()
    .expect("valid id");
    h.act(Action::StandbyPlanned {
        ask,
        result: Ok(Box::new(StandbyOutline {
            target: target.clone(),
            location: "North Europe".into(),
            sku: "Premium".into(),
            capacity: 1,
            publisher: Some("Contoso".into()),
            held_by: None,
            purge: false,
            exists: false,
        })),
    });
    insta::assert_snapshot!("standby_02_offer", h.screen());

    h.type_text("apim-partners-weu-northeuropx");
    h.press(KeyCode::Backspace);
    h.type_text("e");
    h.press(KeyCode::Enter);
    let op = match h.take().as_slice() {
        [Effect::StartStandby { op, ask, .. }] if ask.name.is_none() => *op,
        other => panic!("expected exactly one StartStandby, got {other:?}"),
    };
    h.act(Action::OperationUpdated {
        op,
        update: ProgressUpdate::Running {
            status: Some("Activating".into()),
            percent: None,
            polls: 1,
            next_poll_in: StdDuration::from_secs(30),
        },
    });
    insta::assert_snapshot!("standby_03_creating", h.screen());

    h.act(Action::OperationUpdated {
        op,
        update: ProgressUpdate::Finished(Outcome::Succeeded),
    });
    let plan = h
        .take()
        .into_iter()
        .find_map(|e| match e {
            Effect::RunPreflight { plan, .. } => Some(plan),
            _ => None,
        })
        .expect("the restore's pre-flight runs into the new service");
    assert_eq!(plan.target, target);
    assert_eq!(
        plan.backup.to_string(),
        "stcontosodrneu/apim-backups/apim-partners-weu/20261126T0000Z.apimbackup"
    );
    insta::assert_snapshot!("standby_04_preflight", h.screen());
}
