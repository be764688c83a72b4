//! The ARM front door: bearer authentication, the api-version rules, subscription and
//! resource-group lookups, the request quota (`quota.rs`), faults, dispatch to the resource
//! handlers, and the headers ARM puts on every reply (`x-ms-request-id`,
//! `x-ms-correlation-request-id`, `x-ms-routing-request-id`, `Date`,
//! `x-ms-ratelimit-remaining-*`).
//!
//! Checks run in ARM's order: authentication (401), the caller's quota (429), api-version
//! present (400), route and
//! method, subscription (404 `SubscriptionNotFound`), api-version known to the provider (400
//! `InvalidApiVersionParameter`), resource group (404 `ResourceGroupNotFound`), then the
//! resource itself.
//!
//! Behind the door: the paths ARM understands (`route.rs`), the api-versions each provider
//! accepts (`api_versions.rs`), list pages (`paging.rs`) and the providers:
//! `Microsoft.Resources` (`resources.rs`), `Microsoft.Storage` (`storage.rs`, the Blob service's
//! properties and containers in `blob_services.rs`), `Microsoft.Authorization` (role
//! assignments, `authorization.rs`) and `Microsoft.Insights` (the Activity Log,
//! `activity_log.rs`), and of `Microsoft.Network` the Azure DNS zones with their CNAME
//! record sets (`dns.rs`) and Traffic Manager profiles with their endpoints
//! (`traffic_manager.rs`). The last, `Microsoft.ApiManagement`, has its own folder
//! (`emulator/apim/`).

mod activity_log;
pub(super) mod api_versions;
mod authorization;
mod blob_services;
mod dns;
mod filter;
pub(super) mod paging;
pub(super) mod quota;
mod resources;
pub(super) mod route;
mod storage;
mod traffic_manager;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use time::macros::format_description;

use super::apim;
use super::identity::tokens::{Check, TokenAudience};
use super::state::Shared;
use super::transport::answer::{Answer, RetryHint, http_date};
use super::transport::fault_reply::{Delivery, arm_throttled, with_faults};
use super::transport::server::{Incoming, Port};
use route::{ResourceProvider, Route, ServicePart, StoragePart};

/// Answers one request on the ARM port.
pub(crate) async fn handle(shared: &Arc<Shared>, req: &Incoming) -> (Answer, Delivery) {
    let route = route::parse(req.uri.path());
    let sub = route.subscription().unwrap_or_default().to_owned();
    let metered = route != Route::DrillState;
    let (mut reply, delivery) = if let Err(reply) = authenticate(shared, req) {
        (reply, Delivery::Whole)
    } else {
        if let Route::Service {
            sub,
            rg,
            name,
            part: part @ (ServicePart::Backup | ServicePart::Restore),
        } = &route
            && req.method == Method::POST
        {
            apim::lro::count_arrival(shared, (sub, rg, name), part);
        }
        let spent = if metered {
            shared.spend_quota(&sub, &req.method)
        } else {
            Ok(())
        };
        match spent {
            Err(wait) => (
                arm_throttled(req, &sub, RetryHint::Seconds, wait),
                Delivery::Whole,
            ),
            _ => {
                with_faults(shared, req, Port::Arm, route.fault_target(), &sub, || {
                    dispatch(shared, req, &route)
                })
                .await
            }
        }
    };
    decorate(req, &mut reply);
    if metered && reply.status != StatusCode::UNAUTHORIZED {
        quota_headers(shared, req, &sub, &mut reply);
    }
    (reply, delivery)
}

/// What is left of the caller's request quota, as ARM reports it on every reply.
fn quota_headers(shared: &Shared, req: &Incoming, sub: &str, reply: &mut Answer) {
    let word = quota::Class::of(&req.method).word();
    let (own, global) = shared.quota_left(sub, &req.method);
    if sub.is_empty() {
        reply.set(
            &format!("x-ms-ratelimit-remaining-tenant-{word}"),
            &own.to_string(),
        );
    } else {
        reply.set(
            &format!("x-ms-ratelimit-remaining-subscription-{word}"),
            &own.to_string(),
        );
        reply.set(
            &format!("x-ms-ratelimit-remaining-subscription-global-{word}"),
            &global.to_string(),
        );
    }
}

