//! [`AzureClient`]: endpoints, the HTTP client, tokens and the retry loop every call goes
//! through. ARM operations are in `arm.rs`, Blob operations in `blob.rs`, polling in `lro.rs`.
//!
//! Every request carries `x-ms-correlation-request-id`, one value per walk (a backup, a restore,
//! a listing): a client is one walk; [`AzureClient::new_walk`] starts the next one and
//! [`AzureClient::with_correlation`] continues a journaled one. `x-ms-client-request-id` is new
//! on every request. ARM calls are paced by the quota ARM reports (`quota.rs`).
//!
//! The network seam is the base URL: point `arm_endpoint` at `https://management.azure.com` or
//! at the emulator's `http://127.0.0.1:PORT` and the same code runs. Blob endpoints are data
//! (each storage account's `primaryEndpoints.blob`), not configuration.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName};
use url::Url;

use super::auth::{Audience, TokenSource};
use super::error::{ApiError, ErrorKind};
use super::in_flight::{InFlight, InFlightLimits, InFlightStats};
use super::lro::PollOptions;
use super::quota::{PacingStats, QuotaPacer};
use super::retry::{Idempotency, RetryPolicy};
use super::transport::{Outgoing, Reply, check_secure, exchange, same_origin};
use crate::domain::progress::CorrelationId;
use crate::secret::Secret;

/// APIM api-version used by default: the newest GA.
pub const APIM_API_VERSION: &str = "2024-05-01";
/// APIM api-version used when a service refuses the default.
pub const APIM_FALLBACK_API_VERSION: &str = "2022-08-01";

/// Everything that shapes how the client talks to Azure.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// ARM base URL (`https://management.azure.com` or the emulator).
    pub arm_endpoint: Url,
    /// Longest wait for one complete reply.
    pub request_timeout: Duration,
    /// Retry bounds for GETs and polls.
    pub retry: RetryPolicy,
    /// Long-running-operation polling.
    pub poll: PollOptions,
    /// APIM api-version.
    pub api_version: String,
    /// APIM api-version tried when the service rejects `api_version`.
    pub fallback_api_version: String,
    /// `maxresults` asked of Blob listings (servers may return fewer).
    pub blob_page_size: u32,
    /// Requests in flight at once: over every host, and to one host.
    pub in_flight: InFlightLimits,
}

impl ClientOptions {
    /// Defaults for `arm_endpoint`.
    pub fn new(arm_endpoint: Url) -> Self {
        Self {
            arm_endpoint,
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            poll: PollOptions::default(),
            api_version: APIM_API_VERSION.to_owned(),
            fallback_api_version: APIM_FALLBACK_API_VERSION.to_owned(),
            blob_page_size: 5000,
            in_flight: InFlightLimits::default(),
        }
    }
}

struct Inner {
    http: reqwest::Client,
    tokens: TokenSource,
    options: ClientOptions,
    pacer: QuotaPacer,
    in_flight: InFlight,
}

/// The Azure client. Cheap to clone; clones share the connection pool, the token cache and the
/// ARM quota estimate, and send the same correlation id.
#[derive(Clone)]
pub struct AzureClient {
    inner: Arc<Inner>,
    correlation: CorrelationId,
    waits: Option<WaitListener>,
}

/// Told of every wait longer than [`LONG_WAIT`] inside a call (a retry hint, a backoff, ARM
/// quota pacing), with a line that says what, why and until when.
pub type WaitListener = Arc<dyn Fn(&str) + Send + Sync>;

/// Waits longer than this are said, never silent.
pub const LONG_WAIT: Duration = Duration::from_secs(10);

impl std::fmt::Debug for AzureClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AzureClient")
            .field("arm_endpoint", &self.inner.options.arm_endpoint.as_str())
            .field("tokens", &self.inner.tokens)
            .field("correlation", &self.correlation.0)
            .finish_non_exhaustive()
    }
}

fn fresh_correlation() -> CorrelationId {
    CorrelationId(uuid::Uuid::new_v4().to_string())
}

