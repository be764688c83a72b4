//! `apim-dr config`: the effective configuration, every setting with its value and where it
//! came from, and the directories apim-dr reads and writes. Secrets are shown as set or not
//! set. Reads nothing from Azure.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::Output;
use super::exit::{CmdResult, ExitCode};
use crate::config::{Config, Setting};

/// The directories, as `-o json` names them.
#[derive(Debug, Serialize)]
struct Directories {
    config_dir: PathBuf,
    config_file: PathBuf,
    data_dir: PathBuf,
    journal_file: PathBuf,
    cache_dir: PathBuf,
    log_dir: PathBuf,
}

#[derive(Debug, Serialize)]
struct Effective<'a> {
    settings: &'a [Setting],
    directories: Directories,
}

/// Prints the configuration.
///
/// # Errors
/// Never.
pub fn run(config: &Config, output: Output) -> CmdResult {
    let p = &config.paths;
    let report = Effective {
        settings: &config.settings,
        directories: Directories {
            config_dir: p.config_dir.clone(),
            config_file: p.config_file(),
            data_dir: p.data_dir.clone(),
            journal_file: config.journal_file.clone(),
            cache_dir: p.cache_dir(),
            log_dir: p.log_dir(),
        },
    };
    match output {
        Output::Json | Output::Jsonl => {
            let _ = super::output::json(&mut std::io::stdout().lock(), &report);
        }
        Output::Text => print!("{}", text(&report)),
    }
    Ok(ExitCode::Ok)
}

fn text(r: &Effective<'_>) -> String {
    let width = r.settings.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut out = String::from("Settings (value, source):\n");
    for s in r.settings {
        let value = s.value.as_deref().unwrap_or("(not set)");
        let _ = writeln!(out, "  {:width$}  {value}  [{}]", s.name, s.source);
    }
    let d = &r.directories;
    out.push_str("Directories:\n");
    for (name, path, note) in [
        ("config", &d.config_dir, ""),
        ("config file", &d.config_file, ""),
        ("data", &d.data_dir, ""),
        ("journal", &d.journal_file, ""),
        ("logs", &d.log_dir, ""),
        (
            "cache",
            &d.cache_dir,
            "  (the TUI's last inventory, one file per ARM endpoint; safe to delete)",
        ),
    ] {
        let _ = writeln!(out, "  {name:11}  {}{note}", path.display());
    }
    out
}
