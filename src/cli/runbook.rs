//! `apim-dr runbook --backup … --target …`: the commands an operator would type to run a
//! restore by hand (pre-flight reads, the storage key, the POST with its body, polling the
//! operation URL, the final read), commented, for teams that keep a paper runbook or must run
//! without this tool. Text prints a bash script; `-o json` prints
//! `{backup, target, api_version, steps: [{id, title, comment, commands}]}`. Secrets are shell
//! variables, never values. Reads nothing from Azure unless `--target` is a bare name (then
//! the services are listed to find it). The builder is `domain/runbook.rs`.

use std::io::Write;

use super::exit::{CliError, CmdResult, ExitCode};
use super::listing::access_type;
use super::output::json;
use super::resolve;
use super::{AccessArgs, Output};
use crate::azure::AzureClient;
use crate::domain::error::UserError;
use crate::domain::names::BackupRef;
use crate::domain::operation::RestorePlan;
use crate::domain::runbook::Runbook;

/// `apim-dr runbook`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct RunbookArgs {
    /// The backup: ACCOUNT/CONTAINER/BLOB.
    #[arg(long, value_name = "ACCOUNT/CONTAINER/BLOB")]
    pub backup: String,
    /// The target service: its full ARM resource id, or its name when no other visible
    /// service has it.
    #[arg(long, value_name = "SERVICE")]
    pub target: String,
    /// How APIM would reach storage.
    #[command(flatten)]
    pub access: AccessArgs,
}

/// `apim-dr runbook`.
///
/// # Errors
/// [`CliError`] for bad input, or when a target given by name cannot be looked up.
pub async fn run(client: &AzureClient, output: Output, args: &RunbookArgs) -> CmdResult {
    let backup = BackupRef::parse(&args.backup)?;
    resolve::service_shape("--target", &args.target)?;
    let access = access_type(&args.access)?;
    let plan = RestorePlan {
        backup,
        target: resolve::service(client, "--target", &args.target).await?,
        access,
        began: None,
    };
    let options = client.options();
    let book = Runbook::restore(&plan, options.arm_endpoint.as_str(), &options.api_version);
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(&mut out, &book),
        Output::Text => out.write_all(book.shell().as_bytes()),
    }
    .map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(ExitCode::Ok)
}
