//! `apim-dr doctor`: is this machine ready for a failover? The credential chosen and its
//! tenant, each audience's token with its source and expiry, ARM reachability, what is
//! visible, storage key access, journal and log. Read-only.

use serde::Serialize;
use time::OffsetDateTime;

use super::Output;
use super::exit::CmdResult;
use crate::azure::AzureClient;
use crate::azure::auth::{Audience, AuthSummary, TokenInfo};
use crate::cli::exit::ExitCode;
use crate::config::Config;
use crate::domain::duration::{short, utc_stamp};
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
        .filter_map(|o| o.info.blob.as_ref().map(|b| b.account.to_string()))
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

/// Which credential, how it was chosen, in which tenant.
fn credential_finding(s: &AuthSummary) -> Finding {
    let Some(method) = s.method else {
        return finding(
            Level::Pass,
            "Credential",
            "APIM_DR_ACCESS_TOKEN (a fixed token: it cannot be refreshed)",
        );
    };
    let tenant = s.tenant.as_deref().map_or_else(
        || "the credential's default tenant".to_owned(),
        |t| format!("tenant {t}"),
    );
    let client = s
        .client_id
        .as_deref()
        .map_or_else(String::new, |c| format!(", client id {c}"));
    finding(
        Level::Pass,
        "Credential",
        format!(
            "--auth {}: {} ({tenant}{client})",
            method.name(),
            s.chain.join(", then ")
        ),
    )
}

/// Where one audience's token came from, its tenant and its expiry. A fixed token that
/// expires within the hour is a warning: a restore can take 45 minutes and it cannot be
/// refreshed. A token from another tenant than `--tenant` is a warning.
fn token_finding(check: &str, s: &AuthSummary, info: &TokenInfo) -> Finding {
    let now = OffsetDateTime::now_utc();
    let tenant = match (&info.tenant, &s.tenant) {
        (Some(t), _) => format!("tenant {t}"),
        (None, Some(t)) => format!("tenant {t} (as asked)"),
        (None, None) => "tenant not stated".to_owned(),
    };
    let expiry = info.expires_on.map_or_else(
        || "expiry unknown".to_owned(),
        |e| {
            if e > now {
                format!("expires {} (in {})", utc_stamp(e), short(e - now))
            } else {
                format!("expired {}", utc_stamp(e))
            }
        },
    );
    let other_tenant =
        matches!((&info.tenant, &s.tenant), (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b));
    let short_fixed = s.method.is_none()
        && info
            .expires_on
            .is_some_and(|e| e - now < time::Duration::minutes(60));
    let level = if other_tenant || short_fixed {
        Level::Warn
    } else {
        Level::Pass
    };
    finding(
        level,
        check,
        format!("via {}, {tenant}, {expiry}", info.source),
    )
}

async fn check_azure(client: &AzureClient, f: &mut Vec<Finding>, backup_accounts: &[String]) {
    let tokens = client.tokens();
    let summary = tokens.summary();
    f.push(credential_finding(summary));
    match tokens.token_info(Audience::Arm).await {
        Ok(info) => f.push(token_finding("ARM token", summary, &info)),
        Err(e) => {
            f.push(finding(Level::Block, "ARM token", e.to_string()));
            return;
        }
    }
    match tokens.token_info(Audience::Storage).await {
        Ok(info) => {
            let mut x = token_finding("Storage token", summary, &info);
            x.detail
                .push_str(" (used only when Shared Key is disabled)");
            f.push(x);
        }
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
