//! The pre-flight verdict: every rule of Microsoft's backup/restore guide that can be checked
//! before a restore is sent, applied to facts gathered elsewhere (`engine::preflight`).
//!
//! Each check is ✔ pass, ⚠ warn or ✖ block with a reason in plain words; a single ✖ means the
//! restore must not be sent. Pure: the caller supplies every fact, including `now`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::backup::{BackupEntry, Freshness};
use super::region::same_region;
use super::service::ServiceSummary;
use super::sku::BackupSupport;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// ✔ nothing to worry about.
    Pass,
    /// ⚠ allowed, but read the reason.
    Warn,
    /// ✖ the restore would fail or do harm: it is not sent.
    Block,
}

impl Level {
    /// The symbol shown on screen and in text output.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Pass => "✔",
            Self::Warn => "⚠",
            Self::Block => "✖",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable identifier (`tier_match`, `backup_age`, …) for scripts.
    pub id: String,
    /// Outcome.
    pub level: Level,
    /// What was checked, short.
    pub title: String,
    /// Why it came out this way.
    pub reason: String,
}

/// The whole checklist for one (backup, target) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Checks in display order.
    pub checks: Vec<Check>,
}

impl Verdict {
    /// False as soon as one check blocks.
    pub fn allows_restore(&self) -> bool {
        self.checks.iter().all(|c| c.level != Level::Block)
    }

    /// The worst level in the list.
    pub fn worst(&self) -> Level {
        self.checks
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Pass)
    }

    /// The blocking checks.
    pub fn blockers(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.level == Level::Block)
    }
}

/// Where the backup blob stands in storage.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // one per pre-flight; boxing buys nothing
pub enum BackupLookup {
    /// The blob exists; here is what storage says about it.
    Found(BackupEntry),
    /// The storage account is not visible to the caller.
    AccountMissing,
    /// The container does not exist.
    ContainerMissing,
    /// The container exists, the blob does not.
    BlobMissing,
}

/// What we know about the storage account holding the backup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorageFacts {
    /// The account's region (short or display name).
    pub location: Option<String>,
    /// `networkAcls.defaultAction == Deny`: a firewall applies.
    pub firewall_enabled: bool,
    /// `allowSharedKeyAccess == false`: access keys are refused.
    pub shared_key_disabled: bool,
}

/// Everything the verdict is computed from.
#[derive(Debug, Clone)]
pub struct PreflightFacts<'a> {
    /// The backup blob, or what is missing.
    pub backup: &'a BackupLookup,
    /// The service the restore would overwrite.
    pub target: &'a ServiceSummary,
    /// The storage account, when ARM lists it.
    pub storage: Option<&'a StorageFacts>,
    /// True when this tool already runs an operation on the target.
    pub target_has_local_operation: bool,
    /// True when the restore would authenticate to storage with an account key.
    pub uses_access_key: bool,
    /// The instant to judge the backup's age against.
    pub now: OffsetDateTime,
}

fn check(id: &str, level: Level, title: &str, reason: impl Into<String>) -> Check {
    Check {
        id: id.to_owned(),
        level,
        title: title.to_owned(),
        reason: reason.into(),
    }
}

/// Applies every rule to the facts.
pub fn evaluate(facts: &PreflightFacts<'_>) -> Verdict {
    let target = facts.target;
    let mut checks = vec![target_tier(target)];

    match facts.backup {
        BackupLookup::Found(entry) => {
            checks.push(check(
                "backup_present",
                Level::Pass,
                "Backup blob",
                format!(
                    "{} exists ({} bytes)",
                    entry.display_ref(),
                    entry.size_bytes
                ),
            ));
            checks.push(tier_match(entry, target));
            checks.push(backup_age(entry, facts.now));
            if let Some(c) = region_sense(entry, target) {
                checks.push(c);
            }
            if let Some(c) = capacity(entry, target) {
                checks.push(c);
            }
        }
        missing => checks.push(check(
            "backup_present",
            Level::Block,
            "Backup blob",
            match missing {
                BackupLookup::AccountMissing => {
                    "the storage account is not visible in this subscription (ResourceNotFound)"
                }
                BackupLookup::ContainerMissing => {
                    "the container does not exist (ContainerNotFound): a restore needs it"
                }
                _ => "the blob does not exist in the container (BlobNotFound)",
            },
        )),
    }

    checks.push(target_busy(target, facts.target_has_local_operation));
    if let Some(storage) = facts.storage {
        checks.extend(storage_access(storage, target, facts.uses_access_key));
    }
    Verdict { checks }
}

fn target_tier(target: &ServiceSummary) -> Check {
    let title = "Target tier supports restore";
    match target.sku.backup_support() {
        BackupSupport::Supported => check(
            "target_tier",
            Level::Pass,
            title,
            format!("{} is a classic tier", target.sku),
        ),
        BackupSupport::Unsupported(why) => check(
            "target_tier",
            Level::Block,
            title,
            format!("{}: {why}", target.sku),
        ),
        BackupSupport::Unknown(why) => check(
            "target_tier",
            Level::Warn,
            title,
            format!("{}: {why}", target.sku),
        ),
    }
}

