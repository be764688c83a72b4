//! `apim-dr rpo`: per service, its newest restorable backup, its age and expiry, whether it
//! is stored off the service's region, and the verdict against the recovery point objective
//! (`--rpo-hours`, else `rpo_hours` in config.toml, else 24). One walk of the discovery
//! engine; the rules are `domain/rpo.rs`. Exit 0 when every service is within the objective,
//! 1 when one is not, 3 when part of the estate could not be read and a verdict hangs on it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::Output;
use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, jsonl, table, warning};
use crate::domain::backup::infer;
use crate::domain::duration::short;
use crate::domain::error::UserError;
use crate::domain::refusal;
use crate::domain::rpo::{
    Candidate, RpoRow, RpoVerdict, Seen, all_within, any_unconfirmed, assess,
};
use crate::engine::Engine;
use crate::engine::discovery::{Estate, Scope};
use crate::journal::backup_facts;

/// `apim-dr rpo`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct RpoArgs {
    /// The recovery point objective in hours (default: `rpo_hours` in config.toml, else 24).
    #[arg(
        long,
        value_name = "HOURS",
        value_parser = super::bounds::whole(crate::config::RPO_HOURS, "hours")
    )]
    pub rpo_hours: Option<u64>,
    /// Only the services of this subscription (GUID); backups are looked for in every one.
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,
}

/// One service in `rpo -o json`.
#[derive(Debug, Serialize)]
pub struct RpoLine<'a> {
    /// Service name.
    pub service: &'a str,
    /// Its ARM id.
    pub service_id: Cow<'a, str>,
    /// Its tier.
    pub tier: &'a str,
    /// Its primary region.
    pub region: &'a str,
    /// Its newest restorable backup, `ACCOUNT/CONTAINER/BLOB`.
    pub backup: Option<String>,
    /// That backup's age in seconds.
    pub age_seconds: Option<i64>,
    /// When Azure stops accepting it.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires: Option<OffsetDateTime>,
    /// Less than five days left.
    pub expiring_soon: bool,
    /// Stored outside the service's region (`false`: ⚠ lost with the region; `null`: unknown).
    pub off_region: Option<bool>,
    /// True when the backup was matched to the service by inference (name, journal).
    pub inferred: bool,
    /// `within`, `exceeded`, `no_backup`, `unconfirmed` or `not_applicable`.
    pub verdict: RpoVerdict,
    /// Why a tier is not applicable.
    pub reason: Option<String>,
}

impl<'a> RpoLine<'a> {
    fn new(r: &RpoRow<'a>) -> Self {
        let s = r.service;
        Self {
            service: &s.name,
            service_id: s.id(),
            tier: s.sku.as_str(),
            region: &s.location,
            backup: r
                .newest
                .map(crate::domain::backup::BackupEntry::display_ref),
            age_seconds: r.age.map(Duration::whole_seconds),
            expires: r.expires,
            expiring_soon: r.expiring_soon,
            off_region: r.off_region,
            inferred: r.inferred,
            verdict: r.verdict,
            reason: refusal::tier(&s.sku),
        }
    }
}

/// The summary `rpo -o json` wraps the rows in (and `-o jsonl` ends with).
#[derive(Debug, Serialize)]
struct Summary {
    rpo_hours: u64,
    services: usize,
    within: usize,
    failing: usize,
    not_applicable: usize,
    complete: bool,
    all_within: bool,
}

fn io(e: &std::io::Error) -> CliError {
    CliError::failed(UserError::new(format!("cannot write output: {e}")))
}

