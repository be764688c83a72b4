//! The content of a backup blob as the emulator writes and reads it: an emulator-private JSON
//! document (`apim-dr-emulator-backup/1`) holding what a real backup holds for our purposes,
//! the source service's tier, units, region, APIs, products and named values.
//!
//! Clients never read it. Restore trusts this content, never the blob's metadata or creation
//! time, to decide the backup's tier and age, as Azure does. Pure.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Api, Item, Service};
use crate::emulator::transport::answer::arm_time;

/// The `format` marker of version 1.
const FORMAT: &str = "apim-dr-emulator-backup/1";

/// A backup of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BackupDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// ARM id of the backed-up service.
    pub service_id: String,
    /// Its tier.
    pub sku: String,
    /// Its units.
    pub capacity: u32,
    /// Its region (display name).
    pub location: String,
    /// When the backup was taken (ARM time format).
    pub taken_at: String,
    /// The APIs it held.
    pub apis: Vec<Api>,
    /// The products it held.
    #[serde(default)]
    pub products: Vec<Item>,
    /// The named values it held (ids and whether secret; never a value).
    #[serde(default)]
    pub named_values: Vec<Item>,
}

impl BackupDocument {
    /// A document for a backup taken at `taken_at`.
    pub fn new(
        service_id: String,
        sku: String,
        capacity: u32,
        location: String,
        taken_at: OffsetDateTime,
        apis: Vec<Api>,
    ) -> Self {
        Self {
            format: FORMAT.to_owned(),
            service_id,
            sku,
            capacity,
            location,
            taken_at: arm_time(taken_at),
            apis,
            products: Vec::new(),
            named_values: Vec::new(),
        }
    }

    /// A backup of `s` as it is, taken at `taken_at`.
    pub fn of(s: &Service, taken_at: OffsetDateTime) -> Self {
        Self {
            products: s.products.clone(),
            named_values: s.named_values.clone(),
            ..Self::new(
                s.id(),
                s.sku.clone(),
                s.capacity,
                s.location.clone(),
                taken_at,
                s.apis.clone(),
            )
        }
    }

    /// The blob content.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// Reads blob content; `None` when it is not a backup of this format.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice::<Self>(bytes)
            .ok()
            .filter(|d| d.format == FORMAT && !d.sku.trim().is_empty() && d.taken().is_some())
    }

    /// When the backup was taken: what its 30 days count from, whatever the blob's own
    /// creation time says (a copied blob is new to Storage, not to APIM).
    pub fn taken(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.taken_at, &Rfc3339).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_anything_else() {
        let d = BackupDocument::new(
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/a".into(),
            "Basic".into(),
            1,
            "East US".into(),
            time::macros::datetime!(2026-01-01 00:00 UTC),
            vec![Api {
                name: "echo".into(),
                display_name: "Echo".into(),
                path: "echo".into(),
            }],
        );
        assert_eq!(BackupDocument::parse(&d.to_bytes()), Some(d.clone()));
        assert_eq!(
            d.taken(),
            Some(time::macros::datetime!(2026-01-01 00:00 UTC))
        );
        assert_eq!(BackupDocument::parse(b"not json"), None);
        let other = serde_json::to_vec(
            &serde_json::json!({"format":"x","service_id":"","sku":"Basic",
            "capacity":1,"location":"","taken_at":"","apis":[]}),
        )
        .unwrap();
        assert_eq!(BackupDocument::parse(&other), None);
    }
}
