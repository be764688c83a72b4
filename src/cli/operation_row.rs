//! One operation of the journal as `apim-dr operations` shows it: a flat row with `id` at the
//! top level (the README documents each field), and the same row as table cells. A finished
//! operation carries its outcome and no `last_status`: the last poll's word never sits next to
//! an end that contradicts it.

use std::fmt::Write as _;

use serde::Serialize;
use time::OffsetDateTime;

use crate::domain::duration::{short, utc_seconds};
use crate::domain::estimate::{EstimateJson, estimate};
use crate::domain::operation::Outcome;
use crate::domain::progress::PastOperation;
use crate::journal::{OperationState, Stage};

/// A row of `operations -o json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRow {
    /// Journal id (what `operations watch ID` takes).
    pub id: String,
    /// `backup` or `restore`.
    pub kind: String,
    /// The service's full ARM resource id.
    pub service: String,
    /// The service's name.
    pub service_name: String,
    /// `ACCOUNT/CONTAINER/BLOB`.
    pub backup: String,
    /// The ARM origin it was started against.
    pub endpoint: String,
    /// When the intent was journaled (RFC 3339, UTC, to the second).
    pub started: String,
    /// When its end was journaled; `null` while unfinished.
    pub finished: Option<String>,
    /// Seconds from start to end, or to now while unfinished.
    pub duration_secs: u64,
    /// `may_have_started`, `running` or `finished`.
    pub stage: Stage,
    /// `succeeded`, `failed`, `canceled` or `unconfirmed`; `null` while unfinished.
    pub outcome: Option<&'static str>,
    /// Why it failed or could not be confirmed (Azure's code and message, or what was seen).
    pub detail: Option<String>,
    /// The last status a poll reported; only while unfinished.
    pub last_status: Option<String>,
    /// True when nobody watches it (it goes on in Azure).
    pub detached: bool,
    /// The correlation id its requests carry.
    pub correlation_id: Option<String>,
    /// `x-ms-request-id` of the POST.
    pub request_id: Option<String>,
    /// Where it is watched (`Azure-AsyncOperation`, else `Location`).
    pub operation_url: Option<String>,
    /// While unfinished: how long it typically takes, its ETA, the seconds left and the basis
    /// (`same_service` or `same_tier` from the journal, else `microsoft`); `null` once ended.
    pub estimate: Option<EstimateJson>,
    /// The one-line state the text table shows.
    pub state: String,
}

fn outcome_word(o: &Outcome) -> (&'static str, Option<String>) {
    match o {
        Outcome::Succeeded => ("succeeded", None),
        Outcome::Failed(e) => ("failed", Some(e.to_string())),
        Outcome::Canceled => ("canceled", None),
        Outcome::Unconfirmed { reason } => ("unconfirmed", Some(reason.clone())),
    }
}

fn state_text(o: &OperationState) -> String {
    match (o.stage(), &o.outcome) {
        (Stage::Finished, Some(outcome)) => outcome.to_string(),
        (Stage::Running, _) if o.detached => "running in Azure (not watched)".to_owned(),
        (Stage::Running, _) => format!(
            "running ({})",
            o.last_status.as_deref().unwrap_or("accepted")
        ),
        _ => "may have started: no answer from Azure was recorded".to_owned(),
    }
}

impl OperationRow {
    /// The row for `o`, its duration counted to `now` while unfinished, with its estimate from
    /// `past` while unfinished.
    pub fn new(o: &OperationState, now: OffsetDateTime, past: &[PastOperation]) -> Self {
        let e = o.outcome.is_none().then(|| {
            estimate(
                past,
                o.info.kind,
                o.info.tier.as_ref(),
                Some(&o.info.service),
            )
        });
        let mut state = state_text(o);
        if let Some(e) = &e {
            let _ = write!(state, " · {}", e.remaining_text(o.info.started_at, now));
        }
        let finished = o.outcome.as_ref().and(o.finished_at);
        let end = finished.unwrap_or(now);
        let (outcome, detail) = o.outcome.as_ref().map(outcome_word).unzip();
        let handle = o.handle.as_ref();
        Self {
            id: o.info.id.0.clone(),
            kind: o.info.kind.to_string(),
            service: o.info.service.to_string(),
            service_name: o.info.service.name.to_string(),
            backup: o.info.subject(),
            endpoint: o.endpoint.clone(),
            started: utc_seconds(o.info.started_at),
            finished: finished.map(utc_seconds),
            duration_secs: (end - o.info.started_at)
                .whole_seconds()
                .max(0)
                .unsigned_abs(),
            stage: o.stage(),
            outcome,
            detail: detail.flatten(),
            last_status: o.outcome.is_none().then(|| o.last_status.clone()).flatten(),
            detached: o.detached && o.outcome.is_none(),
            correlation_id: o.info.correlation_id.as_ref().map(|c| c.0.clone()),
            request_id: handle.and_then(|h| h.request_id.clone()),
            operation_url: handle
                .and_then(|h| h.async_operation.clone().or_else(|| h.location.clone())),
            estimate: e.map(|e| EstimateJson::new(&e, o.info.started_at, now)),
            state,
        }
    }

