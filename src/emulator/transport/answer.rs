//! The emulator's own reply type, [`Answer`], and the wire formats every handler shares: ARM's
//! JSON error envelope, Blob's XML `<Error>`, HTTP and ARM date formats.
//!
//! Handlers build an [`Answer`] (status, headers, whole body) rather than an axum response, so
//! the fault layer can still cut, garble or drop it before it leaves. Nothing here does I/O.

use std::fmt::Write as _;

use axum::body::Body;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const HTTP_DATE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Formats an instant as an RFC 1123 HTTP date (`Mon, 01 Jan 2024 00:00:00 GMT`).
pub(crate) fn http_date(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(HTTP_DATE)
        .unwrap_or_default()
}

/// The HTTP date `secs` seconds after `now`, rounded up to a whole second so that it never
/// names an earlier instant (HTTP dates have no fractions).
pub(crate) fn http_date_after(now: OffsetDateTime, secs: u64) -> String {
    let when = now + time::Duration::seconds(i64::try_from(secs.min(86_400)).unwrap_or(0));
    let when = if when.nanosecond() > 0 {
        when.replace_nanosecond(0).unwrap_or(when) + time::Duration::SECOND
    } else {
        when
    };
    http_date(when)
}

/// How a reply says when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryHint {
    /// `Retry-After` in whole seconds: ARM's and Storage's form.
    Seconds,
    /// `Retry-After` as an HTTP date.
    HttpDate,
    /// `retry-after-ms`, with `Retry-After` in whole seconds beside it.
    RetryAfterMs,
    /// `x-ms-retry-after-ms`, with `Retry-After` in whole seconds beside it.
    XMsRetryAfterMs,
}

/// `d` in whole units of `unit` nanoseconds, rounded up: a hint never names an earlier
/// instant.
fn ceil_units(d: std::time::Duration, unit: u128) -> u64 {
    u64::try_from(d.as_nanos().div_ceil(unit)).unwrap_or(u64::MAX)
}

/// Parses an RFC 1123 HTTP date.
pub(crate) fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(s.trim(), HTTP_DATE)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// Formats an instant the way ARM writes timestamps (`2019-12-18T06:26:20.3348609Z`).
pub(crate) fn arm_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    )
}

/// ARM's error envelope as the emulator writes it: `{"error":{"code":…,"message":…}}`. The
/// emulator's own type, not the client's model, so that a mistake in one is not silently
/// repeated by the other.
#[derive(Serialize)]
struct ArmError<'a> {
    error: ArmErrorBody<'a>,
}

/// The inside of [`ArmError`].
#[derive(Serialize)]
struct ArmErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

/// The emulator's reply to one request, complete in memory until it is sent (named apart from
/// the client's `Reply`, the reply it receives).
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// Headers, without the common ones the pipeline adds (a list keeps the reply small).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The whole body.
    pub body: Bytes,
    /// `Content-Length` to announce when the body is absent (HEAD).
    pub head_length: Option<u64>,
}

impl Answer {
    /// A reply with no body.
    pub fn empty(status: StatusCode) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            head_length: None,
        }
    }

    /// A JSON reply (`application/json; charset=utf-8`).
    pub fn json(status: StatusCode, value: &serde_json::Value) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Self::empty(status)
            .with_body(body)
            .with("content-type", "application/json; charset=utf-8")
    }

    /// ARM's error envelope `{"error":{"code","message"}}`.
    pub fn arm_error(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let error = ArmError {
            error: ArmErrorBody {
                code,
                message: &message,
            },
        };
        let body = serde_json::to_vec(&error).unwrap_or_default();
        Self::empty(status)
            .with_body(body)
            .with("content-type", "application/json; charset=utf-8")
            .with("x-ms-failure-cause", "gateway")
    }

    /// API Management's own error, as the service writes it behind ARM:
    /// `{"error":{"code","message","details":null,"innerError":null}}`, caused by the service.
    pub fn apim_error(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        let body = serde_json::json!({"error": {
            "code": code, "message": message.into(), "details": null, "innerError": null,
        }});
        Self::json(status, &body).with("x-ms-failure-cause", "service")
    }

    /// Blob's XML error: `<Error><Code/><Message/>…</Error>`, plus `x-ms-error-code`.
    /// `extra` holds additional elements (`AuthenticationErrorDetail`, `HeaderName`, …).
    pub fn blob_error(
        status: StatusCode,
        code: &str,
        message: &str,
        request_id: &str,
        now: OffsetDateTime,
        extra: &[(&str, String)],
    ) -> Self {
        let mut xml =
            String::from("\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>");
        xml.push_str(&escape(code));
        xml.push_str("</Code><Message>");
        xml.push_str(&escape(&format!(
            "{message}\nRequestId:{request_id}\nTime:{}",
            arm_time(now)
        )));
        xml.push_str("</Message>");
        for (name, value) in extra {
            let _ = write!(xml, "<{name}>{}</{name}>", escape(value));
        }
        xml.push_str("</Error>");
        Self::empty(status)
            .with_body(xml.into_bytes())
            .with("content-type", "application/xml")
            .with("x-ms-error-code", code)
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets a header; values that are not valid header text are dropped, never sent broken.
    pub fn with(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        self.set(name, value.as_ref());
        self
    }

    /// Says "come back after `wait`" in `form`. The millisecond forms carry `Retry-After` in
    /// whole seconds (rounded up) as well, for clients that read only that header.
    pub fn set_retry_hint(
        &mut self,
        form: RetryHint,
        wait: std::time::Duration,
        now: OffsetDateTime,
    ) {
        let secs = ceil_units(wait, 1_000_000_000);
        let millis = ceil_units(wait, 1_000_000).to_string();
        match form {
            RetryHint::Seconds => {}
            RetryHint::HttpDate => {
                self.set("retry-after", &http_date_after(now, secs));
                return;
            }
            RetryHint::RetryAfterMs => self.set("retry-after-ms", &millis),
            RetryHint::XMsRetryAfterMs => self.set("x-ms-retry-after-ms", &millis),
        }
        self.set("retry-after", &secs.to_string());
    }

    /// Sets a header in place.
    pub fn set(&mut self, name: &str, value: &str) {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.retain(|(k, _)| *k != n);
            self.headers.push((n, v));
        }
    }

    /// Adds a header in place without replacing one of the same name.
    pub fn append(&mut self, name: &str, value: &str) {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.push((n, v));
        }
    }

    /// The value of a header, if set.
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.as_str().eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.to_str().ok())
    }

    /// The headers as a map.
    pub fn header_map(&self) -> HeaderMap {
        let mut map = HeaderMap::with_capacity(self.headers.len());
        for (k, v) in &self.headers {
            map.append(k.clone(), v.clone());
        }
        map
    }

    /// Turns the reply into an axum response. `is_head` drops the body but keeps its length.
    pub fn into_response(self, is_head: bool) -> Response {
        let mut headers = self.header_map();
        let body = if is_head {
            let len = self
                .head_length
                .unwrap_or(self.body.len() as u64)
                .to_string();
            if let Ok(v) = HeaderValue::from_str(&len) {
                headers.insert(header::CONTENT_LENGTH, v);
            }
            Body::empty()
        } else {
            Body::from(self.body)
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response
    }
}

