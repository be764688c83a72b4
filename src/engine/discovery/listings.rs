//! [`Listings`]: a walk's findings gathered into whole listings (the subscription list, a
//! subscription's services or storage accounts, an account's backups), each given out as soon
//! as its branch has ended, and never before the listing that names it: a subscription's
//! services come after the subscription list, an account's backups after its subscription's
//! accounts. A reader that learns from a listing which listings are coming (the TUI marks them
//! loading) is never answered before it asked. Pure.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Branch, Failure, Found, Scope};
use crate::domain::backup::BackupEntry;
use crate::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use crate::domain::service::ServiceSummary;
use crate::engine::inventory::sort_newest_first;

/// One whole listing of a walk, or why it failed.
#[derive(Debug)]
pub enum Listed {
    /// The subscriptions, in listing order.
    Subscriptions(Result<Vec<SubscriptionSummary>, Box<Failure>>),
    /// A subscription's APIM services, in listing order.
    Services {
        /// The subscription's id as listed.
        subscription: String,
        /// Its services.
        result: Result<Vec<ServiceSummary>, Box<Failure>>,
    },
    /// A subscription's storage accounts, in listing order.
    StorageAccounts {
        /// The subscription's id as listed.
        subscription: String,
        /// Its accounts.
        result: Result<Vec<StorageAccountSummary>, Box<Failure>>,
    },
    /// An account's containers by name, each with its blobs newest first.
    Backups {
        /// The account's name.
        account: String,
        /// Its containers.
        result: Result<Vec<ContainerBackups>, Box<Failure>>,
    },
}

/// Gathers one walk's findings; see the module's doc.
#[derive(Debug, Default)]
pub struct Listings {
    /// The walk lists subscriptions and that list has not ended.
    subscriptions_open: bool,
    /// The walk lists storage accounts (an account's backups wait for its listing).
    lists_accounts: bool,
    subscriptions: Vec<SubscriptionSummary>,
    services: HashMap<String, Vec<ServiceSummary>>,
    accounts: HashMap<String, Vec<StorageAccountSummary>>,
    /// Each account found, and the subscription whose listing named it.
    account_of: HashMap<String, String>,
    /// Subscriptions whose storage-account listing has been given out.
    accounts_given: HashSet<String>,
    backups: HashMap<String, BTreeMap<String, Vec<BackupEntry>>>,
    failures: HashMap<Branch, Failure>,
    /// Listings complete but waiting for the listing that names them.
    held: Vec<Listed>,
}

impl Listings {
    /// For a walk of `scope` ([`super::discover`]).
    pub fn of(scope: &Scope) -> Self {
        Self {
            subscriptions_open: scope.subscription.is_none(),
            lists_accounts: scope.backups,
            ..Self::default()
        }
    }

    /// For the walk of one known account ([`super::discover_account`]).
    pub fn of_account() -> Self {
        Self::default()
    }

    /// Takes in one finding; returns the listings it completes, in the order to give them out.
    pub fn add(&mut self, found: Found) -> Vec<Listed> {
        match found {
            Found::Subscription(s) => self.subscriptions.push(s),
            Found::Services { subscription, page } => {
                self.services.entry(subscription).or_default().extend(page);
            }
            Found::StorageAccount {
                subscription,
                account,
            } => {
                self.account_of
                    .insert(account.name.clone(), subscription.clone());
                self.accounts.entry(subscription).or_default().push(account);
            }
            Found::Backups(c) => self
                .backups
                .entry(c.account)
                .or_default()
                .entry(c.container)
                .or_default()
                .extend(c.backups),
            Found::Failed(f) => {
                self.failures.entry(f.branch.clone()).or_insert(f);
            }
            Found::Ended(branch) => return self.ended(branch),
        }
        Vec::new()
    }

    /// Whatever is still held once the walk has ended (a listing whose parent never ended).
    pub fn finish(&mut self) -> Vec<Listed> {
        std::mem::take(&mut self.held)
    }

    fn ended(&mut self, branch: Branch) -> Vec<Listed> {
        let failure = self.failures.remove(&branch);
        let listed = match branch {
            Branch::Subscriptions => {
                self.subscriptions_open = false;
                let rows = std::mem::take(&mut self.subscriptions);
                let mut out = vec![Listed::Subscriptions(outcome(rows, failure))];
                out.extend(self.release());
                return out;
            }
            Branch::Services(subscription) => {
                let rows = self.services.remove(&subscription).unwrap_or_default();
                Listed::Services {
                    subscription,
                    result: outcome(rows, failure),
                }
            }
            Branch::StorageAccounts(subscription) => {
                let rows = self.accounts.remove(&subscription).unwrap_or_default();
                Listed::StorageAccounts {
                    subscription,
                    result: outcome(rows, failure),
                }
            }
            Branch::Backups(account) => {
                let containers = self.backups.remove(&account).unwrap_or_default();
                let rows = containers
                    .into_iter()
                    .map(|(container, mut backups)| {
                        sort_newest_first(&mut backups);
                        ContainerBackups {
                            account: account.clone(),
                            container,
                            backups,
                        }
                    })
                    .collect();
                Listed::Backups {
                    account,
                    result: outcome(rows, failure),
                }
            }
        };
        self.held.push(listed);
        self.release()
    }

    /// The held listings whose parent has been given out, in the order they completed; a
    /// storage-account listing given out frees its accounts' backups in the same call.
    fn release(&mut self) -> Vec<Listed> {
        let mut out = Vec::new();
        loop {
            let Some(i) = self.held.iter().position(|l| !self.waits(l)) else {
                return out;
            };
            let listed = self.held.remove(i);
            if let Listed::StorageAccounts { subscription, .. } = &listed {
                self.accounts_given.insert(subscription.clone());
            }
            out.push(listed);
        }
    }

    /// True while the listing that names `listed` has not been given out.
    fn waits(&self, listed: &Listed) -> bool {
        match listed {
            Listed::Subscriptions(_) => false,
            Listed::Services { .. } | Listed::StorageAccounts { .. } => self.subscriptions_open,
            Listed::Backups { account, .. } => {
                self.lists_accounts
                    && self
                        .account_of
                        .get(account)
                        .is_some_and(|s| !self.accounts_given.contains(s))
            }
        }
    }
}

/// The rows, unless the listing failed.
fn outcome<T>(rows: T, failure: Option<Failure>) -> Result<T, Box<Failure>> {
    failure.map_or(Ok(rows), |f| Err(Box::new(f)))
}

#[cfg(test)]
mod tests;
