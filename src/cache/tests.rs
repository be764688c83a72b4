//! The cache file: written whole, read back, and nothing (never an error) when it is damaged,
//! of another format or of another origin.

use time::macros::datetime;

use super::*;
use crate::domain::inventory::SubscriptionSummary;

const SAVED: OffsetDateTime = datetime!(2026-11-26 11:00 UTC);

fn inventory() -> Inventory {
    let mut inv = Inventory::default();
    std::sync::Arc::make_mut(&mut inv.subscriptions).push(SubscriptionSummary {
        id: "6f1c2a4e-5b7d-4e8a-9c3f-1a2b3c4d5e6f".into(),
        name: "Contoso Production".into(),
        state: "Enabled".into(),
    });
    inv.services.insert(
        "6f1c2a4e-5b7d-4e8a-9c3f-1a2b3c4d5e6f".into(),
        vec![crate::app::fixtures::service(
            "6f1c2a4e-5b7d-4e8a-9c3f-1a2b3c4d5e6f",
            "rg",
            "apim-contoso-weu",
            "Standard",
            1,
            "West Europe",
        )]
        .into(),
    );
    inv
}

fn azure() -> Url {
    Url::parse("https://management.azure.com/").unwrap()
}

#[test]
fn what_is_written_is_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let cache = InventoryCache::new(dir.path(), &azure());
    assert_eq!(cache.read(), None, "no file is no cache");
    cache.write(&inventory(), SAVED).unwrap();
    assert_eq!(
        cache.read(),
        Some(Cached {
            saved_at: SAVED,
            inventory: inventory()
        })
    );
}

#[test]
fn each_arm_origin_has_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let azure = InventoryCache::new(dir.path(), &azure());
    let emulator = InventoryCache::new(
        dir.path(),
        &Url::parse("http://127.0.0.1:8443/subscriptions").unwrap(),
    );
    assert_ne!(azure.path(), emulator.path());
    azure.write(&inventory(), SAVED).unwrap();
    assert_eq!(emulator.read(), None);
    // A file copied under another origin's name is not taken for it.
    std::fs::copy(azure.path(), emulator.path()).unwrap();
    assert_eq!(emulator.read(), None);
}

#[test]
fn a_damaged_or_other_format_file_is_no_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = InventoryCache::new(dir.path(), &azure());
    cache.write(&inventory(), SAVED).unwrap();
    let whole = std::fs::read_to_string(cache.path()).unwrap();
    std::fs::write(cache.path(), &whole[..whole.len() / 2]).unwrap();
    assert_eq!(cache.read(), None, "torn");
    std::fs::write(cache.path(), "not json").unwrap();
    assert_eq!(cache.read(), None, "garbage");
    std::fs::write(cache.path(), whole.replace("\"format\":1", "\"format\":0")).unwrap();
    assert_eq!(cache.read(), None, "another format");
}

#[cfg(unix)]
#[test]
fn the_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cache = InventoryCache::new(dir.path(), &azure());
    cache.write(&inventory(), SAVED).unwrap();
    let mode = std::fs::metadata(cache.path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
