//! Validated Azure names: subscription ids, resource groups, APIM services, storage accounts,
//! containers and blobs, plus the two composite references the CLI takes (`SERVICE_ID`, a full
//! ARM resource id, and `ACCOUNT/CONTAINER/BLOB`).
//!
//! Each rule is Azure's own (ARM naming rules, APIM's `serviceName` pattern, Blob storage's
//! container and blob rules). An invalid value gets one [`NameError`] that names the field and the
//! rule. Pure: no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An input that breaks an Azure naming rule. `Display` names the field, the value and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field} '{value}': {rule}")]
pub struct NameError {
    /// The field, as the user knows it ("storage account name", "service id").
    pub field: &'static str,
    /// The rejected value (never a secret: names and ids only).
    pub value: String,
    /// The rule that was broken, in Azure's terms.
    pub rule: &'static str,
}

impl NameError {
    /// A broken rule: the field, the value (capped) and the rule.
    pub(crate) fn new(field: &'static str, value: &str, rule: &'static str) -> Self {
        // Cap what we echo back (a pasted megabyte is not a name), keeping both ends.
        let value = super::error::elide_middle(value, 300);
        Self { field, value, rule }
    }
}

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The name as Azure spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = NameError;
            fn from_str(s: &str) -> Result<Self, NameError> {
                Self::parse(s)
            }
        }
    };
}

name_type!(
    /// An Azure subscription id: a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
    SubscriptionId
);
name_type!(
    /// A resource group name: 1–90 letters, digits, `_ - . ( )`, not ending in `.`.
    ResourceGroupName
);
name_type!(
    /// An APIM service name: 1–50 characters, a letter first, then letters, digits and hyphens,
    /// not ending in a hyphen.
    ServiceName
);
name_type!(
    /// A storage account name: 3–24 lowercase letters and digits.
    StorageAccountName
);
name_type!(
    /// A blob container name: 3–63 lowercase letters, digits and single hyphens, starting and
    /// ending with a letter or digit.
    ContainerName
);
name_type!(
    /// A blob name: 1–1024 characters, at most 254 path segments, no segment ending in `.`
    /// (so no `.` or `..` segment), not ending in `/`, no control characters.
    BlobName
);
name_type!(
    /// The client id of a user-assigned managed identity: a GUID.
    ClientId
);

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `s` when it is a GUID, else the error for `field` with `rule`.
fn guid(s: &str, field: &'static str, rule: &'static str) -> Result<String, NameError> {
    if is_guid(s) {
        Ok(s.to_owned())
    } else {
        Err(NameError::new(field, s, rule))
    }
}

impl SubscriptionId {
    /// Validates a subscription id.
    ///
    /// # Errors
    /// [`NameError`] when `s` is not a GUID.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        guid(
            s,
            "subscription id",
            "must be a GUID such as 00000000-0000-0000-0000-000000000000",
        )
        .map(Self)
    }
}

impl ResourceGroupName {
    /// Validates a resource group name.
    ///
    /// # Errors
    /// [`NameError`] naming the broken rule.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        const FIELD: &str = "resource group name";
        if s.is_empty() || s.chars().count() > 90 {
            return Err(NameError::new(FIELD, s, "must be 1-90 characters long"));
        }
        if !s
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.()".contains(c))
        {
            return Err(NameError::new(
                FIELD,
                s,
                "may contain only letters, digits, '_', '-', '.', '(' and ')'",
            ));
        }
        if s.ends_with('.') {
            return Err(NameError::new(FIELD, s, "must not end with '.'"));
        }
        Ok(Self(s.to_owned()))
    }
}

impl ServiceName {
    /// Validates an APIM service name against `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`, 1–50.
    ///
    /// # Errors
    /// [`NameError`] naming the broken rule.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        const FIELD: &str = "API Management service name";
        if s.is_empty() || s.len() > 50 {
            return Err(NameError::new(FIELD, s, "must be 1-50 characters long"));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(NameError::new(
                FIELD,
                s,
                "may contain only ASCII letters, digits and '-'",
            ));
        }
        if !s.as_bytes()[0].is_ascii_alphabetic() {
            return Err(NameError::new(FIELD, s, "must start with a letter"));
        }
        if s.ends_with('-') {
            return Err(NameError::new(FIELD, s, "must not end with '-'"));
        }
        Ok(Self(s.to_owned()))
    }
}

impl StorageAccountName {
    /// Validates a storage account name.
    ///
    /// # Errors
    /// [`NameError`] naming the broken rule.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        const FIELD: &str = "storage account name";
        if !(3..=24).contains(&s.len()) {
            return Err(NameError::new(FIELD, s, "must be 3-24 characters long"));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(NameError::new(
                FIELD,
                s,
                "may contain only lowercase letters and digits",
            ));
        }
        Ok(Self(s.to_owned()))
    }
}

impl ContainerName {
    /// Validates a blob container name.
    ///
    /// # Errors
    /// [`NameError`] naming the broken rule.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        const FIELD: &str = "container name";
        if !(3..=63).contains(&s.len()) {
            return Err(NameError::new(FIELD, s, "must be 3-63 characters long"));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(NameError::new(
                FIELD,
                s,
                "may contain only lowercase letters, digits and '-'",
            ));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err(NameError::new(
                FIELD,
                s,
                "must start and end with a letter or digit",
            ));
        }
        if s.contains("--") {
            return Err(NameError::new(
                FIELD,
                s,
                "must not contain consecutive hyphens",
            ));
        }
        Ok(Self(s.to_owned()))
    }
}

