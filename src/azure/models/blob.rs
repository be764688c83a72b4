//! Blob storage XML wire types: `<EnumerationResults>` of List Containers and List Blobs, and
//! the `<Error>` body. Parsed tolerantly: any element order, unknown elements ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `<EnumerationResults>` of List Containers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ContainerList {
    /// `<Containers>`.
    #[serde(default)]
    pub containers: ContainerItems,
    /// Opaque continuation marker; empty when done.
    #[serde(default)]
    pub next_marker: Option<String>,
}

/// `<Containers>`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct ContainerItems {
    /// `<Container>` elements.
    #[serde(rename = "Container", default)]
    pub items: Vec<ContainerItem>,
}

/// `<Container>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ContainerItem {
    /// Container name.
    pub name: String,
}

/// `<EnumerationResults>` of List Blobs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BlobList {
    /// `<Blobs>`.
    #[serde(default)]
    pub blobs: BlobItems,
    /// Opaque continuation marker; empty when done.
    #[serde(default)]
    pub next_marker: Option<String>,
}

/// `<Blobs>`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct BlobItems {
    /// `<Blob>` elements.
    #[serde(rename = "Blob", default)]
    pub items: Vec<BlobItem>,
}

/// `<Blob>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BlobItem {
    /// Blob name.
    pub name: String,
    /// `<Properties>`.
    #[serde(default)]
    pub properties: BlobItemProperties,
    /// `<Metadata>` (only with `include=metadata`).
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
}

/// `<Properties>` of a listed blob.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct BlobItemProperties {
    /// RFC 1123 creation time.
    #[serde(rename = "Creation-Time", default)]
    pub creation_time: Option<String>,
    /// RFC 1123 last-modified time.
    #[serde(rename = "Last-Modified", default)]
    pub last_modified: Option<String>,
    /// Size in bytes.
    #[serde(rename = "Content-Length", default)]
    pub content_length: Option<u64>,
}

/// `<Error>` body of a Blob failure.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BlobError {
    /// Error code.
    #[serde(default)]
    pub code: String,
    /// Message (includes `RequestId:` and `Time:` lines on Azure).
    #[serde(default)]
    pub message: String,
}
