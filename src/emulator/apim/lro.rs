//! Backup and restore as ARM long-running operations: the POST (validated the way APIM
//! validates it, then 202 with `Location` and/or `Azure-AsyncOperation` and `Retry-After`),
//! the `Location` URL (202 while running, then 200 with the service body or 4xx with the
//! error, for good) and the operation-status resource (always 200 with a status word).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::operations::{Access, BackupOrRestore, Operation};
use super::{ServiceRef, find_service};
use crate::emulator::arm::api_versions::{check_service, has_access_type};
use crate::emulator::arm::route::ServicePart;
use crate::emulator::state::{LiveState, Shared};
use crate::emulator::transport::answer::{Answer, RetryHint, arm_time};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::BlobLocation;
use crate::emulator::{LroHeaders, RetryAfterMode};

fn bad_request(code: &str, message: impl Into<String>) -> Answer {
    Answer::arm_error(StatusCode::BAD_REQUEST, code, message)
}

/// The validated body of a backup/restore POST.
struct Params {
    blob: BlobLocation,
    access: Access,
    key: Option<String>,
    client_id: Option<String>,
    system_identity: bool,
}

fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    // ARM binds JSON properties case-insensitively.
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn text(obj: &Map<String, Value>, name: &str, required: bool) -> Result<Option<String>, Answer> {
    match field(obj, name) {
        None if required => Err(bad_request(
            "InvalidParameters",
            format!("Invalid parameter '{name}': a value is required."),
        )),
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() && required => Err(bad_request(
            "InvalidParameters",
            format!("Invalid parameter '{name}': the value must not be empty."),
        )),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(bad_request(
            "InvalidRequestContent",
            format!(
                "The request content was invalid and could not be deserialized: '{name}' must be a string, not {other}."
            ),
        )),
    }
}

fn params(body: &[u8], version: &str) -> Result<Params, Answer> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(bad_request(
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: 'the request body is empty'.",
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: '{e}'."),
        )
    })?;
    let Some(obj) = value.as_object() else {
        return Err(bad_request(
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: 'expected a JSON object'.",
        ));
    };
    let account = text(obj, "storageAccount", true)?.unwrap_or_default();
    let container = text(obj, "containerName", true)?.unwrap_or_default();
    // The blob API Management's write (or read) reaches, not always the name as given.
    let given = text(obj, "backupName", true)?.unwrap_or_default();
    let blob = crate::emulator::blob::path::stored_blob_name(&given);
    if blob.is_empty() || blob.ends_with('/') {
        // [infer] Such a name reaches no blob at all (a container URL).
        return Err(bad_request(
            "InvalidParameters",
            format!("Invalid parameter 'backupName': '{given}' does not name a blob."),
        ));
    }
    let access_type = if has_access_type(version) {
        text(obj, "accessType", false)?.unwrap_or_else(|| "AccessKey".to_owned())
    } else {
        "AccessKey".to_owned()
    };
    let (access, key, client_id, system_identity) = match access_type.to_ascii_lowercase().as_str()
    {
        "accesskey" => (Access::Key, text(obj, "accessKey", true)?, None, false),
        "systemassignedmanagedidentity" => (Access::Identity, None, None, true),
        "userassignedmanagedidentity" => {
            (Access::Identity, None, text(obj, "clientId", true)?, false)
        }
        _ => {
            return Err(bad_request(
                "InvalidParameters",
                format!(
                    "Invalid parameter 'accessType': '{access_type}' is not one of AccessKey, SystemAssignedManagedIdentity, UserAssignedManagedIdentity."
                ),
            ));
        }
    };
    Ok(Params {
        blob: BlobLocation {
            account,
            container,
            blob,
        },
        access,
        key,
        client_id,
        system_identity,
    })
}