/// Azure's limit on path segments in a blob name (accounts without a hierarchical namespace).
pub const MAX_BLOB_SEGMENTS: usize = 254;

impl BlobName {
    /// Validates a blob name against Azure's rules ("Naming and Referencing Containers, Blobs,
    /// and Metadata"): 1–1,024 characters; no more than 254 path segments (the strings between
    /// `/`); no path segment ending with a dot, which also rules out `.` and `..` segments; not
    /// ending with `/`; no control characters.
    ///
    /// The dot rules are also why a name must be refused here: URLs drop `.` and `..` segments
    /// (and Azure's front end is reported to drop trailing dots), so the blob a request reaches
    /// would not be the blob named in a backup or restore body.
    ///
    /// # Errors
    /// [`NameError`] naming the broken rule.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        const FIELD: &str = "blob name";
        if s.is_empty() || s.chars().count() > 1024 {
            return Err(NameError::new(FIELD, s, "must be 1-1024 characters long"));
        }
        if s.chars().any(char::is_control) {
            return Err(NameError::new(
                FIELD,
                s,
                "must not contain control characters",
            ));
        }
        if s.ends_with('/') {
            return Err(NameError::new(
                FIELD,
                s,
                "must not end with a forward slash (/)",
            ));
        }
        if s.split('/').any(|seg| seg == "." || seg == "..") {
            return Err(NameError::new(
                FIELD,
                s,
                "must not contain a '.' or '..' path segment: URLs remove them, so the blob reached would not be the blob named",
            ));
        }
        if s.split('/').any(|seg| seg.ends_with('.')) {
            return Err(NameError::new(
                FIELD,
                s,
                "no path segment may end with a dot (.)",
            ));
        }
        if s.split('/').count() > MAX_BLOB_SEGMENTS {
            return Err(NameError::new(
                FIELD,
                s,
                "the number of path segments (strings between '/') cannot exceed 254",
            ));
        }
        Ok(Self(s.to_owned()))
    }
}

impl ClientId {
    /// Validates the client id of a user-assigned managed identity.
    ///
    /// # Errors
    /// [`NameError`] when `s` is not a GUID.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        guid(
            s,
            "client id",
            "must be the identity's client id, a GUID such as 00000000-0000-0000-0000-000000000000",
        )
        .map(Self)
    }
}

/// The ARM id of an APIM service:
/// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceId {
    /// The subscription that holds the service.
    pub subscription: SubscriptionId,
    /// The resource group that holds the service.
    pub resource_group: ResourceGroupName,
    /// The service's name.
    pub name: ServiceName,
}

impl ServiceId {
    /// Parses a full ARM resource id. Segment names (`subscriptions`, `resourceGroups`,
    /// `providers`, `Microsoft.ApiManagement`, `service`) match case-insensitively, as ARM does.
    ///
    /// # Errors
    /// [`NameError`] for the malformed shape or the first invalid part.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        const FIELD: &str = "service id";
        const SHAPE: &str = "must look like /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.ApiManagement/service/{name}";
        let parts: Vec<&str> = s.trim_end_matches('/').split('/').collect();
        let fixed = [
            (0, ""),
            (1, "subscriptions"),
            (3, "resourcegroups"),
            (5, "providers"),
            (6, "microsoft.apimanagement"),
            (7, "service"),
        ];
        if parts.len() != 9
            || fixed
                .iter()
                .any(|&(i, want)| !parts[i].eq_ignore_ascii_case(want))
        {
            return Err(NameError::new(FIELD, s, SHAPE));
        }
        Ok(Self {
            subscription: SubscriptionId::parse(parts[2])?,
            resource_group: ResourceGroupName::parse(parts[4])?,
            name: ServiceName::parse(parts[8])?,
        })
    }

    /// True when `other` names the same service: ARM ids compare case-insensitively.
    pub fn same_as(&self, other: &Self) -> bool {
        self.path().eq_ignore_ascii_case(&other.path())
    }

    /// The ARM path of the service, without host or query.
    pub fn path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ApiManagement/service/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

impl std::str::FromStr for ServiceId {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, NameError> {
        Self::parse(s)
    }
}

impl Serialize for ServiceId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path())
    }
}

impl<'de> Deserialize<'de> for ServiceId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Where a backup lives: `ACCOUNT/CONTAINER/BLOB` (the blob part may contain `/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BackupRef {
    /// The storage account.
    pub account: StorageAccountName,
    /// The blob container.
    pub container: ContainerName,
    /// The blob.
    pub blob: BlobName,
}

impl BackupRef {
    /// Parses `ACCOUNT/CONTAINER/BLOB`.
    ///
    /// # Errors
    /// [`NameError`] for the malformed shape or the first invalid part.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        let mut it = s.splitn(3, '/');
        match (it.next(), it.next(), it.next()) {
            (Some(a), Some(c), Some(b)) if !b.is_empty() => Ok(Self {
                account: StorageAccountName::parse(a)?,
                container: ContainerName::parse(c)?,
                blob: BlobName::parse(b)?,
            }),
            _ => Err(NameError::new(
                "backup",
                s,
                "must look like ACCOUNT/CONTAINER/BLOB",
            )),
        }
    }
}

impl fmt::Display for BackupRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.account, self.container, self.blob)
    }
}

impl std::str::FromStr for BackupRef {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, NameError> {
        Self::parse(s)
    }
}

impl Serialize for BackupRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BackupRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
