//! Azure RBAC facts the storage side of a backup depends on: the built-in role definitions by
//! GUID, which of them let a managed identity write blobs, and which scopes an assignment
//! covers (a role assigned on a subscription or resource group is inherited below it). Pure.

/// Storage Blob Data Contributor: what an APIM identity needs on the backup account.
pub const STORAGE_BLOB_DATA_CONTRIBUTOR: &str = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
/// Storage Blob Data Owner: a superset of Contributor for blob data.
pub const STORAGE_BLOB_DATA_OWNER: &str = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";

/// Built-in roles by name, as the portal and `az role assignment` spell them.
pub const BUILT_IN_ROLES: [(&str, &str); 9] = [
    (
        "Storage Blob Data Contributor",
        STORAGE_BLOB_DATA_CONTRIBUTOR,
    ),
    ("Storage Blob Data Owner", STORAGE_BLOB_DATA_OWNER),
    (
        "Storage Blob Data Reader",
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    ),
    (
        "Storage Account Contributor",
        "17d1049b-9a84-46fb-8f53-869881c3d3ab",
    ),
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
    (
        "API Management Service Contributor",
        "312a565d-c81f-4fd8-895a-4e21e48d571c",
    ),
    (
        "API Management Service Operator Role",
        "e022efe7-f5ba-4159-bbe4-b44f577e9b61",
    ),
];

/// The GUID at the end of a role definition id
/// (`/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/{guid}` or the GUID).
pub fn role_guid(role_definition_id: &str) -> &str {
    role_definition_id
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(role_definition_id)
}

/// True when the role lets its holder write blobs (Owner and Contributor do not: they carry
/// no data actions).
pub fn grants_blob_write(role_definition_id: &str) -> bool {
    let guid = role_guid(role_definition_id);
    [STORAGE_BLOB_DATA_CONTRIBUTOR, STORAGE_BLOB_DATA_OWNER]
        .iter()
        .any(|r| r.eq_ignore_ascii_case(guid))
}

/// True when an assignment at `scope` applies to `resource_id`: the same id or an ancestor,
/// compared case-insensitively by whole path segments.
pub fn scope_covers(scope: &str, resource_id: &str) -> bool {
    let scope = scope.trim_end_matches('/').to_ascii_lowercase();
    let resource = resource_id.trim_end_matches('/').to_ascii_lowercase();
    scope.is_empty()
        || resource == scope
        || resource
            .strip_prefix(&scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str =
        "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1";

    #[test]
    fn only_the_blob_data_roles_write_blobs() {
        assert!(grants_blob_write(
            "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/BA92F5B4-2d11-453d-a403-e96b0029c9fe"
        ));
        assert!(grants_blob_write(STORAGE_BLOB_DATA_OWNER));
        assert!(!grants_blob_write("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        assert!(!grants_blob_write("b24988ac-6180-42a0-ab88-20f7382dd24c"));
    }

    #[test]
    fn scopes_are_inherited_by_whole_segments() {
        assert!(scope_covers("/subscriptions/S1", ACCOUNT));
        assert!(scope_covers(
            "/subscriptions/s1/resourcegroups/RG/",
            ACCOUNT
        ));
        assert!(scope_covers(ACCOUNT, ACCOUNT));
        assert!(!scope_covers(
            "/subscriptions/s1/resourceGroups/rg2",
            ACCOUNT
        ));
        assert!(!scope_covers(
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            ACCOUNT
        ));
        assert!(!scope_covers(
            &format!("{ACCOUNT}/blobServices/default/containers/c"),
            ACCOUNT
        ));
    }
}
