//! ARM's request quota as the token buckets Microsoft documents: per caller and subscription,
//! 250 reads refilled at 25 a second and 200 writes or deletes at 10 a second; a global bucket
//! per subscription, shared by every caller, 15 times that. Every authenticated request spends
//! a token from both; the reply says what is left (`x-ms-ratelimit-remaining-subscription-*`
//! and `…-subscription-global-*`); when a bucket is empty the request is refused with 429
//! `SubscriptionRequestsThrottled` and `Retry-After`, and costs nothing.
//!
//! Tenant-level requests (`GET /subscriptions`) report a tenant bucket of the same size
//! (`x-ms-ratelimit-remaining-tenant-*`) and are never refused here: ARM's wording for a
//! throttled tenant is not published. The emulator has one caller, so the global buckets only
//! run low when a `quota-global` fault drains them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::Method;

/// Which bucket a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    Reads,
    Writes,
    Deletes,
}

impl Class {
    /// GET and HEAD read, DELETE deletes, everything else writes (a POST such as `listKeys` or
    /// `backup` is a write).
    pub fn of(method: &Method) -> Self {
        match *method {
            Method::GET | Method::HEAD => Self::Reads,
            Method::DELETE => Self::Deletes,
            _ => Self::Writes,
        }
    }

    /// The word in the header names.
    pub fn word(self) -> &'static str {
        match self {
            Self::Reads => "reads",
            Self::Writes => "writes",
            Self::Deletes => "deletes",
        }
    }
}

/// (size, refill per second).
fn shape(class: Class, global: bool) -> (f64, f64) {
    let (size, rate) = match class {
        Class::Reads => (250.0, 25.0),
        Class::Writes | Class::Deletes => (200.0, 10.0),
    };
    if global {
        (size * 15.0, rate * 15.0)
    } else {
        (size, rate)
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Every bucket touched so far, by (subscription in lower case or "" for the tenant, class,
/// global).
#[derive(Debug, Default)]
pub(crate) struct Quotas {
    buckets: HashMap<(String, Class, bool), Bucket>,
}

impl Quotas {
    /// The bucket, refilled up to `now`.
    fn bucket(&mut self, scope: &str, class: Class, global: bool, now: Instant) -> &mut Bucket {
        let (size, rate) = shape(class, global);
        let bucket = self
            .buckets
            .entry((scope.to_ascii_lowercase(), class, global))
            .or_insert(Bucket {
                tokens: size,
                at: now,
            });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(size);
        bucket.at = now;
        bucket
    }

    /// Spends a token of `class` in `scope` from the caller's and the global bucket. When a
    /// subscription's bucket has less than one, nothing is spent and the wait until it has one
    /// is returned.
    pub fn spend(&mut self, scope: &str, class: Class, now: Instant) -> Result<(), Duration> {
        let mut wait = Duration::ZERO;
        for global in [false, true] {
            let (_, rate) = shape(class, global);
            let tokens = self.bucket(scope, class, global, now).tokens;
            if tokens < 1.0 && !scope.is_empty() {
                let short = Duration::try_from_secs_f64((1.0 - tokens) / rate).unwrap_or_default();
                wait = wait.max(short);
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for global in [false, true] {
            let bucket = self.bucket(scope, class, global, now);
            bucket.tokens = (bucket.tokens - 1.0).max(0.0);
        }
        Ok(())
    }

    /// Whole tokens left as of the bucket's last change (the request's own spending), which
    /// is what a reply reports.
    pub fn remaining(&self, scope: &str, class: Class, global: bool) -> u32 {
        let tokens = self
            .buckets
            .get(&(scope.to_ascii_lowercase(), class, global))
            .map_or_else(|| shape(class, global).0, |b| b.tokens)
            .floor();
        // Between 0 and 3750 by construction.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = tokens.max(0.0) as u32;
        whole
    }

    /// Leaves at most `to` tokens in a bucket (a fault: someone else spent them).
    pub fn drain(&mut self, scope: &str, class: Class, global: bool, to: u32, now: Instant) {
        let bucket = self.bucket(scope, class, global, now);
        bucket.tokens = bucket.tokens.min(f64::from(to));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "3F2C6A4E-8B1D-4C5E-9A7F-1D2E3F4A5B6C";

    fn about(r: Result<(), Duration>, ms: u64) -> bool {
        r.is_err_and(|d| d.abs_diff(Duration::from_millis(ms)) < Duration::from_micros(10))
    }

    #[test]
    fn buckets_spend_refill_and_refuse_when_empty() {
        let mut q = Quotas::default();
        let t0 = Instant::now();
        for _ in 0..250 {
            assert_eq!(q.spend(SUB, Class::Reads, t0), Ok(()));
        }
        assert_eq!(q.remaining(SUB, Class::Reads, false), 0);
        assert_eq!(q.remaining(SUB, Class::Reads, true), 3500);
        // Empty: refused for 1/25 s, and the refusal costs nothing.
        assert!(about(q.spend(&SUB.to_lowercase(), Class::Reads, t0), 40));
        assert_eq!(q.remaining(SUB, Class::Writes, false), 200);
        // A second refills 25.
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(q.spend(SUB, Class::Reads, t1), Ok(()));
        assert_eq!(q.remaining(SUB, Class::Reads, false), 24);
        // Never above the bucket's size.
        let later = t0 + Duration::from_secs(3600);
        assert_eq!(q.spend(SUB, Class::Reads, later), Ok(()));
        assert_eq!(q.remaining(SUB, Class::Reads, false), 249);
    }

    #[test]
    fn drained_buckets_and_the_tenant() {
        let mut q = Quotas::default();
        let t0 = Instant::now();
        q.drain(SUB, Class::Writes, false, 2, t0);
        assert_eq!(q.spend(SUB, Class::Writes, t0), Ok(()));
        assert_eq!(q.spend(SUB, Class::Writes, t0), Ok(()));
        assert_eq!(q.remaining(SUB, Class::Writes, false), 0);
        assert!(about(q.spend(SUB, Class::Writes, t0), 100));
        q.drain(SUB, Class::Reads, true, 0, t0);
        assert!(
            q.spend(SUB, Class::Reads, t0).is_err(),
            "the global bucket counts too"
        );
        q.drain("", Class::Reads, false, 0, t0);
        assert_eq!(
            q.spend("", Class::Reads, t0),
            Ok(()),
            "the tenant is never refused"
        );
        assert_eq!(Class::of(&Method::POST), Class::Writes);
        assert_eq!(Class::of(&Method::HEAD).word(), "reads");
    }
}