fn authenticate(shared: &Shared, req: &Incoming) -> Result<(), Answer> {
    let challenge = |error: &str| {
        format!(
            "Bearer authorization_uri=\"https://login.microsoftonline.com/{}\", error=\"invalid_token\", \
             error_description=\"{error}\"",
            shared.tenant_id
        )
    };
    let Some(value) = req.header("authorization") else {
        return Err(Answer::arm_error(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        )
        .with(
            "www-authenticate",
            challenge("The authentication failed because of missing 'Authorization' header."),
        ));
    };
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, t)| t.trim());
    match token {
        None => Err(Answer::arm_error(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        )
        .with(
            "www-authenticate",
            challenge("The authentication failed because of an invalid 'Authorization' header."),
        )),
        Some(t) if t == shared.token.expose() => Ok(()),
        Some(t) => match shared.tokens.check(t, TokenAudience::Arm, req.now) {
            Check::Valid => Ok(()),
            Check::Expired { expired_at } => {
                let message = format!(
                    "The access token expiry UTC time '{}' is earlier than current UTC time '{}'.",
                    dotnet_time(expired_at),
                    dotnet_time(req.now)
                );
                Err(Answer::arm_error(
                    StatusCode::UNAUTHORIZED,
                    "ExpiredAuthenticationToken",
                    &message,
                )
                .with("www-authenticate", challenge(&message)))
            }
            Check::WrongAudience(aud) => {
                let message = format!(
                    "The access token has been obtained for wrong audience or resource '{}'. It \
                     should exactly match with one of the allowed audiences \
                     'https://management.core.windows.net/','https://management.core.windows.net',\
                     'https://management.azure.com/','https://management.azure.com'.",
                    aud.uri()
                );
                Err(Answer::arm_error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidAuthenticationTokenAudience",
                    &message,
                )
                .with("www-authenticate", challenge(&message)))
            }
            Check::Unknown => Err(invalid_token(&challenge)),
        },
    }
}

/// A token ARM does not know.
fn invalid_token(challenge: &dyn Fn(&str) -> String) -> Answer {
    Answer::arm_error(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        "The access token is invalid.",
    )
    .with(
        "www-authenticate",
        challenge("The access token is invalid."),
    )
}

/// A UTC time as ARM's .NET front door writes it in token errors: `12/3/2026 4:05:09 AM`.
fn dotnet_time(t: time::OffsetDateTime) -> String {
    let (hour, half) = match t.hour() {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{}/{}/{} {hour}:{:02}:{:02} {half}",
        u8::from(t.month()),
        t.day(),
        t.year(),
        t.minute(),
        t.second()
    )
}

fn not_found(req: &Incoming) -> Answer {
    Answer::arm_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!(
            "No HTTP resource was found that matches the request URI '{}'.",
            req.uri.path()
        ),
    )
}

fn dispatch(shared: &Shared, req: &Incoming, route: &Route) -> Answer {
    if *route == Route::DrillState {
        return if req.method == Method::GET {
            serde_json::to_value(shared.snapshot()).map_or_else(
                |e| {
                    Answer::arm_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "InternalServerError",
                        e.to_string(),
                    )
                },
                |v| Answer::json(StatusCode::OK, &v),
            )
        } else {
            method_not_allowed(req)
        };
    }
    let Some(version) = req.query("api-version").filter(|v| !v.trim().is_empty()) else {
        return Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        );
    };
    if *route == Route::NotFound {
        return not_found(req);
    }
    if let Err(reply) = preconditions(shared, req, route, &version) {
        return reply;
    }
    match route {
        Route::Subscriptions => resources::list_subscriptions(shared, req, &version),
        Route::Subscription(sub) => resources::get_subscription(shared, sub),
        Route::Locations(sub) => resources::list_locations(shared, sub),
        Route::ResourceGroups(sub) => resources::list_resource_groups(shared, req, sub, &version),
        Route::ResourceGroup(sub, rg) => resources::get_resource_group(shared, sub, rg),
        Route::Services { sub, rg } => {
            apim::list_services(shared, req, sub, rg.as_deref(), &version)
        }
        Route::Service {
            sub,
            rg,
            name,
            part,
        } => apim::service_route(shared, req, (sub, rg, name), part, &version),
        Route::Gateways { sub, rg } => {
            apim::workspaces::list_gateways(shared, req, sub, rg.as_deref(), &version)
        }
        Route::Gateway {
            sub,
            rg,
            name,
            part,
        } => apim::workspaces::gateway(shared, req, (sub, rg, name), part, &version),
        Route::RoleAssignments { scope, .. } => {
            authorization::list_role_assignments(shared, req, scope, &version)
        }
        Route::ActivityLog { sub } => activity_log::list(shared, req, sub, &version),
        Route::DnsZones { .. }
        | Route::DnsZone { .. }
        | Route::TmProfiles { .. }
        | Route::TmProfile { .. } => network(shared, req, route, &version),
        Route::OperationStatus { sub, id } => apim::lro::operation_status(shared, req, sub, id),
        Route::CheckNameAvailability { .. } => apim::create::check_name(shared, req),
        Route::DeletedServices { sub } => apim::deleted::list(shared, req, sub, &version),
        Route::DeletedService {
            sub,
            location,
            name,
        } => apim::deleted::one(shared, req, (sub, location, name)),
        Route::StorageAccounts { sub, rg } => {
            storage::list_accounts(shared, req, sub, rg.as_deref(), &version)
        }
        Route::StorageAccount {
            sub,
            rg,
            name,
            part,
        } => match part {
            StoragePart::Itself | StoragePart::Action(_) | StoragePart::Other(_) => {
                storage::account_request(shared, req, (sub, rg, name), part)
            }
            _ => blob_services::blob_services(shared, req, (sub, rg, name), part, &version),
        },
        Route::UnknownNamespace { namespace, .. } => Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidResourceNamespace",
            format!("The resource namespace '{namespace}' is invalid."),
        ),
        Route::UnknownType {
            namespace, kind, ..
        } => Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidResourceType",
            format!(
                "The resource type '{kind}' could not be found in the namespace '{namespace}' for api version '{version}'."
            ),
        ),
        Route::DrillState | Route::NotFound => not_found(req),
    }
}

