//! Synthetic worlds for scale tests: `gen:subs=20,services=50,backups=100[,accounts=N]
//! [,open=1][,seed=7]`, and `gen:estate`, the estate of issue 10 (22 subscriptions, 508
//! services, 21 storage accounts, 4009 backups, every account open to the caller).
//!
//! Services are spread over fourteen regions and mostly the classic tiers (with a few
//! `StandardV2` and Consumption services); storage accounts (one per subscription unless
//! `accounts` says otherwise, dealt round the subscriptions) have two containers; some have a
//! firewall or Shared Key disabled unless `open=1`; backups of classic services are spread over the accounts with ages of 0–45
//! days, most with catalog metadata. The same spec always gives the same world, apart from the
//! ages being relative to `now`. Pure: a small built-in generator, independent of crate
//! versions.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::{Duration, OffsetDateTime};

use super::backup_doc::BackupDocument;
use super::blobs::{catalog, created_stamp};
use super::file::DEFAULT_TENANT;
use super::{
    Account, Api, Blob, Container, Region, Service, StorageNetwork, World, WorldError,
    WorldSubscription, access,
};
use crate::secret::Secret;

/// Regions: (short name, display name, pair, geography group).
const REGIONS: [(&str, &str, &str, &str); 14] = [
    ("westeurope", "West Europe", "northeurope", "Europe"),
    ("northeurope", "North Europe", "westeurope", "Europe"),
    ("uksouth", "UK South", "ukwest", "Europe"),
    ("ukwest", "UK West", "uksouth", "Europe"),
    ("eastus", "East US", "westus", "US"),
    ("westus", "West US", "eastus", "US"),
    ("westus2", "West US 2", "westcentralus", "US"),
    ("centralus", "Central US", "eastus2", "US"),
    (
        "southeastasia",
        "Southeast Asia",
        "eastasia",
        "Asia Pacific",
    ),
    ("eastasia", "East Asia", "southeastasia", "Asia Pacific"),
    ("japaneast", "Japan East", "japanwest", "Asia Pacific"),
    ("japanwest", "Japan West", "japaneast", "Asia Pacific"),
    (
        "australiaeast",
        "Australia East",
        "australiasoutheast",
        "Asia Pacific",
    ),
    (
        "australiasoutheast",
        "Australia Southeast",
        "australiaeast",
        "Asia Pacific",
    ),
];

const API_POOL: [&str; 16] = [
    "orders",
    "payments",
    "inventory",
    "customers",
    "shipping",
    "loyalty",
    "catalog",
    "pricing",
    "notifications",
    "auth",
    "reporting",
    "returns",
    "search",
    "echo-api",
    "invoices",
    "webhooks",
];

/// splitmix64: tiny, fast, and the same on every platform and crate version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn unit(&mut self) -> f64 {
        // 53 random bits, exactly representable.
        #[allow(clippy::cast_precision_loss)]
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        x
    }

    fn guid(&mut self) -> String {
        let hex = format!("{:016x}{:016x}", self.next(), self.next());
        format!(
            "{}-{}-4{}-a{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        )
    }

    fn key(&mut self) -> Secret {
        let bytes: Vec<u8> = (0..8).flat_map(|_| self.next().to_be_bytes()).collect();
        Secret::new(STANDARD.encode(bytes))
    }
}

struct Spec {
    subs: usize,
    services: usize,
    backups: usize,
    accounts: Option<usize>,
    open: bool,
    seed: u64,
}

/// The estate issue 10 measures: `gen:estate`.
const ESTATE: &str = "subs=22,services=508,accounts=21,backups=4009,open=1,seed=10";

