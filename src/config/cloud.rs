//! The Azure clouds apim-dr signs in to: each one's ARM endpoint, Entra authority and token
//! scopes.

use serde::{Deserialize, Serialize};

use crate::azure::auth::Scopes;

/// Azure clouds with their ARM endpoint and token scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Azure public cloud.
    #[default]
    Public,
    /// Azure operated by 21Vianet (China).
    China,
    /// Azure Government (US).
    Usgov,
}

impl Cloud {
    /// The cloud's ARM endpoint.
    pub fn arm_endpoint(self) -> &'static str {
        match self {
            Self::Public => "https://management.azure.com",
            Self::China => "https://management.chinacloudapi.cn",
            Self::Usgov => "https://management.usgovcloudapi.net",
        }
    }

    /// The cloud's Microsoft Entra authority, for the credentials that sign in over HTTP.
    pub fn entra(self) -> azure_core::cloud::CloudConfiguration {
        use azure_core::cloud::CloudConfiguration;
        match self {
            Self::Public => CloudConfiguration::AzurePublic,
            Self::China => CloudConfiguration::AzureChina,
            Self::Usgov => CloudConfiguration::AzureGovernment,
        }
    }

    /// The name `--cloud` and `config.toml` use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::China => "china",
            Self::Usgov => "usgov",
        }
    }

    /// The cloud's token scopes.
    pub fn scopes(self) -> Scopes {
        Scopes {
            arm: format!("{}/.default", self.arm_endpoint()),
            storage: match self {
                Self::China => "https://storage.azure.cn/.default".to_owned(),
                Self::Public | Self::Usgov => "https://storage.azure.com/.default".to_owned(),
            },
        }
    }
}
