//! Traffic cutover: point a custom host name served through Azure DNS (a CNAME record set) or
//! Traffic Manager (an external endpoint) at a restored service's gateway, or back at a host
//! it pointed at before. Planning reads only (`find.rs`: where the name is served); applying
//! writes one record or endpoint, written down first in the cutover log
//! (`journal/cutover_log.rs`).
//!
//! A DNS record set is written with `If-Match` on the etag read when planning: a record
//! changed in between is refused by Azure (412), never overwritten. Traffic Manager has no
//! etags: the endpoint is read again just before the `PATCH` and a changed target refused (a
//! change in the moment between that read and the write is not detected). After a write
//! whose answer was lost, the record is read back: it decides; if it cannot be read, the
//! outcome is unconfirmed.

mod find;

use time::OffsetDateTime;

pub use find::Served;

use super::Engine;
use super::error::EngineError;
use crate::azure::ApiError;
use crate::azure::models::CnameWire;
use crate::domain::cutover::{CutoverEntry, CutoverPlace, CutoverPlan, gateway_host, same_host};
use crate::domain::duration::utc_seconds;
use crate::domain::names::ServiceId;
use crate::journal::cutover_log;

/// Where to point the host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CutoverTo {
    /// A service's gateway host (`{name}.azure-api.net`).
    Service(ServiceId),
    /// A host name as given (a rollback to what it pointed at before).
    Target(String),
}

/// What to cut over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutoverAsk {
    /// The custom host name, parsed ([`crate::domain::cutover::parse_host`]).
    pub hostname: String,
    /// Where to point it.
    pub to: CutoverTo,
    /// The Traffic Manager endpoint, when the profile has several external ones.
    pub endpoint: Option<String>,
}

/// A planned cutover with what was read to write it.
#[derive(Debug, Clone)]
pub struct CutoverReady {
    /// Before → after.
    pub plan: CutoverPlan,
    served: Served,
}

/// How an applied cutover ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CutoverEnd {
    /// The record or endpoint now points at the new host (read back from Azure's answer).
    Done,
    /// The write's answer was lost and the record could not be read back: why.
    Unconfirmed(String),
}

impl Engine {
    /// Finds where the host name is served and what it would point at. Read-only.
    ///
    /// # Errors
    /// [`EngineError::Refused`] when the name is served nowhere visible (or ambiguously);
    /// [`EngineError::Api`] when a read fails.
    pub async fn plan_cutover(&self, ask: &CutoverAsk) -> Result<CutoverReady, EngineError> {
        let served = self
            .find_served(&ask.hostname, ask.endpoint.as_deref())
            .await?;
        let (after, service) = match &ask.to {
            CutoverTo::Target(host) => (host.clone(), None),
            CutoverTo::Service(id) => {
                let r = self
                    .client
                    .get_service_resource(id)
                    .await
                    .map_err(EngineError::api("reading the service to point at"))?;
                let builtin = r.properties.hostname_configurations.iter().find(|h| {
                    h.kind.eq_ignore_ascii_case("Proxy")
                        && h.certificate_source
                            .as_deref()
                            .is_some_and(|s| s.eq_ignore_ascii_case("BuiltIn"))
                });
                let host = gateway_host(
                    &r.name,
                    builtin.map(|h| h.host_name.as_str()),
                    r.properties.gateway_url.as_deref(),
                );
                (host, Some(r.id))
            }
        };
        if let Served::Cname { record, .. } = &served
            && record.cname().is_none_or(str::is_empty)
        {
            return Err(EngineError::Refused(format!(
                "{} is served by the CNAME record set {} without a canonical name (an alias record \
                 set pointing at an Azure resource): point that resource instead, or change the record in the portal",
                ask.hostname, record.id
            )));
        }
        let (place, before) = match &served {
            Served::Cname { zone, record } => (
                CutoverPlace::DnsCname {
                    id: record.id.clone(),
                    zone: zone.clone(),
                    record: record.name.clone(),
                },
                record.cname().unwrap_or_default().to_owned(),
            ),
            Served::Endpoint { profile, endpoint } => (
                CutoverPlace::TrafficManagerEndpoint {
                    id: endpoint.id.clone(),
                    profile: profile.name.clone(),
                    profile_fqdn: profile
                        .properties
                        .dns_config
                        .fqdn
                        .clone()
                        .unwrap_or_default(),
                    endpoint: endpoint.name.clone(),
                },
                endpoint.properties.target.clone().unwrap_or_default(),
            ),
        };
        let plan = CutoverPlan {
            hostname: ask.hostname.clone(),
            place,
            before,
            after,
            service,
        };
        Ok(CutoverReady { plan, served })
    }

