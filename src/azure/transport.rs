//! One HTTP exchange: refuse insecure URLs, send, read the whole (capped) body, and turn a
//! failure into an [`ApiError`] that keeps Azure's `code`, `message` and `x-ms-request-id`.
//! No retries and no tokens here (see `client.rs`).

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use super::error::{ApiError, ErrorKind};
use super::models::{BlobError, ErrorResponse};
use super::retry::retry_hint;
use crate::secret::Secret;

/// Largest reply body read (ARM caps responses at 8 MB).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request, ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL.
    pub url: Url,
    /// Plain headers.
    pub headers: Vec<(HeaderName, String)>,
    /// `Authorization` value, kept secret.
    pub authorization: Option<Secret>,
    /// Body bytes, if any.
    pub body: Option<Vec<u8>>,
}

impl Outgoing {
    /// A request without headers or body.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            authorization: None,
            body: None,
        }
    }

    /// `METHOD /path` for error messages: never the query, which could carry a SAS.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.url.path())
    }
}

/// A reply with its body read.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `x-ms-request-id`.
    pub fn request_id(&self) -> Option<String> {
        self.header("x-ms-request-id").map(str::to_owned)
    }

    /// The retry hint: `retry-after-ms`, `x-ms-retry-after-ms`, or `Retry-After` in seconds or
    /// as an HTTP date (see [`retry_hint`]).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_hint(|name| self.header(name), SystemTime::now())
    }

    /// The failure this reply describes, with Azure's words when the body has them:
    /// ARM's JSON envelope, Blob's XML `<Error>`, or Blob's `x-ms-error-code` header (HEAD).
    pub fn to_error(&self, call: &str) -> ApiError {
        let text = String::from_utf8_lossy(&self.body);
        // Azure's XML bodies may start with a byte order mark.
        let text = text.trim_start_matches('\u{feff}');
        let (code, message) = if let Ok(e) = serde_json::from_slice::<ErrorResponse>(&self.body) {
            (e.error.code, e.error.message)
        } else if let Some(e) = quick_xml::de::from_str::<BlobError>(text)
            .ok()
            .filter(|e| !e.code.is_empty())
        {
            (e.code, first_line(&e.message))
        } else {
            let code = self
                .header("x-ms-error-code")
                .map_or_else(|| format!("Http{}", self.status.as_u16()), str::to_owned);
            let reason = self.status.canonical_reason().unwrap_or("error");
            let snippet = first_line(text);
            let message = if snippet.is_empty() {
                format!("{} {reason}", self.status.as_u16())
            } else {
                format!("{} {reason}: {snippet}", self.status.as_u16())
            };
            (code, message)
        };
        ApiError {
            kind: ErrorKind::Http,
            call: call.to_owned(),
            status: Some(self.status.as_u16()),
            code,
            message,
            request_id: self.request_id(),
            retry_after: self.retry_after(),
        }
    }

    /// Parses the body as JSON.
    ///
    /// # Errors
    /// [`ApiError`] of kind `Decode` naming what was expected.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        call: &str,
        what: &str,
    ) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|e| self.malformed(call, what, &e.to_string()))
    }

    /// Parses the body as XML.
    ///
    /// # Errors
    /// [`ApiError`] of kind `Decode` naming what was expected.
    pub fn xml<T: serde::de::DeserializeOwned>(
        &self,
        call: &str,
        what: &str,
    ) -> Result<T, ApiError> {
        let text = std::str::from_utf8(&self.body)
            .map_err(|e| self.malformed(call, what, &e.to_string()))?;
        quick_xml::de::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| self.malformed(call, what, &e.to_string()))
    }

    /// A `Decode` error for this reply.
    pub fn malformed(&self, call: &str, what: &str, detail: &str) -> ApiError {
        ApiError {
            kind: ErrorKind::Decode,
            call: call.to_owned(),
            status: Some(self.status.as_u16()),
            code: "MalformedReply".to_owned(),
            message: format!(
                "the service's reply is not a valid {what}: {}",
                first_line(detail)
            ),
            request_id: self.request_id(),
            retry_after: None,
        }
    }
}

/// The first line of `s`, trimmed and cut to 300 characters.
fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect()
}

/// True for `localhost`, `127.0.0.0/8` and `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Refuses anything but `https://`, or `http://` to a loopback host.
///
/// # Errors
/// [`ApiError`] of kind `Invalid` naming the host.
pub fn check_secure(url: &Url) -> Result<(), ApiError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(ApiError::local(
            ErrorKind::Invalid,
            "InsecureEndpoint",
            format!(
                "refusing plain http:// to {}: only loopback endpoints may use it",
                url.host_str().unwrap_or("?")
            ),
        )),
        other => Err(ApiError::local(
            ErrorKind::Invalid,
            "InvalidEndpoint",
            format!("unsupported URL scheme '{other}'"),
        )),
    }
}

/// True when `a` and `b` have the same scheme, host and port (loopback names count as one).
pub fn same_origin(a: &Url, b: &Url) -> bool {
    let host_eq = a.host_str() == b.host_str() || (is_loopback(a) && is_loopback(b));
    a.scheme() == b.scheme() && host_eq && a.port_or_known_default() == b.port_or_known_default()
}

