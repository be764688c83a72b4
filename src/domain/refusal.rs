//! What a refusal says: why, then what to do next, with one colon at most (never "cannot take
//! this backup: tier cannot restore: …"). Every refusal of a tier, of a restore target and of
//! a backup nobody can take is worded here; the TUI and the CLI both use these words. Pure.

use super::sku::{BackupSupport, SkuName};

/// What works instead for a tier without backup and restore, or `None` for a classic tier.
pub fn instead(sku: &SkuName) -> Option<&'static str> {
    match sku.backup_support() {
        BackupSupport::Supported => None,
        BackupSupport::Unsupported(_) => Some(
            "keep its configuration as code (for example APIOps) and deploy that to the standby instead",
        ),
        BackupSupport::Unknown(_) => Some(
            "check Microsoft's documentation for this tier, or keep its configuration as code (for example APIOps)",
        ),
    }
}

/// Why a service of this tier cannot be backed up or restored into, and what works instead;
/// `None` for a classic tier.
pub fn tier(sku: &SkuName) -> Option<String> {
    let why = match sku.backup_support() {
        BackupSupport::Supported => return None,
        BackupSupport::Unsupported(why) | BackupSupport::Unknown(why) => why,
    };
    Some(match instead(sku) {
        Some(next) => format!("{why}; {next}"),
        None => why.to_owned(),
    })
}

/// Why one service cannot take a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetProblem {
    /// It is the service the backup was taken from.
    IsSource,
    /// Its tier has no backup and restore.
    Tier(SkuName),
    /// Its tier is not the backup's.
    TierMismatch {
        /// The target's tier.
        target: SkuName,
        /// The backup's tier.
        backup: SkuName,
    },
    /// Azure says it is busy (its provisioning state).
    Busy(String),
    /// This tool is running an operation on it.
    BusyHere,
    /// Its resource id does not parse (the parser's words).
    BadId(String),
}

impl TargetProblem {
    /// The reason and the next step, without a colon, to follow "X cannot take this backup: ".
    pub fn words(&self) -> String {
        match self {
            Self::IsSource => "it is this backup's source; pick a service in another region".into(),
            Self::Tier(sku) => {
                let why = tier(sku).unwrap_or_default();
                format!("it is {sku} and {why}")
            }
            Self::TierMismatch { target, backup } => format!(
                "it is {target} and the backup is {backup} (Azure restores only into the same tier); pick a {backup} service, or scale this one to {backup} first"
            ),
            Self::Busy(state) => {
                format!("it is busy ({state}); wait until it is idle, then pick it again")
            }
            Self::BusyHere => {
                "apim-dr is running an operation on it; wait for it on the Operations screen".into()
            }
            Self::BadId(e) => format!("its resource id is not usable ({})", e.replace(": ", " — ")),
        }
    }
}

/// `subject: reason`, the one colon of a refusal; colons inside `reason` become dashes.
pub fn refused(subject: &str, reason: &str) -> String {
    format!("{subject}: {}", reason.replace(": ", " — "))
}

/// Nobody outside the backup's region can take it: "no Premium service outside West Europe:
/// create or scale one, then r". `refresh` is the key (or command) that lists services again.
pub fn no_target(
    backup_tier: Option<&SkuName>,
    source_region: Option<&str>,
    refresh: &str,
) -> String {
    let tier = backup_tier.map_or_else(|| "classic-tier".to_owned(), ToString::to_string);
    let place = source_region.map_or_else(String::new, |r| format!(" outside {r}"));
    format!("no {tier} service{place} can take it: create or scale one, then {refresh}")
}

/// For a backup of unknown tier: the services that could take it, by tier, since Azure
/// restores only into the backup's own tier ("Premium: apim-a · Standard: apim-b, apim-c").
pub fn candidates_by_tier(candidates: &[(SkuName, String)]) -> String {
    let mut tiers: Vec<&SkuName> = candidates.iter().map(|(t, _)| t).collect();
    tiers.sort_by_key(|t| t.as_str().to_ascii_lowercase());
    tiers.dedup_by(|a, b| a.same_tier(b));
    let groups: Vec<String> = tiers
        .iter()
        .map(|t| {
            let names: Vec<&str> = candidates
                .iter()
                .filter(|(c, _)| c.same_tier(t))
                .map(|(_, n)| n.as_str())
                .collect();
            format!("if {t}, {}", names.join(", "))
        })
        .collect();
    format!(
        "its tier is unknown and Azure restores only into the same tier — {}",
        groups.join(" · ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colons(s: &str) -> usize {
        s.matches(": ").count()
    }

    /// Issue 9, defect 20: a refusal said "cannot take this backup: busy: Updating".
    #[test]
    fn a_target_refusal_has_one_colon_and_a_next_step() {
        let problems = [
            TargetProblem::IsSource,
            TargetProblem::Tier(SkuName::new("StandardV2")),
            TargetProblem::Tier(SkuName::new("Consumption")),
            TargetProblem::TierMismatch {
                target: SkuName::new("Standard"),
                backup: SkuName::new("Premium"),
            },
            TargetProblem::Busy("Updating".into()),
            TargetProblem::BusyHere,
            TargetProblem::BadId("bad id: no providers segment".into()),
        ];
        for p in problems {
            let line = refused("apim-x cannot take this backup", &p.words());
            assert_eq!(colons(&line), 1, "{line}");
            assert!(
                line.contains("; ") || matches!(p, TargetProblem::BadId(_)),
                "{line}"
            );
        }
    }

    #[test]
    fn v2_and_consumption_say_what_works_instead() {
        for t in ["StandardV2", "BasicV2", "PremiumV2", "Consumption"] {
            let words = tier(&SkuName::new(t)).unwrap();
            assert!(words.contains("configuration as code"), "{words}");
            assert!(words.contains("APIOps"), "{words}");
        }
        assert_eq!(tier(&SkuName::new("Premium")), None);
    }

    #[test]
    fn no_target_names_the_tier_and_the_region_and_the_key() {
        assert_eq!(
            no_target(Some(&SkuName::new("Premium")), Some("West Europe"), "r"),
            "no Premium service outside West Europe can take it: create or scale one, then r"
        );
        assert_eq!(
            no_target(None, None, "r"),
            "no classic-tier service can take it: create or scale one, then r"
        );
    }

    #[test]
    fn unknown_tier_candidates_are_grouped_by_tier() {
        let c = [
            (SkuName::new("Standard"), "apim-b".to_owned()),
            (SkuName::new("Premium"), "apim-a".to_owned()),
            (SkuName::new("standard"), "apim-c".to_owned()),
        ];
        assert_eq!(
            candidates_by_tier(&c),
            "its tier is unknown and Azure restores only into the same tier — if Premium, apim-a · if Standard, apim-b, apim-c"
        );
    }
}
