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
