//! The failover report of one journaled operation: its timeline, pre-flight and RTO from the
//! journal, the backup's catalog read from the blob, and the service read now. Shared by
//! `apim-dr report` (and after each CLI restore) and the TUI's report view; the rules and the
//! Markdown are `domain/report.rs`.

use super::Engine;
use super::inventory::{blob_account, find_storage_account};
use crate::domain::backup::BackupCatalog;
use crate::domain::operation::{OperationKind, Outcome};
use crate::domain::report::{FailoverReport, MANUAL_STEPS, Step, Verification};
use crate::journal::{JournalEvent, JournalRecord, OperationState};

fn what(event: &JournalEvent) -> String {
    match event {
        JournalEvent::Intent {
            kind,
            service,
            blob: Some(blob),
            ..
        } => {
            format!("intent journaled: {} of {} with {blob}", kind, service.name)
        }
        JournalEvent::Intent { kind, service, .. } => {
            format!("intent journaled: {} of {}", kind, service.name)
        }
        JournalEvent::Accepted { handle } => format!(
            "accepted by Azure (202){}",
            handle
                .request_id
                .as_deref()
                .map(|r| format!(", request id {r}"))
                .unwrap_or_default()
        ),
        JournalEvent::Status { status } => format!("status: {status}"),
        JournalEvent::Detached => "stopped watching (it goes on in Azure)".to_owned(),
        JournalEvent::Finished { outcome } => format!("finished: {outcome}"),
    }
}

/// The backup's catalog, read from the blob's metadata now.
async fn catalog(engine: &Engine, op: &OperationState) -> Option<BackupCatalog> {
    let client = engine.client();
    let blob = op.info.blob.as_ref()?;
    let sub = op.info.service.subscription.as_str();
    let account = find_storage_account(client, blob.account.as_str(), Some(sub))
        .await
        .ok()??;
    let acct = blob_account(client, &account).await.ok()?;
    let props = client
        .blob_properties(&acct, blob.container.as_str(), blob.blob.as_str())
        .await
        .ok()??;
    Some(BackupCatalog::from_metadata(&props.metadata))
}

/// The report of `op` from the journal's `records` and reads made now: the backup's catalog
/// (from the blob), the service's provisioning state and API count, and after a successful
/// restore the post-restore verification's checks.
pub async fn build_report(
    engine: &Engine,
    op: &OperationState,
    records: &[JournalRecord],
) -> FailoverReport {
    let timeline: Vec<Step> = records
        .iter()
        .filter(|r| r.id == op.info.id)
        .map(|r| Step {
            at: r.at,
            what: what(&r.event),
        })
        .collect();
    let client = engine.client();
    let service = client.get_service(&op.info.service).await.ok();
    let apis = client.list_apis(&op.info.service).await.ok();
    let intent = records.iter().find_map(|r| match &r.event {
        JournalEvent::Intent {
            began, preflight, ..
        } if r.id == op.info.id => Some((*began, preflight.clone())),
        _ => None,
    });
    let (began, preflight) = intent.unwrap_or_default();
    let succeeded = op.outcome.as_ref().is_some_and(Outcome::is_success);
    // A restored service is verified as the watcher did at its end, read again now.
    let checks = if succeeded && op.info.kind == OperationKind::Restore {
        Box::pin(engine.verify(&op.info.service, op.info.blob.as_ref()))
            .await
            .verdict
            .checks
    } else {
        Vec::new()
    };
    let (rto_seconds, rto_from) = FailoverReport::rto(began.as_ref(), &timeline, succeeded);
    FailoverReport {
        id: op.info.id.to_string(),
        kind: op.info.kind.to_string(),
        service: op.info.service.to_string(),
        backup: op.info.subject(),
        outcome: op.outcome.as_ref().map(ToString::to_string),
        rto_seconds,
        rto_from,
        preflight,
        timeline,
        catalog: catalog(engine, op).await,
        verification: Verification {
            provisioning_state: service.map(|s| s.state_word().to_owned()),
            api_count: apis.map(|a| a.len()),
            checks,
        },
        manual_steps: MANUAL_STEPS.to_vec(),
    }
}
