//! Output of headless commands: aligned text tables, and the stable JSON rows
//! (`services -o json`, `backups -o json`, progress lines).

use std::io::Write;

use serde::Serialize;

use crate::domain::error::UserError;
use crate::domain::operation::Outcome;
use crate::domain::preflight::Check;
use crate::domain::progress::ProgressUpdate;
use crate::domain::verification::{summary, verified};

/// Prints rows as a table with a header, columns padded to their widest cell.
pub fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// Prints a value as pretty JSON.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// Prints a value as one line of JSON (`-o jsonl`).
pub fn jsonl(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// A progress line for `-o json`: one object per line.
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProgressLine<'a> {
    /// Intent journaled.
    Started {
        /// Journal id.
        id: &'a str,
        /// backup / restore.
        kind: String,
        /// Service id.
        service: String,
        /// Blob.
        blob: String,
        /// `x-ms-correlation-request-id` of all its requests.
        correlation_id: Option<&'a str>,
    },
    /// POST being sent.
    Sending,
    /// 202.
    Accepted {
        /// Operation URL.
        operation_url: Option<&'a str>,
        /// Request id.
        request_id: Option<&'a str>,
        /// `x-ms-correlation-request-id` of all its requests.
        correlation_id: &'a str,
    },
    /// Still running.
    Running {
        /// Status word.
        status: Option<&'a str>,
        /// Percent.
        percent: Option<u8>,
        /// Polls so far.
        polls: u32,
        /// Seconds to the next poll.
        next_poll_in_secs: u64,
    },
    /// A transient failure, retried.
    Retrying {
        /// Short reason.
        reason: &'a str,
        /// The service's words.
        detail: &'a str,
        /// Seconds to the retry.
        retry_in_secs: u64,
        /// Failures in a row.
        attempt: u32,
    },
    /// A note.
    Note {
        /// Text.
        message: &'a str,
    },
    /// Post-restore verification, before the end of a restore.
    Verified {
        /// True when every check passed.
        verified: bool,
        /// The checks: `{id, status, title, reason, fix}` as `preflight -o json` prints them.
        checks: &'a [Check],
    },
    /// The end.
    Finished {
        /// Outcome.
        outcome: &'a Outcome,
    },
    /// Stopped watching.
    Detached {
        /// Journal id.
        id: &'a str,
    },
    /// Refused or failed before starting.
    Error {
        /// The error.
        error: &'a UserError,
    },
}

impl<'a> ProgressLine<'a> {
    /// The JSON line for an update.
    pub fn from_update(u: &'a ProgressUpdate) -> Self {
        match u {
            ProgressUpdate::Sending => Self::Sending,
            ProgressUpdate::Accepted {
                operation_url,
                request_id,
                correlation_id,
            } => Self::Accepted {
                operation_url: operation_url.as_deref(),
                request_id: request_id.as_deref(),
                correlation_id: &correlation_id.0,
            },
            ProgressUpdate::Running {
                status,
                percent,
                polls,
                next_poll_in,
            } => Self::Running {
                status: status.as_deref(),
                percent: *percent,
                polls: *polls,
                next_poll_in_secs: next_poll_in.as_secs(),
            },
            ProgressUpdate::Retrying {
                reason,
                detail,
                retry_in,
                attempt,
            } => Self::Retrying {
                reason,
                detail,
                retry_in_secs: retry_in.as_secs(),
                attempt: *attempt,
            },
            ProgressUpdate::Note(m) => Self::Note { message: m },
            ProgressUpdate::Verified(v) => Self::Verified {
                verified: verified(v),
                checks: &v.checks,
            },
            ProgressUpdate::Finished(o) => Self::Finished { outcome: o },
        }
    }
}

/// The text line for an update.
pub fn progress_text(u: &ProgressUpdate) -> String {
    match u {
        ProgressUpdate::Sending => "sending the request to Azure…".to_owned(),
        ProgressUpdate::Accepted {
            request_id,
            correlation_id,
            ..
        } => match request_id {
            Some(id) => format!(
                "accepted by Azure (request id {id}, correlation id {correlation_id}); watching"
            ),
            None => format!("accepted by Azure (correlation id {correlation_id}); watching"),
        },
        ProgressUpdate::Running {
            status,
            percent,
            polls,
            next_poll_in,
        } => {
            let percent = percent.map(|p| format!(", {p}%")).unwrap_or_default();
            format!(
                "running ({}{percent}); poll {polls}, next in {}",
                status.as_deref().unwrap_or("in progress"),
                crate::domain::duration::short_std(*next_poll_in)
            )
        }
        ProgressUpdate::Retrying {
            reason,
            detail,
            retry_in,
            attempt,
        } => format!(
            "{reason}, retrying in {} (attempt {attempt}): {detail}",
            crate::domain::duration::short_std(*retry_in)
        ),
        ProgressUpdate::Note(m) => format!("note: {m}"),
        ProgressUpdate::Verified(v) => {
            let checks = v
                .checks
                .iter()
                .map(|c| format!("\n    {} {}: {}", c.level.symbol(), c.title, c.reason));
            std::iter::once(summary(v)).chain(checks).collect()
        }
        ProgressUpdate::Finished(o) => o.to_string(),
    }
}

/// Prints an error in the chosen format (stderr for text, stdout JSON object for json).
pub fn error(json_mode: bool, e: &UserError) {
    if json_mode {
        let mut out = std::io::stdout().lock();
        let _ = serde_json::to_writer(&mut out, &serde_json::json!({ "error": e }));
        let _ = writeln!(out);
    } else {
        eprintln!("error: {e}");
    }
}

/// Prints a warning on stderr, so stdout stays what the command prints (a table, a JSON
/// array): `warning: …` for text, `{"warning": …}` for json.
pub fn warning(json_mode: bool, text: &str) {
    if json_mode {
        eprintln!("{}", serde_json::json!({ "warning": text }));
    } else {
        eprintln!("warning: {text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let mut out = Vec::new();
        table(
            &mut out,
            &["NAME", "TIER"],
            &[
                vec!["apim-a".into(), "Standard".into()],
                vec!["b".into(), "Basic".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME    TIER\napim-a  Standard\nb       Basic\n"
        );
    }

    #[test]
    fn progress_lines_are_tagged() {
        let u = ProgressUpdate::Retrying {
            reason: "throttled".into(),
            detail: "d".into(),
            retry_in: std::time::Duration::from_secs(4),
            attempt: 2,
        };
        let v = serde_json::to_value(ProgressLine::from_update(&u)).unwrap();
        assert_eq!(v["event"], "retrying");
        assert_eq!(v["retry_in_secs"], 4);
        assert_eq!(
            progress_text(&u),
            "throttled, retrying in 4s (attempt 2): d"
        );
        let u = ProgressUpdate::Accepted {
            operation_url: None,
            request_id: Some("rid".into()),
            correlation_id: crate::domain::progress::CorrelationId("cid".into()),
        };
        let v = serde_json::to_value(ProgressLine::from_update(&u)).unwrap();
        assert_eq!(
            (v["request_id"].as_str(), v["correlation_id"].as_str()),
            (Some("rid"), Some("cid"))
        );
        assert_eq!(
            progress_text(&u),
            "accepted by Azure (request id rid, correlation id cid); watching"
        );
    }
}
