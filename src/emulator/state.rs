//! The emulator's shared state: the live world, the operations, the POST counters, the fault
//! plan, the ARM quota buckets, the request log and the tokens issued, behind one lock each,
//! plus the settings every handler reads.
//!
//! Handlers lock, do their work synchronously and unlock before replying; nothing awaits
//! while holding a lock. After every change the world is written to the state file, when one
//! is configured (tmp file + rename, newest generation only).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::http::Method;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use super::activity::ActivityEvent;
use super::apim::create::Creation;
use super::apim::operations::{BackupOrRestore, Operation};
use super::arm::quota::{Class, Quotas};
use super::arm::route::Route;
use super::identity::tokens::Tokens;
use super::transport::answer::Answer;
use super::transport::faults::{FaultKind, FaultPlan, FaultTarget};
use super::transport::request_log::RequestLog;
use super::world::World;
use super::world::snapshot::{self, WorldSnapshot};
use super::{ListPageSizes, LroHeaders, RetryAfterMode, StorageErrors, WorkspaceRefusal};
use crate::secret::Secret;

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub speed: f64,
    pub latency: Duration,
    pub page_size: usize,
    pub list_page_sizes: ListPageSizes,
    pub blob_page_size: usize,
    pub lro_headers: LroHeaders,
    pub retry_after: RetryAfterMode,
    pub backup_creates_container: bool,
    pub storage_errors: StorageErrors,
    pub workspace_refusal: WorkspaceRefusal,
    pub state_file: Option<PathBuf>,
    pub token_lifetime: Duration,
    /// Services keep `provisioningState: Succeeded` while a backup or restore runs.
    pub steady_provisioning: bool,
    /// Regions whose gateways are down (a regional outage drill).
    pub regions_down: Vec<String>,
}

impl Settings {
    /// How long an operation of this kind runs, in wall time.
    pub fn duration(&self, kind: BackupOrRestore) -> Duration {
        kind.azure_duration().div_f64(self.speed)
    }

    /// Items per page of the ARM list at `route`.
    pub fn page_size_of(&self, route: &Route) -> usize {
        let special = match route {
            Route::Subscriptions => self.list_page_sizes.subscriptions,
            Route::Services { .. } => self.list_page_sizes.services,
            Route::StorageAccounts { .. } => self.list_page_sizes.storage_accounts,
            _ => None,
        };
        special.unwrap_or(self.page_size).max(1)
    }

    /// The poll interval a running operation asks for: 10 s of Azure time (written in whole
    /// seconds, rounded up, by the seconds forms).
    pub fn retry_after_wait(&self) -> Duration {
        // speed is at least 1e-3 (checked at start), so this is at most 10 000 s.
        Duration::try_from_secs_f64(10.0 / self.speed).unwrap_or(Duration::from_secs(10))
    }
}

/// POSTs of one kind for one service.
#[derive(Debug, Clone)]
pub(crate) struct PostCounter {
    pub kind: BackupOrRestore,
    pub service: usize,
    pub count: usize,
    pub accepted: usize,
}

/// Everything that changes while the emulator runs: the world, the operations, the Activity
/// Log they wrote and the POST counters.
#[derive(Debug)]
pub(crate) struct LiveState {
    pub world: World,
    pub ops: Vec<Operation>,
    pub activity: Vec<ActivityEvent>,
    pub posts: Vec<PostCounter>,
    /// Copied from [`Settings::steady_provisioning`].
    pub steady_provisioning: bool,
    /// Services being created (`apim/create.rs`).
    pub creations: Vec<Creation>,
    generation: u64,
}

impl LiveState {
    /// Counts a POST received for a service (`accepted == false`), or records the 202 of a
    /// POST already counted (`accepted == true`).
    pub fn count_post(&mut self, kind: BackupOrRestore, service: usize, accepted: bool) {
        let entry = if let Some(p) = self
            .posts
            .iter_mut()
            .find(|p| p.kind == kind && p.service == service)
        {
            p
        } else {
            self.posts.push(PostCounter {
                kind,
                service,
                count: 0,
                accepted: 0,
            });
            let last = self.posts.len() - 1;
            &mut self.posts[last]
        };
        if accepted {
            entry.accepted += 1;
        } else {
            entry.count += 1;
        }
    }
}

