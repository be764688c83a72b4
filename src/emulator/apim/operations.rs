//! The clock of backup and restore: an operation runs for its duration, reads storage after a
//! tenth of it (where Storage may refuse it, in the words of `storage_access.rs`, and a restore
//! finds an expired backup or a tier mismatch and fails) and applies its effect at the end (a
//! restore replaces the target's APIs, products and named values; a backup writes the blob).
//!
//! Operations advance lazily on every request and from a background ticker, always against
//! the instant passed in. The failure texts are Azure's where Azure's are known
//! (`Cannot restore: current SKU is '…', backup SKU is '…'`, `Cannot restore: backup expired`);
//! a backup's 30 days count from the time inside it, not from the blob's creation.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use time::OffsetDateTime;

use super::admission::Params;
use super::storage_access::{self, Refusal};
use crate::domain::backup::BACKUP_LIFETIME;
use crate::emulator::activity::ActivityEvent;
use crate::emulator::state::LiveState;
use crate::emulator::world::backup_doc::BackupDocument;
use crate::emulator::world::{Blob, BlobLocation, Container};

/// Backup or restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BackupOrRestore {
    Backup,
    Restore,
}

impl BackupOrRestore {
    /// `backup` or `restore`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Backup => "backup",
            Self::Restore => "restore",
        }
    }

    /// How long it takes in Azure.
    pub fn azure_duration(self) -> Duration {
        match self {
            Self::Backup => Duration::from_secs(10 * 60),
            Self::Restore => Duration::from_secs(30 * 60),
        }
    }

    fn failure_code(self) -> &'static str {
        match self {
            Self::Backup => "BackupFailed",
            Self::Restore => "RestoreFailed",
        }
    }

    fn refusal(self) -> &'static str {
        match self {
            Self::Backup => "Cannot back up",
            Self::Restore => "Cannot restore",
        }
    }
}

/// How APIM reaches the storage account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Key,
    Identity,
}

/// How an operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OpResult {
    Succeeded,
    Failed { code: String, message: String },
}

/// One backup or restore.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub id: String,
    pub kind: BackupOrRestore,
    pub service: usize,
    pub api_version: String,
    /// The POST's body, as checked.
    pub params: Params,
    pub started: Instant,
    pub started_at: OffsetDateTime,
    pub duration: Duration,
    outcome: Option<OpResult>,
    pub ended_at: Option<OffsetDateTime>,
    /// The POST's `x-ms-correlation-request-id` (ARM makes one up when it had none).
    pub correlation_id: String,
    checked: bool,
    payload: Option<BackupDocument>,
}

type Failure = (String, String);

