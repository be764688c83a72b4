//! Discovery: the whole estate in one walk, every independent branch at once.
//!
//! ```text
//!  subscriptions (pages, in order)
//!    └─ each subscription ──┬─ services (pages, in order)
//!                           └─ storage accounts (pages) ─ each account ─ key (listKeys) or token
//!                                 └─ containers (pages) ─ each container ─ blobs (pages, in order)
//! ```
//!
//! A paging chain is sequential (each page names the next); everything else overlaps: each
//! subscription, account and container is its own task as soon as it is known. What bounds
//! the walk is the client's in-flight budgets (`azure/in_flight.rs`: global and per host) and,
//! per subscription, ARM's quota (`azure/quota.rs`): a 429 holds back that subscription's
//! requests only, and a request waiting for its retry holds no slot. Results come out on a
//! channel as each page arrives ([`Found`]), and each branch says when it has ended
//! ([`Found::Ended`]); [`Estate::collect`] gathers them for callers that want the whole, and
//! [`Listings`] into whole listings, each as soon as it is complete (the TUI's walk).

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::mpsc;

mod listings;

pub use listings::{Listed, Listings};

use super::inventory::{blob_account, sort_newest_first};
use crate::azure::{ApiError, AzureClient};
use crate::domain::backup::BackupEntry;
use crate::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use crate::domain::names::SubscriptionId;
use crate::domain::service::ServiceSummary;

/// What to walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Only this subscription (not listed: taken as given); every visible one when `None`.
    pub subscription: Option<SubscriptionId>,
    /// List APIM services.
    pub services: bool,
    /// List storage accounts and the backups in them.
    pub backups: bool,
    /// Only the storage account of this name (any case).
    pub account: Option<String>,
    /// Only containers of this name.
    pub container: Option<String>,
}

impl Scope {
    /// Everything: services and backups of every visible subscription.
    pub fn everything() -> Self {
        Self {
            services: true,
            backups: true,
            ..Self::default()
        }
    }
}

/// One thing the walk found, as soon as it was found.
#[derive(Debug, Clone)]
pub enum Found {
    /// A subscription (in listing order).
    Subscription(SubscriptionSummary),
    /// One page of a subscription's APIM services.
    Services {
        /// The subscription whose listing this page is (its id as listed).
        subscription: String,
        /// The services.
        page: Vec<ServiceSummary>,
    },
    /// A storage account that may hold backups.
    StorageAccount {
        /// The subscription whose listing named it (its id as listed).
        subscription: String,
        /// The account.
        account: StorageAccountSummary,
    },
    /// One page of the blobs of one container.
    Backups(ContainerBackups),
    /// A branch that could not be walked (the rest goes on); its [`Found::Ended`] follows.
    Failed(Failure),
    /// A branch has ended: everything it found (and its failure, if any) came before.
    Ended(Branch),
}

/// One listing of the walk: a paging chain and, for an account, its containers' chains.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Branch {
    /// The subscriptions the identity can see (only when no subscription was given).
    Subscriptions,
    /// The APIM services of a subscription (its id as listed).
    Services(String),
    /// The storage accounts of a subscription (its id as listed), not their blobs.
    StorageAccounts(String),
    /// Every container of a storage account (its name) and the blobs in each.
    Backups(String),
}

/// A branch of the walk that failed, and what it was.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The listing that failed.
    pub branch: Branch,
    /// What was being listed, e.g. `listing services of Contoso Prod`.
    pub what: String,
    /// Why.
    pub error: ApiError,
}

type Tx = mpsc::UnboundedSender<Found>;

/// Starts the walk of `scope` with `client`; what it finds arrives on the returned channel,
/// which closes when every branch has ended. Dropping the receiver stops the walk at the next
/// step of each branch.
pub fn discover(client: &AzureClient, scope: Scope) -> mpsc::UnboundedReceiver<Found> {
    let (tx, rx) = mpsc::unbounded_channel();
    let client = client.clone();
    tokio::spawn(async move {
        if let Some(id) = scope.subscription.clone() {
            let sub = SubscriptionSummary {
                id: id.to_string(),
                name: id.to_string(),
                state: String::new(),
            };
            subscription(&client, &scope, &tx, sub);
        } else {
            let listed = client
                .each_subscription_page(|page| {
                    for s in page {
                        subscription(&client, &scope, &tx, s.into());
                    }
                })
                .await;
            end(&tx, Branch::Subscriptions, "listing subscriptions", listed);
        }
    });
    rx
}

