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
use crate::journal::{Journal, Stage, report};

/// At most this many accounts get a `listKeys` check.
const KEY_CHECKS: usize = 20;

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
    let (journal, backup_accounts) = journal_findings(&config.paths.journal_file());
    f.extend(journal);
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
        Ok(client) => check_azure(&client, &mut f, &backup_accounts).await,
    }
    let blocked = f.iter().any(|x| x.level == Level::Block);
    match output {
        Output::Json => {
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
/// used), an unreadable file blocks. Unfinished operations are a warning naming each. Also
/// returns the storage accounts its operations wrote to or read from.
fn journal_findings(path: &std::path::Path) -> (Vec<Finding>, Vec<String>) {
    let (j, loaded) = match Journal::open(path).and_then(|j| j.load().map(|l| (j, l))) {
        Ok(x) => x,
        Err(e) => {
            return (
                vec![finding(Level::Block, "Journal", e.to_string())],
                vec![],
            );
        }
    };
    let mut accounts: Vec<String> = loaded
        .operations
        .iter()
        .map(|o| o.info.blob.account.to_string())
        .collect();
    accounts.sort();
    accounts.dedup();
    let mut out = vec![match report(j.path(), &loaded.skipped) {
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
    }];
    let unfinished: Vec<String> = loaded
        .operations
        .iter()
        .filter(|o| o.stage() != Stage::Finished)
        .map(|o| format!("{} {} {}", o.info.id, o.info.kind, o.info.service.name))
        .collect();
    if !unfinished.is_empty() {
        out.push(finding(
            Level::Warn,
            "Unfinished operations",
            format!(
                "{} ({}); `apim-dr operations watch ID` follows each to its end",
                unfinished.len(),
                unfinished.join(", ")
            ),
        ));
    }
    (out, accounts)
}

async fn check_azure(client: &AzureClient, f: &mut Vec<Finding>, backup_accounts: &[String]) {
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
    keys_findings(client, &accounts, backup_accounts, f).await;
}

/// Reading keys is what a backup or restore by key needs: `listKeys` is tried on the visible
/// accounts that allow Shared Key, those the journal's backups are in first (up to
/// [`KEY_CHECKS`]), not on one that happens to sort first.
async fn keys_findings(
    client: &AzureClient,
    accounts: &[crate::domain::inventory::StorageAccountSummary],
    backup_accounts: &[String],
    f: &mut Vec<Finding>,
) {
    let mut by_key: Vec<_> = accounts.iter().filter(|a| !a.shared_key_disabled).collect();
    by_key.sort_by_key(|a| {
        !backup_accounts
            .iter()
            .any(|b| b.eq_ignore_ascii_case(&a.name))
    });
    by_key.truncate(KEY_CHECKS);
    let mut allowed = Vec::new();
    for a in &by_key {
        match client.storage_key(&a.id).await {
            Ok(_) => allowed.push(a.name.as_str()),
            Err(e) => f.push(finding(
                Level::Warn,
                &format!("Storage keys of {}", a.name),
                e.to_string(),
            )),
        }
    }
    if !allowed.is_empty() {
        f.push(finding(
            Level::Pass,
            "Storage keys",
            format!(
                "listKeys allowed on {} of {} accounts: {}",
                allowed.len(),
                by_key.len(),
                allowed.join(", ")
            ),
        ));
    }
}
