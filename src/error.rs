//! [`UserError`]: one failure as an operator reads it (summary, detail, request id, hint),
//! built once from an [`ApiError`] or a local problem and used by the TUI's flash line and
//! details popup, the CLI's text output and `-o json`. Its fields never hold secrets.
//!
//! Also the process exit codes.

use serde::{Deserialize, Serialize};

use crate::azure::error::{ApiError, ErrorKind};
use crate::domain::names::NameError;
use crate::domain::operation::OperationError;

/// Exit codes of the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success.
    Ok = 0,
    /// The operation failed, or pre-flight found a blocking problem.
    Failed = 1,
    /// Bad usage or input (including refused destructive commands without `--yes`, and
    /// read-only mode).
    Usage = 2,
    /// The operation was started but its outcome could not be confirmed.
    Unconfirmed = 3,
    /// Interrupted (Ctrl-C) while watching; the operation goes on in Azure.
    Interrupted = 130,
}

/// A failure, in words for the person at the terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserError {
    /// One line: what failed.
    pub summary: String,
    /// The service's own words (code and message), or more context.
    pub detail: Option<String>,
    /// `x-ms-request-id`, for support tickets.
    pub request_id: Option<String>,
    /// What to do about it, when we know.
    pub hint: Option<String>,
}

impl UserError {
    /// A failure with only a summary.
    pub fn new(summary: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            detail: None,
            request_id: None,
            hint: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Builds the operator's view of an API failure, `context` saying what was being done
    /// ("listing services of Contoso Production").
    pub fn from_api(context: &str, e: &ApiError) -> Self {
        let hint = hint_for(e);
        Self {
            summary: format!("{context} failed: {}", e.message),
            detail: Some(match e.status {
                Some(s) => format!("{} (HTTP {s}) {}", e.code, e.call)
                    .trim_end()
                    .to_owned(),
                None => format!("{} {}", e.code, e.call).trim_end().to_owned(),
            }),
            request_id: e.request_id.clone(),
            hint,
        }
    }

    /// Builds the operator's view of a failed operation.
    pub fn from_operation(context: &str, e: &OperationError) -> Self {
        Self {
            summary: format!("{context} failed: {}", e.message),
            detail: Some(e.code.clone()),
            request_id: e.request_id.clone(),
            hint: None,
        }
    }

    /// One line with the request id, for flash lines and logs.
    pub fn one_line(&self) -> String {
        match &self.request_id {
            Some(id) => format!("{} (request id {id})", self.summary),
            None => self.summary.clone(),
        }
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary)?;
        if let Some(d) = &self.detail {
            write!(f, "\n  detail: {d}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, "\n  request id: {id}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UserError {}

impl From<NameError> for UserError {
    fn from(e: NameError) -> Self {
        Self::new(e.to_string())
    }
}

fn hint_for(e: &ApiError) -> Option<String> {
    let h = match (e.kind, e.status, e.code.as_str()) {
        (ErrorKind::Credential, ..) => {
            "log in with `az login`, or set APIM_DR_ACCESS_TOKEN, or pick another --auth method"
        }
        (_, Some(401), _) => {
            "the token was refused: log in again (`az login`) or refresh APIM_DR_ACCESS_TOKEN"
        }
        (_, Some(403), "AuthorizationFailed") => {
            "your identity lacks the RBAC role for this call (API Management Service Contributor for backup/restore)"
        }
        (_, Some(403), _) => {
            "access denied: check the storage account key, firewall and data-plane role"
        }
        (_, Some(409), _) => {
            "another operation is running on this service: wait for it to finish, then try again"
        }
        (_, Some(429), _) => "Azure is throttling this subscription: wait a little and try again",
        (ErrorKind::Connection | ErrorKind::Timeout, ..) => {
            "the endpoint did not answer: check the network, proxy and --arm-endpoint"
        }
        (_, _, "InsecureEndpoint") => "use https://, or a loopback address for the emulator",
        _ => return None,
    };
    Some(h.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_keep_the_services_words_and_request_id() {
        let e = ApiError {
            kind: ErrorKind::Http,
            call: "POST /subscriptions/s/…/restore".into(),
            status: Some(409),
            code: "Conflict".into(),
            message: "Another operation is in progress".into(),
            request_id: Some("rid".into()),
            retry_after: None,
        };
        let u = UserError::from_api("restore", &e);
        assert_eq!(
            u.summary,
            "restore failed: Another operation is in progress"
        );
        assert_eq!(u.request_id.as_deref(), Some("rid"));
        assert!(u.hint.unwrap().contains("another operation"));
        assert!(u.detail.unwrap().starts_with("Conflict (HTTP 409)"));
    }
}
