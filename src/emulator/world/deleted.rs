//! Soft-deleted API Management services (`deleted_services` in the world file): deleted
//! within the last 48 hours, listed by `…/deletedservices`, purgeable, and in the way of a new
//! service of the same name (service names are global). Pure.

use serde::Deserialize;
use time::OffsetDateTime;

use super::file::{location, subscription_ref, timestamp};
use super::{World, WorldError};
use crate::domain::names::ServiceName;

/// How long Azure keeps a soft-deleted service before purging it.
pub(crate) const RETENTION: time::Duration = time::Duration::hours(48);

/// One `deleted_services[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDeleted {
    subscription: String,
    resource_group: String,
    name: String,
    location: String,
    #[serde(default)]
    deleted: Option<String>,
}

/// A soft-deleted service.
#[derive(Debug, Clone)]
pub(crate) struct DeletedService {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    /// Region (display name).
    pub location: String,
    pub deleted: OffsetDateTime,
}

impl DeletedService {
    /// The id of the service it was.
    pub fn service_id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ApiManagement/service/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

/// Validates one entry: a known subscription and region, a valid name not used by a live
/// service or another deleted one.
pub(crate) fn deleted(
    world: &World,
    path: &str,
    d: FileDeleted,
    now: OffsetDateTime,
) -> Result<DeletedService, WorldError> {
    let subscription = subscription_ref(world, &format!("{path}.subscription"), &d.subscription)?;
    ServiceName::parse(&d.name)
        .map_err(|e| WorldError::invalid(format!("{path}.name"), e.to_string()))?;
    let taken = world
        .services
        .iter()
        .map(|s| s.name.as_str())
        .chain(world.deleted.iter().map(|s| s.name.as_str()))
        .any(|n| n.eq_ignore_ascii_case(&d.name));
    if taken {
        return Err(WorldError::invalid(
            format!("{path}.name"),
            format!("'{}' is already used (service names are global)", d.name),
        ));
    }
    Ok(DeletedService {
        location: location(world, &format!("{path}.location"), &d.location, true)?,
        deleted: timestamp(
            &format!("{path}.deleted"),
            d.deleted.as_deref(),
            now - time::Duration::hours(2),
        )?,
        subscription,
        resource_group: d.resource_group,
        name: d.name,
    })
}
