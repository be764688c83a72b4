//! The requests the emulator answered, newest last, for tests and drills: which correlation
//! and client request ids a client sent, what it was answered and when. Only the method and
//! the path are kept, never a query string (it may carry a SAS) or a header that could hold a
//! secret. The oldest records are dropped past [`CAPACITY`].

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::server::{Incoming, Port};

/// Records kept.
pub const CAPACITY: usize = 10_000;

/// One request and the status it was answered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// `arm` or `blob`.
    pub port: String,
    /// HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The status sent back.
    pub status: u16,
    /// `x-ms-correlation-request-id` as the client sent it, if it did.
    pub correlation_id: Option<String>,
    /// `x-ms-client-request-id` as the client sent it, if it did.
    pub client_request_id: Option<String>,
    /// When it arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The log itself.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    records: Mutex<VecDeque<RequestRecord>>,
}

impl RequestLog {
    /// Adds the request `req` on `port`, answered `status`.
    pub fn record(&self, port: Port, req: &Incoming, status: u16) {
        let record = RequestRecord {
            port: match port {
                Port::Arm => "arm",
                Port::Blob => "blob",
            }
            .to_owned(),
            method: req.method.to_string(),
            path: req.uri.path().to_owned(),
            status,
            correlation_id: req.header("x-ms-correlation-request-id"),
            client_request_id: req.header("x-ms-client-request-id"),
            at: req.now,
        };
        let mut records = self
            .records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if records.len() == CAPACITY {
            records.pop_front();
        }
        records.push_back(record);
    }

    /// Every record kept, oldest first.
    pub fn all(&self) -> Vec<RequestRecord> {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}
