//! Test-only: the Operations screen with the whole journal (issue 9, defect 3): a restore
//! watched here, and earlier runs read from the journal (one by the CLI, one left open).

use time::Duration;

use super::ops_succeeded;
use crate::app::action::Action;
use crate::app::fixtures::{NOW, PROD, run};
use crate::app::state::AppState;
use crate::domain::operation::{AccessType, NewService, OperationError, OperationKind, Outcome};
use crate::domain::progress::{JournalId, OperationInfo};
use crate::domain::sku::SkuName;
use crate::journal::{OperationHandle, OperationState};

const HERE: &str = "https://management.azure.com";

fn entry(id: &str, kind: OperationKind, service: &str, ago: Duration) -> OperationState {
    let info = OperationInfo {
        id: JournalId(id.into()),
        kind,
        service: format!(
            "/subscriptions/{PROD}/resourceGroups/rg-apim-prod/providers/Microsoft.ApiManagement/service/{service}"
        )
        .parse()
        .unwrap_or_else(|_| unreachable!()),
        blob: Some(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261124T0600Z.apimbackup"
            .parse()
            .unwrap_or_else(|_| unreachable!()),
        ),
        creating: None,
        started_at: NOW - ago,
        correlation_id: None,
        tier: None,
    };
    OperationState::intended(info, Some(AccessType::AccessKey), HERE.into())
}

fn ended(mut o: OperationState, outcome: Outcome, took: Duration) -> OperationState {
    o.finished_at = Some(o.info.started_at + took);
    o.outcome = Some(outcome);
    o
}

/// The journal's earlier runs: a CLI backup two days ago, a failed restore yesterday, and a
/// backup accepted by Azure an hour ago that nobody watches.
fn earlier() -> Vec<OperationState> {
    let backup = ended(
        entry(
            "20261124T060000Z-backup-apim-contoso-weu",
            OperationKind::Backup,
            "apim-contoso-weu",
            Duration::days(2) + Duration::hours(6),
        ),
        Outcome::Succeeded,
        Duration::minutes(12) + Duration::seconds(40),
    );
    let failed = ended(
        entry(
            "20261125T093000Z-restore-apim-contoso-neu",
            OperationKind::Restore,
            "apim-contoso-neu",
            Duration::days(1) + Duration::hours(2) + Duration::minutes(30),
        ),
        Outcome::Failed(OperationError {
            status: Some(200),
            code: "RestoreFailed".into(),
            message: "the storage account refused the request (AuthorizationFailure)".into(),
            request_id: None,
        }),
        Duration::minutes(3),
    );
    let mut open = entry(
        "20261126T110000Z-backup-apim-contoso-eus",
        OperationKind::Backup,
        "apim-contoso-eus",
        Duration::hours(1),
    );
    open.handle = Some(OperationHandle {
        location: Some(format!("{HERE}/operations/1")),
        async_operation: None,
        retry_after_secs: None,
        request_id: Some("5a1c9e2b-3d4f-4a6b-8c7d-9e0f1a2b3c4d".into()),
    });
    open.last_status = Some("InProgress".into());
    open.detached = true;
    vec![backup, failed, open]
}

/// The restore that succeeded here, and the journal's earlier runs below it.
pub fn ops_journal() -> AppState {
    let mut s = ops_succeeded();
    run(
        &mut s,
        [Action::JournalListed {
            operations: earlier(),
            endpoint: HERE.into(),
        }],
    );
    s
}

/// The backup nobody watches selected: `w` is offered, `s` is not.
pub fn ops_journal_unwatched() -> AppState {
    let mut s = ops_journal();
    run(&mut s, [Action::MoveDown]);
    s
}

/// Enter on yesterday's failed restore: its details on the whole body.
pub fn ops_journal_details() -> AppState {
    let mut s = ops_journal();
    run(&mut s, [Action::MoveDown, Action::MoveDown, Action::Open]);
    s
}

/// A standby creation started by `apim-dr standby create` 35 minutes ago, still `Activating`
/// and nobody watching it, above the earlier runs; Enter opens its details.
pub fn ops_journal_creation() -> AppState {
    let mut s = ops_journal();
    let service = |name: &str| -> crate::domain::names::ServiceId {
        format!(
            "/subscriptions/{PROD}/resourceGroups/rg-apim-prod/providers/Microsoft.ApiManagement/service/{name}"
        )
        .parse()
        .unwrap_or_else(|_| unreachable!())
    };
    let info = OperationInfo {
        id: JournalId("20261126T112500Z-create-apim-dev-weu-northeurope".into()),
        kind: OperationKind::Create,
        service: service("apim-dev-weu-northeurope"),
        blob: None,
        creating: Some(NewService {
            location: "North Europe".into(),
            capacity: 1,
            like: service("apim-dev-weu"),
            purge: false,
        }),
        started_at: NOW - Duration::minutes(35),
        correlation_id: None,
        tier: Some(SkuName::new("Developer")),
    };
    let mut creation = OperationState::intended(info, None, HERE.into());
    creation.last_status = Some("Activating".into());
    creation.detached = true;
    let mut operations = earlier();
    operations.push(creation);
    run(
        &mut s,
        [
            Action::JournalListed {
                operations,
                endpoint: HERE.into(),
            },
            Action::MoveDown,
            Action::Open,
        ],
    );
    s
}
