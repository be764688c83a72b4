//! `apim-dr cutover`: point a custom host name served through Azure DNS (a CNAME) or Traffic
//! Manager (an external endpoint) at a restored service's gateway (`--to`), or back at the
//! host it pointed at before (`--to-target`). Shows before → after; `--dry-run` stops there,
//! otherwise `--yes` is required (exit 2 without it). Prints the command that points it back.
//! The change and its end are written in the cutover log beside the journal.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, warning};
use super::{Output, resolve};
use crate::domain::cutover::{CutoverPlace, CutoverPlan, parse_host};
use crate::domain::error::UserError;
use crate::engine::Engine;
use crate::engine::cutover::{CutoverAsk, CutoverEnd, CutoverTo};

/// `cutover` options.
#[derive(Debug, Clone, Args)]
pub struct CutoverArgs {
    /// The custom host name (e.g. api.contoso.com).
    #[arg(long, value_name = "NAME")]
    pub hostname: String,
    /// The service to point it at: full ARM resource id or unique name.
    #[arg(
        long,
        value_name = "SERVICE",
        required_unless_present = "to_target",
        conflicts_with = "to_target"
    )]
    pub to: Option<String>,
    /// A host name to point it at instead (the rollback: the value before).
    #[arg(long, value_name = "HOST")]
    pub to_target: Option<String>,
    /// The Traffic Manager endpoint, when the profile has several external ones.
    #[arg(long, value_name = "NAME")]
    pub endpoint: Option<String>,
    /// Show before and after; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm the change.
    #[arg(long)]
    pub yes: bool,
}

/// The `-o json` document of a cutover.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    plan: &'a CutoverPlan,
    /// `dry_run`, `unchanged`, `done` or `unconfirmed`.
    outcome: &'a str,
    /// Why it is unconfirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    /// Points it back at `before`.
    rollback: String,
}

/// `apim-dr cutover`.
///
/// # Errors
/// [`CliError`]: exit 2 for bad input, read-only mode and a missing `--yes`; exit 1 when the
/// name is served nowhere visible, the record changed in between, or a call failed.
pub async fn run(engine: &Engine, output: Output, flags: &CutoverArgs) -> CmdResult {
    let hostname = parse_host("--hostname", &flags.hostname).map_err(CliError::usage)?;
    let to = match (flags.to.as_deref(), flags.to_target.as_deref()) {
        (Some(s), None) => CutoverTo::Service(resolve::service(engine.client(), "--to", s).await?),
        (None, Some(h)) => {
            CutoverTo::Target(parse_host("--to-target", h).map_err(CliError::usage)?)
        }
        _ => {
            return Err(CliError::usage(UserError::new(
                "cutover needs exactly one of --to SERVICE and --to-target HOST",
            )));
        }
    };
    if engine.read_only() && !flags.dry_run {
        return Err(CliError::usage(
            UserError::new("read-only mode: traffic cutover is disabled")
                .with_hint("--dry-run shows the change without making it"),
        ));
    }
    let ask = CutoverAsk {
        hostname,
        to,
        endpoint: flags.endpoint.clone(),
    };
    let ready = engine
        .plan_cutover(&ask)
        .await
        .map_err(|e| CliError::from(&e))?;
    let plan = &ready.plan;
    if matches!(plan.place, CutoverPlace::DnsCname { .. })
        && plan
            .before
            .to_ascii_lowercase()
            .ends_with(".trafficmanager.net")
    {
        warning(
            output != Output::Text,
            &format!(
                "{} points at the Traffic Manager profile {}, which you cannot see: changing the record bypasses it (its endpoint is what fails over)",
                plan.hostname, plan.before
            ),
        );
    }
    if !flags.dry_run && !flags.yes && !plan.is_noop() {
        if output == Output::Text {
            show(output, plan, None, None);
        }
        return Err(CliError::usage(UserError::new(format!(
            "cutover points {} at {} (was {}); add --yes to confirm, or --dry-run to only look",
            plan.hostname, plan.after, plan.before
        ))));
    }
    let (outcome, reason, code) = if plan.is_noop() {
        ("unchanged", None, ExitCode::Ok)
    } else if flags.dry_run {
        ("dry_run", None, ExitCode::Ok)
    } else {
        match engine
            .apply_cutover(&ready)
            .await
            .map_err(|e| CliError::from(&e))?
        {
            CutoverEnd::Done => ("done", None, ExitCode::Ok),
            CutoverEnd::Unconfirmed(why) => ("unconfirmed", Some(why), ExitCode::Unconfirmed),
        }
    };
    show(output, plan, Some(outcome), reason.as_deref());
    Ok(code)
}

/// Prints the plan and, when there is one, how it ended.
fn show(output: Output, plan: &CutoverPlan, outcome: Option<&str>, reason: Option<&str>) {
    let mut out = std::io::stdout().lock();
    let rollback = plan.rollback_command();
    if let Some(outcome) = outcome.filter(|_| output != Output::Text) {
        let shown = Shown {
            plan,
            outcome,
            reason,
            rollback,
        };
        let _ = json(&mut out, &shown);
        return;
    }
    let via = plan
        .service
        .as_deref()
        .and_then(|id| id.rsplit('/').next())
        .map(|n| format!("   (the gateway of {n})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} is served by {}",
        plan.hostname,
        plan.place.describe()
    );
    let _ = writeln!(out, "  before: {}", plan.before);
    let _ = writeln!(out, "  after:  {}{via}", plan.after);
    let line = match (outcome, reason) {
        (Some("unchanged"), _) => format!("it already points at {}: nothing to change", plan.after),
        (Some("dry_run"), _) => "dry run: nothing was changed".to_owned(),
        (Some("done"), _) => format!(
            "done: {} now points at {} (logged in cutover.jsonl beside the journal)",
            plan.hostname, plan.after
        ),
        (Some(_), Some(why)) => format!("unconfirmed: {why}"),
        _ => return,
    };
    let _ = writeln!(out, "{line}");
    if outcome != Some("unchanged") {
        let _ = writeln!(out, "rollback: {rollback}");
    }
}
