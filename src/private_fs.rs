//! Files only their owner may read: the data dir, the journal, the log and the demo's journal
//! hold service names, blob names and operation URLs. Directories this tool creates are 0700,
//! its files 0600 (on Unix; elsewhere the platform's defaults apply); the inventory cache is
//! replaced whole ([`replace`]).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` and any missing parents, each new one mode 0700. Directories that already
/// exist keep their mode: one the operator chose (`APIM_DR_DATA_DIR=~/dr`) is not changed.
///
/// # Errors
/// The I/O error of the first directory that cannot be created.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Opens `path` for appending (and reading), creating it 0600 with its directory; a file that
/// already exists is set to 0600.
///
/// # Errors
/// The I/O error of the directory, the open or the `chmod`.
pub fn open_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    let mut opts = OpenOptions::new();
    opts.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Replaces `path` with `bytes` whole: written 0600 beside it under a temporary name, synced,
/// then renamed over it, so a reader sees the old file or the new one, never half of one.
///
/// # Errors
/// The I/O error of the directory, the write or the rename (the temporary file is removed).
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    // Unique per process and per call: two writes in flight never share a temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        create_dir(dir)?;
    }
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.{n}.tmp", std::process::id()));
    let temp = path.with_file_name(name);
    let mut opts = OpenOptions::new();
    opts.create(true).truncate(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let written = opts.open(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_directories_are_0700_and_files_0600() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("data/demo/journal.jsonl");
        open_append(&file).unwrap();
        assert_eq!(mode(&root.path().join("data")), 0o700);
        assert_eq!(mode(&root.path().join("data/demo")), 0o700);
        assert_eq!(mode(&file), 0o600);
    }

    #[test]
    fn a_replaced_file_is_whole_and_0600() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("cache/inventory.json");
        replace(&file, b"one").unwrap();
        replace(&file, b"two").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
        assert_eq!(mode(&file), 0o600);
        assert_eq!(
            std::fs::read_dir(root.path().join("cache"))
                .unwrap()
                .count(),
            1
        );
    }

    #[test]
    fn an_existing_directory_keeps_its_mode() {
        let root = tempfile::tempdir().unwrap();
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o750)).unwrap();
        create_dir(root.path()).unwrap();
        assert_eq!(mode(root.path()), 0o750);
    }
}
