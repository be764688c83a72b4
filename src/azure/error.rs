//! [`ApiError`]: every failure of a call to Azure, sorted by whether it is safe to retry, with
//! the service's own `code`, `message` and `x-ms-request-id` kept word for word.
//!
//! Errors never carry secrets: the request is described by method and path (no query string,
//! which could hold a SAS), and bodies are never echoed beyond the service's error message.

use std::fmt;
use std::time::Duration;

use crate::domain::operation::OperationError;

/// What kind of failure it was; drives the retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The service answered with an error status.
    Http,
    /// The connection failed or dropped (the request may or may not have been received).
    Connection,
    /// No complete answer within the client timeout.
    Timeout,
    /// The reply could not be parsed (malformed or truncated JSON/XML, missing header).
    Decode,
    /// No token could be obtained.
    Credential,
    /// Refused locally before sending: invalid name, insecure URL, bad configuration.
    Invalid,
}

/// A failed call to Azure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Failure class.
    pub kind: ErrorKind,
    /// The call, as `METHOD /path` (never the query string).
    pub call: String,
    /// HTTP status, when there was one.
    pub status: Option<u16>,
    /// Azure's error code, or our own for local failures (`ConnectionFailed`, `MalformedReply`…).
    pub code: String,
    /// Azure's message, or ours.
    pub message: String,
    /// `x-ms-request-id`, when the reply had one.
    pub request_id: Option<String>,
    /// `Retry-After`, when the reply had one.
    pub retry_after: Option<Duration>,
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        match (self.status, &self.request_id) {
            (Some(s), Some(id)) => write!(f, " (HTTP {s}, request id {id})")?,
            (Some(s), None) => write!(f, " (HTTP {s})")?,
            (None, Some(id)) => write!(f, " (request id {id})")?,
            (None, None) => {}
        }
        if !self.call.is_empty() {
            write!(f, " [{}]", self.call)?;
        }
        Ok(())
    }
}

impl ApiError {
    /// A local failure with no HTTP exchange.
    pub fn local(kind: ErrorKind, code: &str, message: impl Into<String>) -> Self {
        Self {
            kind,
            call: String::new(),
            status: None,
            code: code.to_owned(),
            message: message.into(),
            request_id: None,
            retry_after: None,
        }
    }

    /// Attaches the call description (`GET /subscriptions`).
    #[must_use]
    pub fn during(mut self, call: impl Into<String>) -> Self {
        if self.call.is_empty() {
            self.call = call.into();
        }
        self
    }

    /// True for failures a GET or a poll may retry: 408, 429, 5xx, dropped connections,
    /// timeouts and garbled replies.
    pub fn is_transient(&self) -> bool {
        match self.kind {
            ErrorKind::Connection | ErrorKind::Timeout | ErrorKind::Decode => true,
            ErrorKind::Http => matches!(self.status, Some(408 | 429 | 500..=599)),
            ErrorKind::Credential | ErrorKind::Invalid => false,
        }
    }

    /// True for 401: the token was refused (expired or revoked).
    pub fn is_unauthorized(&self) -> bool {
        self.kind == ErrorKind::Http && self.status == Some(401)
    }

    /// True for 404.
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::Http && self.status == Some(404)
    }

    /// A short phrase for progress lines: "throttled", "server error 503", "connection dropped".
    pub fn transient_label(&self) -> String {
        match (self.kind, self.status) {
            (ErrorKind::Http, Some(429)) => "throttled".to_owned(),
            (ErrorKind::Http, Some(s)) => format!("server error {s}"),
            (ErrorKind::Connection, _) => "connection dropped".to_owned(),
            (ErrorKind::Timeout, _) => "no answer in time".to_owned(),
            (ErrorKind::Decode, _) => "garbled reply".to_owned(),
            _ => self.code.clone(),
        }
    }
}

impl From<ApiError> for OperationError {
    fn from(e: ApiError) -> Self {
        Self {
            status: e.status,
            code: e.code,
            message: e.message,
            request_id: e.request_id,
        }
    }
}

impl From<crate::domain::names::NameError> for ApiError {
    fn from(e: crate::domain::names::NameError) -> Self {
        Self::local(ErrorKind::Invalid, "InvalidInput", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> ApiError {
        ApiError {
            kind: ErrorKind::Http,
            call: "GET /subscriptions".into(),
            status: Some(status),
            code: "X".into(),
            message: "m".into(),
            request_id: Some("rid".into()),
            retry_after: None,
        }
    }

    #[test]
    fn transient_sorting() {
        assert!(http(429).is_transient());
        assert!(http(503).is_transient());
        assert!(!http(400).is_transient());
        assert!(!http(409).is_transient());
        assert!(ApiError::local(ErrorKind::Connection, "ConnectionFailed", "x").is_transient());
        assert!(!ApiError::local(ErrorKind::Invalid, "InvalidInput", "x").is_transient());
    }

    #[test]
    fn display_keeps_the_services_words() {
        assert_eq!(
            http(409).to_string(),
            "X: m (HTTP 409, request id rid) [GET /subscriptions]"
        );
        assert_eq!(http(429).transient_label(), "throttled");
    }
}