/// Counts a backup/restore POST that arrived (authenticated), before faults or validation
/// answer it.
pub(crate) fn count_arrival(shared: &Shared, service: ServiceRef<'_>, part: &ServicePart) {
    let kind = if *part == ServicePart::Backup {
        BackupOrRestore::Backup
    } else {
        BackupOrRestore::Restore
    };
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
    let kind = if *part == ServicePart::Backup {
        BackupOrRestore::Backup
    } else {
        BackupOrRestore::Restore
    };
    shared.write(|live| {
        let reply = start_in(shared, live, req, service, kind, version).unwrap_or_else(|r| r);
        (reply, true)
    })
}

/// Tier, body and busy checks: whether this service may start this operation at all.
fn admissible(
    live: &LiveState,
    req: &Incoming,
    i: usize,
    kind: BackupOrRestore,
    version: &str,
) -> Result<Params, Answer> {
    let s = &live.world.services[i];
    check_service(&s.sku, s.max_api_version.as_deref(), version)?;
    if s.sku.eq_ignore_ascii_case("Consumption") {
        return Err(bad_request(
            "MethodNotAllowedInPricingTier",
            "Method not allowed in Consumption pricing tier",
        ));
    }
    if !crate::domain::sku::SkuName::new(s.sku.clone()).can_back_up() {
        return Err(bad_request(
            "BadRequest",
            format!(
                "Backup and restore of the service are not supported in the {} pricing tier.",
                s.sku
            ),
        ));
    }
    let p = params(&req.body, version)?;
    let busy = match live.running_on(i) {
        Some(running) => Some(format!(
            "another operation ({}) is in progress on the service '{}'",
            running.kind.as_str(),
            s.name
        )),
        None if s.is_busy() => Some(format!(
            "another operation is in progress on the service '{}' (provisioning state '{}')",
            s.name, s.provisioning_state
        )),
        None => None,
    };
    if let Some(why) = busy {
        return Err(Answer::arm_error(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "Cannot start the {}: {why}. Retry after it completes.",
                kind.as_str()
            ),
        ));
    }
    Ok(p)
}

/// The storage account exists and the key or identity given can reach it.
fn credentials(live: &LiveState, i: usize, p: &Params) -> Result<(), Answer> {
    let s = &live.world.services[i];
    let Some(account) = live.world.account(&p.blob.account) else {
        return Err(bad_request(
            "InvalidParameters",
            format!(
                "Invalid parameter 'storageAccount': storage account '{}' was not found.",
                p.blob.account
            ),
        ));
    };
    if let Some(key) = &p.key
        && !account.keys.iter().any(|k| k.expose() == key)
    {
        return Err(bad_request(
            "InvalidParameters",
            format!(
                "Invalid parameter 'accessKey': the key is not a valid access key of storage account '{}' (Server failed to authenticate the request).",
                account.name
            ),
        ));
    }
    if p.system_identity && s.system_identity.is_none() {
        return Err(bad_request(
            "InvalidParameters",
            format!(
                "Invalid parameter 'accessType': the API Management service '{}' has no system-assigned managed identity.",
                s.name
            ),
        ));
    }
    if let Some(client) = &p.client_id
        && !s
            .user_identities
            .iter()
            .any(|u| u.client_id.eq_ignore_ascii_case(client))
    {
        return Err(bad_request(
            "InvalidParameters",
            format!(
                "Invalid parameter 'clientId': no user-assigned identity with client id '{client}' is assigned to the API Management service '{}'.",
                s.name
            ),
        ));
    }
    Ok(())
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
    let p = admissible(live, req, i, kind, version)?;
    credentials(live, i, &p)?;
    let s = &live.world.services[i];
    let (sub, rg, name, short) = (
        s.subscription.clone(),
        s.resource_group.clone(),
        s.name.clone(),
        live.world.short_region(&s.location),
    );
    let op = Operation::new(
        kind,
        i,
        &name,
        version.to_owned(),
        p.blob,
        p.access,
        shared.settings.duration(kind),
    );
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
    shared
        .read(|live| -> Result<Answer, Answer> {
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
                    &super::json::service(&live.world.services[i], &live.world, version),
                ),
            })
        })
        .unwrap_or_else(|r| r)
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
