//! Azure DNS zones and their CNAME record sets (`dns_zones` in the world file), and Traffic
//! Manager profiles with their endpoints (`traffic_manager_profiles`): where a custom host name
//! of an API Management service is served from, for traffic cutover. Every error names the
//! entry (`dns_zones[0].cname_records[1].cname: …`). Pure.

use serde::Deserialize;

use super::file::subscription_ref;
use super::services::derived_guid;
use super::{World, WorldError};
use crate::domain::names::ResourceGroupName;

/// One `dns_zones[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileZone {
    subscription: String,
    resource_group: String,
    name: String,
    #[serde(default)]
    cname_records: Vec<FileCname>,
}

/// One `cname_records[]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCname {
    name: String,
    cname: String,
    #[serde(default)]
    ttl: Option<u32>,
}

/// A public DNS zone.
#[derive(Debug, Clone)]
pub(crate) struct DnsZone {
    pub subscription: String,
    pub resource_group: String,
    /// `contoso.com`.
    pub name: String,
    pub cnames: Vec<CnameRecord>,
}

/// A CNAME record set: one canonical name.
#[derive(Debug, Clone)]
pub(crate) struct CnameRecord {
    /// Relative to the zone (`api`; `@` is the apex).
    pub name: String,
    /// Without a terminating dot.
    pub cname: String,
    pub ttl: u32,
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub etag_serial: u64,
}

impl DnsZone {
    /// The ARM id, in stored casing.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/dnszones/{}",
            self.subscription, self.resource_group, self.name
        )
    }

    /// The fully qualified name of a record set (`api.contoso.com`; the apex is the zone).
    pub fn fqdn(&self, relative: &str) -> String {
        if relative == "@" {
            format!("{}.", self.name)
        } else {
            format!("{relative}.{}.", self.name)
        }
    }

    /// The etag of a record set: a GUID that changes with every write, as Azure DNS's do.
    pub fn etag(&self, record: &CnameRecord) -> String {
        derived_guid(&format!(
            "{}/{}/{}",
            self.id().to_ascii_lowercase(),
            record.name.to_ascii_lowercase(),
            record.etag_serial
        ))
    }
}

/// A DNS name as a zone, record or target may use: labels of letters, digits, `-` and `_`.
fn is_dns_name(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// Validates one zone: known subscription, a resource group name, a DNS name not declared
/// twice in the subscription, record names unique in the zone.
pub(crate) fn zone(world: &World, path: &str, z: FileZone) -> Result<DnsZone, WorldError> {
    let subscription = subscription_ref(world, &format!("{path}.subscription"), &z.subscription)?;
    ResourceGroupName::parse(&z.resource_group)
        .map_err(|e| WorldError::invalid(format!("{path}.resource_group"), e.to_string()))?;
    if !is_dns_name(&z.name) || !z.name.contains('.') {
        return Err(WorldError::invalid(
            format!("{path}.name"),
            format!("'{}' is not a DNS zone name (e.g. contoso.com)", z.name),
        ));
    }
    let name = z.name.trim_end_matches('.').to_ascii_lowercase();
    if world
        .dns_zones
        .iter()
        .any(|o| o.subscription == subscription && o.name == name)
    {
        return Err(WorldError::invalid(
            format!("{path}.name"),
            format!("duplicate zone '{name}' in subscription {subscription}"),
        ));
    }
    let mut cnames: Vec<CnameRecord> = Vec::new();
    for (j, r) in z.cname_records.into_iter().enumerate() {
        let p = format!("{path}.cname_records[{j}]");
        if r.name != "@" && !is_dns_name(&r.name) {
            return Err(WorldError::invalid(
                format!("{p}.name"),
                format!(
                    "'{}' is not a record name relative to the zone (e.g. api)",
                    r.name
                ),
            ));
        }
        if cnames.iter().any(|c| c.name.eq_ignore_ascii_case(&r.name)) {
            return Err(WorldError::invalid(
                format!("{p}.name"),
                format!("duplicate CNAME record set '{}'", r.name),
            ));
        }
        if !is_dns_name(&r.cname) {
            return Err(WorldError::invalid(
                format!("{p}.cname"),
                format!("'{}' is not a host name", r.cname),
            ));
        }
        cnames.push(CnameRecord {
            name: r.name,
            cname: r.cname.trim_end_matches('.').to_owned(),
            ttl: r.ttl.unwrap_or(3600),
            metadata: serde_json::Map::new(),
            etag_serial: 1,
        });
    }
    Ok(DnsZone {
        subscription,
        resource_group: z.resource_group,
        name,
        cnames,
    })
}

#[cfg(test)]
mod tests {
    use crate::emulator::world::file::parse;

    const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);
    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn err(zones: &str) -> String {
        parse(
            &format!(
                r#"{{"subscriptions":[{{"id":"{SUB}","display_name":"S"}}],"dns_zones":[{zones}]}}"#
            ),
            NOW,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
    }

    #[test]
    fn zones_and_records_are_checked_with_their_path() {
        let ok = format!(
            r#"{{"subscription":"{SUB}","resource_group":"rg-dns","name":"contoso.com","cname_records":[{{"name":"api","cname":"apim-a.azure-api.net"}}]}}"#
        );
        assert_eq!(err(&ok), "");
        let e = err(&ok.replace("contoso.com", "contoso"));
        assert!(
            e.contains("dns_zones[0].name: 'contoso' is not a DNS zone name"),
            "{e}"
        );
        let e = err(&ok.replace("apim-a.azure-api.net", "not a host"));
        assert!(e.contains("dns_zones[0].cname_records[0].cname"), "{e}");
        let e = err(&format!("{ok},{ok}"));
        assert!(
            e.contains("dns_zones[1].name: duplicate zone 'contoso.com'"),
            "{e}"
        );
        let twice = ok.replace(r"}]}", r#"},{"name":"API","cname":"x.azure-api.net"}]}"#);
        let e = err(&twice);
        assert!(
            e.contains("cname_records[1].name: duplicate CNAME record set 'API'"),
            "{e}"
        );
    }
}
