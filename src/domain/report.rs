//! The failover report: what an operation did, from its journal records (timeline with
//! timestamps, the pre-flight it started on, the RTO from when the operator began to the
//! confirmed success), what was read after it (provisioning
//! state, API count), the backup's catalog, and the manual steps a backup does not cover.
//! Pure: the caller supplies the records and the reads; [`FailoverReport::markdown`] renders.

use std::fmt::Write as _;

use serde::Serialize;
use time::OffsetDateTime;

use super::backup::BackupCatalog;
use super::duration::{short, utc_seconds};
use super::operation::Began;
use super::preflight::{Check, Level};

/// What a backup does not carry, to do by hand after a restore (the backup/restore guide's
/// limits, and the settings a restore leaves as they were on the target).
pub const MANUAL_STEPS: [&str; 9] = [
    "Switch DNS: point the CNAMEs of your custom domains at the restored service's gateway",
    "Custom domains and their certificates, and the CA certificates: configure them on the target",
    "Virtual network settings: configure the target's VNet and its network security rules",
    "Managed identity and its role assignments (Key Vault, storage): give the target its own",
    "Diagnostics, Application Insights and logging settings: set them on the target",
    "Protocol and cipher settings (TLS versions, ciphers): check the target's custom properties",
    "Developer portal content: republish the portal and check its content",
    "Scale: set the target's units to the source's (the catalog's units)",
    "Usage data for analytics reports is not in the backup: retrieve it separately",
];

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// When it was journaled.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What happened.
    pub what: String,
}

/// What was read from the service after the operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Its provisioning state, if it could be read.
    pub provisioning_state: Option<String>,
    /// How many APIs it holds, if they could be listed.
    pub api_count: Option<usize>,
    /// After a successful restore, post-restore verification's checks (provisioning state,
    /// gateway health, counts against the catalog), read when the report was built; empty
    /// otherwise.
    #[serde(default)]
    pub checks: Vec<Check>,
}

/// The report of one operation.
#[derive(Debug, Clone, Serialize)]
pub struct FailoverReport {
    /// Journal id.
    pub id: String,
    /// `backup` or `restore`.
    pub kind: String,
    /// The service restored into (or backed up).
    pub service: String,
    /// `ACCOUNT/CONTAINER/BLOB`.
    pub backup: String,
    /// The end, as the journal has it (`None` while unfinished).
    pub outcome: Option<String>,
    /// Every journaled step, in order.
    pub timeline: Vec<Step>,
    /// The RTO achieved: from when the operator began (the wizard's first step, the
    /// command's start; the journaled intent when no start was journaled) to the journaled
    /// confirmed success, in seconds; `None` unless it succeeded.
    pub rto_seconds: Option<i64>,
    /// Where the RTO runs from: "the start of the wizard", "the start of the command" or
    /// "the intent".
    pub rto_from: String,
    /// The pre-flight checks the operation was started on (empty in older journals).
    pub preflight: Vec<Check>,
    /// The backup's catalog, when the blob could be read.
    pub catalog: Option<BackupCatalog>,
    /// The service read after the operation.
    pub verification: Verification,
    /// What the backup does not cover.
    pub manual_steps: Vec<&'static str>,
}

impl FailoverReport {
    /// The RTO: from `began` (else the first step) to the last step, when the operation
    /// succeeded; and where it runs from.
    pub fn rto(began: Option<&Began>, timeline: &[Step], succeeded: bool) -> (Option<i64>, String) {
        let from = began.map_or_else(|| "the intent".to_owned(), |b| b.from.to_string());
        let start = began
            .map(|b| b.at)
            .or_else(|| timeline.first().map(|s| s.at));
        let rto = match (start, timeline.last()) {
            (Some(a), Some(b)) if succeeded => Some((b.at - a).whole_seconds()),
            _ => None,
        };
        (rto, from)
    }

