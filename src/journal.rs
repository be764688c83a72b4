//! The operation journal: append-only JSON lines in the data dir, mode 0600, fsync on every
//! record. An intent is written before the POST, the operation URL after the 202, every status
//! change, and the end. At start-up every operation without an end is watched again, so a
//! restore survives a killed process, a closed laptop or a Ctrl-C.
//!
//! Records never contain secrets: plans carry names and ids only, and operation URLs are
//! journaled with SAS-like query parameters stripped.

mod record;
mod state;

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use time::OffsetDateTime;

pub use record::{JournalEvent, JournalRecord, OperationHandle};
pub use state::{OperationState, Stage, fold, history};

use crate::domain::names::ServiceId;
use crate::domain::progress::JournalId;

/// A journal could not be opened, written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Filesystem failure, with the path.
    #[error("journal {path}: {source}")]
    Io {
        /// The journal file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A record could not be encoded.
    #[error("journal record could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
}

/// A line that could not be read back (a torn last line after a kill, or a foreign edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// The journal file. Appends are serialized within the process; each record is one
/// `write` of a whole line to a file opened with `O_APPEND`, then `fsync`.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Opens (creating it and its directory if needed) the journal at `path`, mode 0600.
    ///
    /// # Errors
    /// [`JournalError::Io`] naming the path.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut opts = OpenOptions::new();
        opts.create(true).append(true).read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(path).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(io)?;
        }
        terminate_torn_line(&file).map_err(io)?;
        Ok(Self {
            path: path.to_owned(),
            file: Mutex::new(file),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record and syncs it to disk before returning.
    ///
    /// # Errors
    /// [`JournalError`] when it cannot be written; callers must not send a POST then.
    pub fn append(&self, id: &JournalId, event: JournalEvent) -> Result<(), JournalError> {
        let record = JournalRecord {
            id: id.clone(),
            at: OffsetDateTime::now_utc(),
            event,
        };
        let mut line = serde_json::to_vec(&record)?;
        line.push(b'\n');
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (&*file).write_all(&line).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(())
    }

    /// Reads every record, skipping lines that do not parse.
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn read(&self) -> Result<(Vec<JournalRecord>, Vec<SkippedLine>), JournalError> {
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let file = File::open(&self.path).map_err(io)?;
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<JournalRecord>(&line) {
                Ok(r) => records.push(r),
                Err(e) => skipped.push(SkippedLine {
                    line: i + 1,
                    reason: e.to_string(),
                }),
            }
        }
        Ok((records, skipped))
    }

    /// Every operation, folded from its records, oldest first.
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn operations(&self) -> Result<Vec<OperationState>, JournalError> {
        let (records, skipped) = self.read()?;
        for s in &skipped {
            tracing::warn!(line = s.line, reason = %s.reason, "skipped an unreadable journal line");
        }
        Ok(fold(records))
    }

    /// Operations against `endpoint` that have no end: they are watched again at start.
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn unfinished(&self, endpoint: &str) -> Result<Vec<OperationState>, JournalError> {
        Ok(self
            .operations()?
            .into_iter()
            .filter(|o| o.is_unfinished_on(endpoint))
            .collect())
    }

    /// The unfinished operation on `service`, if any (never two from this tool).
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn live_on(
        &self,
        service: &ServiceId,
        endpoint: &str,
    ) -> Result<Option<OperationState>, JournalError> {
        Ok(self
            .unfinished(endpoint)?
            .into_iter()
            .find(|o| o.info.service.same_as(service)))
    }
}

/// A process killed mid-write can leave a last line without its newline; end it, so the next
/// record starts on a line of its own and is not lost with the torn one.
fn terminate_torn_line(file: &File) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut reader = file.try_clone()?;
    reader.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    reader.read_exact(&mut last)?;
    if last[0] != b'\n' {
        (&*file).write_all(b"\n")?;
        file.sync_data()?;
    }
    Ok(())
}

/// A new, unique journal id: UTC start time plus random suffix (`20261126T120000Z-3f9a1c`).
pub fn new_id(now: OffsetDateTime) -> JournalId {
    let stamp = crate::domain::duration::utc_stamp(now);
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    JournalId(format!("{stamp}-{suffix}"))
}

#[cfg(test)]
mod tests;
