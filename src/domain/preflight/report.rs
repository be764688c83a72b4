//! [`PreflightReport`]: a verdict with the facts it was made from. Pre-flight runs once per
//! restore; the report travels with the plan to the engine, which uses its storage account
//! instead of looking it up again.

use super::{BackupLookup, Verdict};
use crate::domain::inventory::StorageAccountSummary;
use crate::domain::service::ServiceSummary;

/// The verdict and the facts it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightReport {
    /// The checklist.
    pub verdict: Verdict,
    /// The target as ARM reported it.
    pub target: ServiceSummary,
    /// The backup blob, or what is missing.
    pub backup: BackupLookup,
    /// The storage account, when found.
    pub storage: Option<StorageAccountSummary>,
}
