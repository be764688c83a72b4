//! Backup and restore as ARM long-running operations: the POST (validated the way APIM
//! validates it, `admission.rs`, with Storage's refusals in APIM's words, `storage_access.rs`,
//! then 202 with `Location` and/or `Azure-AsyncOperation` and `Retry-After`), the `Location`
//! URL (202 while running, then 200 with the service body or 4xx with the error, for good) and
//! the operation-status resource (always 200 with a status word).

use axum::http::StatusCode;
use serde_json::json;

use super::admission::admissible;
use super::operations::{BackupOrRestore, Operation};
use super::storage_access::{self, Refusal};
use super::{ServiceRef, find_service};
use crate::emulator::arm::route::ServicePart;
use crate::emulator::state::{LiveState, Shared};
use crate::emulator::transport::answer::{Answer, RetryHint, arm_time};
use crate::emulator::transport::server::Incoming;
use crate::emulator::{LroHeaders, RetryAfterMode, StorageErrors};

fn kind_of(part: &ServicePart) -> BackupOrRestore {
    if *part == ServicePart::Backup {
        BackupOrRestore::Backup
    } else {
        BackupOrRestore::Restore
    }
}

/// Counts a backup/restore POST that arrived (authenticated), before faults or validation
/// answer it.
pub(crate) fn count_arrival(shared: &Shared, service: ServiceRef<'_>, part: &ServicePart) {
    let kind = kind_of(part);
    shared.write(|live| match find_service(live, service) {
        Ok(i) => {
            live.count_post(kind, i, false);
            ((), true)
        }
        Err(_) => ((), false),
    });
}

/// `POST {service}/backup` or `POST {service}/restore`.
pub(crate) fn start(
    shared: &Shared,
    req: &Incoming,
    service: ServiceRef<'_>,
    part: &ServicePart,
    version: &str,
) -> Answer {
    let kind = kind_of(part);
    shared.change(|live| start_in(shared, live, req, service, kind, version))
}

fn start_in(
    shared: &Shared,
    live: &mut LiveState,
    req: &Incoming,
    service: ServiceRef<'_>,
    kind: BackupOrRestore,
    version: &str,
) -> Result<Answer, Answer> {
    let i = find_service(live, service)?;
    let settings = &shared.settings;
    let p = admissible(
        live,
        &req.body,
        i,
        kind,
        version,
        settings.workspace_refusal,
    )?;
    let s = &live.world.services[i];
    if settings.storage_errors == StorageErrors::Post {
        storage_access::check(&live.world, s, kind, &p, settings.backup_creates_container)
            .map_err(|r| Answer::apim_error(StatusCode::BAD_REQUEST, Refusal::CODE, r.message()))?;
    }
    let (sub, rg, name, short) = (
        s.subscription.clone(),
        s.resource_group.clone(),
        s.name.clone(),
        live.world.short_region(&s.location),
    );
    let mut op = Operation::new(
        kind,
        i,
        &name,
        version.to_owned(),
        p,
        settings.duration(kind),
    );
    req.correlation_id.clone_into(&mut op.correlation_id);
    let id = live.start(op).id.clone();
    live.count_post(kind, i, true);
    let v: String = url::form_urlencoded::byte_serialize(version.as_bytes()).collect();
    let location = format!(
        "{}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}/operationresults/{id}?api-version={v}",
        shared.arm_base
    );
    let status = format!(
        "{}/subscriptions/{sub}/providers/Microsoft.ApiManagement/locations/{short}/operationStatuses/{id}?api-version={v}",
        shared.arm_base
    );
    let mut reply = Answer::empty(StatusCode::ACCEPTED);
    if shared.settings.lro_headers != LroHeaders::AsyncOperation {
        reply.set("location", &location);
    }
    if shared.settings.lro_headers != LroHeaders::Location {
        reply.set("azure-asyncoperation", &status);
    }
    retry_after(shared, &mut reply, req);
    Ok(reply)
}

fn retry_after(shared: &Shared, reply: &mut Answer, req: &Incoming) {
    let form = match shared.settings.retry_after {
        RetryAfterMode::Seconds => RetryHint::Seconds,
        RetryAfterMode::HttpDate => RetryHint::HttpDate,
        RetryAfterMode::RetryAfterMs => RetryHint::RetryAfterMs,
        RetryAfterMode::XMsRetryAfterMs => RetryHint::XMsRetryAfterMs,
        RetryAfterMode::Off => return,
    };
    reply.set_retry_hint(form, shared.settings.retry_after_wait(), req.now);
}

/// `GET {service}/operationresults/{id}`: 202 while running, then the final answer for good.
pub(crate) fn operation_result(
    shared: &Shared,
    req: &Incoming,
    service: ServiceRef<'_>,
    id: &str,
    version: &str,
) -> Answer {
    shared.answer(|live| {
        let i = find_service(live, service)?;
        let op = live
            .ops
            .iter()
            .find(|o| o.id == id && o.service == i)
            .ok_or_else(|| {
                Answer::arm_error(
                    StatusCode::NOT_FOUND,
                    "ResourceNotFound",
                    format!("The operation '{id}' was not found."),
                )
            })?;
        if op.is_running() {
            let mut reply = Answer::empty(StatusCode::ACCEPTED);
            if let Some(pq) = req.uri.path_and_query() {
                reply.set("location", &format!("{}{pq}", shared.arm_base));
            }
            retry_after(shared, &mut reply, req);
            return Ok(reply);
        }
        Ok(match op.failure() {
            Some((code, message)) => Answer::arm_error(StatusCode::BAD_REQUEST, code, message),
            None => Answer::json(
                StatusCode::OK,
                &super::json::service(
                    &live.world.services[i],
                    &live.world,
                    &shared.arm_base,
                    version,
                ),
            ),
        })
    })
}

/// `GET /subscriptions/{id}/providers/Microsoft.ApiManagement/locations/{region}/operationStatuses/{id}`.
pub(crate) fn operation_status(shared: &Shared, req: &Incoming, sub: &str, id: &str) -> Answer {
    shared.read(|live| {
        let op = live.ops.iter().find(|o| {
            o.id == id
                && live
                    .world
                    .services
                    .get(o.service)
                    .is_some_and(|s| s.subscription.eq_ignore_ascii_case(sub))
        });
        let Some(op) = op else {
            return Answer::arm_error(
                StatusCode::NOT_FOUND,
                "ResourceNotFound",
                format!("The operation '{id}' was not found."),
            );
        };
        let mut body = json!({
            "id": req.uri.path(),
            "name": op.id,
            "status": op.status_word(std::time::Instant::now()),
            "startTime": arm_time(op.started_at),
            "percentComplete": (op.percent(std::time::Instant::now()) * 10.0).round() / 10.0,
        });
        if let Some(end) = op.ended_at {
            body["endTime"] = json!(arm_time(end));
        }
        if let Some((code, message)) = op.failure() {
            body["error"] = json!({"code": code, "message": message});
        }
        let mut reply = Answer::json(StatusCode::OK, &body);
        if op.is_running() {
            retry_after(shared, &mut reply, req);
        }
        reply
    })
}
