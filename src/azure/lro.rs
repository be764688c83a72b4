//! Long-running operations: a 202's `Location` and/or `Azure-AsyncOperation`, polled as a
//! [`Stream`] of [`PollEvent`]s until the operation ends.
//!
//! - `Azure-AsyncOperation` (when present) is an operation-status resource: 200 with a
//!   `status` word; `Succeeded`, `Failed` (with `error`) and `Canceled` are terminal, compared
//!   case-insensitively, anything else is running.
//! - `Location`: 202 means running; 204, or 200/201 whose body is empty or JSON, means done;
//!   a 200/201 whose body does not parse is a garbled reply, read again (never success); any
//!   other 4xx/5xx is the operation's failure in the service's words, except the watcher's
//!   own problems below.
//! - 401/403 on the poll URL, a token that cannot be had, or a poll URL on another origin than
//!   ARM (the token is not sent there) say nothing about the operation: the stream ends with
//!   [`LroEnd::Unwatchable`] and the caller looks for evidence elsewhere.
//! - `Retry-After` (seconds or HTTP date) sets the next wait, clamped to
//!   [`PollOptions::min_interval`, `PollOptions::max_interval`]; without it the default
//!   interval applies.
//! - 429, 5xx, dropped connections, timeouts and garbled replies are transient: reported as
//!   [`PollEvent::Transient`] and retried with backoff, never the end of the watch. After
//!   `max_consecutive_failures` of them, or once they have lasted `dead_url_after`, or when the
//!   status URL stops answering (404/410), the stream ends with [`LroEnd::Unreachable`] and the
//!   caller falls back to the service's state.
//!
//! Sleeps happen inside the stream, so dropping it (or losing a `select!` against a
//! cancellation token) stops the watch at once.

use std::time::Duration;

use futures::Stream;
use reqwest::Method;
use url::Url;

use super::arm::LroHandle;
use super::client::AzureClient;
use super::error::{ApiError, ErrorKind};
use super::models::OperationStatus;
use super::retry::RetryPolicy;
use super::transport::Reply;
use crate::domain::operation::{OperationError, StatusWord};

/// How polling paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Wait between polls when the service sends no `Retry-After`.
    pub default_interval: Duration,
    /// Shortest wait between polls, whatever the service says.
    pub min_interval: Duration,
    /// Longest wait between polls.
    pub max_interval: Duration,
    /// Transient failures in a row before giving up on the status URL.
    pub max_consecutive_failures: u32,
    /// How long transient failures in a row may last before giving up on the status URL
    /// (whichever of this and `max_consecutive_failures` comes first).
    pub dead_url_after: Duration,
    /// Backoff for transient failures without `Retry-After`.
    pub backoff: RetryPolicy,
    /// After a POST that got no usable answer: how long to watch the service for the
    /// operation to show up before saying it most likely never arrived (ARM gives a provider
    /// 60 s to answer).
    pub lost_post_window: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            default_interval: Duration::from_secs(10),
            min_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(600),
            max_consecutive_failures: 30,
            dead_url_after: Duration::from_secs(180),
            backoff: RetryPolicy {
                max_attempts: u32::MAX,
                base_delay: Duration::from_secs(2),
                max_delay: Duration::from_secs(60),
                max_retry_after: Duration::from_secs(600),
                max_total: Duration::MAX,
            },
            lost_post_window: Duration::from_secs(60),
        }
    }
}

/// How a watched operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LroEnd {
    /// The service reported success.
    Succeeded,
    /// The service reported failure, in its own words.
    Failed(OperationError),
    /// The service reported cancellation.
    Canceled,
    /// The status URL stopped answering; the outcome must be read elsewhere.
    Unreachable(ApiError),
    /// The watcher cannot read the status URL (its token or its rights were refused, or the
    /// URL is not on the ARM origin): a problem of the watcher, not of the operation, which
    /// a watch with a working credential can still read.
    Unwatchable(ApiError),
}

