//! api-versions each emulated resource provider accepts, and the version rules APIM applies on
//! top: v2 tiers need 2023-03-01-preview or later, a service may cap the versions it accepts
//! (`max_api_version`), bodies before 2021-04-01-preview have no `accessType`, and replies before
//! 2017-03-01 use the old property names (`runtimeUrl`, `staticIPs`, `vpnType`). Pure.

use axum::http::StatusCode;

use crate::emulator::transport::answer::Answer;

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
    "2026-09-01-preview",
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

/// APIM's per-service rules: v2 tiers need newer versions; a capped service refuses newer ones.
pub(crate) fn check_service(
    sku: &str,
    max_api_version: Option<&str>,
    version: &str,
) -> Result<(), Answer> {
    let v2 = sku.to_ascii_lowercase().ends_with("v2");
    if v2 && date(version) < "2023-03-01" {
        let allowed: Vec<&str> = APIM
            .iter()
            .filter(|v| date(v) >= "2023-03-01")
            .copied()
            .collect();
        return Err(Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "OperationSupportedInSkuForApiVersions",
            format!(
                "The operation is supported in SKU '{sku}' only for api versions '{}'.",
                allowed.join(", ")
            ),
        ));
    }
    if let Some(max) = max_api_version
        && date(version) > date(max)
    {
        let accepted: Vec<&str> = APIM
            .iter()
            .filter(|v| date(v) <= date(max))
            .copied()
            .collect();
        return Err(Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "MissingOrIncorrectVersionParameter",
            format!(
                "Version '{version}' is not supported for this API Management service. Supported versions: {}.",
                accepted.join(", ")
            ),
        ));
    }
    Ok(())
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
    fn v2_and_capped_services() {
        assert!(
            code(check_service("StandardV2", None, "2022-08-01"))
                .contains("OperationSupportedInSkuForApiVersions")
        );
        assert!(check_service("StandardV2", None, "2024-05-01").is_ok());
        let body = code(check_service(
            "Consumption",
            Some("2022-08-01"),
            "2024-05-01",
        ));
        assert!(body.contains("MissingOrIncorrectVersionParameter") && body.contains("2022-08-01"));
        assert!(check_service("Consumption", Some("2022-08-01"), "2022-08-01").is_ok());
        assert!(has_access_type("2021-04-01-preview") && !has_access_type("2020-12-01"));
        assert!(legacy_names("2016-10-10") && !legacy_names("2017-03-01"));
    }
}
