//! The `apim-dr` binary: parse the command line, pick the mode (TUI, demo, emulator or a
//! headless command), and map the result to an exit code.

use clap::{CommandFactory, FromArgMatches};

use apim_dr::cli::exit::{CliError, CmdResult, ExitCode};
use apim_dr::cli::{
    Cli, Command, OperationsAction, Output, backup_all, cutover, demo, docs, doctor, drill,
    effective, emulator, failover, listing, operations, output, preflight, prune, regions, report,
    rpo, runbook, standby, startup, tui, verify,
};
use apim_dr::domain::error::UserError;
use apim_dr::engine;

fn main() -> std::process::ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let from_env = startup::from_environment(&matches);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let json = cli.global.output != Output::Text;
    let code = match runtime.block_on(run(cli, from_env)) {
        Ok(code) => code,
        Err(e) => {
            output::error(json, &e.error);
            e.code
        }
    };
    // Watch tasks still running (e.g. after Ctrl-C) must not hold the process.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    std::process::ExitCode::from(code as u8)
}

async fn run(cli: Cli, from_env: Vec<&'static str>) -> CmdResult {
    // Generated from the command definitions alone: no configuration, no log file.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            docs::completions(*shell, &mut std::io::stdout().lock());
            return Ok(ExitCode::Ok);
        }
        Some(Command::Man) => {
            return docs::man(&mut std::io::stdout().lock())
                .map(|()| ExitCode::Ok)
                .map_err(|e| CliError::failed(UserError::new(format!("cannot write: {e}"))));
        }
        _ => {}
    }
    let global = cli.global;
    let config = startup::config(&global, from_env).map_err(CliError::usage)?;
    let _log = startup::logging(&config.paths);
    let output = global.output;
    let Some(command) = cli.command else {
        return tui::run(&config).await;
    };
    let engine = || startup::command_engine(&config);
    let client = || engine().map(|e| e.client().clone());
    match command {
        Command::Demo(args) => demo::run(&config, &args).await,
        Command::Emulator(args) => emulator::run(&args).await,
        Command::Doctor => doctor::run(&config, engine::client_for(&config), output).await,
        Command::Config => effective::run(&config, output),
        Command::Subscriptions => listing::subscriptions(&client()?, output).await,
        Command::Services { subscription } => {
            listing::services(&client()?, output, subscription.as_deref()).await
        }
        Command::Backups {
            subscription,
            account,
            container,
        } => {
            let (sub, acct, cont) = (
                subscription.as_deref(),
                account.as_deref(),
                container.as_deref(),
            );
            listing::backups(&engine()?, output, sub, acct, cont).await
        }
        Command::Inventory { subscription } => {
            listing::inventory(&engine()?, output, subscription.as_deref()).await
        }
        Command::Report { id } => report::run(&engine()?, output, id.as_deref()).await,
        Command::Prune(args) => prune::run(&engine()?, output, &args).await,
        Command::Rpo(args) => rpo::run(&engine()?, output, &args, config.rpo_hours).await,
        Command::Runbook(args) => runbook::run(&client()?, output, &args).await,
        Command::Preflight(args) => preflight::run(&client()?, output, &args).await,
        Command::Backup(args) => Box::pin(backup_all::run(&engine()?, output, &args)).await,
        Command::Restore {
            backup,
            target,
            yes,
            confirm_tier,
            access,
            no_wait,
        } => {
            let confirm_tier = confirm_tier.as_deref();
            Box::pin(operations::restore(
                &engine()?,
                output,
                (&backup, &target),
                yes,
                confirm_tier,
                &access,
                no_wait,
            ))
            .await
        }
        Command::Verify { service, backup } => {
            verify::run(&engine()?, output, &service, backup.as_deref()).await
        }
        Command::Failover(args) => Box::pin(failover::run(&engine()?, output, &args)).await,
        Command::Regions(args) => regions::run(&engine()?, output, &args).await,
        Command::Drill(args) => Box::pin(drill::run(&engine()?, output, &args)).await,
        Command::Cutover(args) => Box::pin(cutover::run(&engine()?, output, &args)).await,
        Command::Standby { action } => Box::pin(standby::run(&engine()?, output, &action)).await,
        Command::Operations { action: None } => operations::list_at(&config.journal_file, output),
        Command::Operations {
            action: Some(OperationsAction::Watch { id }),
        } => Box::pin(operations::watch(&engine()?, output, &id)).await,
        // Answered above, before the configuration.
        Command::Completions { .. } | Command::Man => Ok(ExitCode::Ok),
    }
}
