//! Azure regions: APIM reports display names ("West Europe") while storage and the locations
//! API use short names ("westeurope"). [`region_key`] makes them comparable. Pure.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_short_names_match() {
        assert!(same_region("West Europe", "westeurope"));
        assert!(same_region("Central US EUAP", "centraluseuap"));
        assert!(!same_region("West US", "West US 2"));
    }
}