    /// Writes the planned change: logged first, then sent, then logged with its end.
    ///
    /// # Errors
    /// [`EngineError::Refused`] in read-only mode, when the log cannot be written (nothing is
    /// sent), or when the record or endpoint changed since it was read (nothing is written);
    /// [`EngineError::Api`] when the write failed and the record still shows the old value.
    pub async fn apply_cutover(&self, ready: &CutoverReady) -> Result<CutoverEnd, EngineError> {
        if self.read_only {
            return Err(EngineError::Refused(
                "read-only mode: traffic cutover is disabled".to_owned(),
            ));
        }
        let log = Log::new(self, &ready.plan);
        log.write("intent", None).map_err(|e| {
            EngineError::Refused(format!(
                "the cutover log ({}) cannot be written: {e}; nothing was sent",
                log.path.display()
            ))
        })?;
        let end = match &ready.served {
            Served::Cname { record, .. } => self.write_cname(ready, record).await,
            Served::Endpoint { endpoint, .. } => self.write_endpoint(ready, &endpoint.id).await,
        };
        let (stage, reason) = match &end {
            Ok(CutoverEnd::Done) => ("done", None),
            Ok(CutoverEnd::Unconfirmed(why)) => ("unconfirmed", Some(why.clone())),
            Err(EngineError::Refused(why)) => ("refused", Some(why.clone())),
            Err(e) => ("failed", Some(e.to_string())),
        };
        if let Err(e) = log.write(stage, reason) {
            tracing::warn!(error = %e, "the cutover's end could not be logged");
        }
        end
    }

    async fn write_cname(
        &self,
        ready: &CutoverReady,
        record: &crate::azure::models::RecordSetWire,
    ) -> Result<CutoverEnd, EngineError> {
        let plan = &ready.plan;
        let Some(etag) = record.etag.as_deref() else {
            return Err(EngineError::Refused(format!(
                "{} came without an etag: it is not written without one",
                plan.place.describe()
            )));
        };
        let mut new = record.clone();
        new.properties.cname_record = Some(CnameWire {
            cname: plan.after.clone(),
        });
        new.properties.fqdn = None;
        new.properties.other.remove("provisioningState");
        let sent = self.client.put_record_set_if_match(&new, etag).await;
        let e = match sent {
            Ok(w) if w.cname().is_some_and(|c| same_host(c, &plan.after)) => {
                return Ok(CutoverEnd::Done);
            }
            Ok(w) => {
                return Err(EngineError::Refused(format!(
                    "Azure answered the write with {} pointing at {}, not {}",
                    plan.place.describe(),
                    w.cname().unwrap_or("nothing"),
                    plan.after
                )));
            }
            Err(e) => e,
        };
        let now = self.client.record_set(&record.id).await;
        settle(
            plan,
            e,
            now.map(|r| r.cname().unwrap_or_default().to_owned()),
        )
    }

    async fn write_endpoint(
        &self,
        ready: &CutoverReady,
        id: &str,
    ) -> Result<CutoverEnd, EngineError> {
        let plan = &ready.plan;
        let now = self.client.tm_endpoint(id).await.map_err(EngineError::api(
            "reading the Traffic Manager endpoint again",
        ))?;
        let target = now.properties.target.unwrap_or_default();
        if !same_host(&target, &plan.before) {
            return Err(changed(plan, &target));
        }
        let e = match self.client.set_tm_endpoint_target(id, &plan.after).await {
            Ok(w)
                if w.properties
                    .target
                    .as_deref()
                    .is_some_and(|t| same_host(t, &plan.after)) =>
            {
                return Ok(CutoverEnd::Done);
            }
            Ok(_) => {
                return Err(EngineError::Refused(format!(
                    "Azure answered the write of {} without the new target {}",
                    plan.place.describe(),
                    plan.after
                )));
            }
            Err(e) => e,
        };
        let now = self.client.tm_endpoint(id).await;
        settle(
            plan,
            e,
            now.map(|w| w.properties.target.unwrap_or_default()),
        )
    }
}

/// The refusal of a record or endpoint changed since it was read.
fn changed(plan: &CutoverPlan, now: &str) -> EngineError {
    EngineError::Refused(format!(
        "{} changed since it was read: it points at {now}, not {}; nothing was written. \
         Run the command again to see the new before → after",
        plan.place.describe(),
        plan.before
    ))
}

/// After a failed write, what the record shows now decides: the new value (our write landed),
/// another value after a 412 (changed by someone else), the old value (the write failed), or
/// nothing readable (unconfirmed).
fn settle(
    plan: &CutoverPlan,
    error: ApiError,
    now: Result<String, ApiError>,
) -> Result<CutoverEnd, EngineError> {
    match now {
        Ok(v) if same_host(&v, &plan.after) => Ok(CutoverEnd::Done),
        Ok(v) if error.status == Some(412) => Err(changed(plan, &v)),
        Ok(_) => Err(EngineError::Api {
            context: format!("writing {}", plan.place.describe()),
            error: Box::new(error),
        }),
        Err(read) => Ok(CutoverEnd::Unconfirmed(format!(
            "the write of {} got no usable answer ({error}) and it cannot be read back ({read}); \
             look at it in the portal before running anything else",
            plan.place.describe()
        ))),
    }
}

/// The cutover log of one cutover.
struct Log<'a> {
    path: std::path::PathBuf,
    id: String,
    plan: &'a CutoverPlan,
}

impl<'a> Log<'a> {
    fn new(engine: &Engine, plan: &'a CutoverPlan) -> Self {
        Self {
            path: cutover_log::cutover_log_path(engine.journal_path()),
            id: format!("cut-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            plan,
        }
    }

    fn write(&self, stage: &str, reason: Option<String>) -> std::io::Result<()> {
        let at = utc_seconds(OffsetDateTime::now_utc());
        cutover_log::append(
            &self.path,
            &CutoverEntry {
                id: self.id.clone(),
                at,
                stage: stage.to_owned(),
                plan: self.plan.clone(),
                reason,
            },
        )
    }
}
