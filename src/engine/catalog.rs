//! After a successful backup: the catalog written on the blob's metadata (the service as it
//! was before the backup, what it held, the api-version and this tool's version, the
//! backup's UTC start and end). A failure to write it is said, never fatal: the backup
//! itself succeeded.

use time::OffsetDateTime;

use super::operation::report;
use super::watch::Watcher;
use crate::domain::backup::{BackupCatalog, ContentCounts};
use crate::domain::progress::ProgressUpdate;
use crate::domain::service::ServiceSummary;
use crate::domain::shared::Shared;

/// The version a catalog records: the package version and the commit it was built from.
pub const TOOL_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("APIM_DR_COMMIT"));

/// The catalog metadata a successful backup gets, from the service as it was and what it
/// held, the api-version, and the backup's start and end.
pub(crate) fn catalog_for(
    source: &ServiceSummary,
    counts: ContentCounts,
    api_version: &str,
    (started, ended): (OffsetDateTime, OffsetDateTime),
) -> BackupCatalog {
    BackupCatalog {
        source_service: Some(Shared::new(&source.id())),
        source_name: Some(Shared::new(&source.name)),
        source_sku: Some(source.sku.clone()),
        source_capacity: Some(source.capacity),
        source_location: Some(source.location.clone()),
        api_version: Some(Shared::new(api_version)),
        tool_version: Some(Shared::new(TOOL_VERSION)),
        started: Some(started),
        ended: Some(ended),
        counts,
    }
}

impl Watcher {
    /// Writes the catalog on the backup blob; says so when it cannot.
    pub(super) async fn write_catalog(&self) {
        let client = &self.engine.client;
        let source = match &self.source {
            Some(s) => Some(s.clone()),
            None => client.get_service(&self.info.service).await.ok(),
        };
        let Some(source) = source else { return };
        let catalog = catalog_for(
            &source,
            self.counts,
            &client.options().api_version,
            (self.info.started_at, OffsetDateTime::now_utc()),
        );
        let blob = &self.blob;
        let result = async {
            let acct = self.blob_account().await?;
            client
                .set_blob_metadata(
                    &acct,
                    blob.container.as_str(),
                    blob.blob.as_str(),
                    &catalog.to_metadata(),
                )
                .await
        }
        .await;
        if let Err(e) = result {
            report(
                &self.progress,
                ProgressUpdate::Note(format!(
                    "the backup succeeded, but its catalog metadata could not be written ({e}): pre-flight will not know its tier"
                )),
            )
            .await;
        }
    }
}