/// Escapes text for XML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters at all; drop them.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_in_both_formats() {
        let t = datetime!(2024-01-01 00:00:00.123_456_789 UTC);
        assert_eq!(http_date(t), "Mon, 01 Jan 2024 00:00:00 GMT");
        assert_eq!(arm_time(t), "2024-01-01T00:00:00.1234567Z");
        assert_eq!(
            parse_http_date("Mon, 01 Jan 2024 00:00:00 GMT"),
            Some(datetime!(2024-01-01 00:00 UTC))
        );
        assert_eq!(parse_http_date("nonsense"), None);
        assert_eq!(http_date_after(t, 1), "Mon, 01 Jan 2024 00:00:02 GMT");
        assert_eq!(
            http_date_after(datetime!(2024-01-01 00:00 UTC), 1),
            "Mon, 01 Jan 2024 00:00:01 GMT"
        );
    }

    #[test]
    fn retry_hints_in_every_form() {
        let now = datetime!(2024-01-01 00:00 UTC);
        let hint = |form, ms| {
            let mut a = Answer::empty(StatusCode::TOO_MANY_REQUESTS);
            a.set_retry_hint(form, std::time::Duration::from_millis(ms), now);
            [
                a.header("retry-after").map(str::to_owned),
                a.header("retry-after-ms").map(str::to_owned),
                a.header("x-ms-retry-after-ms").map(str::to_owned),
            ]
        };
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(hint(RetryHint::Seconds, 1500), [s("2"), None, None]);
        assert_eq!(
            hint(RetryHint::HttpDate, 2000),
            [s("Mon, 01 Jan 2024 00:00:02 GMT"), None, None]
        );
        assert_eq!(hint(RetryHint::RetryAfterMs, 250), [s("1"), s("250"), None]);
        assert_eq!(
            hint(RetryHint::XMsRetryAfterMs, 3000),
            [s("3"), None, s("3000")]
        );
        assert_eq!(hint(RetryHint::Seconds, 0), [s("0"), None, None]);
    }

    #[test]
    fn blob_error_carries_code_header_and_request_id() {
        let r = Answer::blob_error(
            StatusCode::NOT_FOUND,
            "BlobNotFound",
            "The specified blob does not exist.",
            "abc",
            datetime!(2024-01-01 00:00 UTC),
            &[],
        );
        assert_eq!(r.header("x-ms-error-code"), Some("BlobNotFound"));
        let text = String::from_utf8_lossy(&r.body);
        assert!(text.contains("<Code>BlobNotFound</Code>"), "{text}");
        assert!(text.contains("RequestId:abc\nTime:2024-01-01T00:00:00.0000000Z"));
    }

    #[test]
    fn arm_error_is_the_arm_envelope() {
        let r = Answer::arm_error(StatusCode::NOT_FOUND, "ResourceNotFound", "Gone \"x\".");
        assert_eq!(
            r.body,
            Bytes::from_static(br#"{"error":{"code":"ResourceNotFound","message":"Gone \"x\"."}}"#)
        );
        assert_eq!(r.header("x-ms-failure-cause"), Some("gateway"));
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8")
        );
    }

    #[test]
    fn bad_header_values_are_dropped_not_sent() {
        let r = Answer::empty(StatusCode::OK).with("x-ms-meta-a", "line\nbreak");
        assert!(r.header("x-ms-meta-a").is_none());
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