impl Operation {
    /// A new operation, starting now, with a fresh opaque id.
    pub fn new(
        kind: BackupOrRestore,
        service: usize,
        service_name: &str,
        api_version: String,
        params: Params,
        duration: Duration,
    ) -> Self {
        let raw = format!(
            "{service_name}_{}_{}",
            kind.as_str(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        Self {
            id: URL_SAFE.encode(raw),
            kind,
            service,
            api_version,
            params,
            started: Instant::now(),
            started_at: OffsetDateTime::now_utc(),
            duration,
            outcome: None,
            ended_at: None,
            correlation_id: uuid::Uuid::new_v4().to_string(),
            checked: false,
            payload: None,
        }
    }

    /// True until it succeeds or fails.
    pub fn is_running(&self) -> bool {
        self.outcome.is_none()
    }

    /// `InProgress`, `Succeeded` or `Failed`.
    pub fn status_word(&self, _now: Instant) -> &'static str {
        match &self.outcome {
            None => "InProgress",
            Some(OpResult::Succeeded) => "Succeeded",
            Some(OpResult::Failed { .. }) => "Failed",
        }
    }

    /// `(code, message)` of a failure.
    pub fn failure(&self) -> Option<(&str, &str)> {
        match &self.outcome {
            Some(OpResult::Failed { code, message }) => Some((code, message)),
            _ => None,
        }
    }

    /// The blob written or read.
    pub fn blob(&self) -> &BlobLocation {
        &self.params.blob
    }

    /// Share of the duration elapsed, 0–100 (100 once ended).
    pub fn percent(&self, now: Instant) -> f64 {
        if self.outcome.is_some() {
            return 100.0;
        }
        let elapsed = now.saturating_duration_since(self.started).as_secs_f64();
        (elapsed / self.duration.as_secs_f64().max(1e-9) * 100.0).clamp(0.0, 99.0)
    }

    fn fail(&self, text: impl AsRef<str>) -> Failure {
        (
            self.kind.failure_code().to_owned(),
            format!("{}: {}", self.kind.refusal(), text.as_ref()),
        )
    }
}

impl LiveState {
    /// Starts an operation: the service shows `Updating` until it ends (unless the emulator
    /// keeps provisioning states steady), and the Activity Log records it `Started` and
    /// `Accepted`.
    pub fn start(&mut self, op: Operation) -> &Operation {
        let steady = self.steady_provisioning;
        if let Some(s) = self.world.services.get_mut(op.service) {
            if !steady {
                "Updating".clone_into(&mut s.provisioning_state);
                "Succeeded".clone_into(&mut s.target_provisioning_state);
            }
            s.touch();
        }
        self.log_activity(&op, "BeginRequest", "Started", op.started_at);
        self.log_activity(&op, "EndRequest", "Accepted", op.started_at);
        self.ops.push(op);
        &self.ops[self.ops.len() - 1]
    }

    /// The running operation on a service, if any.
    pub fn running_on(&self, service: usize) -> Option<&Operation> {
        self.ops
            .iter()
            .find(|o| o.service == service && o.is_running())
    }

    /// Moves every running operation to `now`; true when one changed state.
    pub fn advance(&mut self, now: Instant, wall: OffsetDateTime, creates_container: bool) -> bool {
        let mut changed = false;
        for i in 0..self.ops.len() {
            if !self.ops[i].is_running() {
                continue;
            }
            let elapsed = now.saturating_duration_since(self.ops[i].started);
            if !self.ops[i].checked && elapsed >= self.ops[i].duration.mul_f64(0.1) {
                changed = true;
                self.ops[i].checked = true;
                match self.check(i, wall, creates_container) {
                    Ok(payload) => self.ops[i].payload = payload,
                    Err((code, message)) => {
                        self.finish(i, OpResult::Failed { code, message }, wall);
                        continue;
                    }
                }
            }
            if elapsed >= self.ops[i].duration {
                changed = true;
                let outcome = match self.apply(i, wall, creates_container) {
                    Ok(()) => OpResult::Succeeded,
                    Err((code, message)) => OpResult::Failed { code, message },
                };
                self.finish(i, outcome, wall);
            }
        }
        changed
    }

    fn finish(&mut self, i: usize, outcome: OpResult, wall: OffsetDateTime) {
        let op = &mut self.ops[i];
        let status = match &outcome {
            OpResult::Succeeded => "Succeeded",
            OpResult::Failed { .. } => "Failed",
        };
        op.outcome = Some(outcome);
        op.ended_at = Some(wall);
        if let Some(s) = self.world.services.get_mut(op.service) {
            "Succeeded".clone_into(&mut s.provisioning_state);
            s.target_provisioning_state = String::new();
            s.touch();
        }
        let op = self.ops[i].clone();
        self.log_activity(&op, "EndRequest", status, wall);
    }

    /// Appends one Activity Log record of `op`.
    fn log_activity(
        &mut self,
        op: &Operation,
        event_name: &'static str,
        status: &'static str,
        at: OffsetDateTime,
    ) {
        let Some(s) = self.world.services.get(op.service) else {
            return;
        };
        self.activity.push(ActivityEvent {
            event_data_id: uuid::Uuid::new_v4().to_string(),
            operation_id: op.id.clone(),
            correlation_id: op.correlation_id.clone(),
            caller: self.world.caller.object_id.clone(),
            subscription: s.subscription.clone(),
            resource_group: s.resource_group.clone(),
            resource_id: s.id(),
            action: ActivityEvent::action_of(op.kind.as_str()),
            event_name,
            status,
            failure: op.failure().map(|(c, m)| (c.to_owned(), m.to_owned())),
            at,
            tenant_id: self.world.tenant_id.clone(),
        });
    }

