//! Where bearer tokens come from, and the cache that keeps one per audience fresh.
//!
//! `APIM_DR_ACCESS_TOKEN` (a token obtained elsewhere, e.g. by a pipeline, or printed by the
//! emulator) wins, and goes only to the origin it was given for: the ARM token never to
//! storage; a storage token, when needed, is given on its own (`APIM_DR_STORAGE_TOKEN`).
//! Otherwise an `azure_identity` credential chosen by `--auth` (`chain.rs`): the Azure CLI
//! login, a service principal, workload identity, managed identity (system- or user-assigned)
//! or an Azure Pipelines service connection, in the tenant `--tenant` names.
//! The CLI credential spawns `az` on every call and caches nothing, so the cache here is what
//! keeps a 45-minute restore from asking 300 times, and what refreshes the token before it
//! expires mid-restore.

mod chain;
mod jwt;

use std::collections::HashMap;
use std::fmt;

use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;

use super::error::{ApiError, ErrorKind};
use crate::secret::Secret;

/// Refresh a cached token when it has less than this left.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// The longest one credential may take to answer (`az` has no timeout of its own; IMDS
/// retries for about 100 s where there is none).
const CREDENTIAL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Which service a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Azure Resource Manager (`https://management.azure.com/.default` in the public cloud).
    Arm,
    /// Blob storage data plane (`https://storage.azure.com/.default`).
    Storage,
}

/// How `--auth` picks a credential when no static token is set.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// Azure CLI login, then a service principal when `AZURE_CLIENT_SECRET` is set.
    #[default]
    Auto,
    /// Azure CLI (`az login`, or `azure/login` in GitHub Actions) only, in `--tenant` if given.
    Cli,
    /// Service principal: `--tenant`/`AZURE_TENANT_ID`, `--auth-client-id`/`AZURE_CLIENT_ID`,
    /// `AZURE_CLIENT_SECRET`.
    Sp,
    /// Workload identity federation from a token file (`AZURE_FEDERATED_TOKEN_FILE`, as AKS
    /// writes it). Not GitHub Actions: GitHub writes no token file.
    Workload,
    /// Managed identity: App Service/Functions (`IDENTITY_ENDPOINT`) or the VM's IMDS; a
    /// user-assigned one by `--auth-client-id`.
    Msi,
    /// Azure Pipelines workload-identity service connection (`AZURESUBSCRIPTION_*`,
    /// `SYSTEM_ACCESSTOKEN`, `SYSTEM_OIDCREQUESTURI`).
    Pipelines,
}

impl AuthMethod {
    /// The name `--auth` and `config.toml` use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Cli => "cli",
            Self::Sp => "sp",
            Self::Workload => "workload",
            Self::Msi => "msi",
            Self::Pipelines => "pipelines",
        }
    }
}

/// What a credential chain is built from. The tenant and client id, when given, win over the
/// environment variables each method reads; `client_options` carries the cloud's Entra
/// authority (and, in tests, a transport).
#[derive(Debug, Clone, Default)]
pub struct AuthSettings {
    /// `--auth`.
    pub method: AuthMethod,
    /// The cloud's scopes.
    pub scopes: Scopes,
    /// `--tenant`: the Entra tenant to sign in to.
    pub tenant: Option<String>,
    /// `--auth-client-id`: a user-assigned managed identity, or the application of a service
    /// principal, workload identity or pipeline service connection.
    pub client_id: Option<String>,
    /// A service principal's secret; `AZURE_CLIENT_SECRET` when `None`.
    pub client_secret: Option<Secret>,
    /// Pipeline options for the credentials that speak HTTP (cloud, retry, transport).
    pub client_options: azure_core::http::ClientOptions,
}

/// The token scopes of one cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes {
    /// ARM scope.
    pub arm: String,
    /// Storage scope.
    pub storage: String,
}

impl Default for Scopes {
    fn default() -> Self {
        Self::public()
    }
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
    Chain(Vec<chain::Named>),
}

struct Cached {
    token: Secret,
    expires_on: OffsetDateTime,
    source: &'static str,
}

/// Where the token for one audience came from and how long it lasts (for `doctor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The credential that gave it (`azure-cli`, `managed-identity`, …, or
    /// `APIM_DR_ACCESS_TOKEN`).
    pub source: &'static str,
    /// Its expiry, when known (a fixed token's only from its JWT `exp`).
    pub expires_on: Option<OffsetDateTime>,
    /// The tenant its JWT names (`tid`), when it is a JWT.
    pub tenant: Option<String>,
}

/// How the credential was chosen (for `doctor` and `config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSummary {
    /// `--auth`, or `None` for a fixed token.
    pub method: Option<AuthMethod>,
    /// The credentials tried, in order.
    pub chain: Vec<&'static str>,
    /// `--tenant`, when given.
    pub tenant: Option<String>,
    /// `--auth-client-id`, when given.
    pub client_id: Option<String>,
}

