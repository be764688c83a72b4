//! The pre-flight verdict: every rule of Microsoft's backup/restore guide that can be checked
//! before a backup or a restore is sent, applied to facts gathered elsewhere
//! (`engine::preflight`).
//!
//! Each check is ok, warn or fail (✔ ⚠ ✖; `Level::Pass`, `Warn`, `Block`) with a reason in
//! plain words and, unless it is ok, a fix; a single fail means nothing is sent. Every check of
//! a kind is always listed (ids are stable for scripts): one that could not be evaluated is a
//! warn that says why. Pure: the caller supplies every fact, including `now`.

mod blob_checks;
mod facts;
mod report;
mod service_checks;
mod storage_checks;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::operation::PostKind;

pub use facts::{
    AccountFacts, ApiVersionFacts, CorsRule, NetworkFacts, PreflightFacts, RoleAssignmentFact,
    Seen, ServiceFacts, ServiceIdentity, StorageFacts, WorkspaceFacts,
};
pub use report::PreflightReport;

/// How a check came out; serialized as `ok`, `warn`, `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// ✔ nothing to worry about.
    #[serde(rename = "ok")]
    Pass,
    /// ⚠ allowed, but read the reason.
    #[serde(rename = "warn")]
    Warn,
    /// ✖ the operation would fail or do harm: it is not sent.
    #[serde(rename = "fail")]
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

/// One line of the checklist: `{id, status, title, reason, fix}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable identifier (`tier_match`, `backup_age`, …) for scripts.
    pub id: String,
    /// Outcome.
    #[serde(rename = "status")]
    pub level: Level,
    /// What was checked, short.
    pub title: String,
    /// Why it came out this way.
    pub reason: String,
    /// What to do about it; `None` when the check is ok.
    pub fix: Option<String>,
}

/// The whole checklist for one backup or restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Checks in display order.
    pub checks: Vec<Check>,
}

impl Verdict {
    /// False as soon as one check fails.
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

    /// The failing checks.
    pub fn blockers(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.level == Level::Block)
    }
}

/// An ok check.
pub(crate) fn ok(id: &str, title: &str, reason: impl Into<String>) -> Check {
    Check {
        id: id.to_owned(),
        level: Level::Pass,
        title: title.to_owned(),
        reason: reason.into(),
        fix: None,
    }
}

/// A warn or fail check with its fix.
pub(crate) fn bad(
    id: &str,
    level: Level,
    title: &str,
    reason: impl Into<String>,
    fix: impl Into<String>,
) -> Check {
    Check {
        id: id.to_owned(),
        level,
        title: title.to_owned(),
        reason: reason.into(),
        fix: Some(fix.into()),
    }
}

/// A check that could not be evaluated because something it needs is missing.
fn not_checked(id: &str, title: &str, why: &str) -> Check {
    bad(
        id,
        Level::Warn,
        title,
        format!("not checked: {why}"),
        "fix the failing check above, then run pre-flight again",
    )
}

/// Applies every rule to the facts.
pub fn evaluate(facts: &PreflightFacts) -> Verdict {
    let mut checks = service_checks::all(facts);
    checks.extend(storage_checks::all(facts));
    checks.extend(blob_checks::all(facts));
    Verdict { checks }
}

/// "restore" or "backup", for reasons.
fn verb(kind: PostKind) -> &'static str {
    match kind {
        PostKind::Backup => "backup",
        PostKind::Restore => "restore",
    }
}
