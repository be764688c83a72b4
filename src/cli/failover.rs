//! `apim-dr failover --region LOST --to REGION --plan`: one planned restore per service of the
//! lost region (its newest restorable backup into a standby of its tier), each with its
//! pre-flight verdict; exit 1 when any item is blocked. Read-only: running the batch is not
//! built yet.

use std::io::Write;

use super::Output;
use super::exit::{CliError, CmdResult, ExitCode};
use super::output::json;
use crate::domain::error::UserError;
use crate::domain::preflight::Level;
use crate::engine::Engine;
use crate::engine::failover::PlannedItem;

/// `apim-dr failover --plan`.
///
/// # Errors
/// [`CliError`] when the output cannot be written.
pub async fn plan(engine: &Engine, output: Output, lost: &str, to: &str) -> CmdResult {
    let items = engine.plan_failover(lost, to).await;
    let mut out = std::io::stdout().lock();
    let written = match output {
        Output::Json | Output::Jsonl => json(
            &mut out,
            &serde_json::json!({
                "region": lost,
                "to": to,
                "blocked": items.iter().filter(|i| i.blocked()).count(),
                "items": items.iter().map(row).collect::<Vec<_>>(),
            }),
        ),
        Output::Text => text(&mut out, &items, (lost, to)),
    };
    written.map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(if items.iter().any(PlannedItem::blocked) {
        ExitCode::Failed
    } else {
        ExitCode::Ok
    })
}

fn row(i: &PlannedItem) -> serde_json::Value {
    serde_json::json!({
        "source": i.pick.source.id,
        "backup": i.pick.backup.as_ref().map(crate::domain::backup::BackupEntry::display_ref),
        "target": i.pick.target.as_ref().map(|t| t.id.clone()),
        "blocked": i.blocked(),
        "why_not": i.pick.why_not.as_ref().or(i.preflight_error.as_ref()),
        "verdict": i.report.as_ref().map(|r| r.verdict.worst()),
        "checks": i.report.as_ref().map(|r| r.verdict.checks.clone()),
    })
}

fn text(
    out: &mut impl Write,
    items: &[PlannedItem],
    (lost, to): (&str, &str),
) -> std::io::Result<()> {
    if items.is_empty() {
        return writeln!(
            out,
            "no API Management service in {lost}: nothing to fail over"
        );
    }
    writeln!(
        out,
        "failover of {lost} into {to}: {} service(s)",
        items.len()
    )?;
    for (n, i) in items.iter().enumerate() {
        let mark = if i.blocked() { "✖" } else { "✔" };
        writeln!(
            out,
            "{mark} {}. {} ({})",
            n + 1,
            i.pick.source.name,
            i.pick.source.sku
        )?;
        if let Some(b) = &i.pick.backup {
            writeln!(out, "    backup: {}", b.display_ref())?;
        }
        if let Some(t) = &i.pick.target {
            writeln!(
                out,
                "    into:   {} ({}, {})",
                t.name,
                t.location,
                t.state_word()
            )?;
        }
        if let Some(why) = i.pick.why_not.as_ref().or(i.preflight_error.as_ref()) {
            writeln!(out, "    blocked: {why}")?;
        }
        for c in i.report.iter().flat_map(|r| &r.verdict.checks) {
            if c.level != Level::Pass {
                writeln!(out, "    {} {}: {}", c.level.symbol(), c.title, c.reason)?;
            }
        }
    }
    let blocked = items.iter().filter(|i| i.blocked()).count();
    writeln!(
        out,
        "plan: {} ready, {blocked} blocked{}",
        items.len() - blocked,
        if blocked > 0 {
            ": fix the ✖ items before running it"
        } else {
            ""
        }
    )
}
