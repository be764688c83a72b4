//! `apim-dr doctor`: is this machine ready for a failover? Credential, token audiences, ARM
//! reachability, what is visible, storage key access, journal and log. Read-only.

use serde::Serialize;

use super::Output;
use super::exit::CmdResult;
use crate::azure::AzureClient;
use crate::azure::auth::Audience;
use crate::cli::exit::ExitCode;
use crate::config::Config;
use crate::domain::preflight::Level;
use crate::engine::inventory;
use crate::journal::{Journal, report};

/// One line of the report.
#[derive(Debug, Serialize)]
struct Finding {
    level: Level,
    check: String,
    detail: String,
}

fn finding(level: Level, check: &str, detail: impl Into<String>) -> Finding {
    Finding {
        level,
        check: check.to_owned(),
        detail: detail.into(),
    }
}

/// Runs every check and prints them; exit 1 when one blocks.
///
/// # Errors
/// Never: every problem is a finding.
pub async fn run(
    config: &Config,
    client: Result<AzureClient, crate::domain::error::UserError>,
    output: Output,
) -> CmdResult {
    let mut f = Vec::new();
    f.push(finding(
        Level::Pass,
        "ARM endpoint",
        config.arm_endpoint.as_str(),
    ));
    f.push(finding(
        if config.read_only {
            Level::Warn
        } else {
            Level::Pass
        },
        "Mode",
        if config.read_only {
            "read-only: backup and restore are disabled"
        } else {
            "read-write"
        },
    ));
    f.push(journal_finding(&config.paths.journal_file()));
    f.push(finding(
        Level::Pass,
        "Log file",
        config
            .paths
            .log_dir()
            .join("apim-dr.log")
            .display()
            .to_string(),
    ));
    match client {
        Err(e) => f.push(finding(Level::Block, "Credential", e.one_line())),
        Ok(client) => check_azure(&client, &mut f).await,
    }
    let blocked = f.iter().any(|x| x.level == Level::Block);
    match output {
        Output::Json | Output::Jsonl => {
            let _ = super::output::json(&mut std::io::stdout().lock(), &f);
        }
        Output::Text => {
            for x in &f {
                println!("{} {}: {}", x.level.symbol(), x.check, x.detail);
            }
        }
    }
    Ok(if blocked {
        ExitCode::Failed
    } else {
        ExitCode::Ok
    })
}

/// The journal opens and reads; damaged lines are a warning (they are skipped, the rest is
/// used), an unreadable file blocks.
fn journal_finding(path: &std::path::Path) -> Finding {
    match Journal::open(path).and_then(|j| j.load().map(|l| (j, l))) {
        Ok((j, loaded)) => match report(j.path(), &loaded.skipped) {
            Some(text) => finding(Level::Warn, "Journal", text),
            None => finding(
                Level::Pass,
                "Journal",
                format!(
                    "{} ({} operations)",
                    j.path().display(),
                    loaded.operations.len()
                ),
            ),
        },
        Err(e) => finding(Level::Block, "Journal", e.to_string()),
    }
}

async fn check_azure(client: &AzureClient, f: &mut Vec<Finding>) {
    let kind = if client.tokens().is_fixed() {
        "APIM_DR_ACCESS_TOKEN"
    } else {
        "azure_identity"
    };
    match client.tokens().token(Audience::Arm).await {
        Ok(_) => f.push(finding(
            Level::Pass,
            "ARM token",
            format!("obtained ({kind})"),
        )),
        Err(e) => {
            f.push(finding(Level::Block, "ARM token", e.to_string()));
            return;
        }
    }
    match client.tokens().token(Audience::Storage).await {
        Ok(_) => f.push(finding(
            Level::Pass,
            "Storage token",
            "obtained (used only when Shared Key is disabled)",
        )),
        Err(e) => f.push(finding(Level::Warn, "Storage token", e.to_string())),
    }
    let subs = match inventory::subscriptions(client).await {
        Ok(s) if s.is_empty() => {
            f.push(finding(
                Level::Block,
                "Subscriptions",
                "none visible to this identity",
            ));
            return;
        }
        Ok(s) => {
            f.push(finding(
                Level::Pass,
                "Subscriptions",
                format!("{} visible", s.len()),
            ));
            s
        }
        Err(e) => {
            f.push(finding(Level::Block, "ARM reachable", e.to_string()));
            return;
        }
    };
    let mut services = 0;
    for s in &subs {
        match inventory::services(client, &s.id).await {
            Ok(list) => services += list.len(),
            Err(e) => f.push(finding(
                Level::Warn,
                &format!("Services in {}", s.name),
                e.to_string(),
            )),
        }
    }
    f.push(finding(
        Level::Pass,
        "API Management services",
        format!("{services} visible"),
    ));
    let (accounts, failures) = inventory::all_storage_accounts(client, &subs).await;
    for (sub, e) in failures {
        f.push(finding(
            Level::Warn,
            &format!("Storage accounts in {sub}"),
            e.to_string(),
        ));
    }
    f.push(finding(
        if accounts.is_empty() {
            Level::Warn
        } else {
            Level::Pass
        },
        "Storage accounts",
        format!("{} visible", accounts.len()),
    ));
    if let Some(a) = accounts.iter().find(|a| !a.shared_key_disabled) {
        match client.storage_key(&a.id).await {
            Ok(_) => f.push(finding(
                Level::Pass,
                "Storage keys",
                format!("listKeys allowed on {}", a.name),
            )),
            Err(e) => f.push(finding(
                Level::Warn,
                "Storage keys",
                format!("{}: {e}", a.name),
            )),
        }
    }
}
