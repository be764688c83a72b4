//! The checks on the service: it exists and is idle, its tier backs up and restores, no
//! workspace gateway stands in the way, ARM accepted the api-version, and it has the managed
//! identity the access type names.

use super::facts::{PreflightFacts, Seen, ServiceFacts};
use super::{Check, Level, bad, not_checked, ok, verb};
use crate::domain::operation::{AccessType, PostKind};
use crate::domain::refusal;
use crate::domain::sku::BackupSupport;

fn role(kind: PostKind) -> &'static str {
    match kind {
        PostKind::Backup => "Service",
        PostKind::Restore => "Target",
    }
}

/// The service checks, in display order.
pub(super) fn all(f: &PreflightFacts) -> Vec<Check> {
    let who = role(f.kind);
    let titles = [
        ("service_exists", format!("{who} exists")),
        ("service_idle", format!("{who} is idle")),
        (
            "service_tier",
            format!("{who} tier supports {}", verb(f.kind)),
        ),
        ("workspaces", "No workspace gateway".to_owned()),
        ("api_version", "API version accepted".to_owned()),
        ("identity", "Managed identity".to_owned()),
    ];
    let s = match &f.service {
        Seen::Read(s) => s,
        Seen::Unreadable(why) => {
            let mut out = vec![bad(
                "service_exists",
                Level::Block,
                &titles[0].1,
                why.clone(),
                "check the resource id: `apim-dr services` lists the services you can see",
            )];
            out.extend(
                titles[1..]
                    .iter()
                    .map(|(id, t)| not_checked(id, t, "the service was not found")),
            );
            return out;
        }
    };
    let sum = &s.summary;
    vec![
        ok(
            "service_exists",
            &titles[0].1,
            format!(
                "{} in {}, {} × {}",
                sum.name, sum.location, sum.sku, sum.capacity
            ),
        ),
        idle(s, f.local_operation, &titles[1].1),
        tier(s, f.kind, &titles[2].1),
        workspaces(s, f.kind, &titles[3].1),
        api_version(s, &titles[4].1),
        identity(s, &f.access, &titles[5].1),
    ]
}

fn idle(s: &ServiceFacts, local_operation: bool, title: &str) -> Check {
    let t = &s.summary;
    if local_operation {
        return bad(
            "service_idle",
            Level::Block,
            title,
            "apim-dr is already running an operation on this service",
            "wait for it to end (`apim-dr operations`), then try again",
        );
    }
    if t.is_busy() {
        let state = if t.target_provisioning_state.is_empty() {
            t.provisioning_state.to_string()
        } else {
            format!("{} → {}", t.provisioning_state, t.target_provisioning_state)
        };
        return bad(
            "service_idle",
            Level::Block,
            title,
            format!("the service is {state}: another operation is running on it"),
            "wait until its provisioning state is Succeeded, then run pre-flight again",
        );
    }
    ok(
        "service_idle",
        title,
        format!("provisioning state {}", t.state_word()),
    )
}

fn tier(s: &ServiceFacts, kind: PostKind, title: &str) -> Check {
    let sku = &s.summary.sku;
    let only = match kind {
        PostKind::Restore => "restore into a Developer, Basic, Standard or Premium service",
        PostKind::Backup => "only Developer, Basic, Standard and Premium services can be backed up",
    };
    let fix = match refusal::instead(sku) {
        Some(next) => format!("{only}; for this one, {next}"),
        None => only.to_owned(),
    };
    match sku.backup_support() {
        BackupSupport::Supported => ok("service_tier", title, format!("{sku} is a classic tier")),
        BackupSupport::Unsupported(why) => bad(
            "service_tier",
            Level::Block,
            title,
            format!("{sku}: {why}"),
            fix,
        ),
        BackupSupport::Unknown(why) => bad(
            "service_tier",
            Level::Warn,
            title,
            format!("{sku}: {why}"),
            fix,
        ),
    }
}

