//! [`KeptCatalog`]: a blob's catalog as a [`super::BackupEntry`] keeps it, boxed, and nothing
//! at all when the blob carries none, so a listing of many blobs pays for a catalog only where
//! there is one. It reads, writes and serializes as the [`BackupCatalog`] itself. Pure.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::catalog::{BackupCatalog, ContentCounts};

/// What an empty catalog reads as.
static EMPTY: BackupCatalog = BackupCatalog {
    source_service: None,
    source_name: None,
    source_sku: None,
    source_capacity: None,
    source_location: None,
    api_version: None,
    tool_version: None,
    started: None,
    ended: None,
    counts: ContentCounts {
        apis: None,
        products: None,
        named_values: None,
    },
};

/// A [`BackupCatalog`] held in a box only when it says something; dereferences to it.
#[derive(Clone, Default)]
pub struct KeptCatalog(Option<Box<BackupCatalog>>);

impl From<BackupCatalog> for KeptCatalog {
    fn from(catalog: BackupCatalog) -> Self {
        Self((!catalog.is_empty()).then(|| Box::new(catalog)))
    }
}

impl Deref for KeptCatalog {
    type Target = BackupCatalog;

    fn deref(&self) -> &BackupCatalog {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for KeptCatalog {
    fn deref_mut(&mut self) -> &mut BackupCatalog {
        self.0.get_or_insert_default()
    }
}

impl PartialEq for KeptCatalog {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for KeptCatalog {}

impl fmt::Debug for KeptCatalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for KeptCatalog {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for KeptCatalog {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BackupCatalog::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_catalog_takes_no_box_and_reads_as_the_catalog() {
        let empty = KeptCatalog::from(BackupCatalog::default());
        assert!(empty.0.is_none());
        assert_eq!(*empty, BackupCatalog::default());
        assert_eq!(empty, KeptCatalog::default());
        let full = BackupCatalog {
            source_name: Some("apim-a".into()),
            ..BackupCatalog::default()
        };
        let mut kept = KeptCatalog::from(full.clone());
        assert_eq!(*kept, full);
        assert_eq!(format!("{kept:?}"), format!("{full:?}"));
        let mut written = KeptCatalog::from(BackupCatalog::default());
        written.source_name = Some("apim-a".into());
        assert_eq!(written, kept);
        kept.source_name = None;
        assert!(kept.is_empty());
    }

    #[test]
    fn it_serializes_as_the_catalog() {
        let full = BackupCatalog {
            source_capacity: Some(2),
            ..BackupCatalog::default()
        };
        for catalog in [BackupCatalog::default(), full] {
            let json = serde_json::to_string(&catalog).unwrap();
            let kept = KeptCatalog::from(catalog);
            assert_eq!(serde_json::to_string(&kept).unwrap(), json);
            assert_eq!(serde_json::from_str::<KeptCatalog>(&json).unwrap(), kept);
        }
    }
}
