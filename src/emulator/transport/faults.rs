//! Scripted faults: the `--faults` grammar, the rules it makes and which request each rule
//! answers.
//!
//! The grammar is documented on [`parse_faults`]. Pure.

use std::fmt;

/// What a fault does to the request it answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    /// 429 (ARM) / 503 `ServerBusy` (Blob) with `Retry-After` in seconds.
    Throttle {
        /// The `Retry-After` value.
        retry_after_secs: u64,
    },
    /// As `Throttle`, with `Retry-After` as an HTTP date.
    ThrottleDate {
        /// Seconds from now the date names.
        retry_after_secs: u64,
    },
    /// As `Throttle`, with `retry-after-ms` (and `Retry-After` in whole seconds).
    ThrottleMs {
        /// The `retry-after-ms` value.
        retry_after_ms: u64,
    },
    /// As `Throttle`, with `x-ms-retry-after-ms` (and `Retry-After` in whole seconds).
    ThrottleXMs {
        /// The `x-ms-retry-after-ms` value.
        retry_after_ms: u64,
    },
    /// The real reply, after the caller's ARM quota for the request's subscription and kind
    /// (reads, writes, deletes) was drained to `remaining` (another tool of the same caller
    /// spent it). Blob requests have no ARM quota and are answered as usual.
    Quota {
        /// Requests left in the bucket.
        remaining: u32,
        /// The subscription's global bucket (every caller) instead of the caller's own.
        global: bool,
    },
    /// 500 with Azure's internal-error body.
    InternalError,
    /// 503 with Azure's unavailable body.
    Unavailable,
    /// The connection drops mid-body.
    Reset,
    /// The request is carried out (a POST starts its operation), then the connection drops
    /// before a byte of the reply: the caller cannot know whether it arrived.
    LostReply,
    /// The real reply, held back first.
    Slow {
        /// How long, in seconds.
        seconds: f64,
    },
    /// 200 with JSON that does not parse.
    MalformedJson,
    /// 200 with XML that does not parse.
    MalformedXml,
    /// A body cut in half with a matching `Content-Length`.
    Truncated,
    /// 401: the token has expired.
    ExpiredToken,
    /// 403: the caller lacks the right to read what it asked for (ARM `AuthorizationFailed`,
    /// Blob `AuthorizationPermissionMismatch`); an operation being polled goes on.
    Forbidden,
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultTarget {
    /// `GET /subscriptions`, `GET /subscriptions/{id}`.
    Subscriptions,
    /// `GET /subscriptions/{id}/locations`.
    Locations,
    /// APIM service lists.
    Services,
    /// `GET` of one service.
    Service,
    /// `GET …/apis`.
    Apis,
    /// `POST …/backup`.
    Backup,
    /// `POST …/restore`.
    Restore,
    /// Operation results and operation statuses.
    Poll,
    /// Storage account lists.
    Storage,
    /// `POST …/listKeys`.
    Keys,
    /// List Containers.
    Containers,
    /// List Blobs.
    Blobs,
    /// One blob: HEAD, GET, PUT, metadata, DELETE.
    Blob,
    /// The Activity Log (`Microsoft.Insights/eventtypes/management/values`).
    Activity,
    /// One Azure DNS record set (`…/dnszones/{zone}/CNAME/{name}`: GET, PUT).
    DnsRecord,
    /// One Traffic Manager endpoint (`…/trafficmanagerprofiles/{p}/{type}/{name}`).
    TmEndpoint,
    /// Every emulated Azure request on either port.
    Any,
}

const TARGETS: [(&str, FaultTarget); 17] = [
    ("subscriptions", FaultTarget::Subscriptions),
    ("locations", FaultTarget::Locations),
    ("services", FaultTarget::Services),
    ("service", FaultTarget::Service),
    ("apis", FaultTarget::Apis),
    ("backup", FaultTarget::Backup),
    ("restore", FaultTarget::Restore),
    ("poll", FaultTarget::Poll),
    ("storage", FaultTarget::Storage),
    ("keys", FaultTarget::Keys),
    ("containers", FaultTarget::Containers),
    ("blobs", FaultTarget::Blobs),
    ("blob", FaultTarget::Blob),
    ("activity", FaultTarget::Activity),
    ("dns-record", FaultTarget::DnsRecord),
    ("tm-endpoint", FaultTarget::TmEndpoint),
    ("any", FaultTarget::Any),
];

/// One rule of a fault plan.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// What it does.
    pub kind: FaultKind,
    /// What it applies to.
    pub target: FaultTarget,
    /// Firings left; `None` fires for ever.
    pub remaining: Option<u64>,
    /// Matching requests still to let through before it fires.
    pub skip: u64,
    /// Only requests in this subscription (ARM; any case); every request when `None`.
    pub subscription: Option<String>,
}

/// A list of fault rules, in the order they are tried.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    rules: Vec<FaultRule>,
}

