//! Azure regions: APIM reports display names ("West Europe") while storage and the locations
//! API use short names ("westeurope"). [`region_key`] makes them comparable; [`is_pair`]
//! knows Azure's region pairs. Pure.

/// The comparable key of a region name: lowercase with spaces removed, so "West Europe" and
/// "westeurope" are the same region.
pub fn region_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when two region names (display or short form) name the same region.
pub fn same_region(a: &str, b: &str) -> bool {
    region_key(a) == region_key(b)
}

/// Azure's region pairs, each as (region, its pair), in short names. From Microsoft Learn,
/// "Azure region pairs and nonpaired regions"
/// (<https://learn.microsoft.com/azure/reliability/cross-region-replication-azure>, the
/// table of paired regions). Pairs are both ways except where the page says one-way (Brazil
/// South → South Central US, West India → South India, Brazil Southeast → Brazil South).
/// Regions not listed are nonpaired.
const PAIRS: &[(&str, &str)] = &[
    ("australiaeast", "australiasoutheast"),
    ("australiasoutheast", "australiaeast"),
    ("australiacentral", "australiacentral2"),
    ("australiacentral2", "australiacentral"),
    ("brazilsouth", "southcentralus"),
    ("brazilsoutheast", "brazilsouth"),
    ("canadacentral", "canadaeast"),
    ("canadaeast", "canadacentral"),
    ("northeurope", "westeurope"),
    ("westeurope", "northeurope"),
    ("francecentral", "francesouth"),
    ("francesouth", "francecentral"),
    ("germanywestcentral", "germanynorth"),
    ("germanynorth", "germanywestcentral"),
    ("centralindia", "southindia"),
    ("southindia", "centralindia"),
    ("westindia", "southindia"),
    ("japaneast", "japanwest"),
    ("japanwest", "japaneast"),
    ("koreacentral", "koreasouth"),
    ("koreasouth", "koreacentral"),
    ("norwayeast", "norwaywest"),
    ("norwaywest", "norwayeast"),
    ("southafricanorth", "southafricawest"),
    ("southafricawest", "southafricanorth"),
    ("swedencentral", "swedensouth"),
    ("swedensouth", "swedencentral"),
    ("switzerlandnorth", "switzerlandwest"),
    ("switzerlandwest", "switzerlandnorth"),
    ("uaenorth", "uaecentral"),
    ("uaecentral", "uaenorth"),
    ("uksouth", "ukwest"),
    ("ukwest", "uksouth"),
    ("eastasia", "southeastasia"),
    ("southeastasia", "eastasia"),
    ("eastus", "westus"),
    ("westus", "eastus"),
    ("eastus2", "centralus"),
    ("centralus", "eastus2"),
    ("northcentralus", "southcentralus"),
    ("southcentralus", "northcentralus"),
    ("westus2", "westcentralus"),
    ("westcentralus", "westus2"),
    ("westus3", "eastus"),
];

/// True when `other` is Azure's pair of `region` (display or short names).
pub fn is_pair(region: &str, other: &str) -> bool {
    let (a, b) = (region_key(region), region_key(other));
    PAIRS.iter().any(|(r, p)| *r == a && *p == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_short_names_match() {
        assert!(same_region("West Europe", "westeurope"));
        assert!(same_region("Central US EUAP", "centraluseuap"));
        assert!(!same_region("West US", "West US 2"));
    }

    #[test]
    fn pairs_read_display_names_and_one_way_pairs_stay_one_way() {
        assert!(is_pair("West Europe", "North Europe"));
        assert!(is_pair("northeurope", "West Europe"));
        assert!(is_pair("Brazil South", "South Central US"));
        assert!(!is_pair("South Central US", "Brazil South"));
        assert!(
            !is_pair("Poland Central", "Germany West Central"),
            "nonpaired"
        );
    }
}
