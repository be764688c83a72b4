//! `apim-dr preflight`: the checklist of a restore (`--backup … --target …`) or of a backup
//! (`--service … --account … --container … [--name …]`), without changing anything. Text
//! prints one check per line with its fix; `-o json` prints
//! `{kind, service, backup, allowed, verdict, checks: [{id, status, title, reason, fix}]}`.
//! Exit 0 when nothing fails (warnings included), 1 when a check fails (`cli/exit.rs`).

use std::io::Write;

use time::OffsetDateTime;

use super::exit::{CliError, CmdResult, ExitCode};
use super::listing::access_type;
use super::output::json;
use super::resolve;
use super::{Output, PreflightArgs};
use crate::azure::AzureClient;
use crate::domain::backup::default_blob_name;
use crate::domain::error::UserError;
use crate::domain::names::{BlobName, NameError, StorageAccountName};
use crate::domain::operation::PostKind;
use crate::domain::preflight::{Level, Verdict};
use crate::domain::sku::SkuName;
use crate::engine::preflight::{PreflightAsk, run as gather};

/// `ACCOUNT/CONTAINER/BLOB` with the container left unvalidated: its name is a check.
fn split_backup(s: &str) -> Result<(StorageAccountName, String, BlobName), NameError> {
    let mut it = s.splitn(3, '/');
    match (it.next(), it.next(), it.next()) {
        (Some(a), Some(c), Some(b)) if !b.is_empty() => Ok((
            StorageAccountName::parse(a)?,
            c.to_owned(),
            BlobName::parse(b)?,
        )),
        _ => Err(NameError::new(
            "backup",
            s,
            "must look like ACCOUNT/CONTAINER/BLOB",
        )),
    }
}

fn usage(text: &str) -> CliError {
    CliError::usage(UserError::new(text.to_owned()).with_hint(
        "restore: --backup ACCOUNT/CONTAINER/BLOB --target SERVICE; backup: --service SERVICE --account NAME --container NAME [--name BLOB] (SERVICE: full ARM id or unique name)",
    ))
}

/// What the arguments ask to check: every argument is checked locally first; a service given
/// by name is then looked up.
async fn ask(client: &AzureClient, args: &PreflightArgs) -> Result<PreflightAsk, CliError> {
    let access = access_type(&args.access)?;
    let confirmed_tier = args.confirm_tier.as_deref().map(SkuName::new);
    match (&args.backup, &args.target, &args.service) {
        (Some(backup), Some(target), None) => {
            if args.account.is_some() || args.container.is_some() || args.name.is_some() {
                return Err(usage(
                    "--account, --container and --name belong to a backup's pre-flight (--service), not a restore's",
                ));
            }
            let (account, container, blob) = split_backup(backup)?;
            resolve::service_shape("--target", target)?;
            Ok(PreflightAsk {
                kind: PostKind::Restore,
                service: resolve::service(client, "--target", target).await?,
                account,
                container,
                blob,
                access,
                confirmed_tier,
                overwrite: false,
            })
        }
        (None, None, Some(service)) => {
            let (Some(account), Some(container)) = (&args.account, &args.container) else {
                return Err(usage(
                    "a backup's pre-flight needs --account and --container with --service",
                ));
            };
            let named = resolve::service_shape("--service", service)?;
            let name = named
                .as_ref()
                .map_or(service.as_str(), |id| id.name.as_str());
            let blob = match &args.name {
                Some(n) => BlobName::parse(n)?,
                None => BlobName::parse(&default_blob_name(name, OffsetDateTime::now_utc()))?,
            };
            let account = StorageAccountName::parse(account)?;
            Ok(PreflightAsk {
                kind: PostKind::Backup,
                service: resolve::service(client, "--service", service).await?,
                account,
                container: container.clone(),
                blob,
                access,
                confirmed_tier,
                overwrite: args.overwrite,
            })
        }
        _ => Err(usage(
            "give either --backup and --target (a restore) or --service, --account and --container (a backup)",
        )),
    }
}

/// `apim-dr preflight`.
///
/// # Errors
/// [`CliError`] for bad input or ARM that cannot be read.
pub async fn run(client: &AzureClient, output: Output, args: &PreflightArgs) -> CmdResult {
    let ask = ask(client, args).await?;
    let report = gather(client, &ask, false)
        .await
        .map_err(|e| CliError::api("pre-flight", &e))?;
    let v = &report.verdict;
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(
            &mut out,
            &serde_json::json!({
                "kind": ask.kind,
                "service": ask.service,
                "backup": format!("{}/{}/{}", ask.account, ask.container, ask.blob),
                "allowed": v.allows_restore(),
                "verdict": v.worst(),
                "checks": v.checks,
            }),
        ),
        Output::Text => print_verdict(&mut out, v),
    }
    .map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(if v.allows_restore() {
        ExitCode::Ok
    } else {
        ExitCode::Failed
    })
}

/// Prints a checklist: one check per line, its fix below it, then the verdict.
pub fn print_verdict(out: &mut impl Write, v: &Verdict) -> std::io::Result<()> {
    for c in &v.checks {
        writeln!(out, "{} {}: {}", c.level.symbol(), c.title, c.reason)?;
        if let Some(fix) = &c.fix {
            writeln!(out, "    fix: {fix}")?;
        }
    }
    let summary = match v.worst() {
        Level::Block => "blocked: nothing will be sent",
        Level::Warn => "allowed, with warnings",
        Level::Pass => "all clear",
    };
    writeln!(out, "verdict: {summary}")
}
