//! Post-restore verification: a restore that Azure reports as succeeded is not yet a service
//! that serves. Three facts decide it: the target's provisioning state, its gateway's health
//! endpoint (`/status-0123456789abcdef`, hosted on every API Management gateway) and how many
//! APIs, products and named values it holds against what the backup's catalog recorded.
//!
//! Each is a [`Check`] (✔ ⚠ ✖ with a reason, the pre-flight's shape), so the CLI, `-o json`
//! and the TUI show one list. A check that could not be made is a ⚠ that says why, never a ✔.
//! Pure: the caller gathers the facts.

use super::preflight::{Check, Level, Verdict, bad, ok};

/// The gateway's health endpoint path, the same on every API Management gateway.
pub const HEALTH_PATH: &str = "status-0123456789abcdef";

/// What the health endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthFact {
    /// An HTTP status (200 is healthy).
    Status(u16),
    /// The service reports no gateway URL.
    NoGateway,
    /// No answer (connection refused, timeout, …): the words say what happened.
    Unreachable(String),
}

/// One count on the target against the backup's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountFact {
    /// What is counted: `apis`, `products`, `named_values`.
    pub what: &'static str,
    /// How many the target holds, or why it could not be counted.
    pub now: Result<u32, String>,
    /// How many the backup's catalog recorded, when it recorded one.
    pub expected: Option<u32>,
}

/// Everything verification reads about the restored target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFacts {
    /// `provisioningState` (empty means `Succeeded`), or why the service could not be read.
    pub provisioning_state: Result<String, String>,
    /// The health endpoint's answer.
    pub health: HealthFact,
    /// The counts, in display order.
    pub counts: Vec<CountFact>,
}

/// Applies the rules: the checks `provisioning_state`, `gateway_health`, then one `count_*`
/// per counted kind.
pub fn evaluate(facts: &VerifyFacts) -> Verdict {
    let mut checks = vec![
        provisioning(&facts.provisioning_state),
        health(&facts.health),
    ];
    checks.extend(facts.counts.iter().map(count));
    Verdict { checks }
}

/// True when the list says the target serves: no ✖ and no ⚠.
pub fn verified(v: &Verdict) -> bool {
    v.worst() == Level::Pass
}

/// One line for the whole list: `verified: …` when every check passed, else `not verified:`
/// and each check that did not, with its symbol.
pub fn summary(v: &Verdict) -> String {
    if verified(v) {
        return format!(
            "verified: the target serves ({} checks passed)",
            v.checks.len()
        );
    }
    let open: Vec<String> = v
        .checks
        .iter()
        .filter(|c| c.level != Level::Pass)
        .map(|c| format!("{} {}: {}", c.level.symbol(), c.title, c.reason))
        .collect();
    format!("not verified: {}", open.join("; "))
}

fn provisioning(state: &Result<String, String>) -> Check {
    const ID: &str = "provisioning_state";
    const TITLE: &str = "Target provisioning state";
    match state.as_ref().map(|s| s.trim()) {
        Ok("") => ok(
            ID,
            TITLE,
            "Succeeded (no provisioningState means Succeeded)",
        ),
        Ok(s) if s.eq_ignore_ascii_case("Succeeded") => ok(ID, TITLE, "Succeeded"),
        Ok(s) if s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Canceled") => bad(
            ID,
            Level::Block,
            TITLE,
            format!("the service is {s}"),
            "look at the service's Activity Log in the portal before sending traffic to it",
        ),
        Ok(s) => bad(
            ID,
            Level::Block,
            TITLE,
            format!("the service is still {s}: an operation runs on it"),
            "wait for it to end, then verify again (`apim-dr verify`)",
        ),
        Err(e) => bad(
            ID,
            Level::Warn,
            TITLE,
            format!("not checked: the service could not be read ({e})"),
            "verify again once ARM answers",
        ),
    }
}

fn health(fact: &HealthFact) -> Check {
    const ID: &str = "gateway_health";
    const TITLE: &str = "Gateway health endpoint";
    match fact {
        HealthFact::Status(200) => ok(ID, TITLE, format!("/{HEALTH_PATH} answered 200")),
        HealthFact::Status(503) => bad(
            ID,
            Level::Block,
            TITLE,
            format!("/{HEALTH_PATH} answered 503: the gateway does not serve yet"),
            "wait until the service is no longer updating, then verify again",
        ),
        HealthFact::Status(code) => bad(
            ID,
            Level::Block,
            TITLE,
            format!("/{HEALTH_PATH} answered {code}"),
            "call the gateway yourself and look at the service's health in the portal",
        ),
        HealthFact::NoGateway => bad(
            ID,
            Level::Warn,
            TITLE,
            "not checked: the service reports no gateway URL",
            "check the gateway in the portal",
        ),
        HealthFact::Unreachable(why) => bad(
            ID,
            Level::Block,
            TITLE,
            format!("/{HEALTH_PATH} did not answer ({why})"),
            "check DNS and the network path to the gateway from here, then verify again",
        ),
    }
}

