//! `Retry-After` values and `Location` / `Azure-AsyncOperation` URLs as a server may send them.
#![no_main]

use std::time::{Duration, SystemTime};

use apim_dr::azure::arm::strip_sas;
use apim_dr::azure::retry::parse_retry_after;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let _ = parse_retry_after(text, now);
    let base = url::Url::parse("https://management.azure.com/subscriptions/x/op?api-version=2024-05-01").unwrap_or_else(|_| unreachable!());
    if let Ok(u) = base.join(text) {
        let stripped = strip_sas(&u);
        assert!(!stripped.query_pairs().any(|(k, _)| k.eq_ignore_ascii_case("sig")));
    }
});
