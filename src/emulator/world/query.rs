//! Lookups in a [`World`]: services, accounts and subscriptions by name (case-insensitive, as
//! ARM matches them), resource groups (derived from the resources in them) and regions (short
//! and display names). Pure.

use std::net::Ipv4Addr;

use super::{Account, Region, Service, World, WorldSubscription};

/// True when a resource in `(subscription, group)` is in the scope a list names.
pub(crate) fn in_scope(sub: &str, rg: Option<&str>, subscription: &str, group: &str) -> bool {
    subscription.eq_ignore_ascii_case(sub) && rg.is_none_or(|rg| group.eq_ignore_ascii_case(rg))
}

impl World {
    /// The service with this name (case-insensitive), if any.
    pub(crate) fn service_index(&self, sub: &str, rg: &str, name: &str) -> Option<usize> {
        self.services.iter().position(|s| {
            s.subscription.eq_ignore_ascii_case(sub)
                && s.resource_group.eq_ignore_ascii_case(rg)
                && s.name.eq_ignore_ascii_case(name)
        })
    }

    /// The services of a subscription, or of one of its resource groups, in world order.
    pub(crate) fn services_in<'w, 'q>(
        &'w self,
        sub: &'q str,
        rg: Option<&'q str>,
    ) -> impl Iterator<Item = &'w Service> {
        self.services
            .iter()
            .filter(move |s| in_scope(sub, rg, &s.subscription, &s.resource_group))
    }

    /// The storage accounts of a subscription, or of one of its resource groups, in world
    /// order.
    pub(crate) fn accounts_in<'w, 'q>(
        &'w self,
        sub: &'q str,
        rg: Option<&'q str>,
    ) -> impl Iterator<Item = &'w Account> {
        self.accounts
            .iter()
            .filter(move |a| in_scope(sub, rg, &a.subscription, &a.resource_group))
    }

    /// The storage account with this name (case-insensitive), if any.
    pub(crate) fn account(&self, name: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The storage account with this name, mutable.
    pub(crate) fn account_mut(&mut self, name: &str) -> Option<&mut Account> {
        self.accounts
            .iter_mut()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The subscription with this id (case-insensitive).
    pub(crate) fn subscription(&self, id: &str) -> Option<&WorldSubscription> {
        self.subscriptions
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// True when some resource of the subscription lives in this resource group.
    pub(crate) fn has_resource_group(&self, sub: &str, rg: &str) -> bool {
        self.resource_groups(sub)
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(rg))
    }

    /// Resource groups of a subscription (stored casing) with a region for each.
    pub(crate) fn resource_groups(&self, sub: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let services = self
            .services_in(sub, None)
            .map(|s| (&s.resource_group, self.short_region(&s.location)));
        let accounts = self
            .accounts_in(sub, None)
            .map(|a| (&a.resource_group, self.short_region(&a.location)));
        let zones = self
            .dns_zones
            .iter()
            .filter(|z| z.subscription.eq_ignore_ascii_case(sub))
            .map(|z| (&z.resource_group, "global".to_owned()));
        let profiles = self
            .traffic_managers
            .iter()
            .filter(|p| p.subscription.eq_ignore_ascii_case(sub))
            .map(|p| (&p.resource_group, "global".to_owned()));
        for (rg, region) in services.chain(accounts).chain(zones).chain(profiles) {
            if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(rg)) {
                out.push((rg.clone(), region));
            }
        }
        out
    }

    /// The locations the API lists: the declared ones, or those in use when none are declared.
    pub(crate) fn regions(&self) -> Vec<Region> {
        if !self.locations.is_empty() {
            return self.locations.clone();
        }
        let mut out: Vec<Region> = Vec::new();
        let used = self
            .services
            .iter()
            .flat_map(|s| {
                std::iter::once(s.location.clone())
                    .chain(s.additional_locations.iter().map(|(l, _)| l.clone()))
            })
            .chain(self.accounts.iter().map(|a| a.location.clone()));
        for name in used {
            let key = crate::domain::region::region_key(&name);
            if !out.iter().any(|r| r.name == key) {
                out.push(Region {
                    display_name: if name == key { key.clone() } else { name },
                    name: key,
                    pair: None,
                    geography_group: None,
                    place: None,
                    pending_api_versions: Vec::new(),
                    control_plane_ip: None,
                });
            }
        }
        out
    }

    /// The declared region of a display or short name, if the world declares it.
    fn region(&self, name: &str) -> Option<&Region> {
        let key = self.short_region(name);
        self.locations.iter().find(|r| r.name == key)
    }

    /// The display name of a region the world declares (display or short name), if any.
    pub(crate) fn region_display(&self, name: &str) -> Option<String> {
        self.region(name).map(|r| r.display_name.clone())
    }

    /// APIM api-versions not yet deployed in a region (display or short name).
    pub(crate) fn pending_api_versions(&self, region: &str) -> &[String] {
        self.region(region)
            .map_or(&[], |r| r.pending_api_versions.as_slice())
    }

    /// The address APIM's control plane in a region reaches storage from: the declared one,
    /// or a stable public address derived from the region's name.
    pub(crate) fn control_plane_ip(&self, region: &str) -> Ipv4Addr {
        if let Some(ip) = self.region(region).and_then(|r| r.control_plane_ip) {
            return ip;
        }
        let h = self
            .short_region(region)
            .bytes()
            .fold(0x811c_9dc5_u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            })
            .to_be_bytes();
        Ipv4Addr::new(20, h[0], h[1], h[2].max(1))
    }

    /// The short name (`westeurope`) of a display or short region name.
    pub(crate) fn short_region(&self, name: &str) -> String {
        let key = crate::domain::region::region_key(name);
        self.locations
            .iter()
            .find(|r| {
                r.name.eq_ignore_ascii_case(&key) || r.display_name.eq_ignore_ascii_case(name)
            })
            .map_or(key, |r| r.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_world_loads_with_its_ten_services() {
        let w = World::demo().unwrap();
        assert_eq!(w.subscriptions.len(), 3);
        assert_eq!(w.services.len(), 10);
        let weu = &w.services[w
            .service_index(
                "3F2C6A4E-8B1D-4C5E-9A7F-1D2E3F4A5B6C",
                "RG-APIM-PROD-WEU",
                "APIM-CONTOSO-WEU",
            )
            .unwrap()];
        assert_eq!(weu.apis.len(), 14);
        assert_eq!(weu.sku, "Standard");
        assert_eq!(w.account("stcontosodrneu").unwrap().containers.len(), 2);
        assert!(w.has_resource_group("7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f", "rg-apim-dr-neu"));
        assert_eq!(w.short_region("West Europe"), "westeurope");
        assert_eq!(w.regions().len(), 5);
    }
}
