use super::*;
use time::macros::datetime;

const SUB: &str = "11111111-1111-1111-1111-111111111111";

fn sid(name: &str) -> ServiceId {
    ServiceId::parse(&format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/{name}"
    ))
    .unwrap()
}

fn past(kind: OperationKind, name: &str, tier: &str, mins: u64, succeeded: bool) -> PastOperation {
    PastOperation {
        kind,
        service: sid(name),
        duration: std::time::Duration::from_secs(mins * 60),
        succeeded,
        tier: (!tier.is_empty()).then(|| SkuName::new(tier)),
    }
}

fn history() -> Vec<PastOperation> {
    vec![
        past(OperationKind::Restore, "apim-a", "Standard", 30, true),
        past(OperationKind::Restore, "apim-a", "Standard", 32, true),
        past(OperationKind::Restore, "apim-a", "", 31, true),
        past(OperationKind::Restore, "apim-a", "Standard", 2, false),
        past(OperationKind::Restore, "apim-b", "Premium", 50, true),
        past(OperationKind::Restore, "apim-d", "Premium", 60, true),
        past(OperationKind::Backup, "apim-a", "Standard", 9, true),
    ]
}

#[test]
fn the_same_service_first_and_failures_never_count() {
    let std = SkuName::new("Standard");
    let e = estimate(
        &history(),
        OperationKind::Restore,
        Some(&std),
        Some(&sid("apim-a")),
    );
    assert_eq!(e.typical, Duration::minutes(31));
    assert_eq!(e.basis, Basis::SameService { samples: 3 });
    assert_eq!(e.phrase(), "usually ~31 min");
    assert_eq!(e.basis_text(), "median of 3 past restores of this service");
}

#[test]
fn then_the_same_kind_and_tier() {
    let premium = SkuName::new("Premium");
    let e = estimate(
        &history(),
        OperationKind::Restore,
        Some(&premium),
        Some(&sid("apim-c")),
    );
    assert_eq!(e.typical, Duration::minutes(55), "median of 50 and 60");
    assert_eq!(
        e.basis_text(),
        "median of 2 past restores on Premium services"
    );
    let basic = SkuName::new("Basic");
    let none = estimate(
        &history(),
        OperationKind::Restore,
        Some(&basic),
        Some(&sid("apim-c")),
    );
    assert_eq!(
        none.basis,
        Basis::Microsoft,
        "another tier's history says nothing"
    );
}

#[test]
fn without_history_microsofts_typical_durations_labelled_as_such() {
    let r = estimate(&[], OperationKind::Restore, None, None);
    assert_eq!((r.typical, &r.basis), (TYPICAL_RESTORE, &Basis::Microsoft));
    assert_eq!(r.phrase(), "typically 30 min or more");
    assert_eq!(r.basis_text(), "typical, Microsoft");
    let b = estimate(&[], OperationKind::Backup, None, None);
    assert_eq!(b.typical, TYPICAL_BACKUP);
}

#[test]
fn progress_never_reaches_done_and_says_when_it_runs_long() {
    let t0 = datetime!(2026-11-26 12:00 UTC);
    let e = estimate(&[], OperationKind::Restore, None, None);
    let p = e.progress(t0, t0 + Duration::minutes(12));
    assert!((p.fraction - 0.4).abs() < 1e-9);
    assert_eq!(p.remaining, Some(Duration::minutes(18)));
    assert_eq!(p.eta, datetime!(2026-11-26 12:30 UTC));
    assert_eq!(
        e.remaining_text(t0, t0 + Duration::minutes(12)),
        "~18 min left (typical, Microsoft)"
    );
    let late = e.progress(t0, t0 + Duration::hours(2));
    assert!((late.fraction - 0.99).abs() < 1e-9);
    assert_eq!(late.remaining, None);
    assert_eq!(
        e.remaining_text(t0, t0 + Duration::hours(2)),
        "longer than typical (typical, Microsoft)"
    );
    let j = serde_json::to_value(EstimateJson::new(&e, t0, t0 + Duration::minutes(12))).unwrap();
    assert_eq!(j["typical_secs"], 1800);
    assert_eq!(j["remaining_secs"], 1080);
    assert_eq!(j["eta"], "2026-11-26T12:30:00Z");
    assert_eq!(j["basis"], "microsoft");
}

#[test]
fn rough_durations_read_like_speech() {
    assert_eq!(rough(Duration::seconds(45)), "45 s");
    assert_eq!(rough(Duration::seconds(31 * 60 + 10)), "31 min");
    assert_eq!(rough(Duration::minutes(95)), "1 h 35 min");
}
