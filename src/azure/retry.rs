//! The retry policy: which failures are retried, how long to wait, how many times.
//!
//! GETs and polls retry 408, 429, 5xx, dropped connections, timeouts and garbled replies,
//! honouring the reply's retry hint ([`retry_hint`]: `retry-after-ms`, `x-ms-retry-after-ms`,
//! or `Retry-After` in seconds or as an HTTP date) and otherwise backing off exponentially
//! with full jitter. A POST that starts a backup or restore is never re-sent blindly: only a 429
//! (the service said it did not take the request) is retried; everything else goes back to the
//! caller, who decides with the journal in hand.

use std::time::{Duration, SystemTime};

use rand::Rng;

use super::error::{ApiError, ErrorKind};

/// Bounds for retrying one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// First backoff step.
    pub base_delay: Duration,
    /// Longest backoff step.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; longer values are clamped.
    pub max_retry_after: Duration,
    /// Longest time one call may take with all its attempts and waits: after it the call
    /// fails with the last reason, however many attempts are left.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(800),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(300),
            max_total: Duration::from_secs(120),
        }
    }
}

/// Whether a call may be repeated without side effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// GET, HEAD, polls, `listKeys`: always safe to repeat.
    Safe,
    /// A POST that starts an operation: repeat only when the service said it did not take it.
    StartsOperation,
}

impl RetryPolicy {
    /// How long to wait before attempt `attempt + 1` after `error`, or `None` to give up.
    /// `attempt` counts from 1.
    pub fn delay(
        &self,
        attempt: u32,
        error: &ApiError,
        idempotency: Idempotency,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let retryable = match idempotency {
            Idempotency::Safe => error.is_transient(),
            Idempotency::StartsOperation => {
                error.kind == ErrorKind::Http && error.status == Some(429)
            }
        };
        if !retryable {
            return None;
        }
        Some(match error.retry_after {
            Some(d) => d.min(self.max_retry_after),
            None => self.backoff(attempt),
        })
    }

    /// Exponential backoff with full jitter: uniform in `[base, min(max, base·2^(attempt-1))]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let cap = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        if cap <= self.base_delay {
            return cap;
        }
        let ms = rand::rng().random_range(self.base_delay.as_millis()..=cap.as_millis());
        Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
    }
}

/// The headers that carry a retry hint, in the order they are read: the Azure SDKs for JS,
/// .NET, Go and Rust prefer the millisecond forms (Python's `azure-core` alone reads
/// `Retry-After` first; they only disagree when a service sends two different values).
pub const RETRY_HINT_HEADERS: [&str; 3] = ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"];

/// A reply's retry hint: `retry-after-ms`, then `x-ms-retry-after-ms` (whole milliseconds),
/// then `Retry-After` (delta-seconds or an HTTP date, see [`parse_retry_after`]). A header
/// whose value does not parse is passed over for the next one. `header` looks a header up by
/// its lower-case name.
pub fn retry_hint<'a>(
    header: impl Fn(&'static str) -> Option<&'a str>,
    now: SystemTime,
) -> Option<Duration> {
    RETRY_HINT_HEADERS.iter().find_map(|name| {
        let value = header(name)?;
        if *name == "retry-after" {
            parse_retry_after(value, now)
        } else {
            value.trim().parse::<u64>().ok().map(Duration::from_millis)
        }
    })
}

/// Parses a `Retry-After` value: delta-seconds (`"4"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`), relative to `now`. Dates in the past give zero;
/// anything else gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let when = SystemTime::from(when);
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, retry_after: Option<Duration>) -> ApiError {
        ApiError {
            kind: ErrorKind::Http,
            call: String::new(),
            status: Some(status),
            code: "c".into(),
            message: "m".into(),
            request_id: None,
            retry_after,
        }
    }

    #[test]
    fn retry_after_wins_and_is_clamped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(
                1,
                &err(429, Some(Duration::from_secs(4))),
                Idempotency::Safe
            ),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            p.delay(
                1,
                &err(503, Some(Duration::from_secs(9999))),
                Idempotency::Safe
            ),
            Some(Duration::from_secs(300))
        );
    }

    #[test]
    fn gives_up_after_max_attempts_and_on_permanent_errors() {
        let p = RetryPolicy::default();
        assert!(p.delay(6, &err(503, None), Idempotency::Safe).is_none());
        assert!(p.delay(1, &err(400, None), Idempotency::Safe).is_none());
        assert!(p.delay(1, &err(409, None), Idempotency::Safe).is_none());
    }

    #[test]
    fn a_post_is_retried_only_on_429() {
        let p = RetryPolicy::default();
        assert!(
            p.delay(1, &err(429, None), Idempotency::StartsOperation)
                .is_some()
        );
        assert!(
            p.delay(1, &err(503, None), Idempotency::StartsOperation)
                .is_none()
        );
        let dropped = ApiError::local(ErrorKind::Connection, "ConnectionFailed", "reset");
        assert!(p.delay(1, &dropped, Idempotency::StartsOperation).is_none());
        assert!(p.delay(1, &dropped, Idempotency::Safe).is_some());
    }

    #[test]
    fn backoff_grows_within_bounds() {
        let p = RetryPolicy::default();
        for attempt in 1..10 {
            let d = p.backoff(attempt);
            assert!(d >= p.base_delay && d <= p.max_delay, "{attempt}: {d:?}");
        }
        assert_eq!(p.backoff(1), p.base_delay);
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after("4", now), Some(Duration::from_secs(4)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        // 2015-10-21T07:28:00Z is 10 s after `now`.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn retry_hints_prefer_milliseconds_as_the_sdks_do() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        let hint = |pairs: &[(&str, &'static str)]| {
            let pairs = pairs.to_vec();
            retry_hint(
                move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v),
                now,
            )
        };
        let all = [
            ("retry-after", "2"),
            ("x-ms-retry-after-ms", "1500"),
            ("retry-after-ms", "250"),
        ];
        assert_eq!(hint(&all), Some(Duration::from_millis(250)));
        assert_eq!(hint(&all[..2]), Some(Duration::from_millis(1500)));
        assert_eq!(hint(&all[..1]), Some(Duration::from_secs(2)));
        assert_eq!(
            hint(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]),
            Some(Duration::from_secs(10))
        );
        // A value that does not parse gives way to the next header.
        assert_eq!(
            hint(&[("retry-after-ms", "soon"), ("retry-after", "3")]),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            hint(&[("retry-after-ms", "-5"), ("x-ms-retry-after-ms", " 40 ")]),
            Some(Duration::from_millis(40))
        );
        assert_eq!(hint(&[]), None);
    }
}
