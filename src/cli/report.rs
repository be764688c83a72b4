//! `apim-dr report ID`: the report of one journaled operation — its timeline (from the
//! journal), the time from intent to end, the backup's catalog (read from the blob), the
//! service read now (provisioning state, API count) and the manual steps a backup does not
//! cover — printed, and written to `{data dir}/reports/{id}.md` and `.json` (0600). The
//! rules and the Markdown are `domain/report.rs`. Pre-flight results are not journaled, so
//! they are not in it.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Output;
use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, warning};
use crate::domain::backup::BackupCatalog;
use crate::domain::error::UserError;
use crate::domain::progress::JournalId;
use crate::domain::report::{FailoverReport, MANUAL_STEPS, Step, Verification};
use crate::engine::Engine;
use crate::engine::inventory::{blob_account, find_storage_account};
use crate::journal::{Journal, JournalEvent, JournalRecord, OperationState};

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::failed(UserError::new(e.to_string()))
}

fn what(event: &JournalEvent) -> String {
    match event {
        JournalEvent::Intent {
            kind,
            service,
            blob,
            ..
        } => {
            format!("intent journaled: {} of {} with {blob}", kind, service.name)
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
    let blob = &op.info.blob;
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

/// Builds the report of `op` from `records` and reads made now.
pub async fn build(
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
    FailoverReport {
        id: op.info.id.to_string(),
        kind: op.info.kind.to_string(),
        service: op.info.service.to_string(),
        backup: op.info.blob.to_string(),
        outcome: op.outcome.as_ref().map(ToString::to_string),
        rto_seconds: FailoverReport::rto(&timeline, op.outcome.is_some()),
        timeline,
        catalog: catalog(engine, op).await,
        verification: Verification {
            provisioning_state: service.map(|s| s.state_word().to_owned()),
            api_count: apis.map(|a| a.len()),
        },
        manual_steps: MANUAL_STEPS.to_vec(),
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = crate::private_fs::open_append(path)?;
    f.set_len(0)?;
    f.write_all(text.as_bytes())
}

/// Writes `report` as `{dir}/{id}.md` and `.json`; returns the Markdown's path.
///
/// # Errors
/// The I/O error of either file.
pub fn save(dir: &Path, report: &FailoverReport) -> std::io::Result<PathBuf> {
    let md = dir.join(format!("{}.md", report.id));
    write_private(&md, &report.markdown())?;
    let body = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    write_private(&dir.join(format!("{}.json", report.id)), &body)?;
    Ok(md)
}

/// Where reports go: `reports/` beside the journal (the data dir, or the demo's).
pub fn reports_dir(engine: &Engine) -> PathBuf {
    engine
        .journal_path()
        .parent()
        .map_or_else(|| PathBuf::from("reports"), |d| d.join("reports"))
}

/// After a restore: its report, saved; the path said in text (a failure to write it is a
/// warning, never the restore's outcome).
pub async fn after(engine: &Engine, output: Output, id: &JournalId) {
    let read = Journal::open(engine.journal_path()).and_then(|j| j.read());
    let Ok((records, _)) = read else { return };
    let ops = crate::journal::fold(records.clone());
    let Some(op) = ops.iter().find(|o| &o.info.id == id) else {
        return;
    };
    let report = build(engine, op, &records).await;
    match save(&reports_dir(engine), &report) {
        Ok(path) if output == Output::Text => {
            eprintln!("report: {} (apim-dr report {id})", path.display());
        }
        Ok(_) => {}
        Err(e) => warning(
            output != Output::Text,
            &format!("the report could not be written: {e}"),
        ),
    }
}

/// `apim-dr report ID`: `ID` is a journal id or a unique prefix of one.
///
/// # Errors
/// [`CliError`] for an unknown or ambiguous id (exit 2), an unreadable journal or an
/// unwritable report (exit 1).
pub async fn run(engine: &Engine, output: Output, id: &str) -> CmdResult {
    let journal = Journal::open(engine.journal_path()).map_err(failed)?;
    let (records, _) = journal.read().map_err(failed)?;
    let ops = crate::journal::fold(records.clone());
    let found: Vec<&OperationState> = ops.iter().filter(|o| o.info.id.0.starts_with(id)).collect();
    let op = match found.as_slice() {
        [op] => *op,
        [] => {
            return Err(CliError::usage(UserError::new(format!(
                "no operation '{id}' in the journal ({})",
                engine.journal_path().display()
            ))));
        }
        more => {
            return Err(CliError::usage(UserError::new(format!(
                "'{id}' matches {} operations; give more of the id",
                more.len()
            ))));
        }
    };
    let report = build(engine, op, &records).await;
    let path = save(&reports_dir(engine), &report)
        .map_err(|e| failed(format!("cannot write the report: {e}")))?;
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(&mut out, &report),
        Output::Text => write!(
            out,
            "{}\nwritten to {}\n",
            report.markdown(),
            path.display()
        ),
    }
    .map_err(|e| failed(format!("cannot write output: {e}")))?;
    Ok(ExitCode::Ok)
}
