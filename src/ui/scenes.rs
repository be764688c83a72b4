//! Test-only: the states the screen snapshots draw, built through `update` from the demo
//! world at the fixed clock, so each picture is one the program can really reach.

mod backup_review;
mod cutover;
mod details;
mod drill;
mod journal;
mod operations;
mod prune;
mod region_failover;
mod regions;

use time::Duration;

use crate::app::action::Action;
use crate::app::fixtures::{self, NOW, PROD, check, good_verdict, run, to_preflight};
use crate::app::state::{AppState, Screen};
use crate::domain::error::UserError;
use crate::domain::preflight::{Level, Verdict};

pub use backup_review::{backup_review_blocked, backup_review_checked};
pub use cutover::{cutover_done, cutover_typing};
pub use details::{backup_details, service_details, service_details_restored};
pub use drill::{drill_done, drill_pick};
pub use journal::{ops_journal, ops_journal_creation, ops_journal_details, ops_journal_unwatched};
pub use operations::{
    ops_empty, ops_failed, ops_report, ops_report_scrolled, ops_running, ops_succeeded,
};
pub use prune::{prune_deleted, prune_failed, prune_typing};
pub use region_failover::{region_done, region_pick, region_plan, region_running};
pub use regions::{regions_shown, regions_switching};

/// Subscriptions requested 3 s ago, nothing back yet.
pub fn estate_loading() -> AppState {
    let mut s = fixtures::fresh(false);
    run(
        &mut s,
        [Action::Tick {
            now: NOW + Duration::seconds(3),
        }],
    );
    s
}

/// The first frame of a start with the demo world in the cache, saved 3 hours ago: the
/// subscriptions are being fetched again.
pub fn estate_from_cache() -> AppState {
    let mut s = fixtures::fresh(false);
    run(
        &mut s,
        [Action::InventoryCached {
            inventory: Box::new(fixtures::inventory()),
            saved_at: NOW - Duration::hours(3),
        }],
    );
    s
}

/// The backups screen from the cache, while the walk has got as far as the storage accounts.
pub fn backups_from_cache() -> AppState {
    let mut s = estate_from_cache();
    run(
        &mut s,
        [
            Action::SubscriptionsLoaded(Ok(fixtures::subscriptions())),
            Action::Jump(Screen::Backups),
        ],
    );
    s
}

/// The demo world, loaded.
pub fn estate_loaded() -> AppState {
    fixtures::loaded(false)
}

/// Every subscription's services at once (`0`), the cursor still on the service it was on.
pub fn estate_all_subscriptions() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::ToggleAllSubscriptions]);
    s
}

/// Every subscription's services while one subscription's are still loading and another's
/// failed: the rows in so far, and the title says what is not.
pub fn estate_all_subscriptions_loading() -> AppState {
    let mut s = fixtures::fresh(false);
    run(
        &mut s,
        [
            Action::SubscriptionsLoaded(Ok(fixtures::subscriptions())),
            Action::ServicesLoaded {
                subscription: PROD.into(),
                result: Ok(fixtures::services()[&PROD].clone()),
            },
            Action::ServicesLoaded {
                subscription: fixtures::DEV.into(),
                result: Err(UserError::new("listing the services failed: HTTP 503")),
            },
            Action::ToggleAllSubscriptions,
            Action::Tick {
                now: NOW + Duration::seconds(4),
            },
        ],
    );
    s
}

/// Every subscription's services while none has come in yet: loading, never "no services".
pub fn estate_all_subscriptions_none_yet() -> AppState {
    let mut s = fixtures::fresh(false);
    run(
        &mut s,
        [
            Action::SubscriptionsLoaded(Ok(fixtures::subscriptions())),
            Action::ToggleAllSubscriptions,
        ],
    );
    s
}

/// A subscription without services.
pub fn estate_empty() -> AppState {
    let mut s = fixtures::fresh(false);
    run(
        &mut s,
        [Action::SubscriptionsLoaded(Ok(fixtures::subscriptions()))],
    );
    run(
        &mut s,
        [Action::ServicesLoaded {
            subscription: PROD.into(),
            result: Ok(vec![]),
        }],
    );
    s
}

/// Listing subscriptions failed.
pub fn estate_failed() -> AppState {
    let mut s = fixtures::fresh(false);
    let e = UserError::new("listing subscriptions failed: the token was refused")
        .with_detail("InvalidAuthenticationToken (HTTP 401) GET /subscriptions")
        .with_hint("log in again (`az login`) or refresh APIM_DR_ACCESS_TOKEN");
    let e = UserError {
        request_id: Some("5c1e9a52-7d0b-4c1b-9f0e-3b8d2a6c4e11".into()),
        ..e
    };
    run(&mut s, [Action::SubscriptionsLoaded(Err(e))]);
    s
}

