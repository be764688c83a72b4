//! DR operations shared by the CLI and the TUI: inventory, pre-flight, backup, restore,
//! watching and post-restore verification. The engine reports progress as
//! [`ProgressUpdate`]s on a channel and knows nothing of the terminal or of `Action`.
//!
//! [`Engine::new`] is the one start-up path: configuration → credential → client → journal.
//! The CLI, the TUI and the demo all build their engine with it.
//!
//! [`ProgressUpdate`]: crate::domain::progress::ProgressUpdate

pub mod backup;
mod catalog;
pub mod cutover;
pub mod discovery;
pub mod error;
pub mod failover;
mod handle;
pub mod inventory;
pub mod operation;
pub mod preflight;
pub mod prune;
pub mod regions;
pub mod report;
pub mod report_files;
pub mod restore;
pub mod standby;
pub mod verify;
pub mod watch;

use std::sync::Arc;

use time::OffsetDateTime;

pub use error::EngineError;
pub use operation::Prepared;
pub use watch::RunEnd;

use crate::azure::auth::{AuthSettings, TokenSource};
use crate::azure::{AzureClient, ClientOptions};
use crate::config::Config;
use crate::domain::error::UserError;
use crate::domain::names::{BackupRef, ServiceId};
use crate::domain::operation::{AccessType, Began, NewService, OperationKind, PostKind};
use crate::domain::preflight::Check;
use crate::domain::progress::{CorrelationId, JournalId, OperationInfo};
use crate::domain::sku::SkuName;
use crate::journal::{
    Journal, JournalError, JournalEvent, Loaded, OperationState, Stage, live_on, new_id,
};
use crate::secret::Secret;

/// The client, the journal and the ARM origin operations are journaled under.
#[derive(Debug, Clone)]
pub struct Engine {
    client: AzureClient,
    journal: Arc<Journal>,
    endpoint: String,
    read_only: bool,
}

/// The credential `config` asks for: its static token when it has one, else the
/// `azure_identity` chain for its `auth` method, tenant and client id, signing in at its
/// cloud's Entra authority.
///
/// # Errors
/// [`UserError`] when no credential can be set up.
pub fn token_source(config: &Config) -> Result<TokenSource, UserError> {
    if let Some(token) = &config.access_token {
        return Ok(TokenSource::fixed(
            token.clone(),
            config.storage_token.clone(),
        ));
    }
    TokenSource::from_settings(&AuthSettings {
        method: config.auth,
        scopes: config.cloud.scopes(),
        tenant: config.tenant.clone(),
        client_id: config.auth_client_id.clone(),
        client_secret: None,
        client_options: azure_core::http::ClientOptions {
            cloud: Some(Arc::new(config.cloud.entra())),
            ..azure_core::http::ClientOptions::default()
        },
    })
    .map_err(|e| e.to_user_error("setting up the credential"))
}

/// The Azure client for `config`: its endpoint, poll pacing and credential.
///
/// # Errors
/// [`UserError`] for a refused endpoint or no credential.
pub fn client_for(config: &Config) -> Result<AzureClient, UserError> {
    let mut options = ClientOptions::new(config.arm_endpoint.clone());
    options.poll.default_interval = config.poll_interval;
    // Six polls: 60 s at the default interval, as long as ARM gives a provider to answer.
    options.poll.lost_post_window = config.poll_interval * 6;
    options.in_flight = config.in_flight;
    AzureClient::new(options, token_source(config)?)
        .map_err(|e| e.to_user_error("setting up the client"))
}

impl Engine {
    /// Configuration → credential → client → journal: the engine every face runs on.
    ///
    /// # Errors
    /// [`UserError`] when no credential is available, the endpoint is refused or the journal
    /// cannot be opened.
    pub fn new(config: &Config) -> Result<Self, UserError> {
        let client = client_for(config)?;
        let journal = Journal::open(&config.journal_file)
            .map_err(|e| UserError::new(format!("cannot open the operation journal: {e}")))?;
        Ok(Self::from_client(client, journal, config.read_only))
    }

    /// An engine over an existing client and journal; operations are journaled under the
    /// client's ARM origin.
    pub fn from_client(client: AzureClient, journal: Journal, read_only: bool) -> Self {
        let endpoint = client.options().arm_endpoint.origin().ascii_serialization();
        Self {
            client,
            journal: Arc::new(journal),
            endpoint,
            read_only,
        }
    }

    /// The Azure client.
    pub fn client(&self) -> &AzureClient {
        &self.client
    }

    /// The same engine for a new walk: its requests carry a correlation id of their own. The
    /// TUI starts one per batch of effects; every CLI command is one walk; each backup and
    /// restore starts its own.
    #[must_use]
    pub fn walk(&self) -> Self {
        self.with_client(self.client.new_walk())
    }

    /// The same engine continuing the walk `id` (a resumed operation).
    #[must_use]
    pub fn with_correlation(&self, id: CorrelationId) -> Self {
        self.with_client(self.client.with_correlation(id))
    }

    /// The same engine telling `listener` of every long wait inside a call (the CLI prints
    /// them; waits while watching are progress notes anyway).
    #[must_use]
    pub fn with_wait_listener(&self, listener: crate::azure::client::WaitListener) -> Self {
        self.with_client(self.client.with_wait_listener(listener))
    }

    fn with_client(&self, client: AzureClient) -> Self {
        Self {
            client,
            ..self.clone()
        }
    }

    /// The journal file's path.
    pub fn journal_path(&self) -> &std::path::Path {
        self.journal.path()
    }

