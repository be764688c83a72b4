//! The Blob front door (path style, `/{account}/{container}/{blob…}`): account lookup,
//! `x-ms-version`, authentication (Shared Key under either account key, or the emulator's
//! bearer token), faults, dispatch, and the headers Blob puts on every reply.
//!
//! The account's network rules come first, against the caller's address from the world file
//! (the operator is outside Azure): a firewall that does not list it, or public network access
//! turned off, answers 403 `AuthorizationFailure` whatever the credentials.
//!
//! Authentication failures answer as Azure does: 401 `NoAuthenticationInformation` without an
//! `Authorization` header, 403 `AuthenticationFailed` with an `AuthenticationErrorDetail`
//! quoting the server's string to sign, 403 `KeyBasedAuthenticationNotPermitted` when the
//! account refuses Shared Key, 401 `InvalidAuthenticationInfo` for a bad token (unknown, for
//! another audience, or expired: the detail says which).
//!
//! The path is read as Azure's front end is taken to read it (`path.rs`: dot segments removed,
//! trailing dots dropped, `[infer]`) before both the signature check and the routing.
//!
//! Behind the door: the Shared Key check (`auth.rs`), the dispatch and the container operations
//! (`ops.rs`), the listings (`list.rs`) and their XML (`xml.rs`), blob reads and writes
//! (`rw.rs`).

mod auth;
mod list;
mod ops;
pub(crate) mod path;
mod rw;
pub(super) mod texts;
mod xml;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use time::Duration;

use super::identity::tokens::{Check, TokenAudience};
use super::state::Shared;
use super::transport::answer::{Answer, http_date, parse_http_date};
use super::transport::fault_reply::{Delivery, with_faults};
use super::transport::faults::FaultTarget;
use super::transport::server::{Incoming, Port};
use auth::{Credential, credential, string_to_sign, verify_signature};

/// Versions outside this range are refused with `InvalidHeaderValue`.
const OLDEST_VERSION: &str = "2009-09-19";
// The newest Blob service version, as sent by azure-storage-blob 12.31 (tests/sdk_fidelity.rs).
const NEWEST_VERSION: &str = "2026-10-06";
/// The version Bearer tokens need at least.
const BEARER_VERSION: &str = "2017-11-09";
/// Accepted clock skew for Shared Key requests.
const MAX_SKEW: Duration = Duration::minutes(15);

/// What a Blob request addresses.
#[derive(Debug, Clone)]
pub(crate) struct BlobTarget {
    /// Account name, stored casing.
    pub account: String,
    /// Container, if any.
    pub container: Option<String>,
    /// Blob name (may contain `/`), if any.
    pub blob: Option<String>,
}

impl BlobTarget {
    /// Which fault rules may answer.
    pub fn fault_target(&self, req: &Incoming) -> FaultTarget {
        let comp = req.query("comp").unwrap_or_default().to_ascii_lowercase();
        match (&self.container, &self.blob) {
            (None, _) => FaultTarget::Containers,
            (Some(_), None) if comp == "list" => FaultTarget::Blobs,
            (Some(_), None) if req.query("restype").is_some() => FaultTarget::Containers,
            _ => FaultTarget::Blob,
        }
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Answers one request on the Blob port.
pub(crate) async fn handle(shared: &Arc<Shared>, req: &Incoming) -> (Answer, Delivery) {
    let (mut reply, delivery) = match front(shared, req) {
        Err(reply) => (reply, Delivery::Whole),
        Ok(target) => {
            let fault = target.fault_target(req);
            with_faults(shared, req, Port::Blob, Some(fault), "", || {
                ops::run(shared, req, &target)
            })
            .await
        }
    };
    decorate(req, &mut reply);
    (reply, delivery)
}

fn error(
    req: &Incoming,
    status: StatusCode,
    code: &str,
    message: &str,
    extra: &[(&str, String)],
) -> Answer {
    Answer::blob_error(status, code, message, &req.request_id, req.now, extra)
}

fn front(shared: &Shared, req: &Incoming) -> Result<BlobTarget, Answer> {
    let read = path::request_path(req.uri.path());
    let path = read.strip_prefix('/').unwrap_or_default();
    let (account_raw, rest) = path.split_once('/').unwrap_or((path, ""));
    let (container_raw, blob_raw) = rest.split_once('/').unwrap_or((rest, ""));
    if account_raw.is_empty() {
        return Err(error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidUri",
            "The requested URI does not represent any resource on the server.",
            &[],
        ));
    }
    let account_name = decode(account_raw);
    let Some((account, keys, shared_key_allowed, admitted)) = shared.read(|live| {
        live.world.account(&account_name).map(|a| {
            (
                a.name.clone(),
                a.keys.clone(),
                a.allow_shared_key_access,
                a.network.admits_public_ip(live.world.caller.ip),
            )
        })
    }) else {
        return Err(error(
            req,
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            texts::RESOURCE_NOT_FOUND,
            &[],
        ));
    };
    if !admitted {
        return Err(error(
            req,
            StatusCode::FORBIDDEN,
            "AuthorizationFailure",
            texts::AUTHORIZATION_FAILURE,
            &[],
        ));
    }
    authenticate(shared, req, &read, &account, &keys, shared_key_allowed)?;
    let container = Some(decode(container_raw)).filter(|c| !c.is_empty());
    let blob = Some(decode(blob_raw)).filter(|b| !b.is_empty());
    Ok(BlobTarget {
        account,
        container,
        blob,
    })
}

/// The request's credential: Shared Key under either key (when the account allows it) or the
/// emulator's bearer token, as Blob words each refusal.
fn authenticate(
    shared: &Shared,
    req: &Incoming,
    read: &str,
    account: &str,
    keys: &[crate::secret::Secret],
    shared_key_allowed: bool,
) -> Result<(), Answer> {
    let version = check_version(req)?;
    match req.header("authorization").map(|v| credential(&v)) {
        None => Err(error(
            req,
            StatusCode::UNAUTHORIZED,
            "NoAuthenticationInformation",
            "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
            &[],
        )
        .with("www-authenticate", challenge(shared))),
        Some(Credential::Malformed) => Err(error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidAuthenticationInfo",
            "Authentication information is not given in the correct format. Check the value of Authorization header.",
            &[],
        )),
        Some(Credential::Bearer(token)) => {
            if version.as_str() < BEARER_VERSION {
                return Err(error(
                    req,
                    StatusCode::FORBIDDEN,
                    "AuthenticationFailed",
                    texts::AUTHENTICATION_FAILED,
                    &[("AuthenticationErrorDetail", "Authentication scheme Bearer is not supported in this version.".to_owned())],
                ));
            }
            if token == shared.token.expose() {
                return Ok(());
            }
            let detail = match shared.tokens.check(&token, TokenAudience::Storage, req.now) {
                Check::Valid => return Ok(()),
                Check::Expired { .. } => "Lifetime validation failed. The token is expired.",
                Check::WrongAudience(_) => "Audience validation failed. Audience did not match.",
                Check::Unknown => "Issuer validation failed. Issuer did not match.",
            };
            Err(error(
                req,
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationInfo",
                "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
                &[("AuthenticationErrorDetail", detail.to_owned())],
            )
            .with("www-authenticate", challenge(shared)))
        }
        Some(Credential::SharedKey { account: signer, signature }) => {
            if !shared_key_allowed {
                return Err(error(
                    req,
                    StatusCode::FORBIDDEN,
                    "KeyBasedAuthenticationNotPermitted",
                    texts::KEY_NOT_PERMITTED,
                    &[],
                ));
            }
            shared_key(req, read, account, &signer, &signature, keys)
        }
    }
}

