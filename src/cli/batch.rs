//! What batches share (`backup --all`, `failover --yes`): how one item ended, from the watch's
//! end, in the words the summary and `-o json` use.

use serde::Serialize;

use super::Output;
use super::exit::CliError;
use super::output::jsonl;
use crate::engine::{EngineError, RunEnd};

pub use crate::domain::batch_report::ItemStatus;

/// How an item ended, and why when it did not succeed, from its watch's end.
pub fn ended(end: &Result<RunEnd, EngineError>) -> (ItemStatus, Option<String>) {
    match end {
        Ok(RunEnd::Finished(outcome)) => ItemStatus::of(outcome),
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
