//! Wire types of creating a standby: `checkNameAvailability`'s answer and a soft-deleted
//! service (`Microsoft.ApiManagement/deletedservices`).

use serde::{Deserialize, Serialize};

/// `POST …/checkNameAvailability` answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NameAvailabilityWire {
    /// True when a new service may take the name.
    #[serde(default)]
    pub name_available: bool,
    /// `Valid`, `Invalid` or `AlreadyExists`.
    #[serde(default)]
    pub reason: Option<String>,
    /// Azure's words.
    #[serde(default)]
    pub message: Option<String>,
}

/// `properties` of a soft-deleted service.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeletedServiceProperties {
    /// The id of the service it was.
    #[serde(default)]
    pub service_id: Option<String>,
    /// When Azure purges it.
    #[serde(default)]
    pub scheduled_purge_date: Option<String>,
}

/// A soft-deleted service.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedServiceWire {
    /// `/subscriptions/{id}/providers/Microsoft.ApiManagement/locations/{location}/deletedservices/{name}`.
    #[serde(default)]
    pub id: String,
    /// The name.
    #[serde(default)]
    pub name: String,
    /// Region display name.
    #[serde(default)]
    pub location: String,
    /// Properties.
    #[serde(default)]
    pub properties: DeletedServiceProperties,
}

impl DeletedServiceWire {
    /// The short region in its id (`northeurope`), what purging addresses it by.
    pub fn location_key(&self) -> Option<&str> {
        let parts: Vec<&str> = self.id.split('/').collect();
        parts
            .iter()
            .position(|p| p.eq_ignore_ascii_case("locations"))
            .and_then(|i| parts.get(i + 1).copied())
    }
}
