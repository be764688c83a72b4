//! `apim-dr drill --service S --to T --account A --container C --yes`: the quarterly DR test
//! auditors ask for, without touching traffic: a fresh backup of S, its restore into the
//! standby T (journaled, watched, verified, its report saved, exactly like `backup` then
//! `restore`), then the verification read once more for the drill's verdict.

use time::OffsetDateTime;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::jsonl;
use super::verify::exit_code;
use super::{AccessArgs, Output, operations, resolve};
use crate::domain::backup::default_blob_name;
use crate::domain::error::UserError;
use crate::domain::names::{BackupRef, BlobName, ContainerName, StorageAccountName};
use crate::domain::verification::{summary, verified};
use crate::engine::{Engine, EngineError};

/// `apim-dr drill`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct DrillArgs {
    /// The service to back up: its full ARM resource id, or its name when no other visible
    /// service has it. It is only read.
    #[arg(long, value_name = "SERVICE")]
    pub service: String,
    /// The standby to restore into (its configuration is overwritten): id or unique name.
    #[arg(long, value_name = "SERVICE")]
    pub to: String,
    /// Storage account for the drill's backup.
    #[arg(long, value_name = "NAME")]
    pub account: String,
    /// Container (created if missing).
    #[arg(long, value_name = "NAME")]
    pub container: String,
    /// How APIM reaches storage.
    #[command(flatten)]
    pub access: AccessArgs,
    /// Confirm: the restore overwrites --to's configuration.
    #[arg(long)]
    pub yes: bool,
}

/// `apim-dr drill`: exit 0 when the standby was restored and verified, 1 when a step failed
/// or a check fails, 3 when a step is unconfirmed or only warnings remain.
///
/// # Errors
/// [`CliError`] for bad input and refusals (read-only, no `--yes`, the service as its own
/// standby).
pub async fn run(engine: &Engine, output: Output, args: &DrillArgs) -> CmdResult {
    resolve::service_shape("--service", &args.service)?;
    resolve::service_shape("--to", &args.to)?;
    let account = StorageAccountName::parse(&args.account)?;
    let container = ContainerName::parse(&args.container)?;
    if engine.read_only() {
        return Err(CliError::from(&EngineError::ReadOnly));
    }
    let source = resolve::service(engine.client(), "--service", &args.service).await?;
    let target = resolve::service(engine.client(), "--to", &args.to).await?;
    if source == target {
        return Err(CliError::usage(UserError::new(format!(
            "--to is {} itself: a drill restores into a standby, never into the service it backs up",
            source.name
        ))));
    }
    if !args.yes {
        return Err(CliError::usage(UserError::new(format!(
            "the drill backs up {} and restores it into {}, overwriting {}'s configuration; add --yes to confirm",
            source.name, target.name, target.name
        ))));
    }
    let blob = BlobName::parse(&default_blob_name(
        source.name.as_str(),
        OffsetDateTime::now_utc(),
    ))?;
    let backup = BackupRef {
        account,
        container,
        blob,
    };
    let (source_id, target_id) = (source.to_string(), target.to_string());
    let backed_up = Box::pin(operations::backup(
        engine,
        output,
        &source_id,
        backup.account.as_str(),
        backup.container.as_str(),
        Some(backup.blob.as_str()),
        false,
        &args.access,
        false,
    ))
    .await?;
    if backed_up != ExitCode::Ok {
        eprintln!(
            "drill stopped: the backup of {} did not succeed",
            source.name
        );
        return Ok(backed_up);
    }
    let restored = Box::pin(operations::restore(
        engine,
        output,
        (&backup.to_string(), &target_id),
        true,
        None,
        &args.access,
        false,
    ))
    .await?;
    if restored != ExitCode::Ok {
        eprintln!(
            "drill stopped: the restore into {} did not succeed",
            target.name
        );
        return Ok(restored);
    }
    let v = engine.verify(&target, Some(&backup)).await;
    let code = exit_code(&v.verdict);
    match output {
        Output::Json | Output::Jsonl => jsonl(
            &mut std::io::stdout().lock(),
            &serde_json::json!({
                "drill": {
                    "service": source_id,
                    "target": target_id,
                    "backup": backup.to_string(),
                    "verified": verified(&v.verdict),
                    "checks": v.verdict.checks,
                    "catalog_note": v.catalog_note,
                }
            }),
        )
        .map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?,
        Output::Text => println!(
            "drill of {} into {}: backed up, restored, {} (backup {backup}; `apim-dr operations` lists both, `apim-dr report ID` shows each)",
            source.name,
            target.name,
            summary(&v.verdict)
        ),
    }
    Ok(code)
}
