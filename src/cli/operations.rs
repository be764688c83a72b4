//! Commands that change things or follow them: `backup`, `restore`, `operations [watch ID]`.
//! Each prints one line per progress step (or one JSON object per line), stops watching on
//! Ctrl-C without stopping Azure, and exits with the outcome's code.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::exit::{CliError, CmdResult, ExitCode, outcome_code};
use super::listing::access_type;
use super::operation_row::OperationRow;
use super::output::{json, table, warning};
use super::preflight::print_verdict;
use super::progress::Printer;
use super::resolve;
use super::{AccessArgs, Output};
use crate::domain::backup::default_blob_name;
use crate::domain::error::UserError;
use crate::domain::estimate::{Estimate, estimate};
use crate::domain::names::{BackupRef, BlobName, ContainerName, StorageAccountName};
use crate::domain::operation::{BackupPlan, Began, BeganFrom, RestorePlan};
use crate::domain::progress::{OperationInfo, ProgressUpdate};
use crate::domain::sku::SkuName;
use crate::engine::preflight::PreflightAsk;
use crate::engine::{Engine, EngineError, Prepared, RunEnd};
use crate::journal::{Journal, OperationState, history};

/// Runs a watch with printing, `--no-wait` and Ctrl-C handling; returns the exit code.
pub(super) async fn drive<F, Fut>(
    info: &OperationInfo,
    estimate: Estimate,
    output: Output,
    no_wait: bool,
    run: F,
) -> CmdResult
where
    F: FnOnce(mpsc::Sender<ProgressUpdate>, CancellationToken) -> Fut,
    Fut: std::future::Future<Output = Result<RunEnd, EngineError>>,
{
    let (tx, mut rx) = mpsc::channel::<ProgressUpdate>(64);
    let cancel = CancellationToken::new();
    let interrupted = Arc::new(AtomicBool::new(false));
    let mut print = Printer::new(output, info.started_at).with_estimate(estimate);
    print.started(info);
    let printer = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            while let Some(u) = rx.recv().await {
                print.update(&u);
                if no_wait && matches!(u, ProgressUpdate::Accepted { .. }) {
                    cancel.cancel();
                }
            }
        })
    };
    let ctrl_c = {
        let (cancel, interrupted) = (cancel.clone(), interrupted.clone());
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                interrupted.store(true, Ordering::SeqCst);
                cancel.cancel();
            }
        })
    };
    let end = run(tx, cancel).await;
    let _ = printer.await;
    ctrl_c.abort();
    match end.map_err(|e| CliError::from(&e))? {
        RunEnd::Finished(o) => Ok(outcome_code(&o)),
        RunEnd::Detached => {
            let hint = format!(
                "it goes on in Azure; `apim-dr operations watch {}` follows it again",
                info.id
            );
            match output {
                Output::Json | Output::Jsonl => Printer::new(output, info.started_at)
                    .update(&ProgressUpdate::Note(format!("stopped watching: {hint}"))),
                Output::Text => eprintln!("stopped watching operation {}: {hint}", info.id),
            }
            Ok(if interrupted.load(Ordering::SeqCst) {
                ExitCode::Interrupted
            } else {
                ExitCode::Ok
            })
        }
    }
}

async fn start(engine: &Engine, prepared: Prepared, output: Output, no_wait: bool) -> CmdResult {
    let info = prepared.info.clone();
    let estimate = estimate_for(engine, &info).await;
    Box::pin(drive(&info, estimate, output, no_wait, |tx, cancel| {
        prepared.send_and_watch(tx, cancel)
    }))
    .await
}

/// The estimate of `info` from the journal's finished operations (Microsoft's typical
/// duration when the journal cannot be read or has none alike).
pub(super) async fn estimate_for(engine: &Engine, info: &OperationInfo) -> Estimate {
    let past = engine
        .operations()
        .await
        .map(|ops| history(&ops))
        .unwrap_or_default();
    estimate(&past, info.kind, info.tier.as_ref(), Some(&info.service))
}

/// `apim-dr backup`.
///
/// # Errors
/// [`CliError`] for bad input, refusals and failed calls.
#[allow(clippy::too_many_arguments)]
pub async fn backup(
    engine: &Engine,
    output: Output,
    service: &str,
    account: &str,
    container: &str,
    name: Option<&str>,
    overwrite: bool,
    access: &AccessArgs,
    no_wait: bool,
) -> CmdResult {
    let named = resolve::service_shape("--service", service)?;
    let service_name = named.as_ref().map_or(service, |id| id.name.as_str());
    let blob = match name {
        Some(n) => BlobName::parse(n)?,
        None => BlobName::parse(&default_blob_name(service_name, OffsetDateTime::now_utc()))?,
    };
    let account = StorageAccountName::parse(account)?;
    let container = ContainerName::parse(container)?;
    let access = access_type(access)?;
    let plan = BackupPlan {
        service: resolve::service(engine.client(), "--service", service).await?,
        account,
        container,
        blob,
        access,
        overwrite,
    };
    let (prepared, notes) = engine
        .prepare_backup(&plan)
        .await
        .map_err(|e| CliError::from(&e))?;
    let mut print = Printer::new(output, OffsetDateTime::now_utc());
    for n in notes {
        print.update(&ProgressUpdate::Note(n));
    }
    Box::pin(start(engine, prepared, output, no_wait)).await
}

