//! The real binary `apim-dr demo` in a pseudo-terminal, driven by keys through a whole
//! failover of apim-contoso-weu (West Europe) into apim-contoso-neu (North Europe). The
//! test then reads the emulator's state file and checks the target holds the source's
//! configuration, and that quitting restores the terminal and exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

struct Screen {
    parser: vt100::Parser,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    fn pump(&mut self) {
        while let Ok(chunk) = self.rx.try_recv() {
            self.parser.process(&chunk);
        }
    }

    fn text(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    fn wait_for(&mut self, needle: &str, secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "waited {secs} s for {needle:?}; the screen is:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

type Child = Box<dyn portable_pty::Child + Send + Sync>;

/// Starts `apim-dr demo` in a pseudo-terminal; returns the child, its screen and its keyboard.
fn spawn_demo(
    dir: &std::path::Path,
    state_file: &std::path::Path,
) -> (Child, Screen, Box<dyn Write + Send>) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_apim-dr"));
    cmd.args(["demo", "--speed", "1500", "--latency", "0", "--state-file"]);
    cmd.arg(state_file);
    cmd.env("TERM", "xterm-256color");
    cmd.env("APIM_DR_DATA_DIR", dir.join("data"));
    cmd.env("APIM_DR_CONFIG_DIR", dir.join("config"));
    cmd.env_remove("NO_COLOR");
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let parser = vt100::Parser::new(
        NonZeroU16::new(ROWS).unwrap(),
        NonZeroU16::new(COLS).unwrap(),
        0,
    );
    (child, Screen { parser, rx }, writer)
}

#[test]
fn a_newcomer_fails_over_with_the_keys_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("world.json");
    let (mut child, mut screen, mut writer) = spawn_demo(dir.path(), &state_file);
    let mut keys = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    };

    // The estate, with the hints a newcomer follows.
    let text = screen.wait_for("apim-contoso-weu", 20);
    assert!(text.contains("f failover"), "{text}");
    screen.wait_for("Last backup", 10);

    keys("f");
    screen.wait_for("step 1 of 6", 10);
    keys("\r");
    let text = screen.wait_for("step 2 of 6", 10);
    assert!(text.contains("North Europe"), "{text}");
    // East US, North Europe, … : one down.
    keys("j");
    keys("\r");
    let text = screen.wait_for("Pick the service to overwrite in North Europe", 10);
    assert!(text.contains("apim-contoso-neu"), "{text}");
    keys("\r");
    let text = screen.wait_for("Target is idle", 20);
    assert!(text.contains("Pricing tier matches the backup"), "{text}");
    keys("\r");
    screen.wait_for("does not carry", 10);
    keys("\r");
    screen.wait_for("Type apim-contoso-neu to confirm", 10);
    keys("apim-contoso-ne\r");
    screen.wait_for("does not match", 10);
    keys("u\r");
    let text = screen.wait_for("succeeded", 60);
    assert!(text.contains("apim-contoso-neu"), "{text}");
    screen.wait_for("now holds 14 API(s)", 10);

    // The emulator's world: the standby now holds the source's configuration.
    let world: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    let target = world["services"]
        .as_object()
        .unwrap()
        .values()
        .find(|s| s["name"] == "apim-contoso-neu")
        .unwrap();
    assert_eq!(target["apis"].as_array().unwrap().len(), 14, "{target}");
    assert!(
        target["restored_from"]["blob"]
            .as_str()
            .unwrap()
            .starts_with("apim-contoso-weu/"),
        "{target}"
    );
    let posts = world["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1, "exactly one restore POST: {posts:?}");

    keys("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the demo did not exit after q:\n{}",
            screen.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}