/// True when `e` is the watcher's own problem rather than an answer about the operation: a
/// 401 or 403, a token that could not be had, a URL refused locally (another origin).
pub fn is_watcher_problem(e: &ApiError) -> bool {
    matches!(e.kind, ErrorKind::Credential | ErrorKind::Invalid)
        || (e.kind == ErrorKind::Http && matches!(e.status, Some(401 | 403)))
}

/// One step of a watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollEvent {
    /// The operation still runs.
    Running {
        /// Status word, when the service sent one.
        status: Option<String>,
        /// `percentComplete`, when sent.
        percent: Option<u8>,
        /// When the next poll happens.
        next_poll_in: Duration,
    },
    /// A poll failed in a way worth retrying.
    Transient {
        /// What went wrong.
        error: ApiError,
        /// When the next poll happens.
        retry_in: Duration,
        /// Failures in a row so far.
        consecutive: u32,
    },
    /// The operation ended (last event of the stream).
    Finished(LroEnd),
}

struct Poller {
    client: AzureClient,
    location: Option<Url>,
    status_url: Option<Url>,
    wait: Duration,
    failures: u32,
    /// When the current run of transient failures began.
    failing_since: Option<tokio::time::Instant>,
    finished: bool,
}

/// `percentComplete` as a whole percent, 0 to 100.
fn percent_u8(p: f64) -> u8 {
    // Clamped to 0..=100 first, so the cast cannot truncate or lose a sign.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let v = p.clamp(0.0, 100.0).round() as u8;
    v
}

fn parse_url(raw: Option<&str>) -> Option<Url> {
    raw.and_then(|s| Url::parse(s).ok())
}

impl Poller {
    fn clamp(&self, d: Duration) -> Duration {
        let o = self.client.options().poll;
        d.clamp(o.min_interval, o.max_interval)
    }

    fn next_wait(&self, reply: &Reply) -> Duration {
        self.clamp(
            reply
                .retry_after()
                .unwrap_or_else(|| self.client.options().poll.default_interval),
        )
    }

    fn running(&mut self, reply: &Reply, status: Option<String>, percent: Option<u8>) -> PollEvent {
        self.failures = 0;
        self.failing_since = None;
        self.wait = self.next_wait(reply);
        PollEvent::Running {
            status,
            percent,
            next_poll_in: self.wait,
        }
    }

    fn finish(&mut self, end: LroEnd) -> PollEvent {
        self.finished = true;
        PollEvent::Finished(end)
    }

    fn transient(&mut self, error: ApiError) -> PollEvent {
        self.failures += 1;
        let opts = self.client.options().poll;
        let since = *self
            .failing_since
            .get_or_insert_with(tokio::time::Instant::now);
        if self.failures > opts.max_consecutive_failures || since.elapsed() >= opts.dead_url_after {
            return self.finish(LroEnd::Unreachable(error));
        }
        let backoff = opts.backoff.backoff(self.failures);
        self.wait = self.clamp(error.retry_after.unwrap_or(backoff));
        PollEvent::Transient {
            error,
            retry_in: self.wait,
            consecutive: self.failures,
        }
    }

    async fn step(&mut self) -> PollEvent {
        tokio::time::sleep(self.wait).await;
        if let Some(url) = self.status_url.clone() {
            return self.poll_status(&url).await;
        }
        match self.location.clone() {
            Some(url) => self.poll_location(&url).await,
            None => self.finish(LroEnd::Unreachable(ApiError::local(
                ErrorKind::Decode,
                "NoOperationUrl",
                "the service accepted the operation but gave no Location or Azure-AsyncOperation to watch",
            ))),
        }
    }

