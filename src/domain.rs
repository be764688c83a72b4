//! Pure types and rules of APIM disaster recovery: validated names, tiers, regions, backups,
//! operations, RBAC roles, the pre-flight verdict and the post-restore verification. No I/O, no clock, no tokio.

pub mod backup;
pub mod batch_report;
pub mod cutover;
pub mod duration;
pub mod error;
pub mod estimate;
pub mod failover;
pub mod inventory;
pub mod names;
pub mod operation;
pub mod preflight;
pub mod progress;
pub mod rbac;
pub mod refusal;
pub mod region;
pub mod report;
pub mod rpo;
pub mod runbook;
pub mod service;
pub mod shared;
pub mod sku;
pub mod standby;
pub mod suggest;
pub mod verification;
