//! Drives the real binary in a pseudo-terminal (portable-pty) and reads its screen through a
//! terminal emulator (vt100), as a person at a 120×40 terminal would see it.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Waits are this many times longer than the figures in the tests: they end as soon as the
/// screen shows what is awaited, so only a failing run pays for the slack.
const SLACK: u64 = 3;

pub const ROWS: u16 = 40;
pub const COLS: u16 = 120;

/// A running TUI: its process, its screen, its keyboard.
pub struct Tui {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    parser: vt100::Parser,
    rx: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    /// Every byte the program wrote, for escapes the screen does not show (OSC 52).
    raw: Vec<u8>,
}

impl Tui {
    /// Starts `apim-dr ARGS` with `TERM=xterm-256color`, data, config and cache under `dir`, and the
    /// extra environment given.
    pub fn spawn(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_apim-dr"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("APIM_DR_DATA_DIR", dir.join("data"));
        cmd.env("APIM_DR_CONFIG_DIR", dir.join("config"));
        // The inventory cache too: never the user's.
        cmd.env("XDG_CACHE_HOME", dir.join("cache"));
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
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
        Self {
            child,
            parser,
            rx,
            writer,
            master: pair.master,
            raw: Vec::new(),
        }
    }

    /// What the screen shows now.
    pub fn text(&mut self) -> String {
        while let Ok(chunk) = self.rx.try_recv() {
            self.parser.process(&chunk);
            self.raw.extend_from_slice(&chunk);
        }
        self.parser.screen().contents()
    }

    /// Waits until the screen shows `needle`; fails with the screen after `secs` (times
    /// [`SLACK`], so a machine busy with other builds does not fail a correct program).
    pub fn wait_for(&mut self, needle: &str, secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs * SLACK);
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

    /// Resizes the terminal (the program gets SIGWINCH), and the screen model with it.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let _ = self.text();
        self.parser.screen_mut().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        std::thread::sleep(Duration::from_millis(300));
    }

    /// Every byte the program has written so far.
    pub fn raw(&mut self) -> &[u8] {
        let _ = self.text();
        &self.raw
    }

    /// True while the program shows the alternate screen (the TUI is up).
    pub fn alternate_screen(&mut self) -> bool {
        let _ = self.text();
        self.parser.screen().alternate_screen()
    }

    /// True while the program has asked for bracketed paste (`ESC [ ? 2004 h`).
    pub fn bracketed_paste(&mut self) -> bool {
        let _ = self.text();
        self.parser.screen().bracketed_paste()
    }

    /// Pastes `s` as a terminal does: bracketed when the program asked for it, else as keys.
    pub fn paste(&mut self, s: &str) {
        if self.bracketed_paste() {
            self.keys(&format!("\x1b[200~{s}\x1b[201~"));
        } else {
            self.keys(s);
        }
    }

    /// Types keys, then lets the screen settle a little.
    pub fn keys(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Waits for the process to exit; fails after `secs` (times [`SLACK`]).
    pub fn wait_exit(&mut self, secs: u64) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(secs * SLACK);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "the TUI did not exit:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends a signal (`"TERM"`, `"HUP"`, …) to the process.
    pub fn signal(&mut self, name: &str) {
        let pid = self.child.process_id().expect("a pid");
        let status = std::process::Command::new("kill")
            .args([format!("-{name}"), pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Kills the process with SIGKILL: no chance to clean up or journal anything.
    pub fn kill9(&mut self) {
        let pid = self.child.process_id().expect("a pid");
        let status = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let _ = self.wait_exit(10);
    }

    /// The failover a newcomer makes with the hints on screen: apim-contoso-weu's newest backup
    /// into apim-contoso-neu (North Europe), confirmed by typing the name.
    pub fn fail_over_contoso_to_north_europe(&mut self) {
        self.wait_for("apim-contoso-weu", 20);
        self.wait_for("Last backup", 10);
        self.keys("f");
        self.wait_for("step 1 of 6", 10);
        self.keys("\r");
        let text = self.wait_for("step 2 of 6", 10);
        assert!(text.contains("North Europe"), "{text}");
        // apim-contoso-weu's dr-standby tag names apim-contoso-neu: its region is marked.
        assert!(text.contains("dr-standby here"), "{text}");
        // East US, North Europe, … : one down.
        self.keys("j");
        self.keys("\r");
        let text = self.wait_for("Pick the service to overwrite in North Europe", 10);
        assert!(text.contains("apim-contoso-neu"), "{text}");
        self.keys("\r");
        let text = self.wait_for("Target is idle", 20);
        assert!(text.contains("Pricing tier matches the backup"), "{text}");
        self.keys("\r");
        self.wait_for("does not carry", 10);
        self.keys("\r");
        self.wait_for("Type apim-contoso-neu to confirm", 10);
        self.keys("apim-contoso-neu\r");
    }
}
