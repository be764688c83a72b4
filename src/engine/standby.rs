//! Creating a standby service when the chosen region has none: the same tier and units as a
//! service to copy (`like`), its publisher fields, a system-assigned identity, in the chosen
//! region, under a name that is free. A soft-deleted service holding the name is reported
//! with its purge date; it is purged only when asked (`purge`).
//!
//! Creation is an ARM `PUT` (201, `Activating`, tens of minutes for the classic tiers); the
//! service's provisioning state is its progress. Re-running with the same name follows a
//! service still `Activating` instead of sending the `PUT` again. The creation is an
//! operation of the journal (`create.rs`): its intent is written before the purge or the
//! `PUT`, and an unfinished one is followed again at the next start.

use serde_json::json;

use super::Engine;
use super::error::EngineError;
use crate::domain::names::{ServiceId, ServiceName};
use crate::domain::region::same_region;
use crate::domain::standby::StandbyOutline;
pub use crate::domain::standby::{NameHolder, StandbyAsk};

mod create;

pub use create::PreparedStandby;

/// A checked creation, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct StandbyPlan {
    /// The service to create.
    pub target: ServiceId,
    /// Region display name.
    pub location: String,
    /// Tier and units, copied.
    pub sku: String,
    /// Units.
    pub capacity: u32,
    /// The `PUT` body.
    body: serde_json::Value,
    /// The service copied.
    pub like: ServiceId,
    /// The operator allowed purging a soft-deleted service holding the name.
    pub purge: bool,
    /// The soft-deleted service that holds the name, if one does.
    pub held_by: Option<NameHolder>,
    /// The short region its purge addresses.
    held_key: Option<String>,
    /// The soft-deleted service to purge first: its region key.
    purge_in: Option<String>,
    /// True when the service already exists (a creation still `Activating` is followed).
    exists: bool,
}

impl StandbyPlan {
    /// What it would make, for the operator to confirm.
    pub fn outline(&self) -> StandbyOutline {
        StandbyOutline {
            target: self.target.clone(),
            location: self.location.clone(),
            sku: self.sku.clone(),
            capacity: self.capacity,
            publisher: self.body["properties"]["publisherName"]
                .as_str()
                .map(str::to_owned),
            held_by: self.held_by.clone(),
            purge: self.purge,
            exists: self.exists,
        }
    }

    /// Why it cannot be sent as planned: a soft-deleted service holds the name and purging
    /// it was not allowed (`ways_out`: the face's words for purging or choosing another name).
    pub fn name_refusal(&self, ways_out: &str) -> Option<String> {
        let held = self.held_by.as_ref().filter(|_| self.purge_in.is_none())?;
        Some(format!(
            "the name {} is held by a soft-deleted service ({}, {}; Azure purges it on {}): {ways_out}",
            self.target.name,
            held.service,
            held.location,
            held.purge_date.as_deref().unwrap_or("its scheduled date")
        ))
    }
}

/// The default name of a standby of `like` in `region`: `{like}-{region key}`, cut to APIM's
/// 50 characters.
pub fn default_name(like: &str, region_key: &str) -> String {
    let mut name = format!("{like}-{region_key}");
    name.truncate(50);
    name.trim_end_matches('-').to_owned()
}

fn refused(text: String) -> EngineError {
    EngineError::Refused(text)
}

