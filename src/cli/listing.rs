//! Read-only commands: `subscriptions`, `services`, `backups`, `inventory` (`preflight` is
//! `cli/preflight.rs`).
//! The listings are walks of the discovery engine (`engine/discovery.rs`).

use std::collections::BTreeMap;
use std::io::Write;

use time::OffsetDateTime;

use super::backup_row::{backup_table, rows};
use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, jsonl, table, warning};
use super::resolve;
use super::{AccessArgs, AccessTypeArg, Output};
use crate::azure::AzureClient;
use crate::domain::backup::JournalFacts;
use crate::domain::error::UserError;
use crate::domain::names::{ClientId, ContainerName, StorageAccountName};
use crate::domain::operation::AccessType;
use crate::domain::service::ServiceSummary;
use crate::engine::Engine;
use crate::engine::discovery::{Estate, Found, Scope};
use crate::journal::backup_facts;

fn io(e: &std::io::Error) -> CliError {
    CliError::failed(UserError::new(format!("cannot write output: {e}")))
}

/// `--access-type` and `--client-id` as the domain's [`AccessType`].
///
/// # Errors
/// Usage error when a user-assigned identity has no client id, or one that is not a GUID.
pub fn access_type(args: &AccessArgs) -> Result<AccessType, CliError> {
    match (args.access_type, &args.client_id) {
        (AccessTypeArg::AccessKey, _) => Ok(AccessType::AccessKey),
        (AccessTypeArg::SystemAssignedManagedIdentity, _) => {
            Ok(AccessType::SystemAssignedManagedIdentity)
        }
        (AccessTypeArg::UserAssignedManagedIdentity, Some(id)) if !id.trim().is_empty() => {
            Ok(AccessType::UserAssignedManagedIdentity {
                client_id: ClientId::parse(id.trim())?.to_string(),
            })
        }
        (AccessTypeArg::UserAssignedManagedIdentity, _) => Err(CliError::usage(UserError::new(
            "--access-type user-assigned-managed-identity needs --client-id (the identity's client id)",
        ))),
    }
}

/// `apim-dr subscriptions`: a walk of the subscription list alone, each streamed with
/// `-o jsonl`.
///
/// # Errors
/// [`CliError`] when the listing fails.
pub async fn subscriptions(client: &AzureClient, output: Output) -> CmdResult {
    let estate = walk(client, Scope::default(), output, |f, _| {
        subscription_values(f)
    })
    .await?;
    let subs = &estate.subscriptions;
    let mut out = std::io::stdout().lock();
    match output {
        Output::Jsonl => Ok(()),
        Output::Json => json(&mut out, subs),
        Output::Text => table(
            &mut out,
            &["SUBSCRIPTION", "NAME", "STATE"],
            &subs
                .iter()
                .map(|s| vec![s.id.clone(), s.name.clone(), s.state.clone()])
                .collect::<Vec<_>>(),
        ),
    }
    .map_err(|e| io(&e))?;
    Ok(ExitCode::Ok)
}

/// Walks `scope`. With `-o jsonl`, `line` turns each finding into the JSON lines printed as it
/// arrives. The first failed branch is the command's error, after the walk has ended.
async fn walk(
    client: &AzureClient,
    scope: Scope,
    output: Output,
    line: impl Fn(&Found, OffsetDateTime) -> Vec<serde_json::Value>,
) -> Result<Estate, CliError> {
    let mut failed_write: Option<std::io::Error> = None;
    let now = OffsetDateTime::now_utc();
    let estate = Estate::walk(client, scope, |found| {
        if output != Output::Jsonl {
            return true;
        }
        let mut out = std::io::stdout().lock();
        for value in line(found, now) {
            if let Err(e) = jsonl(&mut out, &value) {
                failed_write = Some(e);
                return false;
            }
        }
        true
    })
    .await;
    if let Some(e) = failed_write {
        return Err(io(&e));
    }
    if let Some(f) = estate.failures.first() {
        return Err(CliError::api(&f.what, &f.error));
    }
    Ok(estate)
}

