//! Reads one claim of a JWT's payload, for display only (`doctor`: the tenant, the expiry of a
//! fixed token). No signature check: nothing is trusted because of what this returns.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The claim `name` of `token`'s payload as text (numbers too), or `None` when `token` is
/// not a JWT or has no such claim.
pub(super) fn claim(token: &str, name: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    match value.get(name)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_string_and_number_claims_and_nothing_from_opaque_tokens() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"tid":"t-1","exp":1796223915}"#);
        let token = format!("eyJhbGciOiJub25lIn0.{payload}.sig");
        assert_eq!(claim(&token, "tid").as_deref(), Some("t-1"));
        assert_eq!(claim(&token, "exp").as_deref(), Some("1796223915"));
        assert_eq!(claim(&token, "upn"), None);
        assert_eq!(claim("apim-dr-emulator.abc", "tid"), None);
    }
}
