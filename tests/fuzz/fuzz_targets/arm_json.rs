//! ARM JSON replies: any bytes parse into the wire models or fail cleanly.
#![no_main]

use apim_dr::azure::models::{ErrorResponse, OperationStatus, Page, ServiceResource, StorageAccount, StorageKeys, Subscription};
use apim_dr::domain::service::ServiceSummary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = serde_json::from_slice::<Page<ServiceResource>>(data) {
        for s in p.value {
            let summary = ServiceSummary::from(s);
            let _ = summary.is_busy();
            let _ = summary.service_id();
        }
    }
    let _ = serde_json::from_slice::<ServiceResource>(data).map(ServiceSummary::from);
    let _ = serde_json::from_slice::<Page<Subscription>>(data);
    let _ = serde_json::from_slice::<Page<StorageAccount>>(data);
    let _ = serde_json::from_slice::<StorageKeys>(data);
    let _ = serde_json::from_slice::<ErrorResponse>(data);
    let _ = serde_json::from_slice::<OperationStatus>(data);
});