/// Starts the walk of one storage account already known (its containers and their blobs),
/// as [`discover`] walks each account it finds.
pub fn discover_account(
    client: &AzureClient,
    account: StorageAccountSummary,
) -> mpsc::UnboundedReceiver<Found> {
    let (tx, rx) = mpsc::unbounded_channel();
    let subscription = account.subscription_id.clone();
    self::account(client, &Scope::default(), &tx, subscription, account);
    rx
}

/// Ends `branch`, saying first why it failed when it did.
fn end(tx: &Tx, branch: Branch, what: &str, result: Result<(), ApiError>) {
    if let Err(error) = result {
        let _ = tx.send(Found::Failed(Failure {
            branch: branch.clone(),
            what: what.to_owned(),
            error,
        }));
    }
    let _ = tx.send(Found::Ended(branch));
}

/// Reports a subscription and starts its two branches.
fn subscription(client: &AzureClient, scope: &Scope, tx: &Tx, sub: SubscriptionSummary) {
    if tx.send(Found::Subscription(sub.clone())).is_err() {
        return;
    }
    let Ok(id) = SubscriptionId::parse(&sub.id) else {
        let malformed = || {
            Err(ApiError::local(
                crate::azure::ErrorKind::Decode,
                "MalformedReply",
                format!("'{}' is not a subscription id", sub.id),
            ))
        };
        let what = format!("reading subscription {}", sub.id);
        if scope.services {
            end(tx, Branch::Services(sub.id.clone()), &what, malformed());
        }
        if scope.backups {
            end(
                tx,
                Branch::StorageAccounts(sub.id.clone()),
                &what,
                malformed(),
            );
        }
        return;
    };
    if scope.services {
        let (client, tx, id, name) = (client.clone(), tx.clone(), id.clone(), sub.name.clone());
        let key = sub.id.clone();
        tokio::spawn(async move {
            let listed = client
                .each_service_page(&id, |page| {
                    let subscription = key.clone();
                    let _ = tx.send(Found::Services { subscription, page });
                })
                .await;
            let what = format!("listing services of {name}");
            end(&tx, Branch::Services(key), &what, listed);
        });
    }
    if scope.backups {
        let (client, scope, tx, name) = (client.clone(), scope.clone(), tx.clone(), sub.name);
        let key = sub.id;
        tokio::spawn(async move {
            let listed = client
                .each_storage_account_page(&id, |page| {
                    for a in page {
                        let a = StorageAccountSummary::from(a);
                        let wanted = scope
                            .account
                            .as_deref()
                            .is_none_or(|n| a.name.eq_ignore_ascii_case(n));
                        if wanted {
                            account(&client, &scope, &tx, key.clone(), a);
                        }
                    }
                })
                .await;
            let what = format!("listing storage accounts of {name}");
            end(&tx, Branch::StorageAccounts(key), &what, listed);
        });
    }
}

/// Reports an account and walks its containers, each container in a task of its own; the
/// account's branch ends when the last of them has.
fn account(
    client: &AzureClient,
    scope: &Scope,
    tx: &Tx,
    subscription: String,
    a: StorageAccountSummary,
) {
    let found = Found::StorageAccount {
        subscription,
        account: a.clone(),
    };
    if tx.send(found).is_err() {
        return;
    }
    let (client, only, tx) = (client.clone(), scope.container.clone(), tx.clone());
    tokio::spawn(async move {
        let what = format!("listing backups in {}", a.name);
        let branch = Branch::Backups(a.name.clone());
        let blob = match blob_account(&client, &a).await {
            Ok(b) => b,
            Err(e) => return end(&tx, branch, &what, Err(e)),
        };
        let mut containers = Vec::new();
        let listed = client
            .each_container_page(&blob, |page| {
                for c in page {
                    if only.as_deref().is_some_and(|o| o != c) || tx.is_closed() {
                        continue;
                    }
                    let (client, blob, tx) = (client.clone(), blob.clone(), tx.clone());
                    containers.push(tokio::spawn(async move {
                        client
                            .each_blob_page(&blob, &c, None, |backups| {
                                let _ = tx.send(Found::Backups(ContainerBackups {
                                    account: blob.name.clone(),
                                    container: c.clone(),
                                    backups,
                                }));
                            })
                            .await
                    }));
                }
            })
            .await;
        let mut first_error = listed.err();
        for container in containers {
            let result = container.await.unwrap_or_else(|e| {
                Err(ApiError::local(
                    crate::azure::ErrorKind::Decode,
                    "ListingStopped",
                    format!("a container's listing stopped: {e}"),
                ))
            });
            if let (None, Err(e)) = (&first_error, result) {
                first_error = Some(e);
            }
        }
        end(&tx, branch, &what, first_error.map_or(Ok(()), Err));
    });
}