fn parse_spec(spec: &str) -> Result<Spec, WorldError> {
    let err = |message: String| WorldError::Spec {
        spec: spec.to_owned(),
        message,
    };
    let trimmed = spec.trim();
    let body = trimmed.strip_prefix("gen:").unwrap_or(trimmed);
    let body = if body == "estate" { ESTATE } else { body };
    let mut out = Spec {
        subs: 3,
        services: 10,
        backups: 20,
        accounts: None,
        open: false,
        seed: 1,
    };
    for part in body.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| err(format!("'{part}' is not KEY=NUMBER")))?;
        let n: u64 = v
            .trim()
            .parse()
            .map_err(|_parse| err(format!("'{v}' is not a whole number (in '{part}')")))?;
        let count = |max: u64| {
            usize::try_from(n)
                .ok()
                .filter(|_| n <= max)
                .ok_or_else(|| err(format!("{k} must be at most {max}")))
        };
        match k.trim() {
            "subs" => out.subs = count(1000)?,
            "services" => out.services = count(20_000)?,
            "backups" => out.backups = count(200_000)?,
            "accounts" => out.accounts = Some(count(10_000)?),
            "open" => out.open = count(1)? == 1,
            "seed" => out.seed = n,
            other => {
                return Err(err(format!(
                    "unknown key '{other}' (expected subs, services, backups, accounts, open, seed)"
                )));
            }
        }
    }
    if out.subs == 0 {
        return Err(err("subs must be at least 1".to_owned()));
    }
    Ok(out)
}

fn tier(rng: &mut Rng) -> (&'static str, u32) {
    let roll = rng.below(100);
    let pick = |rng: &mut Rng, lo: u32, hi: u32| {
        lo + u32::try_from(rng.below((hi - lo + 1) as usize)).unwrap_or(0)
    };
    match roll {
        0..=14 => ("Developer", 1),
        15..=34 => ("Basic", pick(rng, 1, 2)),
        35..=69 => ("Standard", pick(rng, 1, 4)),
        70..=89 => ("Premium", pick(rng, 1, 6)),
        90..=94 => ("StandardV2", pick(rng, 1, 3)),
        _ => ("Consumption", 0),
    }
}

fn service(rng: &mut Rng, i: usize, sub: &WorldSubscription, now: OffsetDateTime) -> Service {
    let (short, display, pair, _) = REGIONS[rng.below(REGIONS.len())];
    let (sku, capacity) = tier(rng);
    let mut apis: Vec<Api> = Vec::new();
    for _ in 0..rng.below(13) {
        let name = API_POOL[rng.below(API_POOL.len())];
        if !apis.iter().any(|a| a.name == name) {
            apis.push(Api {
                name: name.to_owned(),
                display_name: name.replace('-', " "),
                path: name.to_owned(),
            });
        }
    }
    let additional = if sku == "Premium" && rng.below(10) < 3 {
        let pair_display = REGIONS
            .iter()
            .find(|r| r.0 == pair)
            .map_or(display, |r| r.1);
        vec![(pair_display.to_owned(), 1)]
    } else {
        Vec::new()
    };
    Service {
        subscription: sub.id.clone(),
        resource_group: format!("rg-apim-{short}"),
        name: format!("apim-gen-{:05}-{short}", i + 1),
        location: display.to_owned(),
        sku: sku.to_owned(),
        capacity,
        additional_locations: additional,
        hostnames: Vec::new(),
        publisher_email: "apim-admin@contoso.com".to_owned(),
        publisher_name: "Contoso".to_owned(),
        provisioning_state: "Succeeded".to_owned(),
        target_provisioning_state: String::new(),
        system_identity: None,
        user_identities: Vec::new(),
        tags: BTreeMap::new(),
        custom_properties: BTreeMap::new(),
        created: now - Duration::days(300 + i64::try_from(rng.below(600)).unwrap_or(0)),
        apis,
        products: Vec::new(),
        named_values: Vec::new(),
        workspaces: Vec::new(),
        restored_from: None,
        disabled_gateways: Vec::new(),
        etag_serial: 1,
    }
}

