//! Pre-flight over the network: read the service (restore: the target; backup: the source)
//! with the api-version ARM accepts, its workspaces and identity; the storage account, its
//! Blob service's CORS rules, the container and the identity's role assignments, all through
//! ARM; then the blob through the data plane. A read this machine cannot make becomes a fact
//! "unreadable, because …", never an error: the operator's own reach to storage is not a
//! prerequisite of a backup or a restore. The facts go to [`crate::domain::preflight::evaluate`].

use time::OffsetDateTime;

use super::inventory::{blob_account, find_storage_account};
use crate::azure::{ApiError, AzureClient};
use crate::domain::backup::{BackupCatalog, BackupEntry};
use crate::domain::inventory::StorageAccountSummary;
use crate::domain::names::{BlobName, ServiceId, StorageAccountName};
use crate::domain::operation::{AccessType, BackupPlan, PostKind, RestorePlan};
use crate::domain::preflight::{
    AccountFacts, PreflightFacts, PreflightReport, RoleAssignmentFact, Seen, ServiceFacts,
    ServiceIdentity, StorageFacts, WorkspaceFacts, evaluate,
};
use crate::domain::service::ServiceSummary;
use crate::domain::sku::SkuName;

/// What to check: a backup or a restore, as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightAsk {
    /// Backup or restore.
    pub kind: PostKind,
    /// Restore: the target; backup: the source.
    pub service: ServiceId,
    /// Storage account.
    pub account: StorageAccountName,
    /// Container, as given: its validity is one of the checks.
    pub container: String,
    /// Blob.
    pub blob: BlobName,
    /// How APIM reaches storage.
    pub access: AccessType,
    /// Restore: the backup's tier as the operator confirmed it.
    pub confirmed_tier: Option<SkuName>,
    /// Backup: an existing blob may be overwritten.
    pub overwrite: bool,
}

impl PreflightAsk {
    /// The pre-flight of a restore.
    pub fn restore(plan: &RestorePlan, confirmed_tier: Option<SkuName>) -> Self {
        Self {
            kind: PostKind::Restore,
            service: plan.target.clone(),
            account: plan.backup.account.clone(),
            container: plan.backup.container.to_string(),
            blob: plan.backup.blob.clone(),
            access: plan.access.clone(),
            confirmed_tier,
            overwrite: false,
        }
    }

    /// The pre-flight of a backup.
    pub fn backup(plan: &BackupPlan, overwrite: bool) -> Self {
        Self {
            kind: PostKind::Backup,
            service: plan.service.clone(),
            account: plan.account.clone(),
            container: plan.container.to_string(),
            blob: plan.blob.clone(),
            access: plan.access.clone(),
            confirmed_tier: None,
            overwrite,
        }
    }
}

/// An API failure in one line, for a check's reason.
fn why(e: &ApiError) -> String {
    let first = e.message.lines().next().unwrap_or_default().trim();
    match e.status {
        Some(s) => format!("{s} {}: {first}", e.code),
        None => format!("{}: {first}", e.code),
    }
}

async fn gateway_links(
    client: &AzureClient,
    s: &ServiceSummary,
    workspace_ids: &[(String, String)],
    version: &str,
) -> Result<Vec<String>, ApiError> {
    let mut linked = Vec::new();
    for g in client
        .list_gateways(&s.subscription_id, &s.resource_group, version)
        .await?
    {
        for c in client.list_config_connections(&g.id, version).await? {
            if let Some((_, name)) = workspace_ids
                .iter()
                .find(|(id, _)| id.eq_ignore_ascii_case(&c.properties.source_id))
                && !linked.contains(name)
            {
                linked.push(name.clone());
            }
        }
    }
    Ok(linked)
}

async fn workspaces(
    client: &AzureClient,
    id: &ServiceId,
    s: &ServiceSummary,
    version: &str,
) -> Seen<WorkspaceFacts> {
    let list = match client.list_workspaces(id, version).await {
        Ok(list) => list,
        // Tiers without workspaces refuse the list.
        Err(e) if e.code == "MethodNotAllowedInPricingTier" => Vec::new(),
        Err(e) => return Seen::Unreadable(why(&e)),
    };
    let ids: Vec<(String, String)> = list.into_iter().map(|w| (w.id, w.name)).collect();
    let gateway_linked = if ids.is_empty() {
        Seen::Read(Vec::new())
    } else {
        match gateway_links(client, s, &ids, version).await {
            Ok(l) => Seen::Read(l),
            Err(e) => Seen::Unreadable(why(&e)),
        }
    };
    Seen::Read(WorkspaceFacts {
        names: ids.into_iter().map(|(_, n)| n).collect(),
        gateway_linked,
    })
}

/// The service and what is read beside it; unreadable (not an error) when ARM says 404.
async fn service(client: &AzureClient, id: &ServiceId) -> Result<Seen<ServiceFacts>, ApiError> {
    let (raw, api_version) = match client.get_service_probed(id).await {
        Ok(r) => r,
        Err(e) if e.status == Some(404) => return Ok(Seen::Unreadable(why(&e))),
        Err(e) => return Err(e),
    };
    let identity = raw
        .identity
        .as_ref()
        .map(ServiceIdentity::from)
        .unwrap_or_default();
    let summary = ServiceSummary::from(raw);
    let ws = workspaces(client, id, &summary, &api_version.used).await;
    Ok(Seen::Read(ServiceFacts {
        summary,
        identity,
        api_version,
        workspaces: ws,
    }))
}

