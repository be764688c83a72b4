//! [`Loadable`] and [`Listing`]: how every fetched list is held, so that "loading", "empty",
//! "failed" and "stale" are four different things on screen, never one blank table.
//!
//! A refresh over rows that are already loaded keeps them: a failed refresh marks them stale and
//! says why, it never throws them away. A listing's rows are shared (`Arc`), so that keeping them
//! in the inventory cache copies no row. Pure data, no I/O.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::domain::error::UserError;

/// One fetched thing, from "never asked" to "here it is" or "it failed".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Loadable<T> {
    /// Nobody asked for it yet.
    #[default]
    NotRequested,
    /// The first request is on its way.
    Loading {
        /// When it was asked for (to show "loading… 4s").
        since: OffsetDateTime,
    },
    /// The data.
    Loaded(T),
    /// The first request failed; there is nothing to show but the reason.
    Failed(UserError),
}

/// What a finished request did to a [`Listing`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// New rows replaced the old ones (or arrived for the first time).
    Fresh,
    /// The first load failed: the listing shows the error.
    Failed(UserError),
    /// A refresh failed: the old rows stay, marked stale.
    Stale {
        /// Why the refresh failed.
        error: UserError,
        /// When the rows still shown were loaded.
        loaded_at: Option<OffsetDateTime>,
    },
}

/// A [`Loadable`] list plus what a refresh over loaded rows needs: when the rows were loaded,
/// whether a refresh is in flight, and why the last refresh failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    /// The rows or where they stand; shared with the inventory cache's save in flight.
    pub data: Loadable<Arc<T>>,
    /// When the rows shown were loaded.
    pub loaded_at: Option<OffsetDateTime>,
    /// A refresh over loaded rows is in flight since then.
    pub refreshing_since: Option<OffsetDateTime>,
    /// The last refresh failed with this: the rows shown are stale.
    pub refresh_error: Option<UserError>,
    /// The rows shown come from the inventory cache (loaded at `loaded_at` by an earlier
    /// session): stale until a fetch answers.
    pub cached: bool,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Self {
            data: Loadable::NotRequested,
            loaded_at: None,
            refreshing_since: None,
            refresh_error: None,
            cached: false,
        }
    }
}

impl<T> Listing<T> {
    /// True while a request (first load or refresh) is in flight.
    pub fn is_busy(&self) -> bool {
        matches!(self.data, Loadable::Loading { .. }) || self.refreshing_since.is_some()
    }

    /// Marks a request as sent. Returns false, changing nothing, when one is already in flight:
    /// overlapping refreshes are dropped, as gitui and k9s do.
    pub fn begin(&mut self, now: OffsetDateTime) -> bool {
        if self.is_busy() {
            return false;
        }
        match self.data {
            Loadable::Loaded(_) => self.refreshing_since = Some(now),
            _ => self.data = Loadable::Loading { since: now },
        }
        true
    }

    /// Shows `rows` from the inventory cache, loaded at `saved_at`, when there are none yet; a
    /// first load in flight goes on as a refresh over them.
    pub fn fill_from_cache(&mut self, rows: impl Into<Arc<T>>, saved_at: OffsetDateTime) {
        if self.rows().is_some() {
            return;
        }
        if let Loadable::Loading { since } = self.data {
            self.refreshing_since = Some(since);
        }
        self.data = Loadable::Loaded(rows.into());
        self.loaded_at = Some(saved_at);
        self.cached = true;
    }

    /// Applies the answer to a request. A failure over loaded rows keeps them and marks them
    /// stale.
    pub fn settle(&mut self, result: Result<T, UserError>, now: OffsetDateTime) -> Settled {
        self.refreshing_since = None;
        match result {
            Ok(rows) => {
                self.data = Loadable::Loaded(Arc::new(rows));
                self.loaded_at = Some(now);
                self.refresh_error = None;
                self.cached = false;
                Settled::Fresh
            }
            Err(e) if matches!(self.data, Loadable::Loaded(_)) => {
                self.refresh_error = Some(e.clone());
                Settled::Stale {
                    error: e,
                    loaded_at: self.loaded_at,
                }
            }
            Err(e) => {
                self.data = Loadable::Failed(e.clone());
                Settled::Failed(e)
            }
        }
    }

