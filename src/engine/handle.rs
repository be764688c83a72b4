//! The client's [`LroHandle`] and the journal's [`OperationHandle`] hold the same facts of a
//! 202; the engine moves them from one to the other.

use crate::azure::arm::LroHandle;
use crate::journal::OperationHandle;

impl From<&LroHandle> for OperationHandle {
    fn from(h: &LroHandle) -> Self {
        Self {
            location: h.location.clone(),
            async_operation: h.async_operation.clone(),
            retry_after_secs: h.retry_after_secs,
            request_id: h.request_id.clone(),
        }
    }
}

impl From<&OperationHandle> for LroHandle {
    fn from(h: &OperationHandle) -> Self {
        Self {
            location: h.location.clone(),
            async_operation: h.async_operation.clone(),
            retry_after_secs: h.retry_after_secs,
            request_id: h.request_id.clone(),
        }
    }
}
