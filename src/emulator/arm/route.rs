//! ARM paths as the emulator understands them. Segment names (`subscriptions`,
//! `resourceGroups`, `providers`, `Microsoft.ApiManagement`, …) and resource names match
//! case-insensitively, as ARM's do; the names are kept as the caller spelled them and looked up
//! later. Percent-encoded segments are decoded; empty segments (`//`) are ignored. Pure.

use axum::http::Method;

use crate::emulator::transport::faults::FaultTarget;

/// What part of a service a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServicePart {
    /// The service itself.
    Itself,
    /// `…/apis`.
    Apis,
    /// `…/apis/{id}`.
    Api(String),
    /// `…/skus`.
    Skus,
    /// `…/backup`.
    Backup,
    /// `…/restore`.
    Restore,
    /// `…/operationresults/{id}`.
    OperationResult(String),
    /// Anything else below the service.
    Other(String),
}

/// Which resource provider answers a route (decides the api-version list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResourceProvider {
    Resources,
    ApiManagement,
    Storage,
}

/// A parsed ARM path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Subscriptions,
    Subscription(String),
    Locations(String),
    ResourceGroups(String),
    ResourceGroup(String, String),
    Services {
        sub: String,
        rg: Option<String>,
    },
    Service {
        sub: String,
        rg: String,
        name: String,
        part: ServicePart,
    },
    OperationStatus {
        sub: String,
        id: String,
    },
    StorageAccounts {
        sub: String,
        rg: Option<String>,
    },
    StorageAccount {
        sub: String,
        rg: String,
        name: String,
        action: Option<String>,
    },
    /// `GET /_emulator/state`: the drill endpoint (not Azure).
    DrillState,
    UnknownNamespace {
        sub: String,
        namespace: String,
    },
    UnknownType {
        sub: String,
        namespace: String,
        kind: String,
    },
    NotFound,
}

fn is(seg: &str, name: &str) -> bool {
    seg.eq_ignore_ascii_case(name)
}

/// Parses the path of an ARM request.
pub(crate) fn parse(path: &str) -> Route {
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["_emulator", "state"] => Route::DrillState,
        [subs] if is(subs, "subscriptions") => Route::Subscriptions,
        [subs, sub] if is(subs, "subscriptions") => Route::Subscription((*sub).to_owned()),
        [subs, sub, l] if is(subs, "subscriptions") && is(l, "locations") => {
            Route::Locations((*sub).to_owned())
        }
        [subs, sub, g] if is(subs, "subscriptions") && is(g, "resourcegroups") => {
            Route::ResourceGroups((*sub).to_owned())
        }
        [subs, sub, g, rg] if is(subs, "subscriptions") && is(g, "resourcegroups") => {
            Route::ResourceGroup((*sub).to_owned(), (*rg).to_owned())
        }
        [subs, sub, g, rg, p, ns, rest @ ..]
            if is(subs, "subscriptions") && is(g, "resourcegroups") && is(p, "providers") =>
        {
            provider(sub, Some(rg), ns, rest)
        }
        [subs, sub, p, ns, rest @ ..] if is(subs, "subscriptions") && is(p, "providers") => {
            provider(sub, None, ns, rest)
        }
        _ => Route::NotFound,
    }
}

fn provider(sub: &str, rg: Option<&str>, ns: &str, rest: &[&str]) -> Route {
    let sub = sub.to_owned();
    let rg = rg.map(str::to_owned);
    let unknown_type = |kind: &str| Route::UnknownType {
        sub: sub.clone(),
        namespace: ns.to_owned(),
        kind: kind.to_owned(),
    };
    if is(ns, "Microsoft.ApiManagement") {
        return match (rest, rg) {
            ([svc], rg) if is(svc, "service") => Route::Services { sub, rg },
            ([svc, name, tail @ ..], Some(rg)) if is(svc, "service") => Route::Service {
                sub,
                rg,
                name: (*name).to_owned(),
                part: service_part(tail),
            },
            ([l, _, st, id], None) if is(l, "locations") && is(st, "operationstatuses") => {
                Route::OperationStatus {
                    sub,
                    id: (*id).to_owned(),
                }
            }
            (other, _) => unknown_type(other.first().copied().unwrap_or("")),
        };
    }
    if is(ns, "Microsoft.Storage") {
        return match (rest, rg) {
            ([sa], rg) if is(sa, "storageaccounts") => Route::StorageAccounts { sub, rg },
            ([sa, name], Some(rg)) if is(sa, "storageaccounts") => Route::StorageAccount {
                sub,
                rg,
                name: (*name).to_owned(),
                action: None,
            },
            ([sa, name, action], Some(rg)) if is(sa, "storageaccounts") => Route::StorageAccount {
                sub,
                rg,
                name: (*name).to_owned(),
                action: Some((*action).to_owned()),
            },
            (other, _) => unknown_type(other.first().copied().unwrap_or("")),
        };
    }
    Route::UnknownNamespace {
        sub,
        namespace: ns.to_owned(),
    }
}

