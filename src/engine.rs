//! DR operations shared by the CLI and the TUI: inventory, pre-flight, backup, restore and
//! watching. The engine reports progress as [`progress::ProgressUpdate`]s on a channel and
//! knows nothing of the terminal or of `Action`.

pub mod backup;
pub mod error;
mod handle;
pub mod inventory;
pub mod operation;
pub mod preflight;
pub mod restore;
pub mod watch;

pub use error::EngineError;
pub use operation::{Engine, Prepared};
pub use watch::RunEnd;
