//! Blob XML replies: listings and error bodies parse or fail cleanly, catalogs never panic.
#![no_main]

use apim_dr::azure::models::{BlobError, BlobList, ContainerList};
use apim_dr::domain::backup::BackupCatalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(list) = quick_xml::de::from_str::<BlobList>(text) {
        for b in list.blobs.items {
            let _ = BackupCatalog::from_metadata(&b.metadata.unwrap_or_default());
            let _ = b.properties.creation_time.as_deref().map(apim_dr::azure::blob::parse_http_date);
        }
    }
    let _ = quick_xml::de::from_str::<ContainerList>(text);
    let _ = quick_xml::de::from_str::<BlobError>(text);
});
