//! `Microsoft.Authorization` on the ARM port: Role Assignments - List For Scope
//! (`GET {scope}/providers/Microsoft.Authorization/roleAssignments`), shaped like
//! `RoleAssignments_ListForScope.json`, with the documented `$filter` forms: none (at, above
//! and below the scope), `atScope()` (at or above), `principalId eq '{id}'` and
//! `assignedTo('{id}')` (that principal, at, above or below), joined with `and`. A caller the
//! world denies `roleAssignments/read` gets ARM's 403 `AuthorizationFailed`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::filter::and_terms;
use super::paging::page;
use crate::domain::rbac::scope_covers;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::RoleAssignment;

/// The action the list needs.
const READ: &str = "Microsoft.Authorization/roleAssignments/read";

/// What a `$filter` keeps.
#[derive(Debug, Default, PartialEq, Eq)]
struct Filter {
    at_scope: bool,
    principal: Option<String>,
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('\'').trim_matches('"')
}

fn parse_filter(text: &str) -> Option<Filter> {
    let mut f = Filter::default();
    for term in and_terms(text) {
        let lower = term.to_ascii_lowercase();
        if lower == "atscope()" {
            f.at_scope = true;
        } else if let Some(rest) = lower.strip_prefix("principalid eq ") {
            f.principal = Some(unquote(&term[term.len() - rest.len()..]).to_owned());
        } else if lower.starts_with("assignedto(") && lower.ends_with(')') {
            f.principal = Some(unquote(&term["assignedto(".len()..term.len() - 1]).to_owned());
        } else {
            return None;
        }
    }
    Some(f)
}

fn keeps(f: &Filter, scope: &str, a: &RoleAssignment) -> bool {
    let above = scope_covers(&a.scope, scope);
    let below = scope_covers(scope, &a.scope);
    let principal = f
        .principal
        .as_deref()
        .is_none_or(|p| p.eq_ignore_ascii_case(&a.principal_id));
    principal && (above || (below && !f.at_scope))
}

fn assignment_json(a: &RoleAssignment) -> Value {
    let sub = a.scope.split('/').nth(2).unwrap_or_default();
    json!({
        "properties": {
            "roleDefinitionId": format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{}", a.role),
            "principalId": a.principal_id,
            "principalType": a.principal_type,
            "scope": a.scope,
            "condition": null,
            "conditionVersion": null,
            "description": null,
            "delegatedManagedIdentityResourceId": null,
        },
        "id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{}", a.scope, a.name),
        "type": "Microsoft.Authorization/roleAssignments",
        "name": a.name,
    })
}

/// `GET {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=…]`.
pub(crate) fn list_role_assignments(
    shared: &Shared,
    req: &Incoming,
    scope: &str,
    version: &str,
) -> Answer {
    let denied = shared.read(|live| {
        let c = &live.world.caller;
        c.denied(READ).then(|| c.object_id.clone())
    });
    if let Some(oid) = denied {
        return Answer::arm_error(
            StatusCode::FORBIDDEN,
            "AuthorizationFailed",
            format!(
                "The client '{oid}' with object id '{oid}' does not have authorization to perform action '{READ}' over scope \
                 '{scope}/providers/Microsoft.Authorization' or the scope is invalid. If access was recently granted, please \
                 refresh your credentials."
            ),
        );
    }
    let text = req.query("$filter").unwrap_or_default();
    let Some(filter) = (if text.trim().is_empty() {
        Some(Filter::default())
    } else {
        parse_filter(&text)
    }) else {
        return Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "UnsupportedQuery",
            format!(
                "The filter '{text}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{{value}}' or assignedTo('{{value}}')'."
            ),
        );
    };
    let items = shared.read(|live| {
        live.world
            .role_assignments
            .iter()
            .filter(|a| keeps(&filter, scope, a))
            .map(assignment_json)
            .collect()
    });
    page(shared, req, version, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_take_the_documented_forms() {
        assert_eq!(
            parse_filter("atScope()"),
            Some(Filter {
                at_scope: true,
                principal: None
            })
        );
        assert_eq!(
            parse_filter("principalId eq 'AbC'")
                .unwrap()
                .principal
                .as_deref(),
            Some("AbC")
        );
        let both = parse_filter("atScope() and assignedTo('x-1')").unwrap();
        assert!(both.at_scope && both.principal.as_deref() == Some("x-1"));
        assert_eq!(parse_filter("roleDefinitionId eq 'x'"), None);
    }

    #[test]
    fn scopes_above_and_below_are_kept_as_documented() {
        let a = |scope: &str| RoleAssignment {
            name: "n".into(),
            principal_id: "p".into(),
            principal_type: "ServicePrincipal".into(),
            role: "r".into(),
            scope: scope.into(),
        };
        let rg = "/subscriptions/s/resourceGroups/rg";
        let account = format!("{rg}/providers/Microsoft.Storage/storageAccounts/st");
        let none = Filter::default();
        let at = Filter {
            at_scope: true,
            principal: None,
        };
        assert!(keeps(&none, rg, &a(&account)) && !keeps(&at, rg, &a(&account)));
        assert!(keeps(&at, &account, &a("/subscriptions/s")));
        let other = Filter {
            at_scope: false,
            principal: Some("q".into()),
        };
        assert!(!keeps(&other, rg, &a(rg)));
    }
}
