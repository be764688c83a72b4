//! Starting and stopping the emulator: two loopback listeners (ARM and Blob), a ticker that
//! completes operations even when nobody polls, and the [`EmulatorHandle`] the caller keeps.
//!
//! Each connection is served by hyper's HTTP/1 connection (what `axum::serve` runs inside) in
//! its own task, with a token that lets a scripted `reset` fault drop that connection
//! mid-reply. Every request goes through [`serve_request`]: read the body, advance operations,
//! hand it to the port's handler, add the configured latency, send.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, Uri};
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::fault_reply::deliver;
use super::faults::{FaultSpecError, parse_faults};
use super::request_log::RequestRecord;
use crate::emulator::apim::operations::BackupOrRestore;
use crate::emulator::identity::tokens::IssuedToken;
use crate::emulator::state::{Settings, Shared};
use crate::emulator::world::snapshot::WorldSnapshot;
use crate::emulator::{EmulatorConfig, EmulatorError, arm, blob, gateway, identity};
use crate::secret::Secret;

/// Largest request body read (a Put Blob of a big backup fits; ARM bodies are tiny).
const MAX_BODY: usize = 64 * 1024 * 1024;
/// How often running operations are advanced when nobody asks.
const TICK: Duration = Duration::from_millis(100);

/// Which listener a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Port {
    Arm,
    Blob,
}

/// One request, read completely.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The `x-ms-request-id` of the reply.
    pub request_id: String,
    /// The caller's `x-ms-correlation-request-id`, or a new one when it sent none (as ARM
    /// does).
    pub correlation_id: String,
    /// When it arrived.
    pub now: OffsetDateTime,
    /// Cancelling this drops the connection.
    pub kill: CancellationToken,
}

impl Incoming {
    /// A header as text (lossy), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// The decoded query pairs, in order.
    fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The first value of a query parameter, matched case-insensitively.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// True for GET and HEAD: replying to them changes nothing.
    pub fn is_safe(&self) -> bool {
        self.method == Method::GET || self.method == Method::HEAD
    }
}

/// Starts emulators.
#[derive(Debug)]
pub struct Emulator;

/// A running emulator. Dropping it stops serving; [`EmulatorHandle::shutdown`] also waits.
#[derive(Debug)]
pub struct EmulatorHandle {
    shared: Arc<Shared>,
    arm_url: Url,
    blob_url: Url,
    tasks: Vec<JoinHandle<()>>,
}

impl Emulator {
    /// Binds both ports on 127.0.0.1 and starts serving `config.world`.
    ///
    /// # Errors
    /// [`EmulatorError::Bind`] when a port is taken; [`EmulatorError::Config`] for a speed,
    /// latency or page size out of its range ([`crate::emulator::SPEED`], …).
    pub async fn start(config: EmulatorConfig) -> Result<EmulatorHandle, EmulatorError> {
        check_ranges(&config)?;
        let bind = |port: u16| async move {
            TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
                .await
                .map_err(|source| EmulatorError::Bind { port, source })
        };
        let arm_listener = bind(config.arm_port).await?;
        let blob_listener = bind(config.blob_port).await?;
        let port_of = |l: &TcpListener, asked: u16| {
            l.local_addr()
                .map(|a| a.port())
                .map_err(|source| EmulatorError::Bind {
                    port: asked,
                    source,
                })
        };
        let arm_base = format!(
            "http://127.0.0.1:{}",
            port_of(&arm_listener, config.arm_port)?
        );
        let blob_base = format!(
            "http://127.0.0.1:{}",
            port_of(&blob_listener, config.blob_port)?
        );
        let url = |base: &str| {
            Url::parse(&format!("{base}/")).map_err(|e| EmulatorError::Config(e.to_string()))
        };
        let (arm_url, blob_url) = (url(&arm_base)?, url(&blob_base)?);
        let settings = Settings {
            speed: config.speed,
            latency: config.latency,
            page_size: config.page_size,
            list_page_sizes: config.list_page_sizes,
            blob_page_size: config.blob_page_size,
            lro_headers: config.lro_headers,
            retry_after: config.retry_after,
            backup_creates_container: config.backup_creates_container,
            storage_errors: config.storage_errors,
            workspace_refusal: config.workspace_refusal,
            state_file: config.state_file,
            token_lifetime: config.token_lifetime,
            steady_provisioning: config.steady_provisioning,
            regions_down: config.regions_down,
        };
        let shared = Arc::new(Shared::new(
            settings,
            config.world,
            config.faults,
            arm_base,
            blob_base,
        ));
        shared.persist_now();
        let tasks = vec![
            tokio::spawn(accept_loop(arm_listener, Arc::clone(&shared), Port::Arm)),
            tokio::spawn(accept_loop(blob_listener, Arc::clone(&shared), Port::Blob)),
            tokio::spawn(ticker(Arc::clone(&shared))),
        ];
        Ok(EmulatorHandle {
            shared,
            arm_url,
            blob_url,
            tasks,
        })
    }
}

