//! DR operations shared by the CLI and the TUI: inventory, pre-flight, backup, restore and
//! watching. The engine reports progress as [`progress::ProgressUpdate`]s on a channel and
//! knows nothing of the terminal or of `Action`.

pub mod inventory;
pub mod progress;
