//! The storage-account part of the world file: names and keys, Shared Key, network rules
//! (`network_acls`, `public_network_access`, the `firewall` shorthand) and the Blob service's
//! CORS rules, checked by Storage's rules. Every error names the entry
//! (`storage_accounts[1].network_acls.ip_rules[0]: …`) and never a key. Pure apart from
//! drawing random keys for accounts that declare none.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use time::OffsetDateTime;

use super::blobs::{FileContainer, build_containers};
use super::file::{location, subscription_ref, timestamp};
use super::network::{IpRule, ResourceAccessRule, StorageNetwork};
use super::{Account, World, WorldError};
use crate::domain::names::{ResourceGroupName, StorageAccountName};
use crate::secret::Secret;

/// The methods a Blob CORS rule may allow (`allowedMethods` of the Storage spec).
const CORS_METHODS: [&str; 10] = [
    "DELETE", "GET", "HEAD", "MERGE", "POST", "OPTIONS", "PUT", "PATCH", "CONNECT", "TRACE",
];

/// Storage keeps at most five CORS rules per service.
const MAX_CORS_RULES: usize = 5;

/// One CORS rule of the Blob service, as ARM serves it in `cors.corsRules[]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorsRule {
    pub allowed_origins: Vec<String>,
    /// Upper case, in the order given (APIM's failure message echoes this order).
    pub allowed_methods: Vec<String>,
    #[serde(default)]
    pub max_age_in_seconds: u32,
    #[serde(default)]
    pub exposed_headers: Vec<String>,
    #[serde(default)]
    pub allowed_headers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileResourceRule {
    resource_id: String,
    #[serde(default)]
    tenant_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileNetworkAcls {
    #[serde(default)]
    default_action: Option<String>,
    #[serde(default)]
    bypass: Option<String>,
    #[serde(default)]
    ip_rules: Vec<String>,
    #[serde(default)]
    virtual_network_rules: Vec<String>,
    #[serde(default)]
    resource_access_rules: Vec<FileResourceRule>,
}

/// One `storage_accounts[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileAccount {
    subscription: String,
    resource_group: String,
    name: String,
    location: String,
    #[serde(default)]
    keys: Option<Vec<String>>,
    #[serde(default)]
    allow_shared_key_access: Option<bool>,
    #[serde(default)]
    firewall: bool,
    #[serde(default)]
    network_acls: Option<FileNetworkAcls>,
    #[serde(default)]
    public_network_access: Option<String>,
    #[serde(default)]
    blob_cors: Vec<CorsRule>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    containers: Vec<FileContainer>,
}

/// Two random account keys: Base64 of 64 random bytes each, as Azure makes them.
fn random_keys() -> [Secret; 2] {
    let mut one = [0u8; 64];
    let mut two = [0u8; 64];
    rand::fill(&mut one);
    rand::fill(&mut two);
    [
        Secret::new(STANDARD.encode(one)),
        Secret::new(STANDARD.encode(two)),
    ]
}

fn keys(path: &str, given: Option<Vec<String>>) -> Result<[Secret; 2], WorldError> {
    let Some(list) = given else {
        return Ok(random_keys());
    };
    // Key values never appear in errors: only their position does.
    let valid = |k: &String| STANDARD.decode(k.trim()).is_ok_and(|raw| !raw.is_empty());
    match list.as_slice() {
        [one, two] if valid(one) && valid(two) => {
            Ok([Secret::new(one.trim()), Secret::new(two.trim())])
        }
        [_, _] => Err(WorldError::invalid(
            format!("{path}.keys"),
            "each key must be non-empty Base64",
        )),
        _ => Err(WorldError::invalid(
            format!("{path}.keys"),
            "exactly two keys (key1, key2) are needed",
        )),
    }
}

fn one_of(path: &str, value: &str, allowed: &[&str]) -> Result<String, WorldError> {
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value.trim()))
        .map(|a| (*a).to_owned())
        .ok_or_else(|| {
            WorldError::invalid(
                path,
                format!("'{value}' is not one of {}", allowed.join(", ")),
            )
        })
}

