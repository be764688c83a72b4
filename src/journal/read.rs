//! Reading the journal back, line by line as bytes: a line that is not valid UTF-8 (a record
//! torn mid-character by a kill, a disk error, a foreign edit) or not a record is skipped and
//! reported with its number; every other line is kept. Nothing a damaged line holds is
//! guessed at: its bytes never become a record.

use std::io::{BufRead, Read};

use super::record::JournalRecord;
use crate::domain::progress::JournalId;

/// A line that could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based line number.
    pub line: usize,
    /// The operation it seems to belong to, when its `"id"` is legible.
    pub operation: Option<JournalId>,
    /// Why.
    pub reason: String,
}

/// Every record of `source`, and the lines that are not one.
///
/// # Errors
/// The I/O error of the read itself (never the content).
pub(super) fn records(
    source: impl Read,
) -> std::io::Result<(Vec<JournalRecord>, Vec<SkippedLine>)> {
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    for (i, bytes) in std::io::BufReader::new(source).split(b'\n').enumerate() {
        let bytes = bytes?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = std::str::from_utf8(&bytes)
            .map_err(|e| format!("not valid UTF-8 (byte {} of the line)", e.valid_up_to() + 1))
            .and_then(|text| {
                serde_json::from_str::<JournalRecord>(text)
                    .map_err(|e| format!("not a journal record ({e})"))
            });
        match parsed {
            Ok(r) => records.push(r),
            Err(reason) => skipped.push(SkippedLine {
                line: i + 1,
                operation: legible_id(&bytes),
                reason,
            }),
        }
    }
    Ok((records, skipped))
}

/// The `"id":"…"` of a damaged line, if it survived: journal ids are ASCII letters, digits and
/// `-` (`20261126T120000Z-3f9a1c`).
fn legible_id(bytes: &[u8]) -> Option<JournalId> {
    const KEY: &[u8] = b"\"id\":\"";
    let start = bytes.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let rest = &bytes[start..];
    let end = rest.iter().position(|&b| b == b'"')?;
    let id = &rest[..end];
    (!id.is_empty() && id.len() <= 64 && id.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-'))
        .then(|| JournalId(String::from_utf8_lossy(id).into_owned()))
}

/// One line for the operator: how many lines were skipped and which (the TUI's flash).
pub fn summary(path: &std::path::Path, skipped: &[SkippedLine]) -> Option<String> {
    let first = skipped.first()?;
    let lines = if skipped.len() == 1 {
        format!("1 unreadable line ({})", first.line)
    } else {
        let numbers: Vec<String> = skipped
            .iter()
            .take(10)
            .map(|s| s.line.to_string())
            .collect();
        let more = if skipped.len() > 10 { ", …" } else { "" };
        format!(
            "{} unreadable lines ({}{more})",
            skipped.len(),
            numbers.join(", ")
        )
    };
    Some(format!(
        "the journal {} has {lines}, skipped; every other record was read",
        path.display()
    ))
}

/// [`summary`] and why, for the first few lines (`operations` and `doctor`).
pub fn report(path: &std::path::Path, skipped: &[SkippedLine]) -> Option<String> {
    const SHOWN: usize = 3;
    let reasons: Vec<String> = skipped
        .iter()
        .take(SHOWN)
        .map(|s| match &s.operation {
            Some(id) => format!("line {} of operation {id}: {}", s.line, s.reason),
            None => format!("line {}: {}", s.line, s.reason),
        })
        .collect();
    Some(format!(
        "{}. {}",
        summary(path, skipped)?,
        reasons.join("; ")
    ))
}
