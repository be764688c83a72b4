//! `apim-dr report ID`: the report of one journaled operation — its timeline and pre-flight
//! (from the journal), the RTO from the command's or wizard's start to confirmed success, the
//! backup's catalog (read from the blob), the service read now (provisioning state, API count)
//! and the manual steps a backup does not cover — printed, and written to
//! `{data dir}/reports/{id}.md` and `.json` (0600). Built by `engine/report.rs`; the rules and
//! the Markdown are `domain/report.rs`.

use std::io::Write;
use std::path::Path;

use super::Output;
use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, warning};
use crate::domain::batch_report::BatchReport;
use crate::domain::error::UserError;
use crate::domain::progress::JournalId;
use crate::engine::Engine;
use crate::engine::report::build_report;
use crate::engine::report_files::{save, save_batch};
use crate::journal::{Journal, OperationState};

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::failed(UserError::new(e.to_string()))
}

/// After a batch: its report saved, the path said in text (a failure to write it is a
/// warning, never the batch's outcome).
pub fn after_batch(engine: &Engine, json_mode: bool, batch: &BatchReport) {
    match save_batch(&engine.reports_dir(), batch) {
        Ok(path) if !json_mode => {
            eprintln!("report: {} (apim-dr report {})", path.display(), batch.id);
        }
        Ok(_) => {}
        Err(e) => warning(
            json_mode,
            &format!("the batch report could not be written: {e}"),
        ),
    }
}

/// The reports saved in `dir` (their ids), newest first.
fn saved(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".md"))
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    // Ids start with their UTC time (`batch-` after the time for batches): newest first.
    ids.sort_by_key(|id| std::cmp::Reverse(id.trim_start_matches("batch-").to_owned()));
    ids
}

/// `apim-dr report` without an id: the saved reports, newest first.
fn list(engine: &Engine, output: Output) -> CmdResult {
    let ids = saved(&engine.reports_dir());
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(&mut out, &ids),
        Output::Text if ids.is_empty() => {
            writeln!(out, "no reports yet in {}", engine.reports_dir().display())
        }
        Output::Text => ids.iter().try_for_each(|id| writeln!(out, "{id}")),
    }
    .map_err(|e| failed(format!("cannot write output: {e}")))?;
    Ok(ExitCode::Ok)
}

/// `apim-dr report batch-…`: a saved `backup --all` report, as it was written.
fn batch(engine: &Engine, output: Output, id: &str) -> CmdResult {
    let dir = engine.reports_dir();
    let found: Vec<String> = saved(&dir)
        .into_iter()
        .filter(|s| s.starts_with(id))
        .collect();
    let [one] = found.as_slice() else {
        return Err(CliError::usage(UserError::new(format!(
            "'{id}' matches {} saved batch report(s) in {}; `apim-dr report` lists them",
            found.len(),
            dir.display()
        ))));
    };
    let ext = if output == Output::Text { "md" } else { "json" };
    let text = std::fs::read_to_string(dir.join(format!("{one}.{ext}")))
        .map_err(|e| failed(format!("cannot read the report {one}: {e}")))?;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| failed(format!("cannot write output: {e}")))?;
    Ok(ExitCode::Ok)
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
    let report = build_report(engine, op, &records).await;
    match save(&engine.reports_dir(), &report) {
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

/// `apim-dr report [ID]`: without `ID`, the saved reports; `ID` is a journal id or a unique
/// prefix of one, or a saved `backup --all` report (`batch-…`).
///
/// # Errors
/// [`CliError`] for an unknown or ambiguous id (exit 2), an unreadable journal or an
/// unwritable report (exit 1).
pub async fn run(engine: &Engine, output: Output, id: Option<&str>) -> CmdResult {
    let Some(id) = id else {
        return list(engine, output);
    };
    if id.starts_with("batch-") {
        return batch(engine, output, id);
    }
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
    let report = build_report(engine, op, &records).await;
    let path = save(&engine.reports_dir(), &report)
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
