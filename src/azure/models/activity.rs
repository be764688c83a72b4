//! Wire types of Azure Monitor's Activity Log (`Activity Logs - List`, api-version 2015-04-01):
//! the fields of `EventData` the watcher reads to learn whether a backup or restore arrived and
//! how it ended.

use serde::Deserialize;
use serde_json::Value;

use super::null_default;

/// `{ value, localizedValue }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LocalizableString {
    /// The invariant value.
    #[serde(default)]
    pub value: Option<String>,
}

impl LocalizableString {
    /// The invariant value, or "".
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or_default()
    }
}

/// One Activity Log record (`EventData`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ActivityEventWire {
    /// Shared by every record of one logical operation (the caller's
    /// `x-ms-correlation-request-id`).
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// e.g. `Microsoft.ApiManagement/service/restore/action`.
    #[serde(default)]
    pub operation_name: LocalizableString,
    /// `Started`, `Accepted`, `Succeeded`, `Failed`, …
    #[serde(default)]
    pub status: LocalizableString,
    /// The resource the record is about.
    #[serde(default)]
    pub resource_id: Option<String>,
    /// ISO 8601.
    #[serde(default)]
    pub event_timestamp: Option<String>,
    /// `statusCode`, `statusMessage` (a JSON text with the operation's error), …
    #[serde(default, deserialize_with = "null_default")]
    pub properties: serde_json::Map<String, Value>,
}

impl ActivityEventWire {
    /// The operation's error `(code, message)` from `properties.statusMessage`, when it holds
    /// one.
    pub fn error(&self) -> Option<(String, String)> {
        let text = self.properties.get("statusMessage")?.as_str()?;
        let v: Value = serde_json::from_str(text).ok()?;
        let e = v.get("error").unwrap_or(&v);
        let code = e.get("code")?.as_str()?.to_owned();
        let message = e
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Some((code, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_records_error_is_read_from_its_status_message() {
        let e: ActivityEventWire = serde_json::from_value(serde_json::json!({
            "correlationId": "c",
            "operationName": {"value": "Microsoft.ApiManagement/service/restore/action", "localizedValue": "x"},
            "status": {"value": "Failed"},
            "properties": {"statusCode": "BadRequest",
                "statusMessage": "{\"error\":{\"code\":\"RestoreFailed\",\"message\":\"Cannot restore: backup expired\"}}"}
        }))
        .unwrap();
        assert_eq!(e.status.text(), "Failed");
        assert_eq!(
            e.error(),
            Some((
                "RestoreFailed".to_owned(),
                "Cannot restore: backup expired".to_owned()
            ))
        );
    }

    #[test]
    fn missing_and_null_fields_are_tolerated() {
        let e: ActivityEventWire =
            serde_json::from_value(serde_json::json!({"properties": null})).unwrap();
        assert_eq!(e.status.text(), "");
        assert_eq!(e.error(), None);
    }
}
