//! `apim-dr failover --region LOST --to REGION --plan|--yes`: one planned restore per service
//! of the lost region (its newest restorable backup into a standby of its tier), each with its
//! pre-flight verdict; `--plan` exits 1 when any item is blocked or part of the estate could
//! not be listed (a service there may be missing); `--yes` runs the ready ones
//! (`cli/failover_run.rs`).

use std::io::Write;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, warning};
use super::{Output, bounds};
use crate::domain::error::UserError;
use crate::domain::preflight::Level;
use crate::engine::Engine;
use crate::engine::failover::{FailoverPlan, PARALLEL_DEFAULT, PlannedItem};

/// `apim-dr failover`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["plan", "yes"])))]
pub struct FailoverArgs {
    /// The lost region (short or display name).
    #[arg(long, value_name = "NAME")]
    pub region: String,
    /// The region to fail over into.
    #[arg(long, value_name = "NAME")]
    pub to: String,
    /// Print the plan and change nothing.
    #[arg(long)]
    pub plan: bool,
    /// Run every ready restore of the plan: each overwrites its standby's configuration.
    #[arg(long)]
    pub yes: bool,
    /// With --yes: restores running at once.
    #[arg(
        long,
        value_name = "N",
        default_value_t = PARALLEL_DEFAULT,
        value_parser = bounds::whole(PARALLEL, "restores")
    )]
    pub parallel: usize,
}

/// How many restores `failover --yes` runs at once.
pub const PARALLEL: std::ops::RangeInclusive<usize> = 1..=16;

/// `apim-dr failover`: the plan, or (`--yes`) the plan run.
///
/// # Errors
/// [`CliError`] when the output cannot be written, or in read-only mode with `--yes`.
pub async fn run(engine: &Engine, output: Output, args: &FailoverArgs) -> CmdResult {
    if args.yes {
        return Box::pin(super::failover_run::run(engine, output, args)).await;
    }
    let (lost, to) = (args.region.as_str(), args.to.as_str());
    let plan = engine.plan_failover(lost, to, None).await;
    let items = &plan.items;
    warn_listing_failures(&plan, output != Output::Text);
    let mut out = std::io::stdout().lock();
    let written = match output {
        Output::Json | Output::Jsonl => json(
            &mut out,
            &serde_json::json!({
                "region": lost,
                "to": to,
                "blocked": items.iter().filter(|i| i.blocked()).count(),
                "listing_failures": plan.listing_failures,
                "items": items.iter().map(row).collect::<Vec<_>>(),
            }),
        ),
        Output::Text => text(&mut out, items, (lost, to)),
    };
    written.map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(if plan.incomplete_or_blocked() {
        ExitCode::Failed
    } else {
        ExitCode::Ok
    })
}

/// One warning per listing that failed: a service there may be missing from the plan.
pub fn warn_listing_failures(plan: &FailoverPlan, json_mode: bool) {
    for f in &plan.listing_failures {
        warning(
            json_mode,
            &format!("{f} (a service there may be missing from the plan)"),
        );
    }
}

/// One item of the plan in `-o json`.
pub fn row(i: &PlannedItem) -> serde_json::Value {
    serde_json::json!({
        "source": i.pick.source.id(),
        "backup": i.pick.backup.as_ref().map(crate::domain::backup::BackupEntry::display_ref),
        "target": i.pick.target.as_ref().map(|t| t.id().into_owned()),
        "blocked": i.blocked(),
        "not_needed": i.pick.not_needed(),
        "serves_from": i.pick.serves_from,
        "why_not": i.pick.why_not.as_ref().or(i.preflight_error.as_ref()),
        "verdict": i.report.as_ref().map(|r| r.verdict.worst()),
        "checks": i.report.as_ref().map(|r| r.verdict.checks.clone()),
    })
}

/// The plan in text, with a last line counting ready and blocked items.
pub fn text(
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
        let mark = if i.pick.not_needed() {
            "•"
        } else if i.blocked() {
            "✖"
        } else {
            "✔"
        };
        writeln!(
            out,
            "{mark} {}. {} ({})",
            n + 1,
            i.pick.source.name,
            i.pick.source.sku
        )?;
        if let Some(note) = i.pick.not_needed_note(lost) {
            writeln!(out, "    {note}")?;
        }
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
    let not_needed = items.iter().filter(|i| i.pick.not_needed()).count();
    let needs = if not_needed > 0 {
        format!(", {not_needed} need no restore")
    } else {
        String::new()
    };
    writeln!(
        out,
        "plan: {} ready, {blocked} blocked{needs}{}",
        items.len() - blocked - not_needed,
        if blocked > 0 {
            ": fix the ✖ items before running it"
        } else {
            ""
        }
    )
}
