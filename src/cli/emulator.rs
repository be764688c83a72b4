//! `apim-dr emulator`: serve the local Azure until Ctrl-C or SIGTERM, printing where it is.

use std::io::Write;
use std::time::Duration;

use super::exit::{CliError, CmdResult, ExitCode};
use super::{EmulatorArgs, LroHeadersArg, RetryAfterArg, StorageErrorsArg, WorkspaceRefusalArg};
use crate::domain::error::UserError;
use crate::emulator::{
    Emulator, EmulatorConfig, ListPageSizes, LroHeaders, RetryAfterMode, StorageErrors,
    WorkspaceRefusal, World, parse_faults,
};

fn usage(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::usage(UserError::new(format!("{what}: {e}")))
}

/// The emulator configuration for these flags.
///
/// # Errors
/// A usage error for a bad world or fault spec (numbers are checked while parsing, in
/// [`super::bounds`]).
pub fn config(args: &EmulatorArgs) -> Result<EmulatorConfig, CliError> {
    let world = World::load(&args.world).map_err(|e| usage("--world", e))?;
    let mut c = EmulatorConfig::new(world);
    c.speed = args.speed;
    c.latency = Duration::from_millis(args.latency);
    if let Some(spec) = &args.faults {
        c.faults = parse_faults(spec).map_err(|e| usage("--faults", e))?;
    }
    c.arm_port = args.port;
    c.blob_port = args.blob_port;
    c.list_page_sizes = ListPageSizes {
        subscriptions: args.subscription_page_size,
        services: args.service_page_size,
        storage_accounts: args.storage_page_size,
    };
    c.page_size = args.page_size;
    c.blob_page_size = args.blob_page_size;
    c.lro_headers = match args.lro_headers {
        LroHeadersArg::Location => LroHeaders::Location,
        LroHeadersArg::Async => LroHeaders::AsyncOperation,
        LroHeadersArg::Both => LroHeaders::Both,
    };
    c.retry_after = match args.retry_after {
        RetryAfterArg::Seconds => RetryAfterMode::Seconds,
        RetryAfterArg::Date => RetryAfterMode::HttpDate,
        RetryAfterArg::RetryAfterMs => RetryAfterMode::RetryAfterMs,
        RetryAfterArg::XMsRetryAfterMs => RetryAfterMode::XMsRetryAfterMs,
        RetryAfterArg::Off => RetryAfterMode::Off,
    };
    c.storage_errors = match args.storage_errors {
        StorageErrorsArg::Post => StorageErrors::Post,
        StorageErrorsArg::Poll => StorageErrors::Poll,
    };
    c.workspace_refusal = match args.workspace_refusal {
        WorkspaceRefusalArg::Gateways => WorkspaceRefusal::Gateways,
        WorkspaceRefusalArg::Any => WorkspaceRefusal::Any,
    };
    c.state_file.clone_from(&args.state_file);
    c.steady_provisioning = args.steady_provisioning;
    c.regions_down.clone_from(&args.region_down);
    if args.token_lifetime == 0 {
        return Err(usage("--token-lifetime", "must be at least 1 second"));
    }
    c.token_lifetime = Duration::from_secs(args.token_lifetime);
    Ok(c)
}

/// Runs the emulator until Ctrl-C or SIGTERM.
///
/// # Errors
/// [`CliError`] for bad flags or a port that cannot be bound.
pub async fn run(args: &EmulatorArgs) -> CmdResult {
    let handle = Emulator::start(config(args)?)
        .await
        .map_err(|e| CliError::failed(UserError::new(format!("cannot start the emulator: {e}"))))?;
    let arm = handle
        .arm_endpoint()
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    {
        let mut out = std::io::stdout().lock();
        if args.print_env {
            let _ = writeln!(out, "export APIM_DR_ARM_ENDPOINT={arm}");
            // The emulator's one token is accepted by its ARM and its Blob; the client still
            // takes it twice, as it would take two tokens from Azure.
            let token = handle.token();
            let _ = writeln!(out, "export APIM_DR_ACCESS_TOKEN={}", token.expose());
            let _ = writeln!(out, "export APIM_DR_STORAGE_TOKEN={}", token.expose());
            // A comment to eval: the managed-identity endpoint for `--auth msi` drills.
            let _ = writeln!(
                out,
                "# --auth msi: export IDENTITY_ENDPOINT={} IDENTITY_HEADER={}",
                handle.identity_endpoint(),
                handle.identity_header().expose()
            );
        } else {
            let _ = writeln!(
                out,
                "apim-dr emulator: ARM {arm}, Blob {}",
                handle.blob_endpoint()
            );
            let _ = writeln!(
                out,
                "use it from another shell with: eval \"$(apim-dr emulator --print-env)\" style exports, or"
            );
            let _ = writeln!(out, "  export APIM_DR_ARM_ENDPOINT={arm}");
            let _ = writeln!(
                out,
                "  export APIM_DR_ACCESS_TOKEN=<printed by --print-env>"
            );
            let _ = writeln!(
                out,
                "  export APIM_DR_STORAGE_TOKEN=<the same, printed by --print-env>"
            );
            let _ = writeln!(
                out,
                "sign-in endpoints: Entra {arm}/{}/oauth2/v2.0/token, managed identity {}",
                handle.tenant_id(),
                handle.identity_endpoint()
            );
        }
        let _ = out.flush();
    }
    wait_for_stop().await;
    handle.shutdown().await;
    Ok(ExitCode::Ok)
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
