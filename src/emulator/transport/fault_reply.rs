//! What a fault sends instead of (or on top of) the real reply, in each port's own words, and
//! how a reply leaves: whole, or cut off by a dropped connection.
//!
//! A fault answers instead of the handler, so a faulted POST starts nothing. The exceptions
//! keep the real reply: `slow` delays it, and `truncated` and `reset` cut the real body of a
//! GET or HEAD (for other methods they cut a stand-in body, so the handler still does not
//! run).

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use super::answer::{Answer, RetryHint};
use super::faults::{FaultKind, FaultTarget};
use super::server::{Incoming, Port};
use crate::emulator::state::Shared;

/// How a reply leaves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// All of it.
    #[default]
    Whole,
    /// Headers and half the body, then the connection drops.
    Reset,
    /// Nothing: the connection drops before the reply.
    Drop,
}

/// Runs the request through the fault plan: the handler's reply, a fault's reply, or both.
pub(crate) async fn with_faults(
    shared: &Shared,
    req: &Incoming,
    port: Port,
    target: Option<FaultTarget>,
    subscription: &str,
    handler: impl FnOnce() -> Answer,
) -> (Answer, Delivery) {
    let Some(kind) = target.and_then(|t| shared.take_fault(t, subscription)) else {
        return (handler(), Delivery::Whole);
    };
    tracing::debug!(?kind, path = %req.uri.path(), "emulator fault fires");
    match kind {
        FaultKind::Slow { seconds } => {
            tokio::select! {
                () = shared.cancel.cancelled() => {}
                () = tokio::time::sleep(Duration::from_secs_f64(seconds)) => {}
            }
            (handler(), Delivery::Whole)
        }
        FaultKind::Quota { remaining, global } => {
            if port == Port::Arm {
                shared.drain_quota(subscription, &req.method, global, remaining);
            }
            (handler(), Delivery::Whole)
        }
        FaultKind::LostReply => (handler(), Delivery::Drop),
        FaultKind::Reset | FaultKind::Truncated => {
            let reply = if req.is_safe() {
                handler()
            } else {
                stand_in(port)
            };
            if kind == FaultKind::Reset {
                (reply, Delivery::Reset)
            } else {
                let half = reply.body.len() / 2;
                let body = reply.body.slice(..half);
                (reply.with_body(body), Delivery::Whole)
            }
        }
        other => (
            fault(other, port, req, subscription, &shared.tenant_id),
            Delivery::Whole,
        ),
    }
}

/// A plausible 200 body for cutting when the real handler must not run.
fn stand_in(port: Port) -> Answer {
    match port {
        Port::Arm => Answer::json(
            StatusCode::OK,
            &serde_json::json!({"id": "/subscriptions", "name": "stand-in", "properties": {"provisioningState": "Succeeded"}}),
        ),
        Port::Blob => Answer::empty(StatusCode::OK)
            .with_body("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults><Blobs/><NextMarker/></EnumerationResults>")
            .with("content-type", "application/xml"),
    }
}

/// The retry hint a throttling fault sends, or `None` for other kinds.
fn throttle_hint(kind: FaultKind) -> Option<(RetryHint, Duration)> {
    match kind {
        FaultKind::Throttle { retry_after_secs } => {
            Some((RetryHint::Seconds, Duration::from_secs(retry_after_secs)))
        }
        FaultKind::ThrottleDate { retry_after_secs } => {
            Some((RetryHint::HttpDate, Duration::from_secs(retry_after_secs)))
        }
        FaultKind::ThrottleMs { retry_after_ms } => Some((
            RetryHint::RetryAfterMs,
            Duration::from_millis(retry_after_ms),
        )),
        FaultKind::ThrottleXMs { retry_after_ms } => Some((
            RetryHint::XMsRetryAfterMs,
            Duration::from_millis(retry_after_ms),
        )),
        _ => None,
    }
}