    /// The rows, when there are any (fresh or stale).
    pub fn rows(&self) -> Option<&T> {
        self.shared_rows().map(|rows| &**rows)
    }

    /// The rows as shared, when there are any: another owner of the same rows, not a copy.
    pub fn shared_rows(&self) -> Option<&Arc<T>> {
        match &self.data {
            Loadable::Loaded(rows) => Some(rows),
            _ => None,
        }
    }

    /// True when the rows are in, fresh, and nothing is in flight: all there is to see.
    pub fn is_settled(&self) -> bool {
        !self.is_busy() && self.rows().is_some() && !self.is_stale()
    }

    /// True when the rows shown are from before a failed refresh, or from the cache.
    pub fn is_stale(&self) -> bool {
        (self.refresh_error.is_some() || self.cached) && self.rows().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);

    #[test]
    fn first_load_then_failed_refresh_keeps_rows_and_marks_them_stale() {
        let mut l: Listing<Vec<u8>> = Listing::default();
        assert!(l.begin(T0));
        assert!(matches!(l.data, Loadable::Loading { .. }));
        assert!(!l.begin(T0), "an overlapping request is dropped");
        assert_eq!(l.settle(Ok(vec![1, 2]), T0), Settled::Fresh);
        let later = T0 + time::Duration::minutes(5);
        assert!(l.begin(later));
        assert_eq!(l.refreshing_since, Some(later));
        let err = UserError::new("listing failed: throttled");
        // Issue 9, defect 7: the stale rows carry their load time, not the failure's.
        assert_eq!(
            l.settle(Err(err.clone()), later),
            Settled::Stale {
                error: err.clone(),
                loaded_at: Some(T0)
            }
        );
        assert_eq!(l.rows(), Some(&vec![1, 2]));
        assert!(l.is_stale());
        assert!(!l.is_busy());
        assert!(l.begin(later));
        assert!(l.is_stale(), "still stale while the next refresh runs");
        l.settle(Err(err), later);
        assert!(l.is_stale());
        l.begin(later);
        l.settle(Ok(vec![3]), later);
        assert!(!l.is_stale(), "fresh once a refresh succeeds");
    }

    #[test]
    fn cached_rows_are_stale_until_a_fetch_answers() {
        let saved = T0 - time::Duration::hours(3);
        let mut l: Listing<Vec<u8>> = Listing::default();
        assert!(l.begin(T0));
        l.fill_from_cache(vec![1], saved);
        assert_eq!(l.rows(), Some(&vec![1]));
        assert_eq!(l.loaded_at, Some(saved));
        assert!(l.is_stale());
        assert!(l.is_busy(), "the first load goes on as a refresh");
        l.settle(Err(UserError::new("throttled")), T0);
        assert!(l.is_stale(), "still the cache's rows");
        assert!(l.begin(T0));
        l.settle(Ok(vec![2]), T0);
        assert!(!l.is_stale());
        l.fill_from_cache(vec![3], saved);
        assert_eq!(
            l.rows(),
            Some(&vec![2]),
            "fetched rows are never replaced by the cache"
        );
    }

    #[test]
    fn a_failed_first_load_shows_the_error() {
        let mut l: Listing<Vec<u8>> = Listing::default();
        l.begin(T0);
        let err = UserError::new("no access");
        assert_eq!(l.settle(Err(err.clone()), T0), Settled::Failed(err.clone()));
        assert_eq!(l.data, Loadable::Failed(err));
        assert!(l.rows().is_none());
        assert!(l.begin(T0), "a retry is allowed");
    }
}