fn network(path: &str, a: &FileAccount) -> Result<StorageNetwork, WorldError> {
    let mut n = StorageNetwork::default();
    if let Some(access) = &a.public_network_access {
        n.public_network_access = one_of(
            &format!("{path}.public_network_access"),
            access,
            &["Enabled", "Disabled", "SecuredByPerimeter"],
        )?;
    }
    let Some(acls) = &a.network_acls else {
        n.deny_by_default = a.firewall;
        return Ok(n);
    };
    let path = format!("{path}.network_acls");
    if a.firewall {
        return Err(WorldError::invalid(
            path,
            "give either firewall or network_acls, not both",
        ));
    }
    if let Some(action) = &acls.default_action {
        let action = one_of(
            &format!("{path}.default_action"),
            action,
            &["Allow", "Deny"],
        )?;
        n.deny_by_default = action == "Deny";
    }
    if let Some(bypass) = &acls.bypass {
        n.bypass.clear();
        for part in bypass.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let part = one_of(
                &format!("{path}.bypass"),
                part,
                &["None", "Logging", "Metrics", "AzureServices"],
            )?;
            if part != "None" {
                n.bypass.push(part);
            }
        }
    }
    for (i, rule) in acls.ip_rules.iter().enumerate() {
        n.ip_rules.push(IpRule::parse(rule).ok_or_else(|| {
            WorldError::invalid(
                format!("{path}.ip_rules[{i}]"),
                format!("'{rule}' is not an IPv4 address or CIDR range"),
            )
        })?);
    }
    for (i, subnet) in acls.virtual_network_rules.iter().enumerate() {
        if !subnet.to_ascii_lowercase().contains("/subnets/") {
            return Err(WorldError::invalid(
                format!("{path}.virtual_network_rules[{i}]"),
                format!("'{subnet}' is not a subnet id"),
            ));
        }
    }
    n.virtual_network_rules
        .clone_from(&acls.virtual_network_rules);
    for (i, r) in acls.resource_access_rules.iter().enumerate() {
        if !r.resource_id.starts_with("/subscriptions/") {
            return Err(WorldError::invalid(
                format!("{path}.resource_access_rules[{i}].resource_id"),
                format!("'{}' is not an ARM resource id", r.resource_id),
            ));
        }
        n.resource_access_rules.push(ResourceAccessRule {
            resource_id: r.resource_id.clone(),
            tenant_id: r.tenant_id.clone().unwrap_or_default(),
        });
    }
    Ok(n)
}

fn cors(path: &str, rules: Vec<CorsRule>) -> Result<Vec<CorsRule>, WorldError> {
    if rules.len() > MAX_CORS_RULES {
        return Err(WorldError::invalid(
            format!("{path}.blob_cors"),
            format!("at most {MAX_CORS_RULES} CORS rules per service"),
        ));
    }
    let mut out = Vec::new();
    for (i, mut rule) in rules.into_iter().enumerate() {
        let p = format!("{path}.blob_cors[{i}]");
        if rule.allowed_origins.is_empty() || rule.allowed_methods.is_empty() {
            return Err(WorldError::invalid(
                p,
                "allowed_origins and allowed_methods are required",
            ));
        }
        for m in &mut rule.allowed_methods {
            *m = one_of(&format!("{p}.allowed_methods"), m, &CORS_METHODS)?;
        }
        out.push(rule);
    }
    Ok(out)
}

