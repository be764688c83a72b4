//! The API Management gateway's own health endpoint: `GET {gatewayUrl}/status-0123456789abcdef`,
//! hosted on every gateway and used by Application Gateway and Front Door probes. It takes no
//! credential: none is sent (the ARM token never leaves ARM).

use reqwest::Method;
use url::Url;

use super::client::AzureClient;
use super::error::{ApiError, ErrorKind};
use super::transport::Outgoing;
use crate::domain::verification::HEALTH_PATH;

impl AzureClient {
    /// The health endpoint's HTTP status (200: the gateway serves). One attempt, no retry:
    /// verification reports what it saw.
    ///
    /// # Errors
    /// [`ApiError`] for a gateway URL that is not one, an insecure URL (plain `http://` off
    /// loopback), or no answer at all.
    pub async fn gateway_health(&self, gateway_url: &str) -> Result<u16, ApiError> {
        let base = gateway_url.trim_end_matches('/');
        let url = Url::parse(&format!("{base}/{HEALTH_PATH}")).map_err(|e| {
            ApiError::local(
                ErrorKind::Invalid,
                "InvalidGatewayUrl",
                format!("the gateway URL '{gateway_url}' is not a URL ({e})"),
            )
        })?;
        let mut out = Outgoing::new(Method::GET, url);
        for (name, value) in self.id_headers() {
            out.headers
                .push((reqwest::header::HeaderName::from_static(name), value));
        }
        Ok(self.send(out).await?.status.as_u16())
    }
}
