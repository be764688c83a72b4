//! [`Shared`]: an immutable string that rows of a listing share when they hold the same value
//! (a subscription GUID, a region, a resource group, a tier, a storage account, a container,
//! a backup's source service): one allocation for every row that says `West Europe`, not one
//! per row.
//!
//! Values are pooled per thread as they are made or read; the pool is a cache of memory only
//! (no result depends on whether two equal values share). When it is full it forgets the
//! values nothing else holds any more, and makes room for twice those still held (never less
//! than [`POOL_LIMIT`]): a stream of distinct values never grows it without bound, and a
//! listing with more distinct values in use than the limit (5 000 services' backups) still
//! shares them. Serialized as the plain string.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How many distinct values a thread's pool holds, at least, before it forgets unused ones.
const POOL_LIMIT: usize = 4096;

/// A thread's values, and how many it holds before it forgets those no longer in use.
struct Pool {
    values: HashSet<Arc<str>>,
    limit: usize,
}

impl Pool {
    /// The pooled value equal to `value`, added when there is none.
    fn get_or_add(&mut self, value: &str) -> Arc<str> {
        if let Some(found) = self.values.get(value) {
            return Arc::clone(found);
        }
        if self.values.len() >= self.limit {
            self.values.retain(|v| Arc::strong_count(v) > 1);
            self.limit = POOL_LIMIT.max(2 * self.values.len());
        }
        let made: Arc<str> = Arc::from(value);
        self.values.insert(Arc::clone(&made));
        made
    }
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool {
        values: HashSet::new(),
        limit: POOL_LIMIT,
    });
}

/// A string shared between equal values; dereferences to `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Shared(Arc<str>);

impl Shared {
    /// The value, taken from the pool when an equal one is there.
    pub fn new(value: &str) -> Self {
        Self(POOL.with_borrow_mut(|pool| pool.get_or_add(value)))
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Shared {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Shared {
    fn from(value: String) -> Self {
        Self::new(&value)
    }
}

impl From<&String> for Shared {
    fn from(value: &String) -> Self {
        Self::new(value)
    }
}

impl From<Shared> for String {
    fn from(value: Shared) -> Self {
        value.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Shared {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Shared> for str {
    fn eq(&self, other: &Shared) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Shared> for &str {
    fn eq(&self, other: &Shared) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Shared;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Shared, E> {
                Ok(Shared::new(value))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_allocation() {
        let a = Shared::from("West Europe");
        let b: Shared = serde_json::from_str("\"West Europe\"").unwrap();
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "West Europe");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"West Europe\"");
        assert_eq!(format!("{a} {a:?}"), "West Europe \"West Europe\"");
    }

    #[test]
    fn a_full_pool_forgets_only_what_nothing_holds() {
        let kept = Shared::from("kept by its owner");
        for i in 0..POOL_LIMIT {
            let _ = Shared::new(&i.to_string());
        }
        let after = Shared::from("kept by its owner");
        assert!(Arc::ptr_eq(&kept.0, &after.0), "still held: still shared");
        assert!(POOL.with_borrow(|pool| pool.values.len() < POOL_LIMIT));
    }

    #[test]
    fn the_pool_grows_with_the_values_in_use() {
        let held: Vec<Shared> = (0..2 * POOL_LIMIT)
            .map(|i| Shared::new(&format!("in use {i}")))
            .collect();
        let again = Shared::new("in use 0");
        assert!(Arc::ptr_eq(&held[0].0, &again.0));
        assert!(POOL.with_borrow(|pool| pool.limit >= 2 * POOL_LIMIT));
        drop(held);
        for i in 0..4 * POOL_LIMIT {
            let _ = Shared::new(&i.to_string());
        }
        assert!(
            POOL.with_borrow(|pool| pool.limit == POOL_LIMIT),
            "room shrinks once the values are dropped"
        );
    }
}