/// A refresh of the services failed: the old rows stay, marked stale, and the flash says why.
pub fn estate_stale() -> AppState {
    let mut s = fixtures::loaded(false);
    run(
        &mut s,
        [
            Action::Tick {
                now: NOW + Duration::minutes(2),
            },
            Action::Refresh,
        ],
    );
    run(
        &mut s,
        [Action::ServicesLoaded {
            subscription: PROD.into(),
            result: Err(UserError::new(
                "Azure is throttling this subscription (429)",
            )),
        }],
    );
    s
}

/// The demo world in read-only mode.
pub fn read_only() -> AppState {
    fixtures::loaded(true)
}

/// The backups screen.
pub fn backups() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Backups)]);
    s
}

/// The Backups screen sorted by name (shift+N) with the expired backups hidden (`x`).
pub fn backups_sorted() -> AppState {
    let mut s = backups();
    run(
        &mut s,
        [
            Action::SortBy(crate::app::sort::SortKey::Name),
            Action::ToggleExpired,
        ],
    );
    s
}

/// The RPO screen over the loaded demo world.
pub fn rpo() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Rpo)]);
    s
}

/// The backups screen with the expired backup selected.
pub fn backups_expired_selected() -> AppState {
    let mut s = backups();
    let i = crate::app::catalog::visible_backups(&s)
        .iter()
        .position(|b| b.name.contains("20261021"))
        .unwrap_or(0);
    run(&mut s, [Action::SelectRow(i)]);
    s
}

/// The failover wizard after `steps` Submits from apim-contoso-weu (0: step 1).
pub fn failover_step(step: usize) -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::StartFailover]);
    let script = [vec![Action::Submit], vec![Action::MoveDown, Action::Submit]];
    for actions in script.into_iter().take(step) {
        run(&mut s, actions);
    }
    s
}

/// Step 1 opened from apim-partners-weu (Premium, also in North Europe): the start says no
/// restore is needed for traffic if West Europe is down.
pub fn failover_multi_region() -> AppState {
    let mut s = fixtures::loaded(false);
    let row = crate::app::estate::visible_services(&s)
        .iter()
        .position(|r| r.service.name == "apim-partners-weu")
        .unwrap_or(0);
    run(&mut s, [Action::SelectRow(row), Action::StartFailover]);
    s
}

/// Step 3 with the refused `StandardV2` service selected.
pub fn failover_target_refused() -> AppState {
    let mut s = failover_step(2);
    run(&mut s, [Action::MoveDown]);
    s
}

/// Step 4 while the checks run.
pub fn preflight_loading() -> AppState {
    let mut s = fixtures::loaded(false);
    to_preflight(&mut s);
    run(
        &mut s,
        [Action::Tick {
            now: NOW + Duration::seconds(2),
        }],
    );
    s
}

/// Step 4 with a ⚠ (capacity) and everything else passing.
pub fn preflight_warn() -> AppState {
    let mut s = fixtures::loaded(false);
    let plan = to_preflight(&mut s);
    let mut v = good_verdict();
    v.checks.insert(1, check("backup_present", Level::Pass, "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup exists (3481216 bytes)"));
    v.checks
        .insert(3, check("backup_age", Level::Pass, "expires in 24d 18h"));
    v.checks.push(check(
        "region",
        Level::Pass,
        "backup from West Europe, target in North Europe",
    ));
    v.checks.push(check(
        "target_busy",
        Level::Pass,
        "provisioning state Succeeded",
    ));
    for c in &mut v.checks {
        c.title = title(&c.id).into();
    }
    run(
        &mut s,
        [Action::PreflightDone {
            plan,
            result: Ok(crate::app::fixtures::report(v)),
        }],
    );
    s
}

