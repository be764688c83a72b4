//! Backup and restore operations as data: what is asked (plans), how it goes (statuses) and how
//! it ends (outcomes). Shared by the engine, the journal, the CLI and the TUI. Pure.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::names::{BackupRef, BlobName, ContainerName, ServiceId, StorageAccountName};

/// Backup, restore, or creating a standby service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// `POST …/backup`.
    Backup,
    /// `POST …/restore`.
    Restore,
    /// `PUT` of a new service (a standby), followed by its provisioning state.
    Create,
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Backup => "backup",
            Self::Restore => "restore",
            Self::Create => "create",
        })
    }
}

/// The two operations APIM runs on a `POST`: what pre-flight checks and what is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// `POST …/backup`.
    Backup,
    /// `POST …/restore`.
    Restore,
}

impl From<PostKind> for OperationKind {
    fn from(k: PostKind) -> Self {
        match k {
            PostKind::Backup => Self::Backup,
            PostKind::Restore => Self::Restore,
        }
    }
}

impl fmt::Display for PostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        OperationKind::from(*self).fmt(f)
    }
}

/// What a creation makes besides its name and tier (journaled with the intent; the tier is
/// the intent's `tier`), and what a resumed creation needs to send it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewService {
    /// Region display name.
    pub location: String,
    /// Units.
    pub capacity: u32,
    /// The service whose tier, units and publisher fields are copied.
    pub like: ServiceId,
    /// The operator allowed purging a soft-deleted service holding the name.
    #[serde(default)]
    pub purge: bool,
}

/// How APIM reaches the storage account (`accessType` in the request body).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AccessType {
    /// The storage account key, fetched through ARM `listKeys` when the operation starts.
    #[default]
    AccessKey,
    /// The service's system-assigned managed identity.
    SystemAssignedManagedIdentity,
    /// A user-assigned managed identity attached to the service.
    UserAssignedManagedIdentity {
        /// The identity's client id.
        client_id: String,
    },
}

impl AccessType {
    /// The wire value of `accessType`.
    pub fn wire_name(&self) -> &'static str {
        match self {
            Self::AccessKey => "AccessKey",
            Self::SystemAssignedManagedIdentity => "SystemAssignedManagedIdentity",
            Self::UserAssignedManagedIdentity { .. } => "UserAssignedManagedIdentity",
        }
    }
}

/// A backup to take: which service, into which blob, and how APIM reaches storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupPlan {
    /// The service to back up.
    pub service: ServiceId,
    /// Storage account name.
    pub account: StorageAccountName,
    /// Container (created if missing).
    pub container: ContainerName,
    /// Blob to write.
    pub blob: BlobName,
    /// How APIM authenticates to storage.
    pub access: AccessType,
    /// An existing blob of that name may be overwritten (`--overwrite`; otherwise pre-flight
    /// refuses: it may be the last good backup).
    #[serde(default)]
    pub overwrite: bool,
}

impl BackupPlan {
    /// Where the backup will be written.
    pub fn destination(&self) -> BackupRef {
        BackupRef {
            account: self.account.clone(),
            container: self.container.clone(),
            blob: self.blob.clone(),
        }
    }
}

/// A restore to run: which backup into which (existing, overwritten) service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestorePlan {
    /// The backup blob.
    pub backup: BackupRef,
    /// The service whose configuration is replaced.
    pub target: ServiceId,
    /// How APIM authenticates to storage.
    pub access: AccessType,
    /// When the operator began it (the wizard's first step, the command's start): the RTO
    /// runs from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began: Option<Began>,
}

/// When and where the operator began an operation, for the RTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Began {
    /// The moment.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The TUI's wizard or a CLI command.
    pub from: BeganFrom,
}

/// Where an operation was begun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BeganFrom {
    /// The failover wizard's first step.
    Wizard,
    /// The command's start.
    Command,
}

impl fmt::Display for BeganFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Wizard => "the start of the wizard",
            Self::Command => "the start of the command",
        })
    }
}

/// A failure reported by Azure, kept word for word (SREs quote it in support tickets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationError {
    /// HTTP status, when the failure came as one.
    pub status: Option<u16>,
    /// Azure's error code (`RestoreFailed`, `Conflict`, …).
    pub code: String,
    /// Azure's message.
    pub message: String,
    /// `x-ms-request-id` of the reply that carried the failure.
    pub request_id: Option<String>,
}

impl fmt::Display for OperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// The class of an operation-status word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWord {
    /// Not terminal.
    Running,
    /// `Succeeded`.
    Succeeded,
    /// `Failed`.
    Failed,
    /// `Canceled` / `Cancelled`.
    Canceled,
}

impl StatusWord {
    /// Parses an operation-status word case-insensitively (`Succeeded`, `failed`, `Cancelled`,
    /// …). Anything unknown counts as still running, as `azure_core`'s poller does.
    pub fn parse(word: &str) -> Self {
        match word.trim().to_ascii_lowercase().as_str() {
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "canceled" | "cancelled" => Self::Canceled,
            _ => Self::Running,
        }
    }
}

/// How an operation ended, as far as this tool knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// Azure reported success.
    Succeeded,
    /// Azure reported failure, or refused to start it.
    Failed(OperationError),
    /// Azure reported cancellation.
    Canceled,
    /// The operation's status could no longer be read and the service's own state cannot
    /// tell success from failure (a restore leaves the old configuration on failure).
    Unconfirmed {
        /// What was observed instead.
        reason: String,
    },
}

impl Outcome {
    /// True for `Succeeded`.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Succeeded)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Succeeded => f.write_str("succeeded"),
            Self::Failed(e) => write!(f, "failed: {e}"),
            Self::Canceled => f.write_str("canceled"),
            Self::Unconfirmed { reason } => write!(f, "unconfirmed: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_are_case_insensitive_with_a_running_fallback() {
        assert_eq!(StatusWord::parse("SUCCEEDED"), StatusWord::Succeeded);
        assert_eq!(StatusWord::parse("failed"), StatusWord::Failed);
        assert_eq!(StatusWord::parse("Cancelled"), StatusWord::Canceled);
        assert_eq!(StatusWord::parse("Canceled"), StatusWord::Canceled);
        assert_eq!(StatusWord::parse("InProgress"), StatusWord::Running);
        assert_eq!(StatusWord::parse("Weird"), StatusWord::Running);
    }

    #[test]
    fn errors_print_code_message_and_request_id() {
        let e = OperationError {
            status: Some(400),
            code: "RestoreFailed".into(),
            message: "Cannot restore: backup expired".into(),
            request_id: Some("abc".into()),
        };
        assert_eq!(
            Outcome::Failed(e).to_string(),
            "failed: RestoreFailed: Cannot restore: backup expired (request id abc)"
        );
    }

    #[test]
    fn access_type_wire_names() {
        assert_eq!(AccessType::AccessKey.wire_name(), "AccessKey");
        assert_eq!(
            AccessType::UserAssignedManagedIdentity {
                client_id: "c".into()
            }
            .wire_name(),
            "UserAssignedManagedIdentity"
        );
    }
}
