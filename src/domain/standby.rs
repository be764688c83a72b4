//! A standby to create, as every face sees it: what is asked, and what its plan says (the
//! new service, a soft-deleted service holding the name). The engine checks and sends it
//! (`engine/standby.rs`). Pure.

use super::names::{ResourceGroupName, ServiceId, ServiceName};
use super::service::{ServiceFields, ServiceSummary};
use super::sku::SkuName;

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandbyAsk {
    /// The service whose tier, units and publisher fields are copied.
    pub like: ServiceId,
    /// The region (short or display name).
    pub region: String,
    /// The name; default `{like}-{region}`.
    pub name: Option<ServiceName>,
    /// The resource group; default the one of `like`.
    pub resource_group: Option<ResourceGroupName>,
    /// Purge a soft-deleted service that holds the name.
    pub purge: bool,
}

/// A soft-deleted service holding the name a standby would take (service names are global;
/// Azure keeps a deleted one's name until it purges it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHolder {
    /// The id of the service it was (else its name).
    pub service: String,
    /// Its region.
    pub location: String,
    /// When Azure purges it, as Azure says it.
    pub purge_date: Option<String>,
}

/// What a checked creation would make, for the operator to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandbyOutline {
    /// The service to create.
    pub target: ServiceId,
    /// Region display name.
    pub location: String,
    /// Tier, copied.
    pub sku: String,
    /// Units, copied.
    pub capacity: u32,
    /// The publisher name, copied.
    pub publisher: Option<String>,
    /// The soft-deleted service holding the name, if one does.
    pub held_by: Option<NameHolder>,
    /// True when the ask allows purging it.
    pub purge: bool,
    /// True when the service exists already, being created: it is followed, not sent again.
    pub exists: bool,
}

/// A service to be created, in words: "new Premium ×1 in North Europe".
pub fn new_service_words(tier: &str, capacity: u32, location: &str) -> String {
    format!("new {tier} ×{capacity} in {location}")
}

impl StandbyOutline {
    /// What it makes, in words.
    pub fn words(&self) -> String {
        new_service_words(&self.sku, self.capacity, &self.location)
    }

    /// The service it makes as the wizard shows a target, once created: `Succeeded`, its
    /// tier, units and region.
    pub fn created(&self) -> ServiceSummary {
        ServiceSummary::from(ServiceFields {
            id: self.target.to_string(),
            name: self.target.name.to_string(),
            subscription_id: self.target.subscription.as_str().into(),
            resource_group: self.target.resource_group.as_str().into(),
            location: self.location.as_str().into(),
            sku: SkuName::new(self.sku.clone()),
            capacity: self.capacity,
            provisioning_state: "Succeeded".into(),
            target_provisioning_state: "".into(),
            gateway_url: None,
            additional_locations: Vec::new(),
            custom_hostnames: Vec::new(),
            tags: std::collections::BTreeMap::new(),
            identity: Some("SystemAssigned".into()),
        })
    }
}