    /// The read after a tenth of the run: Storage's answer to APIM, the container a backup
    /// writes into, and for a restore the backup's content, its age and its tier.
    fn check(
        &mut self,
        i: usize,
        wall: OffsetDateTime,
        creates: bool,
    ) -> Result<Option<BackupDocument>, Failure> {
        let op = self.ops[i].clone();
        let Some(service) = self.world.services.get(op.service) else {
            return Err(op.fail("the service no longer exists."));
        };
        storage_access::check(&self.world, service, op.kind, &op.params, creates)
            .map_err(|r| (Refusal::CODE.to_owned(), r.message()))?;
        let target_sku = service.sku.clone();
        let blob = op.blob();
        let Some(account) = self.world.account_mut(&blob.account) else {
            return Err(op.fail("the storage account was not found."));
        };
        if op.kind == BackupOrRestore::Backup {
            account
                .containers
                .entry(blob.container.clone())
                .or_insert_with(|| Container::new(wall));
            return Ok(None);
        }
        let content = account
            .containers
            .get(&blob.container)
            .and_then(|c| c.blobs.get(&blob.blob))
            .map(|b| b.content.clone())
            .unwrap_or_default();
        let doc = BackupDocument::parse(&content).ok_or_else(|| {
            op.fail(format!(
                "the blob '{}' is not a valid API Management backup.",
                blob.blob
            ))
        })?;
        if doc
            .taken()
            .is_none_or(|taken| wall - taken >= BACKUP_LIFETIME)
        {
            return Err(op.fail("backup expired"));
        }
        if !doc.sku.eq_ignore_ascii_case(&target_sku) {
            return Err((
                op.kind.failure_code().to_owned(),
                format!(
                    "Cannot restore: current SKU is '{target_sku}', backup SKU is '{}'",
                    doc.sku
                ),
            ));
        }
        Ok(Some(doc))
    }

    /// The effect at the end of the run.
    fn apply(&mut self, i: usize, wall: OffsetDateTime, creates: bool) -> Result<(), Failure> {
        let op = self.ops[i].clone();
        let Some(service) = self.world.services.get_mut(op.service) else {
            return Err(op.fail("the service no longer exists."));
        };
        match op.kind {
            BackupOrRestore::Restore => {
                if let Some(doc) = &op.payload {
                    service.apis.clone_from(&doc.apis);
                    service.products.clone_from(&doc.products);
                    service.named_values.clone_from(&doc.named_values);
                }
                service.restored_from = Some(op.blob().clone());
                Ok(())
            }
            BackupOrRestore::Backup => {
                let doc = BackupDocument::of(service, op.started_at);
                let blob = op.blob();
                let account = self
                    .world
                    .account_mut(&blob.account)
                    .ok_or_else(|| op.fail("the storage account was not found."))?;
                if !account.containers.contains_key(&blob.container) && !creates {
                    return Err((
                        Refusal::CODE.to_owned(),
                        storage_access::container_gone().message(),
                    ));
                }
                let container = account
                    .containers
                    .entry(blob.container.clone())
                    .or_insert_with(|| Container::new(wall));
                let serial = container
                    .blobs
                    .get(&blob.blob)
                    .map_or(1, |b| b.etag_serial + 1);
                container.blobs.insert(
                    blob.blob.clone(),
                    Blob {
                        content: doc.to_bytes().into(),
                        content_type: "application/octet-stream".to_owned(),
                        metadata: Vec::new(),
                        created: wall,
                        modified: wall,
                        etag_serial: serial,
                    },
                );
                Ok(())
            }
        }
    }
}
