//! Resource ids and names as a user types them: valid ones round-trip, others name the rule.
#![no_main]

use apim_dr::domain::names::{BackupRef, BlobName, ContainerName, ServiceId, StorageAccountName, SubscriptionId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match ServiceId::parse(text) {
        Ok(id) => assert_eq!(ServiceId::parse(&id.path()), Ok(id)),
        Err(e) => assert!(!e.rule.is_empty()),
    }
    if let Ok(r) = BackupRef::parse(text) {
        assert_eq!(BackupRef::parse(&r.to_string()), Ok(r));
    }
    let _ = SubscriptionId::parse(text);
    let _ = StorageAccountName::parse(text);
    let _ = ContainerName::parse(text);
    let _ = BlobName::parse(text);
});