fn account(
    rng: &mut Rng,
    i: usize,
    sub: &WorldSubscription,
    spec: &Spec,
    now: OffsetDateTime,
) -> Account {
    let (short, ..) = REGIONS[rng.below(REGIONS.len())];
    let mut containers = BTreeMap::new();
    containers.insert(
        "apim-backups".to_owned(),
        Container::new(now - Duration::days(400)),
    );
    containers.insert(
        "dr-archive".to_owned(),
        Container::new(now - Duration::days(400)),
    );
    Account {
        subscription: sub.id.clone(),
        resource_group: format!("rg-backups-{short}"),
        name: format!("stgen{:05}{}", i + 1, spec.seed % 10_000),
        location: short.to_owned(),
        keys: [rng.key(), rng.key()],
        allow_shared_key_access: rng.below(20) != 0 || spec.open,
        network: StorageNetwork {
            deny_by_default: rng.below(10) == 0 && !spec.open,
            ..StorageNetwork::default()
        },
        blob_cors: Vec::new(),
        created: now - Duration::days(500),
        containers,
    }
}

fn backups(
    rng: &mut Rng,
    count: usize,
    services: &[Service],
    accounts: &mut [Account],
    now: OffsetDateTime,
) {
    let classic: Vec<&Service> = services
        .iter()
        .filter(|s| crate::domain::sku::SkuName::new(s.sku.clone()).can_back_up())
        .collect();
    if classic.is_empty() || accounts.is_empty() {
        return;
    }
    for j in 0..count {
        let svc = classic[rng.below(classic.len())];
        let created = now - Duration::seconds_f64(rng.unit() * 45.0 * 86_400.0);
        let doc = BackupDocument::of(svc, created);
        let metadata = if rng.below(10) < 9 {
            catalog(&doc)
        } else {
            Vec::new()
        };
        let account = rng.below(accounts.len());
        let container_name = if rng.below(5) == 0 {
            "dr-archive"
        } else {
            "apim-backups"
        };
        let Some(container) = accounts[account].containers.get_mut(container_name) else {
            continue;
        };
        let mut name = format!("{}/{}.apimbackup", svc.name, created_stamp(created));
        if container.blobs.contains_key(&name) {
            name = format!("{}/{}-{j:06}.apimbackup", svc.name, created_stamp(created));
        }
        let blob = Blob {
            content: doc.to_bytes().into(),
            content_type: "application/octet-stream".to_owned(),
            metadata,
            created,
            modified: created,
            etag_serial: 1,
        };
        container.blobs.insert(name, blob);
    }
}

/// Builds the world a `gen:` spec describes.
pub(crate) fn generate(spec: &str, now: OffsetDateTime) -> Result<World, WorldError> {
    let s = parse_spec(spec)?;
    let mut rng = Rng(s.seed ^ 0x5EED_0FA9_1DD7);
    let subscriptions: Vec<WorldSubscription> = (0..s.subs)
        .map(|i| WorldSubscription {
            id: rng.guid(),
            display_name: format!("Contoso Synthetic {:03}", i + 1),
            state: "Enabled".to_owned(),
        })
        .collect();
    let locations = REGIONS
        .iter()
        .map(|(n, d, p, g)| Region {
            name: (*n).to_owned(),
            display_name: (*d).to_owned(),
            pair: Some((*p).to_owned()),
            geography_group: Some((*g).to_owned()),
            place: None,
            pending_api_versions: Vec::new(),
            control_plane_ip: None,
        })
        .collect();
    let services: Vec<Service> = (0..s.services)
        .map(|i| service(&mut rng, i, &subscriptions[i % s.subs], now))
        .collect();
    let mut accounts: Vec<Account> = (0..s.accounts.unwrap_or(s.subs))
        .map(|i| account(&mut rng, i, &subscriptions[i % s.subs], &s, now))
        .collect();
    backups(&mut rng, s.backups, &services, &mut accounts, now);
    Ok(World {
        tenant_id: DEFAULT_TENANT.to_owned(),
        lenient_names: false,
        subscriptions,
        locations,
        services,
        deleted: Vec::new(),
        accounts,
        caller: access::caller(None)?,
        role_assignments: Vec::new(),
        dns_zones: Vec::new(),
        traffic_managers: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