fn challenge(shared: &Shared) -> String {
    format!(
        "Bearer authorization_uri=https://login.microsoftonline.com/{}/oauth2/authorize resource_id=https://storage.azure.com",
        shared.tenant_id
    )
}

/// `x-ms-version`: required, and a version the service knows.
fn check_version(req: &Incoming) -> Result<String, Answer> {
    let Some(version) = req.header("x-ms-version") else {
        return Err(error(
            req,
            StatusCode::BAD_REQUEST,
            "MissingRequiredHeader",
            "An HTTP header that's mandatory for this request is not specified.",
            &[("HeaderName", "x-ms-version".to_owned())],
        ));
    };
    let v = version.trim();
    let well_formed = v.len() == 10
        && time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).is_ok();
    if well_formed && (OLDEST_VERSION..=NEWEST_VERSION).contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(error(
            req,
            StatusCode::BAD_REQUEST,
            "InvalidHeaderValue",
            "The value for one of the HTTP headers is not in the correct format.",
            &[
                ("HeaderName", "x-ms-version".to_owned()),
                ("HeaderValue", version.clone()),
            ],
        ))
    }
}

fn shared_key(
    req: &Incoming,
    path: &str,
    account: &str,
    signer: &str,
    signature: &str,
    keys: &[crate::secret::Secret],
) -> Result<(), Answer> {
    let failed = |detail: String| {
        error(
            req,
            StatusCode::FORBIDDEN,
            "AuthenticationFailed",
            texts::AUTHENTICATION_FAILED,
            &[("AuthenticationErrorDetail", detail)],
        )
    };
    if !signer.eq_ignore_ascii_case(account) {
        return Err(failed(format!(
            "The account being accessed does not match the account in the Authorization header ('{signer}')."
        )));
    }
    let date = req.header("x-ms-date").or_else(|| req.header("date"));
    let Some(date) = date else {
        return Err(failed("Request date header not specified.".to_owned()));
    };
    let Some(when) = parse_http_date(&date) else {
        return Err(failed(format!(
            "The Date header in the request is incorrect: '{date}'."
        )));
    };
    if (req.now - when).abs() > MAX_SKEW {
        return Err(failed(format!(
            "Request date header too old: '{date}'. The server time is '{}'.",
            http_date(req.now)
        )));
    }
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let sts = string_to_sign(
        req.method.as_str(),
        path,
        req.uri.query().unwrap_or_default(),
        &headers,
        signer,
    );
    if verify_signature(&sts, signature, keys) {
        Ok(())
    } else {
        Err(failed(format!(
            "The MAC signature found in the HTTP request '{signature}' is not the same as any computed signature. Server used following string to sign: '{sts}'."
        )))
    }
}

/// The headers Blob adds to every reply.
fn decorate(req: &Incoming, reply: &mut Answer) {
    reply.set("x-ms-request-id", &req.request_id);
    let version = req
        .header("x-ms-version")
        .filter(|v| v.len() == 10 && v.as_str() >= OLDEST_VERSION && v.as_str() <= NEWEST_VERSION)
        .unwrap_or_else(|| "2025-01-05".to_owned());
    reply.set("x-ms-version", &version);
    reply.set("date", &http_date(req.now));
    reply.set("server", "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0");
    if let Some(id) = req.header("x-ms-client-request-id") {
        reply.set("x-ms-client-request-id", &id);
    }
    if req.method == Method::HEAD && reply.status.is_client_error() {
        // HEAD errors carry no body; the code travels in x-ms-error-code only.
        reply.head_length = Some(0);
    }
}
