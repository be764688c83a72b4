//! What a running backup or restore reports while the engine watches it.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::sku::SkuName;
use time::OffsetDateTime;

use crate::domain::names::{BackupRef, ServiceId};
use crate::domain::operation::{NewService, OperationKind, Outcome};
use crate::domain::preflight::Verdict;

/// The line said for a long wait (over ten seconds): for how long, until when (UTC), what
/// waits and why. One wording for the CLI, `-o json` notes and the TUI.
pub fn wait_note(what: &str, why: &str, wait: Duration, now: OffsetDateTime) -> String {
    let until = time::Duration::try_from(wait)
        .ok()
        .and_then(|d| now.checked_add(d))
        .map_or_else(
            || "much later".to_owned(),
            |t| {
                let t = t.to_offset(time::UtcOffset::UTC);
                format!("{:02}:{:02}:{:02} UTC", t.hour(), t.minute(), t.second())
            },
        );
    format!(
        "waiting {} (until {until}): {what}, {why}",
        crate::domain::duration::short_std(wait)
    )
}

/// Identifies an operation across runs: the journal's id for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JournalId(pub String);

impl std::fmt::Display for JournalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `x-ms-correlation-request-id`: one value sent on every request of one backup, restore or
/// listing walk (ARM and Blob alike), so Azure support and the Activity Log can find all of it
/// by one id. Each request still has its own `x-ms-client-request-id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CorrelationId(pub String);

impl std::fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The fixed facts of one operation: what, on which service, with which blob, since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationInfo {
    /// Journal id.
    pub id: JournalId,
    /// Backup or restore.
    pub kind: OperationKind,
    /// The service backed up (backup) or overwritten (restore).
    pub service: ServiceId,
    /// The blob written (backup) or read (restore); none for a creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob: Option<BackupRef>,
    /// For a creation: its region and units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creating: Option<NewService>,
    /// When the intent was journaled.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// The correlation id its requests carry (absent in journals written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<CorrelationId>,
    /// The service's tier when it started, for estimates (absent in older journals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<SkuName>,
}

impl OperationInfo {
    /// What it works with, in words: the blob of a backup or restore; for a creation the
    /// new service's tier, units and region ("new Premium ×1 in North Europe").
    pub fn subject(&self) -> String {
        match (&self.blob, &self.creating) {
            (Some(blob), _) => blob.to_string(),
            (None, Some(new)) => {
                let tier = self.tier.as_ref().map(SkuName::as_str).unwrap_or_default();
                super::standby::new_service_words(tier, new.capacity, &new.location)
            }
            (None, None) => String::new(),
        }
    }
}

/// One step of an operation, in the order they happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressUpdate {
    /// The intent is journaled; the POST is being sent.
    Sending,
    /// Azure answered 202: the operation runs.
    Accepted {
        /// Where it is watched (SAS stripped).
        operation_url: Option<String>,
        /// `x-ms-request-id` of the POST.
        request_id: Option<String>,
        /// The `x-ms-correlation-request-id` every request of the operation carries.
        correlation_id: CorrelationId,
    },
    /// A poll said it still runs.
    Running {
        /// The service's status word, if any.
        status: Option<String>,
        /// `percentComplete`, if any.
        percent: Option<u8>,
        /// Polls so far.
        polls: u32,
        /// When the next poll happens.
        next_poll_in: Duration,
    },
    /// A poll or call failed in a way that is retried ("throttled, retrying in 4 s").
    Retrying {
        /// Short reason: "throttled", "server error 503", "connection dropped".
        reason: String,
        /// The service's error text, for the details line.
        detail: String,
        /// Wait before the next try.
        retry_in: Duration,
        /// Failures in a row.
        attempt: u32,
    },
    /// Something the operator should know that is not a status ("the operation URL stopped
    /// answering; watching the service's provisioning state instead").
    Note(String),
    /// After a successful restore, before the end: whether the target serves (post-restore
    /// verification, ✔ ⚠ ✖ per check).
    Verified(Verdict),
    /// The end.
    Finished(Outcome),
}

impl ProgressUpdate {
    /// True for [`ProgressUpdate::Finished`].
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Finished(_))
    }
}

/// A finished operation from the journal, for estimates ("restores into this service took
/// about 31 min").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastOperation {
    /// Backup or restore.
    pub kind: OperationKind,
    /// The service it ran on.
    pub service: ServiceId,
    /// From intent to end.
    pub duration: Duration,
    /// True when it succeeded.
    pub succeeded: bool,
    /// The service's tier when it ran, when the journal has it.
    pub tier: Option<SkuName>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_wait_says_what_why_and_until_when() {
        let now = time::macros::datetime!(2026-12-03 04:10:00 UTC);
        assert_eq!(
            wait_note(
                "GET /subscriptions",
                "retrying after throttled",
                Duration::from_secs(200),
                now
            ),
            "waiting 3m 20s (until 04:13:20 UTC): GET /subscriptions, retrying after throttled"
        );
        assert!(wait_note("x", "y", Duration::MAX, now).contains("much later"));
    }
}