/// A fault spec that does not follow the grammar. The message names the rule and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault rule {index} '{rule}': {message}")]
pub struct FaultSpecError {
    /// 1-based position of the rule in the spec.
    pub index: usize,
    /// The rule's text.
    pub rule: String,
    /// What is wrong, with the expected form.
    pub message: String,
}

impl FaultPlan {
    /// True when no rule is left that could fire.
    pub fn is_empty(&self) -> bool {
        self.rules.iter().all(|r| r.remaining == Some(0))
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Appends another plan's rules after this one's.
    pub fn extend(&mut self, other: Self) {
        self.rules.extend(other.rules);
    }

    /// The fault that answers a request to `target` in `subscription` ("" for none), if any,
    /// counting the request against every rule that sees it.
    pub(crate) fn take(&mut self, target: FaultTarget, subscription: &str) -> Option<FaultKind> {
        for rule in &mut self.rules {
            let applies = (rule.target == FaultTarget::Any || rule.target == target)
                && rule
                    .subscription
                    .as_deref()
                    .is_none_or(|s| s.eq_ignore_ascii_case(subscription));
            if !applies || rule.remaining == Some(0) {
                continue;
            }
            if rule.skip > 0 {
                rule.skip -= 1;
                continue;
            }
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
            return Some(rule.kind);
        }
        None
    }
}

impl fmt::Display for FaultTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = TARGETS
            .iter()
            .find(|(_, t)| t == self)
            .map_or("any", |(n, _)| n);
        f.write_str(name)
    }
}

/// Parses a `--faults` spec.
///
/// A spec is comma-separated rules `KIND[:ARG]@TARGET[/SUBSCRIPTION][*COUNT][+SKIP]`:
///
/// | KIND | ARG | effect |
/// |---|---|---|
/// | `throttle` | seconds (1) | ARM 429 `SubscriptionRequestsThrottled`; Blob 503 `ServerBusy`; `Retry-After: ARG` |
/// | `throttle-date` | seconds (1) | the same with an HTTP-date `Retry-After` |
/// | `throttle-ms`, `throttle-x-ms` | milliseconds (1000) | the same with `retry-after-ms` or `x-ms-retry-after-ms` (and `Retry-After` in whole seconds) |
/// | `quota`, `quota-global` | requests (0) | the real reply, after the caller's (or the subscription's global) ARM quota for this kind of request was drained to ARG |
/// | `500`, `503` | – | server error with Azure's code and body |
/// | `reset` | – | starts the reply, then drops the connection mid-body |
/// | `lost-reply` | – | carries the request out (a POST starts its operation), then drops the connection before replying |
/// | `slow` | seconds (30) | holds the real reply that long |
/// | `malformed-json`, `malformed-xml` | – | 200 with a broken body |
/// | `truncated` | – | correct status, body cut in half, `Content-Length` matching the cut |
/// | `expired-token` | – | ARM 401 `ExpiredAuthenticationToken`; Blob 401 `InvalidAuthenticationInfo` |
/// | `forbidden` | – | ARM 403 `AuthorizationFailed` naming the read action; Blob 403 `AuthorizationPermissionMismatch` |
///
/// TARGET is `subscriptions`, `locations`, `services` (lists), `service` (one GET), `apis`,
/// `backup`, `restore` (the POSTs), `poll` (operation results and statuses), `storage`
/// (account lists), `keys`, `containers`, `blobs` (List Blobs), `blob` (one blob), `activity`
/// (the Activity Log), `dns-record` (one Azure DNS record set), `tm-endpoint` (one Traffic
/// Manager endpoint) or `any`.
/// `/SUBSCRIPTION` (a subscription id) limits the rule to ARM requests in that subscription,
/// as ARM throttles each subscription on its own.
/// COUNT is how often the rule fires (1; `inf` for ever); SKIP is how many matching requests it
/// lets through first. Rules are tried in the order given; the first rule that fires answers the
/// request, and later rules do not see it.
///
/// Faults answer after authentication, so a request with a bad token still gets its 401;
/// `slow` delays the real reply; `truncated` and `reset` cut the real reply of a GET or HEAD
/// (a stand-in body for other methods, so a faulted POST starts nothing); a HEAD cannot be cut
/// mid-body, so `reset` drops its connection before the reply. The drill endpoint
/// `/_emulator/state` is never faulted.
///
/// # Errors
/// [`FaultSpecError`] naming the first rule that does not parse.
pub fn parse_faults(spec: &str) -> Result<FaultPlan, FaultSpecError> {
    let mut plan = FaultPlan::default();
    for (i, raw) in spec.split(',').enumerate() {
        let text = raw.trim();
        if text.is_empty() {
            if spec.trim().is_empty() {
                continue;
            }
            return Err(err(i, text, "empty rule (two commas in a row?)"));
        }
        plan.rules
            .push(parse_rule(text).map_err(|m| err(i, text, &m))?);
    }
    Ok(plan)
}

fn err(i: usize, rule: &str, message: &str) -> FaultSpecError {
    FaultSpecError {
        index: i + 1,
        rule: crate::domain::error::elide_middle(rule, 100),
        message: message.to_owned(),
    }
}

