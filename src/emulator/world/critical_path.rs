//! The longest chain of dependent round trips a walk of the whole estate must make: the floor
//! under any discovery, however many requests it overlaps.
//!
//! A subscription is known once the subscription page holding it has arrived; from there its
//! services are one paging chain, and its storage accounts another: an account is known with
//! the account page holding it, then its key (`listKeys`, when Shared Key is allowed), then the
//! container pages up to the container, then that container's blob pages. Every list costs at
//! least one page, even an empty one. Pure.

use super::World;

/// Items per page of each list the walk reads, as the emulator serves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPages {
    /// `GET /subscriptions`.
    pub subscriptions: usize,
    /// APIM service lists.
    pub services: usize,
    /// Storage account lists.
    pub storage_accounts: usize,
    /// List Containers and List Blobs.
    pub blobs: usize,
}

/// Pages needed to reach item `i` (0-based) of a list, `size` to a page.
fn pages_to(i: usize, size: usize) -> usize {
    i / size.max(1) + 1
}

/// Pages of a whole list of `n` items (one even when empty).
fn pages_of(n: usize, size: usize) -> usize {
    n.div_ceil(size.max(1)).max(1)
}

impl World {
    /// The round trips on the longest dependent chain of a walk of every subscription's
    /// services and backups, with lists paged as `pages` says.
    pub fn discovery_critical_path(&self, pages: ListPages) -> usize {
        self.subscriptions
            .iter()
            .enumerate()
            .map(|(k, sub)| {
                let known = pages_to(k, pages.subscriptions);
                let services = self
                    .services
                    .iter()
                    .filter(|s| s.subscription.eq_ignore_ascii_case(&sub.id))
                    .count();
                let accounts: Vec<_> = self
                    .accounts
                    .iter()
                    .filter(|a| a.subscription.eq_ignore_ascii_case(&sub.id))
                    .collect();
                let storage = accounts
                    .iter()
                    .enumerate()
                    .map(|(j, a)| {
                        let key = usize::from(a.allow_shared_key_access);
                        let deepest = a
                            .containers
                            .values()
                            .enumerate()
                            .map(|(c, container)| {
                                pages_to(c, pages.blobs)
                                    + pages_of(container.blobs.len(), pages.blobs)
                            })
                            .max()
                            .unwrap_or_else(|| pages_of(0, pages.blobs));
                        pages_to(j, pages.storage_accounts) + key + deepest
                    })
                    .max()
                    .unwrap_or_else(|| pages_of(0, pages.storage_accounts));
                known + pages_of(services, pages.services).max(storage)
            })
            .max()
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_chain_of_a_small_world() {
        let w = World::load("gen:subs=2,services=5,backups=0,open=1").unwrap();
        // Subscription 2 (2 subscription pages), 3 services in 2 pages or its account:
        // 1 account page + key + 2 empty containers on one page (1) + 1 empty blob page.
        let pages = ListPages {
            subscriptions: 1,
            services: 2,
            storage_accounts: 50,
            blobs: 5000,
        };
        assert_eq!(w.discovery_critical_path(pages), 2 + 4);
        assert_eq!(
            w.discovery_critical_path(ListPages {
                services: 1,
                ..pages
            }),
            2 + 4
        );
    }

    #[test]
    fn the_estate_is_about_seventy_round_trips_deep() {
        let w = World::load("gen:estate").unwrap();
        let pages = ListPages {
            subscriptions: 1,
            services: 2,
            storage_accounts: 50,
            blobs: 4,
        };
        let depth = w.discovery_critical_path(pages);
        assert!((50..=100).contains(&depth), "{depth}");
    }
}