    /// The report in Markdown.
    pub fn markdown(&self) -> String {
        let mut md = format!(
            "# {} report {}\n\n- service: `{}`\n- backup: `{}`\n- outcome: {}\n- RTO (from {} to confirmed success): {}\n\n## Timeline (UTC)\n\n",
            self.kind,
            self.id,
            self.service,
            self.backup,
            self.outcome.as_deref().unwrap_or("unfinished"),
            self.rto_from,
            self.rto_seconds.map_or_else(
                || "not achieved: no confirmed success".to_owned(),
                |s| short(time::Duration::seconds(s))
            ),
        );
        for s in &self.timeline {
            let _ = writeln!(md, "- {} {}", utc_seconds(s.at), s.what);
        }
        md.push_str("\n## Pre-flight\n\n");
        if self.preflight.is_empty() {
            md.push_str("- not journaled with this operation\n");
        }
        for c in &self.preflight {
            let word = match c.level {
                Level::Pass => "ok",
                Level::Warn => "warn",
                Level::Block => "fail",
            };
            let _ = writeln!(
                md,
                "- {} {word} · {}: {}",
                c.level.symbol(),
                c.title,
                c.reason
            );
        }
        md.push_str("\n## Backup catalog\n\n");
        match &self.catalog {
            Some(c) => {
                let show = |v: Option<String>| v.unwrap_or_else(|| "unknown".to_owned());
                let _ = write!(
                    md,
                    "- source: {}\n- tier and units: {} × {}\n- region: {}\n- started: {}\n- APIs / products / named values: {} / {} / {}\n",
                    show(c.source_service.as_deref().map(str::to_owned)),
                    show(c.source_sku.as_ref().map(ToString::to_string)),
                    show(c.source_capacity.map(|n| n.to_string())),
                    show(c.source_location.as_deref().map(str::to_owned)),
                    show(c.started.map(utc_seconds)),
                    show(c.counts.apis.map(|n| n.to_string())),
                    show(c.counts.products.map(|n| n.to_string())),
                    show(c.counts.named_values.map(|n| n.to_string())),
                );
            }
            None => md.push_str("- the blob could not be read\n"),
        }
        let v = &self.verification;
        let _ = write!(
            md,
            "\n## Verification\n\n- provisioning state: {}\n- APIs: {}\n\n## Manual steps the backup does not cover\n\n",
            v.provisioning_state.as_deref().unwrap_or("unknown"),
            v.api_count
                .map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
        );
        if !v.checks.is_empty() {
            let at = md.rfind("\n## Manual steps").unwrap_or(md.len());
            let mut lines = String::from("\nChecks, read when this report was built:\n\n");
            for c in &v.checks {
                let _ = writeln!(lines, "- {} {}: {}", c.level.symbol(), c.title, c.reason);
            }
            md.insert_str(at, &lines);
        }
        for m in &self.manual_steps {
            let _ = writeln!(md, "- [ ] {m}");
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_rto_runs_from_intent_to_end_and_the_markdown_lists_everything() {
        let timeline = vec![
            Step {
                at: datetime!(2026-11-26 12:00 UTC),
                what: "intent".into(),
            },
            Step {
                at: datetime!(2026-11-26 12:41:30 UTC),
                what: "finished: succeeded".into(),
            },
        ];
        assert_eq!(FailoverReport::rto(None, &timeline, false).0, None);
        let began = Began {
            at: datetime!(2026-11-26 11:58 UTC),
            from: crate::domain::operation::BeganFrom::Wizard,
        };
        let (rto_seconds, rto_from) = FailoverReport::rto(Some(&began), &timeline, true);
        let r = FailoverReport {
            id: "x".into(),
            kind: "restore".into(),
            service: "apim-b".into(),
            backup: "st/c/b".into(),
            outcome: Some("succeeded".into()),
            rto_seconds,
            rto_from,
            preflight: vec![Check {
                id: "tier_match".into(),
                level: Level::Pass,
                title: "Tier matches".into(),
                reason: "Standard into Standard".into(),
                fix: None,
            }],
            timeline,
            catalog: None,
            verification: Verification {
                provisioning_state: Some("Succeeded".into()),
                api_count: Some(14),
                checks: vec![Check {
                    id: "gateway_health".into(),
                    level: Level::Pass,
                    title: "Gateway serves".into(),
                    reason: "the health endpoint answered 200".into(),
                    fix: None,
                }],
            },
            manual_steps: MANUAL_STEPS.to_vec(),
        };
        assert_eq!(r.rto_seconds, Some(2610), "from the wizard's start");
        let md = r.markdown();
        assert!(
            md.contains("RTO (from the start of the wizard to confirmed success): 43m 30s"),
            "{md}"
        );
        assert!(
            md.contains("## Pre-flight\n\n- ✔ ok · Tier matches: Standard into Standard"),
            "{md}"
        );
        assert!(
            md.contains("- 2026-11-26T12:41:30Z finished: succeeded"),
            "{md}"
        );
        assert!(md.contains("- APIs: 14"), "{md}");
        assert!(
            md.contains("- ✔ Gateway serves: the health endpoint answered 200\n\n## Manual steps"),
            "the checks close the verification section: {md}"
        );
        assert_eq!(md.matches("- [ ] ").count(), MANUAL_STEPS.len());
    }
}
