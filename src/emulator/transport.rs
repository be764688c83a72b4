//! How requests come in and replies go out, whatever the port: the listeners, the ticker and
//! the handle (`server.rs`), the reply type and the wire formats every handler shares
//! (`answer.rs`), the `--faults` grammar (`faults.rs`), what a fault sends instead of the
//! real reply (`fault_reply.rs`) and the log of the requests answered (`request_log.rs`).

pub(super) mod answer;
pub(super) mod fault_reply;
pub(super) mod faults;
pub(super) mod request_log;
pub(super) mod server;