    /// The ARM origin this engine journals operations under.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// True when backup and restore are refused.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Runs journal I/O (reads, appends with fsync) on tokio's blocking pool, never on an
    /// async worker.
    async fn with_journal<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Journal) -> Result<T, JournalError> + Send + 'static,
    ) -> Result<T, JournalError> {
        let journal = Arc::clone(&self.journal);
        tokio::task::spawn_blocking(move || f(&journal))
            .await
            .unwrap_or_else(|e| {
                Err(JournalError::Io {
                    path: self.journal.path().to_owned(),
                    source: std::io::Error::other(format!("the journal task stopped: {e}")),
                })
            })
    }

    /// Every operation in the journal, oldest first.
    ///
    /// # Errors
    /// [`JournalError`] when the journal cannot be read.
    pub async fn operations(&self) -> Result<Vec<OperationState>, JournalError> {
        self.with_journal(Journal::operations).await
    }

    /// Every record of the journal, in order (what a report is built from).
    ///
    /// # Errors
    /// [`JournalError`] when the journal cannot be read.
    pub async fn journal_records(
        &self,
    ) -> Result<Vec<crate::journal::JournalRecord>, JournalError> {
        self.with_journal(|j| j.read().map(|(records, _)| records))
            .await
    }

    /// Every operation in the journal and the lines it could not read, to report.
    ///
    /// # Errors
    /// [`JournalError`] when the journal cannot be read.
    pub async fn load_journal(&self) -> Result<Loaded, JournalError> {
        self.with_journal(Journal::load).await
    }

    /// Appends one record and syncs it to disk.
    pub(crate) async fn record(
        &self,
        id: &JournalId,
        event: JournalEvent,
    ) -> Result<(), JournalError> {
        let id = id.clone();
        self.with_journal(move |j| j.append(&id, event)).await
    }

    /// The early refusal, before any call to Azure: read-only mode, or this tool already has an
    /// unfinished operation on `service`. [`Self::journal_intent`] checks the journal again,
    /// atomically with writing the intent.
    pub(crate) async fn guard(&self, service: &ServiceId) -> Result<(), EngineError> {
        if self.read_only {
            return Err(EngineError::ReadOnly);
        }
        let (endpoint, target) = (self.endpoint.clone(), service.clone());
        let live = self
            .with_journal(move |j| j.live_on(&target, &endpoint))
            .await?;
        match live {
            Some(op) => Err(busy(service, &op)),
            None => Ok(()),
        }
    }

    /// The storage key APIM needs for `access` (only `AccessKey` takes one), from ARM `listKeys`.
    pub(crate) async fn key_for(
        &self,
        access: &AccessType,
        account_id: &str,
    ) -> Result<Option<Secret>, EngineError> {
        match access {
            AccessType::AccessKey => self
                .client
                .storage_key(account_id)
                .await
                .map(Some)
                .map_err(EngineError::api("reading the storage key")),
            _ => Ok(None),
        }
    }

    /// Journals the intent of an operation, under this engine's correlation id.
    pub(crate) async fn journal_intent(
        &self,
        service: &ServiceId,
        subject: Subject,
        notes: IntentNotes,
    ) -> Result<OperationInfo, EngineError> {
        let (kind, blob, access, creating) = match subject {
            Subject::Post { kind, blob, access } => (kind.into(), Some(blob), Some(access), None),
            Subject::Create(new) => (OperationKind::Create, None, None, Some(new)),
        };
        let IntentNotes {
            tier,
            began,
            preflight,
        } = notes;
        let now = OffsetDateTime::now_utc();
        let id = new_id(now);
        let correlation_id = self.client.correlation_id().clone();
        let intent = JournalEvent::Intent {
            kind,
            service: service.clone(),
            blob: blob.clone().map(Box::new),
            access,
            creating: creating.clone().map(Box::new),
            endpoint: self.endpoint.clone(),
            correlation_id: Some(correlation_id.clone()),
            tier: tier.clone(),
            began,
            preflight,
        };
        // The check and the write hold the journal's lock together: of two processes starting
        // an operation on one service at once, exactly one writes its intent.
        let (journal_id, target, endpoint) = (id.clone(), service.clone(), self.endpoint.clone());
        self.with_journal(move |j| {
            j.append_if(&journal_id, intent, |ops| {
                live_on(ops, &target, &endpoint).map_or(Ok(()), |op| Err(Box::new(op.clone())))
            })
        })
        .await?
        .map_err(|op| busy(service, &op))?;
        Ok(OperationInfo {
            id,
            kind,
            service: service.clone(),
            blob,
            creating,
            started_at: now,
            correlation_id: Some(correlation_id),
            tier,
        })
    }
}

/// What an intent names besides its kind and service.
#[derive(Debug)]
pub(crate) enum Subject {
    /// A backup or a restore: its blob and how APIM reaches storage.
    Post {
        /// Which.
        kind: PostKind,
        /// The blob written or read.
        blob: BackupRef,
        /// How APIM reaches storage.
        access: AccessType,
    },
    /// A creation: its region and units.
    Create(NewService),
}

/// What the intent records besides the operation itself, for estimates and the report.
#[derive(Debug, Default)]
pub(crate) struct IntentNotes {
    /// The service's tier.
    pub tier: Option<SkuName>,
    /// When the operator began it.
    pub began: Option<Began>,
    /// The pre-flight checks it starts on.
    pub preflight: Vec<Check>,
}

/// The refusal of a second operation on `service` while `existing` has no end.
fn busy(service: &ServiceId, existing: &OperationState) -> EngineError {
    EngineError::Busy {
        service: service.name.to_string(),
        existing: existing.info.id.clone(),
        may_have_started: existing.stage() == Stage::MayHaveStarted,
    }
}
