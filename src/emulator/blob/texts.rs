//! Storage's own error texts, shared by the Blob front door and by APIM, which passes them on
//! inside its `InvalidParameters` messages (`Invalid parameter: {text}\r\nParameter name: …`).
//! Spelled as Storage spells them, typos included ("specifed").

/// 403 `AuthorizationFailure`: a firewall or disabled public access refused the request.
pub(crate) const AUTHORIZATION_FAILURE: &str =
    "This request is not authorized to perform this operation.";
/// 403 `AuthorizationPermissionMismatch`: a token without a data role.
pub(crate) const PERMISSION_MISMATCH: &str =
    "This request is not authorized to perform this operation using this permission.";
/// 403 `KeyBasedAuthenticationNotPermitted`.
pub(crate) const KEY_NOT_PERMITTED: &str =
    "Key based authentication is not permitted on this storage account.";
/// 403 `AuthenticationFailed`: a Shared Key signature that does not verify.
pub(crate) const AUTHENTICATION_FAILED: &str = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";
/// 400 `InvalidResourceName`.
pub(crate) const INVALID_RESOURCE_NAME: &str =
    "The specifed resource name contains invalid characters.";
/// 404 `ResourceNotFound`: no such account.
pub(crate) const RESOURCE_NOT_FOUND: &str = "The specified resource does not exist.";
/// 404 `ContainerNotFound`.
pub(crate) const CONTAINER_NOT_FOUND: &str = "The specified container does not exist.";
/// 404 `BlobNotFound`.
pub(crate) const BLOB_NOT_FOUND: &str = "The specified blob does not exist.";