/// Sends one request and reads the whole reply (any status).
///
/// # Errors
/// `Invalid` for an insecure URL, `Connection` or `Timeout` when no complete reply arrived.
pub async fn exchange(http: &reqwest::Client, out: Outgoing) -> Result<Reply, ApiError> {
    check_secure(&out.url).map_err(|e| e.during(out.describe()))?;
    let call = out.describe();
    let mut req = http.request(out.method, out.url);
    for (name, value) in out.headers {
        let value = HeaderValue::from_str(&value).map_err(|e| {
            ApiError::local(
                ErrorKind::Invalid,
                "InvalidHeader",
                format!("header {name} has characters HTTP cannot carry ({e})"),
            )
            .during(call.clone())
        })?;
        req = req.header(name, value);
    }
    if let Some(auth) = out.authorization {
        let mut value = HeaderValue::from_str(auth.expose()).map_err(|e| {
            ApiError::local(
                ErrorKind::Invalid,
                "InvalidToken",
                format!("the token has characters HTTP cannot carry ({e})"),
            )
            .during(call.clone())
        })?;
        value.set_sensitive(true);
        req = req.header(reqwest::header::AUTHORIZATION, value);
    }
    if let Some(body) = out.body {
        req = req.body(body);
    }
    let resp = req.send().await.map_err(|e| transport_error(&e, &call))?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            let mut err = transport_error(&e, &call);
            err.status = Some(status.as_u16());
            err.message = format!("the reply was cut off: {}", err.message);
            err
        })?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ApiError::local(
                ErrorKind::Decode,
                "ReplyTooLarge",
                format!("the reply is larger than {} MiB", MAX_BODY / 1024 / 1024),
            )
            .during(call));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn transport_error(e: &reqwest::Error, call: &str) -> ApiError {
    let (kind, code) = if e.is_timeout() {
        (ErrorKind::Timeout, "Timeout")
    } else {
        (ErrorKind::Connection, "ConnectionFailed")
    };
    // reqwest's Display can include the URL; describe the cause chain without it.
    let mut message = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        message = s.to_string();
        source = s.source();
    }
    if message.is_empty() {
        message = if e.is_timeout() {
            "no reply in time".to_owned()
        } else {
            "connection failed".to_owned()
        };
    }
    ApiError::local(kind, code, message).during(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn arm_errors_keep_code_message_and_request_id() {
        let r = reply(
            409,
            &[("x-ms-request-id", "rid-1"), ("retry-after", "7")],
            r#"{"error":{"code":"Conflict","message":"Another operation is in progress","details":null}}"#,
        );
        let e = r.to_error("POST /x");
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("Conflict", "Another operation is in progress")
        );
        assert_eq!(e.request_id.as_deref(), Some("rid-1"));
        assert_eq!(e.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(e.status, Some(409));
        let r = reply(
            429,
            &[("retry-after", "1"), ("retry-after-ms", "300")],
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
        );
        assert_eq!(
            r.to_error("GET /x").retry_after,
            Some(Duration::from_millis(300))
        );
    }

    #[test]
    fn blob_errors_from_xml_or_header() {
        let r = reply(
            404,
            &[],
            "<?xml version=\"1.0\"?><Error><Code>ContainerNotFound</Code><Message>The specified container does not exist.\nRequestId:x\nTime:y</Message></Error>",
        );
        let e = r.to_error("GET /c");
        assert_eq!(e.code, "ContainerNotFound");
        assert_eq!(e.message, "The specified container does not exist.");
        let r = reply(404, &[("x-ms-error-code", "BlobNotFound")], "");
        assert_eq!(r.to_error("HEAD /b").code, "BlobNotFound");
        let r = reply(502, &[], "<html>bad gateway</html>");
        let e = r.to_error("GET /");
        assert_eq!(e.code, "Http502");
        assert!(e.message.starts_with("502 Bad Gateway"));
    }

    #[test]
    fn malformed_json_is_a_decode_error() {
        let r = reply(200, &[], "{\"value\": [");
        let e = r
            .json::<serde_json::Value>("GET /s", "subscription list")
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Decode);
        assert!(e.message.contains("subscription list"));
    }

    #[test]
    fn only_loopback_may_use_http() {
        for ok in [
            "https://management.azure.com/",
            "http://127.0.0.1:9/",
            "http://localhost/",
            "http://[::1]:80/",
        ] {
            assert!(check_secure(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        let e = check_secure(&Url::parse("http://example.com/").unwrap()).unwrap_err();
        assert_eq!(e.code, "InsecureEndpoint");
        assert!(check_secure(&Url::parse("ftp://127.0.0.1/").unwrap()).is_err());
    }

    #[test]
    fn origins() {
        let u = |s| Url::parse(s).unwrap();
        assert!(same_origin(
            &u("http://127.0.0.1:80/a"),
            &u("http://localhost/b")
        ));
        assert!(!same_origin(
            &u("http://127.0.0.1:81/a"),
            &u("http://127.0.0.1:80/a")
        ));
        assert!(same_origin(
            &u("https://management.azure.com/x"),
            &u("https://management.azure.com:443/y")
        ));
        assert!(!same_origin(
            &u("https://evil.example/x"),
            &u("https://management.azure.com/")
        ));
    }
}
