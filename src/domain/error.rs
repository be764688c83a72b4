//! [`UserError`]: one failure as an operator reads it (summary, detail, request id, hint),
//! built once (from an API failure beside `azure::ApiError`, from a failed operation or a
//! local problem here) and used by the TUI's flash line and details popup, the CLI's text
//! output and `-o json`. Its fields never hold secrets. Pure.

use serde::{Deserialize, Serialize};

use super::names::NameError;
use super::operation::OperationError;

/// A failure, in words for the person at the terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserError {
    /// One line: what failed.
    pub summary: String,
    /// The service's own words (code and message), or more context.
    pub detail: Option<String>,
    /// `x-ms-request-id`, for support tickets.
    pub request_id: Option<String>,
    /// What to do about it, when we know.
    pub hint: Option<String>,
}

impl UserError {
    /// A failure with only a summary.
    pub fn new(summary: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            detail: None,
            request_id: None,
            hint: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Builds the operator's view of a failed operation.
    pub fn from_operation(context: &str, e: &OperationError) -> Self {
        Self {
            summary: format!("{context} failed: {}", e.message),
            detail: Some(e.code.clone()),
            request_id: e.request_id.clone(),
            hint: None,
        }
    }

    /// One line with the request id, for flash lines and logs.
    pub fn one_line(&self) -> String {
        match &self.request_id {
            Some(id) => format!("{} (request id {id})", self.summary),
            None => self.summary.clone(),
        }
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary)?;
        if let Some(d) = &self.detail {
            write!(f, "\n  detail: {d}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, "\n  request id: {id}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UserError {}

impl From<NameError> for UserError {
    fn from(e: NameError) -> Self {
        Self::new(e.to_string())
    }
}

/// `value` as an error quotes it: whole up to `max` characters, else its start and its end
/// with `…` between (the end of a pasted id is often what is wrong).
pub fn elide_middle(value: &str, max: usize) -> String {
    let n = value.chars().count();
    if n <= max {
        return value.to_owned();
    }
    let tail = max / 2;
    let head = max.saturating_sub(tail + 1);
    let start: String = value.chars().take(head).collect();
    let end: String = value.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

#[cfg(test)]
mod elide_tests {
    use super::elide_middle;

    #[test]
    fn short_values_are_whole_and_long_ones_keep_both_ends() {
        assert_eq!(elide_middle("apim-a", 10), "apim-a");
        let long = format!("/subscriptions/{}/service/servi", "x".repeat(200));
        let shown = elide_middle(&long, 40);
        assert_eq!(shown.chars().count(), 40);
        assert!(shown.starts_with("/subscriptions/") && shown.ends_with("/service/servi"));
        assert!(shown.contains('…'));
    }
}
