//! `apim-dr backup`: one service (`--service`, `cli/operations.rs`), or every classic-tier
//! service the walk finds (`--all`, filtered by `--subscription`, `--region`, `--tag K=V`),
//! each to `{service}/{yyyyMMddTHHmmssZ}.apimbackup` in the account and container its tags
//! name (`apim-dr-backup-account`, `apim-dr-backup-container`) or the flags give, at most
//! `--parallel N` at once. Each item is prepared, journaled and watched exactly like a
//! single backup; Consumption and v2 services are skipped with the reason. One summary at the
//! end, and one batch report in the reports dir (`domain/batch_report.rs`); exit 1 if any
//! failed, else 3 if any is unconfirmed, else 0.

use std::io::Write;
use std::ops::RangeInclusive;

use futures::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::batch::{ended, ended_line};
use super::exit::{CliError, CmdResult, ExitCode};
use super::listing::access_type;
use super::output::{json, jsonl, table, warning};
use super::{AccessArgs, Output, bounds, operations};
use crate::domain::backup::default_blob_name;
use crate::domain::batch_report::{BatchReport, backup_place};
use crate::domain::error::UserError;
use crate::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use crate::domain::operation::{AccessType, BackupPlan};
use crate::domain::refusal;
use crate::domain::region::same_region;
use crate::domain::service::ServiceSummary;
use crate::engine::Engine;
use crate::engine::discovery::{Estate, Scope};

/// How many backups `--all` runs at once.
pub const PARALLEL: RangeInclusive<usize> = 1..=16;

/// `apim-dr backup`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BackupArgs {
    /// The service's full ARM resource id.
    #[arg(long, value_name = "SERVICE_ID", required_unless_present = "all")]
    pub service: Option<String>,
    /// Every classic-tier service (Developer, Basic, Standard, Premium) you can see, or those
    /// the filters below keep; Consumption and v2 services are skipped with the reason.
    #[arg(long, conflicts_with_all = ["service", "name", "no_wait"])]
    pub all: bool,
    /// With --all: only the services of this subscription (GUID).
    #[arg(long, value_name = "ID", requires = "all")]
    pub subscription: Option<String>,
    /// With --all: only the services whose primary region is this one.
    #[arg(long, value_name = "NAME", requires = "all")]
    pub region: Option<String>,
    /// With --all: only the services with this tag (repeat: all must match).
    #[arg(long, value_name = "K=V", requires = "all")]
    pub tag: Vec<String>,
    /// With --all: backups running at once.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        requires = "all",
        value_parser = bounds::whole(PARALLEL, "backups")
    )]
    pub parallel: usize,
    /// Storage account name (with --all: for the services without an
    /// `apim-dr-backup-account` tag).
    #[arg(long, value_name = "NAME", required_unless_present = "all")]
    pub account: Option<String>,
    /// Container, created if missing (with --all: for the services without an
    /// `apim-dr-backup-container` tag).
    #[arg(long, value_name = "NAME", required_unless_present = "all")]
    pub container: Option<String>,
    /// Blob name (default: {service}/{UTC time}.apimbackup).
    #[arg(long, value_name = "BLOB")]
    pub name: Option<String>,
    /// Replace the blob if it exists (without it, an existing blob is refused: it may be
    /// the last good backup).
    #[arg(long)]
    pub overwrite: bool,
    /// How APIM reaches storage.
    #[command(flatten)]
    pub access: AccessArgs,
    /// Return once Azure accepted it; `apim-dr operations watch ID` follows it later.
    #[arg(long)]
    pub no_wait: bool,
}

pub use crate::domain::batch_report::{Item, ItemStatus};

