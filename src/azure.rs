//! The real Azure client (reqwest + rustls): ARM, APIM long-running operations, Blob storage
//! and Entra ID tokens. It knows HTTP and Azure's contracts, nothing of the UI.

pub mod arm;
pub mod auth;
pub mod blob;
pub mod client;
pub mod error;
pub mod gateway;
pub mod in_flight;
pub mod lro;
pub mod models;
pub mod paging;
pub mod quota;
pub mod retry;
pub mod shared_key;
pub mod transport;
mod user_error;

pub use client::{AzureClient, ClientOptions};
pub use error::{ApiError, ErrorKind};
pub use in_flight::{InFlightLimits, InFlightStats};
pub use quota::PacingStats;
