//! ARM paths as the emulator understands them. Segment names (`subscriptions`,
//! `resourceGroups`, `providers`, `Microsoft.ApiManagement`, …) and resource names match
//! case-insensitively, as ARM's do; the names are kept as the caller spelled them and looked up
//! later. Percent-encoded segments are decoded; empty segments (`//`) are ignored. Pure.

use axum::http::Method;

use crate::emulator::transport::faults::FaultTarget;
use network::network;
pub(crate) use network::{DnsPart, TmPart};

mod network;

/// What part of a service a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServicePart {
    /// The service itself.
    Itself,
    /// `…/apis`.
    Apis,
    /// `…/apis/{id}`.
    Api(String),
    /// `…/products`.
    Products,
    /// `…/namedValues`.
    NamedValues,
    /// `…/skus`.
    Skus,
    /// `…/backup`.
    Backup,
    /// `…/restore`.
    Restore,
    /// `…/operationresults/{id}`.
    OperationResult(String),
    /// `…/workspaces`.
    Workspaces,
    /// `…/workspaces/{id}`.
    Workspace(String),
    /// Anything else below the service.
    Other(String),
}

/// What part of a storage account a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StoragePart {
    /// The account itself.
    Itself,
    /// `…/{action}` (POST), e.g. `listKeys`.
    Action(String),
    /// `…/blobServices`.
    BlobServices,
    /// `…/blobServices/{name}` (only `default` exists).
    BlobService(String),
    /// `…/blobServices/{name}/containers`.
    Containers(String),
    /// `…/blobServices/{name}/containers/{container}`.
    Container(String, String),
    /// Anything else below the account.
    Other(String),
}

/// What part of a workspace gateway a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GatewayPart {
    /// The gateway itself.
    Itself,
    /// `…/configConnections`.
    ConfigConnections,
    /// Anything else below the gateway.
    Other(String),
}

/// Which resource provider answers a route (decides the api-version list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResourceProvider {
    Resources,
    ApiManagement,
    Storage,
    Authorization,
    Insights,
    /// `Microsoft.Network/dnszones`.
    Dns,
    /// `Microsoft.Network/trafficmanagerprofiles`.
    TrafficManager,
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
    /// `POST …/providers/Microsoft.ApiManagement/checkNameAvailability`.
    CheckNameAvailability {
        sub: String,
    },
    /// `GET …/providers/Microsoft.ApiManagement/deletedservices`.
    DeletedServices {
        sub: String,
    },
    /// `…/providers/Microsoft.ApiManagement/locations/{location}/deletedservices/{name}`.
    DeletedService {
        sub: String,
        location: String,
        name: String,
    },
    StorageAccounts {
        sub: String,
        rg: Option<String>,
    },
    StorageAccount {
        sub: String,
        rg: String,
        name: String,
        part: StoragePart,
    },
    /// Workspace gateways (`Microsoft.ApiManagement/gateways`) of a subscription or group.
    Gateways {
        sub: String,
        rg: Option<String>,
    },
    Gateway {
        sub: String,
        rg: String,
        name: String,
        part: GatewayPart,
    },
    /// `{scope}/providers/Microsoft.Authorization/roleAssignments`.
    RoleAssignments {
        sub: String,
        /// The scope as the path spells it (`/subscriptions/…`).
        scope: String,
    },
    /// `GET /subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values`:
    /// the Activity Log.
    ActivityLog {
        sub: String,
    },
    /// Azure DNS zones of a subscription or group.
    DnsZones {
        sub: String,
        rg: Option<String>,
    },
    /// One zone and what is below it.
    DnsZone {
        sub: String,
        rg: String,
        zone: String,
        part: DnsPart,
    },
    /// Traffic Manager profiles of a subscription or group.
    TmProfiles {
        sub: String,
        rg: Option<String>,
    },
    /// One profile and its endpoints.
    TmProfile {
        sub: String,
        rg: String,
        name: String,
        part: TmPart,
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
    if let [subs, sub, .., p, ns, ra] = s.as_slice()
        && is(subs, "subscriptions")
        && is(p, "providers")
        && is(ns, "Microsoft.Authorization")
        && is(ra, "roleAssignments")
    {
        return Route::RoleAssignments {
            sub: (*sub).to_owned(),
            scope: format!("/{}", s[..s.len() - 3].join("/")),
        };
    }
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
            ([c], None) if is(c, "checkNameAvailability") => Route::CheckNameAvailability { sub },
            ([d], None) if is(d, "deletedservices") => Route::DeletedServices { sub },
            ([l, loc, d, name], None) if is(l, "locations") && is(d, "deletedservices") => {
                Route::DeletedService {
                    sub,
                    location: (*loc).to_owned(),
                    name: (*name).to_owned(),
                }
            }
            ([l, _, st, id], None) if is(l, "locations") && is(st, "operationstatuses") => {
                Route::OperationStatus {
                    sub,
                    id: (*id).to_owned(),
                }
            }
            ([g], rg) if is(g, "gateways") => Route::Gateways { sub, rg },
            ([g, name, tail @ ..], Some(rg)) if is(g, "gateways") => Route::Gateway {
                sub,
                rg,
                name: (*name).to_owned(),
                part: match tail {
                    [] => GatewayPart::Itself,
                    [c] if is(c, "configConnections") => GatewayPart::ConfigConnections,
                    other => GatewayPart::Other(other.join("/")),
                },
            },
            (other, _) => unknown_type(other.first().copied().unwrap_or("")),
        };
    }
    if is(ns, "Microsoft.Insights") {
        return match (rest, rg) {
            ([e, m, v], None) if is(e, "eventtypes") && is(m, "management") && is(v, "values") => {
                Route::ActivityLog { sub }
            }
            (other, _) => unknown_type(other.first().copied().unwrap_or("")),
        };
    }
    if is(ns, "Microsoft.Storage") {
        return match (rest, rg) {
            ([sa], rg) if is(sa, "storageaccounts") => Route::StorageAccounts { sub, rg },
            ([sa, name, tail @ ..], Some(rg)) if is(sa, "storageaccounts") => {
                Route::StorageAccount {
                    sub,
                    rg,
                    name: (*name).to_owned(),
                    part: storage_part(tail),
                }
            }
            (other, _) => unknown_type(other.first().copied().unwrap_or("")),
        };
    }
    if is(ns, "Microsoft.Network") {
        let fallback = unknown_type(rest.first().copied().unwrap_or(""));
        return network(sub, rg, rest).unwrap_or(fallback);
    }
    Route::UnknownNamespace {
        sub,
        namespace: ns.to_owned(),
    }
}