fn text(out: &mut impl Write, rows: &[RpoRow<'_>], now: OffsetDateTime) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let s = r.service;
            let applies = r.verdict != RpoVerdict::NotApplicable;
            let place = match (applies, r.off_region) {
                (false, _) | (true, None) if r.newest.is_none() => String::new(),
                (_, Some(true)) => "off-region".to_owned(),
                (_, Some(false)) => "⚠ same region".to_owned(),
                (_, None) => "?".to_owned(),
            };
            let expires = match r.expires {
                Some(t) if r.expiring_soon => format!("⚠ {}", short(t - now)),
                Some(t) => short(t - now),
                None => String::new(),
            };
            let inferred = if r.inferred { "*" } else { "" };
            vec![
                s.name.clone(),
                s.sku.to_string(),
                s.location.to_string(),
                r.newest.map_or_else(
                    || "-".to_owned(),
                    |b| format!("{}{inferred}", b.display_ref()),
                ),
                r.age.map_or_else(String::new, short),
                expires,
                place,
                r.verdict.word().to_owned(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "SERVICE",
            "TIER",
            "REGION",
            "NEWEST BACKUP",
            "AGE",
            "EXPIRES IN",
            "STORED",
            "RPO",
        ],
        &cells,
    )?;
    if rows.iter().any(|r| r.inferred) {
        writeln!(
            out,
            "* matched to the service by its blob name or the journal (the blob carries no catalog)"
        )?;
    }
    Ok(())
}

/// `apim-dr rpo`: the objective from `--rpo-hours`, else `configured` (config.toml's or 24).
///
/// # Errors
/// [`CliError`] for a bad subscription filter, or when nothing could be listed.
pub async fn run(engine: &Engine, output: Output, args: &RpoArgs, configured: u64) -> CmdResult {
    let rpo_hours = args.rpo_hours.unwrap_or(configured);
    let only = super::resolve::optional_subscription(engine.client(), args.subscription.as_deref())
        .await?;
    // Backups of a service may be stored in any subscription: every storage account is
    // walked, and `--subscription` picks the services only.
    let scope = Scope::everything();
    let journal = match engine.operations().await {
        Ok(ops) => backup_facts(&ops, engine.endpoint()),
        Err(_) => BTreeMap::new(),
    };
    let estate = Estate::collect(engine.client(), scope).await;
    let json_mode = output != Output::Text;
    if estate.services.is_empty()
        && let Some(f) = estate.failures.first()
    {
        return Err(CliError::api(&f.what, &f.error));
    }
    for f in &estate.failures {
        warning(json_mode, &format!("{}: {}", f.what, f.error));
    }
    let services: Vec<_> = estate
        .services
        .iter()
        .filter(|s| {
            only.as_ref()
                .is_none_or(|id| s.subscription_id.eq_ignore_ascii_case(id.as_str()))
        })
        .cloned()
        .collect();
    let seen = Seen {
        services: &services,
        backups: estate
            .backups
            .iter()
            .map(|entry| Candidate {
                entry,
                view: infer(entry, journal.get(&entry.display_ref())),
            })
            .collect(),
        account_regions: estate
            .storage_accounts
            .iter()
            .map(|a| (a.name.clone(), a.location.clone()))
            .collect(),
        complete: estate.failures.is_empty(),
    };
    let now = OffsetDateTime::now_utc();
    let hours = i64::try_from(rpo_hours).unwrap_or(i64::MAX);
    let rows = assess(&seen, Duration::hours(hours), now);
    let lines: Vec<RpoLine<'_>> = rows.iter().map(RpoLine::new).collect();
    let count = |v: RpoVerdict| rows.iter().filter(|r| r.verdict == v).count();
    let summary = Summary {
        rpo_hours,
        services: rows.len(),
        within: count(RpoVerdict::Within),
        failing: rows.iter().filter(|r| r.verdict.fails()).count(),
        not_applicable: count(RpoVerdict::NotApplicable),
        complete: seen.complete,
        all_within: all_within(&rows) && !any_unconfirmed(&rows),
    };
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => json(
            &mut out,
            &serde_json::json!({ "summary": summary, "services": lines }),
        ),
        Output::Jsonl => lines
            .iter()
            .try_for_each(|l| jsonl(&mut out, l))
            .and_then(|()| jsonl(&mut out, &serde_json::json!({ "summary": summary }))),
        Output::Text => text(&mut out, &rows, now).and_then(|()| {
            writeln!(
                out,
                "{} of {} services within the {rpo_hours} h RPO; {} past it or without a backup; {} not applicable (tier){}",
                summary.within,
                summary.services,
                summary.failing,
                summary.not_applicable,
                if summary.complete { "" } else { "; part of the estate could not be read" },
            )
        }),
    }
    .map_err(|e| io(&e))?;
    Ok(if !all_within(&rows) {
        ExitCode::Failed
    } else if any_unconfirmed(&rows) {
        ExitCode::Unconfirmed
    } else {
        ExitCode::Ok
    })
}