/// `apim-dr backup`: one service, or `--all`.
///
/// # Errors
/// [`CliError`] for bad input, refusals and failed calls.
pub async fn run(engine: &Engine, output: Output, args: &BackupArgs) -> CmdResult {
    match (&args.service, &args.account, &args.container, args.all) {
        (Some(service), Some(account), Some(container), false) => {
            Box::pin(operations::backup(
                engine,
                output,
                service,
                account,
                container,
                args.name.as_deref(),
                args.overwrite,
                &args.access,
                args.no_wait,
            ))
            .await
        }
        _ => Box::pin(all(engine, output, args)).await,
    }
}

/// The `--tag K=V` filters, checked before anything is sent.
fn tags(args: &BackupArgs) -> Result<Vec<(String, String)>, CliError> {
    args.tag
        .iter()
        .map(|t| match t.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
            _ => Err(CliError::usage(UserError::new(format!(
                "--tag {t}: expected KEY=VALUE"
            )))),
        })
        .collect()
}

/// True when `s` passes `--region` and every `--tag` (keys match case-insensitively, as
/// Azure's tag names do; values exactly).
fn selected(s: &ServiceSummary, region: Option<&str>, tags: &[(String, String)]) -> bool {
    region.is_none_or(|r| same_region(r, &s.location))
        && tags.iter().all(|(k, v)| {
            s.tags()
                .iter()
                .any(|(sk, sv)| sk.eq_ignore_ascii_case(k) && sv == v)
        })
}

async fn all(engine: &Engine, output: Output, args: &BackupArgs) -> CmdResult {
    let started = OffsetDateTime::now_utc();
    let tags = tags(args)?;
    // Checked before anything is sent, even when every service's tags name their own.
    if let Some(a) = &args.account {
        StorageAccountName::parse(a)?;
    }
    if let Some(c) = &args.container {
        ContainerName::parse(c)?;
    }
    let access = access_type(&args.access)?;
    let subscription =
        super::resolve::optional_subscription(engine.client(), args.subscription.as_deref())
            .await?;
    let scope = Scope {
        subscription,
        services: true,
        ..Scope::default()
    };
    let estate = Estate::collect(engine.client(), scope).await;
    let json_mode = output != Output::Text;
    for f in &estate.failures {
        warning(
            json_mode,
            &format!("{}: {} (its services are not backed up)", f.what, f.error),
        );
    }
    let mut services: Vec<ServiceSummary> = estate
        .services
        .into_iter()
        .filter(|s| selected(s, args.region.as_deref(), &tags))
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let common = Common {
        engine,
        account: args.account.as_deref(),
        container: args.container.as_deref(),
        access: &access,
        overwrite: args.overwrite,
    };
    let mut items: Vec<Item> = futures::stream::iter(services.iter())
        .map(|s| one(&common, s, output))
        .buffer_unordered(args.parallel)
        .collect()
        .await;
    items.sort_by(|a, b| a.service.cmp(&b.service));
    let batch = BatchReport {
        title: "backup --all".to_owned(),
        id: BatchReport::id_for(started),
        started,
        ended: OffsetDateTime::now_utc(),
        filters: filters(args),
        listing_failures: estate
            .failures
            .iter()
            .map(|f| format!("{}: {}", f.what, f.error))
            .collect(),
        items: items.clone(),
    };
    super::report::after_batch(engine, json_mode, &batch);
    let count = |st: ItemStatus| items.iter().filter(|i| i.status == st).count();
    let summary = serde_json::json!({
        "services": items.len(),
        "succeeded": count(ItemStatus::Succeeded),
        "failed": count(ItemStatus::Failed),
        "unconfirmed": count(ItemStatus::Unconfirmed),
        "skipped": count(ItemStatus::Skipped),
        "listing_failures": estate.failures.len(),
        "report": batch.id,
    });
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => json(
            &mut out,
            &serde_json::json!({ "summary": summary, "items": items }),
        ),
        Output::Jsonl => jsonl(&mut out, &serde_json::json!({ "summary": summary })),
        Output::Text => text(&mut out, &items),
    }
    .map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(
        if count(ItemStatus::Failed) > 0 || !estate.failures.is_empty() {
            ExitCode::Failed
        } else if count(ItemStatus::Unconfirmed) > 0 {
            ExitCode::Unconfirmed
        } else {
            ExitCode::Ok
        },
    )
}

