//! Runs the real binary: `apim-dr emulator --print-env` as a child process, and commands
//! against it with isolated data and config dirs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_apim-dr");

/// An `apim-dr emulator` process and the environment that points the CLI at it.
pub struct EmulatorProcess {
    child: Child,
    pub endpoint: String,
    pub token: String,
    pub dirs: tempfile::TempDir,
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl EmulatorProcess {
    /// Starts `apim-dr emulator --port 0 --print-env` with extra flags and reads its exports.
    pub fn start(extra: &[&str]) -> Self {
        let dirs = tempfile::tempdir().unwrap();
        let mut child = Command::new(BIN)
            .args(["emulator", "--port", "0", "--print-env"])
            .args(extra)
            .env("APIM_DR_DATA_DIR", dirs.path().join("emulator-data"))
            .env("APIM_DR_CONFIG_DIR", dirs.path().join("emulator-config"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut endpoint = String::new();
        let mut token = String::new();
        let mut storage_token = String::new();
        for _ in 0..3 {
            let line = lines.next().expect("an export line").unwrap();
            if let Some(v) = line.strip_prefix("export APIM_DR_ARM_ENDPOINT=") {
                v.clone_into(&mut endpoint);
            } else if let Some(v) = line.strip_prefix("export APIM_DR_ACCESS_TOKEN=") {
                v.clone_into(&mut token);
            } else if let Some(v) = line.strip_prefix("export APIM_DR_STORAGE_TOKEN=") {
                v.clone_into(&mut storage_token);
            }
        }
        assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
        assert!(!token.is_empty());
        assert_eq!(
            storage_token, token,
            "the emulator's one token, for Blob too"
        );
        Self {
            child,
            endpoint,
            token,
            dirs,
        }
    }

    /// A command for the binary, pointed at this emulator, with its own data/config dirs.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_in(self.dirs.path(), args)
    }

    /// The same, with data and config dirs under `dir`.
    pub fn cmd_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("APIM_DR_ARM_ENDPOINT", &self.endpoint)
            .env("APIM_DR_ACCESS_TOKEN", &self.token)
            .env("APIM_DR_STORAGE_TOKEN", &self.token)
            .env("APIM_DR_DATA_DIR", dir.join("data"))
            .env("APIM_DR_CONFIG_DIR", dir.join("config"))
            .env("APIM_DR_LOG", "debug")
            .env_remove("NO_COLOR");
        c
    }

    /// Runs a command to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// `backup` of apim-contoso-weu into `stcontosodrneu/apim-backups/{blob}`, polling each
    /// second.
    pub fn backup_source_weu(&self, blob: &str) -> Output {
        self.run(&[
            "backup",
            "--service",
            &super::emu::source_weu(),
            "--account",
            "stcontosodrneu",
            "--container",
            "apim-backups",
            "--name",
            blob,
            "--poll-interval",
            "1",
        ])
    }

    /// The first fresh (not expired) Standard backup in `stcontosodrneu`: one of
    /// apim-contoso-weu in the demo world, restorable into apim-contoso-neu.
    pub fn fresh_standard_backup(&self) -> String {
        let o = self.run(&["backups", "-o", "json", "--account", "stcontosodrneu"]);
        let list: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
        list.iter()
            .find(|b| b["source_sku"] == "Standard" && b["expired"] == false)
            .unwrap()["backup"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The emulator's world as JSON (its drill endpoint).
    pub fn state(&self) -> serde_json::Value {
        self.call(reqwest::Method::GET, "/_emulator/state")
    }

    /// `method` on `path` of the emulator with its token; the JSON answer.
    pub fn call(&self, method: reqwest::Method, path: &str) -> serde_json::Value {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            reqwest::Client::new()
                .request(method, format!("{}{path}", self.endpoint))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }
}

/// `restore --backup BACKUP --target apim-contoso-neu --yes`, then `extra`.
pub fn restore_to_standby(backup: &str, extra: &[&str]) -> Vec<String> {
    let target = super::emu::standby_neu();
    let mut args: Vec<String> = ["restore", "--backup", backup, "--target", &target, "--yes"]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    args
}

/// The ID of the first "KIND SERVICE started as operation ID (…)" line of `text`.
pub fn started_operation_id(text: &str) -> String {
    let line = text.lines().find(|l| l.contains("started as operation "));
    assert!(line.is_some(), "no start line in {text}");
    line.unwrap()
        .split("started as operation ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
