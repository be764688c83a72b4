//! Microsoft Entra ID's v2 token endpoint for the client-credentials grant, as
//! `azure_identity`'s service-principal, workload, pipelines and assertion credentials call
//! it: `POST /{tenant}/oauth2/v2.0/token`, a form body, a JSON reply. Errors carry Entra's
//! `AADSTS` codes in `error_description` and `error_codes`.

use axum::http::StatusCode;
use serde_json::json;

use super::tokens::TokenAudience;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;

/// The tenant of `/{tenant}/oauth2/v2.0/token`, if `path` is one.
pub(super) fn tenant_of(path: &str) -> Option<&str> {
    let tenant = path.strip_prefix('/')?.strip_suffix("/oauth2/v2.0/token")?;
    (!tenant.is_empty() && !tenant.contains('/')).then_some(tenant)
}

/// An Entra error reply.
pub(super) fn error(status: StatusCode, error: &str, code: u32, description: &str) -> Answer {
    Answer::json(
        status,
        &json!({
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": crate::emulator::transport::answer::arm_time(time::OffsetDateTime::now_utc()),
            "trace_id": uuid::Uuid::new_v4().to_string(),
            "correlation_id": uuid::Uuid::new_v4().to_string(),
        }),
    )
}

fn missing(name: &str) -> Answer {
    error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        900_144,
        &format!("AADSTS900144: The request body must contain the following parameter: '{name}'."),
    )
}

/// The client-credentials grant.
pub(super) fn token(shared: &Shared, req: &Incoming, tenant: &str) -> Answer {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&req.body)
        .into_owned()
        .collect();
    let field = |k: &str| {
        form.iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    if !tenant.eq_ignore_ascii_case(&shared.tenant_id) {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90_002,
            &format!(
                "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct \
                 tenant ID and are signing into the correct cloud."
            ),
        );
    }
    let Some(grant) = field("grant_type") else {
        return missing("grant_type");
    };
    if grant != "client_credentials" {
        return error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70_003,
            "AADSTS70003: The app requested an unsupported grant type.",
        );
    }
    let Some(client_id) = field("client_id") else {
        return missing("client_id");
    };
    let assertion = field("client_assertion").is_some()
        && field("client_assertion_type").as_deref()
            == Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    if field("client_secret").is_none() && !assertion {
        return error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7_000_216,
            "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the \
             'client_credentials' grant type.",
        );
    }
    let Some(scope) = field("scope") else {
        return missing("scope");
    };
    let Some(audience) = TokenAudience::of(&scope) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_resource",
            500_011,
            &format!(
                "AADSTS500011: The resource principal named {scope} was not found in the tenant \
                 named {tenant}."
            ),
        );
    };
    let (token, expires_at) =
        shared
            .tokens
            .issue("entra", audience, tenant, Some(client_id), req.now);
    let expires_in = (expires_at - req.now).whole_seconds();
    Answer::json(
        StatusCode::OK,
        &json!({
            "token_type": "Bearer",
            "expires_in": expires_in,
            "ext_expires_in": expires_in,
            "access_token": token,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_v2_token_path_names_a_tenant() {
        assert_eq!(tenant_of("/t1/oauth2/v2.0/token"), Some("t1"));
        assert_eq!(tenant_of("/oauth2/v2.0/token"), None);
        assert_eq!(tenant_of("/a/b/oauth2/v2.0/token"), None);
        assert_eq!(tenant_of("/subscriptions"), None);
    }
}
