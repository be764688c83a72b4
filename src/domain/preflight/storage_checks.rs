//! The checks on the storage account, all read through ARM (so a firewall that keeps the
//! operator off the data plane hides none of them): the account is visible, the container's
//! name is valid and it exists, no CORS rule, the firewall against the access type and the
//! region, Shared Key allowed for key access, and the identity's role for identity access.

use super::facts::{AccountFacts, PreflightFacts, Seen, ServiceFacts};
use super::service_checks::principal;
use super::{Check, Level, bad, not_checked, ok, verb};
use crate::domain::names::ContainerName;
use crate::domain::operation::{AccessType, PostKind};
use crate::domain::rbac::{BUILT_IN_ROLES, grants_blob_write, role_guid, scope_covers};
use crate::domain::region::same_region;

const T_ACCOUNT: &str = "Storage account";
const T_CONTAINER_NAME: &str = "Container name is valid";
const T_CONTAINER: &str = "Container exists";
const T_CORS: &str = "No CORS rule on the Blob service";
const T_FIREWALL: &str = "Storage firewall admits APIM";
const T_SHARED_KEY: &str = "Shared Key allowed";
const T_ROLE: &str = "Identity's role on the account";

/// The storage checks, in display order.
pub(super) fn all(f: &PreflightFacts) -> Vec<Check> {
    let st = &f.storage;
    let mut out = Vec::new();
    let account = match &st.account {
        Seen::Read(a) => {
            out.push(ok(
                "storage_account",
                T_ACCOUNT,
                format!("{} in {}", st.account_name, a.location),
            ));
            Some(a)
        }
        Seen::Unreadable(why) => {
            out.push(bad(
                "storage_account",
                Level::Block,
                T_ACCOUNT,
                why.clone(),
                "check the account name; your credential needs Reader on its subscription",
            ));
            None
        }
    };
    out.push(container_name(&st.container));
    out.push(container(f));
    let Some(a) = account else {
        for (id, t) in [
            ("cors", T_CORS),
            ("firewall", T_FIREWALL),
            ("shared_key", T_SHARED_KEY),
            ("identity_role", T_ROLE),
        ] {
            out.push(not_checked(id, t, "the storage account was not found"));
        }
        return out;
    };
    out.push(cors(a, &f.access, f.kind));
    let service = f.service.read();
    out.push(match service {
        Some(s) => firewall(a, s, &f.access),
        None => not_checked("firewall", T_FIREWALL, "the service was not found"),
    });
    out.push(shared_key(a, &f.access));
    out.push(match service {
        Some(s) => role(a, s, &f.access, &st.account_name),
        None => not_checked("identity_role", T_ROLE, "the service was not found"),
    });
    out
}

fn container_name(name: &str) -> Check {
    match ContainerName::parse(name) {
        Ok(_) => ok("container_name", T_CONTAINER_NAME, format!("'{name}'")),
        Err(e) => bad(
            "container_name",
            Level::Block,
            T_CONTAINER_NAME,
            format!(
                "{e}: APIM refuses it (The specifed resource name contains invalid characters.)"
            ),
            "use 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit",
        ),
    }
}

fn container(f: &PreflightFacts) -> Check {
    let name = &f.storage.container;
    match (&f.storage.container_exists, f.kind) {
        (Seen::Read(true), _) => ok("container_exists", T_CONTAINER, format!("{name} exists")),
        (Seen::Read(false), PostKind::Restore) => bad(
            "container_exists",
            Level::Block,
            T_CONTAINER,
            format!("The specified container does not exist. ({name})"),
            "check the container name: `apim-dr backups --account ACCOUNT` lists the backups",
        ),
        (Seen::Read(false), PostKind::Backup) => bad(
            "container_exists",
            Level::Warn,
            T_CONTAINER,
            format!("{name} does not exist: apim-dr creates it before the backup"),
            "nothing to do, or create it yourself if this machine cannot reach the account's data plane",
        ),
        (Seen::Unreadable(why), _) => bad(
            "container_exists",
            Level::Warn,
            T_CONTAINER,
            format!("cannot read the container through ARM: {why}"),
            "check in the portal that the container exists",
        ),
    }
}

fn cors(a: &AccountFacts, access: &AccessType, kind: PostKind) -> Check {
    let rules = match &a.cors {
        Seen::Read(r) => r,
        Seen::Unreadable(why) => {
            return bad(
                "cors",
                Level::Warn,
                T_CORS,
                format!("cannot read the Blob service's properties: {why}"),
                "check the account's Resource sharing (CORS) settings for the Blob service in the portal",
            );
        }
    };
    let clear = "remove the Blob service's CORS rules (az storage cors clear --services b --account-name ACCOUNT)";
    if rules.is_empty() {
        return ok("cors", T_CORS, "the Blob service has no CORS rule");
    }
    let patch = rules.iter().find(|r| {
        r.allowed_methods
            .iter()
            .any(|m| m.eq_ignore_ascii_case("PATCH"))
    });
    match (patch, access) {
        (Some(r), AccessType::AccessKey) => bad(
            "cors",
            Level::Block,
            T_CORS,
            format!(
                "a CORS rule allows PATCH: APIM's storage client cannot read it and refuses the {} by key (Requested value '{}' was not found.)",
                verb(kind),
                r.allowed_methods.join(",")
            ),
            format!("{clear}, or use a managed identity"),
        ),
        _ => bad(
            "cors",
            Level::Warn,
            T_CORS,
            format!(
                "the Blob service has {} CORS rule(s): Microsoft's guide says CORS should not be enabled on the backup account",
                rules.len()
            ),
            clear,
        ),
    }
}

