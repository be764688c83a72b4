//! How many requests are in flight at once: one budget for the whole client and a smaller one
//! per host, so a walk over a large estate overlaps every independent call without flooding
//! one endpoint.
//!
//! A permit is held for one exchange only (sending and reading the reply), never while a retry
//! or the ARM quota pacer waits: a subscription that is backing off holds no slot another
//! subscription could use. The host's permit is taken before the global one, so requests
//! queued for a busy host do not keep other hosts waiting.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// Default requests in flight at once, over every host.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;
/// Default requests in flight at once to one host (scheme, host and port).
pub const DEFAULT_MAX_IN_FLIGHT_PER_HOST: usize = 16;

/// The two budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlightLimits {
    /// Requests in flight at once, over every host (at least 1).
    pub total: usize,
    /// Requests in flight at once to one host (at least 1).
    pub per_host: usize,
}

impl Default for InFlightLimits {
    fn default() -> Self {
        Self {
            total: DEFAULT_MAX_IN_FLIGHT,
            per_host: DEFAULT_MAX_IN_FLIGHT_PER_HOST,
        }
    }
}

/// What the limiter has seen, over every clone of a client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InFlightStats {
    /// Requests sent (each attempt counts).
    pub requests: u64,
    /// Requests in flight now.
    pub in_flight: usize,
    /// The most ever in flight at once.
    pub peak: usize,
}

/// The budgets and the counters.
#[derive(Debug)]
pub(crate) struct InFlight {
    limits: InFlightLimits,
    total: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    requests: AtomicU64,
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// One request's place in the budgets; dropping it frees them.
#[derive(Debug)]
pub(crate) struct Slot<'a> {
    _host: Option<OwnedSemaphorePermit>,
    _total: Option<OwnedSemaphorePermit>,
    owner: &'a InFlight,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.owner.now.fetch_sub(1, Ordering::AcqRel);
    }
}

impl InFlight {
    pub(crate) fn new(limits: InFlightLimits) -> Self {
        let limits = InFlightLimits {
            total: limits.total.max(1),
            per_host: limits.per_host.max(1),
        };
        Self {
            limits,
            total: Arc::new(Semaphore::new(limits.total)),
            hosts: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            now: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    fn host(&self, url: &Url) -> Arc<Semaphore> {
        let key = url.origin().ascii_serialization();
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            hosts
                .entry(key)
                .or_insert_with(|| Arc::new(Semaphore::new(self.limits.per_host))),
        )
    }

    /// Waits for a place in `url`'s host budget, then in the global one.
    pub(crate) async fn enter(&self, url: &Url) -> Slot<'_> {
        // The semaphores are never closed; if one were, it would only mean no limit, never a
        // lost request.
        let host = self.host(url).acquire_owned().await.ok();
        let total = Arc::clone(&self.total).acquire_owned().await.ok();
        self.requests.fetch_add(1, Ordering::Relaxed);
        let now = self.now.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(now, Ordering::AcqRel);
        Slot {
            _host: host,
            _total: total,
            owner: self,
        }
    }

    pub(crate) fn stats(&self) -> InFlightStats {
        InFlightStats {
            requests: self.requests.load(Ordering::Relaxed),
            in_flight: self.now.load(Ordering::Acquire),
            peak: self.peak.load(Ordering::Acquire),
        }
    }

    pub(crate) fn limits(&self) -> InFlightLimits {
        self.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn budgets_bound_what_is_in_flight() {
        let limiter = Arc::new(InFlight::new(InFlightLimits {
            total: 3,
            per_host: 2,
        }));
        let a = Url::parse("https://a.example/x").unwrap();
        let b = Url::parse("https://b.example/y").unwrap();
        let mut tasks = Vec::new();
        for i in 0..20 {
            let (limiter, url) = (
                Arc::clone(&limiter),
                if i % 2 == 0 { a.clone() } else { b.clone() },
            );
            tasks.push(tokio::spawn(async move {
                let _slot = limiter.enter(&url).await;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let s = limiter.stats();
        assert_eq!(s.requests, 20);
        assert_eq!(s.in_flight, 0);
        assert!(s.peak <= 3 && s.peak >= 2, "{s:?}");
    }

    #[tokio::test]
    async fn one_host_cannot_take_the_whole_budget() {
        let limiter = InFlight::new(InFlightLimits {
            total: 4,
            per_host: 2,
        });
        let a = Url::parse("https://a.example/").unwrap();
        let b = Url::parse("https://b.example/").unwrap();
        let _a1 = limiter.enter(&a).await;
        let _a2 = limiter.enter(&a).await;
        // A third request to `a` waits; one to `b` goes at once.
        let third = tokio::time::timeout(std::time::Duration::from_millis(50), limiter.enter(&a));
        assert!(third.await.is_err());
        let _b1 = limiter.enter(&b).await;
        assert_eq!(limiter.stats().in_flight, 3);
    }
}
