//! Test-only: the details views (Enter on a service or a backup), reached through `update`.

use crate::app::action::Action;
use crate::app::estate::{visible_services, visible_subscriptions};
use crate::app::fixtures::{self, run};
use crate::app::state::{AppState, Pane, Screen};

/// Enter on `name` in the estate, after `state`'s history.
fn open_service(mut s: AppState, name: &str) -> AppState {
    run(
        &mut s,
        [
            Action::Jump(Screen::Estate),
            Action::Focus(Pane::Subscriptions),
        ],
    );
    for sub in 0..visible_subscriptions(&s).len() {
        run(&mut s, [Action::SelectRow(sub)]);
        if let Some(row) = visible_services(&s)
            .iter()
            .position(|r| r.service.name == name)
        {
            run(
                &mut s,
                [
                    Action::Focus(Pane::Services),
                    Action::SelectRow(row),
                    Action::Open,
                ],
            );
            return s;
        }
    }
    panic!("no service {name}");
}

/// The demo's first service in full.
pub fn service_details() -> AppState {
    open_service(fixtures::loaded(false), "apim-contoso-weu")
}

/// The standby after a restore into it succeeded: the journal says what it was restored from.
pub fn service_details_restored() -> AppState {
    open_service(super::ops_succeeded(), "apim-contoso-neu")
}

/// The newest restorable backup in full, with the services that can and cannot take it.
pub fn backup_details() -> AppState {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Backups), Action::Open]);
    s
}
