//! What one journal line holds: the operation's events and the operation handle the journal
//! keeps of a 202 (its own type: the journal's on-disk format does not follow the client's).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::names::{BackupRef, ServiceId};
use crate::domain::operation::{AccessType, Began, NewService, OperationKind, Outcome};
use crate::domain::preflight::Check;
use crate::domain::progress::{CorrelationId, JournalId};
use crate::domain::sku::SkuName;

/// Where to watch an accepted operation, as journaled from the 202's headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationHandle {
    /// `Location` (SAS-like query parameters stripped).
    pub location: Option<String>,
    /// `Azure-AsyncOperation` (SAS-like query parameters stripped).
    pub async_operation: Option<String>,
    /// `Retry-After` of the 202, in seconds.
    pub retry_after_secs: Option<u64>,
    /// `x-ms-request-id` of the POST.
    pub request_id: Option<String>,
}

/// What happened, one line each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum JournalEvent {
    /// Written and synced before the POST (or a creation's purge and `PUT`) is sent.
    Intent {
        /// Backup, restore or create.
        kind: OperationKind,
        /// The service the POST targets, or the service created.
        service: ServiceId,
        /// The blob (backup, restore).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        blob: Option<Box<BackupRef>>,
        /// How APIM reaches storage (no key: keys are fetched anew); backup, restore.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        access: Option<AccessType>,
        /// A creation's region and units.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        creating: Option<Box<NewService>>,
        /// ARM origin the POST goes to; resume only against the same one.
        endpoint: String,
        /// `x-ms-correlation-request-id` of every request of the operation; a resumed watch
        /// sends it again. Absent in journals written before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        correlation_id: Option<CorrelationId>,
        /// The service's tier when it started, for estimates. Absent in older journals.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<SkuName>,
        /// When the operator began it (wizard or command), for the report's RTO.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        began: Option<Began>,
        /// The pre-flight checks it was started on, for the report.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        preflight: Vec<Check>,
    },
    /// Azure answered 202: where to watch it.
    Accepted {
        /// The 202's headers.
        handle: OperationHandle,
    },
    /// A new status word or phase (`Updating`, `InProgress`, "retrying: throttled").
    Status {
        /// The status, short.
        status: String,
    },
    /// The watch was stopped by the operator; the operation goes on in Azure.
    Detached,
    /// The end.
    Finished {
        /// How it ended.
        outcome: Outcome,
    },
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalRecord {
    /// The operation it belongs to.
    pub id: JournalId,
    /// When it was written.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What happened.
    #[serde(flatten)]
    pub event: JournalEvent,
}
