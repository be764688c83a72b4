//! From [`AuthSettings`] to the `azure_identity` credentials `--auth` names: the tenant and
//! client id given on the command line (or in `config.toml`) win over the conventional
//! environment variables, and the cloud's Entra authority is always set explicitly, so a stray
//! `AZURE_AUTHORITY_HOST` cannot send a China or US Gov sign-in to the public cloud.

use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use azure_identity::{
    AzureCliCredential, AzureCliCredentialOptions, AzurePipelinesCredential,
    AzurePipelinesCredentialOptions, ClientAssertionCredentialOptions, ClientSecretCredential,
    ClientSecretCredentialOptions, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    UserAssignedId, WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};

use super::{AuthMethod, AuthSettings};

/// One credential of a chain, with the name `doctor` and errors show.
pub(super) type Named = (&'static str, Arc<dyn TokenCredential>);

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The first value that is set, or an error naming where it was looked for.
fn first(given: Option<&String>, flag: &str, vars: &[&str]) -> Result<String, String> {
    given
        .cloned()
        .or_else(|| vars.iter().find_map(|v| env(v)))
        .ok_or_else(|| {
            let mut places = vec![flag.to_owned()];
            places.extend(vars.iter().map(|v| (*v).to_owned()));
            format!("set {}", places.join(" or "))
        })
}

/// Builds the credentials `settings.method` names, in the order they are tried; each failure
/// is `name: why`.
pub(super) fn build(settings: &AuthSettings) -> (Vec<Named>, Vec<String>) {
    let mut chain: Vec<Named> = Vec::new();
    let mut errors = Vec::new();
    let method = settings.method;
    let mut add = |name: &'static str, built: Result<Arc<dyn TokenCredential>, String>| match built
    {
        Ok(c) => chain.push((name, c)),
        Err(e) => errors.push(format!("{name}: {e}")),
    };
    if matches!(method, AuthMethod::Auto | AuthMethod::Cli) {
        add("azure-cli", cli(settings));
    }
    if method == AuthMethod::Sp
        || (method == AuthMethod::Auto && env("AZURE_CLIENT_SECRET").is_some())
    {
        add("service-principal", service_principal(settings));
    }
    if method == AuthMethod::Workload {
        add("workload-identity", workload(settings));
    }
    if method == AuthMethod::Msi {
        add("managed-identity", managed_identity(settings));
    }
    if method == AuthMethod::Pipelines {
        add("azure-pipelines", pipelines(settings));
    }
    (chain, errors)
}

fn cli(s: &AuthSettings) -> Result<Arc<dyn TokenCredential>, String> {
    AzureCliCredential::new(Some(AzureCliCredentialOptions {
        tenant_id: s.tenant.clone(),
        ..AzureCliCredentialOptions::default()
    }))
    .map(|c| c as Arc<dyn TokenCredential>)
    .map_err(|e| e.to_string())
}

fn service_principal(s: &AuthSettings) -> Result<Arc<dyn TokenCredential>, String> {
    let tenant = first(s.tenant.as_ref(), "--tenant", &["AZURE_TENANT_ID"])?;
    let client = first(
        s.client_id.as_ref(),
        "--auth-client-id",
        &["AZURE_CLIENT_ID"],
    )?;
    let secret = s
        .client_secret
        .as_ref()
        .map(|x| x.expose().to_owned())
        .or_else(|| env("AZURE_CLIENT_SECRET"))
        .ok_or("set AZURE_CLIENT_SECRET")?;
    ClientSecretCredential::new(
        &tenant,
        client,
        azure_core::credentials::Secret::new(secret),
        Some(ClientSecretCredentialOptions {
            client_options: s.client_options.clone(),
        }),
    )
    .map(|c| c as Arc<dyn TokenCredential>)
    .map_err(|e| e.to_string())
}

fn workload(s: &AuthSettings) -> Result<Arc<dyn TokenCredential>, String> {
    WorkloadIdentityCredential::new(Some(WorkloadIdentityCredentialOptions {
        credential_options: ClientAssertionCredentialOptions {
            client_options: s.client_options.clone(),
        },
        client_id: s.client_id.clone(),
        tenant_id: s.tenant.clone(),
        ..WorkloadIdentityCredentialOptions::default()
    }))
    .map(|c| c as Arc<dyn TokenCredential>)
    .map_err(|e| e.to_string())
}

fn managed_identity(s: &AuthSettings) -> Result<Arc<dyn TokenCredential>, String> {
    ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
        user_assigned_id: s.client_id.clone().map(UserAssignedId::ClientId),
        client_options: s.client_options.clone(),
    }))
    .map(|c| c as Arc<dyn TokenCredential>)
    .map_err(|e| e.to_string())
}

/// Azure Pipelines' workload-identity service connection, as the `AzureCLI@2` task exposes
/// it (`AZURESUBSCRIPTION_*`), with `SYSTEM_ACCESSTOKEN` mapped in by the pipeline.
fn pipelines(s: &AuthSettings) -> Result<Arc<dyn TokenCredential>, String> {
    let tenant = first(
        s.tenant.as_ref(),
        "--tenant",
        &["AZURESUBSCRIPTION_TENANT_ID"],
    )?;
    let client = first(
        s.client_id.as_ref(),
        "--auth-client-id",
        &["AZURESUBSCRIPTION_CLIENT_ID"],
    )?;
    let connection = env("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID")
        .ok_or("set AZURESUBSCRIPTION_SERVICE_CONNECTION_ID (the AzureCLI@2 task sets it)")?;
    let access = env("SYSTEM_ACCESSTOKEN")
        .ok_or("set SYSTEM_ACCESSTOKEN: map it in the step with `env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`")?;
    AzurePipelinesCredential::new(
        tenant,
        client,
        &connection,
        access,
        Some(AzurePipelinesCredentialOptions {
            credential_options: ClientAssertionCredentialOptions {
                client_options: s.client_options.clone(),
            },
        }),
    )
    .map(|c| c as Arc<dyn TokenCredential>)
    .map_err(|e| e.to_string())
}
