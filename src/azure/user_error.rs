//! The operator's view of an [`ApiError`]: [`ApiError::to_user_error`] keeps the service's
//! words and request id and adds a hint where the failure has a known remedy.

use super::error::{ApiError, ErrorKind};
use crate::domain::error::UserError;

impl ApiError {
    /// Builds the operator's view of this failure, `context` saying what was being done
    /// ("listing services of Contoso Production").
    pub fn to_user_error(&self, context: &str) -> UserError {
        let e = self;
        UserError {
            summary: format!("{context} failed: {}", e.message),
            detail: Some(match e.status {
                Some(s) => format!("{} (HTTP {s}) {}", e.code, e.call)
                    .trim_end()
                    .to_owned(),
                None => format!("{} {}", e.code, e.call).trim_end().to_owned(),
            }),
            request_id: e.request_id.clone(),
            hint: hint_for(e),
        }
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
        let u = e.to_user_error("restore");
        assert_eq!(
            u.summary,
            "restore failed: Another operation is in progress"
        );
        assert_eq!(u.request_id.as_deref(), Some("rid"));
        assert!(u.hint.unwrap().contains("another operation"));
        assert!(u.detail.unwrap().starts_with("Conflict (HTTP 409)"));
    }
}