impl EmulatorHandle {
    /// The ARM base URL, `http://127.0.0.1:PORT/`.
    pub fn arm_endpoint(&self) -> Url {
        self.arm_url.clone()
    }

    /// The Blob base URL, `http://127.0.0.1:PORT/` (accounts are the first path segment).
    pub fn blob_endpoint(&self) -> Url {
        self.blob_url.clone()
    }

    /// The bearer token both ports accept.
    pub fn token(&self) -> Secret {
        self.shared.token.clone()
    }

    /// `IDENTITY_ENDPOINT` for an app that signs in with the emulator's managed identity
    /// (the App Service protocol), on the ARM port.
    pub fn identity_endpoint(&self) -> Url {
        let mut url = self.arm_url.clone();
        url.set_path(identity::MSI_PATH);
        url
    }

    /// `IDENTITY_HEADER` to go with [`Self::identity_endpoint`].
    pub fn identity_header(&self) -> Secret {
        self.shared.identity_header.clone()
    }

    /// The tenant the emulator's Entra endpoint (`{arm}/{tenant}/oauth2/v2.0/token`) issues
    /// tokens in: the world's.
    pub fn tenant_id(&self) -> String {
        self.shared.tenant_id.clone()
    }

    /// Every token the identity endpoints issued (without the tokens), oldest first.
    pub fn issued_tokens(&self) -> Vec<IssuedToken> {
        self.shared.tokens.all()
    }

    /// The world as it is now (operations advanced first).
    pub fn snapshot(&self) -> WorldSnapshot {
        self.shared.snapshot()
    }

    /// Adds fault rules at runtime, after the ones already planned (same grammar as
    /// `--faults`).
    ///
    /// # Errors
    /// [`FaultSpecError`] naming the rule that does not parse; nothing is added then.
    pub fn add_faults(&self, spec: &str) -> Result<(), FaultSpecError> {
        self.shared.add_faults(parse_faults(spec)?);
        Ok(())
    }

    /// Every request answered on either port (the drill endpoint aside), oldest first, up to
    /// the last 10 000: method, path, status, and the correlation and client request ids the
    /// caller sent.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests.all()
    }

    /// How many `backup` or `restore` POSTs arrived for a service (ARM id, any case),
    /// including ones a fault or a validation answered. 0 for anything unknown.
    pub fn post_count(&self, kind: &str, service_id: &str) -> usize {
        let kind = match kind.to_ascii_lowercase().as_str() {
            "backup" => BackupOrRestore::Backup,
            "restore" => BackupOrRestore::Restore,
            _ => return 0,
        };
        let id = service_id.trim_end_matches('/');
        self.shared.read(|live| {
            live.posts
                .iter()
                .filter(|p| p.kind == kind)
                .filter(|p| {
                    live.world
                        .services
                        .get(p.service)
                        .is_some_and(|s| s.id().eq_ignore_ascii_case(id))
                })
                .map(|p| p.count)
                .sum()
        })
    }

    /// Stops serving, drops open connections and waits (briefly) for the tasks to end.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        for task in self.tasks.drain(..) {
            let _ = tokio::time::timeout(Duration::from_secs(2), task).await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.shared.cancel.cancel();
    }
}

