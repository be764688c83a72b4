//! Slowing down before ARM throttles.
//!
//! ARM says on every reply how much of the caller's request quota is left:
//! `x-ms-ratelimit-remaining-subscription-reads` (`-writes`, `-deletes`) for this caller in
//! this subscription, `…-subscription-global-*` for everyone in it, and
//! `x-ms-ratelimit-remaining-tenant-*` for tenant-level calls such as `GET /subscriptions`.
//! ARM's token buckets hold 250 reads (25 more each second) and 200 writes or deletes (10 a
//! second) per caller; the global buckets are 15 times that.
//!
//! [`QuotaPacer`] keeps an estimate of each bucket from those headers and from its own
//! spending. While an estimate is above a tenth of its bucket nothing waits; below it, requests
//! of that kind to that subscription are spaced out at the refill rate, so the caller never
//! runs the bucket dry and meets a 429. A 429's retry hint holds every request of that kind to
//! that subscription until it has passed, not only the one that was refused.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::HeaderMap;
use url::Url;

/// Longest pause the pacer adds before one request.
const MAX_PACE: Duration = Duration::from_secs(60);
/// Below this share of a bucket, requests are paced.
const LOW_WATER: f64 = 0.1;
/// Header names start with this.
const PREFIX: &str = "x-ms-ratelimit-remaining-";

/// Which of ARM's buckets a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Reads,
    Writes,
    Deletes,
}

impl Class {
    fn of(method: &Method) -> Self {
        match *method {
            Method::GET | Method::HEAD => Self::Reads,
            Method::DELETE => Self::Deletes,
            _ => Self::Writes,
        }
    }

    fn parse(word: &str) -> Option<Self> {
        match word {
            "reads" => Some(Self::Reads),
            "writes" => Some(Self::Writes),
            "deletes" => Some(Self::Deletes),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Reads => "reads",
            Self::Writes => "writes",
            Self::Deletes => "deletes",
        }
    }
}

/// One bucket: a subscription (lower case; empty for the tenant), a class, and whether it is
/// the caller's own or the subscription's global one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    scope: String,
    class: Class,
    global: bool,
}

impl Key {
    /// (size, refill per second), as ARM documents them.
    fn bucket(&self) -> (f64, f64) {
        let (size, rate) = match self.class {
            Class::Reads => (250.0, 25.0),
            Class::Writes | Class::Deletes => (200.0, 10.0),
        };
        if self.global {
            (size * 15.0, rate * 15.0)
        } else {
            (size, rate)
        }
    }
}

/// The estimate of one bucket: `tokens` as of `at` (which may lie ahead: tokens already
/// promised to requests that are waiting).
#[derive(Debug, Clone, Copy)]
struct Level {
    tokens: f64,
    at: Instant,
}

impl Level {
    /// Takes one token for a request sent now, waiting first if that would leave less than
    /// the low-water mark. Returns the wait.
    fn reserve(&mut self, key: &Key, now: Instant) -> Duration {
        let (size, rate) = key.bucket();
        let low = size * LOW_WATER;
        let (start, tokens) = if self.at > now {
            (self.at, self.tokens)
        } else {
            let refilled = self.tokens + rate * now.duration_since(self.at).as_secs_f64();
            (now, refilled.min(size))
        };
        let short = (low + 1.0 - tokens).max(0.0);
        let pause = Duration::try_from_secs_f64(short / rate).map_or(MAX_PACE, |d| d.min(MAX_PACE));
        let ready = start + pause;
        self.tokens = tokens + short - 1.0;
        self.at = ready;
        ready.saturating_duration_since(now)
    }
}

/// What the pacer has done so far (shared by every clone of a client).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PacingStats {
    /// Requests held back because a quota ran low (or a 429 asked for a pause).
    pub paced_requests: u64,
    /// Their waits, added up.
    pub paced_for: Duration,
}

/// The buckets seen so far and the pacing done.
#[derive(Debug, Default)]
pub(crate) struct QuotaPacer {
    state: Mutex<(HashMap<Key, Level>, PacingStats)>,
}