fn service_part(tail: &[&str]) -> ServicePart {
    match tail {
        [] => ServicePart::Itself,
        [a] if is(a, "apis") => ServicePart::Apis,
        [a, id] if is(a, "apis") => ServicePart::Api((*id).to_owned()),
        [s] if is(s, "skus") => ServicePart::Skus,
        [b] if is(b, "backup") => ServicePart::Backup,
        [r] if is(r, "restore") => ServicePart::Restore,
        [o, id] if is(o, "operationresults") => ServicePart::OperationResult((*id).to_owned()),
        other => ServicePart::Other(other.join("/")),
    }
}

impl Route {
    /// The provider whose api-versions apply, if any.
    pub fn provider(&self) -> Option<ResourceProvider> {
        match self {
            Self::Subscriptions
            | Self::Subscription(_)
            | Self::Locations(_)
            | Self::ResourceGroups(_)
            | Self::ResourceGroup(..) => Some(ResourceProvider::Resources),
            Self::Services { .. } | Self::Service { .. } | Self::OperationStatus { .. } => {
                Some(ResourceProvider::ApiManagement)
            }
            Self::StorageAccounts { .. } | Self::StorageAccount { .. } => {
                Some(ResourceProvider::Storage)
            }
            _ => None,
        }
    }

    /// The subscription in the path, if any.
    pub fn subscription(&self) -> Option<&str> {
        match self {
            Self::Subscription(s)
            | Self::Locations(s)
            | Self::ResourceGroups(s)
            | Self::ResourceGroup(s, _)
            | Self::Services { sub: s, .. }
            | Self::Service { sub: s, .. }
            | Self::OperationStatus { sub: s, .. }
            | Self::StorageAccounts { sub: s, .. }
            | Self::StorageAccount { sub: s, .. }
            | Self::UnknownNamespace { sub: s, .. }
            | Self::UnknownType { sub: s, .. } => Some(s),
            _ => None,
        }
    }

    /// The methods the route answers.
    pub fn allows(&self, method: &Method) -> bool {
        let post = matches!(
            self,
            Self::Service {
                part: ServicePart::Backup | ServicePart::Restore,
                ..
            } | Self::StorageAccount {
                action: Some(_),
                ..
            }
        );
        if post {
            *method == Method::POST
        } else {
            *method == Method::GET
        }
    }

    /// Which fault rules may answer a request to this route. `None`: none (the drill
    /// endpoint); `Any`: only rules aimed at `any`.
    pub fn fault_target(&self) -> Option<FaultTarget> {
        Some(match self {
            Self::Subscriptions | Self::Subscription(_) => FaultTarget::Subscriptions,
            Self::Locations(_) => FaultTarget::Locations,
            Self::Services { .. } => FaultTarget::Services,
            Self::Service { part, .. } => match part {
                ServicePart::Itself | ServicePart::Skus => FaultTarget::Service,
                ServicePart::Apis | ServicePart::Api(_) => FaultTarget::Apis,
                ServicePart::Backup => FaultTarget::Backup,
                ServicePart::Restore => FaultTarget::Restore,
                ServicePart::OperationResult(_) => FaultTarget::Poll,
                ServicePart::Other(_) => FaultTarget::Any,
            },
            Self::OperationStatus { .. } => FaultTarget::Poll,
            Self::StorageAccounts { .. } => FaultTarget::Storage,
            Self::StorageAccount { action, .. } => {
                if action.is_some() {
                    FaultTarget::Keys
                } else {
                    FaultTarget::Storage
                }
            }
            Self::DrillState => return None,
            _ => FaultTarget::Any,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";

    #[test]
    fn paths_match_case_insensitively_and_keep_names() {
        let r = parse(&format!(
            "{SUB}/RESOURCEGROUPS/rg-A/providers/microsoft.apimanagement/SERVICE/Apim-X/Backup"
        ));
        assert_eq!(
            r,
            Route::Service {
                sub: "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c".into(),
                rg: "rg-A".into(),
                name: "Apim-X".into(),
                part: ServicePart::Backup,
            }
        );
        assert!(r.allows(&Method::POST) && !r.allows(&Method::GET));
        assert_eq!(r.fault_target(), Some(FaultTarget::Backup));
        assert_eq!(
            parse(&format!("{SUB}/providers/Microsoft.ApiManagement/service")),
            Route::Services {
                sub: "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c".into(),
                rg: None
            }
        );
    }

    #[test]
    fn odd_paths_do_not_panic() {
        for p in [
            "",
            "/",
            "//",
            "/subscriptions//",
            "/%ff%fe",
            "/a/b/c/d/e/f/g/h/i/j",
        ] {
            let _ = parse(p);
        }
        assert_eq!(parse("//subscriptions"), Route::Subscriptions);
        assert!(matches!(
            parse(&format!(
                "{SUB}/providers/Microsoft.Compute/virtualMachines"
            )),
            Route::UnknownNamespace { .. }
        ));
        assert!(matches!(
            parse(&format!(
                "{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/listKeys"
            )),
            Route::StorageAccount {
                action: Some(_),
                ..
            }
        ));
        assert_eq!(parse("/_emulator/state").fault_target(), None);
    }
}
