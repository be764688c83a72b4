//! Issue 10 measure 6, `cargo bench --bench watching`: the CPU apim-dr spends while it watches
//! 100 operations at once. The emulator runs as its own process (`apim-dr emulator`) serving a
//! generated world at speed 1, so a backup runs ten minutes; this process journals, sends and
//! watches 100 backups, each polled at the cadence the emulator's `Retry-After` asks, as in
//! Azure. Once every backup is accepted, this process's CPU time over a window
//! (`/proc/self/stat`, user + system, every thread) is divided by the window: the share of one
//! core. Target: at most 1 %. Linux only.
//!
//! Options (after `--`): `--seconds N` (the window, default 60), `--operations N` (default 100).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use apim_dr::azure::auth::TokenSource;
use apim_dr::azure::{AzureClient, ClientOptions};
use apim_dr::domain::names::{BlobName, ContainerName, ServiceId, StorageAccountName};
use apim_dr::domain::operation::{AccessType, BackupPlan};
use apim_dr::domain::progress::ProgressUpdate;
use apim_dr::engine::Engine;
use apim_dr::engine::discovery::{Estate, Scope};
use apim_dr::journal::Journal;
use tokio_util::sync::CancellationToken;

/// CPU seconds (user + system) this process has used, every thread, living or ended.
fn cpu_of_process(tick: f64) -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // `pid (comm) state ppid …`: after `comm`, `state` is index 0, utime 11, stime 12.
    let close = stat.rfind(')').unwrap();
    let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    let n = |i: usize| fields[i].parse::<u64>().unwrap();
    #[allow(clippy::cast_precision_loss)]
    let secs = (n(11) + n(12)) as f64 / tick;
    secs
}

/// `apim-dr emulator` as a child process: its endpoint and token.
struct EmulatorProcess(std::process::Child, String, String);

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_emulator(world: &str, dir: &std::path::Path) -> EmulatorProcess {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_apim-dr"))
        .args(["emulator", "--port", "0", "--print-env", "--world", world])
        .env("APIM_DR_DATA_DIR", dir.join("emulator-data"))
        .env("APIM_DR_CONFIG_DIR", dir.join("emulator-config"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut endpoint, mut token) = (String::new(), String::new());
    for _ in 0..3 {
        let line = lines.next().unwrap().unwrap();
        if let Some(v) = line.strip_prefix("export APIM_DR_ARM_ENDPOINT=") {
            v.clone_into(&mut endpoint);
        } else if let Some(v) = line.strip_prefix("export APIM_DR_ACCESS_TOKEN=") {
            v.clone_into(&mut token);
        }
    }
    EmulatorProcess(child, endpoint, token)
}

fn clock_tick() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn number(args: &[String], flag: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let window = Duration::from_secs(number(&args, "--seconds", 60));
    let wanted = usize::try_from(number(&args, "--operations", 100)).unwrap();
    let tick = clock_tick();

    let dir = tempfile::tempdir().unwrap();
    let emulator = start_emulator(
        "gen:subs=2,services=130,backups=0,accounts=1,open=1",
        dir.path(),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let token = apim_dr::secret::Secret::new(emulator.2.clone());
    let client = AzureClient::new(
        ClientOptions::new(emulator.1.parse().unwrap()),
        TokenSource::fixed(token.clone(), Some(token)),
    )
    .unwrap();
    let engine = Engine::from_client(
        client.clone(),
        Journal::open(&dir.path().join("journal.jsonl")).unwrap(),
        false,
    );
    let estate = rt.block_on(Estate::collect(&client, Scope::everything()));
    let account = StorageAccountName::parse(&estate.storage_accounts[0].name).unwrap();
    let services: Vec<ServiceId> = estate
        .services
        .iter()
        .filter(|s| s.sku.can_back_up())
        .filter_map(apim_dr::domain::service::ServiceSummary::service_id)
        .take(wanted)
        .collect();
    let count = services.len();

    let accepted = Arc::new(AtomicUsize::new(0));
    let cancel = CancellationToken::new();
    let started = Instant::now();
    let watches: Vec<_> = services
        .into_iter()
        .map(|service| {
            let plan = BackupPlan {
                blob: BlobName::parse(&format!("bench/{}.apimbackup", service.name)).unwrap(),
                service,
                account: account.clone(),
                container: ContainerName::parse("bench").unwrap(),
                access: AccessType::AccessKey,
                overwrite: true,
            };
            let (engine, accepted, cancel) = (engine.clone(), accepted.clone(), cancel.clone());
            rt.spawn(async move {
                let (prepared, _) = engine.prepare_backup(&plan).await.unwrap();
                let (tx, mut rx) = tokio::sync::mpsc::channel(64);
                let drain = tokio::spawn(async move {
                    while let Some(u) = rx.recv().await {
                        if matches!(u, ProgressUpdate::Accepted { .. }) {
                            accepted.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
                let _ = prepared.send_and_watch(tx, cancel).await;
                let _ = drain.await;
            })
        })
        .collect();
    while accepted.load(Ordering::SeqCst) < count {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "only {} of {count} accepted",
            accepted.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "{count} backups journaled, sent and accepted in {:.1} s; watching them for {} s",
        started.elapsed().as_secs_f64(),
        window.as_secs()
    );
    let before = cpu_of_process(tick);
    let from = Instant::now();
    std::thread::sleep(window);
    let cpu = cpu_of_process(tick) - before;
    let wall = from.elapsed().as_secs_f64();
    let share = 100.0 * cpu / wall;
    println!(
        "CPU while watching {count} operations: {cpu:.2} s in {wall:.0} s = {share:.2} % of one core (target <= 1 %)  [{}]",
        if share <= 1.0 { "met" } else { "MISSED" }
    );
    cancel.cancel();
    rt.block_on(async {
        for w in watches {
            let _ = w.await;
        }
    });
    drop(emulator);
}
