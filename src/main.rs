//! The `apim-dr` binary: parse the command line, pick the mode (TUI, demo, emulator or a
//! headless command), and map the result to an exit code.

use clap::Parser;

use apim_dr::cli::exit::{CliError, CmdResult};
use apim_dr::cli::{
    Cli, Command, OperationsAction, Output, demo, doctor, emulator, listing, operations, output,
    startup, tui,
};
use apim_dr::engine;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
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
    let code = match runtime.block_on(run(cli)) {
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

async fn run(cli: Cli) -> CmdResult {
    let global = cli.global;
    let config = startup::config(&global).map_err(CliError::usage)?;
    let _log = startup::logging(&config.paths);
    let output = global.output;
    let Some(command) = cli.command else {
        return tui::run(&config).await;
    };
    let engine = || startup::engine(&config);
    let client = || engine().map(|e| e.client().clone());
    match command {
        Command::Demo(args) => demo::run(&config, &args).await,
        Command::Emulator(args) => emulator::run(&args).await,
        Command::Doctor => doctor::run(&config, engine::client_for(&config), output).await,
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
            listing::backups(&client()?, output, sub, acct, cont).await
        }
        Command::Inventory { subscription } => {
            listing::inventory(&client()?, output, subscription.as_deref()).await
        }
        Command::Preflight {
            backup,
            target,
            access,
        } => listing::preflight(&client()?, output, &backup, &target, &access).await,
        Command::Backup {
            service,
            account,
            container,
            name,
            access,
            no_wait,
        } => {
            let engine = engine()?;
            let name = name.as_deref();
            operations::backup(
                &engine, output, &service, &account, &container, name, &access, no_wait,
            )
            .await
        }
        Command::Restore {
            backup,
            target,
            yes,
            access,
            no_wait,
        } => operations::restore(&engine()?, output, &backup, &target, yes, &access, no_wait).await,
        Command::Operations { action: None } => {
            let journal = apim_dr::journal::Journal::open(&config.journal_file).map_err(|e| {
                CliError::failed(apim_dr::domain::error::UserError::new(e.to_string()))
            })?;
            operations::list(&journal, output)
        }
        Command::Operations {
            action: Some(OperationsAction::Watch { id }),
        } => operations::watch(&engine()?, output, &id).await,
    }
}