/// `Microsoft.Network`: DNS zones and Traffic Manager profiles.
fn network(shared: &Shared, req: &Incoming, route: &Route, version: &str) -> Answer {
    match route {
        Route::DnsZones { sub, rg } => dns::list_zones(shared, req, sub, rg.as_deref(), version),
        Route::DnsZone {
            sub,
            rg,
            zone,
            part,
        } => dns::zone(shared, req, (sub, rg, zone), part, version),
        Route::TmProfiles { sub, rg } => {
            traffic_manager::list_profiles(shared, req, sub, rg.as_deref(), version)
        }
        Route::TmProfile {
            sub,
            rg,
            name,
            part,
        } => traffic_manager::profile(shared, req, (sub, rg, name), part),
        _ => not_found(req),
    }
}

fn method_not_allowed(req: &Incoming) -> Answer {
    Answer::arm_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!(
            "The requested resource does not support http method '{}'.",
            req.method
        ),
    )
}

/// Method, subscription, api-version and resource group, in ARM's order.
fn preconditions(
    shared: &Shared,
    req: &Incoming,
    route: &Route,
    version: &str,
) -> Result<(), Answer> {
    let known_type = !matches!(
        route,
        Route::UnknownNamespace { .. } | Route::UnknownType { .. }
    );
    if known_type && !route.allows(&req.method) {
        return Err(method_not_allowed(req));
    }
    if let Some(sub) = route.subscription() {
        let state = shared.read(|live| live.world.subscription(sub).map(|s| s.state.clone()));
        let Some(state) = state else {
            return Err(Answer::arm_error(
                StatusCode::NOT_FOUND,
                "SubscriptionNotFound",
                format!("The subscription '{sub}' could not be found."),
            ));
        };
        let read_only = ["Disabled", "Deleted", "PastDue"].contains(&state.as_str());
        if read_only && req.method != Method::GET {
            return Err(Answer::arm_error(
                StatusCode::CONFLICT,
                "ReadOnlyDisabledSubscription",
                format!(
                    "The subscription '{sub}' is disabled and therefore marked as read only. You cannot perform \
                     any write actions on this subscription until it is re-enabled."
                ),
            ));
        }
    }
    let list = match route.provider() {
        Some(ResourceProvider::Resources) => api_versions::RESOURCES,
        Some(ResourceProvider::ApiManagement) => api_versions::APIM,
        Some(ResourceProvider::Storage) => api_versions::STORAGE,
        Some(ResourceProvider::Authorization) => api_versions::AUTHORIZATION,
        Some(ResourceProvider::Insights) => api_versions::INSIGHTS_ACTIVITY_LOG,
        Some(ResourceProvider::Dns) => api_versions::DNS,
        Some(ResourceProvider::TrafficManager) => api_versions::TRAFFIC_MANAGER,
        None => return Ok(()),
    };
    api_versions::check_known(list, version)?;
    let (Route::ResourceGroup(_, rg)
    | Route::Service { rg, .. }
    | Route::StorageAccount { rg, .. }
    | Route::Gateway { rg, .. }
    | Route::DnsZone { rg, .. }
    | Route::TmProfile { rg, .. }
    | Route::DnsZones { rg: Some(rg), .. }
    | Route::TmProfiles { rg: Some(rg), .. }
    | Route::Services { rg: Some(rg), .. }
    | Route::Gateways { rg: Some(rg), .. }
    | Route::StorageAccounts { rg: Some(rg), .. }) = route
    else {
        return Ok(());
    };
    let sub = route.subscription().unwrap_or_default();
    if shared.read(|live| live.world.has_resource_group(sub, rg)) {
        Ok(())
    } else {
        Err(Answer::arm_error(
            StatusCode::NOT_FOUND,
            "ResourceGroupNotFound",
            format!("Resource group '{rg}' could not be found."),
        ))
    }
}

/// The headers ARM adds to every reply.
fn decorate(req: &Incoming, reply: &mut Answer) {
    let printable =
        |v: &String| !v.is_empty() && v.len() <= 256 && v.bytes().all(|b| b.is_ascii_graphic());
    reply.set("x-ms-request-id", &req.request_id);
    reply.set("x-ms-correlation-request-id", &req.correlation_id);
    let stamp = req
        .now
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_default();
    reply.set(
        "x-ms-routing-request-id",
        &format!("WESTEUROPE:{stamp}:{}", req.request_id),
    );
    reply.set("date", &http_date(req.now));
    let echo = req
        .header("x-ms-return-client-request-id")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if let Some(id) = req
        .header("x-ms-client-request-id")
        .filter(|_| echo)
        .filter(printable)
    {
        reply.set("x-ms-client-request-id", &id);
    }
    reply.set("cache-control", "no-cache");
    reply.set("pragma", "no-cache");
    reply.set("expires", "-1");
    reply.set("x-content-type-options", "nosniff");
    reply.set(
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    );
}
