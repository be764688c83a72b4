//! Read-only commands: `subscriptions`, `services`, `backups` (`preflight` is `cli/preflight.rs`).

use time::OffsetDateTime;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{BackupRow, json, table, warning};
use super::{AccessArgs, AccessTypeArg, Output};
use crate::azure::AzureClient;
use crate::domain::duration::short;
use crate::domain::error::UserError;
use crate::domain::inventory::SubscriptionSummary;
use crate::domain::names::{ClientId, ContainerName, StorageAccountName, SubscriptionId};
use crate::domain::operation::AccessType;
use crate::engine::inventory;

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

async fn subscriptions_or(
    client: &AzureClient,
    only: Option<&str>,
) -> Result<Vec<SubscriptionSummary>, CliError> {
    match only {
        Some(id) => {
            let id = SubscriptionId::parse(id)?;
            Ok(vec![SubscriptionSummary {
                id: id.to_string(),
                name: id.to_string(),
                state: String::new(),
            }])
        }
        None => inventory::subscriptions(client)
            .await
            .map_err(|e| CliError::api("listing subscriptions", &e)),
    }
}

/// `apim-dr subscriptions`.
///
/// # Errors
/// [`CliError`] when the listing fails.
pub async fn subscriptions(client: &AzureClient, output: Output) -> CmdResult {
    let subs = subscriptions_or(client, None).await?;
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => json(&mut out, &subs),
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

/// `apim-dr services`.
///
/// # Errors
/// [`CliError`] when a listing fails.
pub async fn services(
    client: &AzureClient,
    output: Output,
    subscription: Option<&str>,
) -> CmdResult {
    let subs = subscriptions_or(client, subscription).await?;
    let mut all = Vec::new();
    for s in &subs {
        let list = inventory::services(client, &s.id)
            .await
            .map_err(|e| CliError::api(&format!("listing services of {}", s.name), &e))?;
        all.extend(list);
    }
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => json(&mut out, &all),
        Output::Text => {
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|s| {
                    let backup = if s.sku.can_back_up() {
                        ""
                    } else {
                        "  (no backup/restore)"
                    };
                    vec![
                        s.name.clone(),
                        s.location.clone(),
                        format!("{}{backup}", s.sku),
                        s.capacity.to_string(),
                        s.state_word().to_owned(),
                        s.id.clone(),
                    ]
                })
                .collect();
            table(
                &mut out,
                &["NAME", "REGION", "TIER", "UNITS", "STATE", "ID"],
                &rows,
            )
        }
    }
    .map_err(|e| io(&e))?;
    Ok(ExitCode::Ok)
}

/// `apim-dr backups`. The filters are names, checked before anything is sent.
///
/// # Errors
/// [`CliError`] for an invalid filter or when a listing fails.
pub async fn backups(
    client: &AzureClient,
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
    let subs = subscriptions_or(client, subscription).await?;
    let (accounts, failures) = inventory::all_storage_accounts(client, &subs).await;
    if let Some((sub, e)) = failures.first() {
        return Err(CliError::api(
            &format!("listing storage accounts of {sub}"),
            e,
        ));
    }
    let mut containers = Vec::new();
    let mut lacking = 0;
    for a in accounts
        .iter()
        .filter(|a| account.is_none_or(|n| a.name.eq_ignore_ascii_case(n)))
    {
        match inventory::backups(client, a, container).await {
            Ok(list) => containers.extend(list),
            // `--container` alone filters: an account without that container has none of it.
            Err(e) if account.is_none() && e.code == "ContainerNotFound" => lacking += 1,
            Err(e) => {
                return Err(CliError::api(&format!("listing backups in {}", a.name), &e));
            }
        }
    }
    if let Some(c) = container.filter(|_| containers.is_empty() && lacking > 0) {
        warning(
            output == Output::Json,
            &format!("no storage account you can see has a container named {c}"),
        );
    }
    if let Some(name) = account.filter(|n| !accounts.iter().any(|a| a.name.eq_ignore_ascii_case(n)))
    {
        return Err(CliError::failed(UserError::new(format!(
            "storage account {name} was not found in your subscriptions"
        ))));
    }
    let now = OffsetDateTime::now_utc();
    let entries: Vec<_> = containers.iter().flat_map(|c| &c.backups).collect();
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => json(
            &mut out,
            &entries
                .iter()
                .map(|b| BackupRow::new(b, now))
                .collect::<Vec<_>>(),
        ),
        Output::Text => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|b| {
                    let c = &b.catalog;
                    let state = b.freshness(now).phrase();
                    vec![
                        b.display_ref(),
                        c.source_service_name().unwrap_or("?").to_owned(),
                        c.source_sku
                            .as_ref()
                            .map_or_else(|| "unknown".to_owned(), ToString::to_string),
                        c.source_location.clone().unwrap_or_else(|| "?".into()),
                        b.age(now).map_or_else(|| "?".into(), short),
                        state,
                    ]
                })
                .collect();
            table(
                &mut out,
                &["BACKUP", "SOURCE", "TIER", "REGION", "AGE", "VALIDITY"],
                &rows,
            )
        }
    }
    .map_err(|e| io(&e))?;
    Ok(ExitCode::Ok)
}
