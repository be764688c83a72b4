//! Printing an operation's progress as it happens: in text, each line starts with the time
//! elapsed since the operation was journaled, and a poll that says nothing new prints nothing
//! (unless a minute passed without a line, so a long restore never looks hung); in JSON, every
//! event is one object per line with its time (`at`, RFC 3339 to the second). With an estimate
//! (`domain/estimate.rs`), the first line says the typical duration, its basis and the ETA, and
//! each `running` line the time left; in JSON, `started` and `running` events carry
//! `estimate: {typical_secs, eta, remaining_secs, basis, samples, tier, basis_text}`.

use std::fmt::Write as _;
use std::io::Write;
use std::time::{Duration, Instant};

use serde::Serialize;
use time::OffsetDateTime;

use super::Output;
use super::output::{ProgressLine, progress_text};
use crate::domain::duration::{short, utc_seconds};
use crate::domain::estimate::{Estimate, EstimateJson};
use crate::domain::progress::{OperationInfo, ProgressUpdate};

/// A poll that changes nothing is printed only when no line was printed for this long.
pub const QUIET_AT_MOST: Duration = Duration::from_secs(60);

/// One JSON progress event: the time, then the event's own fields.
#[derive(Debug, Serialize)]
pub struct Event<'a> {
    /// When it was printed, RFC 3339 to the second.
    pub at: String,
    /// The event.
    #[serde(flatten)]
    pub line: ProgressLine<'a>,
    /// The estimate, on `started` and `running` events when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<EstimateJson>,
}

/// Prints one operation's progress to stdout.
#[derive(Debug)]
pub struct Printer {
    output: Output,
    started_at: OffsetDateTime,
    /// Status and percent of the last `running` line printed.
    last_running: Option<(Option<String>, Option<u8>)>,
    last_line: Instant,
    estimate: Option<Estimate>,
}

impl Printer {
    /// A printer for the operation journaled at `started_at`.
    pub fn new(output: Output, started_at: OffsetDateTime) -> Self {
        Self {
            output,
            started_at,
            last_running: None,
            last_line: Instant::now(),
            estimate: None,
        }
    }

    /// The same, saying how long it typically takes and how long is left.
    #[must_use]
    pub fn with_estimate(mut self, e: Estimate) -> Self {
        self.estimate = Some(e);
        self
    }

    /// The first line: the operation's id, kind, service, blob and correlation id.
    pub fn started(&mut self, info: &OperationInfo) {
        let line = ProgressLine::Started {
            id: &info.id.0,
            kind: info.kind.to_string(),
            service: info.service.to_string(),
            blob: info.subject(),
            correlation_id: info.correlation_id.as_ref().map(|c| c.0.as_str()),
        };
        let mut text = match &info.correlation_id {
            Some(c) => format!(
                "{} {} started as operation {} ({}); correlation id {c}",
                info.kind,
                info.service.name,
                info.id,
                info.subject()
            ),
            None => format!(
                "{} {} started as operation {} ({})",
                info.kind,
                info.service.name,
                info.id,
                info.subject()
            ),
        };
        if let Some(e) = &self.estimate {
            let eta = e.progress(self.started_at, self.started_at).eta;
            let _ = write!(
                text,
                "; {} ({}), ETA {}",
                e.phrase(),
                e.basis_text(),
                utc_seconds(eta)
            );
        }
        self.print(line, &text, true);
    }

    /// One update; a `running` poll with the same status and percent as the last one printed
    /// is skipped unless [`QUIET_AT_MOST`] passed without a line.
    pub fn update(&mut self, u: &ProgressUpdate) {
        if self.output == Output::Text && !self.worth_a_line(u) {
            return;
        }
        let running = matches!(u, ProgressUpdate::Running { .. });
        let mut text = progress_text(u);
        if let (true, Some(e)) = (running, &self.estimate) {
            let _ = write!(
                text,
                " · {}",
                e.remaining_text(self.started_at, OffsetDateTime::now_utc())
            );
        }
        self.print(ProgressLine::from_update(u), &text, running);
    }

    fn worth_a_line(&mut self, u: &ProgressUpdate) -> bool {
        let ProgressUpdate::Running {
            status, percent, ..
        } = u
        else {
            self.last_running = None;
            return true;
        };
        let now = (status.clone(), *percent);
        if self.last_running.as_ref() == Some(&now) && self.last_line.elapsed() < QUIET_AT_MOST {
            return false;
        }
        self.last_running = Some(now);
        true
    }

    /// Prints a line; `with_estimate` adds the estimate to the JSON event.
    fn print(&mut self, line: ProgressLine<'_>, text: &str, with_estimate: bool) {
        let now = OffsetDateTime::now_utc();
        let estimate = self
            .estimate
            .as_ref()
            .filter(|_| with_estimate)
            .map(|e| EstimateJson::new(e, self.started_at, now));
        let mut out = std::io::stdout().lock();
        let _ = match self.output {
            Output::Json | Output::Jsonl => serde_json::to_writer(
                &mut out,
                &Event {
                    at: utc_seconds(now),
                    line,
                    estimate,
                },
            )
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
            Output::Text => writeln!(out, "[{}] {text}", short(now - self.started_at)),
        };
        self.last_line = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(polls: u32, status: &str) -> ProgressUpdate {
        ProgressUpdate::Running {
            status: Some(status.to_owned()),
            percent: None,
            polls,
            next_poll_in: Duration::from_secs(10),
        }
    }

    #[test]
    fn a_poll_that_says_nothing_new_is_not_a_line() {
        let mut p = Printer::new(Output::Text, OffsetDateTime::now_utc());
        assert!(p.worth_a_line(&running(1, "InProgress")));
        p.last_line = Instant::now();
        assert!(!p.worth_a_line(&running(2, "InProgress")));
        assert!(p.worth_a_line(&running(3, "Finalizing")), "a new status");
        p.last_line = Instant::now().checked_sub(QUIET_AT_MOST).unwrap();
        assert!(
            p.worth_a_line(&running(4, "Finalizing")),
            "a minute of quiet"
        );
        assert!(p.worth_a_line(&ProgressUpdate::Note("n".into())));
        assert!(
            p.worth_a_line(&running(5, "Finalizing")),
            "after another line"
        );
    }

    #[test]
    fn json_events_carry_their_time_to_the_second() {
        let v = serde_json::to_value(Event {
            at: utc_seconds(OffsetDateTime::now_utc()),
            line: ProgressLine::Sending,
            estimate: None,
        })
        .unwrap();
        assert_eq!(v["event"], "sending");
        let at = v["at"].as_str().unwrap();
        assert!(at.len() == 20 && at.ends_with('Z'), "{at}");
    }
}
