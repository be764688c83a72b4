//! Test-only: the backup wizard's last step with its pre-flight answered (issue 8, issue 9
//! defect 15): each check with its status, reason and fix, and the key that starts the backup.

use super::{backup_review_overwrite, backup_step};
use crate::app::action::Action;
use crate::app::fixtures::run;
use crate::app::state::{AppState, Wizard};
use crate::domain::preflight::{Check, Level, PreflightReport, Verdict};

fn check(id: &str, level: Level, title: &str, reason: &str, fix: Option<&str>) -> Check {
    Check {
        id: id.into(),
        level,
        title: title.into(),
        reason: reason.into(),
        fix: fix.map(Into::into),
    }
}

fn answer(s: &mut AppState, overwrite: bool) {
    let Some(Wizard::Backup(w)) = &s.wizard else {
        unreachable!("the backup wizard is open")
    };
    let Some(plan) = w.preflight_plan.clone() else {
        unreachable!("its pre-flight was asked for")
    };
    let blob = format!("{}/{}/{}", plan.account, plan.container, plan.blob);
    let last = if overwrite {
        check(
            "overwrite",
            Level::Block,
            "blob name",
            &format!("{blob} already exists: the backup would overwrite it"),
            Some(
                "choose another blob name (esc), or keep the default name, which carries the time",
            ),
        )
    } else {
        check(
            "overwrite",
            Level::Pass,
            "blob name",
            &format!("{blob} does not exist yet"),
            None,
        )
    };
    let checks = vec![
        check(
            "service_exists",
            Level::Pass,
            "service exists",
            "apim-contoso-weu in West Europe, Standard × 2",
            None,
        ),
        check(
            "service_idle",
            Level::Pass,
            "service idle",
            "provisioning state Succeeded",
            None,
        ),
        check(
            "service_tier",
            Level::Pass,
            "service tier",
            "Standard is a classic tier",
            None,
        ),
        check(
            "storage_account",
            Level::Pass,
            "storage account",
            "stcontosodrneu in northeurope",
            None,
        ),
        check(
            "container_exists",
            Level::Pass,
            "container exists",
            "apim-backups exists",
            None,
        ),
        check(
            "region",
            Level::Warn,
            "region",
            "the backup stays in North Europe, the service runs in West Europe",
            Some("nothing to do: a backup outside the service's region survives its outage"),
        ),
        last,
    ];
    run(
        s,
        [Action::BackupPreflightDone {
            plan,
            result: Ok(Box::new(PreflightReport {
                verdict: Verdict { checks },
                service: None,
                storage: None,
            })),
        }],
    );
}

/// The review with every check answered: one warning, Enter starts the backup.
pub fn backup_review_checked() -> AppState {
    let mut s = backup_step(3);
    answer(&mut s, false);
    s
}

/// The review of a name that exists: pre-flight blocks it and says how to change it.
pub fn backup_review_blocked() -> AppState {
    let mut s = backup_review_overwrite();
    answer(&mut s, true);
    s
}