    async fn poll_status(&mut self, url: &Url) -> PollEvent {
        let call = format!("GET {}", url.path());
        match self.client.arm_once(&Method::GET, url, None).await {
            Ok(reply) if reply.status.as_u16() == 202 && reply.body.is_empty() => {
                self.running(&reply, None, None)
            }
            Ok(reply) => match reply.json::<OperationStatus>(&call, "operation status") {
                Err(e) => self.transient(e),
                Ok(s) => {
                    let percent = s.percent_complete.filter(|p| p.is_finite()).map(percent_u8);
                    match StatusWord::parse(&s.status) {
                        StatusWord::Running => self.running(&reply, Some(s.status), percent),
                        StatusWord::Succeeded => self.finish(LroEnd::Succeeded),
                        StatusWord::Canceled => self.finish(LroEnd::Canceled),
                        StatusWord::Failed => {
                            let body = s.error.unwrap_or_default();
                            self.finish(LroEnd::Failed(OperationError {
                                // The status read itself succeeded (200); the failure has no HTTP status of its own.
                                status: None,
                                code: if body.code.is_empty() {
                                    "Failed".to_owned()
                                } else {
                                    body.code
                                },
                                message: if body.message.is_empty() {
                                    "the operation failed without a message".to_owned()
                                } else {
                                    body.message
                                },
                                request_id: reply.request_id(),
                            }))
                        }
                    }
                }
            },
            Err(e) if e.is_transient() => self.transient(e),
            Err(e) => {
                // The status read failed, not the operation: follow Location if there is one.
                if self.location.is_some() {
                    tracing::warn!(error = %e, "operation status URL failed; following Location instead");
                    self.status_url = None;
                    self.transient(e)
                } else if is_watcher_problem(&e) {
                    self.finish(LroEnd::Unwatchable(e))
                } else {
                    self.finish(LroEnd::Unreachable(e))
                }
            }
        }
    }

    async fn poll_location(&mut self, url: &Url) -> PollEvent {
        let call = format!("GET {}", url.path());
        match self.client.arm_once(&Method::GET, url, None).await {
            Ok(reply) if reply.status.as_u16() == 202 => {
                if let Some(next) = reply
                    .header("location")
                    .and_then(|l| url.join(l.trim()).ok())
                {
                    self.location = Some(next);
                }
                self.running(&reply, None, None)
            }
            // A final 200/201 carries the resource (APIM: the service) or nothing; a body that
            // does not parse is a garbled reply, not a verdict: read it again.
            Ok(reply) if !reply.body.is_empty() && reply.status.as_u16() != 204 => {
                match reply.json::<serde_json::Value>(&call, "operation result") {
                    Ok(_) => self.finish(LroEnd::Succeeded),
                    Err(e) => self.transient(e),
                }
            }
            Ok(_) => self.finish(LroEnd::Succeeded),
            Err(e) if e.is_transient() => self.transient(e),
            Err(e) if is_watcher_problem(&e) => self.finish(LroEnd::Unwatchable(e)),
            Err(e) if matches!(e.status, Some(404 | 410)) && e.kind == ErrorKind::Http => {
                self.finish(LroEnd::Unreachable(e))
            }
            Err(e) => self.finish(LroEnd::Failed(e.into())),
        }
    }
}

/// Watches an accepted operation. The first poll happens after the 202's `Retry-After` (or
/// the default interval); the stream ends after its [`PollEvent::Finished`].
pub fn poll(
    client: &AzureClient,
    handle: &LroHandle,
) -> impl Stream<Item = PollEvent> + Send + 'static {
    let mut poller = Poller {
        client: client.clone(),
        location: parse_url(handle.location.as_deref()),
        status_url: parse_url(handle.async_operation.as_deref()),
        wait: Duration::ZERO,
        failures: 0,
        failing_since: None,
        finished: false,
    };
    poller.wait = poller.clamp(
        handle
            .retry_after()
            .unwrap_or_else(|| client.options().poll.default_interval),
    );
    futures::stream::unfold(poller, |mut p| async move {
        if p.finished {
            return None;
        }
        let event = p.step().await;
        Some((event, p))
    })
}
