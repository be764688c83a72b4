//! How a command ends: [`CliError`] (what to print, how to exit), the process [`ExitCode`]s
//! and the mapping of engine errors and outcomes to them.

use crate::azure::{ApiError, ErrorKind};
use crate::domain::error::UserError;
use crate::domain::names::NameError;
use crate::domain::operation::Outcome;
use crate::engine::EngineError;

/// Exit codes of the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success.
    Ok = 0,
    /// The operation failed, or pre-flight found a blocking problem.
    Failed = 1,
    /// Bad usage or input (including refused destructive commands without `--yes`, and
    /// read-only mode).
    Usage = 2,
    /// The operation was started but its outcome could not be confirmed.
    Unconfirmed = 3,
    /// The TUI was ended by SIGHUP (its terminal closed); live operations were journaled as
    /// detached and go on in Azure.
    Hangup = 129,
    /// Interrupted (Ctrl-C) while watching; the operation goes on in Azure.
    Interrupted = 130,
    /// The TUI was ended by SIGTERM; live operations were journaled as detached and go on in
    /// Azure.
    Terminated = 143,
}

/// A command's failure: what to print and how to exit.
#[derive(Debug)]
pub struct CliError {
    /// What to print.
    pub error: UserError,
    /// How to exit.
    pub code: ExitCode,
}

impl CliError {
    /// A usage error (exit 2).
    pub fn usage(error: impl Into<UserError>) -> Self {
        Self {
            error: error.into(),
            code: ExitCode::Usage,
        }
    }

    /// A failure (exit 1).
    pub fn failed(error: UserError) -> Self {
        Self {
            error,
            code: ExitCode::Failed,
        }
    }

    /// A failed call to Azure (exit 1, or 2 when the input was refused locally).
    pub fn api(context: &str, e: &ApiError) -> Self {
        let code = if e.kind == ErrorKind::Invalid {
            ExitCode::Usage
        } else {
            ExitCode::Failed
        };
        Self {
            error: e.to_user_error(context),
            code,
        }
    }
}

impl From<NameError> for CliError {
    fn from(e: NameError) -> Self {
        Self::usage(e)
    }
}

/// A command's result.
pub type CmdResult = Result<ExitCode, CliError>;

impl From<&EngineError> for CliError {
    fn from(e: &EngineError) -> Self {
        let code = match e {
            EngineError::ReadOnly => ExitCode::Usage,
            EngineError::Api { error, .. } if error.kind == ErrorKind::Invalid => ExitCode::Usage,
            _ => ExitCode::Failed,
        };
        Self {
            error: e.to_user_error(),
            code,
        }
    }
}

/// The exit code of an outcome.
pub fn outcome_code(o: &Outcome) -> ExitCode {
    match o {
        Outcome::Succeeded => ExitCode::Ok,
        Outcome::Failed(_) | Outcome::Canceled => ExitCode::Failed,
        Outcome::Unconfirmed { .. } => ExitCode::Unconfirmed,
    }
}
