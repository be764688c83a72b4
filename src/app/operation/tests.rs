//! Operation view tests: phases, plain-word statuses and estimates.

use super::*;
use crate::domain::progress::CorrelationId;
use time::macros::datetime;

const T0: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);
const SUB: &str = "11111111-1111-1111-1111-111111111111";

fn sid(name: &str) -> ServiceId {
    ServiceId::parse(&format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/{name}"
    ))
    .unwrap()
}

fn past(kind: OperationKind, name: &str, mins: u64, succeeded: bool) -> PastOperation {
    PastOperation {
        kind,
        service: sid(name),
        duration: std::time::Duration::from_secs(mins * 60),
        succeeded,
    }
}

#[test]
fn estimate_prefers_the_same_service_and_ignores_failures() {
    let h = vec![
        past(OperationKind::Restore, "apim-a", 30, true),
        past(OperationKind::Restore, "apim-a", 32, true),
        past(OperationKind::Restore, "apim-a", 31, true),
        past(OperationKind::Restore, "apim-a", 2, false),
        past(OperationKind::Restore, "apim-b", 50, true),
        past(OperationKind::Backup, "apim-a", 9, true),
    ];
    let e = estimate(&h, OperationKind::Restore, Some(&sid("apim-a"))).unwrap();
    assert_eq!(e.typical, Duration::minutes(31));
    assert_eq!((e.samples, e.same_service), (3, true));
    assert_eq!(e.phrase(), "usually ~31 min");
    let other = estimate(&h, OperationKind::Restore, Some(&sid("apim-c"))).unwrap();
    assert_eq!(other.typical, Duration::seconds(31 * 60 + 30));
    assert!(!other.same_service);
    assert_eq!(estimate(&[], OperationKind::Backup, None), None);
}

#[test]
fn rough_durations_read_like_speech() {
    assert_eq!(rough(Duration::seconds(45)), "45 s");
    assert_eq!(rough(Duration::seconds(31 * 60 + 10)), "31 min");
    assert_eq!(rough(Duration::minutes(95)), "1 h 35 min");
}

#[test]
fn updates_move_the_view_through_its_phases() {
    let mut v = OperationView::starting(
        OpId(1),
        OperationKind::Restore,
        "stdr/apim-backups/a.apimbackup".into(),
        "apim-b".into(),
        Some(sid("apim-b")),
        T0,
    );
    assert!(v.is_live());
    v.apply(ProgressUpdate::Sending, T0);
    assert_eq!(v.status_sentence("FATE"), "sending…");
    v.apply(
        ProgressUpdate::Accepted {
            operation_url: None,
            request_id: Some("rid-1".into()),
            correlation_id: CorrelationId("corr-1".into()),
        },
        T0,
    );
    assert_eq!(
        v.status_sentence("FATE"),
        "accepted by Azure, waiting for the first poll"
    );
    v.apply(
        ProgressUpdate::Retrying {
            reason: "throttled".into(),
            detail: "429 Too Many Requests".into(),
            retry_in: std::time::Duration::from_secs(4),
            attempt: 1,
        },
        T0,
    );
    assert_eq!(v.short_status(T0), "retrying");
    v.apply(
        ProgressUpdate::Running {
            status: Some("InProgress".into()),
            percent: None,
            polls: 3,
            next_poll_in: std::time::Duration::from_secs(10),
        },
        T0 + Duration::seconds(5),
    );
    assert_eq!(v.short_status(T0 + Duration::seconds(5)), "running");
    assert_eq!(v.next_poll_at, Some(T0 + Duration::seconds(15)));
    assert!(
        v.status_sentence("FATE")
            .contains("keeps its old configuration")
    );
    v.apply(
        ProgressUpdate::Finished(Outcome::Succeeded),
        T0 + Duration::minutes(31),
    );
    assert!(!v.is_live());
    assert_eq!(v.elapsed(T0 + Duration::hours(2)), Duration::minutes(31));
    assert_eq!(v.status_sentence("FATE"), "succeeded");
    assert_eq!(v.request_id.as_deref(), Some("rid-1"));
    assert_eq!(v.correlation_id, Some(CorrelationId("corr-1".into())));
}