/// `apim-dr restore`: refuses without `--yes`, and when pre-flight blocks.
///
/// # Errors
/// [`CliError`] for bad input, refusals and failed calls.
pub async fn restore(
    engine: &Engine,
    output: Output,
    (backup, target): (&str, &str),
    yes: bool,
    confirm_tier: Option<&str>,
    access: &AccessArgs,
    no_wait: bool,
) -> CmdResult {
    let began = Began {
        at: OffsetDateTime::now_utc(),
        from: BeganFrom::Command,
    };
    let backup = BackupRef::parse(backup)?;
    let named = resolve::service_shape("--target", target)?;
    let access = access_type(access)?;
    if engine.read_only() {
        return Err(CliError::from(&EngineError::ReadOnly));
    }
    if !yes {
        let name = named.as_ref().map_or(target, |id| id.name.as_str());
        return Err(CliError::usage(
            UserError::new(format!(
                "restore overwrites the configuration of {name} with the backup {backup}; add --yes to confirm"
            ))
            .with_hint("run `apim-dr preflight` with the same arguments first to see what would happen"),
        ));
    }
    let plan = RestorePlan {
        backup,
        target: resolve::service(engine.client(), "--target", target).await?,
        access,
        began: Some(began),
    };
    let ask = PreflightAsk::restore(&plan, confirm_tier.map(SkuName::new));
    let report = engine
        .preflight_for(&ask, false)
        .await
        .map_err(|e| CliError::from(&e))?;
    if output == Output::Text {
        let mut out = std::io::stdout().lock();
        let _ = print_verdict(&mut out, &report.verdict);
    }
    let prepared = engine
        .prepare_restore(&plan, &report)
        .await
        .map_err(|e| CliError::from(&e))?;
    let id = prepared.info.id.clone();
    let code = Box::pin(start(engine, prepared, output, no_wait)).await;
    if !no_wait {
        super::report::after(engine, output, &id).await;
    }
    code
}

/// `apim-dr operations` on the journal at `path`.
///
/// # Errors
/// [`CliError`] when the journal cannot be opened or read.
pub fn list_at(path: &std::path::Path, output: Output) -> CmdResult {
    let journal =
        Journal::open(path).map_err(|e| CliError::failed(UserError::new(e.to_string())))?;
    list(&journal, output)
}

/// `apim-dr operations`: the journal, newest first, one row per operation (the flat
/// [`OperationRow`] in JSON). Lines it cannot read are skipped and reported on stderr (how
/// many, which, why); every other operation is listed.
///
/// # Errors
/// [`CliError`] when the journal cannot be read at all.
pub fn list(journal: &Journal, output: Output) -> CmdResult {
    let loaded = journal
        .load()
        .map_err(|e| CliError::failed(UserError::new(e.to_string())))?;
    if let Some(text) = crate::journal::report(journal.path(), &loaded.skipped) {
        warning(output != Output::Text, &text);
    }
    let now = OffsetDateTime::now_utc();
    let past = history(&loaded.operations);
    let rows: Vec<OperationRow> = loaded
        .operations
        .iter()
        .rev()
        .map(|o| OperationRow::new(o, now, &past))
        .collect();
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(&mut out, &rows),
        Output::Text => table(
            &mut out,
            &[
                "ID", "KIND", "SERVICE", "BACKUP", "STARTED", "DURATION", "STATE",
            ],
            &rows.iter().map(OperationRow::text).collect::<Vec<_>>(),
        ),
    }
    .map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(ExitCode::Ok)
}

/// `apim-dr operations watch ID`.
///
/// # Errors
/// [`CliError`] for an unknown id or another endpoint.
pub async fn watch(engine: &Engine, output: Output, id: &str) -> CmdResult {
    let ops = engine
        .operations()
        .await
        .map_err(|e| CliError::failed(UserError::new(e.to_string())))?;
    let matches: Vec<OperationState> = ops
        .into_iter()
        .filter(|o| o.info.id.0.starts_with(id))
        .collect();
    let op = match matches.len() {
        1 => matches
            .into_iter()
            .next()
            .ok_or_else(|| CliError::usage(UserError::new("no such operation")))?,
        0 => {
            return Err(CliError::usage(UserError::new(format!(
                "no operation '{id}' in the journal ({})",
                engine.journal_path().display()
            ))));
        }
        n => {
            return Err(CliError::usage(UserError::new(format!(
                "'{id}' matches {n} operations; give more of the id"
            ))));
        }
    };
    if op.endpoint != engine.endpoint() {
        return Err(CliError::usage(UserError::new(format!(
            "operation {} was started against {}; run with --arm-endpoint {} to watch it",
            op.info.id, op.endpoint, op.endpoint
        ))));
    }
    if let Some(outcome) = &op.outcome {
        Printer::new(output, op.info.started_at).update(&ProgressUpdate::Finished(outcome.clone()));
        return Ok(outcome_code(outcome));
    }
    let info = op.info.clone();
    let estimate = estimate_for(engine, &info).await;
    drive(&info, estimate, output, false, |tx, cancel| {
        engine.resume(op, tx, cancel)
    })
    .await
}
