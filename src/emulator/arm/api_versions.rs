//! api-versions each emulated resource provider accepts, and the version rules on top: ARM
//! refuses a version not yet deployed in the resource's region (`NoRegisteredProviderFound`,
//! per region in the world file, as rollouts happen), APIM's v2 tiers need 2023-03-01-preview or
//! later, workspaces exist from 2022-09-01-preview, bodies before 2021-04-01-preview have no
//! `accessType`, and replies before 2017-03-01 use the old property names (`runtimeUrl`,
//! `staticIPs`, `vpnType`). Pure.

use axum::http::StatusCode;

use crate::emulator::transport::answer::Answer;
use crate::emulator::world::World;

/// `Microsoft.ApiManagement` api-versions, oldest first.
pub(crate) const APIM: &[&str] = &[
    "2014-02-14",
    "2015-09-15",
    "2016-07-07",
    "2016-10-10",
    "2017-03-01",
    "2018-01-01",
    "2018-06-01-preview",
    "2019-01-01",
    "2019-12-01",
    "2019-12-01-preview",
    "2020-06-01-preview",
    "2020-12-01",
    "2021-01-01-preview",
    "2021-04-01-preview",
    "2021-08-01",
    "2021-12-01-preview",
    "2022-04-01-preview",
    "2022-08-01",
    "2022-09-01-preview",
    "2023-03-01-preview",
    "2023-05-01-preview",
    "2023-09-01-preview",
    "2024-05-01",
    "2024-06-01-preview",
    "2024-10-01-preview",
    "2025-03-01-preview",
    "2025-09-01-preview",
    "2026-03-01-preview",
    "2026-09-01-preview",
];

/// `Microsoft.Insights` api-versions of the Activity Log (`eventtypes/management/values`).
pub(crate) const INSIGHTS_ACTIVITY_LOG: &[&str] = &["2015-04-01"];

/// `Microsoft.Authorization` api-versions (role assignments).
pub(crate) const AUTHORIZATION: &[&str] = &[
    "2015-07-01",
    "2018-01-01-preview",
    "2018-09-01-preview",
    "2020-03-01-preview",
    "2020-04-01-preview",
    "2020-08-01-preview",
    "2020-10-01-preview",
    "2022-01-01-preview",
    "2022-04-01",
];

/// `Microsoft.Resources` api-versions (subscriptions, locations, resource groups).
pub(crate) const RESOURCES: &[&str] = &[
    "2015-01-01",
    "2016-01-01",
    "2016-06-01",
    "2016-09-01",
    "2017-05-10",
    "2018-02-01",
    "2018-05-01",
    "2019-05-01",
    "2019-06-01",
    "2019-10-01",
    "2019-11-01",
    "2020-01-01",
    "2020-06-01",
    "2020-08-01",
    "2020-10-01",
    "2021-01-01",
    "2021-04-01",
    "2022-01-01",
    "2022-09-01",
    "2022-12-01",
    "2023-07-01",
    "2024-03-01",
    "2024-07-01",
    "2024-11-01",
    "2025-01-01",
    "2025-03-01",
    "2025-04-01",
];

/// `Microsoft.Storage` api-versions.
pub(crate) const STORAGE: &[&str] = &[
    "2016-01-01",
    "2016-05-01",
    "2016-12-01",
    "2017-06-01",
    "2017-10-01",
    "2018-02-01",
    "2018-07-01",
    "2018-11-01",
    "2019-04-01",
    "2019-06-01",
    "2021-01-01",
    "2021-02-01",
    "2021-04-01",
    "2021-06-01",
    "2021-08-01",
    "2021-09-01",
    "2022-05-01",
    "2022-09-01",
    "2023-01-01",
    "2023-04-01",
    "2023-05-01",
    "2024-01-01",
    "2025-01-01",
    "2025-06-01",
    // The default of azure-mgmt-storage 25.3 (the SDK check in tests/sdk_fidelity.rs found it).
    "2026-09-01",
];

/// `Microsoft.Network/dnszones` api-versions (public zones and their record sets).
pub(crate) const DNS: &[&str] = &[
    "2015-05-04-preview",
    "2016-04-01",
    "2017-09-01",
    "2017-09-15-preview",
    "2017-10-01",
    "2018-03-01-preview",
    "2018-05-01",
    "2023-07-01-preview",
];

/// `Microsoft.Network/trafficmanagerprofiles` api-versions.
pub(crate) const TRAFFIC_MANAGER: &[&str] = &[
    "2015-11-01",
    "2017-03-01",
    "2017-05-01",
    "2017-09-01-preview",
    "2018-02-01",
    "2018-03-01",
    "2018-04-01",
    "2018-08-01",
    "2022-04-01",
    "2022-04-01-preview",
];

/// The date part of an api-version (`2023-03-01` of `2023-03-01-preview`).
fn date(v: &str) -> &str {
    v.get(..10).unwrap_or(v)
}