/// A subscription found, as a JSON value (one `subscriptions -o json` item).
fn subscription_values(found: &Found) -> Vec<serde_json::Value> {
    match found {
        Found::Subscription(s) => serde_json::to_value(s).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Services found, as JSON values (one `services -o json` item each).
fn service_values(found: &Found) -> Vec<serde_json::Value> {
    match found {
        Found::Services { page, .. } => page
            .iter()
            .filter_map(|s| serde_json::to_value(s).ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// Backups found, as JSON values (one `backups -o json` item each).
fn backup_values(found: &Found, journal: &Facts, now: OffsetDateTime) -> Vec<serde_json::Value> {
    match found {
        Found::Backups(c) => rows(&c.backups, journal, now)
            .iter()
            .filter_map(|r| serde_json::to_value(r).ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// What the journal says of each blob a backup wrote.
type Facts = BTreeMap<String, JournalFacts>;

/// The journal's backups, for the catalog inference; an unreadable journal only loses them
/// (with a warning), it does not stop a listing.
async fn journal_facts(engine: &Engine, output: Output) -> Facts {
    match engine.operations().await {
        Ok(ops) => backup_facts(&ops, engine.endpoint()),
        Err(e) => {
            warning(
                output != Output::Text,
                &format!("the journal cannot be read ({e}): nothing is inferred from it"),
            );
            Facts::new()
        }
    }
}

fn service_table(out: &mut impl Write, services: &[ServiceSummary]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = services
        .iter()
        .map(|s| {
            let backup = if s.sku.can_back_up() {
                ""
            } else {
                "  (no backup/restore)"
            };
            vec![
                s.name.clone(),
                s.location.to_string(),
                format!("{}{backup}", s.sku),
                s.capacity.to_string(),
                s.state_word().to_owned(),
                s.id().into_owned(),
            ]
        })
        .collect();
    table(
        out,
        &["NAME", "REGION", "TIER", "UNITS", "STATE", "ID"],
        &rows,
    )
}

/// `apim-dr services`: one walk over every subscription (or one), services streamed with
/// `-o jsonl`.
///
/// # Errors
/// [`CliError`] when a listing fails.
pub async fn services(
    client: &AzureClient,
    output: Output,
    subscription: Option<&str>,
) -> CmdResult {
    let scope = Scope {
        subscription: resolve::optional_subscription(client, subscription).await?,
        services: true,
        ..Scope::default()
    };
    let estate = walk(client, scope, output, |f, _| service_values(f)).await?;
    let mut out = std::io::stdout().lock();
    match output {
        Output::Jsonl => Ok(()),
        Output::Json => json(&mut out, &estate.services),
        Output::Text => service_table(&mut out, &estate.services),
    }
    .map_err(|e| io(&e))?;
    Ok(ExitCode::Ok)
}

/// `apim-dr backups`: one walk; the account and container filters are names, checked before
/// anything is sent.
///
/// # Errors
/// [`CliError`] for an invalid filter or when a listing fails.
pub async fn backups(
    engine: &Engine,
    output: Output,
    subscription: Option<&str>,
    account: Option<&str>,
    container: Option<&str>,
) -> CmdResult {
    if let Some(a) = account {
        StorageAccountName::parse(a)?;
    }
    if let Some(c) = container {
        ContainerName::parse(c)?;
    }
    let scope = Scope {
        subscription: resolve::optional_subscription(engine.client(), subscription).await?,
        backups: true,
        account: account.map(str::to_owned),
        container: container.map(str::to_owned),
        ..Scope::default()
    };
    let journal = journal_facts(engine, output).await;
    let estate = walk(engine.client(), scope, output, |f, now| {
        backup_values(f, &journal, now)
    })
    .await?;
    if let Some(name) = account.filter(|_| estate.storage_accounts.is_empty()) {
        return Err(CliError::failed(UserError::new(format!(
            "storage account {name} was not found in your subscriptions"
        ))));
    }
    // `--container` alone filters: say so when no account has that container at all.
    if let Some(c) = container.filter(|_| account.is_none() && estate.containers == 0) {
        warning(
            output != Output::Text,
            &format!("no storage account you can see has a container named {c}"),
        );
    }
    let now = OffsetDateTime::now_utc();
    let mut out = std::io::stdout().lock();
    match output {
        Output::Jsonl => Ok(()),
        Output::Json => json(&mut out, &rows(&estate.backups, &journal, now)),
        Output::Text => backup_table(&mut out, &estate.backups, &journal, now),
    }
    .map_err(|e| io(&e))?;
    Ok(ExitCode::Ok)
}

/// The lines of `inventory -o jsonl`: each finding tagged with what it is.
fn inventory_values(found: &Found, journal: &Facts, now: OffsetDateTime) -> Vec<serde_json::Value> {
    let tagged = |tag: &str, v: serde_json::Value| serde_json::json!({ tag: v });
    match found {
        Found::Subscription(_) => subscription_values(found)
            .into_iter()
            .map(|v| tagged("subscription", v))
            .collect(),
        Found::StorageAccount { account, .. } => serde_json::to_value(account)
            .map(|v| vec![tagged("storage_account", v)])
            .unwrap_or_default(),
        Found::Services { .. } => service_values(found)
            .into_iter()
            .map(|v| tagged("service", v))
            .collect(),
        Found::Backups(_) => backup_values(found, journal, now)
            .into_iter()
            .map(|v| tagged("backup", v))
            .collect(),
        Found::Failed(_) | Found::Ended(_) => Vec::new(),
    }
}

/// What `inventory` says about the walk itself.
fn inventory_summary(estate: &Estate) -> serde_json::Value {
    serde_json::json!({
        "counts": {
            "subscriptions": estate.subscriptions.len(),
            "services": estate.services.len(),
            "storage_accounts": estate.storage_accounts.len(),
            "backups": estate.backups.len(),
        },
        "requests": estate.requests,
        "max_in_flight": estate.max_in_flight,
        "wall_time_ms": u64::try_from(estate.wall_time.as_millis()).unwrap_or(u64::MAX),
    })
}

/// `apim-dr inventory`: subscriptions, services, storage accounts and backups from one walk,
/// with the counts, the requests it took and its wall time.
///
/// # Errors
/// [`CliError`] when a listing fails.
pub async fn inventory(engine: &Engine, output: Output, subscription: Option<&str>) -> CmdResult {
    let scope = Scope {
        subscription: resolve::optional_subscription(engine.client(), subscription).await?,
        ..Scope::everything()
    };
    let journal = journal_facts(engine, output).await;
    let estate = walk(engine.client(), scope, output, |f, now| {
        inventory_values(f, &journal, now)
    })
    .await?;
    let now = OffsetDateTime::now_utc();
    let summary = inventory_summary(&estate);
    let mut out = std::io::stdout().lock();
    match output {
        Output::Jsonl => jsonl(&mut out, &serde_json::json!({ "summary": summary })),
        Output::Json => {
            let mut whole = summary;
            whole["subscriptions"] =
                serde_json::to_value(&estate.subscriptions).unwrap_or_default();
            whole["services"] = serde_json::to_value(&estate.services).unwrap_or_default();
            whole["storage_accounts"] =
                serde_json::to_value(&estate.storage_accounts).unwrap_or_default();
            whole["backups"] =
                serde_json::to_value(rows(&estate.backups, &journal, now)).unwrap_or_default();
            json(&mut out, &whole)
        }
        Output::Text => inventory_text(&mut out, &estate, &journal, now),
    }
    .map_err(|e| io(&e))?;
    Ok(ExitCode::Ok)
}

fn inventory_text(
    out: &mut impl Write,
    estate: &Estate,
    journal: &Facts,
    now: OffsetDateTime,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} subscriptions, {} services, {} storage accounts, {} backups: {} requests in {:.1} s (at most {} at once)",
        estate.subscriptions.len(),
        estate.services.len(),
        estate.storage_accounts.len(),
        estate.backups.len(),
        estate.requests,
        estate.wall_time.as_secs_f64(),
        estate.max_in_flight,
    )?;
    writeln!(out)?;
    table(
        out,
        &["SUBSCRIPTION", "NAME", "STATE"],
        &estate
            .subscriptions
            .iter()
            .map(|s| vec![s.id.clone(), s.name.clone(), s.state.clone()])
            .collect::<Vec<_>>(),
    )?;
    writeln!(out)?;
    service_table(out, &estate.services)?;
    writeln!(out)?;
    table(
        out,
        &["STORAGE ACCOUNT", "REGION", "SUBSCRIPTION"],
        &estate
            .storage_accounts
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    a.location.clone(),
                    a.subscription_id.clone(),
                ]
            })
            .collect::<Vec<_>>(),
    )?;
    writeln!(out)?;
    backup_table(out, &estate.backups, journal, now)
}
