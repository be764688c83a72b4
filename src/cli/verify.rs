//! `apim-dr verify`: whether a (restored) service serves: its provisioning state, its gateway
//! health endpoint, and its counts of APIs, products and named values against a backup's
//! catalog. The same checks a restore runs at its end. Read-only.

use std::io::Write;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::json;
use super::{Output, resolve};
use crate::domain::error::UserError;
use crate::domain::names::BackupRef;
use crate::domain::preflight::{Level, Verdict};
use crate::domain::verification::{summary, verified};
use crate::engine::Engine;

/// The exit code of a verification: 0 when every check passed, 1 when one failed (evidence
/// that the target does not serve), 3 when only warnings remain (unconfirmed).
pub fn exit_code(v: &Verdict) -> ExitCode {
    match v.worst() {
        Level::Pass => ExitCode::Ok,
        Level::Block => ExitCode::Failed,
        Level::Warn => ExitCode::Unconfirmed,
    }
}

/// `apim-dr verify --service ID [--backup REF]`.
///
/// # Errors
/// [`CliError`] for bad input.
pub async fn run(
    engine: &Engine,
    output: Output,
    service: &str,
    backup: Option<&str>,
) -> CmdResult {
    resolve::service_shape("--service", service)?;
    let backup = backup.map(BackupRef::parse).transpose()?;
    let target = resolve::service(engine.client(), "--service", service).await?;
    let v = engine.verify(&target, backup.as_ref()).await;
    let mut out = std::io::stdout().lock();
    let written = match output {
        Output::Json | Output::Jsonl => json(
            &mut out,
            &serde_json::json!({
                "service": target.to_string(),
                "backup": backup.as_ref().map(ToString::to_string),
                "verified": verified(&v.verdict),
                "verdict": v.verdict.worst(),
                "checks": v.verdict.checks,
                "catalog_note": v.catalog_note,
            }),
        ),
        Output::Text => print(&mut out, &v.verdict, v.catalog_note.as_deref()),
    };
    written.map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(exit_code(&v.verdict))
}

fn print(out: &mut impl Write, v: &Verdict, note: Option<&str>) -> std::io::Result<()> {
    if let Some(n) = note {
        writeln!(out, "note: {n}")?;
    }
    for c in &v.checks {
        writeln!(out, "{} {}: {}", c.level.symbol(), c.title, c.reason)?;
        if let Some(fix) = &c.fix {
            writeln!(out, "    fix: {fix}")?;
        }
    }
    writeln!(out, "{}", summary(v))
}
