//! What API Management checks on a backup or restore POST before it answers 202: the body
//! (ARM binds properties case-insensitively; `accessType` from 2021-04-01-preview on), the
//! tier (Consumption and, for a backup, the v2 tiers refuse the method; a restore into a v2
//! tier is accepted and fails while polling, as observed), workspaces, a running operation,
//! and the managed identity the body names. Storage's part is in `storage_access.rs`.

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::check_version;
use super::operations::{Access, BackupOrRestore};
use crate::emulator::WorkspaceRefusal;
use crate::emulator::arm::api_versions::has_access_type;
use crate::emulator::state::LiveState;
use crate::emulator::transport::answer::Answer;
use crate::emulator::world::{BlobLocation, Service};
use crate::secret::Secret;

fn bad_request(code: &str, message: impl Into<String>) -> Answer {
    Answer::arm_error(StatusCode::BAD_REQUEST, code, message)
}

/// The validated body of a backup/restore POST.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub blob: BlobLocation,
    pub access: Access,
    pub key: Option<Secret>,
    /// The user-assigned identity's client id; `None` with identity access means the
    /// system-assigned one.
    pub client_id: Option<String>,
}

/// A property of a request body, matched case-insensitively as ARM binds them; `null` is
/// absent.
pub(super) fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
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

/// Parses and checks the POST body.
pub(crate) fn params(body: &[u8], version: &str) -> Result<Params, Answer> {
    let invalid = |why: String| {
        bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: '{why}'."),
        )
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the request body is empty".to_owned()));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))?;
    let Some(obj) = value.as_object() else {
        return Err(invalid("expected a JSON object".to_owned()));
    };
    let account = text(obj, "storageAccount", true)?.unwrap_or_default();
    let container = text(obj, "containerName", true)?.unwrap_or_default();
    // The blob API Management writes (or reads) is the one the name's URL reaches, not always
    // the name as given.
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
    let (access, key, client_id) = match access_type.to_ascii_lowercase().as_str() {
        "accesskey" => (
            Access::Key,
            text(obj, "accessKey", true)?.map(Secret::new),
            None,
        ),
        "systemassignedmanagedidentity" => (Access::Identity, None, None),
        "userassignedmanagedidentity" => (Access::Identity, None, text(obj, "clientId", true)?),
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
    })
}

/// The tier gate: Consumption has neither method, the v2 tiers have no backup (a restore into
/// them is accepted and fails on the tier check while polling, as Azure does).
fn tier(s: &Service, kind: BackupOrRestore) -> Result<(), Answer> {
    let v2 = s.sku.to_ascii_lowercase().ends_with("v2");
    if s.sku.eq_ignore_ascii_case("Consumption") || (v2 && kind == BackupOrRestore::Backup) {
        return Err(Answer::apim_error(
            StatusCode::BAD_REQUEST,
            "MethodNotAllowedInPricingTier",
            format!("Method not allowed in {} pricing tier", s.sku),
        ));
    }
    Ok(())
}

/// Backup and restore are not supported with workspaces (with workspace gateways, per the
/// current documentation; any workspace, per an earlier revision).
fn workspaces(s: &Service, rule: WorkspaceRefusal) -> Result<(), Answer> {
    let refused = match rule {
        WorkspaceRefusal::Gateways => s.workspaces.iter().any(|w| w.gateway.is_some()),
        WorkspaceRefusal::Any => !s.workspaces.is_empty(),
    };
    if !refused {
        return Ok(());
    }
    let what = match rule {
        WorkspaceRefusal::Gateways => "with associated workspace gateways",
        WorkspaceRefusal::Any => "configured with workspaces",
    };
    Err(Answer::apim_error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        format!("Backup and restore aren't supported in API Management instances {what}."),
    ))
}

/// The identity the body names must be the service's.
fn identity(s: &Service, p: &Params) -> Result<(), Answer> {
    let missing = match (&p.access, &p.client_id) {
        (Access::Key, _) => None,
        (Access::Identity, None) => s.system_identity.is_none().then_some((
            "System-assigned managed identity is not enabled on the service.",
            "accessType",
        )),
        (Access::Identity, Some(client)) => (!s
            .user_identities
            .iter()
            .any(|u| u.client_id.eq_ignore_ascii_case(client)))
        .then_some((
            "No user-assigned managed identity with this client id is assigned to the service.",
            "clientId",
        )),
    };
    match missing {
        None => Ok(()),
        Some((text, parameter)) => Err(Answer::apim_error(
            StatusCode::BAD_REQUEST,
            "InvalidParameters",
            format!("Invalid parameter: {text}\r\nParameter name: {parameter}"),
        )),
    }
}

/// Everything APIM checks before it looks at storage, in its order.
pub(crate) fn admissible(
    live: &LiveState,
    body: &[u8],
    i: usize,
    kind: BackupOrRestore,
    version: &str,
    rule: WorkspaceRefusal,
) -> Result<Params, Answer> {
    let s = &live.world.services[i];
    check_version(&live.world, s, "service", version)?;
    tier(s, kind)?;
    let p = params(body, version)?;
    workspaces(s, rule)?;
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
    identity(s, &p)?;
    Ok(p)
}
