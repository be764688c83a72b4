//! The tokens the emulator's identity endpoints issue: opaque strings remembered with their
//! audience and expiry, so ARM and Blob can tell a valid token from an expired one or one
//! issued for the other audience, as Azure's front doors do.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use time::OffsetDateTime;

/// Which resource a token was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenAudience {
    /// Azure Resource Manager.
    Arm,
    /// Azure Storage.
    Storage,
}

impl TokenAudience {
    /// The audience of a `resource` (v1, managed identity) or `scope` (v2, with `/.default`)
    /// value; `None` for a resource the emulator does not serve.
    pub fn of(resource: &str) -> Option<Self> {
        let r = resource.trim();
        let r = r
            .strip_suffix("/.default")
            .unwrap_or(r)
            .trim_end_matches('/');
        match r.to_ascii_lowercase().as_str() {
            "https://management.azure.com" | "https://management.core.windows.net" => {
                Some(Self::Arm)
            }
            "https://storage.azure.com" => Some(Self::Storage),
            _ => None,
        }
    }

    /// The audience as a token's `aud` spells it (ARM quotes it in its refusal).
    pub fn uri(self) -> &'static str {
        match self {
            Self::Arm => "https://management.azure.com/",
            Self::Storage => "https://storage.azure.com",
        }
    }
}

/// One token handed out, without the token itself (for drills and tests).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssuedToken {
    /// `entra` (the v2 token endpoint) or `app-service` (the managed-identity endpoint).
    pub endpoint: &'static str,
    /// What it is for.
    pub audience: TokenAudience,
    /// The tenant it was issued in.
    pub tenant: String,
    /// The client (application or user-assigned identity) it was issued to, if one was named.
    pub client_id: Option<String>,
    /// When it was issued.
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    /// When it stops being accepted.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// What a front door finds for a bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Check {
    /// Issued here, for this audience, not expired.
    Valid,
    /// Issued here, but past its expiry.
    Expired { expired_at: OffsetDateTime },
    /// Issued here for the other audience.
    WrongAudience(TokenAudience),
    /// Not issued here.
    Unknown,
}

/// Every token issued, by token.
#[derive(Debug)]
pub(crate) struct Tokens {
    lifetime: Duration,
    issued: Mutex<HashMap<String, IssuedToken>>,
}

impl Tokens {
    /// Tokens that are refused `lifetime` after they are issued.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// Issues a new token; returns it and the moment it stops being accepted.
    pub fn issue(
        &self,
        endpoint: &'static str,
        audience: TokenAudience,
        tenant: &str,
        client_id: Option<String>,
        now: OffsetDateTime,
    ) -> (String, OffsetDateTime) {
        let token = format!(
            "apim-dr-emulator-{}.{}",
            match audience {
                TokenAudience::Arm => "arm",
                TokenAudience::Storage => "storage",
            },
            uuid::Uuid::new_v4().simple()
        );
        let expires_at = now + self.lifetime;
        let record = IssuedToken {
            endpoint,
            audience,
            tenant: tenant.to_owned(),
            client_id,
            issued_at: now,
            expires_at,
        };
        self.issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(token.clone(), record);
        (token, expires_at)
    }

    /// What `token` is worth for `audience` at `now`.
    pub fn check(&self, token: &str, audience: TokenAudience, now: OffsetDateTime) -> Check {
        let issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        match issued.get(token) {
            None => Check::Unknown,
            Some(t) if t.audience != audience => Check::WrongAudience(t.audience),
            Some(t) if t.expires_at <= now => Check::Expired {
                expired_at: t.expires_at,
            },
            Some(_) => Check::Valid,
        }
    }

    /// Every token issued, oldest first.
    pub fn all(&self) -> Vec<IssuedToken> {
        let mut all: Vec<IssuedToken> = self
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        all.sort_by_key(|t| t.issued_at);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_read_resources_and_scopes() {
        assert_eq!(
            TokenAudience::of("https://management.azure.com/.default"),
            Some(TokenAudience::Arm)
        );
        assert_eq!(
            TokenAudience::of("https://management.core.windows.net/"),
            Some(TokenAudience::Arm)
        );
        assert_eq!(
            TokenAudience::of("https://storage.azure.com"),
            Some(TokenAudience::Storage)
        );
        assert_eq!(TokenAudience::of("https://vault.azure.net"), None);
    }

    #[test]
    fn a_token_is_valid_for_its_audience_until_it_expires() {
        let tokens = Tokens::new(Duration::from_secs(60));
        let now = OffsetDateTime::now_utc();
        let (t, until) = tokens.issue("entra", TokenAudience::Arm, "tid", None, now);
        assert_eq!(until, now + Duration::from_secs(60));
        assert_eq!(tokens.check(&t, TokenAudience::Arm, now), Check::Valid);
        assert_eq!(
            tokens.check(&t, TokenAudience::Storage, now),
            Check::WrongAudience(TokenAudience::Arm)
        );
        assert_eq!(
            tokens.check(&t, TokenAudience::Arm, until),
            Check::Expired { expired_at: until }
        );
        assert_eq!(
            tokens.check("other", TokenAudience::Arm, now),
            Check::Unknown
        );
        assert_eq!(tokens.all().len(), 1);
    }
}
