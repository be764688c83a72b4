//! A storage account's network settings as ARM serves them (`networkAcls`,
//! `publicNetworkAccess`) and who they admit: an address by the IP rules, a resource by the
//! trusted-services bypass or a resource-instance rule. Storage's documented rules: IP rules
//! have no effect on requests from the account's own region, and public network access
//! `Disabled` refuses every public address whatever the rules say. Pure.

use std::net::Ipv4Addr;

/// One `ipRules[]` entry: an IPv4 address or CIDR range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IpRule {
    /// As written (`203.0.113.0/24`), as ARM echoes it.
    pub value: String,
    base: u32,
    prefix: u8,
}

impl IpRule {
    /// Parses `a.b.c.d` or `a.b.c.d/n` (Storage takes IPv4 only).
    pub fn parse(value: &str) -> Option<Self> {
        let (addr, prefix) = match value.trim().split_once('/') {
            Some((a, p)) => (a, p.parse::<u8>().ok().filter(|p| *p <= 32)?),
            None => (value.trim(), 32),
        };
        let ip: Ipv4Addr = addr.parse().ok()?;
        Some(Self {
            value: value.trim().to_owned(),
            base: u32::from(ip) & mask(prefix),
            prefix,
        })
    }

    /// True when the address is inside the rule.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & mask(self.prefix) == self.base
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

/// A `resourceAccessRules[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResourceAccessRule {
    pub resource_id: String,
    pub tenant_id: String,
}

/// `networkAcls` and `publicNetworkAccess` of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StorageNetwork {
    /// `defaultAction: Deny`: only what a rule or the bypass admits gets in.
    pub deny_by_default: bool,
    /// `bypass`, split (`AzureServices`, `Logging`, `Metrics`); empty means `None`.
    pub bypass: Vec<String>,
    pub ip_rules: Vec<IpRule>,
    /// Subnet ids.
    pub virtual_network_rules: Vec<String>,
    pub resource_access_rules: Vec<ResourceAccessRule>,
    /// `Enabled`, `Disabled` or `SecuredByPerimeter`.
    pub public_network_access: String,
}

impl Default for StorageNetwork {
    /// Azure's defaults for a new account: everything allowed, `AzureServices` bypassed.
    fn default() -> Self {
        Self {
            deny_by_default: false,
            bypass: vec!["AzureServices".to_owned()],
            ip_rules: Vec::new(),
            virtual_network_rules: Vec::new(),
            resource_access_rules: Vec::new(),
            public_network_access: "Enabled".to_owned(),
        }
    }
}

impl StorageNetwork {
    /// `bypass` as ARM writes it: `"Logging, Metrics"`, or `"None"`.
    pub fn bypass_text(&self) -> String {
        if self.bypass.is_empty() {
            "None".to_owned()
        } else {
            self.bypass.join(", ")
        }
    }

    /// True when public network access is off (`Disabled`, or `SecuredByPerimeter`, which
    /// admits nothing the perimeter does not, and the emulator has no perimeters).
    pub fn public_access_off(&self) -> bool {
        !self.public_network_access.eq_ignore_ascii_case("Enabled")
    }

    /// True when trusted Azure services (with a role) pass the firewall.
    pub fn bypasses_azure_services(&self) -> bool {
        self.bypass
            .iter()
            .any(|b| b.eq_ignore_ascii_case("AzureServices"))
    }

    /// True when a resource-instance rule names this resource.
    pub fn admits_resource(&self, resource_id: &str) -> bool {
        self.resource_access_rules
            .iter()
            .any(|r| r.resource_id.eq_ignore_ascii_case(resource_id))
    }

    /// Whether a request from a public address outside the account's region gets through.
    pub fn admits_public_ip(&self, ip: Ipv4Addr) -> bool {
        !self.public_access_off()
            && (!self.deny_by_default || self.ip_rules.iter().any(|r| r.contains(ip)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_rules_take_addresses_and_ranges() {
        let r = IpRule::parse("203.0.113.0/24").unwrap();
        assert!(r.contains(Ipv4Addr::new(203, 0, 113, 77)));
        assert!(!r.contains(Ipv4Addr::new(203, 0, 114, 1)));
        let one = IpRule::parse("198.51.100.7").unwrap();
        assert!(one.contains(Ipv4Addr::new(198, 51, 100, 7)));
        assert!(!one.contains(Ipv4Addr::new(198, 51, 100, 8)));
        assert!(
            IpRule::parse("0.0.0.0/0")
                .unwrap()
                .contains(Ipv4Addr::LOCALHOST)
        );
        for bad in ["", "1.2.3", "1.2.3.4/33", "fe80::1", "1.2.3.4/x"] {
            assert!(IpRule::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn deny_admits_only_listed_addresses_and_disabled_admits_none() {
        let mut n = StorageNetwork::default();
        let ip = Ipv4Addr::new(203, 0, 113, 10);
        assert!(n.admits_public_ip(ip));
        n.deny_by_default = true;
        assert!(!n.admits_public_ip(ip));
        n.ip_rules.push(IpRule::parse("203.0.113.0/24").unwrap());
        assert!(n.admits_public_ip(ip));
        n.public_network_access = "Disabled".to_owned();
        assert!(!n.admits_public_ip(ip));
        assert_eq!(n.bypass_text(), "AzureServices");
        n.bypass.clear();
        assert_eq!(n.bypass_text(), "None");
    }
}
