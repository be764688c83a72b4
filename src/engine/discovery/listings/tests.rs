use time::macros::datetime;

use super::*;
use crate::app::fixtures::{self, DR, PROD};
use crate::azure::{ApiError, ErrorKind};

fn services(sub: &str, names: &[&str]) -> Found {
    Found::Services {
        subscription: sub.into(),
        page: names
            .iter()
            .map(|n| fixtures::service(sub, "rg", n, "Premium", 1, "West Europe"))
            .collect(),
    }
}

fn account(sub: &str, name: &str) -> Found {
    let (_, mut account) = fixtures::accounts().remove(0);
    account.name = name.into();
    Found::StorageAccount {
        subscription: sub.into(),
        account,
    }
}

fn blobs(account: &str, container: &str, names: &[(&str, u8)]) -> Found {
    Found::Backups(ContainerBackups {
        account: account.into(),
        container: container.into(),
        backups: names
            .iter()
            .map(|(n, day)| {
                let created = datetime!(2026-11-01 00:00 UTC) + time::Duration::days((*day).into());
                let mut b = fixtures::backup(account, n, created, None);
                b.container = container.into();
                b
            })
            .collect(),
    })
}

fn failed(branch: Branch) -> Found {
    Found::Failed(Failure {
        branch,
        what: "listing".into(),
        error: ApiError::local(ErrorKind::Http, "Throttled", "too many requests"),
    })
}

/// What each listing is, in the order given out, with its row count or `err`.
fn names(listed: &[Listed]) -> Vec<String> {
    let rows =
        |r: Result<usize, &Box<Failure>>| r.map_or_else(|_| "err".to_owned(), |n| n.to_string());
    listed
        .iter()
        .map(|l| match l {
            Listed::Subscriptions(r) => format!("subscriptions {}", rows(r.as_ref().map(Vec::len))),
            Listed::Services {
                subscription,
                result,
            } => format!(
                "services {subscription} {}",
                rows(result.as_ref().map(Vec::len))
            ),
            Listed::StorageAccounts {
                subscription,
                result,
            } => format!(
                "accounts {subscription} {}",
                rows(result.as_ref().map(Vec::len))
            ),
            Listed::Backups { account, result } => {
                format!("backups {account} {}", rows(result.as_ref().map(Vec::len)))
            }
        })
        .collect()
}

fn feed(listings: &mut Listings, found: impl IntoIterator<Item = Found>) -> Vec<Listed> {
    found.into_iter().flat_map(|f| listings.add(f)).collect()
}

#[test]
fn a_listing_never_comes_before_the_listing_that_names_it() {
    let mut l = Listings::of(&Scope::everything());
    let early = feed(
        &mut l,
        [
            Found::Subscription(fixtures::subscriptions().remove(0)),
            services(PROD, &["apim-a", "apim-b"]),
            Found::Ended(Branch::Services(PROD.into())),
            account(PROD, "stweu"),
            blobs("stweu", "apim-backups", &[("a.apimbackup", 1)]),
            // The account's backups end before its subscription's account listing does.
            Found::Ended(Branch::Backups("stweu".into())),
            Found::Ended(Branch::StorageAccounts(PROD.into())),
        ],
    );
    assert!(early.is_empty(), "{:?}", names(&early));
    let all = feed(&mut l, [Found::Ended(Branch::Subscriptions)]);
    assert_eq!(
        names(&all),
        [
            "subscriptions 1".to_owned(),
            format!("services {PROD} 2"),
            format!("accounts {PROD} 1"),
            "backups stweu 1".to_owned(),
        ]
    );
    assert!(l.finish().is_empty());
}

#[test]
fn once_named_a_listing_comes_as_soon_as_it_ends() {
    let mut l = Listings::of(&Scope::everything());
    feed(
        &mut l,
        [Found::Subscription(fixtures::subscriptions().remove(0))],
    );
    assert_eq!(
        names(&l.add(Found::Ended(Branch::Subscriptions))),
        ["subscriptions 1"]
    );
    feed(&mut l, [account(PROD, "stweu")]);
    assert!(
        l.add(Found::Ended(Branch::Backups("stweu".into())))
            .is_empty()
    );
    assert_eq!(
        names(&l.add(Found::Ended(Branch::StorageAccounts(PROD.into())))),
        [format!("accounts {PROD} 1"), "backups stweu 0".to_owned()]
    );
    assert_eq!(
        names(&l.add(Found::Ended(Branch::Services(PROD.into())))),
        [format!("services {PROD} 0")]
    );
}

#[test]
fn a_failure_belongs_to_its_own_listing_only() {
    let mut l = Listings::of(&Scope {
        subscription: Some(crate::domain::names::SubscriptionId::parse(PROD).unwrap()),
        ..Scope::everything()
    });
    let out = feed(
        &mut l,
        [
            services(PROD, &["apim-a"]),
            account(PROD, "stweu"),
            account(PROD, "stneu"),
            failed(Branch::Backups("stneu".into())),
            Found::Ended(Branch::Backups("stneu".into())),
            Found::Ended(Branch::Backups("stweu".into())),
            failed(Branch::Services(PROD.into())),
            Found::Ended(Branch::Services(PROD.into())),
            Found::Ended(Branch::StorageAccounts(PROD.into())),
        ],
    );
    assert_eq!(
        names(&out),
        [
            format!("services {PROD} err"),
            format!("accounts {PROD} 2"),
            "backups stneu err".to_owned(),
            "backups stweu 0".to_owned(),
        ]
    );
}

#[test]
fn an_accounts_pages_make_its_containers_by_name_each_newest_first() {
    let mut l = Listings::of_account();
    let out = feed(
        &mut l,
        [
            account(DR, "stneu"),
            blobs("stneu", "zeta", &[("z.apimbackup", 1)]),
            blobs("stneu", "apim-backups", &[("old", 1), ("newer", 5)]),
            blobs("stneu", "apim-backups", &[("newest", 9), ("oldest", 0)]),
            Found::Ended(Branch::Backups("stneu".into())),
        ],
    );
    let [Listed::Backups { result: Ok(c), .. }] = &out[..] else {
        panic!("{:?}", names(&out));
    };
    let containers: Vec<(&str, Vec<&str>)> = c
        .iter()
        .map(|c| {
            let blobs = c.backups.iter().map(|b| b.name.as_str()).collect();
            (c.container.as_str(), blobs)
        })
        .collect();
    assert_eq!(
        containers,
        [
            ("apim-backups", vec!["newest", "newer", "old", "oldest"]),
            ("zeta", vec!["z.apimbackup"]),
        ]
    );
}
