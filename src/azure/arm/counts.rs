//! What post-restore verification counts on a service: its APIs, products and named values,
//! each a paged ARM list under the service (`GET {service id}/apis|products|namedValues`).
//! Only the number of items is kept: a named value's list entry can carry its value.

use super::super::paging::arm_list;
use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::NamedWire;
use crate::domain::names::ServiceId;

/// A collection under an APIM service that verification counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// `…/apis`.
    Apis,
    /// `…/products`.
    Products,
    /// `…/namedValues`.
    NamedValues,
}

impl Collection {
    /// Every counted collection, in display order.
    pub const ALL: [Self; 3] = [Self::Apis, Self::Products, Self::NamedValues];

    /// The path segment under the service.
    fn segment(self) -> &'static str {
        match self {
            Self::Apis => "apis",
            Self::Products => "products",
            Self::NamedValues => "namedValues",
        }
    }

    /// The name verification and the catalog use: `apis`, `products`, `named_values`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Apis => "apis",
            Self::Products => "products",
            Self::NamedValues => "named_values",
        }
    }
}

impl AzureClient {
    /// How many items `collection` of the service holds, over every page:
    /// `GET {service id}/{apis|products|namedValues}` (the APIM api-version, with its
    /// fallback).
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn count(&self, id: &ServiceId, collection: Collection) -> Result<u32, ApiError> {
        let path = format!("{}/{}", id.path(), collection.segment());
        let what = format!("{} list", collection.name().replace('_', " "));
        let items: Vec<NamedWire> = self
            .apim(|v| {
                let url = self.arm_url(&path, &v);
                let what = what.clone();
                async move { arm_list(self, url?, &what).await }
            })
            .await?;
        Ok(u32::try_from(items.len()).unwrap_or(u32::MAX))
    }
}
