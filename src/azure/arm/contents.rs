//! What a service holds, counted through ARM before a backup for the catalog: its APIs,
//! products and named values (`GET {service}/apis`, `/products`, `/namedValues`, every page).
//! A named-value listing never carries secret values, and only the count is kept.

use crate::azure::client::AzureClient;
use crate::azure::error::ApiError;
use crate::azure::models::NamedWire;
use crate::azure::paging::arm_list;
use crate::domain::backup::ContentCounts;
use crate::domain::names::ServiceId;

impl AzureClient {
    /// How many items `GET {service}/{child}` lists, over every page.
    ///
    /// # Errors
    /// [`ApiError`] from any page.
    pub async fn count_children(&self, id: &ServiceId, child: &str) -> Result<u32, ApiError> {
        let path = format!("{}/{child}", id.path());
        let what = format!("{child} list");
        let items: Vec<NamedWire> = self
            .apim(|v| {
                let url = self.arm_url(&path, &v);
                let what = &what;
                async move { arm_list(self, url?, what).await }
            })
            .await?;
        Ok(u32::try_from(items.len()).unwrap_or(u32::MAX))
    }

    /// The APIs, products and named values of a service, the three lists read at once. A list
    /// that cannot be read is `None` in the counts, and its error is returned beside them.
    pub async fn count_contents(&self, id: &ServiceId) -> (ContentCounts, Vec<ApiError>) {
        let (apis, products, named_values) = tokio::join!(
            self.count_children(id, "apis"),
            self.count_children(id, "products"),
            self.count_children(id, "namedValues"),
        );
        let mut errors = Vec::new();
        let mut keep = |r: Result<u32, ApiError>| r.map_err(|e| errors.push(e)).ok();
        let counts = ContentCounts {
            apis: keep(apis),
            products: keep(products),
            named_values: keep(named_values),
        };
        (counts, errors)
    }
}
