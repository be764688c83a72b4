//! The cutover log: `cutover.jsonl` next to the journal, one JSON line per step of a traffic
//! cutover (`intent` before the change is sent, then `done`, `refused` or `failed`), each
//! written and synced before the next step. A cutover is not an operation of the journal (no
//! LRO, no service it runs on); its own log keeps every before → after with its time.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use crate::domain::cutover::CutoverEntry;
use crate::private_fs::open_append;

/// The cutover log beside the journal at `journal`.
pub fn cutover_log_path(journal: &Path) -> PathBuf {
    journal.with_file_name("cutover.jsonl")
}

/// Appends one entry and syncs it to disk.
///
/// # Errors
/// The I/O error of opening, writing or syncing.
pub fn append(path: &Path, entry: &CutoverEntry) -> io::Result<()> {
    let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
    line.push(b'\n');
    let mut file = open_append(path)?;
    file.write_all(&line)?;
    file.sync_data()
}

/// Every entry of the log, oldest first; lines that are not entries are skipped.
///
/// # Errors
/// The I/O error of reading (a missing log is empty).
pub fn read_all(path: &Path) -> io::Result<Vec<CutoverEntry>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for line in io::BufReader::new(file).split(b'\n') {
        if let Ok(entry) = serde_json::from_slice::<CutoverEntry>(&line?) {
            out.push(entry);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cutover::{CutoverPlace, CutoverPlan};

    #[test]
    fn entries_are_appended_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = cutover_log_path(&dir.path().join("journal.jsonl"));
        assert_eq!(path, dir.path().join("cutover.jsonl"));
        assert!(read_all(&path).unwrap().is_empty());
        let mut entry = CutoverEntry {
            id: "c1".into(),
            at: "2026-12-03T11:00:00Z".into(),
            stage: "intent".into(),
            plan: CutoverPlan {
                hostname: "api.contoso.com".into(),
                place: CutoverPlace::DnsCname {
                    id: "/z/CNAME/api".into(),
                    zone: "contoso.com".into(),
                    record: "api".into(),
                },
                before: "a.azure-api.net".into(),
                after: "b.azure-api.net".into(),
                service: None,
            },
            reason: None,
        };
        append(&path, &entry).unwrap();
        entry.stage = "done".into();
        append(&path, &entry).unwrap();
        let read = read_all(&path).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(
            (read[0].stage.as_str(), read[1].stage.as_str()),
            ("intent", "done")
        );
        assert_eq!(read[1], entry);
    }
}
