//! `apim-dr prune --expired [--keep N]`: lists the backups Azure would refuse as expired (the
//! rule is `domain/backup/prune.rs`), then deletes them with `--yes`; without it, lists and
//! refuses (exit 2). Read-only mode refuses. Exit 1 when a delete failed.

use std::io::Write;

use serde::Serialize;
use time::OffsetDateTime;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, table};
use super::{Output, bounds};
use crate::domain::backup::{BackupEntry, infer, prunable};
use crate::domain::duration::short;
use crate::domain::error::UserError;
use crate::engine::Engine;
use crate::engine::discovery::{Estate, Scope};
use crate::engine::prune::BlobToDelete;
use crate::journal::backup_facts;

/// At most this many newest backups kept per service.
pub const KEEP: std::ops::RangeInclusive<usize> = 0..=1000;

/// `apim-dr prune`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct PruneArgs {
    /// Delete backups Azure would refuse as expired (30 days from the backup's own time).
    #[arg(long, required = true)]
    pub expired: bool,
    /// Never delete the N newest backups of each service, expired or not.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = bounds::whole(KEEP, "backups"))]
    pub keep: usize,
    /// Only this subscription's storage accounts (GUID).
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,
    /// Only this storage account.
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Only containers of this name.
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// Delete them (without it, the list is shown and nothing is deleted).
    #[arg(long)]
    pub yes: bool,
}

/// One blob in `prune -o json`.
#[derive(Debug, Serialize)]
struct PruneLine {
    backup: String,
    source: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    expired_at: Option<OffsetDateTime>,
    /// `listed` (no --yes), `deleted` or `failed`.
    status: &'static str,
    error: Option<String>,
}

fn io(e: &std::io::Error) -> CliError {
    CliError::failed(UserError::new(format!("cannot write output: {e}")))
}

/// `apim-dr prune`.
///
/// # Errors
/// [`CliError`]: read-only mode (exit 2), a failed listing (exit 1). Without `--yes` the
/// list is printed and the exit is 2.
pub async fn run(engine: &Engine, output: Output, args: &PruneArgs) -> CmdResult {
    if engine.read_only() {
        return Err(CliError::usage(
            UserError::new("read-only mode: prune deletes blobs and is disabled")
                .with_hint("drop --read-only (or read_only in config.toml) to delete anything"),
        ));
    }
    let scope = Scope {
        subscription: super::resolve::optional_subscription(
            engine.client(),
            args.subscription.as_deref(),
        )
        .await?,
        backups: true,
        account: args.account.clone(),
        container: args.container.clone(),
        ..Scope::default()
    };
    let estate = Estate::collect(engine.client(), scope).await;
    if let Some(f) = estate.failures.first() {
        return Err(CliError::api(&f.what, &f.error));
    }
    let journal = match engine.operations().await {
        Ok(ops) => backup_facts(&ops, engine.endpoint()),
        Err(_) => std::collections::BTreeMap::new(),
    };
    let now = OffsetDateTime::now_utc();
    let views: Vec<_> = estate
        .backups
        .iter()
        .map(|b| (b, infer(b, journal.get(&b.display_ref()))))
        .collect();
    let doomed: Vec<&BackupEntry> = prunable(&views, args.keep, now);
    let source = |b: &BackupEntry| {
        views
            .iter()
            .find(|(v, _)| std::ptr::eq(*v, b))
            .and_then(|(_, i)| i.catalog.source_service_name().map(str::to_owned))
    };
    let mut lines: Vec<PruneLine> = doomed
        .iter()
        .map(|b| PruneLine {
            backup: b.display_ref(),
            source: source(b),
            expired_at: b.expires(),
            status: "listed",
            error: None,
        })
        .collect();
    if args.yes {
        for (line, b) in lines.iter_mut().zip(&doomed) {
            let deleted = match estate.storage_accounts.iter().find(|a| a.name == b.account) {
                Some(acct) => {
                    let one = [BlobToDelete {
                        container: b.container.to_string(),
                        name: b.name.clone(),
                    }];
                    let mut results = engine.delete_backups(acct, &one).await;
                    results.pop().unwrap_or(Ok(())).map_err(|e| e.one_line())
                }
                None => Err(format!("storage account {} is no longer listed", b.account)),
            };
            match deleted {
                Ok(()) => line.status = "deleted",
                Err(e) => {
                    line.status = "failed";
                    line.error = Some(e);
                }
            }
        }
    }
    // Without --yes the list is the answer, with the refusal beside it (exit 2).
    let refusal = (!args.yes && !lines.is_empty()).then(|| {
        UserError::new(format!(
            "{} expired backup(s) listed; nothing deleted without --yes",
            lines.len()
        ))
        .with_hint("run again with --yes to delete them")
    });
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(
            &mut out,
            &serde_json::json!({ "backups": lines, "refused": refusal }),
        ),
        Output::Text => text(&mut out, &lines, now),
    }
    .map_err(|e| io(&e))?;
    if let Some(r) = refusal {
        if output == Output::Text {
            eprintln!("error: {r}");
        }
        return Ok(ExitCode::Usage);
    }
    let failed = lines.iter().filter(|l| l.status == "failed").count();
    Ok(if failed > 0 {
        ExitCode::Failed
    } else {
        ExitCode::Ok
    })
}

fn text(out: &mut impl Write, lines: &[PruneLine], now: OffsetDateTime) -> std::io::Result<()> {
    if lines.is_empty() {
        return writeln!(out, "no expired backups");
    }
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.backup.clone(),
                l.source.clone().unwrap_or_else(|| "unknown".to_owned()),
                l.expired_at
                    .map_or_else(String::new, |t| format!("{} ago", short(now - t))),
                l.status.to_owned(),
                l.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        out,
        &["BACKUP", "SOURCE", "EXPIRED", "STATUS", "ERROR"],
        &rows,
    )
}