/// Refuses an api-version the provider does not know, as ARM does.
pub(crate) fn check_known(list: &[&str], version: &str) -> Result<(), Answer> {
    if list.iter().any(|v| v.eq_ignore_ascii_case(version)) {
        return Ok(());
    }
    let supported: Vec<&str> = list.iter().rev().copied().collect();
    Err(Answer::arm_error(
        StatusCode::BAD_REQUEST,
        "InvalidApiVersionParameter",
        format!(
            "The api-version '{version}' is invalid. The supported versions are '{}'.",
            supported.join(",")
        ),
    ))
}

/// ARM's refusal of an api-version not yet deployed in the region a resource lives in.
pub(crate) fn check_deployed(
    world: &World,
    location: &str,
    resource_type: &str,
    version: &str,
) -> Result<(), Answer> {
    let pending = |region: &str| {
        world
            .pending_api_versions(region)
            .iter()
            .any(|v| v.eq_ignore_ascii_case(version))
    };
    if !pending(location) {
        return Ok(());
    }
    let here = world.pending_api_versions(location);
    let supported: Vec<&str> = APIM
        .iter()
        .filter(|v| !here.iter().any(|p| p.eq_ignore_ascii_case(v)))
        .copied()
        .collect();
    let locations: Vec<String> = world
        .regions()
        .into_iter()
        .map(|r| r.name)
        .filter(|r| !pending(r))
        .collect();
    Err(Answer::arm_error(
        StatusCode::BAD_REQUEST,
        "NoRegisteredProviderFound",
        format!(
            "No registered resource provider found for location '{}' and API version '{version}' for type '{resource_type}'. \
             The supported api-versions are '{}'. The supported locations are '{}'.",
            world.short_region(location),
            supported.join(", "),
            locations.join(", ")
        ),
    ))
}

/// APIM's tier gate: the v2 tiers answer only 2023-03-01-preview and later.
pub(crate) fn check_tier(sku: &str, version: &str) -> Result<(), Answer> {
    if !(sku.to_ascii_lowercase().ends_with("v2") && date(version) < "2023-03-01") {
        return Ok(());
    }
    let allowed: Vec<&str> = APIM
        .iter()
        .filter(|v| date(v) >= "2023-03-01")
        .copied()
        .collect();
    Err(Answer::arm_error(
        StatusCode::BAD_REQUEST,
        "OperationSupportedInSkuForApiVersions",
        format!(
            "Operation on {sku} SKU is only supported in the api-versions {}",
            allowed.join(",")
        ),
    ))
}

/// APIM's refusal of a child resource at a version that does not have it: workspaces exist
/// from 2022-09-01-preview.
pub(crate) fn check_workspaces(version: &str) -> Result<(), Answer> {
    if date(version) >= "2022-09-01" {
        return Ok(());
    }
    let supported: Vec<&str> = APIM
        .iter()
        .filter(|v| date(v) >= "2022-09-01")
        .copied()
        .collect();
    Err(Answer::arm_error(
        StatusCode::BAD_REQUEST,
        "MissingOrIncorrectVersionParameter",
        format!(
            "API version query parameter is not specified or was specified incorrectly.  Supported versions: {}  \
             Example query param format: api-version=SupportedVersion",
            supported.join(",")
        ),
    ))
}

/// True when backup/restore bodies of this version carry `accessType` (2021-04-01-preview on).
pub(crate) fn has_access_type(version: &str) -> bool {
    date(version) >= "2021-04-01"
}

/// True when service bodies of this version use the 2016 property names.
pub(crate) fn legacy_names(version: &str) -> bool {
    date(version) < "2017-03-01"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(), Answer>) -> String {
        r.err()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .unwrap_or_default()
    }

    #[test]
    fn unknown_versions_are_refused_with_the_list() {
        assert!(check_known(APIM, "2024-05-01").is_ok());
        let body = code(check_known(APIM, "2099-01-01"));
        assert!(body.contains("InvalidApiVersionParameter") && body.contains("2024-05-01"));
    }

    #[test]
    fn v2_tiers_and_workspaces_need_newer_versions() {
        let body = code(check_tier("StandardV2", "2022-08-01"));
        assert!(body.contains(
            "Operation on StandardV2 SKU is only supported in the api-versions 2023-03-01-preview,2023-05-01-preview,"
        ), "{body}");
        assert!(check_tier("StandardV2", "2024-05-01").is_ok());
        assert!(check_tier("Consumption", "2016-10-10").is_ok());
        let body = code(check_workspaces("2022-08-01"));
        assert!(
            body.contains("MissingOrIncorrectVersionParameter")
                && body.contains("Supported versions: 2022-09-01-preview,2023-03-01-preview,"),
            "{body}"
        );
        assert!(check_workspaces("2022-09-01-preview").is_ok());
        assert!(APIM.contains(&"2026-03-01-preview"));
        assert!(has_access_type("2021-04-01-preview") && !has_access_type("2020-12-01"));
        assert!(legacy_names("2016-10-10") && !legacy_names("2017-03-01"));
    }
}
