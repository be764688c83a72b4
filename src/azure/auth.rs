//! Where bearer tokens come from, and the cache that keeps one per audience fresh.
//!
//! `APIM_DR_ACCESS_TOKEN` (a token obtained elsewhere, e.g. by a pipeline, or printed by the
//! emulator) wins. A fixed token goes only to the origin it was given for: the ARM token never
//! to storage; a storage token, when needed, is given on its own (`APIM_DR_STORAGE_TOKEN`). Otherwise an `azure_identity` credential chosen by `--auth`: the Azure CLI
//! login, a service principal from the environment, workload identity or managed identity.
//! The CLI credential spawns `az` on every call and caches nothing, so the cache here is what
//! keeps a 45-minute restore from asking 300 times, and what refreshes the token before it
//! expires mid-restore.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;

use super::error::{ApiError, ErrorKind};
use crate::secret::Secret;

/// Refresh a cached token when it has less than this left.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// Which service a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Azure Resource Manager (`https://management.azure.com/.default` in the public cloud).
    Arm,
    /// Blob storage data plane (`https://storage.azure.com/.default`).
    Storage,
}

/// How `--auth` picks a credential when no static token is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// Azure CLI login, then the environment service principal.
    #[default]
    Auto,
    /// Azure CLI (`az login`) only.
    Cli,
    /// Service principal from `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`.
    Sp,
    /// Workload identity (`AZURE_FEDERATED_TOKEN_FILE`, AKS and GitHub OIDC).
    Workload,
    /// Managed identity (IMDS or App Service).
    Msi,
}

/// The token scopes of one cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes {
    /// ARM scope.
    pub arm: String,
    /// Storage scope.
    pub storage: String,
}

impl Scopes {
    /// The public cloud's scopes.
    pub fn public() -> Self {
        Self {
            arm: "https://management.azure.com/.default".to_owned(),
            storage: "https://storage.azure.com/.default".to_owned(),
        }
    }

    fn for_audience(&self, audience: Audience) -> &str {
        match audience {
            Audience::Arm => &self.arm,
            Audience::Storage => &self.storage,
        }
    }
}

enum Provider {
    /// A fixed ARM token, and a fixed storage token when one was given.
    Static {
        arm: Secret,
        storage: Option<Secret>,
    },
    Chain(Vec<(&'static str, Arc<dyn TokenCredential>)>),
}

struct Cached {
    token: Secret,
    expires_on: OffsetDateTime,
}

/// Hands out bearer tokens per audience, cached and refreshed before expiry.
pub struct TokenSource {
    provider: Provider,
    scopes: Scopes,
    cache: Mutex<HashMap<Audience, Cached>>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.provider {
            Provider::Static { .. } => "static".to_owned(),
            Provider::Chain(c) => c.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" → "),
        };
        f.debug_struct("TokenSource")
            .field("provider", &kind)
            .finish_non_exhaustive()
    }
}

fn credential_error(e: &azure_core::Error) -> ApiError {
    // Display, never Debug: azure_core's Debug carries a backtrace.
    ApiError::local(
        ErrorKind::Credential,
        "CredentialUnavailable",
        sentences(&e.to_string()),
    )
}

/// `azure_identity`'s multi-line messages ("… not found on PATH\nTo troubleshoot, visit …") as
/// one line whose sentences stay apart: reports and flash lines show one line.
fn sentences(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str(if out.ends_with(['.', ':', ';', '!', '?']) {
                " "
            } else {
                ". "
            });
        }
        out.push_str(line);
    }
    out
}

