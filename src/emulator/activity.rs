//! The Activity Log the emulator keeps: what ARM records for each backup and restore action,
//! in the shape of Azure Monitor's `EventData` (Activity Logs - List, api-version 2015-04-01).
//!
//! ARM writes two records when it takes an asynchronous action (`BeginRequest` with status
//! `Started`, then `EndRequest` with status `Accepted` once it answered 202) and one more when
//! the operation ends (`EndRequest`, `Succeeded` or `Failed`, the failure's error in
//! `properties.statusMessage`). All three carry the caller's `x-ms-correlation-request-id`, so
//! a client that lost the 202 can still find its operation. Only backup and restore are
//! recorded (the rest of ARM's writes are not modelled). Azure takes minutes to show a record;
//! the emulator shows it at once (`docs/FIDELITY.md`).

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One Activity Log record.
#[derive(Debug, Clone)]
pub(crate) struct ActivityEvent {
    pub event_data_id: String,
    pub operation_id: String,
    pub correlation_id: String,
    pub caller: String,
    pub subscription: String,
    pub resource_group: String,
    /// The service's ARM id.
    pub resource_id: String,
    /// `Microsoft.ApiManagement/service/backup/action` or `…/restore/action`.
    pub action: String,
    /// `BeginRequest` or `EndRequest`.
    pub event_name: &'static str,
    /// `Started`, `Accepted`, `Succeeded` or `Failed`.
    pub status: &'static str,
    /// The operation's error `(code, message)` on `Failed`.
    pub failure: Option<(String, String)>,
    pub at: OffsetDateTime,
    pub tenant_id: String,
}

impl ActivityEvent {
    /// The ARM action of a backup or restore.
    pub fn action_of(kind: &str) -> String {
        format!("Microsoft.ApiManagement/service/{kind}/action")
    }

    /// The record as `Activity Logs - List` returns it.
    pub fn to_json(&self) -> Value {
        let stamp = self.at.format(&Rfc3339).unwrap_or_default();
        let (level, status_code) = match self.status {
            "Failed" => ("Error", "BadRequest"),
            "Accepted" => ("Informational", "Accepted"),
            _ => ("Informational", "OK"),
        };
        let mut properties = json!({
            "eventCategory": "Administrative",
            "entity": self.resource_id,
            "message": self.action,
            "hierarchy": format!("{}/{}", self.tenant_id, self.subscription),
        });
        if self.status != "Started" {
            properties["statusCode"] = json!(status_code);
        }
        if let Some((code, message)) = &self.failure {
            properties["statusMessage"] =
                json!(json!({"error": {"code": code, "message": message}}).to_string());
        }
        let ticks = self.at.unix_timestamp_nanos() / 100 + 621_355_968_000_000_000;
        json!({
            "authorization": {"action": self.action, "scope": self.resource_id},
            "caller": self.caller,
            "channels": "Operation",
            "claims": {},
            "correlationId": self.correlation_id,
            "description": "",
            "eventDataId": self.event_data_id,
            "eventName": {"value": self.event_name, "localizedValue": localized_event(self.event_name)},
            "category": {"value": "Administrative", "localizedValue": "Administrative"},
            "eventTimestamp": stamp,
            "id": format!("{}/events/{}/ticks/{ticks}", self.resource_id, self.event_data_id),
            "level": level,
            "operationId": self.operation_id,
            "operationName": {"value": self.action, "localizedValue": localized_action(&self.action)},
            "resourceGroupName": self.resource_group,
            "resourceProviderName": {"value": "Microsoft.ApiManagement", "localizedValue": "Microsoft.ApiManagement"},
            "resourceType": {"value": "Microsoft.ApiManagement/service", "localizedValue": "Microsoft.ApiManagement/service"},
            "resourceId": self.resource_id,
            "status": {"value": self.status, "localizedValue": self.status},
            "subStatus": if self.status == "Accepted" {
                json!({"value": "Accepted", "localizedValue": "Accepted (HTTP Status Code: 202)"})
            } else {
                json!({"value": "", "localizedValue": ""})
            },
            "submissionTimestamp": stamp,
            "subscriptionId": self.subscription,
            "tenantId": self.tenant_id,
            "properties": properties,
            "relatedEvents": [],
        })
    }
}

fn localized_event(name: &str) -> &'static str {
    if name == "BeginRequest" {
        "Begin request"
    } else {
        "End request"
    }
}

fn localized_action(action: &str) -> &'static str {
    if action.ends_with("/backup/action") {
        "Backup API Management Service"
    } else {
        "Restore API Management Service"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(status: &'static str, failure: Option<(String, String)>) -> ActivityEvent {
        ActivityEvent {
            event_data_id: "e1".into(),
            operation_id: "o1".into(),
            correlation_id: "c1".into(),
            caller: "someone".into(),
            subscription: "s".into(),
            resource_group: "rg".into(),
            resource_id:
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/a"
                    .into(),
            action: ActivityEvent::action_of("restore"),
            event_name: "EndRequest",
            status,
            failure,
            at: OffsetDateTime::UNIX_EPOCH,
            tenant_id: "t".into(),
        }
    }

    #[test]
    fn a_failure_carries_the_operations_error_as_a_json_string() {
        let v = event(
            "Failed",
            Some((
                "RestoreFailed".into(),
                "Cannot restore: backup expired".into(),
            )),
        )
        .to_json();
        assert_eq!(v["status"]["value"], "Failed");
        assert_eq!(v["level"], "Error");
        let inner: Value =
            serde_json::from_str(v["properties"]["statusMessage"].as_str().unwrap()).unwrap();
        assert_eq!(inner["error"]["code"], "RestoreFailed");
        assert_eq!(
            v["operationName"]["value"],
            "Microsoft.ApiManagement/service/restore/action"
        );
    }

    #[test]
    fn an_accepted_record_says_202() {
        let v = event("Accepted", None).to_json();
        assert_eq!(v["subStatus"]["value"], "Accepted");
        assert_eq!(v["properties"]["statusCode"], "Accepted");
        assert_eq!(v["correlationId"], "c1");
    }
}
