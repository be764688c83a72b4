//! [`EngineError`]: why an operation was not started or not watched, and how each maps to the
//! operator's words ([`UserError`]).

use crate::azure::ApiError;
use crate::domain::error::UserError;
use crate::domain::preflight::Verdict;
use crate::domain::progress::JournalId;
use crate::journal::JournalError;

/// An operation could not be started or watched.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A call to Azure failed; `context` says what was being done.
    #[error("{context}: {error}")]
    Api {
        /// "reading the target service", …
        context: String,
        /// The failure.
        error: Box<ApiError>,
    },
    /// The journal could not be written: nothing is sent without it.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// Pre-flight found a blocking problem; nothing was sent.
    #[error("pre-flight found {} blocking problem(s)", .0.blockers().count())]
    Blocked(Box<Verdict>),
    /// This tool already has an unfinished operation on the service.
    #[error("apim-dr already has operation {existing} on {service}")]
    Busy {
        /// The service.
        service: String,
        /// The unfinished operation.
        existing: JournalId,
        /// True when that operation may not have reached Azure.
        may_have_started: bool,
    },
    /// Backup and restore are disabled.
    #[error("read-only mode: backup and restore are disabled")]
    ReadOnly,
    /// Refused before sending, for the reason given.
    #[error("{0}")]
    Refused(String),
}

impl EngineError {
    /// Wraps an [`ApiError`] with what was being done.
    pub fn api(context: &str) -> impl FnOnce(ApiError) -> Self + '_ {
        move |error| Self::Api {
            context: context.to_owned(),
            error: Box::new(error),
        }
    }

    /// The operator's view.
    pub fn to_user_error(&self) -> UserError {
        match self {
            Self::Api { context, error } => error.to_user_error(context),
            Self::Journal(e) => UserError::new(format!(
                "the operation journal cannot be written: {e}"
            ))
            .with_hint("nothing was sent: fix the data directory (APIM_DR_DATA_DIR) and try again"),
            Self::Blocked(v) => {
                let reasons: Vec<String> = v
                    .blockers()
                    .map(|c| match &c.fix {
                        Some(fix) => format!("✖ {}: {}\n  fix: {fix}", c.title, c.reason),
                        None => format!("✖ {}: {}", c.title, c.reason),
                    })
                    .collect();
                UserError::new("pre-flight found blocking problems; nothing was sent")
                    .with_detail(reasons.join("\n"))
            }
            Self::Busy {
                service,
                existing,
                may_have_started,
            } => {
                let u = UserError::new(format!(
                    "apim-dr already has an unfinished operation ({existing}) on {service}; a second one is not sent"
                ));
                if *may_have_started {
                    u.with_hint(format!(
                        "that operation may have started: run `apim-dr operations watch {existing}` to check it first"
                    ))
                } else {
                    u.with_hint(format!(
                        "watch it with `apim-dr operations watch {existing}`"
                    ))
                }
            }
            Self::ReadOnly => UserError::new("read-only mode: backup and restore are disabled")
                .with_hint("drop --read-only (or read_only in config.toml) to change anything"),
            Self::Refused(reason) => UserError::new(reason.clone()),
        }
    }
}