impl TokenSource {
    /// Fixed tokens (from `APIM_DR_ACCESS_TOKEN` and `APIM_DR_STORAGE_TOKEN`, or the
    /// emulator's): `arm` goes only to ARM, `storage` only to Blob. Without a storage token,
    /// asking for one is a credential error that says how to give one: an ARM token is never
    /// sent to storage.
    pub fn fixed(arm: Secret, storage: Option<Secret>) -> Self {
        Self {
            provider: Provider::Static { arm, storage },
            scopes: Scopes::public(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Builds the `azure_identity` chain for `method`.
    ///
    /// # Errors
    /// [`ApiError`] of kind `Credential` when no credential of the chain can be built (for
    /// example `--auth sp` without the three environment variables).
    pub fn from_method(method: AuthMethod, scopes: Scopes) -> Result<Self, ApiError> {
        let mut chain: Vec<(&'static str, Arc<dyn TokenCredential>)> = Vec::new();
        let mut errors = Vec::new();
        let wants = |m: AuthMethod| {
            method == m
                || (method == AuthMethod::Auto && matches!(m, AuthMethod::Cli | AuthMethod::Sp))
        };
        if wants(AuthMethod::Cli) {
            match azure_identity::AzureCliCredential::new(None) {
                Ok(c) => chain.push(("azure-cli", c)),
                Err(e) => errors.push(format!("azure-cli: {e}")),
            }
        }
        if wants(AuthMethod::Sp) {
            match service_principal_from_env() {
                Ok(c) => chain.push(("service-principal", c)),
                Err(e) if method == AuthMethod::Sp => {
                    errors.push(format!("service-principal: {e}"));
                }
                Err(_) => {}
            }
        }
        if wants(AuthMethod::Workload) {
            match azure_identity::WorkloadIdentityCredential::new(None) {
                Ok(c) => chain.push(("workload-identity", c)),
                Err(e) => errors.push(format!("workload-identity: {e}")),
            }
        }
        if wants(AuthMethod::Msi) {
            match azure_identity::ManagedIdentityCredential::new(None) {
                Ok(c) => chain.push(("managed-identity", c)),
                Err(e) => errors.push(format!("managed-identity: {e}")),
            }
        }
        if chain.is_empty() {
            return Err(ApiError::local(
                ErrorKind::Credential,
                "CredentialUnavailable",
                format!("no credential could be set up ({})", errors.join("; ")),
            ));
        }
        Ok(Self {
            provider: Provider::Chain(chain),
            scopes,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// A token for `audience`, from the cache while it has more than five minutes left.
    ///
    /// # Errors
    /// [`ApiError`] of kind `Credential` naming every source that was tried.
    pub async fn token(&self, audience: Audience) -> Result<Secret, ApiError> {
        let chain = match &self.provider {
            Provider::Static { arm, storage } => {
                return fixed_token(audience, arm, storage.as_ref());
            }
            Provider::Chain(chain) => chain,
        };
        let mut cache = self.cache.lock().await;
        if let Some(c) = cache
            .get(&audience)
            .filter(|c| c.expires_on - OffsetDateTime::now_utc() > REFRESH_MARGIN)
        {
            return Ok(c.token.clone());
        }
        let scope = self.scopes.for_audience(audience);
        let mut failures = Vec::new();
        for (name, cred) in chain {
            match cred.get_token(&[scope], None).await {
                Ok(t) => {
                    let token = Secret::new(t.token.secret());
                    cache.insert(
                        audience,
                        Cached {
                            token: token.clone(),
                            expires_on: t.expires_on,
                        },
                    );
                    return Ok(token);
                }
                Err(e) => failures.push(format!("{name}: {}", credential_error(&e).message)),
            }
        }
        Err(ApiError::local(
            ErrorKind::Credential,
            "CredentialUnavailable",
            format!(
                "could not get a token for {scope} ({})",
                failures.join("; ")
            ),
        ))
    }

    /// Forgets the cached token for `audience` (after a 401), so the next call fetches anew.
    pub async fn invalidate(&self, audience: Audience) {
        self.cache.lock().await.remove(&audience);
    }

    /// True for a fixed token.
    pub fn is_fixed(&self) -> bool {
        matches!(self.provider, Provider::Static { .. })
    }
}

/// The fixed token for `audience`: never the ARM token for storage.
fn fixed_token(
    audience: Audience,
    arm: &Secret,
    storage: Option<&Secret>,
) -> Result<Secret, ApiError> {
    match (audience, storage) {
        (Audience::Arm, _) => Ok(arm.clone()),
        (Audience::Storage, Some(t)) => Ok(t.clone()),
        (Audience::Storage, None) => Err(ApiError::local(
            ErrorKind::Credential,
            "NoStorageToken",
            "this storage account disallows Shared Key, so Blob needs a storage token, and \
             APIM_DR_ACCESS_TOKEN is for ARM only: it is never sent to storage. Set \
             APIM_DR_STORAGE_TOKEN to a token for https://storage.azure.com (e.g. `az account \
             get-access-token --resource https://storage.azure.com`), or unset \
             APIM_DR_ACCESS_TOKEN to sign in with --auth"
                .to_owned(),
        )),
    }
}

fn service_principal_from_env() -> Result<Arc<dyn TokenCredential>, String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        var("AZURE_TENANT_ID"),
        var("AZURE_CLIENT_ID"),
        var("AZURE_CLIENT_SECRET"),
    ) {
        (Some(tenant), Some(client), Some(secret)) => azure_identity::ClientSecretCredential::new(
            &tenant,
            client,
            azure_core::credentials::Secret::new(secret),
            None,
        )
        .map(|c| c as Arc<dyn TokenCredential>)
        .map_err(|e| e.to_string()),
        _ => Err(
            "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET must all be set".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fixed_token_serves_only_its_own_audience() {
        let src = TokenSource::fixed(Secret::new("tok"), None);
        assert_eq!(src.token(Audience::Arm).await.unwrap().expose(), "tok");
        let e = src.token(Audience::Storage).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Credential);
        assert!(e.message.contains("APIM_DR_STORAGE_TOKEN"), "{e}");
        assert!(!e.to_string().contains("tok\""));
        assert!(src.is_fixed());
        assert!(!format!("{src:?}").contains("tok\""));
        let both = TokenSource::fixed(Secret::new("arm"), Some(Secret::new("st")));
        assert_eq!(both.token(Audience::Arm).await.unwrap().expose(), "arm");
        assert_eq!(both.token(Audience::Storage).await.unwrap().expose(), "st");
    }

    #[test]
    fn multi_line_credential_messages_keep_their_sentences_apart() {
        assert_eq!(
            sentences("Azure CLI not found on PATH\nTo troubleshoot, visit https://aka.ms/x"),
            "Azure CLI not found on PATH. To troubleshoot, visit https://aka.ms/x"
        );
        assert_eq!(sentences("failed.\n\n  ERROR: x\n"), "failed. ERROR: x");
    }

    #[derive(Debug)]
    struct Counting(std::sync::atomic::AtomicU32, Duration);

    #[async_trait::async_trait]
    impl TokenCredential for Counting {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<azure_core::credentials::TokenRequestOptions<'_>>,
        ) -> azure_core::Result<azure_core::credentials::AccessToken> {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(azure_core::credentials::AccessToken::new(
                format!("t{n}"),
                OffsetDateTime::now_utc() + self.1,
            ))
        }
    }

    fn source(lifetime: Duration) -> TokenSource {
        TokenSource {
            provider: Provider::Chain(vec![(
                "counting",
                Arc::new(Counting(std::sync::atomic::AtomicU32::new(0), lifetime)),
            )]),
            scopes: Scopes::public(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    #[tokio::test]
    async fn caches_until_close_to_expiry_then_refreshes() {
        let long = source(Duration::hours(1));
        assert_eq!(long.token(Audience::Arm).await.unwrap().expose(), "t0");
        assert_eq!(long.token(Audience::Arm).await.unwrap().expose(), "t0");
        assert_eq!(long.token(Audience::Storage).await.unwrap().expose(), "t1");
        long.invalidate(Audience::Arm).await;
        assert_eq!(long.token(Audience::Arm).await.unwrap().expose(), "t2");

        let short = source(Duration::minutes(2));
        assert_eq!(short.token(Audience::Arm).await.unwrap().expose(), "t0");
        assert_eq!(short.token(Audience::Arm).await.unwrap().expose(), "t1");
    }
}
