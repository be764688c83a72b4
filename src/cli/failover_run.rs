//! `apim-dr failover --yes`: the plan printed first, then every ready restore run like
//! `apim-dr restore` (journaled, sent, watched, verified, its report saved), at most
//! `--parallel` at once; blocked items are skipped with the reason. One line per item as it
//! ends (`-o jsonl`: the item), one summary and one batch report (`domain/batch_report.rs`) at
//! the end.

use std::io::Write;

use futures::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use super::Output;
use super::batch::{ItemStatus, ended, ended_line};
use super::exit::{CliError, CmdResult, ExitCode};
use super::failover::{FailoverArgs, row, text, warn_listing_failures};
use super::output::{json, jsonl, table};
use crate::domain::backup::BackupEntry;
use crate::domain::batch_report::{BatchReport, Item};
use crate::domain::error::UserError;
use crate::domain::operation::{Began, BeganFrom};
use crate::domain::progress::ProgressUpdate;
use crate::domain::verification::verified;
use crate::engine::failover::PlannedItem;
use crate::engine::{Engine, EngineError};

/// `apim-dr failover --yes`.
///
/// # Errors
/// [`CliError`] in read-only mode, or when the output cannot be written.
pub async fn run(engine: &Engine, output: Output, args: &FailoverArgs) -> CmdResult {
    if engine.read_only() {
        return Err(CliError::from(&EngineError::ReadOnly));
    }
    let (lost, to) = (args.region.as_str(), args.to.as_str());
    let started = OffsetDateTime::now_utc();
    let began = Began {
        at: started,
        from: BeganFrom::Command,
    };
    let full = engine.plan_failover(lost, to, Some(began)).await;
    let json_mode = output != Output::Text;
    warn_listing_failures(&full, json_mode);
    let plan = &full.items;
    let write_failed =
        |e: std::io::Error| CliError::failed(UserError::new(format!("cannot write output: {e}")));
    if output == Output::Text {
        text(&mut std::io::stdout().lock(), plan, (lost, to)).map_err(write_failed)?;
    }
    let items: Vec<Item> = futures::stream::iter(plan.iter())
        .map(|p| one(engine, p, output))
        .buffered(args.parallel)
        .collect()
        .await;
    let batch = BatchReport {
        title: format!("failover {lost} → {to}"),
        id: BatchReport::id_for(started),
        started,
        ended: OffsetDateTime::now_utc(),
        filters: vec![format!("--region {lost}"), format!("--to {to}")],
        listing_failures: full.listing_failures.clone(),
        items: items.clone(),
    };
    super::report::after_batch(engine, json_mode, &batch);
    let count = |st: ItemStatus| items.iter().filter(|i| i.status == st).count();
    let unverified = items.iter().filter(|i| i.verified == Some(false)).count();
    let summary = serde_json::json!({
        "region": lost,
        "to": to,
        "services": items.len(),
        "succeeded": count(ItemStatus::Succeeded),
        "failed": count(ItemStatus::Failed),
        "unconfirmed": count(ItemStatus::Unconfirmed),
        "skipped": count(ItemStatus::Skipped),
        "not_needed": count(ItemStatus::NotNeeded),
        "unverified": unverified,
        "listing_failures": full.listing_failures.len(),
        "report": batch.id,
    });
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => json(
            &mut out,
            &serde_json::json!({
                "summary": summary,
                "plan": plan.iter().map(row).collect::<Vec<_>>(),
                "items": items,
            }),
        ),
        Output::Jsonl => jsonl(&mut out, &serde_json::json!({ "summary": summary })),
        Output::Text => summary_text(&mut out, &items),
    }
    .map_err(write_failed)?;
    Ok(
        if count(ItemStatus::Failed) > 0
            || count(ItemStatus::Skipped) > 0
            || !full.listing_failures.is_empty()
        {
            ExitCode::Failed
        } else if count(ItemStatus::Unconfirmed) > 0 || unverified > 0 {
            ExitCode::Unconfirmed
        } else {
            ExitCode::Ok
        },
    )
}

fn summary_text(out: &mut impl Write, items: &[Item]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.service.clone(),
                i.target.clone().unwrap_or_default(),
                i.status.word().to_owned(),
                match i.verified {
                    Some(true) => "✔".to_owned(),
                    Some(false) => "✖".to_owned(),
                    None => "-".to_owned(),
                },
                i.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        out,
        &["SERVICE", "INTO", "RESULT", "VERIFIED", "WHY"],
        &rows,
    )?;
    let n = |st: ItemStatus| items.iter().filter(|i| i.status == st).count();
    writeln!(
        out,
        "{} restored, {} failed, {} unconfirmed, {} skipped (blocked), {} need no restore, {} not verified",
        n(ItemStatus::Succeeded),
        n(ItemStatus::Failed),
        n(ItemStatus::Unconfirmed),
        n(ItemStatus::Skipped),
        n(ItemStatus::NotNeeded),
        items.iter().filter(|i| i.verified == Some(false)).count()
    )
}

/// Runs one item (or skips a blocked one), saves its report, and prints one line when it ends.
async fn one(engine: &Engine, p: &PlannedItem, output: Output) -> Item {
    let mut item = Item {
        service: p.pick.source.name.clone(),
        service_id: p.pick.source.id().into_owned(),
        tier: p.pick.source.sku.to_string(),
        status: ItemStatus::Skipped,
        backup: p.pick.backup.as_ref().map(BackupEntry::display_ref),
        operation_id: None,
        reason: p.pick.why_not.clone().or_else(|| p.preflight_error.clone()),
        target: p.pick.target.as_ref().map(|t| t.name.clone()),
        verified: None,
    };
    if let Some(note) = p.pick.not_needed_note(&p.pick.source.location) {
        item.status = ItemStatus::NotNeeded;
        item.reason = Some(note);
    } else if !p.blocked() {
        // Progress is not printed per step for a batch: the journal has every step.
        let (tx, mut rx) = mpsc::channel(64);
        let drain = tokio::spawn(async move {
            let mut verdict = None;
            while let Some(u) = rx.recv().await {
                if let ProgressUpdate::Verified(v) = u {
                    verdict = Some(v);
                }
            }
            verdict
        });
        let end = Box::pin(engine.run_planned(p, tx)).await;
        let verdict = drain.await.ok().flatten();
        match end {
            Ok(Some((id, end))) => {
                let (status, reason) = ended(&Ok(end));
                item.status = status;
                item.reason = reason;
                item.operation_id = Some(id.to_string());
                item.verified = verdict.as_ref().map(verified);
                if item.verified == Some(false) && item.reason.is_none() {
                    item.reason = Some(format!(
                        "restored, but verification did not pass: `apim-dr verify --service {}`",
                        p.pick.target.as_ref().map(|t| t.id()).unwrap_or_default()
                    ));
                }
                super::report::after(engine, output, &id).await;
            }
            Ok(None) => {}
            Err(e) => {
                item.status = ItemStatus::Failed;
                item.reason = Some(CliError::from(&e).error.to_string());
            }
        }
    } else {
        item.reason = p.blocked_reason();
    }
    ended_line(
        output,
        &item,
        (&item.service, item.status, item.reason.as_deref()),
    );
    item
}
