//! Traffic cutover: where a custom host name is served from (an Azure DNS CNAME record set or a
//! Traffic Manager endpoint), what it points at before and after, the host a service's gateway
//! answers on, the command that points it back, and the line the cutover log keeps. Pure.

use serde::{Deserialize, Serialize};

use super::error::UserError;

/// Where a host name is served from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CutoverPlace {
    /// An Azure DNS CNAME record set.
    DnsCname {
        /// The record set's ARM id.
        id: String,
        /// The zone (`contoso.com`).
        zone: String,
        /// The record set's name in the zone (`api`).
        record: String,
    },
    /// An external endpoint of a Traffic Manager profile.
    TrafficManagerEndpoint {
        /// The endpoint's ARM id.
        id: String,
        /// The profile's name.
        profile: String,
        /// The profile's DNS name (`contoso-api.trafficmanager.net`).
        profile_fqdn: String,
        /// The endpoint's name.
        endpoint: String,
    },
}

impl CutoverPlace {
    /// The ARM id of what is written.
    pub fn id(&self) -> &str {
        match self {
            Self::DnsCname { id, .. } | Self::TrafficManagerEndpoint { id, .. } => id,
        }
    }

    /// In the operator's words: `DNS CNAME api in zone contoso.com`.
    pub fn describe(&self) -> String {
        match self {
            Self::DnsCname { zone, record, .. } => format!("DNS CNAME {record} in zone {zone}"),
            Self::TrafficManagerEndpoint {
                profile,
                profile_fqdn,
                endpoint,
                ..
            } => {
                format!("Traffic Manager endpoint {endpoint} of profile {profile} ({profile_fqdn})")
            }
        }
    }

    /// The `--endpoint` flag that picks this place again (Traffic Manager only).
    fn endpoint_flag(&self) -> String {
        match self {
            Self::DnsCname { .. } => String::new(),
            Self::TrafficManagerEndpoint { endpoint, .. } => {
                format!(" --endpoint {}", shell_word(endpoint))
            }
        }
    }
}

/// A cutover as planned: the host name, where it is served, what it points at now and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CutoverPlan {
    /// The custom host name (`api.contoso.com`).
    pub hostname: String,
    /// Where it is served.
    pub place: CutoverPlace,
    /// What it points at now.
    pub before: String,
    /// What it will point at.
    pub after: String,
    /// The service it is pointed at, when given as one.
    pub service: Option<String>,
}

impl CutoverPlan {
    /// True when it already points where it should.
    pub fn is_noop(&self) -> bool {
        same_host(&self.before, &self.after)
    }

    /// The command that points it back at what it pointed at before.
    pub fn rollback_command(&self) -> String {
        format!(
            "apim-dr cutover --hostname {} --to-target {}{} --yes",
            shell_word(&self.hostname),
            shell_word(&self.before),
            self.place.endpoint_flag()
        )
    }
}

/// A word safe to paste into a shell: as it is when it is plain, else single-quoted.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._/:".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// True when two host names are the same (case and a final dot aside).
pub fn same_host(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// A host name as typed (`api.contoso.com`, a final dot allowed), lowercased without the dot.
///
/// # Errors
/// [`UserError`] naming the flag when it is not a DNS host name.
pub fn parse_host(flag: &str, text: &str) -> Result<String, UserError> {
    let host = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = host.contains('.')
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    if ok {
        Ok(host)
    } else {
        Err(
            UserError::new(format!("{flag}: '{}' is not a host name", text.trim()))
                .with_hint("give a DNS name such as api.contoso.com (no scheme, no path)"),
        )
    }
}

/// The host a service's gateway answers on: its built-in `Proxy` host name
/// (`{name}.azure-api.net`), else the host of its `gatewayUrl`, else `{name}.azure-api.net`.
pub fn gateway_host(name: &str, builtin_proxy: Option<&str>, gateway_url: Option<&str>) -> String {
    if let Some(h) = builtin_proxy.filter(|h| !h.trim().is_empty()) {
        return h.trim().to_ascii_lowercase();
    }
    let from_url = gateway_url
        .and_then(|u| u.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| h.ends_with(".azure-api.net"));
    from_url.map_or_else(
        || format!("{}.azure-api.net", name.to_ascii_lowercase()),
        str::to_ascii_lowercase,
    )
}

/// One line of the cutover log (`cutover.jsonl` next to the journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CutoverEntry {
    /// Same for the lines of one cutover.
    pub id: String,
    /// UTC, RFC 3339.
    pub at: String,
    /// `intent` (written before the change is sent), `done`, `refused` or `failed`.
    pub stage: String,
    /// The plan.
    #[serde(flatten)]
    pub plan: CutoverPlan,
    /// Why it was refused or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(place: CutoverPlace) -> CutoverPlan {
        CutoverPlan {
            hostname: "api.contoso.com".into(),
            place,
            before: "apim-contoso-weu.azure-api.net".into(),
            after: "apim-contoso-neu.azure-api.net".into(),
            service: None,
        }
    }

    #[test]
    fn the_rollback_points_back_at_the_value_before() {
        let dns = plan(CutoverPlace::DnsCname {
            id: "/x".into(),
            zone: "contoso.com".into(),
            record: "api".into(),
        });
        assert_eq!(
            dns.rollback_command(),
            "apim-dr cutover --hostname api.contoso.com --to-target apim-contoso-weu.azure-api.net --yes"
        );
        assert!(!dns.is_noop());
        let tm = plan(CutoverPlace::TrafficManagerEndpoint {
            id: "/y".into(),
            profile: "tm".into(),
            profile_fqdn: "contoso-api.trafficmanager.net".into(),
            endpoint: "my weu".into(),
        });
        assert!(
            tm.rollback_command()
                .ends_with(" --endpoint 'my weu' --yes")
        );
        assert!(
            tm.place
                .describe()
                .contains("endpoint my weu of profile tm")
        );
    }

    #[test]
    fn hosts_are_parsed_and_compared_without_case_or_final_dot() {
        assert_eq!(
            parse_host("--hostname", " API.Contoso.com. ").unwrap(),
            "api.contoso.com"
        );
        for bad in [
            "https://api.contoso.com",
            "api",
            "a..b",
            "-a.com",
            "a b.com",
        ] {
            let e = parse_host("--to-target", bad).unwrap_err().to_string();
            assert!(
                e.contains("--to-target") && e.contains("is not a host name"),
                "{e}"
            );
        }
        assert!(same_host("A.azure-api.net.", "a.azure-api.net"));
    }

    #[test]
    fn the_gateway_host_prefers_the_builtin_proxy_name() {
        assert_eq!(
            gateway_host(
                "apim-x",
                Some("apim-x.azure-api.net"),
                Some("http://127.0.0.1:1/_gateway/h")
            ),
            "apim-x.azure-api.net"
        );
        assert_eq!(
            gateway_host("apim-x", None, Some("https://Apim-Y.azure-api.net")),
            "apim-y.azure-api.net"
        );
        assert_eq!(
            gateway_host("Apim-X", None, Some("http://127.0.0.1:1/")),
            "apim-x.azure-api.net"
        );
    }
}
