//! Planning the failover of a lost region: for every service of that region, the newest
//! backup Azure would still restore (its catalog names the service; 30 days from its own time)
//! and a standby of the same tier in the chosen region, each standby used once. What cannot be
//! planned says why. A Premium service with gateways in other regions still serves traffic from
//! them (only its management plane is down): it needs no restore for traffic and gets none.
//! Pure: the caller supplies the estate and `now`.

use time::OffsetDateTime;

use super::backup::BackupEntry;
use super::region::same_region;
use super::service::ServiceSummary;

/// One service of the lost region and what would restore it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// The service of the lost region.
    pub source: ServiceSummary,
    /// Its newest restorable backup.
    pub backup: Option<BackupEntry>,
    /// A standby of its tier in the chosen region.
    pub target: Option<ServiceSummary>,
    /// Why it cannot be planned, when it cannot.
    pub why_not: Option<String>,
    /// The regions outside the lost one where its gateways still serve (Premium
    /// multi-region): when any, no restore is planned.
    pub serves_from: Vec<String>,
}

impl Pick {
    /// True when the service still serves traffic from another region: no restore planned.
    pub fn not_needed(&self) -> bool {
        !self.serves_from.is_empty()
    }

    /// What to tell the operator about a service that needs no restore for traffic.
    pub fn not_needed_note(&self, lost: &str) -> Option<String> {
        self.not_needed().then(|| {
            format!(
                "no restore needed for traffic: its gateways in {} still serve (Premium multi-region); the management plane in {lost} is down. `apim-dr regions --service {}` shows each region's gateway",
                self.serves_from.join(", "),
                self.source.name
            )
        })
    }
}

/// The regions outside `lost` where `service`'s gateways also serve (a Premium service's
/// `additionalLocations`): when `lost` is down, they still carry its traffic.
pub fn serves_from(service: &ServiceSummary, lost: &str) -> Vec<String> {
    service
        .additional_locations()
        .iter()
        .filter(|l| !same_region(l, lost))
        .cloned()
        .collect()
}

fn backs_up(b: &BackupEntry, s: &ServiceSummary) -> bool {
    match b.catalog.source_service.as_deref() {
        Some(id) if id.contains('/') => s.id_is_ignoring_case(id),
        Some(_) => b
            .catalog
            .source_service_name()
            .is_some_and(|n| n.eq_ignore_ascii_case(&s.name)),
        None => false,
    }
}

