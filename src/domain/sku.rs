//! APIM pricing tiers (`sku.name`) and which of them can be backed up and restored.
//!
//! Azure models `sku.name` as an open string (`modelAsString: true`) and real services use
//! values newer than any spec enum (`PremiumV2`), so [`SkuName`] keeps whatever the service
//! says and [`SkuName::backup_support`] classifies it. Pure: no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::shared::Shared;

/// A service's pricing tier, as the service spells it (`Standard`, `StandardV2`, …); shared
/// between the services of one tier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SkuName(Shared);

/// Whether a tier supports APIM backup and restore, with the reason when it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupSupport {
    /// Developer, Basic, Standard and Premium: the classic tiers.
    Supported,
    /// Consumption and the v2 tiers: Azure refuses backup and restore.
    Unsupported(&'static str),
    /// Isolated or a tier we do not know: not documented either way.
    Unknown(&'static str),
}

impl SkuName {
    /// Wraps a tier name as the service sent it.
    pub fn new(name: impl AsRef<str>) -> Self {
        Self(Shared::new(name.as_ref()))
    }

    /// The tier as the service spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Tier names compare case-insensitively, as Azure compares them.
    pub fn same_tier(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }

    /// Whether Azure lets this tier be backed up or restored.
    pub fn backup_support(&self) -> BackupSupport {
        match self.0.to_ascii_lowercase().as_str() {
            "developer" | "basic" | "standard" | "premium" => BackupSupport::Supported,
            "consumption" => BackupSupport::Unsupported(
                "the Consumption tier has no backup and restore (Method not allowed in Consumption pricing tier)",
            ),
            "basicv2" | "standardv2" | "premiumv2" => BackupSupport::Unsupported(
                "the v2 tiers do not support backup and restore of the service",
            ),
            "isolated" => BackupSupport::Unknown(
                "the Isolated tier is not listed among the tiers that support backup and restore",
            ),
            _ => BackupSupport::Unknown("this tier is unknown to apim-dr"),
        }
    }

    /// True only for the four classic tiers.
    pub fn can_back_up(&self) -> bool {
        matches!(self.backup_support(), BackupSupport::Supported)
    }
}

impl fmt::Display for SkuName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_tiers_are_supported_case_insensitively() {
        for t in ["Developer", "basic", "STANDARD", "Premium"] {
            assert!(SkuName::new(t).can_back_up(), "{t}");
        }
    }

    #[test]
    fn consumption_and_v2_are_refused_with_a_reason() {
        for t in ["Consumption", "BasicV2", "StandardV2", "PremiumV2"] {
            assert!(matches!(
                SkuName::new(t).backup_support(),
                BackupSupport::Unsupported(r) if !r.is_empty()
            ));
        }
        assert!(matches!(
            SkuName::new("Isolated").backup_support(),
            BackupSupport::Unknown(_)
        ));
        assert!(matches!(
            SkuName::new("Galactic").backup_support(),
            BackupSupport::Unknown(_)
        ));
    }

    #[test]
    fn same_tier_ignores_case_only() {
        assert!(SkuName::new("Standard").same_tier(&SkuName::new("standard")));
        assert!(!SkuName::new("Standard").same_tier(&SkuName::new("StandardV2")));
    }
}
