//! Tests of `emulator::world::generate`.
use super::*;

const NOW: OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);

fn shape(w: &World) -> Vec<String> {
    w.services
        .iter()
        .map(|s| format!("{} {} {} {}", s.id(), s.sku, s.capacity, s.apis.len()))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_world() {
    let a = generate("gen:subs=20,services=50,backups=100,seed=7", NOW).unwrap();
    let b = generate("gen:subs=20,services=50,backups=100,seed=7", NOW).unwrap();
    let c = generate("gen:subs=20,services=50,backups=100,seed=8", NOW).unwrap();
    assert_eq!(shape(&a), shape(&b));
    assert_ne!(shape(&a), shape(&c));
    assert_eq!(
        (a.subscriptions.len(), a.services.len(), a.accounts.len()),
        (20, 50, 20)
    );
    let blobs: usize = a
        .accounts
        .iter()
        .flat_map(|x| x.containers.values())
        .map(|c| c.blobs.len())
        .sum();
    assert_eq!(blobs, 100);
}

#[test]
fn names_follow_azure_rules_and_spread_widely() {
    use crate::domain::names::{ServiceName, StorageAccountName, SubscriptionId};
    let w = generate("gen:subs=30,services=300,backups=500,seed=3", NOW).unwrap();
    assert!(
        w.subscriptions
            .iter()
            .all(|s| SubscriptionId::parse(&s.id).is_ok())
    );
    assert!(
        w.services
            .iter()
            .all(|s| ServiceName::parse(&s.name).is_ok())
    );
    assert!(
        w.accounts
            .iter()
            .all(|a| StorageAccountName::parse(&a.name).is_ok())
    );
    let regions: std::collections::BTreeSet<&str> =
        w.services.iter().map(|s| s.location.as_str()).collect();
    assert!(regions.len() >= 6);
    let tiers: std::collections::BTreeSet<&str> =
        w.services.iter().map(|s| s.sku.as_str()).collect();
    for t in [
        "Developer",
        "Basic",
        "Standard",
        "Premium",
        "StandardV2",
        "Consumption",
    ] {
        assert!(tiers.contains(t), "{t}");
    }
    let ages: Vec<Duration> = w
        .accounts
        .iter()
        .flat_map(|a| a.containers.values())
        .flat_map(|c| c.blobs.values())
        .map(|b| NOW - b.created)
        .collect();
    assert!(
        ages.iter()
            .all(|a| *a >= Duration::ZERO && *a <= Duration::days(45))
    );
    assert!(
        ages.iter().any(|a| *a > Duration::days(30))
            && ages.iter().any(|a| *a < Duration::days(30))
    );
}

#[test]
fn bad_specs_name_the_problem() {
    for (spec, needle) in [
        ("gen:subs=x", "not a whole number"),
        ("gen:planets=3", "unknown key 'planets'"),
        ("gen:subs=0", "at least 1"),
        ("gen:subs", "KEY=NUMBER"),
    ] {
        let e = generate(spec, NOW).unwrap_err().to_string();
        assert!(e.contains(needle), "{spec}: {e}");
    }
}

#[test]
fn the_estate_of_issue_10() {
    let w = generate("gen:estate", NOW).unwrap();
    assert_eq!(
        (w.subscriptions.len(), w.services.len(), w.accounts.len()),
        (22, 508, 21)
    );
    let blobs: usize = w
        .accounts
        .iter()
        .flat_map(|x| x.containers.values())
        .map(|c| c.blobs.len())
        .sum();
    assert_eq!(blobs, 4009);
    assert!(
        w.accounts
            .iter()
            .all(|a| a.allow_shared_key_access && !a.network.deny_by_default)
    );
    assert!(generate("gen:subs=2,accounts=5,open=2", NOW).is_err());
    assert_eq!(
        generate("gen:subs=2,accounts=5", NOW)
            .unwrap()
            .accounts
            .len(),
        5
    );
}