impl Engine {
    /// Reads `like`, resolves the region and the name, and checks the name is free. Read-only.
    ///
    /// # Errors
    /// [`EngineError::Refused`] for an unknown region or a name in the way (a soft-deleted
    /// service without `purge`: its purge date and both ways out); [`EngineError::Api`] when
    /// ARM cannot be read.
    pub async fn plan_standby(&self, ask: &StandbyAsk) -> Result<StandbyPlan, EngineError> {
        let client = &self.client;
        let source = client
            .get_service_resource(&ask.like)
            .await
            .map_err(EngineError::api("reading the service to copy"))?;
        let sub = &ask.like.subscription;
        let locations = client
            .list_locations(sub)
            .await
            .map_err(EngineError::api("listing the regions"))?;
        let Some(region) = locations.iter().find(|l| {
            same_region(&l.name, &ask.region)
                || l.display_name
                    .as_deref()
                    .is_some_and(|d| same_region(d, &ask.region))
        }) else {
            return Err(refused(format!(
                "'{}' is not a region of subscription {sub}",
                ask.region
            )));
        };
        let location = region
            .display_name
            .clone()
            .unwrap_or_else(|| region.name.clone());
        let name = match &ask.name {
            Some(n) => n.clone(),
            None => ServiceName::parse(&default_name(ask.like.name.as_str(), &region.name))
                .map_err(|e| refused(format!("no default name fits ({e}): give --name")))?,
        };
        let target = ServiceId {
            subscription: sub.clone(),
            resource_group: ask
                .resource_group
                .clone()
                .unwrap_or_else(|| ask.like.resource_group.clone()),
            name: name.clone(),
        };
        let exists = match client.get_service(&target).await {
            // Only a creation still running is followed; a live service that is busy
            // (updating, restoring, scaling) is not a standby being made.
            Ok(s) if s.state_word().eq_ignore_ascii_case("Activating") => true,
            Ok(s) => {
                return Err(refused(format!(
                    "{} already exists ({} ×{}, {}, {}): use it as the standby",
                    target.name,
                    s.sku,
                    s.capacity,
                    s.location,
                    s.state_word()
                )));
            }
            Err(e) if e.is_not_found() => false,
            Err(e) => return Err(EngineError::api("reading the target")(e)),
        };
        let (held_by, held_key) = if exists {
            (None, None)
        } else {
            self.name_in_the_way(&target).await?.unzip()
        };
        let purge_in = held_key.clone().filter(|_| ask.purge);
        let body = json!({
            "location": location,
            "sku": {"name": source.sku.name, "capacity": source.sku.capacity},
            "identity": {"type": "SystemAssigned"},
            "tags": {"dr-standby-of": ask.like.name.as_str()},
            "properties": {
                "publisherEmail": source.properties.publisher_email,
                "publisherName": source.properties.publisher_name,
            },
        });
        Ok(StandbyPlan {
            target,
            location,
            sku: source.sku.name.clone(),
            capacity: source.sku.capacity,
            like: ask.like.clone(),
            purge: ask.purge,
            body,
            held_by,
            held_key,
            purge_in,
            exists,
        })
    }

    /// `Ok(None)` when the name is free; `Ok(Some((holder, its region key)))` when a
    /// soft-deleted service holds it.
    async fn name_in_the_way(
        &self,
        target: &ServiceId,
    ) -> Result<Option<(NameHolder, String)>, EngineError> {
        let client = &self.client;
        let name = target.name.as_str();
        let answer = client
            .check_name_availability(&target.subscription, name)
            .await
            .map_err(EngineError::api("checking the name"))?;
        if answer.name_available {
            return Ok(None);
        }
        let azure = answer.message.unwrap_or_default();
        let deleted = client
            .deleted_services(&target.subscription)
            .await
            .map_err(EngineError::api("listing soft-deleted services"))?;
        let Some(gone) = deleted.iter().find(|d| d.name.eq_ignore_ascii_case(name)) else {
            return Err(refused(format!(
                "the name {name} is not available ({}: {azure}): choose another with --name",
                answer.reason.unwrap_or_default()
            )));
        };
        let holder = NameHolder {
            service: gone
                .properties
                .service_id
                .clone()
                .unwrap_or_else(|| name.to_owned()),
            location: gone.location.clone(),
            purge_date: gone.properties.scheduled_purge_date.clone(),
        };
        Ok(Some((
            holder,
            gone.location_key().unwrap_or_default().to_owned(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_fit_apim_rules() {
        assert_eq!(
            default_name("apim-contoso-weu", "northeurope"),
            "apim-contoso-weu-northeurope"
        );
        let long = default_name(&"a".repeat(45), "westeurope");
        assert_eq!(long.len(), 50);
        assert!(ServiceName::parse(&long).is_ok());
        let cut = default_name(&"b".repeat(49), "x");
        assert!(!cut.ends_with('-'), "{cut}");
    }
}