fn text(out: &mut impl Write, items: &[Item]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.service.clone(),
                i.tier.clone(),
                i.status.word().to_owned(),
                i.backup.clone().unwrap_or_default(),
                i.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(out, &["SERVICE", "TIER", "RESULT", "BACKUP", "WHY"], &rows)?;
    let n = |st: ItemStatus| items.iter().filter(|i| i.status == st).count();
    writeln!(
        out,
        "{} backed up, {} failed, {} unconfirmed, {} skipped",
        n(ItemStatus::Succeeded),
        n(ItemStatus::Failed),
        n(ItemStatus::Unconfirmed),
        n(ItemStatus::Skipped)
    )
}

/// The filters as given, for the batch report.
fn filters(args: &BackupArgs) -> Vec<String> {
    let mut f = Vec::new();
    if let Some(s) = &args.subscription {
        f.push(format!("--subscription {s}"));
    }
    if let Some(r) = &args.region {
        f.push(format!("--region {r}"));
    }
    f.extend(args.tag.iter().map(|t| format!("--tag {t}")));
    f
}

/// What every item of the batch shares: the flags' account and container, for the services
/// whose tags name none.
struct Common<'a> {
    engine: &'a Engine,
    account: Option<&'a str>,
    container: Option<&'a str>,
    access: &'a AccessType,
    overwrite: bool,
}

/// Backs up one service like `backup --service` (pre-flight, journal, POST, watch, catalog),
/// printing one line when it ends (`-o jsonl`: the item).
async fn one(c: &Common<'_>, s: &ServiceSummary, output: Output) -> Item {
    let mut item = Item {
        service: s.name.clone(),
        service_id: s.id().into_owned(),
        tier: s.sku.to_string(),
        status: ItemStatus::Skipped,
        backup: None,
        operation_id: None,
        reason: None,
        target: None,
        verified: None,
    };
    match refusal::tier(&s.sku) {
        None => Box::pin(run_one(c, s, &mut item)).await,
        Some(why) => item.reason = Some(why),
    }
    ended_line(
        output,
        &item,
        (&item.service, item.status, item.reason.as_deref()),
    );
    item
}

async fn run_one(c: &Common<'_>, s: &ServiceSummary, item: &mut Item) {
    let (account, container) = match backup_place(s.tags(), c.account, c.container) {
        Ok(place) => place,
        Err(why) => {
            item.status = ItemStatus::Failed;
            item.reason = Some(why);
            return;
        }
    };
    let plan = match (
        ServiceId::parse(&s.id()),
        BlobName::parse(&default_blob_name(&s.name, OffsetDateTime::now_utc())),
        StorageAccountName::parse(&account),
        ContainerName::parse(&container),
    ) {
        (Ok(service), Ok(blob), Ok(account), Ok(container)) => BackupPlan {
            service,
            account,
            container,
            blob,
            access: c.access.clone(),
            overwrite: c.overwrite,
        },
        (Err(e), ..) | (_, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
            item.status = ItemStatus::Failed;
            item.reason = Some(e.to_string());
            return;
        }
    };
    item.backup = Some(plan.destination().to_string());
    let prepared = match c.engine.prepare_backup(&plan).await {
        Ok((p, _notes)) => p,
        Err(e) => {
            item.status = ItemStatus::Failed;
            item.reason = Some(CliError::from(&e).error.to_string());
            return;
        }
    };
    item.operation_id = Some(prepared.info.id.to_string());
    // Progress is not printed per step for a batch: the journal has every step.
    let (tx, mut rx) = mpsc::channel(64);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let end = prepared.send_and_watch(tx, CancellationToken::new()).await;
    let _ = drain.await;
    let (status, reason) = ended(&end);
    item.status = status;
    item.reason = reason;
}