/// Shared by both listeners, the ticker and the handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub settings: Settings,
    pub token: Secret,
    /// `IDENTITY_HEADER`: what the managed-identity endpoint wants in `X-IDENTITY-HEADER`.
    pub identity_header: Secret,
    /// Tokens the identity endpoints issued.
    pub tokens: Tokens,
    pub tenant_id: String,
    pub arm_base: String,
    pub blob_base: String,
    pub cancel: CancellationToken,
    live: Mutex<LiveState>,
    faults: Mutex<FaultPlan>,
    written: Mutex<u64>,
    quotas: Mutex<Quotas>,
    pub requests: RequestLog,
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler never panics while holding the lock, but if one did, the data is still the
    // best we have: keep serving it.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Builds the shared state.
    pub fn new(
        settings: Settings,
        world: World,
        faults: FaultPlan,
        arm_base: String,
        blob_base: String,
    ) -> Self {
        let tokens = Tokens::new(settings.token_lifetime);
        let steady_provisioning = settings.steady_provisioning;
        Self {
            settings,
            token: Secret::new(format!(
                "apim-dr-emulator.{}",
                uuid::Uuid::new_v4().simple()
            )),
            identity_header: Secret::new(uuid::Uuid::new_v4().simple().to_string()),
            tokens,
            tenant_id: world.tenant_id.clone(),
            arm_base,
            blob_base,
            cancel: CancellationToken::new(),
            live: Mutex::new(LiveState {
                world,
                ops: Vec::new(),
                activity: Vec::new(),
                posts: Vec::new(),
                steady_provisioning,
                creations: Vec::new(),
                generation: 1,
            }),
            faults: Mutex::new(faults),
            written: Mutex::new(0),
            quotas: Mutex::new(Quotas::default()),
            requests: RequestLog::default(),
        }
    }

    /// Reads the live state (operations are advanced first).
    pub fn read<T>(&self, f: impl FnOnce(&LiveState) -> T) -> T {
        self.tick();
        f(&relock(&self.live))
    }

    /// Reads the live state to build a reply; an `Err` is the reply too (a refusal).
    pub fn answer(&self, f: impl FnOnce(&LiveState) -> Result<Answer, Answer>) -> Answer {
        self.read(f).unwrap_or_else(|refusal| refusal)
    }

    /// Changes the live state to build a reply: `Ok` changed it, an `Err` (a refusal, also the
    /// reply) changed nothing.
    pub fn change(&self, f: impl FnOnce(&mut LiveState) -> Result<Answer, Answer>) -> Answer {
        self.write(|live| match f(live) {
            Ok(reply) => (reply, true),
            Err(refusal) => (refusal, false),
        })
    }

    /// Changes the live state; `f` returns whether it changed anything worth persisting.
    pub fn write<T>(&self, f: impl FnOnce(&mut LiveState) -> (T, bool)) -> T {
        self.tick();
        let (out, snap) = {
            let mut live = relock(&self.live);
            let (out, changed) = f(&mut live);
            if changed {
                live.generation += 1;
            }
            // Snapshots cost a pass over the world: only take one when a file wants it.
            let wanted = changed && self.settings.state_file.is_some();
            let snap = wanted.then(|| (live.generation, self.snapshot_of(&live)));
            (out, snap)
        };
        if let Some((generation, snap)) = snap {
            self.persist(generation, &snap);
        }
        out
    }

    /// Advances every operation to the present; persists when one moved on.
    pub fn tick(&self) {
        let snap = {
            let mut live = relock(&self.live);
            let now = Instant::now();
            let created = live.advance_creations(now);
            let changed = live.advance(
                now,
                OffsetDateTime::now_utc(),
                self.settings.backup_creates_container,
            ) || created;
            if changed {
                live.generation += 1;
            }
            (changed && self.settings.state_file.is_some())
                .then(|| (live.generation, self.snapshot_of(&live)))
        };
        if let Some((generation, snap)) = snap {
            self.persist(generation, &snap);
        }
    }

    /// The snapshot of now.
    pub fn snapshot(&self) -> WorldSnapshot {
        self.tick();
        self.snapshot_of(&relock(&self.live))
    }

    fn snapshot_of(&self, live: &LiveState) -> WorldSnapshot {
        let _ = self;
        snapshot::build(live, Instant::now(), OffsetDateTime::now_utc())
    }

    /// Writes the state file once at start, so it exists before the first change.
    pub fn persist_now(&self) {
        let (generation, snap) = {
            let live = relock(&self.live);
            (live.generation, self.snapshot_of(&live))
        };
        self.persist(generation, &snap);
    }

    fn persist(&self, generation: u64, snap: &WorldSnapshot) {
        let Some(path) = &self.settings.state_file else {
            return;
        };
        let mut written = relock(&self.written);
        if *written >= generation {
            return;
        }
        match write_atomically(path, snap) {
            Ok(()) => *written = generation,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "emulator state file not written");
            }
        }
    }

    /// The fault that answers this request (in `subscription`, "" for none), if any.
    pub fn take_fault(&self, target: FaultTarget, subscription: &str) -> Option<FaultKind> {
        relock(&self.faults).take(target, subscription)
    }

    /// Appends rules to the fault plan.
    pub fn add_faults(&self, plan: FaultPlan) {
        relock(&self.faults).extend(plan);
    }

    /// Spends ARM quota for a request in `subscription` ("" for the tenant); `Err` holds the
    /// wait when the bucket is empty.
    pub fn spend_quota(&self, subscription: &str, method: &Method) -> Result<(), Duration> {
        relock(&self.quotas).spend(subscription, Class::of(method), Instant::now())
    }

    /// Whole ARM quota tokens left after this request: (the caller's, the global).
    pub fn quota_left(&self, subscription: &str, method: &Method) -> (u32, u32) {
        let class = Class::of(method);
        let quotas = relock(&self.quotas);
        (
            quotas.remaining(subscription, class, false),
            quotas.remaining(subscription, class, true),
        )
    }

    /// Leaves at most `to` tokens in a quota bucket (the `quota` fault).
    pub fn drain_quota(&self, subscription: &str, method: &Method, global: bool, to: u32) {
        relock(&self.quotas).drain(subscription, Class::of(method), global, to, Instant::now());
    }
}

fn write_atomically(path: &Path, snap: &WorldSnapshot) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(snap).map_err(std::io::Error::other)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