fn tier_match(entry: &BackupEntry, target: &ServiceSummary) -> Check {
    let title = "Pricing tier matches the backup";
    match &entry.catalog.source_sku {
        Some(source) if source.same_tier(&target.sku) => check(
            "tier_match",
            Level::Pass,
            title,
            format!("backup and target are both {}", target.sku),
        ),
        Some(source) => check(
            "tier_match",
            Level::Block,
            title,
            format!(
                "Cannot restore: current SKU is '{}', backup SKU is '{source}'",
                target.sku
            ),
        ),
        None => check(
            "tier_match",
            Level::Warn,
            title,
            "the blob has no catalog metadata, so its tier is unknown: Azure refuses a \
             mismatch only after the restore has started",
        ),
    }
}

fn backup_age(entry: &BackupEntry, now: OffsetDateTime) -> Check {
    let title = "Backup age (Azure keeps backups 30 days)";
    match entry.freshness(now) {
        Freshness::Fresh { left } => check(
            "backup_age",
            Level::Pass,
            title,
            format!("expires in {}", super::duration::short(left)),
        ),
        Freshness::ExpiringSoon { left } => check(
            "backup_age",
            Level::Warn,
            title,
            format!(
                "expires in {}: restore now or take a fresh backup",
                super::duration::short(left)
            ),
        ),
        Freshness::Expired { ago } => check(
            "backup_age",
            Level::Block,
            title,
            format!(
                "Cannot restore: backup expired ({} ago)",
                super::duration::short(ago)
            ),
        ),
        Freshness::Unknown => check(
            "backup_age",
            Level::Warn,
            title,
            "storage did not report the blob's creation time",
        ),
    }
}

fn region_sense(entry: &BackupEntry, target: &ServiceSummary) -> Option<Check> {
    let source_loc = entry.catalog.source_location.as_deref()?;
    let title = "Target is outside the backup's region";
    let same_service = entry.catalog.source_service.as_deref().is_some_and(|s| {
        s.eq_ignore_ascii_case(&target.id) || s.eq_ignore_ascii_case(&target.name)
    });
    if same_service {
        return Some(check(
            "region",
            Level::Warn,
            title,
            "the target is the backup's own source service: this rolls it back, it is not a failover",
        ));
    }
    Some(
        if target.all_locations().any(|l| same_region(l, source_loc)) {
            check(
                "region",
                Level::Warn,
                title,
                format!(
                    "the target runs in {source_loc}, the region the backup came from: if that region is down, this is not a failover"
                ),
            )
        } else {
            check(
                "region",
                Level::Pass,
                title,
                format!("backup from {source_loc}, target in {}", target.location),
            )
        },
    )
}

fn capacity(entry: &BackupEntry, target: &ServiceSummary) -> Option<Check> {
    let source = entry.catalog.source_capacity?;
    Some(if target.capacity < source {
        check(
            "capacity",
            Level::Warn,
            "Target capacity",
            format!(
                "the target has {} unit(s), the source had {source}: scale it out before taking traffic",
                target.capacity
            ),
        )
    } else {
        check(
            "capacity",
            Level::Pass,
            "Target capacity",
            format!("{} unit(s), source had {source}", target.capacity),
        )
    })
}

fn target_busy(target: &ServiceSummary, local_operation: bool) -> Check {
    let title = "Target is idle";
    if local_operation {
        return check(
            "target_busy",
            Level::Block,
            title,
            "apim-dr is already running an operation on this service",
        );
    }
    if target.is_busy() {
        let state = if target.target_provisioning_state.is_empty() {
            target.provisioning_state.clone()
        } else {
            format!(
                "{} → {}",
                target.provisioning_state, target.target_provisioning_state
            )
        };
        return check(
            "target_busy",
            Level::Block,
            title,
            format!("the service is {state}: another operation is running on it"),
        );
    }
    check(
        "target_busy",
        Level::Pass,
        title,
        format!("provisioning state {}", target.state_word()),
    )
}

fn storage_access(storage: &StorageFacts, target: &ServiceSummary, uses_key: bool) -> Vec<Check> {
    let mut out = Vec::new();
    if uses_key && storage.shared_key_disabled {
        out.push(check(
            "storage_access",
            Level::Block,
            "Storage accepts the access key",
            "the account disallows Shared Key access: use --access-type SystemAssignedManagedIdentity or UserAssignedManagedIdentity",
        ));
    }
    if uses_key && storage.firewall_enabled {
        let same = storage
            .location
            .as_deref()
            .is_some_and(|l| same_region(l, &target.location));
        out.push(if same {
            check(
                "storage_firewall",
                Level::Warn,
                "Storage firewall",
                "the account has a firewall and is in the target's region: APIM's control-plane calls are not SNATed there and will be refused",
            )
        } else {
            check(
                "storage_firewall",
                Level::Warn,
                "Storage firewall",
                "the account has a firewall: allow the APIM control-plane IP addresses of the target's region",
            )
        });
    }
    out
}

mod report;
#[cfg(test)]
mod tests;

pub use report::PreflightReport;
