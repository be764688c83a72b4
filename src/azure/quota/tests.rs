//! Tests of the ARM quota pacer.

use super::*;
use reqwest::header::{HeaderName, HeaderValue};

const SUB: &str = "https://management.azure.com/subscriptions/AbC/resourceGroups/rg?api-version=1";

/// The pacer takes in a reply of `status` to `method url` with these headers.
fn seen(
    pacer: &QuotaPacer,
    method: &Method,
    url: &Url,
    status: u16,
    pairs: &[(&str, &str)],
    hint: Option<Duration>,
) {
    let headers: HeaderMap = pairs
        .iter()
        .map(|(k, v)| {
            (
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            )
        })
        .collect();
    pacer.after_reply(method, url, status, &headers, hint);
}

/// A pacer that has seen one 200 to a read in subscription `AbC`, with these headers.
fn after_a_read(pairs: &[(&str, &str)]) -> (QuotaPacer, Url) {
    let pacer = QuotaPacer::default();
    let url = Url::parse(SUB).unwrap();
    seen(&pacer, &Method::GET, &url, 200, pairs, None);
    (pacer, url)
}

#[test]
fn scopes() {
    let u = |s: &str| Url::parse(s).unwrap();
    assert_eq!(scope_of(&u(SUB)), "abc");
    assert_eq!(scope_of(&u("https://m/subscriptions?api-version=1")), "");
    assert_eq!(scope_of(&u("https://m/providers/x")), "");
}

#[test]
fn nothing_waits_until_a_reply_says_the_quota_is_low() {
    let fresh = QuotaPacer::default();
    assert_eq!(
        fresh.before_send(&Method::GET, &Url::parse(SUB).unwrap()),
        Duration::ZERO
    );
    let (pacer, url) = after_a_read(&[
        ("x-ms-ratelimit-remaining-subscription-reads", "249"),
        ("x-ms-ratelimit-remaining-subscription-global-reads", "3749"),
    ]);
    for _ in 0..100 {
        assert_eq!(pacer.before_send(&Method::GET, &url), Duration::ZERO);
    }
    assert_eq!(pacer.stats(), PacingStats::default());
}

#[test]
fn a_low_quota_spaces_requests_at_the_refill_rate() {
    let (pacer, url) = after_a_read(&[("x-ms-ratelimit-remaining-subscription-reads", "5")]);
    // 5 left of 250: wait until 26 (the low-water mark and one to spend) at 25/s.
    let first = pacer.before_send(&Method::GET, &url);
    assert!(
        first > Duration::from_millis(800) && first <= Duration::from_millis(840),
        "{first:?}"
    );
    // The next one queues 1/25 s behind it.
    let second = pacer.before_send(&Method::GET, &url);
    let gap = second.saturating_sub(first);
    assert!(
        gap >= Duration::from_millis(38) && gap <= Duration::from_millis(42),
        "{gap:?}"
    );
    // Writes and other subscriptions are not held back by low reads.
    assert_eq!(pacer.before_send(&Method::POST, &url), Duration::ZERO);
    let other = Url::parse("https://m/subscriptions/def/x").unwrap();
    assert_eq!(pacer.before_send(&Method::GET, &other), Duration::ZERO);
    let stats = pacer.stats();
    assert_eq!(stats.paced_requests, 2);
    assert_eq!(stats.paced_for, first + second);
}

#[test]
fn global_and_tenant_buckets_count_too() {
    let pacer = QuotaPacer::default();
    let url = Url::parse(SUB).unwrap();
    seen(
        &pacer,
        &Method::POST,
        &url,
        200,
        &[
            ("x-ms-ratelimit-remaining-subscription-writes", "150"),
            ("x-ms-ratelimit-remaining-subscription-global-writes", "10"),
        ],
        None,
    );
    assert!(pacer.before_send(&Method::PUT, &url) > Duration::from_secs(1));
    let tenant = Url::parse("https://m/subscriptions?api-version=1").unwrap();
    seen(
        &pacer,
        &Method::GET,
        &tenant,
        200,
        &[("x-ms-ratelimit-remaining-tenant-reads", "0")],
        None,
    );
    assert!(pacer.before_send(&Method::GET, &tenant) > Duration::from_secs(1));
    assert_eq!(pacer.before_send(&Method::GET, &url), Duration::ZERO);
}

#[test]
fn a_429_holds_its_bucket_for_the_hint() {
    let pacer = QuotaPacer::default();
    let url = Url::parse(SUB).unwrap();
    seen(
        &pacer,
        &Method::GET,
        &url,
        429,
        &[],
        Some(Duration::from_secs(3)),
    );
    let wait = pacer.before_send(&Method::GET, &url);
    assert!(
        wait >= Duration::from_secs(3) && wait <= Duration::from_millis(3100),
        "{wait:?}"
    );
    assert_eq!(pacer.before_send(&Method::POST, &url), Duration::ZERO);
}

#[test]
fn garbage_headers_are_ignored() {
    let (pacer, url) = after_a_read(&[
        ("x-ms-ratelimit-remaining-subscription-reads", "lots"),
        (
            "x-ms-ratelimit-remaining-subscription-resource-requests",
            "1",
        ),
        ("x-ms-ratelimit-remaining-subscription-global-reads", "-1"),
    ]);
    assert_eq!(pacer.before_send(&Method::GET, &url), Duration::ZERO);
}