/// One pick per service of `lost`, in the order of `services`.
pub fn plan(
    services: &[ServiceSummary],
    backups: &[BackupEntry],
    (lost, to): (&str, &str),
    now: OffsetDateTime,
) -> Vec<Pick> {
    let mut used: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for s in services.iter().filter(|s| same_region(&s.location, lost)) {
        let serves_from = serves_from(s, lost);
        if !serves_from.is_empty() {
            out.push(Pick {
                source: s.clone(),
                backup: None,
                target: None,
                why_not: None,
                serves_from,
            });
            continue;
        }
        let backup = backups
            .iter()
            .filter(|b| backs_up(b, s) && !b.is_expired(now) && b.own_time().is_some())
            .max_by_key(|b| b.own_time())
            .cloned();
        let target = services
            .iter()
            .find(|t| {
                same_region(&t.location, to)
                    && t.sku.as_str().eq_ignore_ascii_case(s.sku.as_str())
                    && !s.id_is_ignoring_case(&t.id())
                    && !used.iter().any(|u| t.id_is_ignoring_case(u))
            })
            .cloned();
        if let Some(t) = &target {
            used.push(t.id().into_owned());
        }
        let why_not = match (&backup, &target) {
            _ if !s.sku.can_back_up() => Some(format!(
                "the {} tier has no backup and restore: redeploy {} from source control",
                s.sku, s.name
            )),
            (None, _) => Some(format!(
                "no backup of {} that Azure would still restore (catalogued, under 30 days old)",
                s.name
            )),
            (_, None) => Some(format!(
                "no standby of tier {} in {to}: create one with `apim-dr standby create --like {} --region {to} --yes`",
                s.sku,
                s.id()
            )),
            _ => None,
        };
        out.push(Pick {
            source: s.clone(),
            backup,
            target,
            why_not,
            serves_from,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::domain::backup::BackupCatalog;
    use crate::domain::service::ServiceFields;
    use crate::domain::sku::SkuName;

    const NOW: OffsetDateTime = datetime!(2026-12-03 08:00 UTC);

    fn svc(name: &str, location: &str, sku: &str) -> ServiceSummary {
        ServiceSummary::from(ServiceFields {
            id: format!(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/{name}"
            ),
            name: name.into(),
            subscription_id: "s".into(),
            resource_group: "rg".into(),
            location: location.into(),
            sku: SkuName::new(sku),
            capacity: 1,
            provisioning_state: "Succeeded".into(),
            target_provisioning_state: "".into(),
            gateway_url: None,
            additional_locations: vec![],
            custom_hostnames: vec![],
            tags: std::collections::BTreeMap::new(),
            identity: None,
        })
    }

    fn backup(of: &ServiceSummary, blob: &str, days_old: i64) -> BackupEntry {
        BackupEntry {
            account: "st".into(),
            container: "apim-backups".into(),
            name: blob.into(),
            created: Some(NOW - time::Duration::days(days_old)),
            size_bytes: 1,
            catalog: BackupCatalog {
                source_service: Some(of.id().as_ref().into()),
                ..BackupCatalog::default()
            }
            .into(),
        }
    }

    #[test]
    fn each_service_gets_its_newest_live_backup_and_its_own_standby() {
        let a = svc("a", "West Europe", "Standard");
        let b = svc("b", "westeurope", "Standard");
        let standby = svc("s1", "North Europe", "Standard");
        let other = svc("c", "East US", "Standard");
        let services = [a.clone(), b.clone(), standby, other];
        let backups = [
            backup(&a, "a-old", 40),
            backup(&a, "a-new", 1),
            backup(&a, "a-mid", 5),
            backup(&b, "b-expired", 31),
        ];
        let picks = plan(&services, &backups, ("West Europe", "northeurope"), NOW);
        assert_eq!(picks.len(), 2, "only the lost region's services");
        assert_eq!(picks[0].backup.as_ref().unwrap().name, "a-new");
        assert_eq!(picks[0].target.as_ref().unwrap().name, "s1");
        assert_eq!(picks[0].why_not, None);
        assert_eq!(picks[1].backup, None, "an expired backup is never picked");
        assert_eq!(picks[1].target, None, "the standby is taken by a");
        assert!(
            picks[1]
                .why_not
                .as_deref()
                .unwrap()
                .starts_with("no backup of b")
        );
    }

    #[test]
    fn a_premium_service_serving_from_another_region_needs_no_restore() {
        let mut p = svc("p", "West Europe", "Premium");
        p.rare_mut().additional_locations = vec!["North Europe".into()];
        let standby = svc("p2", "North Europe", "Premium");
        let services = vec![p.clone(), standby];
        let picks = plan(
            &services,
            &[backup(&p, "p-new", 1)],
            ("westeurope", "northeurope"),
            NOW,
        );
        assert_eq!(picks.len(), 1);
        assert!(picks[0].not_needed());
        assert_eq!(picks[0].why_not, None, "not blocked");
        assert_eq!(picks[0].target, None, "no standby used up");
        let note = picks[0].not_needed_note("West Europe").unwrap();
        assert!(note.starts_with("no restore needed for traffic: its gateways in North Europe"));
        // The same service losing both regions is planned like any other.
        p.rare_mut().additional_locations = vec!["West Europe".into()];
        let picks = plan(&[p.clone()], &[], ("westeurope", "northeurope"), NOW);
        assert!(!picks[0].not_needed());
    }

    #[test]
    fn a_tier_without_backup_says_so() {
        let c = svc("c", "westeurope", "Consumption");
        let picks = plan(&[c], &[], ("westeurope", "northeurope"), NOW);
        assert!(
            picks[0]
                .why_not
                .as_deref()
                .unwrap()
                .contains("has no backup and restore"),
            "{picks:?}"
        );
    }
}
