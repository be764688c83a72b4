//! `apim-dr report ID`: the report of one journaled operation — its timeline and pre-flight
//! (from the journal), the RTO from the command's or wizard's start to confirmed success, the
//! backup's catalog (read from the blob), the service read now (provisioning state, API count)
//! and the manual steps a backup does not cover — printed, and written to
//! `{data dir}/reports/{id}.md` and `.json` (0600). Built by `engine/report.rs`; the rules and
//! the Markdown are `domain/report.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Output;
use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, warning};
use crate::domain::error::UserError;
use crate::domain::progress::JournalId;
use crate::domain::report::FailoverReport;
use crate::engine::Engine;
use crate::engine::report::build_report;
use crate::journal::{Journal, OperationState};

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::failed(UserError::new(e.to_string()))
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
    let report = build_report(engine, op, &records).await;
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
    let report = build_report(engine, op, &records).await;
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
