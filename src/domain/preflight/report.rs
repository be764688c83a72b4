//! [`PreflightReport`]: a verdict with the facts it was made from. Pre-flight runs once per
//! restore; the report travels with the plan to the engine, which uses its storage account
//! instead of looking it up again.

use super::Verdict;
use crate::domain::inventory::StorageAccountSummary;
use crate::domain::service::ServiceSummary;

/// The verdict and the facts it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightReport {
    /// The checklist.
    pub verdict: Verdict,
    /// The service (restore: the target; backup: the source) as ARM reported it, when found.
    pub service: Option<ServiceSummary>,
    /// The storage account, when found.
    pub storage: Option<StorageAccountSummary>,
}
