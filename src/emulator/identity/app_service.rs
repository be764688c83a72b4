//! The App Service / Functions managed-identity endpoint (protocol `2019-08-01`), as
//! `azure_identity`'s `ManagedIdentityCredential` calls it when `IDENTITY_ENDPOINT` and
//! `IDENTITY_HEADER` are set: `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…
//! [&client_id=…]` with the header `X-IDENTITY-HEADER`. The reply's `expires_on` is a string
//! of epoch seconds, as App Service sends it.

use axum::http::StatusCode;
use serde_json::json;

use super::tokens::TokenAudience;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;

const API_VERSION: &str = "2019-08-01";

fn refusal(status: StatusCode, message: &str) -> Answer {
    Answer::json(
        status,
        &json!({
            "statusCode": status.as_u16(),
            "message": message,
            "correlationId": uuid::Uuid::new_v4().to_string(),
        }),
    )
}

/// A token for the app's system-assigned identity, or the user-assigned one named by
/// `client_id`.
pub(super) fn token(shared: &Shared, req: &Incoming) -> Answer {
    if req.header("x-identity-header").as_deref() != Some(shared.identity_header.expose()) {
        return refusal(
            StatusCode::UNAUTHORIZED,
            "The X-IDENTITY-HEADER is missing or invalid.",
        );
    }
    if req.query("api-version").as_deref() != Some(API_VERSION) {
        return refusal(
            StatusCode::BAD_REQUEST,
            "The api-version is missing or not supported; use 2019-08-01.",
        );
    }
    let resource = req.query("resource").unwrap_or_default();
    let Some(audience) = TokenAudience::of(&resource) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            &format!("The resource '{resource}' is missing or not supported."),
        );
    };
    let client_id = req.query("client_id").filter(|c| !c.trim().is_empty());
    let (token, expires_at) = shared.tokens.issue(
        "app-service",
        audience,
        &shared.tenant_id,
        client_id.clone(),
        req.now,
    );
    Answer::json(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "expires_on": expires_at.unix_timestamp().to_string(),
            "resource": resource,
            "token_type": "Bearer",
            "client_id": client_id.unwrap_or_else(|| shared.read(|l| l.world.caller.object_id.clone())),
        }),
    )
}