/// The estate as one walk found it, in a stable order: subscriptions as listed, services by
/// subscription then name, accounts by name, backups by account and container, newest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Estate {
    /// Subscriptions, in listing order.
    pub subscriptions: Vec<SubscriptionSummary>,
    /// APIM services.
    pub services: Vec<ServiceSummary>,
    /// Storage accounts.
    pub storage_accounts: Vec<StorageAccountSummary>,
    /// Backup blobs.
    pub backups: Vec<BackupEntry>,
    /// Containers listed (with or without backups in them).
    #[serde(skip)]
    pub containers: usize,
    /// Branches that failed.
    #[serde(skip)]
    pub failures: Vec<Failure>,
    /// Requests sent by the walk (each retry counts).
    pub requests: u64,
    /// The most requests in flight at once.
    pub max_in_flight: usize,
    /// From the first request to the last reply.
    #[serde(skip)]
    pub wall_time: Duration,
}

impl Estate {
    /// Takes in one finding.
    pub fn add(&mut self, found: Found) {
        match found {
            Found::Subscription(s) => self.subscriptions.push(s),
            Found::Services { page, .. } => self.services.extend(page),
            Found::StorageAccount { account, .. } => self.storage_accounts.push(account),
            Found::Backups(c) => {
                self.containers += 1;
                self.backups.extend(c.backups);
            }
            Found::Failed(f) => self.failures.push(f),
            Found::Ended(_) => {}
        }
    }

    /// Puts everything in the stable order.
    pub fn sort(&mut self) {
        let position = |sub: &str| {
            self.subscriptions
                .iter()
                .position(|s| s.id.eq_ignore_ascii_case(sub))
                .unwrap_or(usize::MAX)
        };
        let mut keyed: Vec<(usize, String, ServiceSummary)> = std::mem::take(&mut self.services)
            .into_iter()
            .map(|s| (position(&s.subscription_id), s.name.to_lowercase(), s))
            .collect();
        keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        self.services = keyed.into_iter().map(|(_, _, s)| s).collect();
        self.storage_accounts.sort_by(|a, b| a.name.cmp(&b.name));
        self.backups
            .sort_by(|a, b| (&a.account, &a.container).cmp(&(&b.account, &b.container)));
        for chunk in self
            .backups
            .chunk_by_mut(|a, b| a.account == b.account && a.container == b.container)
        {
            sort_newest_first(chunk);
        }
    }

    /// Walks `scope` to its end and gathers what was found, sorted, with the walk's request
    /// count, peak of requests in flight and wall time.
    pub async fn collect(client: &AzureClient, scope: Scope) -> Self {
        Self::walk(client, scope, |_| true).await
    }

    /// [`Self::collect`], showing each finding to `seen` as it arrives; when `seen` returns
    /// false the walk stops there and what was gathered so far is returned.
    pub async fn walk(
        client: &AzureClient,
        scope: Scope,
        mut seen: impl FnMut(&Found) -> bool,
    ) -> Self {
        let started = Instant::now();
        let before = client.in_flight();
        let mut rx = discover(client, scope);
        let mut estate = Self::default();
        while let Some(found) = rx.recv().await {
            let go_on = seen(&found);
            estate.add(found);
            if !go_on {
                break;
            }
        }
        drop(rx);
        let after = client.in_flight();
        estate.wall_time = started.elapsed();
        estate.requests = after.requests.saturating_sub(before.requests);
        estate.max_in_flight = after.peak;
        estate.sort();
        estate
    }
}
