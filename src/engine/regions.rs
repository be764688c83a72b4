//! A service's regions and their gateways (Premium multi-region): each region's own gateway
//! (`gatewayRegionalUrl`), whether it is switched off (`disableGateway`) and what its health
//! endpoint answers now, plus the main host (`gatewayUrl`, which Azure routes to the closest
//! serving region). When the primary region is down such a service still serves from the
//! others; only its management plane is lost. Switching a region's gateway off and on is the
//! drill for it.

use super::Engine;
use super::error::EngineError;
use crate::azure::ApiError;
use crate::azure::arm::regions::gateway_switch;
use crate::azure::models::ServiceResource;
use crate::domain::names::ServiceId;

/// What a gateway's health endpoint answered: its HTTP status, or why there was no answer.
pub type Health = Result<u16, String>;

/// One region of a service and its gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionGateway {
    /// Region display name.
    pub location: String,
    /// True for the primary region (the one with the management plane).
    pub primary: bool,
    /// Its gateway's own URL, when ARM gave one.
    pub url: Option<String>,
    /// True when its gateway was switched off (`disableGateway`).
    pub disabled: bool,
    /// What its health endpoint answered.
    pub health: Health,
}

impl RegionGateway {
    /// True when its health endpoint answered 200.
    pub fn serves(&self) -> bool {
        self.health == Ok(200)
    }
}

/// A service's regions and its main host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions {
    /// The service's name.
    pub service: String,
    /// Its main gateway URL (`gatewayUrl`), when it has one.
    pub main_url: Option<String>,
    /// What the main host's health endpoint answered.
    pub main_health: Option<Health>,
    /// Every region, primary first.
    pub regions: Vec<RegionGateway>,
}

impl Engine {
    /// Reads the service and asks each of its gateways' health endpoints. Read-only.
    ///
    /// # Errors
    /// [`ApiError`] when the service cannot be read.
    pub async fn regions(&self, id: &ServiceId) -> Result<Regions, ApiError> {
        let r = self.client.get_service_resource(id).await?;
        Ok(self.gateways_of(&r).await)
    }

    /// Switches the gateway of `region` off (`disabled`) or on, then reads every region again.
    ///
    /// # Errors
    /// [`EngineError::ReadOnly`] in read-only mode; [`EngineError::Refused`] when `region` is
    /// none of the service's regions; [`EngineError::Api`] when ARM refuses.
    pub async fn set_gateway(
        &self,
        id: &ServiceId,
        region: &str,
        disabled: bool,
    ) -> Result<Regions, EngineError> {
        if self.read_only {
            return Err(EngineError::ReadOnly);
        }
        let r = self
            .client
            .get_service_resource(id)
            .await
            .map_err(EngineError::api("reading the service"))?;
        let Some(body) = gateway_switch(&r, region, disabled) else {
            let mut all = vec![r.location.clone()];
            all.extend(
                r.properties
                    .additional_locations
                    .iter()
                    .map(|l| l.location.clone()),
            );
            return Err(EngineError::Refused(format!(
                "{region} is not a region of {}: it runs in {}",
                r.name,
                all.join(", ")
            )));
        };
        let after = self
            .client
            .patch_service(id, &body)
            .await
            .map_err(EngineError::api("switching the region's gateway"))?;
        Ok(self.gateways_of(&after).await)
    }

    async fn gateways_of(&self, r: &ServiceResource) -> Regions {
        let health = |url: Option<String>| async move {
            match url {
                Some(u) => Some(
                    self.client
                        .gateway_health(&u)
                        .await
                        .map_err(|e| e.to_string()),
                ),
                None => None,
            }
        };
        let p = &r.properties;
        let mut regions = vec![RegionGateway {
            location: r.location.clone(),
            primary: true,
            url: p.gateway_regional_url.clone(),
            disabled: p.disable_gateway.unwrap_or(false),
            health: Err(String::new()),
        }];
        regions.extend(p.additional_locations.iter().map(|l| RegionGateway {
            location: l.location.clone(),
            primary: false,
            url: l.gateway_regional_url.clone(),
            disabled: l.disable_gateway.unwrap_or(false),
            health: Err(String::new()),
        }));
        for g in &mut regions {
            g.health = health(g.url.clone())
                .await
                .unwrap_or_else(|| Err("ARM gave no regional gateway URL".to_owned()));
        }
        Regions {
            service: r.name.clone(),
            main_url: p.gateway_url.clone(),
            main_health: health(p.gateway_url.clone()).await,
            regions,
        }
    }
}
