//! API Management reaching the storage account of a backup or restore, and Storage's answers
//! passed on in APIM's words: `400 InvalidParameters` with
//! `Invalid parameter: {Storage's text}\r\nParameter name: {parameter}`.
//!
//! In Storage's order: the network (public access, firewall: IP rules never admit a caller in
//! the account's own region; trusted services pass the `AzureServices` bypass or a
//! resource-instance rule only with a managed identity), then the credential (Shared Key
//! allowed and the key right; or the identity's Blob Data role on the account), then what APIM
//! reads: the Blob service's properties (the access-key path reads them with an old SDK that
//! cannot parse a CORS rule allowing `PATCH`), the container and the blob. Pure.

use super::admission::Params;
use super::operations::{Access, BackupOrRestore};
use crate::domain::names::ContainerName;
use crate::domain::rbac::{grants_blob_write, scope_covers};
use crate::domain::region::same_region;
use crate::emulator::blob::texts;
use crate::emulator::world::{Account, Service, World};

/// The request parameter APIM blames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parameter {
    Account,
    Container,
    Blob,
}

impl Parameter {
    fn name(self) -> &'static str {
        match self {
            Self::Account => "backupStorageAccount",
            Self::Container => "backupContainerName",
            Self::Blob => "backupName",
        }
    }
}

/// Storage refused APIM: its text and the parameter APIM names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub parameter: Parameter,
    pub text: String,
}

impl Refusal {
    fn new(parameter: Parameter, text: impl Into<String>) -> Self {
        Self {
            parameter,
            text: text.into(),
        }
    }

    /// APIM's code for it.
    pub const CODE: &'static str = "InvalidParameters";

    /// APIM's message: `Invalid parameter: {text}\r\nParameter name: {parameter}`.
    pub fn message(&self) -> String {
        format!(
            "Invalid parameter: {}\r\nParameter name: {}",
            self.text,
            self.parameter.name()
        )
    }
}

/// The refusal for a container that is not there (also when it went away during a backup).
pub(crate) fn container_gone() -> Refusal {
    Refusal::new(Parameter::Container, texts::CONTAINER_NOT_FOUND)
}

/// Whether the account's network lets APIM's control plane in.
fn network_admits(world: &World, s: &Service, account: &Account, access: Access) -> bool {
    let n = &account.network;
    if n.public_access_off() {
        return false;
    }
    if !n.deny_by_default {
        return true;
    }
    let by_ip = !same_region(&account.location, &s.location)
        && n.ip_rules
            .iter()
            .any(|r| r.contains(world.control_plane_ip(&s.location)));
    let trusted =
        access == Access::Identity && (n.bypasses_azure_services() || n.admits_resource(&s.id()));
    by_ip || trusted
}

/// The principal the service authenticates to storage as, for identity access.
fn principal<'s>(s: &'s Service, p: &Params) -> Option<&'s str> {
    match &p.client_id {
        Some(client) => s
            .user_identities
            .iter()
            .find(|u| u.client_id.eq_ignore_ascii_case(client))
            .map(|u| u.principal_id.as_str()),
        None => s.system_identity.as_deref(),
    }
}

/// The first CORS rule whose methods the access-key path cannot parse (it allows `PATCH`).
fn unparsable_cors(account: &Account) -> Option<String> {
    account
        .blob_cors
        .iter()
        .find(|r| r.allowed_methods.iter().any(|m| m == "PATCH"))
        .map(|r| r.allowed_methods.join(","))
}

/// Storage's answer to APIM for this backup or restore, `Ok` when it gets through.
/// `creates_container`: a backup into a missing container creates it.
pub(crate) fn check(
    world: &World,
    s: &Service,
    kind: BackupOrRestore,
    p: &Params,
    creates_container: bool,
) -> Result<(), Refusal> {
    let Some(account) = world.account(&p.blob.account) else {
        return Err(Refusal::new(
            Parameter::Account,
            format!(
                "The remote name could not be resolved: '{}.blob.core.windows.net'",
                p.blob.account.to_ascii_lowercase()
            ),
        ));
    };
    if !network_admits(world, s, account, p.access) {
        return Err(Refusal::new(
            Parameter::Account,
            texts::AUTHORIZATION_FAILURE,
        ));
    }
    match p.access {
        Access::Key => {
            if !account.allow_shared_key_access {
                return Err(Refusal::new(Parameter::Account, texts::KEY_NOT_PERMITTED));
            }
            let key = p.key.as_ref().map_or("", |k| k.expose());
            if !account.keys.iter().any(|k| k.expose() == key) {
                return Err(Refusal::new(
                    Parameter::Account,
                    texts::AUTHENTICATION_FAILED,
                ));
            }
            if let Some(methods) = unparsable_cors(account) {
                return Err(Refusal::new(
                    Parameter::Account,
                    format!("Requested value '{methods}' was not found."),
                ));
            }
        }
        Access::Identity => {
            let id = account.id();
            let allowed = principal(s, p).is_some_and(|principal| {
                world.role_assignments.iter().any(|a| {
                    a.principal_id.eq_ignore_ascii_case(principal)
                        && grants_blob_write(&a.role)
                        && scope_covers(&a.scope, &id)
                })
            });
            if !allowed {
                return Err(Refusal::new(Parameter::Account, texts::PERMISSION_MISMATCH));
            }
        }
    }
    if !world.lenient_names && ContainerName::parse(&p.blob.container).is_err() {
        return Err(Refusal::new(
            Parameter::Container,
            texts::INVALID_RESOURCE_NAME,
        ));
    }
    let container = account.containers.get(&p.blob.container);
    let missing_container =
        container.is_none() && (kind == BackupOrRestore::Restore || !creates_container);
    if missing_container {
        return Err(container_gone());
    }
    if kind == BackupOrRestore::Restore
        && !container.is_some_and(|c| c.blobs.contains_key(&p.blob.blob))
    {
        return Err(Refusal::new(Parameter::Blob, texts::BLOB_NOT_FOUND));
    }
    Ok(())
}
