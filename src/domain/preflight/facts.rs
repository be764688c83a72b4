//! What pre-flight knows before it judges: the service (the restore's target or the backup's
//! source), the storage account as ARM serves it, and the blob as the data plane shows it.
//! Every fact that might not be readable is a [`Seen`]: read, or the reason it was not.

use time::OffsetDateTime;

use crate::domain::backup::BackupEntry;
use crate::domain::operation::{AccessType, PostKind};
use crate::domain::service::ServiceSummary;
use crate::domain::sku::SkuName;

/// A fact that was read, or why it could not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen<T> {
    /// Read.
    Read(T),
    /// Not read; the reason, in words the operator can act on.
    Unreadable(String),
}

impl<T> Seen<T> {
    /// The value, when read.
    pub fn read(&self) -> Option<&T> {
        match self {
            Self::Read(v) => Some(v),
            Self::Unreadable(_) => None,
        }
    }
}

/// The managed identities attached to a service (its `identity` block).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceIdentity {
    /// The system-assigned identity's principal id, when enabled.
    pub system_principal: Option<String>,
    /// User-assigned identities: `(client id, principal id)`.
    pub user_assigned: Vec<(String, String)>,
}

/// Which APIM api-version ARM accepted for the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersionFacts {
    /// The version apim-dr asks for first.
    pub asked: String,
    /// The version that was answered.
    pub used: String,
    /// ARM's refusal of `asked` (`code: message`), when it fell back.
    pub refusal: Option<String>,
}

/// Workspaces of a service and the ones a workspace gateway serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFacts {
    /// Workspace names (empty when the tier has none).
    pub names: Vec<String>,
    /// Names of the workspaces linked to a workspace gateway.
    pub gateway_linked: Seen<Vec<String>>,
}

/// The service as ARM serves it, with what pre-flight reads beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFacts {
    /// The service.
    pub summary: ServiceSummary,
    /// Its managed identities.
    pub identity: ServiceIdentity,
    /// The api-version it answered.
    pub api_version: ApiVersionFacts,
    /// Its workspaces.
    pub workspaces: Seen<WorkspaceFacts>,
}

/// A storage account's `networkAcls` and `publicNetworkAccess`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkFacts {
    /// `defaultAction: Deny`.
    pub default_deny: bool,
    /// `bypass`, split (`AzureServices`, `Logging`, `Metrics`).
    pub bypass: Vec<String>,
    /// `ipRules[].value`.
    pub ip_rules: Vec<String>,
    /// `resourceAccessRules[].resourceId`.
    pub resource_rules: Vec<String>,
    /// `Enabled`, `Disabled`, `SecuredByPerimeter`; empty when ARM sent none (`Enabled`).
    pub public_network_access: String,
}

/// One CORS rule of the Blob service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsRule {
    /// `allowedMethods`, as Storage returns them.
    pub allowed_methods: Vec<String>,
}

/// One role assignment as ARM lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignmentFact {
    /// The principal it is assigned to.
    pub principal_id: String,
    /// `roleDefinitionId` (a full id or a GUID).
    pub role_definition_id: String,
    /// The scope it is assigned at.
    pub scope: String,
}

/// A storage account as ARM serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFacts {
    /// ARM id.
    pub id: String,
    /// Region.
    pub location: String,
    /// Firewall.
    pub network: NetworkFacts,
    /// `allowSharedKeyAccess: false`.
    pub shared_key_disabled: bool,
    /// The Blob service's CORS rules (`blobServices/default`).
    pub cors: Seen<Vec<CorsRule>>,
    /// Role assignments of the identity the operation would use, at, above or below the
    /// account (only read for identity access).
    pub roles: Seen<Vec<RoleAssignmentFact>>,
}

/// Where the backup is (or goes) and what storage says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageFacts {
    /// Account name as given.
    pub account_name: String,
    /// Container name as given (its validity is a check).
    pub container: String,
    /// Blob name.
    pub blob: String,
    /// The account through ARM; unreadable when no subscription shows it.
    pub account: Seen<AccountFacts>,
    /// Whether the container exists, through ARM.
    pub container_exists: Seen<bool>,
    /// The blob through the data plane: `None` when it does not exist. Unreadable when this
    /// machine cannot reach the data plane (a firewall that admits APIM but not the operator).
    pub blob_state: Seen<Option<BackupEntry>>,
}

/// Everything the verdict is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightFacts {
    /// Backup or restore.
    pub kind: PostKind,
    /// The service (restore: the target; backup: the source); unreadable when it does not
    /// exist.
    pub service: Seen<ServiceFacts>,
    /// True when this tool already runs an operation on the service.
    pub local_operation: bool,
    /// How APIM would reach storage.
    pub access: AccessType,
    /// The storage side.
    pub storage: StorageFacts,
    /// Restore: the backup's tier as the operator confirmed it (`--confirm-tier`).
    pub confirmed_tier: Option<SkuName>,
    /// Backup: the operator allows overwriting an existing blob (`--overwrite`).
    pub overwrite: bool,
    /// The instant to judge the backup's age against.
    pub now: OffsetDateTime,
}