fn parse_rule(text: &str) -> Result<FaultRule, String> {
    let (head, tail) = text
        .split_once('@')
        .ok_or("expected KIND[:ARG]@TARGET[*COUNT][+SKIP], e.g. throttle:2@services*3")?;
    let (kind_name, arg) = match head.split_once(':') {
        Some((k, a)) => (k.trim(), Some(a.trim())),
        None => (head.trim(), None),
    };
    let kind = parse_kind(kind_name, arg)?;
    // TARGET, then `*COUNT` and `+SKIP` in either order, each at most once.
    let cut = tail.find(['*', '+']).unwrap_or(tail.len());
    let (target_name, mut mods) = tail.split_at(cut);
    let (target_name, subscription) = match target_name.split_once('/') {
        Some((t, sub)) if !sub.trim().is_empty() => (t, Some(sub.trim().to_owned())),
        Some(_) => return Err("'/' must be followed by a subscription id".to_owned()),
        None => (target_name, None),
    };
    let target = TARGETS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(target_name.trim()))
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
            format!(
                "unknown target '{}' (expected one of {})",
                target_name.trim(),
                names.join(", ")
            )
        })?;
    let (mut remaining, mut skip) = (None::<Option<u64>>, None::<u64>);
    while let Some(op) = mods.chars().next() {
        let rest = &mods[1..];
        let end = rest.find(['*', '+']).unwrap_or(rest.len());
        let value = rest[..end].trim();
        mods = &rest[end..];
        match op {
            '*' if remaining.is_none() => {
                remaining = Some(if value.eq_ignore_ascii_case("inf") {
                    None
                } else {
                    match value.parse::<u64>() {
                        Ok(n) if n > 0 => Some(n),
                        _ => {
                            return Err(format!(
                                "COUNT '{value}' must be a positive number or inf"
                            ));
                        }
                    }
                });
            }
            '+' if skip.is_none() => {
                skip = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_parse| format!("SKIP '{value}' must be a whole number"))?,
                );
            }
            _ => return Err(format!("'{op}' given twice")),
        }
    }
    Ok(FaultRule {
        kind,
        target,
        remaining: remaining.unwrap_or(Some(1)),
        skip: skip.unwrap_or(0),
        subscription,
    })
}

fn parse_kind(name: &str, arg: Option<&str>) -> Result<FaultKind, String> {
    let count = |default: u64, max: u64, unit: &str| -> Result<u64, String> {
        arg.map_or(Ok(default), |a| {
            a.parse::<u64>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("'{a}' is not a number of {unit} (0-{max})"))
        })
    };
    let secs = |default: u64| count(default, 86_400, "seconds");
    let none = |kind: FaultKind| -> Result<FaultKind, String> {
        match arg {
            Some(a) => Err(format!("'{name}' takes no argument, got '{a}'")),
            None => Ok(kind),
        }
    };
    let quota = |global: bool| -> Result<FaultKind, String> {
        let remaining = u32::try_from(count(0, 100_000, "requests")?).unwrap_or(u32::MAX);
        Ok(FaultKind::Quota { remaining, global })
    };
    match name.to_ascii_lowercase().as_str() {
        "throttle-ms" => Ok(FaultKind::ThrottleMs {
            retry_after_ms: count(1000, 86_400_000, "milliseconds")?,
        }),
        "throttle-x-ms" => Ok(FaultKind::ThrottleXMs {
            retry_after_ms: count(1000, 86_400_000, "milliseconds")?,
        }),
        "quota" => quota(false),
        "quota-global" => quota(true),
        "throttle" => Ok(FaultKind::Throttle {
            retry_after_secs: secs(1)?,
        }),
        "throttle-date" => Ok(FaultKind::ThrottleDate {
            retry_after_secs: secs(1)?,
        }),
        "500" => none(FaultKind::InternalError),
        "503" => none(FaultKind::Unavailable),
        "reset" => none(FaultKind::Reset),
        "lost-reply" => none(FaultKind::LostReply),
        "malformed-json" => none(FaultKind::MalformedJson),
        "malformed-xml" => none(FaultKind::MalformedXml),
        "truncated" => none(FaultKind::Truncated),
        "expired-token" => none(FaultKind::ExpiredToken),
        "forbidden" => none(FaultKind::Forbidden),
        "slow" => {
            let seconds = arg.map_or(Ok(30.0), |a| {
                a.parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && (0.0..=3600.0).contains(s))
                    .ok_or_else(|| format!("'{a}' is not a number of seconds (0-3600)"))
            })?;
            Ok(FaultKind::Slow { seconds })
        }
        other => Err(format!(
            "unknown kind '{other}' (expected throttle, throttle-date, throttle-ms, throttle-x-ms, \
             quota, quota-global, 500, 503, reset, lost-reply, slow, malformed-json, malformed-xml, \
             truncated, expired-token or forbidden)"
        )),
    }
}

#[cfg(test)]
mod tests;
