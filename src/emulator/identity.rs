//! Sign-in, as far as a client needs it to get tokens: Microsoft Entra ID's v2 token endpoint
//! (`POST /{tenant}/oauth2/v2.0/token`, client credentials with a secret or an assertion,
//! `entra.rs`) and the App Service / Functions managed-identity endpoint (`GET /msi/token`,
//! what `IDENTITY_ENDPOINT` points at, with `IDENTITY_HEADER`, `app_service.rs`). Both are
//! served on the ARM port, ahead of ARM's own front door (they take no bearer token).
//!
//! Tokens are opaque, remembered with their audience and expiry (`tokens.rs`); ARM and Blob
//! accept them for their own audience until they expire, and answer an expired one as Azure
//! does (ARM: 401 `ExpiredAuthenticationToken`; Blob: 401 `InvalidAuthenticationInfo`,
//! "Lifetime validation failed"). The emulator has no app registrations: any client id with
//! a secret or an assertion is admitted (`docs/FIDELITY.md`).

mod app_service;
mod entra;
pub(crate) mod tokens;

use axum::http::Method;

use super::state::Shared;
use super::transport::answer::Answer;
use super::transport::server::Incoming;

/// The managed-identity endpoint's path (`IDENTITY_ENDPOINT` is `{arm}/msi/token`).
pub(crate) const MSI_PATH: &str = "/msi/token";

/// True for a path the identity endpoints answer.
pub(crate) fn claims(path: &str) -> bool {
    path == MSI_PATH || entra::tenant_of(path).is_some()
}

/// Answers a request on an identity path.
pub(crate) fn handle(shared: &Shared, req: &Incoming) -> Answer {
    let path = req.uri.path();
    match (path == MSI_PATH, &req.method) {
        (true, &Method::GET) => app_service::token(shared, req),
        (false, &Method::POST) => entra::token(shared, req, entra::tenant_of(path).unwrap_or("")),
        _ => entra::error(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            900_561,
            "AADSTS900561: The endpoint only accepts POST requests.",
        ),
    }
}