    /// The table cells: id, kind, service name, backup, started, duration, state.
    pub fn text(&self) -> Vec<String> {
        let duration = short(time::Duration::seconds(
            i64::try_from(self.duration_secs).unwrap_or(i64::MAX),
        ));
        vec![
            self.id.clone(),
            self.kind.clone(),
            self.service_name.clone(),
            self.backup.clone(),
            self.started.clone(),
            if self.finished.is_some() {
                duration
            } else {
                format!("{duration} so far")
            },
            self.state.clone(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::names::{BackupRef, ServiceId};
    use crate::domain::operation::{AccessType, OperationKind};
    use crate::domain::progress::{JournalId, OperationInfo};
    use time::macros::datetime;

    fn op() -> OperationState {
        let info = OperationInfo {
            id: JournalId("01J0000000000000000000000A".into()),
            kind: OperationKind::Restore,
            service: ServiceId::parse(
                "/subscriptions/7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-neu",
            )
            .unwrap(),
            blob: Some(BackupRef::parse("stdr/apim-backups/b.apimbackup").unwrap()),
            creating: None,
            started_at: datetime!(2026-11-26 12:00:00.123456789 UTC),
            correlation_id: None,
            tier: None,
        };
        OperationState::intended(
            info,
            Some(AccessType::AccessKey),
            "http://127.0.0.1:1".into(),
        )
    }

    #[test]
    fn a_finished_row_has_its_outcome_and_no_running_status() {
        let mut o = op();
        o.last_status = Some("running".into());
        o.outcome = Some(Outcome::Succeeded);
        o.finished_at = Some(datetime!(2026-11-26 12:31:05.9 UTC));
        let row = OperationRow::new(&o, datetime!(2026-11-27 00:00 UTC), &[]);
        let v = serde_json::to_value(&row).unwrap();
        assert_eq!(v["id"], "01J0000000000000000000000A");
        assert_eq!(v["outcome"], "succeeded");
        assert!(v["last_status"].is_null(), "{v}");
        assert_eq!(v["started"], "2026-11-26T12:00:00Z");
        assert_eq!(v["finished"], "2026-11-26T12:31:05Z");
        assert_eq!(v["duration_secs"], 1865);
        assert_eq!(v["stage"], "finished");
        assert_eq!(row.text()[5], "31m 05s");
    }

    #[test]
    fn an_unfinished_row_counts_its_duration_to_now() {
        let mut o = op();
        o.last_status = Some("InProgress".into());
        let row = OperationRow::new(&o, datetime!(2026-11-26 12:02:00.5 UTC), &[]);
        assert_eq!(row.duration_secs, 120);
        assert_eq!(row.outcome, None);
        assert_eq!(row.last_status.as_deref(), Some("InProgress"));
        assert_eq!(row.text()[5], "2m 00s so far");
        assert_eq!(row.stage, Stage::MayHaveStarted);
        // No history: Microsoft's typical restore, labelled as such.
        let e = row.estimate.as_ref().unwrap();
        assert_eq!((e.typical_secs, e.remaining_secs), (1800, Some(1679)));
        assert!(
            row.state.ends_with("· ~28 min left (typical, Microsoft)"),
            "{}",
            row.state
        );
    }

    #[test]
    fn an_unfinished_row_takes_its_estimate_from_the_same_tier() {
        let mut o = op();
        o.info.tier = Some(crate::domain::sku::SkuName::new("Premium"));
        let other = ServiceId::parse(
            "/subscriptions/7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-other",
        )
        .unwrap();
        let past = [PastOperation {
            kind: OperationKind::Restore,
            service: other,
            duration: std::time::Duration::from_secs(50 * 60),
            succeeded: true,
            tier: o.info.tier.clone(),
        }];
        let row = OperationRow::new(&o, datetime!(2026-11-26 12:10:00 UTC), &past);
        let v = serde_json::to_value(&row).unwrap();
        assert_eq!(v["estimate"]["basis"], "same_tier", "{v}");
        assert_eq!(v["estimate"]["tier"], "Premium");
        assert_eq!(v["estimate"]["samples"], 1);
        assert_eq!(v["estimate"]["remaining_secs"], 40 * 60);
        assert_eq!(v["estimate"]["eta"], "2026-11-26T12:50:00Z");
    }
}