fn workspaces(s: &ServiceFacts, kind: PostKind, title: &str) -> Check {
    let w = match &s.workspaces {
        Seen::Read(w) => w,
        Seen::Unreadable(why) => {
            return bad(
                "workspaces",
                Level::Warn,
                title,
                format!("cannot list the service's workspaces: {why}"),
                "check in the portal that no workspace of the service is linked to a workspace gateway",
            );
        }
    };
    if w.names.is_empty() {
        return ok("workspaces", title, "the service has no workspaces");
    }
    let names = w.names.join(", ");
    match &w.gateway_linked {
        Seen::Read(linked) if !linked.is_empty() => bad(
            "workspaces",
            Level::Block,
            title,
            format!(
                "Backup and restore aren't supported in API Management instances with associated workspace gateways: {} served by a workspace gateway",
                linked.join(", ")
            ),
            format!(
                "unlink the workspace gateway, or fail over without {} (redeploy the configuration with APIOps)",
                verb(kind)
            ),
        ),
        Seen::Read(_) => bad(
            "workspaces",
            Level::Warn,
            title,
            format!(
                "the service has workspaces ({names}), none linked to a workspace gateway: the current documentation refuses only instances with workspace gateways, an earlier revision any workspace"
            ),
            "if Azure refuses it, remove the workspaces or redeploy the configuration with APIOps",
        ),
        Seen::Unreadable(why) => bad(
            "workspaces",
            Level::Warn,
            title,
            format!(
                "the service has workspaces ({names}); cannot tell whether a workspace gateway serves them: {why}"
            ),
            "check in the portal that no workspace is linked to a workspace gateway",
        ),
    }
}

fn api_version(s: &ServiceFacts, title: &str) -> Check {
    let v = &s.api_version;
    match &v.refusal {
        None => ok(
            "api_version",
            title,
            format!("{} accepted in {}", v.used, s.summary.location),
        ),
        Some(refusal) => bad(
            "api_version",
            Level::Warn,
            title,
            format!(
                "{} refused in {} ({refusal}); {} accepted",
                v.asked, s.summary.location, v.used
            ),
            format!(
                "nothing to do: apim-dr sends {} to this service; the newer version reaches the region later",
                v.used
            ),
        ),
    }
}

/// The principal a managed-identity access authenticates as, or `None` (key access, or no
/// such identity on the service).
pub(super) fn principal<'s>(s: &'s ServiceFacts, access: &AccessType) -> Option<&'s str> {
    match access {
        AccessType::AccessKey => None,
        AccessType::SystemAssignedManagedIdentity => s.identity.system_principal.as_deref(),
        AccessType::UserAssignedManagedIdentity { client_id } => s
            .identity
            .user_assigned
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(client_id))
            .map(|(_, p)| p.as_str()),
    }
}

fn identity(s: &ServiceFacts, access: &AccessType, title: &str) -> Check {
    let name = &s.summary.name;
    match (access, principal(s, access)) {
        (AccessType::AccessKey, _) => ok(
            "identity",
            title,
            "not used: APIM reaches storage with the account key",
        ),
        (AccessType::SystemAssignedManagedIdentity, Some(p)) => ok(
            "identity",
            title,
            format!("system-assigned identity enabled (principal {p})"),
        ),
        (AccessType::UserAssignedManagedIdentity { client_id }, Some(p)) => ok(
            "identity",
            title,
            format!("user-assigned identity {client_id} attached (principal {p})"),
        ),
        (AccessType::SystemAssignedManagedIdentity, None) => bad(
            "identity",
            Level::Block,
            title,
            format!("System-assigned managed identity is not enabled on {name}"),
            format!(
                "enable it (az apim update --name {name} --resource-group {} --set identity.type=SystemAssigned), then grant it Storage Blob Data Contributor on the account",
                s.summary.resource_group
            ),
        ),
        (AccessType::UserAssignedManagedIdentity { client_id }, None) => bad(
            "identity",
            Level::Block,
            title,
            format!(
                "No user-assigned managed identity with client id {client_id} is assigned to {name}"
            ),
            "attach that identity to the service, or pass the client id of one it has",
        ),
    }
}