fn firewall(a: &AccountFacts, s: &ServiceFacts, access: &AccessType) -> Check {
    let n = &a.network;
    let identity = *access != AccessType::AccessKey;
    let public = if n.public_network_access.trim().is_empty() {
        "Enabled"
    } else {
        n.public_network_access.trim()
    };
    if !public.eq_ignore_ascii_case("Enabled") {
        return bad(
            "firewall",
            Level::Block,
            T_FIREWALL,
            format!(
                "public network access is {public}: API Management cannot reach the account, trusted services included"
            ),
            "enable public network access with a firewall that admits APIM (bypass AzureServices with a managed identity)",
        );
    }
    if !n.default_deny {
        return ok(
            "firewall",
            T_FIREWALL,
            "the account admits every network (defaultAction Allow)",
        );
    }
    let trusted = n
        .bypass
        .iter()
        .any(|b| b.eq_ignore_ascii_case("AzureServices"));
    let instance = n
        .resource_rules
        .iter()
        .any(|r| s.summary.id_is_ignoring_case(r));
    if identity && instance {
        return ok(
            "firewall",
            T_FIREWALL,
            "a resource-instance rule admits the service, with its managed identity",
        );
    }
    if identity && trusted {
        return ok(
            "firewall",
            T_FIREWALL,
            "the firewall admits trusted Azure services (bypass AzureServices) and APIM uses its managed identity",
        );
    }
    let exception = if trusted {
        " (the AzureServices exception admits APIM only with a managed identity)"
    } else {
        ""
    };
    let way_in = if identity {
        "add AzureServices to the firewall's exceptions or a resource-instance rule for the service"
    } else {
        "use a managed identity (--access-type system-assigned-managed-identity) with the AzureServices exception"
    };
    if same_region(&a.location, &s.summary.location) {
        return bad(
            "firewall",
            Level::Block,
            T_FIREWALL,
            format!(
                "the firewall denies by default and the account is in {}, the service's own region: IP rules never admit API Management from its own region{exception}",
                s.summary.location
            ),
            format!("{way_in}, or keep backups in an account in another region"),
        );
    }
    if n.ip_rules.is_empty() {
        return bad(
            "firewall",
            Level::Block,
            T_FIREWALL,
            format!(
                "the firewall denies by default and has no IP rule: API Management's control plane in {} is not admitted{exception}",
                s.summary.location
            ),
            format!(
                "add the ApiManagement.{} service tag's addresses to the IP rules, or {way_in}",
                s.summary.location.replace(' ', "")
            ),
        );
    }
    bad(
        "firewall",
        Level::Warn,
        T_FIREWALL,
        format!(
            "the firewall admits only its IP rules ({}): they must include API Management's control-plane addresses of {}{exception}",
            n.ip_rules.join(", "),
            s.summary.location
        ),
        format!(
            "compare them with the ApiManagement.{} service tag, or {way_in}",
            s.summary.location.replace(' ', "")
        ),
    )
}

fn shared_key(a: &AccountFacts, access: &AccessType) -> Check {
    match (access, a.shared_key_disabled) {
        (AccessType::AccessKey, true) => bad(
            "shared_key",
            Level::Block,
            T_SHARED_KEY,
            "Key based authentication is not permitted on this storage account.",
            "use a managed identity (--access-type system-assigned-managed-identity), or allow storage account key access",
        ),
        (AccessType::AccessKey, false) => ok(
            "shared_key",
            T_SHARED_KEY,
            "the account accepts its access keys",
        ),
        _ => ok(
            "shared_key",
            T_SHARED_KEY,
            "not used: APIM reaches storage with a managed identity",
        ),
    }
}

fn role_name(role_definition_id: &str) -> String {
    let guid = role_guid(role_definition_id);
    BUILT_IN_ROLES
        .iter()
        .find(|(_, g)| g.eq_ignore_ascii_case(guid))
        .map_or_else(|| format!("role {guid}"), |(n, _)| (*n).to_owned())
}

fn role(a: &AccountFacts, s: &ServiceFacts, access: &AccessType, account: &str) -> Check {
    if *access == AccessType::AccessKey {
        return ok(
            "identity_role",
            T_ROLE,
            "not used: APIM reaches storage with the account key",
        );
    }
    let Some(principal) = principal(s, access) else {
        return not_checked("identity_role", T_ROLE, "the service has no such identity");
    };
    let grant = format!(
        "az role assignment create --assignee-object-id {principal} --assignee-principal-type ServicePrincipal --role \"Storage Blob Data Contributor\" --scope {}",
        a.id
    );
    let roles = match &a.roles {
        Seen::Read(r) => r,
        Seen::Unreadable(why) => {
            return bad(
                "identity_role",
                Level::Warn,
                T_ROLE,
                format!("cannot read role assignments: {why}"),
                format!(
                    "check in the portal that principal {principal} holds Storage Blob Data Contributor on {account}, or: {grant}"
                ),
            );
        }
    };
    let mine: Vec<_> = roles
        .iter()
        .filter(|r| r.principal_id.eq_ignore_ascii_case(principal) && scope_covers(&r.scope, &a.id))
        .collect();
    if let Some(r) = mine
        .iter()
        .find(|r| grants_blob_write(&r.role_definition_id))
    {
        return ok(
            "identity_role",
            T_ROLE,
            format!("{} at {}", role_name(&r.role_definition_id), r.scope),
        );
    }
    let held = if mine.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = mine
            .iter()
            .map(|r| role_name(&r.role_definition_id))
            .collect();
        format!(" (it holds {}: no data actions)", names.join(", "))
    };
    bad(
        "identity_role",
        Level::Block,
        T_ROLE,
        format!(
            "principal {principal} holds no Storage Blob Data Contributor (or Owner) on {account}, its resource group or subscription{held}"
        ),
        grant,
    )
}
