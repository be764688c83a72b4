//! Deleting backups (`apim-dr prune`, the TUI's prune dialog): Blob DELETE of each blob, one
//! storage key for an account's blobs. Which backups go is `domain/backup/prune.rs`; this only
//! deletes what it is given, and nothing in read-only mode.

use crate::azure::ApiError;
use crate::domain::error::UserError;
use crate::domain::inventory::StorageAccountSummary;

use super::Engine;
use super::inventory::blob_account;

/// A blob of an account to delete: its container and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobToDelete {
    /// Container name.
    pub container: String,
    /// Blob name.
    pub name: String,
}

impl Engine {
    /// Deletes `blobs` of `account` one after another (its snapshots with it); one result per
    /// blob, in order. Read-only mode deletes nothing and answers each with why.
    pub async fn delete_backups(
        &self,
        account: &StorageAccountSummary,
        blobs: &[BlobToDelete],
    ) -> Vec<Result<(), UserError>> {
        let what =
            |b: &BlobToDelete| format!("deleting {}/{}/{}", account.name, b.container, b.name);
        let failed = |e: &ApiError| {
            blobs
                .iter()
                .map(|b| Err(e.to_user_error(&what(b))))
                .collect()
        };
        if self.read_only() {
            let refused = UserError::new("read-only mode: backups are not deleted")
                .with_hint("start apim-dr without --read-only to delete anything");
            return blobs.iter().map(|_| Err(refused.clone())).collect();
        }
        let blob = match blob_account(self.client(), account).await {
            Ok(b) => b,
            Err(e) => return failed(&e),
        };
        let mut out = Vec::with_capacity(blobs.len());
        for b in blobs {
            out.push(
                self.client()
                    .delete_blob(&blob, &b.container, &b.name)
                    .await
                    .map_err(|e| e.to_user_error(&what(b))),
            );
        }
        out
    }
}