/// Hands out bearer tokens per audience, cached and refreshed before expiry.
pub struct TokenSource {
    provider: Provider,
    scopes: Scopes,
    cache: Mutex<HashMap<Audience, Cached>>,
    summary: AuthSummary,
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

/// The source name of a fixed token.
const FIXED: &str = "APIM_DR_ACCESS_TOKEN";
/// The source name of a fixed storage token.
const FIXED_STORAGE: &str = "APIM_DR_STORAGE_TOKEN";

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
            summary: AuthSummary {
                method: None,
                chain: vec![FIXED],
                tenant: None,
                client_id: None,
            },
        }
    }

    /// Builds the `azure_identity` chain `settings` describe.
    ///
    /// # Errors
    /// [`ApiError`] of kind `Credential` when no credential of the chain can be built (for
    /// example `--auth sp` without a secret), naming what is missing.
    pub fn from_settings(settings: &AuthSettings) -> Result<Self, ApiError> {
        let (chain, errors) = chain::build(settings);
        if chain.is_empty() {
            return Err(ApiError::local(
                ErrorKind::Credential,
                "CredentialUnavailable",
                format!("no credential could be set up ({})", errors.join("; ")),
            ));
        }
        Ok(Self::from_chain(chain, settings))
    }

    fn from_chain(chain: Vec<chain::Named>, settings: &AuthSettings) -> Self {
        Self {
            summary: AuthSummary {
                method: Some(settings.method),
                chain: chain.iter().map(|(n, _)| *n).collect(),
                tenant: settings.tenant.clone(),
                client_id: settings.client_id.clone(),
            },
            provider: Provider::Chain(chain),
            scopes: settings.scopes.clone(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// How the credential was chosen.
    pub fn summary(&self) -> &AuthSummary {
        &self.summary
    }

    /// A token for `audience` (as [`Self::token`]) with where it came from and its expiry.
    ///
    /// # Errors
    /// As [`Self::token`].
    pub async fn token_info(&self, audience: Audience) -> Result<TokenInfo, ApiError> {
        let token = self.token(audience).await?;
        let tenant = jwt::claim(token.expose(), "tid");
        if let Provider::Static { .. } = self.provider {
            let expires_on = jwt::claim(token.expose(), "exp")
                .and_then(|e| e.parse::<i64>().ok())
                .and_then(|e| OffsetDateTime::from_unix_timestamp(e).ok());
            return Ok(TokenInfo {
                source: match audience {
                    Audience::Arm => FIXED,
                    Audience::Storage => FIXED_STORAGE,
                },
                expires_on,
                tenant,
            });
        }
        let cache = self.cache.lock().await;
        let cached = cache.get(&audience);
        Ok(TokenInfo {
            source: cached.map_or("unknown", |c| c.source),
            expires_on: cached.map(|c| c.expires_on),
            tenant,
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
            let got =
                tokio::time::timeout(CREDENTIAL_TIMEOUT, cred.get_token(&[scope], None)).await;
            match got {
                Ok(Ok(t)) => {
                    let token = Secret::new(t.token.secret());
                    cache.insert(
                        audience,
                        Cached {
                            token: token.clone(),
                            expires_on: t.expires_on,
                            source: name,
                        },
                    );
                    return Ok(token);
                }
                Ok(Err(e)) => failures.push(format!("{name}: {}", credential_error(&e).message)),
                Err(_) => failures.push(format!(
                    "{name}: no answer within {} s",
                    CREDENTIAL_TIMEOUT.as_secs()
                )),
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use azure_core::credentials::TokenCredential;

    use super::chain::Named;
    use super::*;

    #[tokio::test]
    async fn a_fixed_token_serves_only_its_own_audience() {
        let src = TokenSource::fixed(Secret::new("tok"), None);
        assert_eq!(src.token(Audience::Arm).await.unwrap().expose(), "tok");
        let e = src.token(Audience::Storage).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Credential);
        assert!(e.message.contains("APIM_DR_STORAGE_TOKEN"), "{e}");
        assert!(!e.to_string().contains("tok\""));
        assert_eq!(src.summary().method, None);
        let info = src.token_info(Audience::Arm).await.unwrap();
        assert_eq!((info.source, info.expires_on), (FIXED, None));
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
        let named: Named = (
            "counting",
            Arc::new(Counting(std::sync::atomic::AtomicU32::new(0), lifetime)),
        );
        TokenSource::from_chain(vec![named], &AuthSettings::default())
    }

    #[tokio::test]
    async fn caches_until_close_to_expiry_then_refreshes() {
        let long = source(Duration::hours(1));
        assert_eq!(long.token(Audience::Arm).await.unwrap().expose(), "t0");
        assert_eq!(long.token(Audience::Arm).await.unwrap().expose(), "t0");
        let info = long.token_info(Audience::Arm).await.unwrap();
        assert_eq!(info.source, "counting");
        assert!(info.expires_on.unwrap() - OffsetDateTime::now_utc() > Duration::minutes(59));
        assert_eq!(long.token(Audience::Storage).await.unwrap().expose(), "t1");
        long.invalidate(Audience::Arm).await;
        assert_eq!(long.token(Audience::Arm).await.unwrap().expose(), "t2");

        let short = source(Duration::minutes(2));
        assert_eq!(short.token(Audience::Arm).await.unwrap().expose(), "t0");
        assert_eq!(short.token(Audience::Arm).await.unwrap().expose(), "t1");
    }
}