/// Step 4 with every check of a restore: more than fit at 80x24, so the list scrolls
/// (`scroll` checks down) with a hint.
pub fn preflight_long(scroll: usize) -> AppState {
    let mut s = fixtures::loaded(false);
    let plan = to_preflight(&mut s);
    let ok = |id: &str, reason: &str| check(id, Level::Pass, reason);
    let mut v = Verdict {
        checks: vec![
            ok(
                "service_exists",
                "apim-contoso-neu in North Europe, Standard × 1",
            ),
            ok("service_idle", "provisioning state Succeeded"),
            ok("service_tier", "Standard is a classic tier"),
            ok("workspaces", "the service has no workspaces"),
            ok("api_version", "2024-05-01 accepted in North Europe"),
            ok(
                "identity",
                "not used: APIM reaches storage with the account key",
            ),
            ok("storage_account", "stcontosodrneu in northeurope"),
            ok("container_name", "'apim-backups'"),
            ok("container_exists", "apim-backups exists"),
            check(
                "cors",
                Level::Warn,
                "the Blob service has 1 CORS rule(s): Microsoft's guide says CORS should not be enabled on the backup account",
            ),
            ok(
                "firewall",
                "the account admits every network (defaultAction Allow)",
            ),
            ok("shared_key", "the account accepts its access keys"),
            ok(
                "identity_role",
                "not used: APIM reaches storage with the account key",
            ),
            ok(
                "blob_exists",
                "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup exists (3481216 bytes)",
            ),
            ok("backup_age", "expires in 29d 17h"),
            ok(
                "backup_time",
                "the blob's creation time and the catalog's start time agree",
            ),
            ok("tier_match", "backup and target are both Standard"),
            ok("region", "backup from West Europe, target in North Europe"),
            check(
                "capacity",
                Level::Warn,
                "the target has 1 unit(s), the source had 2: scale it out before taking traffic",
            ),
        ],
    };
    for c in &mut v.checks {
        c.title = c.id.replace('_', " ");
    }
    run(
        &mut s,
        [Action::PreflightDone {
            plan,
            result: Ok(crate::app::fixtures::report(v)),
        }],
    );
    run(&mut s, std::iter::repeat_n(Action::MoveDown, scroll));
    s
}

/// Step 4 with a ✖: the target is busy in Azure.
pub fn preflight_block() -> AppState {
    let mut s = fixtures::loaded(false);
    let plan = to_preflight(&mut s);
    let mut v = good_verdict();
    v.checks.push(check(
        "target_busy",
        Level::Block,
        "the service is Updating → Succeeded: another operation is running on it",
    ));
    for c in &mut v.checks {
        c.title = title(&c.id).into();
    }
    run(
        &mut s,
        [Action::PreflightDone {
            plan,
            result: Ok(crate::app::fixtures::report(v)),
        }],
    );
    s
}

fn title(id: &str) -> &'static str {
    match id {
        "target_tier" => "Target tier supports restore",
        "backup_present" => "Backup blob",
        "tier_match" => "Pricing tier matches the backup",
        "backup_age" => "Backup age (Azure keeps backups 30 days)",
        "region" => "Target is outside the backup's region",
        "capacity" => "Target capacity",
        _ => "Target is idle",
    }
}

/// Step 5.
pub fn caveats() -> AppState {
    let mut s = preflight_warn();
    run(&mut s, [Action::Submit]);
    s
}

/// Step 6, nothing typed.
pub fn confirm_empty() -> AppState {
    let mut s = caveats();
    run(&mut s, [Action::Submit]);
    s
}

/// Step 6 after a wrong name was submitted.
pub fn confirm_wrong() -> AppState {
    let mut s = confirm_empty();
    run(
        &mut s,
        "apim-contoso-weu"
            .chars()
            .map(Action::TypeChar)
            .chain([Action::Submit]),
    );
    s
}

/// The backup wizard after `steps` Submits from apim-contoso-weu (0: account).
pub fn backup_step(steps: usize) -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::StartBackup]);
    for _ in 0..steps {
        run(&mut s, [Action::Submit]);
    }
    s
}

/// The backup wizard's name step with the name of an existing blob.
pub fn backup_overwrite() -> AppState {
    let mut s = backup_step(2);
    run(&mut s, [Action::ClearInput]);
    run(
        &mut s,
        "apim-contoso-weu/20261126T0600Z.apimbackup"
            .chars()
            .map(Action::TypeChar),
    );
    s
}

/// The review of a backup that would overwrite an existing blob.
pub fn backup_review_overwrite() -> AppState {
    let mut s = backup_overwrite();
    run(&mut s, [Action::Submit]);
    s
}
/// The help popup over the services table.
pub fn help() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::OpenHelp]);
    s
}

/// The quit dialog with one restore running.
pub fn quit() -> AppState {
    let mut s = ops_running();
    run(&mut s, [Action::Quit]);
    s
}

/// The services filtered by `/neu`, prompt open.
pub fn filtering() -> AppState {
    let mut s = fixtures::loaded(false);
    run(
        &mut s,
        [
            Action::PrevPane,
            Action::MoveDown,
            Action::Open,
            Action::OpenFilter,
        ],
    );
    run(&mut s, "neu".chars().map(Action::TypeChar));
    s
}
