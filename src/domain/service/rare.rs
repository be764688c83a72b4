//! [`Rare`]: what few services have (other regions, custom host names, tags, managed
//! identities, a gateway URL that is not the usual one), held in a box only when a service has
//! any of it, so a listing of many plain services pays for none of it. Pure.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

/// A service's rarely present values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RareFields {
    /// Extra regions (Premium only).
    pub additional_locations: Vec<String>,
    /// Custom host names configured on the service.
    pub custom_hostnames: Vec<String>,
    /// Resource tags.
    pub tags: BTreeMap<String, String>,
    /// Its managed identities as ARM names them, `None` when it has none.
    pub identity: Option<String>,
    /// The gateway URL when it is not `https://{name}.azure-api.net` (`None`: it has none).
    pub(super) other_gateway: Option<String>,
}

/// What a service without rare values reads as.
static NONE: RareFields = RareFields {
    additional_locations: Vec::new(),
    custom_hostnames: Vec::new(),
    tags: BTreeMap::new(),
    identity: None,
    other_gateway: None,
};

/// [`RareFields`] boxed only when a service has any; dereferences to them.
#[derive(Debug, Clone, Default)]
pub(super) struct Rare(Option<Box<RareFields>>);

impl From<RareFields> for Rare {
    fn from(fields: RareFields) -> Self {
        Self((fields != NONE).then(|| Box::new(fields)))
    }
}

impl Deref for Rare {
    type Target = RareFields;

    fn deref(&self) -> &RareFields {
        self.0.as_deref().unwrap_or(&NONE)
    }
}

impl DerefMut for Rare {
    fn deref_mut(&mut self) -> &mut RareFields {
        self.0.get_or_insert_default()
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Rare {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_service_with_rare_values_takes_a_box() {
        assert!(Rare::from(RareFields::default()).0.is_none());
        let tagged = RareFields {
            tags: [("env".to_owned(), "prod".to_owned())].into(),
            ..RareFields::default()
        };
        let kept = Rare::from(tagged.clone());
        assert!(kept.0.is_some());
        assert_eq!(*kept, tagged);
        let mut written = Rare::default();
        written.tags.insert("env".into(), "prod".into());
        assert_eq!(written, kept);
        written.tags.clear();
        assert_eq!(written, Rare::default(), "equal when both say nothing");
    }
}
