//! What batches share (`backup --all`, `failover --yes`): how one item ended, from the watch's
//! end, in the words the summary and `-o json` use.

use serde::Serialize;

use super::Output;
use super::exit::CliError;
use super::output::jsonl;
use crate::domain::operation::Outcome;
use crate::engine::{EngineError, RunEnd};

/// How one item of a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Azure reported success.
    Succeeded,
    /// Refused before the POST, or Azure reported failure or cancellation.
    Failed,
    /// Started; its outcome could not be confirmed.
    Unconfirmed,
    /// Not run: its tier has no backup, or its plan is blocked.
    Skipped,
    /// Not run because nothing needs it (a Premium service still serving from another
    /// region needs no restore for traffic).
    NotNeeded,
}

impl ItemStatus {
    /// The word in text output (`succeeded`, `failed`, …).
    pub fn word(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Unconfirmed => "unconfirmed",
            Self::Skipped => "skipped",
            Self::NotNeeded => "not needed",
        }
    }
}

/// How an item ended, and why when it did not succeed, from its watch's end.
pub fn ended(end: &Result<RunEnd, EngineError>) -> (ItemStatus, Option<String>) {
    match end {
        Ok(RunEnd::Finished(Outcome::Succeeded)) => (ItemStatus::Succeeded, None),
        Ok(RunEnd::Finished(Outcome::Failed(e))) => (ItemStatus::Failed, Some(e.to_string())),
        Ok(RunEnd::Finished(Outcome::Canceled)) => {
            (ItemStatus::Failed, Some("Azure canceled it".to_owned()))
        }
        Ok(RunEnd::Finished(Outcome::Unconfirmed { reason })) => {
            (ItemStatus::Unconfirmed, Some(reason.clone()))
        }
        Ok(RunEnd::Detached) => (
            ItemStatus::Unconfirmed,
            Some("stopped watching; it goes on in Azure".to_owned()),
        ),
        Err(e) => (
            ItemStatus::Unconfirmed,
            Some(CliError::from(e).error.to_string()),
        ),
    }
}

/// The line printed when one item ends: `-o jsonl` the item itself, text `name: status (why)`
/// on stderr, nothing for `-o json` (the items come at the end).
pub fn ended_line(
    output: Output,
    item: &impl Serialize,
    (name, status, reason): (&str, ItemStatus, Option<&str>),
) {
    match output {
        Output::Jsonl => {
            let _ = jsonl(&mut std::io::stdout().lock(), item);
        }
        Output::Text => eprintln!(
            "{name}: {}{}",
            status.word(),
            reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        Output::Json => {}
    }
}
