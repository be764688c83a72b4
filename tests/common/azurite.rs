//! Starts Microsoft's storage emulator (Azurite, pinned in `.ci/azurite/package.json`) on a
//! free loopback port, with telemetry off, for the Blob client tests.
//!
//! When Azurite is not installed the tests fail if `APIM_DR_REQUIRE_AZURITE=1` (set by
//! `.ci/run`), and are skipped with a notice otherwise.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Azurite's published development account and key (public, not secrets).
pub const ACCOUNT: &str = "devstoreaccount1";
pub const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

pub struct Azurite {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let local = root.join(".ci/azurite/node_modules/.bin/azurite-blob");
    if local.exists() {
        return Some(local);
    }
    std::env::var_os("AZURITE_BLOB_BIN")
        .map(PathBuf::from)
        .filter(|p| p.exists())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Azurite {
    /// Starts Azurite, or returns `None` (after saying why) when it is not installed and not required.
    pub fn start() -> Option<Self> {
        let required = std::env::var("APIM_DR_REQUIRE_AZURITE").is_ok_and(|v| v == "1");
        let Some(bin) = binary() else {
            assert!(
                !required,
                "Azurite is required (APIM_DR_REQUIRE_AZURITE=1) but not installed: run .ci/run, or npm install in .ci/azurite"
            );
            eprintln!(
                "SKIPPED: Azurite is not installed (npm install in .ci/azurite to run these tests)"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(bin)
            .args([
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                &port.to_string(),
                "--location",
            ])
            .arg(dir.path())
            .args(["--silent", "--disableTelemetry"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start azurite");
        let me = Self {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Azurite did not listen on {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(me)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/{ACCOUNT}", self.port)
    }
}