/// ARM's 429 when a caller's token bucket is empty, with the retry hint in `form`.
pub(crate) fn arm_throttled(
    req: &Incoming,
    subscription: &str,
    form: RetryHint,
    wait: Duration,
) -> Answer {
    let op = match req.method {
        axum::http::Method::GET | axum::http::Method::HEAD => "read",
        axum::http::Method::DELETE => "delete",
        _ => "write",
    };
    let secs = wait.as_nanos().div_ceil(1_000_000_000);
    let mut reply = Answer::arm_error(
        StatusCode::TOO_MANY_REQUESTS,
        "SubscriptionRequestsThrottled",
        format!(
            "Number of '{op}' requests for subscription '{subscription}' actor '{}' exceeded. \
             Please try again after '{secs}' seconds after additional tokens are available. \
             Refer to https://aka.ms/arm-throttling for additional information.",
            crate::emulator::world::services::derived_guid("apim-dr-emulator-caller")
        ),
    );
    reply.set_retry_hint(form, wait, req.now);
    reply
}

fn fault(kind: FaultKind, port: Port, req: &Incoming, subscription: &str, tenant: &str) -> Answer {
    let blob_error = |status, code: &str, message: &str, extra: &[(&str, String)]| {
        Answer::blob_error(status, code, message, &req.request_id, req.now, extra)
    };
    if let Some((form, wait)) = throttle_hint(kind) {
        return if port == Port::Arm {
            arm_throttled(req, subscription, form, wait)
        } else {
            let mut reply = blob_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServerBusy",
                "Operations per second is over the account limit.",
                &[],
            );
            reply.set_retry_hint(form, wait, req.now);
            reply
        };
    }
    match (kind, port) {
        (FaultKind::InternalError, Port::Arm) => Answer::arm_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            format!(
                "Encountered internal server error. Diagnostic information: timestamp '{}', subscription id '{subscription}', \
                 tracking id '{}', request correlation id '{}'.",
                super::answer::arm_time(req.now),
                req.request_id,
                req.correlation_id
            ),
        ),
        (FaultKind::InternalError, Port::Blob) => blob_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "Server encountered an internal error. Please try again after some time.",
            &[],
        ),
        (FaultKind::Unavailable, Port::Arm) => Answer::arm_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please retry the request.",
        ),
        (FaultKind::Unavailable, Port::Blob) => blob_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServerBusy",
            "The server is currently unable to receive requests. Please retry your request.",
            &[],
        ),
        (FaultKind::ExpiredToken, Port::Arm) => Answer::arm_error(
            StatusCode::UNAUTHORIZED,
            "ExpiredAuthenticationToken",
            format!(
                "The access token expiry UTC time '{}' is earlier than current UTC time '{}'.",
                dotnet_time(req.now - time::Duration::hours(1)),
                dotnet_time(req.now)
            ),
        )
        .with(
            "www-authenticate",
            format!(
                "Bearer authorization_uri=\"https://login.microsoftonline.com/{tenant}\", error=\"invalid_token\", \
                 error_description=\"The access token has expired.\""
            ),
        ),
        (FaultKind::ExpiredToken, Port::Blob) => blob_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationInfo",
            "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
            &[("AuthenticationErrorDetail", "Lifetime validation failed. The token is expired.".to_owned())],
        )
        .with(
            "www-authenticate",
            format!("Bearer authorization_uri=https://login.microsoftonline.com/{tenant}/oauth2/authorize resource_id=https://storage.azure.com"),
        ),
        (FaultKind::Forbidden, Port::Arm) => {
            let oid = crate::emulator::world::services::derived_guid("apim-dr-emulator-caller");
            let scope = req.uri.path();
            Answer::arm_error(
                StatusCode::FORBIDDEN,
                "AuthorizationFailed",
                format!(
                    "The client '{oid}' with object id '{oid}' does not have authorization to perform action '{}' over scope \
                     '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
                    read_action(scope)
                ),
            )
        }
        (FaultKind::Forbidden, Port::Blob) => blob_error(
            StatusCode::FORBIDDEN,
            "AuthorizationPermissionMismatch",
            crate::emulator::blob::texts::PERMISSION_MISMATCH,
            &[],
        ),
        (FaultKind::MalformedXml, _) => Answer::empty(StatusCode::OK)
            .with_body("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults><Blobs><Blob><Name>apim-backups</Nam")
            .with("content-type", "application/xml"),
        // MalformedJson, and the kinds handled before this function.
        _ => Answer::empty(StatusCode::OK)
            .with_body("{\"value\":[{\"id\":\"/subscriptions/00000000-0000-0000-0000-000000000000\",\"name\":")
            .with("content-type", "application/json; charset=utf-8"),
    }
}

