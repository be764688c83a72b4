//! The operation journal: append-only JSON lines in the data dir, mode 0600, fsync on every
//! record. An intent is written before the POST, the operation URL after the 202, every status
//! change, and the end. At start-up every operation without an end is watched again, so a
//! restore survives a killed process, a closed laptop or a Ctrl-C.
//!
//! Records never contain secrets: plans carry names and ids only, and operation URLs are
//! journaled with SAS-like query parameters stripped.

pub mod cutover_log;
mod lock;
mod read;
mod record;
mod state;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use time::OffsetDateTime;

pub use read::{SkippedLine, report, summary};
pub use record::{JournalEvent, JournalRecord, OperationHandle};
pub use state::{OperationState, Stage, backup_facts, fold, history, live_on};

use crate::domain::names::ServiceId;
use crate::domain::progress::JournalId;
use lock::Mode;

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

/// What the journal holds: its operations, and the lines that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Every operation, folded from its records, oldest first.
    pub operations: Vec<OperationState>,
    /// Lines skipped (damaged or foreign), to report.
    pub skipped: Vec<SkippedLine>,
}

/// The journal file. Appends are serialized within the process (a mutex) and across
/// processes (an advisory lock, `journal/lock.rs`); each record is one `write` of a whole line
/// to a file opened with `O_APPEND`, then `fsync`.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Opens (creating it and its directory if needed) the journal at `path`: the file 0600, new
    /// directories 0700.
    ///
    /// # Errors
    /// [`JournalError::Io`] naming the path.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io {
            path: path.to_owned(),
            source,
        };
        let file = crate::private_fs::open_append(path).map_err(io)?;
        {
            let _held = lock::take(&file, path, Mode::Exclusive).map_err(io)?;
            terminate_torn_line(&file).map_err(io)?;
        }
        Ok(Self {
            path: path.to_owned(),
            file: Mutex::new(file),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self) -> impl Fn(std::io::Error) -> JournalError + '_ {
        |source| JournalError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn file(&self) -> std::sync::MutexGuard<'_, File> {
        self.file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Appends one record and syncs it to disk before returning. An operation has one end: a
    /// `Finished` for an operation that already has one (a second TUI watching it) is not
    /// written again.
    ///
    /// # Errors
    /// [`JournalError`] when it cannot be written; callers must not send a POST then.
    pub fn append(&self, id: &JournalId, event: JournalEvent) -> Result<(), JournalError> {
        if matches!(event, JournalEvent::Finished { .. }) {
            let written = self.append_if(id, event, |ops| {
                match ops.iter().find(|o| o.info.id == *id) {
                    Some(o) if o.outcome.is_some() => Err(()),
                    _ => Ok(()),
                }
            })?;
            if written.is_err() {
                tracing::info!(operation = %id, "its end is already journaled (another apim-dr watched it too): not written twice");
            }
            return Ok(());
        }
        let line = encode(id, event)?;
        let file = self.file();
        let _held = lock::take(&file, &self.path, Mode::Exclusive).map_err(self.io())?;
        write_line(&file, &line).map_err(self.io())
    }

    /// Appends `event` for `id` only if `admit` accepts the operations the journal holds at
    /// that moment. The read, the check and the write hold the journal's lock together, so no
    /// other process can write in between: two processes cannot both pass the same check.
    ///
    /// # Errors
    /// [`JournalError`] when the journal cannot be read or written; `Ok(Err(..))` is `admit`'s
    /// refusal, and nothing was written.
    pub fn append_if<E>(
        &self,
        id: &JournalId,
        event: JournalEvent,
        admit: impl FnOnce(&[OperationState]) -> Result<(), E>,
    ) -> Result<Result<(), E>, JournalError> {
        let line = encode(id, event)?;
        let file = self.file();
        let _held = lock::take(&file, &self.path, Mode::Exclusive).map_err(self.io())?;
        let (records, _) = self.read_held()?;
        if let Err(refusal) = admit(&fold(records)) {
            return Ok(Err(refusal));
        }
        write_line(&file, &line).map_err(self.io())?;
        Ok(Ok(()))
    }

    /// Reads every record, skipping (and returning) the lines that are not one.
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn read(&self) -> Result<(Vec<JournalRecord>, Vec<SkippedLine>), JournalError> {
        let file = self.file();
        let _held = lock::take(&file, &self.path, Mode::Shared).map_err(self.io())?;
        self.read_held()
    }

    /// Reads the file; the caller holds the lock.
    fn read_held(&self) -> Result<(Vec<JournalRecord>, Vec<SkippedLine>), JournalError> {
        let file = File::open(&self.path).map_err(self.io())?;
        read::records(file).map_err(self.io())
    }

    /// Every operation and the lines that could not be read.
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn load(&self) -> Result<Loaded, JournalError> {
        let (records, skipped) = self.read()?;
        for s in &skipped {
            tracing::warn!(line = s.line, reason = %s.reason, "skipped an unreadable journal line");
        }
        Ok(Loaded {
            operations: fold(records),
            skipped,
        })
    }

    /// Every operation, folded from its records, oldest first (unreadable lines skipped).
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be read.
    pub fn operations(&self) -> Result<Vec<OperationState>, JournalError> {
        Ok(self.load()?.operations)
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
        Ok(live_on(&self.operations()?, service, endpoint).cloned())
    }
}

fn encode(id: &JournalId, event: JournalEvent) -> Result<Vec<u8>, JournalError> {
    let record = JournalRecord {
        id: id.clone(),
        at: OffsetDateTime::now_utc(),
        event,
    };
    let mut line = serde_json::to_vec(&record)?;
    line.push(b'\n');
    Ok(line)
}

/// One `write` of the whole line, then `fsync`; the caller holds the lock.
fn write_line(file: &File, line: &[u8]) -> std::io::Result<()> {
    (&*file).write_all(line)?;
    file.sync_data()
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
