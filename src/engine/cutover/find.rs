//! Where a host name is served: a CNAME record set in one of the Azure DNS zones of the
//! visible subscriptions whose fully qualified name is the host name, or a Traffic Manager
//! profile whose DNS name it is (or that such a CNAME points at). Read-only.

use futures::future::join_all;

use super::super::Engine;
use super::super::error::EngineError;
use super::super::inventory;
use crate::azure::models::{RecordSetWire, TmEndpointWire, TmProfileWire};
use crate::domain::cutover::same_host;
use crate::domain::names::SubscriptionId;

/// What serves a host name, as read (with what writing it needs).
#[derive(Debug, Clone)]
pub enum Served {
    /// A CNAME record set, read with its etag.
    Cname {
        /// The zone's name.
        zone: String,
        /// The record set.
        record: RecordSetWire,
    },
    /// An external endpoint of a Traffic Manager profile.
    Endpoint {
        /// The profile.
        profile: TmProfileWire,
        /// The endpoint.
        endpoint: TmEndpointWire,
    },
}

/// The zones and profiles of every visible subscription.
struct Seen {
    subscriptions: usize,
    zones: Vec<(String, String)>,
    profiles: Vec<TmProfileWire>,
}

impl Engine {
    async fn look(&self) -> Result<Seen, EngineError> {
        let client = &self.client;
        let subs = inventory::subscriptions(client)
            .await
            .map_err(EngineError::api("listing subscriptions"))?;
        let ids: Vec<SubscriptionId> = subs
            .iter()
            .filter_map(|s| SubscriptionId::parse(s.id.as_str()).ok())
            .collect();
        let reads = join_all(ids.iter().map(|s| async move {
            let zones = client.dns_zones(s).await;
            let profiles = client.traffic_manager_profiles(s).await;
            (zones, profiles)
        }))
        .await;
        let mut seen = Seen {
            subscriptions: ids.len(),
            zones: Vec::new(),
            profiles: Vec::new(),
        };
        for (zones, profiles) in reads {
            let zones = zones.map_err(EngineError::api("listing Azure DNS zones"))?;
            seen.zones.extend(zones.into_iter().map(|z| (z.id, z.name)));
            seen.profiles
                .extend(profiles.map_err(EngineError::api("listing Traffic Manager profiles"))?);
        }
        Ok(seen)
    }

    /// Finds what serves `hostname`; `endpoint` picks a Traffic Manager endpoint by name when
    /// the profile has more than one external endpoint.
    ///
    /// # Errors
    /// [`EngineError::Refused`] when nothing visible serves it (with where it looked and what
    /// to do), when it is ambiguous, or when the profile's endpoint cannot be chosen;
    /// [`EngineError::Api`] when a list cannot be read.
    pub async fn find_served(
        &self,
        hostname: &str,
        endpoint: Option<&str>,
    ) -> Result<Served, EngineError> {
        let seen = self.look().await?;
        let mut cnames = Vec::new();
        for (id, zone) in &seen.zones {
            let inside = same_host(hostname, zone)
                || hostname
                    .to_ascii_lowercase()
                    .ends_with(&format!(".{}", zone.to_ascii_lowercase()));
            if !inside {
                continue;
            }
            let records = self
                .client
                .cname_records(id)
                .await
                .map_err(EngineError::api("listing CNAME record sets"))?;
            cnames.extend(
                records
                    .into_iter()
                    .filter(|r| {
                        r.properties
                            .fqdn
                            .as_deref()
                            .is_some_and(|f| same_host(f, hostname))
                    })
                    .map(|r| (zone.clone(), r)),
            );
        }
        if cnames.len() > 1 {
            let ids: Vec<&str> = cnames.iter().map(|(_, r)| r.id.as_str()).collect();
            return Err(EngineError::Refused(format!(
                "{hostname} has {} CNAME record sets in the zones you can see: {}; remove the stale one first",
                cnames.len(),
                ids.join(", ")
            )));
        }
        let via = cnames
            .first()
            .and_then(|(_, r)| r.cname())
            .map_or_else(|| hostname.to_owned(), str::to_owned);
        if let Some(profile) = seen.profiles.iter().find(|p| {
            p.properties
                .dns_config
                .fqdn
                .as_deref()
                .is_some_and(|f| same_host(f, &via))
        }) {
            let endpoint = pick_endpoint(profile, endpoint)?;
            return Ok(Served::Endpoint {
                profile: profile.clone(),
                endpoint,
            });
        }
        if let Some((zone, record)) = cnames.pop() {
            return Ok(Served::Cname { zone, record });
        }
        Err(nowhere(hostname, &seen))
    }
}

