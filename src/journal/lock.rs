//! The journal's advisory file lock, so that several apim-dr processes on one data dir (two
//! CLIs, a CLI and a TUI, two TUIs) take turns: a write holds it exclusively, a read shared,
//! and a check-then-write (the one-operation-per-service guard, the one end per operation)
//! holds it across both. `std::fs::File::lock` (`flock` on Unix, `LockFileEx` on Windows).
//!
//! A lock held by another process is waited for, but not for ever: after [`WAIT`] the
//! operation fails with a message that says so. A filesystem that has no locks (some network
//! filesystems) is used without one, with a warning in the log: the journal never blocks a
//! failover.

use std::fs::{File, TryLockError};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a lock held by another process is waited for. Journal writes take milliseconds;
/// a holder for this long is stuck.
const WAIT: Duration = Duration::from_secs(10);

/// A lock on the journal file, released when dropped.
#[derive(Debug)]
pub(super) struct Held<'a> {
    file: Option<&'a File>,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.file {
            // Closing the file would release it too; an error here leaves nothing to undo.
            let _ = file.unlock();
        }
    }
}

/// Whether others may hold it at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Readers.
    Shared,
    /// A writer, alone.
    Exclusive,
}

/// Takes the lock on `file` (the journal at `path`), waiting up to [`WAIT`] for another process.
///
/// # Errors
/// An I/O error saying another process holds the journal, or the lock call's own error.
pub(super) fn take<'a>(file: &'a File, path: &Path, mode: Mode) -> io::Result<Held<'a>> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        let attempt = match mode {
            Mode::Shared => file.try_lock_shared(),
            Mode::Exclusive => file.try_lock(),
        };
        match attempt {
            Ok(()) => return Ok(Held { file: Some(file) }),
            Err(TryLockError::WouldBlock) if start.elapsed() < WAIT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another apim-dr process has held the lock on {} for {} s: is one stuck?",
                        path.display(),
                        WAIT.as_secs()
                    ),
                ));
            }
            Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                tracing::warn!(
                    path = %path.display(),
                    "this filesystem has no file locks: the journal is used without one, so two apim-dr processes on it are not kept apart"
                );
                return Ok(Held { file: None });
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusive_excludes_and_shared_shares_across_open_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(&path, b"").unwrap();
        // Two opens of one file are two lock owners, as two processes are.
        let (a, b) = (File::open(&path).unwrap(), File::open(&path).unwrap());
        let held = take(&a, &path, Mode::Exclusive).unwrap();
        assert!(matches!(b.try_lock_shared(), Err(TryLockError::WouldBlock)));
        drop(held);
        let r1 = take(&a, &path, Mode::Shared).unwrap();
        let r2 = take(&b, &path, Mode::Shared).unwrap();
        drop(r2);
        assert!(matches!(b.try_lock(), Err(TryLockError::WouldBlock)));
        drop(r1);
        assert!(b.try_lock().is_ok());
    }
}