impl AzureClient {
    /// Builds a client.
    ///
    /// # Errors
    /// `Invalid` when the ARM endpoint is plain `http://` to a non-loopback host, or the TLS
    /// stack cannot start.
    pub fn new(options: ClientOptions, tokens: TokenSource) -> Result<Self, ApiError> {
        check_secure(&options.arm_endpoint)?;
        let http = reqwest::Client::builder()
            .timeout(options.request_timeout)
            .connect_timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("apim-dr/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::local(ErrorKind::Invalid, "HttpClient", e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                tokens,
                in_flight: InFlight::new(options.in_flight),
                options,
                pacer: QuotaPacer::default(),
            }),
            correlation: fresh_correlation(),
            waits: None,
        })
    }

    /// The same client telling `listener` of every wait over [`LONG_WAIT`].
    #[must_use]
    pub fn with_wait_listener(&self, listener: WaitListener) -> Self {
        let mut c = self.clone();
        c.waits = Some(listener);
        c
    }

    /// Sleeps `wait`, saying so first when it is long.
    async fn pause(&self, wait: Duration, what: &str, why: &str) {
        if wait > LONG_WAIT {
            let line = crate::domain::progress::wait_note(
                what,
                why,
                wait,
                time::OffsetDateTime::now_utc(),
            );
            tracing::info!("{line}");
            if let Some(listener) = &self.waits {
                listener(&line);
            }
        }
        tokio::time::sleep(wait).await;
    }

    /// The same client for a new walk (a listing, a backup, a restore): a fresh correlation id.
    #[must_use]
    pub fn new_walk(&self) -> Self {
        self.with_correlation(fresh_correlation())
    }

    /// The same client sending `id` as `x-ms-correlation-request-id` (a resumed operation).
    #[must_use]
    pub fn with_correlation(&self, id: CorrelationId) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            correlation: id,
            waits: self.waits.clone(),
        }
    }

    /// The `x-ms-correlation-request-id` this client sends.
    pub fn correlation_id(&self) -> &CorrelationId {
        &self.correlation
    }

    /// How often ARM calls were held back to stay inside ARM's quota, over every clone.
    pub fn pacing(&self) -> PacingStats {
        self.inner.pacer.stats()
    }

    /// Requests sent, in flight now and the most ever in flight at once, over every clone.
    pub fn in_flight(&self) -> InFlightStats {
        self.inner.in_flight.stats()
    }

    /// The in-flight budgets this client keeps to (as given, at least 1 each).
    pub fn in_flight_limits(&self) -> InFlightLimits {
        self.inner.in_flight.limits()
    }

    /// One exchange inside the in-flight budgets: the slot is held while the request is sent
    /// and its reply read, and freed before any retry or pacing wait.
    pub(crate) async fn send(&self, out: Outgoing) -> Result<Reply, ApiError> {
        let _slot = self.inner.in_flight.enter(&out.url).await;
        exchange(&self.inner.http, out).await
    }

    /// The two id headers every request carries: the walk's correlation id and a new client
    /// request id.
    pub(crate) fn id_headers(&self) -> [(&'static str, String); 2] {
        [
            ("x-ms-correlation-request-id", self.correlation.0.clone()),
            ("x-ms-client-request-id", uuid::Uuid::new_v4().to_string()),
        ]
    }

    /// The options this client was built with.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The token source (the CLI's `doctor` asks it directly).
    pub fn tokens(&self) -> &TokenSource {
        &self.inner.tokens
    }

    /// `{arm_endpoint}{path}?api-version={version}`.
    ///
    /// # Errors
    /// `Invalid` when `path` does not make a URL.
    pub fn arm_url(&self, path: &str, api_version: &str) -> Result<Url, ApiError> {
        let mut url = self.inner.options.arm_endpoint.join(path).map_err(|e| {
            ApiError::local(ErrorKind::Invalid, "InvalidUrl", format!("{path}: {e}"))
        })?;
        url.query_pairs_mut()
            .append_pair("api-version", api_version);
        Ok(url)
    }

    /// One ARM exchange with a bearer token; a 401 drops the cached token and sends once more
    /// (a 401 means the request was not executed). Error statuses become `Err`.
    ///
    /// # Errors
    /// [`ApiError`] for refused URLs, transport failures and error statuses.
    pub(crate) async fn arm_once(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<Reply, ApiError> {
        Box::pin(self.arm_once_with(method, url, body, &[])).await
    }

    /// [`Self::arm_once`] with extra request headers (`If-Match`).
    ///
    /// # Errors
    /// As [`Self::arm_once`].
    pub(crate) async fn arm_once_with(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
        extra: &[(HeaderName, String)],
    ) -> Result<Reply, ApiError> {
        let call = format!("{method} {}", url.path());
        if !same_origin(url, &self.inner.options.arm_endpoint) {
            return Err(ApiError::local(
                ErrorKind::Invalid,
                "UntrustedEndpoint",
                format!(
                    "the service pointed to {}, which is not the ARM endpoint: the token is not sent there",
                    url.origin().ascii_serialization()
                ),
            )
            .during(call));
        }
        let mut refreshed = false;
        loop {
            let token = self
                .inner
                .tokens
                .token(Audience::Arm)
                .await
                .map_err(|e| e.during(call.clone()))?;
            let mut out = Outgoing::new(method.clone(), url.clone());
            out.authorization = Some(Secret::new(format!("Bearer {}", token.expose())));
            out.headers.push((ACCEPT, "application/json".to_owned()));
            out.headers.extend(extra.iter().cloned());
            let ids = self.id_headers();
            let client_request_id = ids[1].1.clone();
            for (name, value) in ids {
                out.headers.push((HeaderName::from_static(name), value));
            }
            if let Some(b) = body {
                out.headers
                    .push((CONTENT_TYPE, "application/json".to_owned()));
                out.body = Some(b.to_vec());
            } else if *method == Method::POST {
                out.headers
                    .push((reqwest::header::CONTENT_LENGTH, "0".to_owned()));
            }
            let pause = self.inner.pacer.before_send(method, url);
            if !pause.is_zero() {
                self.pause(
                    pause,
                    &call,
                    "holding back to stay inside ARM's request quota",
                )
                .await;
            }
            let reply = self.send(out).await?;
            tracing::debug!(
                call = %call,
                status = reply.status.as_u16(),
                request_id = reply.header("x-ms-request-id").unwrap_or("-"),
                client_request_id = %client_request_id,
                correlation_id = %self.correlation,
                "ARM reply"
            );
            self.inner.pacer.after_reply(
                method,
                url,
                reply.status.as_u16(),
                &reply.headers,
                reply.retry_after(),
            );
            if reply.status.as_u16() == 401 && !refreshed {
                tracing::info!(call = %call, "401 from ARM: refreshing the token and sending once more");
                self.inner.tokens.invalidate(Audience::Arm).await;
                refreshed = true;
                continue;
            }
            if reply.status.is_client_error() || reply.status.is_server_error() {
                return Err(reply.to_error(&call));
            }
            return Ok(reply);
        }
    }

    /// An ARM call under the retry policy.
    ///
    /// # Errors
    /// The last [`ApiError`] once retries are spent or the error is not retryable.
    pub(crate) async fn arm_call(
        &self,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        idempotency: Idempotency,
    ) -> Result<Reply, ApiError> {
        self.retrying(idempotency, || self.arm_once(&method, url, body))
            .await
    }

    /// A safe ARM call whose JSON reply is parsed inside the retry loop, so a garbled or
    /// truncated reply is retried like a dropped connection.
    ///
    /// # Errors
    /// The last [`ApiError`] once retries are spent or the error is not retryable.
    pub(crate) async fn arm_json<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        url: &Url,
        what: &str,
    ) -> Result<T, ApiError> {
        let call = format!("{method} {}", url.path());
        self.retrying(Idempotency::Safe, || async {
            self.arm_once(&method, url, None).await?.json(&call, what)
        })
        .await
    }

    /// Runs `attempt` until it succeeds or the policy gives up, sleeping as it says.
    ///
    /// # Errors
    /// The last [`ApiError`].
    pub(crate) async fn retrying<T, F, Fut>(
        &self,
        idempotency: Idempotency,
        mut attempt: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let policy = self.inner.options.retry;
        let started = tokio::time::Instant::now();
        let deadline = started.checked_add(policy.max_total);
        let gave_up = |e: ApiError, n: u32| {
            let mut e = e;
            e.message = format!(
                "{} (gave up after {n} attempt(s) in {}: one call is retried for at most {})",
                e.message,
                crate::domain::duration::short_std(started.elapsed()),
                crate::domain::duration::short_std(policy.max_total)
            );
            e
        };
        let mut n = 1;
        loop {
            let result = match deadline {
                Some(d) => {
                    let Ok(r) = tokio::time::timeout_at(d, attempt()).await else {
                        let e = ApiError::local(
                            ErrorKind::Timeout,
                            "RetryBudgetSpent",
                            "no complete answer in the time one call may take",
                        );
                        return Err(gave_up(e, n));
                    };
                    r
                }
                None => attempt().await,
            };
            match result {
                Ok(r) => return Ok(r),
                Err(e) => match policy.delay(n, &e, idempotency) {
                    Some(wait)
                        if deadline.is_none_or(|d| tokio::time::Instant::now() + wait < d) =>
                    {
                        tracing::warn!(error = %e, attempt = n, wait_ms = wait.as_millis(), "retrying");
                        self.pause(
                            wait,
                            &e.call,
                            &format!("retrying after {}", e.transient_label()),
                        )
                        .await;
                        n += 1;
                    }
                    Some(_) => return Err(gave_up(e, n)),
                    None => return Err(e),
                },
            }
        }
    }
}