/// The principal the access type authenticates as, when the service has it.
fn principal(s: &Seen<ServiceFacts>, access: &AccessType) -> Option<String> {
    let s = s.read()?;
    match access {
        AccessType::AccessKey => None,
        AccessType::SystemAssignedManagedIdentity => s.identity.system_principal.clone(),
        AccessType::UserAssignedManagedIdentity { client_id } => s
            .identity
            .user_assigned
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(client_id))
            .map(|(_, p)| p.clone()),
    }
}

async fn account_facts(
    client: &AzureClient,
    a: &StorageAccountSummary,
    principal: Option<&str>,
) -> Result<AccountFacts, ApiError> {
    let raw = client.get_storage_account(&a.id).await?;
    let cors = match client.blob_service(&a.id).await {
        Ok(b) => Seen::Read(b.cors_rules()),
        Err(e) => Seen::Unreadable(why(&e)),
    };
    let roles = match principal {
        None => Seen::Read(Vec::new()),
        Some(p) => match client.role_assignments(&a.id, p).await {
            Ok(list) => Seen::Read(list.into_iter().map(RoleAssignmentFact::from).collect()),
            Err(e) => Seen::Unreadable(why(&e)),
        },
    };
    Ok(AccountFacts {
        id: a.id.clone(),
        location: a.location.clone(),
        network: raw.network_facts(),
        shared_key_disabled: a.shared_key_disabled,
        cors,
        roles,
    })
}

/// The blob through the data plane: `None` when it (or its container) does not exist;
/// unreadable when this machine cannot reach it.
async fn blob_state(
    client: &AzureClient,
    a: &StorageAccountSummary,
    ask: &PreflightAsk,
) -> Seen<Option<BackupEntry>> {
    let blob = match blob_account(client, a).await {
        Ok(b) => b,
        Err(e) => return Seen::Unreadable(why(&e)),
    };
    match client
        .blob_properties(&blob, &ask.container, ask.blob.as_str())
        .await
    {
        Ok(Some(p)) => Seen::Read(Some(BackupEntry {
            account: a.name.as_str().into(),
            container: ask.container.as_str().into(),
            name: ask.blob.to_string(),
            created: p.created,
            size_bytes: p.size_bytes,
            catalog: BackupCatalog::from_metadata(&p.metadata).into(),
        })),
        Ok(None) => Seen::Read(None),
        Err(e) if e.code == "ContainerNotFound" => Seen::Read(None),
        Err(e) => Seen::Unreadable(why(&e)),
    }
}

/// Gathers the facts for `ask` and evaluates them. `local_busy`: this tool already runs an
/// operation on the service.
///
/// # Errors
/// [`ApiError`] when ARM cannot be read at all (the service, other than 404; the storage
/// account list). Everything else becomes a check.
pub async fn run(
    client: &AzureClient,
    ask: &PreflightAsk,
    local_busy: bool,
) -> Result<PreflightReport, ApiError> {
    let service = service(client, &ask.service).await?;
    let account = find_storage_account(
        client,
        ask.account.as_str(),
        Some(ask.service.subscription.as_str()),
    )
    .await?;
    let valid_container = crate::domain::names::ContainerName::parse(&ask.container).is_ok();
    let (account_seen, container_exists, blob) = match &account {
        None => {
            let missing = format!(
                "storage account {} is not visible in your subscriptions",
                ask.account
            );
            (
                Seen::Unreadable(missing.clone()),
                Seen::Unreadable(missing.clone()),
                Seen::Unreadable(missing),
            )
        }
        Some(a) => {
            let facts =
                account_facts(client, a, principal(&service, &ask.access).as_deref()).await?;
            let (exists, blob) = if valid_container {
                let exists = match client.container_exists(&a.id, &ask.container).await {
                    Ok(x) => Seen::Read(x),
                    Err(e) => Seen::Unreadable(why(&e)),
                };
                (exists, blob_state(client, a, ask).await)
            } else {
                let bad = "the container name is not valid".to_owned();
                (Seen::Unreadable(bad.clone()), Seen::Unreadable(bad))
            };
            (Seen::Read(facts), exists, blob)
        }
    };
    let facts = PreflightFacts {
        kind: ask.kind,
        service,
        local_operation: local_busy,
        access: ask.access.clone(),
        storage: StorageFacts {
            account_name: ask.account.to_string(),
            container: ask.container.clone(),
            blob: ask.blob.to_string(),
            account: account_seen,
            container_exists,
            blob_state: blob,
        },
        confirmed_tier: ask.confirmed_tier.clone(),
        overwrite: ask.overwrite,
        now: OffsetDateTime::now_utc(),
    };
    Ok(PreflightReport {
        verdict: evaluate(&facts),
        service: facts.service.read().map(|s| s.summary.clone()),
        storage: account,
    })
}