fn count(fact: &CountFact) -> Check {
    let id = format!("count_{}", fact.what);
    let noun = match fact.what {
        "apis" => "APIs".to_owned(),
        other => other.replace('_', " "),
    };
    let title = format!("Number of {noun}");
    let check = |level, reason: String, fix: &str| Check {
        id: id.clone(),
        level,
        title: title.clone(),
        reason,
        fix: (level != Level::Pass).then(|| fix.to_owned()),
    };
    match (&fact.now, fact.expected) {
        (Ok(n), Some(e)) if *n == e => {
            check(Level::Pass, format!("{n}, as in the backup's catalog"), "")
        }
        (Ok(n), Some(e)) => check(
            Level::Block,
            format!("{n}, but the backup's catalog recorded {e}"),
            "compare the target with the source's configuration before sending traffic to it",
        ),
        (Ok(n), None) => check(
            Level::Warn,
            format!("{n}; the backup's catalog recorded no count to compare with"),
            "compare the target with the source by hand (backups taken by apim-dr record the counts)",
        ),
        (Err(e), _) => check(
            Level::Warn,
            format!("not checked: they could not be listed ({e})"),
            "list them in the portal",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(state: &str, health: HealthFact, now: u32, expected: Option<u32>) -> VerifyFacts {
        VerifyFacts {
            provisioning_state: Ok(state.to_owned()),
            health,
            counts: vec![CountFact {
                what: "apis",
                now: Ok(now),
                expected,
            }],
        }
    }

    fn levels(v: &Verdict) -> Vec<(&str, Level)> {
        v.checks.iter().map(|c| (c.id.as_str(), c.level)).collect()
    }

    #[test]
    fn a_serving_target_passes_every_check() {
        let v = evaluate(&facts("Succeeded", HealthFact::Status(200), 3, Some(3)));
        assert!(verified(&v));
        assert_eq!(summary(&v), "verified: the target serves (3 checks passed)");
        assert_eq!(
            levels(&v),
            [
                ("provisioning_state", Level::Pass),
                ("gateway_health", Level::Pass),
                ("count_apis", Level::Pass)
            ]
        );
        assert!(v.checks.iter().all(|c| c.fix.is_none()));
    }

    #[test]
    fn an_updating_target_fails_with_reasons() {
        let v = evaluate(&facts("Updating", HealthFact::Status(503), 3, Some(3)));
        assert!(!verified(&v));
        assert_eq!(v.checks[0].level, Level::Block);
        assert!(v.checks[0].reason.contains("still Updating"), "{v:?}");
        assert_eq!(v.checks[1].level, Level::Block);
        assert!(v.checks[1].reason.contains("503"));
        let line = summary(&v);
        assert!(
            line.starts_with(
                "not verified: ✖ Target provisioning state: the service is still Updating"
            ),
            "{line}"
        );
        assert!(
            !line.contains("Number of APIs"),
            "passing checks are left out: {line}"
        );
    }

    #[test]
    fn a_count_off_the_catalog_fails_and_an_unknown_one_warns() {
        let v = evaluate(&facts("", HealthFact::Status(200), 2, Some(3)));
        assert_eq!(v.checks[0].level, Level::Pass, "empty state is Succeeded");
        assert_eq!(v.checks[2].level, Level::Block);
        assert!(v.checks[2].reason.contains("recorded 3"));
        let v = evaluate(&facts("Succeeded", HealthFact::Status(200), 2, None));
        assert_eq!(v.checks[2].level, Level::Warn);
        assert!(!verified(&v), "a warning is not verified");
    }

    #[test]
    fn what_could_not_be_read_is_never_a_pass() {
        let v = evaluate(&VerifyFacts {
            provisioning_state: Err("timeout".into()),
            health: HealthFact::NoGateway,
            counts: vec![CountFact {
                what: "named_values",
                now: Err("403".into()),
                expected: Some(1),
            }],
        });
        assert!(v.checks.iter().all(|c| c.level == Level::Warn), "{v:?}");
        assert_eq!(v.checks[2].id, "count_named_values");
        assert_eq!(v.checks[2].title, "Number of named values");
        let v = evaluate(&facts(
            "Succeeded",
            HealthFact::Unreachable("connection refused".into()),
            1,
            Some(1),
        ));
        assert_eq!(v.checks[1].level, Level::Block);
    }
}
