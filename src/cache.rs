//! The inventory cache: the last inventory the TUI loaded (subscriptions, services, storage
//! accounts, backups: names and metadata, never a key, token or SAS), one file per ARM origin
//! in the cache dir, so the next start draws its first frame from it (marked stale, with its
//! age) while the refresh runs. Azure and an emulator never share a file. The file is replaced
//! whole (`private_fs::replace`, 0600); a damaged file or one of another format is no cache,
//! said in the log, never an error. Blocking I/O: callers run it on the blocking pool.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

use crate::domain::inventory::Inventory;

/// The format written; a file of another format is ignored.
const FORMAT: u32 = 1;

/// The inventory cache of one ARM origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryCache {
    path: PathBuf,
    origin: String,
}

/// The cache as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    /// When it was written.
    pub saved_at: OffsetDateTime,
    /// What was loaded then.
    pub inventory: Inventory,
}

#[derive(Serialize, Deserialize)]
struct File<I> {
    format: u32,
    origin: String,
    #[serde(with = "time::serde::rfc3339")]
    saved_at: OffsetDateTime,
    inventory: I,
}

impl InventoryCache {
    /// The cache for `arm` (its origin: scheme, host, port) in `dir`.
    pub fn new(dir: &Path, arm: &Url) -> Self {
        let origin = arm.origin().ascii_serialization();
        let slug: String = origin
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        Self {
            path: dir.join(format!("inventory-{slug}.json")),
            origin,
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached inventory, or `None` when there is none, or it cannot be read, is damaged,
    /// of another format or of another origin (each said in the log).
    pub fn read(&self) -> Option<Cached> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "inventory cache not read; starting without it");
                return None;
            }
        };
        match serde_json::from_slice::<File<Inventory>>(&bytes) {
            Ok(f) if f.format == FORMAT && f.origin == self.origin => Some(Cached {
                saved_at: f.saved_at,
                inventory: f.inventory,
            }),
            Ok(f) => {
                tracing::warn!(path = %self.path.display(), format = f.format, origin = %f.origin, "inventory cache of another format or origin ignored");
                None
            }
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "damaged inventory cache ignored");
                None
            }
        }
    }

    /// Replaces the cache with `inventory`, loaded at `saved_at`.
    ///
    /// # Errors
    /// The I/O error of the write.
    pub fn write(&self, inventory: &Inventory, saved_at: OffsetDateTime) -> std::io::Result<()> {
        let file = File {
            format: FORMAT,
            origin: self.origin.clone(),
            saved_at,
            inventory,
        };
        let bytes = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
        crate::private_fs::replace(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests;
