//! The Activity Log through ARM: the records of one correlation id
//! (`GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values`,
//! api-version 2015-04-01, `$filter=eventTimestamp ge … and eventTimestamp le … and
//! correlationId eq …`). The watcher reads it when a POST's answer was lost or the operation's
//! own status could not be read.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::ActivityEventWire;
use crate::azure::paging::arm_list;

/// api-version of the Activity Log.
pub const ACTIVITY_LOG_API_VERSION: &str = "2015-04-01";

fn stamp(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

impl AzureClient {
    /// The Activity Log records of `subscription` written since `since` under one correlation
    /// id, newest first.
    ///
    /// # Errors
    /// [`ApiError`]; 403 `AuthorizationFailed` without `Microsoft.Insights/eventtypes/values/read`.
    pub async fn activity_by_correlation(
        &self,
        subscription: &str,
        correlation_id: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<ActivityEventWire>, ApiError> {
        let until = OffsetDateTime::now_utc() + time::Duration::minutes(5);
        let mut url = self.arm_url(
            &format!(
                "/subscriptions/{subscription}/providers/Microsoft.Insights/eventtypes/management/values"
            ),
            ACTIVITY_LOG_API_VERSION,
        )?;
        url.query_pairs_mut().append_pair(
            "$filter",
            &format!(
                "eventTimestamp ge '{}' and eventTimestamp le '{}' and correlationId eq '{correlation_id}'",
                stamp(since),
                stamp(until)
            ),
        );
        arm_list(self, url, "activity log").await
    }
}