fn storage_part(tail: &[&str]) -> StoragePart {
    let owned = |s: &&str| (*s).to_owned();
    match tail {
        [] => StoragePart::Itself,
        [b] if is(b, "blobServices") => StoragePart::BlobServices,
        [action] => StoragePart::Action(owned(action)),
        [b, n] if is(b, "blobServices") => StoragePart::BlobService(owned(n)),
        [b, n, c] if is(b, "blobServices") && is(c, "containers") => {
            StoragePart::Containers(owned(n))
        }
        [b, n, c, name] if is(b, "blobServices") && is(c, "containers") => {
            StoragePart::Container(owned(n), owned(name))
        }
        other => StoragePart::Other(other.join("/")),
    }
}

fn service_part(tail: &[&str]) -> ServicePart {
    match tail {
        [] => ServicePart::Itself,
        [a] if is(a, "apis") => ServicePart::Apis,
        [a, id] if is(a, "apis") => ServicePart::Api((*id).to_owned()),
        [p] if is(p, "products") => ServicePart::Products,
        [n] if is(n, "namedValues") => ServicePart::NamedValues,
        [s] if is(s, "skus") => ServicePart::Skus,
        [b] if is(b, "backup") => ServicePart::Backup,
        [r] if is(r, "restore") => ServicePart::Restore,
        [o, id] if is(o, "operationresults") => ServicePart::OperationResult((*id).to_owned()),
        [w] if is(w, "workspaces") => ServicePart::Workspaces,
        [w, id] if is(w, "workspaces") => ServicePart::Workspace((*id).to_owned()),
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
            Self::Services { .. }
            | Self::Service { .. }
            | Self::OperationStatus { .. }
            | Self::CheckNameAvailability { .. }
            | Self::DeletedServices { .. }
            | Self::DeletedService { .. }
            | Self::Gateways { .. }
            | Self::Gateway { .. } => Some(ResourceProvider::ApiManagement),
            Self::StorageAccounts { .. } | Self::StorageAccount { .. } => {
                Some(ResourceProvider::Storage)
            }
            Self::RoleAssignments { .. } => Some(ResourceProvider::Authorization),
            Self::DnsZones { .. } | Self::DnsZone { .. } => Some(ResourceProvider::Dns),
            Self::TmProfiles { .. } | Self::TmProfile { .. } => {
                Some(ResourceProvider::TrafficManager)
            }
            Self::ActivityLog { .. } => Some(ResourceProvider::Insights),
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
            | Self::CheckNameAvailability { sub: s }
            | Self::DeletedServices { sub: s }
            | Self::DeletedService { sub: s, .. }
            | Self::StorageAccounts { sub: s, .. }
            | Self::StorageAccount { sub: s, .. }
            | Self::Gateways { sub: s, .. }
            | Self::Gateway { sub: s, .. }
            | Self::RoleAssignments { sub: s, .. }
            | Self::ActivityLog { sub: s }
            | Self::DnsZones { sub: s, .. }
            | Self::DnsZone { sub: s, .. }
            | Self::TmProfiles { sub: s, .. }
            | Self::TmProfile { sub: s, .. }
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
                part: StoragePart::Action(_),
                ..
            } | Self::CheckNameAvailability { .. }
        );
        match self {
            _ if post => *method == Method::POST,
            Self::Service {
                part: ServicePart::Itself,
                ..
            } => *method == Method::GET || *method == Method::PUT || *method == Method::PATCH,
            Self::DnsZone {
                part: DnsPart::Cname(_),
                ..
            } => *method == Method::GET || *method == Method::PUT,
            Self::DeletedService { .. } => *method == Method::GET || *method == Method::DELETE,
            Self::TmProfile {
                part: TmPart::Endpoint(kind, _),
                ..
            } if is(kind, "ExternalEndpoints") => {
                *method == Method::GET || *method == Method::PUT || *method == Method::PATCH
            }
            _ => *method == Method::GET,
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
                ServicePart::Products
                | ServicePart::NamedValues
                | ServicePart::Workspaces
                | ServicePart::Workspace(_)
                | ServicePart::Other(_) => FaultTarget::Any,
            },
            Self::OperationStatus { .. } => FaultTarget::Poll,
            Self::StorageAccounts { .. } => FaultTarget::Storage,
            Self::StorageAccount { part, .. } => match part {
                StoragePart::Itself => FaultTarget::Storage,
                StoragePart::Action(_) => FaultTarget::Keys,
                _ => FaultTarget::Any,
            },
            Self::ActivityLog { .. } => FaultTarget::Activity,
            Self::DnsZone {
                part: DnsPart::Cname(_),
                ..
            } => FaultTarget::DnsRecord,
            Self::TmProfile {
                part: TmPart::Endpoint(..),
                ..
            } => FaultTarget::TmEndpoint,
            Self::DrillState => return None,
            _ => FaultTarget::Any,
        })
    }
}

#[cfg(test)]
mod tests;