/// Validates one storage account entry against the world read so far.
pub(crate) fn account(
    world: &World,
    path: &str,
    a: FileAccount,
    lenient: bool,
    now: OffsetDateTime,
) -> Result<Account, WorldError> {
    let subscription = subscription_ref(world, &format!("{path}.subscription"), &a.subscription)?;
    ResourceGroupName::parse(&a.resource_group)
        .map_err(|e| WorldError::invalid(format!("{path}.resource_group"), e.to_string()))?;
    StorageAccountName::parse(&a.name)
        .map_err(|e| WorldError::invalid(format!("{path}.name"), e.to_string()))?;
    if world.account(&a.name).is_some() {
        return Err(WorldError::invalid(
            format!("{path}.name"),
            format!(
                "duplicate storage account '{}' (account names are global)",
                a.name
            ),
        ));
    }
    let network = network(path, &a)?;
    let keys = keys(path, a.keys)?;
    let blob_cors = cors(path, a.blob_cors)?;
    let containers = build_containers(world, path, a.containers, lenient, now)?;
    Ok(Account {
        location: location(world, &format!("{path}.location"), &a.location, false)?,
        created: timestamp(
            &format!("{path}.created"),
            a.created.as_deref(),
            now - time::Duration::days(400),
        )?,
        subscription,
        resource_group: a.resource_group,
        name: a.name,
        keys,
        allow_shared_key_access: a.allow_shared_key_access.unwrap_or(true),
        network,
        blob_cors,
        containers,
    })
}

#[cfg(test)]
mod tests {
    use crate::emulator::world::file::parse;

    const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn account(extra: &str) -> Result<crate::emulator::world::World, String> {
        parse(
            &format!(
                r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],"storage_accounts":[
                {{"subscription":"{SUB}","resource_group":"rg","name":"stx","location":"eastus"{extra}}}]}}"#
            ),
            NOW,
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn storage_errors_name_the_entry_and_never_the_key() {
        assert!(account("").is_ok());
        let e = account(r#","keys":["sekrit!!","YQ=="]"#).unwrap_err();
        assert!(
            e.contains("storage_accounts[0].keys") && !e.contains("sekrit"),
            "{e}"
        );
        let e = account(r#","keys":["YQ=="]"#).unwrap_err();
        assert!(e.contains("exactly two keys"), "{e}");
    }

    #[test]
    fn network_rules_are_read_as_arm_spells_them() {
        let w = account(
            r#","public_network_access":"disabled","network_acls":{"default_action":"deny","bypass":"Logging, AzureServices",
            "ip_rules":["203.0.113.0/24"],"resource_access_rules":[{"resource_id":"/subscriptions/x/y"}]}"#,
        )
        .unwrap();
        let n = &w.accounts[0].network;
        assert!(n.deny_by_default && n.public_access_off() && n.bypasses_azure_services());
        assert_eq!(
            (n.bypass_text(), n.public_network_access.as_str()),
            ("Logging, AzureServices".to_owned(), "Disabled")
        );
        assert!(
            account(r#","firewall":true"#).unwrap().accounts[0]
                .network
                .deny_by_default
        );
        for (bad, path) in [
            (
                r#","network_acls":{"ip_rules":["10.0.0.0/40"]}"#,
                "network_acls.ip_rules[0]",
            ),
            (
                r#","network_acls":{"default_action":"Block"}"#,
                "network_acls.default_action",
            ),
            (
                r#","network_acls":{"bypass":"Everything"}"#,
                "network_acls.bypass",
            ),
            (
                r#","firewall":true,"network_acls":{}"#,
                "network_acls: give either",
            ),
            (
                r#","public_network_access":"Maybe""#,
                "public_network_access",
            ),
        ] {
            let e = account(bad).unwrap_err();
            assert!(e.contains(&format!("storage_accounts[0].{path}")), "{e}");
        }
    }

    #[test]
    fn cors_rules_are_checked_and_kept_in_order() {
        let w = account(
            r#","blob_cors":[{"allowed_origins":["*"],"allowed_methods":["get","Patch","PUT"],"max_age_in_seconds":60}]"#,
        )
        .unwrap();
        assert_eq!(
            w.accounts[0].blob_cors[0].allowed_methods,
            ["GET", "PATCH", "PUT"]
        );
        let e = account(r#","blob_cors":[{"allowed_origins":["*"],"allowed_methods":["FETCH"]}]"#)
            .unwrap_err();
        assert!(e.contains("blob_cors[0].allowed_methods"), "{e}");
        let rule = r#"{"allowed_origins":["*"],"allowed_methods":["GET"]}"#;
        let six = [rule; 6].join(",");
        let e = account(&format!(r#","blob_cors":[{six}]"#)).unwrap_err();
        assert!(e.contains("at most 5"), "{e}");
    }
}