/// The subscription a request is scoped to (lower case), or "" for a tenant-level call.
fn scope_of(url: &Url) -> String {
    let mut segs = url.path_segments().into_iter().flatten();
    match (segs.next(), segs.next()) {
        (Some(first), Some(sub))
            if first.eq_ignore_ascii_case("subscriptions") && !sub.is_empty() =>
        {
            sub.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

impl QuotaPacer {
    fn lock(&self) -> std::sync::MutexGuard<'_, (HashMap<Key, Level>, PacingStats)> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How long to hold a request back before sending it; the token it will use is taken.
    pub(crate) fn before_send(&self, method: &Method, url: &Url) -> Duration {
        let (scope, class) = (scope_of(url), Class::of(method));
        let now = Instant::now();
        let mut guard = self.lock();
        let (levels, stats) = &mut *guard;
        let mut wait = Duration::ZERO;
        for global in [false, true] {
            let key = Key {
                scope: scope.clone(),
                class,
                global,
            };
            if let Some(level) = levels.get_mut(&key) {
                wait = wait.max(level.reserve(&key, now));
            }
        }
        if !wait.is_zero() {
            stats.paced_requests += 1;
            stats.paced_for += wait;
            tracing::debug!(
                subscription = %scope,
                class = class.name(),
                wait_ms = wait.as_millis(),
                "ARM quota low: pacing this request"
            );
        }
        wait
    }

    /// Takes in the quota headers of a reply; a 429 with a retry hint holds that bucket until
    /// the hint has passed.
    pub(crate) fn after_reply(
        &self,
        method: &Method,
        url: &Url,
        status: u16,
        headers: &HeaderMap,
        retry_hint: Option<Duration>,
    ) {
        let scope = scope_of(url);
        let now = Instant::now();
        let mut guard = self.lock();
        let levels = &mut guard.0;
        for (name, value) in headers {
            let Some(rest) = name.as_str().strip_prefix(PREFIX) else {
                continue;
            };
            let (key_scope, rest) = if let Some(r) = rest.strip_prefix("subscription-") {
                if scope.is_empty() {
                    continue;
                }
                (scope.clone(), r)
            } else if let Some(r) = rest.strip_prefix("tenant-") {
                (String::new(), r)
            } else {
                continue;
            };
            let (global, word) = match rest.strip_prefix("global-") {
                Some(w) => (true, w),
                None => (false, rest),
            };
            let (Some(class), Some(remaining)) = (
                Class::parse(word),
                value
                    .to_str()
                    .ok()
                    .and_then(|v| v.trim().parse::<u32>().ok()),
            ) else {
                continue;
            };
            let key = Key {
                scope: key_scope,
                class,
                global,
            };
            let (size, _) = key.bucket();
            let remaining = f64::from(remaining);
            let level = levels.entry(key.clone()).or_insert(Level {
                tokens: size,
                at: now,
            });
            let was_low = level.tokens < size * LOW_WATER;
            if level.at > now {
                // Tokens are promised to waiting requests: keep the lower count.
                level.tokens = level.tokens.min(remaining);
            } else {
                *level = Level {
                    tokens: remaining,
                    at: now,
                };
            }
            if remaining < size * LOW_WATER && !was_low {
                tracing::info!(
                    subscription = %key.scope,
                    class = class.name(),
                    global,
                    remaining,
                    "ARM quota running low: spacing out requests until it refills"
                );
            }
        }
        if status == 429
            && let Some(hint) = retry_hint
        {
            let key = Key {
                scope,
                class: Class::of(method),
                global: false,
            };
            let (size, _) = key.bucket();
            let until = now + hint.min(MAX_PACE);
            let level = levels.entry(key).or_insert(Level {
                tokens: 0.0,
                at: now,
            });
            // After the hint the bucket is taken to hold the low-water mark: paced from there.
            level.tokens = size * LOW_WATER;
            level.at = level.at.max(until);
        }
    }

    /// What it has done so far.
    pub(crate) fn stats(&self) -> PacingStats {
        self.lock().1
    }
}

#[cfg(test)]
mod tests;
