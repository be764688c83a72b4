//! An APIM service as the rest of the program sees it: the fields a failover decision needs,
//! flattened from ARM's resource shape. Serialized as the stable `services -o json` object.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

use super::names::ServiceId;
use super::shared::Shared;
use super::sku::SkuName;

mod fields;
mod id;
mod rare;

pub use fields::ServiceFields;
pub use rare::RareFields;

/// One API Management service. The values many services repeat (subscription, resource group,
/// region, states) are [`Shared`] between them; what few services have (other regions, custom
/// host names, tags, identities) is boxed only on those, and the usual id and gateway URL are
/// not kept but rebuilt from the subscription, resource group and name. Made from, read as and
/// written as its [`ServiceFields`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "ServiceFields")]
pub struct ServiceSummary {
    /// The ARM id when it is not the usual one rebuilt from the fields below (see [`Self::id`]).
    other_id: Option<Box<str>>,
    /// Service name. The usual id and gateway URL are rebuilt from it: changing it changes
    /// them.
    pub name: String,
    /// Subscription GUID, taken from the id (the usual id is rebuilt from it).
    pub subscription_id: Shared,
    /// Resource group, taken from the id (the usual id is rebuilt from it).
    pub resource_group: Shared,
    /// Primary region (display name, as APIM reports it).
    pub location: Shared,
    /// Pricing tier.
    pub sku: SkuName,
    /// Units.
    pub capacity: u32,
    /// True when the gateway URL is `https://{name}.azure-api.net`.
    usual_gateway: bool,
    /// `provisioningState` (`Succeeded`, `Updating`, …); empty when ARM sent none.
    pub provisioning_state: Shared,
    /// `targetProvisioningState`; empty when idle.
    pub target_provisioning_state: Shared,
    /// Everything else, boxed when there is any.
    rare: rare::Rare,
}

/// The pieces of the gateway URL a service named `name` has unless told otherwise.
fn usual_gateway(name: &str) -> [&str; 3] {
    ["https://", name, ".azure-api.net"]
}

impl ServiceSummary {
    /// The validated id, when ARM's id follows Azure's rules.
    pub fn service_id(&self) -> Option<ServiceId> {
        ServiceId::parse(&self.id()).ok()
    }

    /// The gateway URL (`https://{name}.azure-api.net` on most services), when it has one.
    pub fn gateway_url(&self) -> Option<Cow<'_, str>> {
        if self.usual_gateway {
            Some(Cow::Owned(usual_gateway(&self.name).concat()))
        } else {
            self.rare.other_gateway.as_deref().map(Cow::Borrowed)
        }
    }

    /// Extra regions (Premium only).
    pub fn additional_locations(&self) -> &[String] {
        &self.rare.additional_locations
    }

    /// Custom host names configured on the service (restore does not change them).
    pub fn custom_hostnames(&self) -> &[String] {
        &self.rare.custom_hostnames
    }

    /// Resource tags (`backup --all --tag K=V` selects by them).
    pub fn tags(&self) -> &BTreeMap<String, String> {
        &self.rare.tags
    }

    /// Its managed identities as ARM names them (`SystemAssigned`, `SystemAssigned,
    /// UserAssigned`), `None` when it has none.
    pub fn identity(&self) -> Option<&str> {
        self.rare.identity.as_deref()
    }

    /// The rarely present values to change (boxed on first change).
    pub fn rare_mut(&mut self) -> &mut RareFields {
        &mut self.rare
    }

    /// The provisioning state as a word: a missing `provisioningState` means `Succeeded`, as
    /// ARM's contract says.
    pub fn state_word(&self) -> &str {
        match self.provisioning_state.trim() {
            "" => "Succeeded",
            s => s,
        }
    }

    /// True when an operation (restore, backup, scaling, …) is running on the service.
    pub fn is_busy(&self) -> bool {
        let state = self.state_word();
        let settled = state.eq_ignore_ascii_case("Succeeded")
            || state.eq_ignore_ascii_case("Failed")
            || state.eq_ignore_ascii_case("Canceled");
        !settled || !self.target_provisioning_state.trim().is_empty()
    }

    /// Every region the service runs in, primary first.
    pub fn all_locations(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.location.as_str())
            .chain(self.additional_locations().iter().map(String::as_str))
    }
}

/// Splits `/subscriptions/{sub}/resourceGroups/{rg}/…` into `(sub, rg)`, case-insensitively.
/// Returns empty strings for parts that are missing, so a server's odd id never stops a listing.
pub fn subscription_and_group(id: &str) -> (String, String) {
    let parts: Vec<&str> = id.split('/').collect();
    let find = |key: &str| {
        parts
            .iter()
            .position(|p| p.eq_ignore_ascii_case(key))
            .and_then(|i| parts.get(i + 1))
            .map(|s| (*s).to_owned())
            .unwrap_or_default()
    };
    (find("subscriptions"), find("resourceGroups"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(state: &str, target: &str) -> ServiceSummary {
        ServiceSummary::from(ServiceFields {
            id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/a"
                .into(),
            name: "a".into(),
            subscription_id: "s".into(),
            resource_group: "rg".into(),
            location: "West US".into(),
            sku: SkuName::new("Standard"),
            capacity: 1,
            provisioning_state: state.into(),
            target_provisioning_state: target.into(),
            gateway_url: None,
            additional_locations: vec!["East US".into()],
            custom_hostnames: vec![],
            tags: BTreeMap::new(),
            identity: None,
        })
    }

    #[test]
    fn busy_follows_provisioning_states() {
        assert!(!svc("Succeeded", "").is_busy());
        assert!(!svc("", "").is_busy());
        assert!(svc("Updating", "").is_busy());
        assert!(svc("Succeeded", "Activating").is_busy());
        assert!(svc("Activating", "Succeeded").is_busy());
    }

    #[test]
    fn ids_split_case_insensitively() {
        assert_eq!(
            subscription_and_group("/SUBSCRIPTIONS/abc/resourcegroups/RG1/providers/x"),
            ("abc".to_owned(), "RG1".to_owned())
        );
        assert_eq!(
            subscription_and_group("nonsense"),
            (String::new(), String::new())
        );
        assert_eq!(
            svc("", "").all_locations().collect::<Vec<_>>(),
            ["West US", "East US"]
        );
    }
}