async fn ticker(shared: Arc<Shared>) {
    let mut every = tokio::time::interval(TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shared.cancel.cancelled() => return,
            _ = every.tick() => shared.tick(),
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, port: Port) {
    loop {
        let accepted = tokio::select! {
            () = shared.cancel.cancelled() => return,
            r = listener.accept() => r,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tracing::debug!(error = %e, "emulator accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let kill = shared.cancel.child_token();
            let (svc_shared, svc_kill) = (Arc::clone(&shared), kill.clone());
            let service = hyper::service::service_fn(move |req| {
                serve_request(Arc::clone(&svc_shared), port, svc_kill.clone(), req)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                biased;
                () = kill.cancelled() => {}
                _ = conn => {}
            }
        });
    }
}

async fn serve_request(
    shared: Arc<Shared>,
    port: Port,
    kill: CancellationToken,
    req: Request<hyper::body::Incoming>,
) -> Result<Response, Infallible> {
    let (parts, body) = req.into_parts();
    let is_head = parts.method == Method::HEAD;
    let body = axum::body::to_bytes(Body::new(body), MAX_BODY).await;
    let correlation_id = parts
        .headers
        .get("x-ms-correlation-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 256 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let incoming = Incoming {
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body: body.as_ref().map(Clone::clone).unwrap_or_default(),
        request_id: uuid::Uuid::new_v4().to_string(),
        correlation_id,
        now: OffsetDateTime::now_utc(),
        kill,
    };
    shared.tick();
    let (reply, delivery) = match (port, body.is_err()) {
        (Port::Arm, false) if identity::claims(incoming.uri.path()) => (
            identity::handle(&shared, &incoming),
            super::fault_reply::Delivery::default(),
        ),
        (Port::Arm, false) if gateway::claims(incoming.uri.path()) => (
            gateway::handle(&shared, &incoming),
            super::fault_reply::Delivery::default(),
        ),
        (Port::Arm, false) => arm::handle(&shared, &incoming).await,
        (Port::Blob, false) => blob::handle(&shared, &incoming).await,
        (_, true) => (
            super::fault_reply::too_large(port, &incoming),
            super::fault_reply::Delivery::default(),
        ),
    };
    if !incoming.uri.path().starts_with("/_emulator/") {
        shared
            .requests
            .record(port, &incoming, reply.status.as_u16());
    }
    if !shared.settings.latency.is_zero() {
        tokio::select! {
            () = shared.cancel.cancelled() => {}
            () = tokio::time::sleep(shared.settings.latency) => {}
        }
    }
    Ok(deliver(reply, delivery, is_head, incoming.kill.clone(), port).await)
}

/// Speed, latency and page sizes within their ranges ([`crate::emulator::SPEED`], …).
fn check_ranges(config: &EmulatorConfig) -> Result<(), EmulatorError> {
    use crate::emulator::{BLOB_PAGE_SIZE, LATENCY_MS, PAGE_SIZE, SPEED};
    let out_of_range = |what: &str, value: String, min: String, max: String| {
        Err(EmulatorError::Config(format!(
            "{what} must be from {min} to {max}, got {value}"
        )))
    };
    if !SPEED.contains(&config.speed) {
        let (min, max) = (SPEED.start(), SPEED.end());
        return out_of_range(
            "speed",
            config.speed.to_string(),
            min.to_string(),
            max.to_string(),
        );
    }
    let latency_ms = config.latency.as_millis();
    if latency_ms > u128::from(*LATENCY_MS.end()) {
        let (min, max) = (LATENCY_MS.start(), LATENCY_MS.end());
        return out_of_range(
            "latency (ms)",
            latency_ms.to_string(),
            min.to_string(),
            max.to_string(),
        );
    }
    let lists = config.list_page_sizes;
    let list_sizes = [lists.subscriptions, lists.services, lists.storage_accounts]
        .into_iter()
        .flatten()
        .map(|size| ("ARM list page size", size, PAGE_SIZE));
    for (what, size, range) in [
        ("ARM page size", config.page_size, PAGE_SIZE),
        ("Blob page size", config.blob_page_size, BLOB_PAGE_SIZE),
    ]
    .into_iter()
    .chain(list_sizes)
    {
        if !range.contains(&size) {
            let (min, max) = (range.start(), range.end());
            return out_of_range(what, size.to_string(), min.to_string(), max.to_string());
        }
    }
    Ok(())
}