/// The external endpoint to point: the one named, or the only one.
fn pick_endpoint(
    profile: &TmProfileWire,
    name: Option<&str>,
) -> Result<TmEndpointWire, EngineError> {
    let external: Vec<&TmEndpointWire> = profile
        .properties
        .endpoints
        .iter()
        .filter(|e| e.is_external())
        .collect();
    let names = || {
        external
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (name, external.as_slice()) {
        (Some(n), _) => external
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(n))
            .map(|e| (*e).clone())
            .ok_or_else(|| {
                EngineError::Refused(format!(
                    "Traffic Manager profile {} has no external endpoint '{n}' (it has: {})",
                    profile.name,
                    names()
                ))
            }),
        (None, [one]) => Ok((*one).clone()),
        (None, []) => Err(EngineError::Refused(format!(
            "Traffic Manager profile {} has no external endpoint to point at a host (Azure and nested endpoints follow a resource); change it in the portal",
            profile.name
        ))),
        (None, _) => Err(EngineError::Refused(format!(
            "Traffic Manager profile {} has {} external endpoints ({}); say which one to point with --endpoint NAME",
            profile.name,
            external.len(),
            names()
        ))),
    }
}

/// Nothing visible serves the host name: where it looked, and what to do.
fn nowhere(hostname: &str, seen: &Seen) -> EngineError {
    let zones: Vec<&str> = seen.zones.iter().map(|(_, z)| z.as_str()).collect();
    let looked = if zones.is_empty() {
        "no Azure DNS zone".to_owned()
    } else {
        format!("Azure DNS zones {}", zones.join(", "))
    };
    EngineError::Refused(format!(
        "{hostname} is served by no CNAME record set and no Traffic Manager profile in the {} subscription(s) you can see (looked in {looked} and {} Traffic Manager profile(s)). \
         If its DNS is hosted elsewhere, point it there by hand at the restored gateway; \
         if it is in Azure DNS, check that your credential can read that zone's subscription (Reader on the zone is enough to find it)",
        seen.subscriptions,
        seen.profiles.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::models::TmEndpointProperties;

    fn endpoint(name: &str, kind: &str) -> TmEndpointWire {
        TmEndpointWire {
            id: format!("/p/{kind}/{name}"),
            name: name.into(),
            kind: format!("Microsoft.Network/trafficManagerProfiles/{kind}"),
            properties: TmEndpointProperties::default(),
        }
    }

    fn profile(endpoints: Vec<TmEndpointWire>) -> TmProfileWire {
        let mut p = TmProfileWire {
            name: "tm".into(),
            ..TmProfileWire::default()
        };
        p.properties.endpoints = endpoints;
        p
    }

    fn refusal(r: Result<TmEndpointWire, EngineError>) -> String {
        match r {
            Err(EngineError::Refused(why)) => why,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn the_endpoint_is_the_only_external_one_or_the_one_named() {
        let one = profile(vec![
            endpoint("weu", "externalEndpoints"),
            endpoint("app", "azureEndpoints"),
        ]);
        assert_eq!(pick_endpoint(&one, None).unwrap().name, "weu");
        let two = profile(vec![
            endpoint("weu", "externalEndpoints"),
            endpoint("neu", "externalEndpoints"),
        ]);
        let why = refusal(pick_endpoint(&two, None));
        assert!(
            why.contains("2 external endpoints (weu, neu)") && why.contains("--endpoint NAME"),
            "{why}"
        );
        assert_eq!(pick_endpoint(&two, Some("NEU")).unwrap().name, "neu");
        let why = refusal(pick_endpoint(&two, Some("sea")));
        assert!(
            why.contains("no external endpoint 'sea' (it has: weu, neu)"),
            "{why}"
        );
        let azure = profile(vec![endpoint("app", "azureEndpoints")]);
        assert!(
            refusal(pick_endpoint(&azure, None))
                .contains("Azure and nested endpoints follow a resource")
        );
    }
}
