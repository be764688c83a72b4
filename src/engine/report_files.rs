//! Where reports are kept: `reports/` beside the journal (the data dir, or the demo's), each
//! as `{id}.md` and `{id}.json`, private to the user (0600). Written by `apim-dr report`, after
//! each CLI restore and batch, and by the TUI at the end of a region's failover.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Engine;
use crate::domain::batch_report::BatchReport;
use crate::domain::report::FailoverReport;

impl Engine {
    /// Where reports go: `reports/` beside the journal.
    pub fn reports_dir(&self) -> PathBuf {
        self.journal_path()
            .parent()
            .map_or_else(|| PathBuf::from("reports"), |d| d.join("reports"))
    }
}

/// Writes `report` as `{dir}/{id}.md` and `.json`; returns the Markdown's path.
///
/// # Errors
/// The I/O error of either file.
pub fn save(dir: &Path, report: &FailoverReport) -> std::io::Result<PathBuf> {
    save_as(dir, &report.id, &report.markdown(), report)
}

/// Writes a batch report as `{dir}/{id}.md` and `.json`; returns the Markdown's path.
///
/// # Errors
/// The I/O error of either file.
pub fn save_batch(dir: &Path, report: &BatchReport) -> std::io::Result<PathBuf> {
    save_as(dir, &report.id, &report.markdown(), report)
}

fn save_as(dir: &Path, id: &str, md: &str, value: &impl Serialize) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("{id}.md"));
    write_private(&path, md)?;
    let body = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    write_private(&dir.join(format!("{id}.json")), &body)?;
    Ok(path)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = crate::private_fs::open_append(path)?;
    f.set_len(0)?;
    f.write_all(text.as_bytes())
}