/// The ARM action a refused read names (`[infer]`: the action Azure's RBAC would check for
/// the path; APIM's operation results and statuses have actions of their own).
fn read_action(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    if lower.contains("/operationstatuses/") {
        "Microsoft.ApiManagement/locations/operationsStatuses/read".to_owned()
    } else if lower.contains("/operationresults/") {
        "Microsoft.ApiManagement/service/operationresults/read".to_owned()
    } else if lower.contains("/microsoft.insights/eventtypes/") {
        "Microsoft.Insights/eventtypes/values/read".to_owned()
    } else if lower.contains("/microsoft.apimanagement/service") {
        "Microsoft.ApiManagement/service/read".to_owned()
    } else {
        "Microsoft.Resources/subscriptions/read".to_owned()
    }
}

/// .NET's default time format, as ARM prints token expiry (`1/31/2024 2:05:09 PM`).
fn dotnet_time(t: time::OffsetDateTime) -> String {
    let (h, pm) = match t.hour() {
        0 => (12, false),
        h @ 1..=11 => (h, false),
        12 => (12, true),
        h => (h - 12, true),
    };
    format!(
        "{}/{}/{} {h}:{:02}:{:02} {}",
        u8::from(t.month()),
        t.day(),
        t.year(),
        t.minute(),
        t.second(),
        if pm { "PM" } else { "AM" }
    )
}

/// 413 for a body over the limit.
pub(crate) fn too_large(port: Port, req: &Incoming) -> Answer {
    match port {
        Port::Arm => Answer::arm_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            "The request content is too large.",
        ),
        Port::Blob => Answer::blob_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestBodyTooLarge",
            "The request body is too large and exceeds the maximum permissible limit.",
            &req.request_id,
            req.now,
            &[],
        ),
    }
}

/// Sends a reply whole, or starts it and drops the connection.
pub(crate) async fn deliver(
    reply: Answer,
    delivery: Delivery,
    is_head: bool,
    kill: CancellationToken,
    port: Port,
) -> Response {
    if delivery == Delivery::Whole {
        return reply.into_response(is_head);
    }
    if is_head || delivery == Delivery::Drop {
        // A HEAD reply has no body to cut (and a lost reply has nothing to send): drop the
        // connection before answering.
        kill.cancel();
        return std::future::pending::<Response>().await;
    }
    let body = if reply.body.is_empty() {
        stand_in(port).body
    } else {
        reply.body.clone()
    };
    let full = body.len();
    let first: Bytes = body.slice(..full / 2);
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(first) }).chain(
        futures::stream::once(async move {
            // Give hyper time to put the first half on the wire, then drop the connection.
            tokio::time::sleep(Duration::from_millis(50)).await;
            kill.cancel();
            std::future::pending::<()>().await;
            Err(std::io::Error::other(
                "connection dropped by a scripted reset",
            ))
        }),
    );
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.header_map();
    if let Ok(v) = header::HeaderValue::from_str(&full.to_string()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dotnet_times() {
        assert_eq!(
            dotnet_time(datetime!(2024-01-31 14:05:09 UTC)),
            "1/31/2024 2:05:09 PM"
        );
        assert_eq!(
            dotnet_time(datetime!(2024-01-01 00:00:00 UTC)),
            "1/1/2024 12:00:00 AM"
        );
    }
}
