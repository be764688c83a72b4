//! The failover wizard's state and its candidate lists: which backups can be restored, which
//! regions have services, which services in a region can take the backup and, for those that
//! cannot, why not (in Azure's words where Azure has them). Pure.

use time::OffsetDateTime;

use super::action::Action;
use super::catalog::{self, expiry_refusal};
use super::estate::{all_services, region_name};
use super::keymap::KeyContext;
use super::loadable::Loadable;
use super::operation::OpId;
use super::state::AppState;
use crate::domain::backup::BackupEntry;
use crate::domain::failover::serves_from;
use crate::domain::names::ServiceId;
use crate::domain::operation::RestorePlan;
use crate::domain::preflight::PreflightReport;
use crate::domain::refusal::{self, TargetProblem};
use crate::domain::region::{region_key, same_region};
use crate::domain::service::ServiceSummary;
use crate::domain::shared::Shared;
use crate::domain::sku::BackupSupport;
use crate::domain::standby::{StandbyAsk, StandbyOutline};

/// The six steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailoverStep {
    /// 1: pick the backup to restore.
    Source,
    /// 2: pick the target region.
    Region,
    /// 3: pick the target service.
    Target,
    /// 4: the pre-flight checklist.
    Preflight,
    /// 5: what the backup does not carry.
    Caveats,
    /// 6: type the target's name.
    Confirm,
}

impl FailoverStep {
    /// Every step, in order.
    pub const ALL: [Self; 6] = [
        Self::Source,
        Self::Region,
        Self::Target,
        Self::Preflight,
        Self::Caveats,
        Self::Confirm,
    ];

    /// 1-based position.
    pub fn number(self) -> usize {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }

    /// Short title for the step indicator.
    pub fn title(self) -> &'static str {
        match self {
            Self::Source => "Backup",
            Self::Region => "Region",
            Self::Target => "Target",
            Self::Preflight => "Pre-flight",
            Self::Caveats => "Not carried",
            Self::Confirm => "Confirm",
        }
    }

    /// The step before, if any.
    pub fn previous(self) -> Option<Self> {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .and_then(|i| i.checked_sub(1))
            .map(|i| Self::ALL[i])
    }
}

/// What a restore does not bring over, as step 5 lists it.
pub const NOT_CARRIED: [&str; 8] = [
    "usage and analytics data",
    "custom-domain TLS certificates",
    "CA certificates",
    "virtual network (VNet) settings",
    "managed identity configuration",
    "Azure Monitor diagnostic settings",
    "protocol and cipher settings",
    "developer portal content",
];

/// What the operator must do or know after a restore, as step 5 says it.
pub const AFTER_RESTORE: [&str; 2] = [
    "Hostnames on the target are not changed: switch DNS/CNAME to the target after the restore.",
    "Configuration changes made on the target while the restore runs may be overwritten.",
];

/// The failover wizard in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailoverWizard {
    /// The current step.
    pub step: FailoverStep,
    /// The service the wizard was started from, if any (its backups are listed first).
    pub origin: Option<ServiceSummary>,
    /// Cursor in step 1.
    pub source_cursor: usize,
    /// Cursor in step 2.
    pub region_cursor: usize,
    /// Cursor in step 3.
    pub target_cursor: usize,
    /// The chosen backup.
    pub source: Option<BackupEntry>,
    /// The chosen region (display name).
    pub region: Option<String>,
    /// The chosen target service.
    pub target: Option<ServiceSummary>,
    /// The plan once source and target are chosen.
    pub plan: Option<RestorePlan>,
    /// The pre-flight for `plan`: its verdict and the facts it was made from.
    pub preflight: Loadable<Box<PreflightReport>>,
    /// The first check shown at step 4 (the list scrolls when it does not fit).
    pub preflight_scroll: usize,
    /// The name typed at step 6.
    pub typed: String,
    /// When the wizard opened: the restore's RTO runs from here.
    pub began: OffsetDateTime,
    /// At step 3, when the region has no service that can take the backup: the offer to
    /// create a standby there.
    pub standby: Option<StandbyOffer>,
}

/// The offer to create a standby: its plan, the name typed to confirm it, and once started
/// the operation creating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandbyOffer {
    /// What is asked (the name and the purge choice change it).
    pub ask: StandbyAsk,
    /// What the engine's plan says it would make.
    pub outline: Loadable<Box<StandbyOutline>>,
    /// The name typed so far.
    pub typed: String,
    /// The creation, once confirmed.
    pub op: Option<OpId>,
}

impl StandbyOffer {
    /// An offer for `ask`, its plan on the way.
    pub fn new(ask: StandbyAsk, now: OffsetDateTime) -> Self {
        Self {
            ask,
            outline: Loadable::Loading { since: now },
            typed: String::new(),
            op: None,
        }
    }

    /// The plan, once it is read and nothing is running.
    pub fn ready(&self) -> Option<&StandbyOutline> {
        match (&self.outline, self.op) {
            (Loadable::Loaded(o), None) => Some(o),
            _ => None,
        }
    }
}

impl FailoverWizard {
    /// A wizard at step 1 opened at `began`, optionally started from a service.
    pub fn new(origin: Option<ServiceSummary>, began: OffsetDateTime) -> Self {
        Self {
            step: FailoverStep::Source,
            origin,
            source_cursor: 0,
            region_cursor: 0,
            target_cursor: 0,
            source: None,
            region: None,
            target: None,
            plan: None,
            preflight: Loadable::NotRequested,
            preflight_scroll: 0,
            typed: String::new(),
            began,
            standby: None,
        }
    }

    /// True while the pre-flight is being computed.
    pub fn preflight_running(&self) -> bool {
        matches!(self.preflight, Loadable::Loading { .. })
    }
}

/// A candidate backup at step 1.
#[derive(Debug, Clone)]
pub struct SourceRow<'a> {
    /// The backup.
    pub entry: &'a BackupEntry,
    /// Why it cannot be picked, if it cannot.
    pub refusal: Option<String>,
    /// Taken from the service the wizard started from.
    pub from_origin: bool,
}

/// Step 1: every loaded backup, newest first, the origin service's backups before the rest.
/// Expired ones are listed with the reason they cannot be picked.
pub fn source_rows<'a>(state: &'a AppState, wizard: &FailoverWizard) -> Vec<SourceRow<'a>> {
    let mut rows: Vec<SourceRow<'a>> = catalog::all_backups(state)
        .map(|entry| SourceRow {
            entry,
            refusal: source_refusal(entry, state),
            from_origin: wizard
                .origin
                .as_ref()
                .is_some_and(|o| catalog::is_backup_of(entry, o)),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.from_origin
            .cmp(&a.from_origin)
            .then_with(|| catalog::newest_first(a.entry, b.entry))
    });
    rows
}

/// Why a backup cannot be restored at all, if it cannot.
pub fn source_refusal(entry: &BackupEntry, state: &AppState) -> Option<String> {
    if let Some(why) = expiry_refusal(entry, state.now) {
        return Some(why);
    }
    entry.reference().err().map(|e| {
        format!(
            "its reference is not usable ({})",
            e.to_string().replace(": ", " — ")
        )
    })
}

/// A region at step 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    /// Display name.
    pub name: String,
    /// Services there.
    pub services: usize,
    /// Services there that can take the chosen backup.
    pub eligible: usize,
    /// The region the backup was taken in.
    pub is_source: bool,
}

/// Step 2: the regions that have services; those with eligible targets first, the backup's
/// own region last.
pub fn region_rows(state: &AppState, wizard: &FailoverWizard) -> Vec<RegionRow> {
    let source_region = wizard
        .source
        .as_ref()
        .and_then(|s| source_location(state, s));
    let mut rows: Vec<RegionRow> = Vec::new();
    for svc in all_services(state) {
        let eligible = wizard
            .source
            .as_ref()
            .is_some_and(|s| target_refusal(state, s, svc).is_none());
        if let Some(row) = rows
            .iter_mut()
            .find(|r| region_key(&r.name) == region_key(&svc.location))
        {
            row.services += 1;
            row.eligible += usize::from(eligible);
        } else {
            rows.push(RegionRow {
                name: svc.location.to_string(),
                services: 1,
                eligible: usize::from(eligible),
                is_source: source_region
                    .as_deref()
                    .is_some_and(|r| same_region(r, &svc.location)),
            });
        }
    }
    rows.sort_by(|a, b| {
        a.is_source
            .cmp(&b.is_source)
            .then_with(|| (b.eligible > 0).cmp(&(a.eligible > 0)))
            .then_with(|| a.name.cmp(&b.name))
    });
    rows
}

/// The backup's region: from its catalog, or from its source service when that is loaded.
pub fn source_location(state: &AppState, entry: &BackupEntry) -> Option<Shared> {
    entry.catalog.source_location.clone().or_else(|| {
        all_services(state)
            .find(|s| catalog::is_backup_of(entry, s))
            .map(|s| s.location.clone())
    })
}

/// A candidate service at step 3.
#[derive(Debug, Clone)]
pub struct TargetRow<'a> {
    /// The service.
    pub service: &'a ServiceSummary,
    /// Why it cannot take the backup, if it cannot.
    pub refusal: Option<String>,
}

/// Step 3: the services in the chosen region; those that can take the backup first.
pub fn target_rows<'a>(state: &'a AppState, wizard: &FailoverWizard) -> Vec<TargetRow<'a>> {
    let (Some(source), Some(region)) = (&wizard.source, &wizard.region) else {
        return Vec::new();
    };
    let mut rows: Vec<TargetRow<'a>> = all_services(state)
        .filter(|s| same_region(&s.location, region))
        .map(|service| TargetRow {
            service,
            refusal: target_refusal(state, source, service),
        })
        .collect();
    rows.sort_by(|a, b| {
        a.refusal
            .is_some()
            .cmp(&b.refusal.is_some())
            .then_with(|| a.service.name.cmp(&b.service.name))
    });
    rows
}

/// Why `service` cannot take `source`, if it cannot: it is the source, its tier cannot
/// restore, the tiers differ, it is busy, or its id is unusable.
pub fn target_refusal(
    state: &AppState,
    source: &BackupEntry,
    service: &ServiceSummary,
) -> Option<String> {
    target_problem(state, source, service).map(|p| p.words())
}

/// The first reason `service` cannot take `source`, in the order the operator would fix them.
fn target_problem(
    state: &AppState,
    source: &BackupEntry,
    service: &ServiceSummary,
) -> Option<TargetProblem> {
    if catalog::is_backup_of(source, service) {
        return Some(TargetProblem::IsSource);
    }
    if let BackupSupport::Unsupported(_) = service.sku.backup_support() {
        return Some(TargetProblem::Tier(service.sku.clone()));
    }
    if let Some(backup_sku) = &source.catalog.source_sku
        && !backup_sku.same_tier(&service.sku)
    {
        return Some(TargetProblem::TierMismatch {
            target: service.sku.clone(),
            backup: backup_sku.clone(),
        });
    }
    if service.is_busy() {
        return Some(TargetProblem::Busy(service.provisioning_state.to_string()));
    }
    if busy_locally(state, service) {
        return Some(TargetProblem::BusyHere);
    }
    if let Err(e) = ServiceId::parse(&service.id()) {
        return Some(TargetProblem::BadId(e.to_string()));
    }
    None
}

/// When no loaded service outside the backup's region can take it: what to do ("no Premium
/// service outside West Europe can take it: create or scale one, then r").
pub fn no_target_hint(state: &AppState, entry: &BackupEntry) -> Option<String> {
    let region = source_location(state, entry);
    let outside = |s: &&ServiceSummary| {
        region
            .as_deref()
            .is_none_or(|r| !same_region(r, &s.location))
    };
    if all_services(state)
        .filter(outside)
        .any(|s| target_problem(state, entry, s).is_none())
    {
        return None;
    }
    let key = state
        .keymap
        .key_for(KeyContext::Failover, &Action::Refresh)
        .unwrap_or_else(|| "refresh".to_owned());
    Some(refusal::no_target(
        entry.catalog.source_sku.as_ref(),
        region.as_deref().map(|r| region_name(state, r)).as_deref(),
        &key,
    ))
}

/// At step 3: what to create when no service of the chosen region can take the backup — a
/// standby like the backup's source service (its tier, units and publisher), in that region.
/// `None` when a service there can take it, or the backup's tier or source is unknown.
pub fn standby_ask(state: &AppState, w: &FailoverWizard) -> Option<StandbyAsk> {
    let (source, region) = (w.source.as_ref()?, w.region.as_ref()?);
    source.catalog.source_sku.as_ref()?;
    if target_rows(state, w).iter().any(|r| r.refusal.is_none()) {
        return None;
    }
    let like = all_services(state)
        .find(|s| catalog::is_backup_of(source, s))
        .and_then(ServiceSummary::service_id)
        .or_else(|| ServiceId::parse(source.catalog.source_service.as_deref()?).ok())?;
    Some(StandbyAsk {
        like,
        region: region.clone(),
        name: None,
        resource_group: None,
        purge: false,
    })
}

/// Said at the wizard's start when its service (the one it was started from, else the chosen
/// backup's source) has gateways in other regions too (Premium multi-region): if its primary
/// region is down, those still serve its traffic — the CLI's `failover --plan` rule.
pub fn multi_region_note(state: &AppState, w: &FailoverWizard) -> Option<String> {
    let service = w.origin.as_ref().or_else(|| {
        let entry = w.source.as_ref()?;
        all_services(state).find(|s| catalog::is_backup_of(entry, s))
    })?;
    let regions = serves_from(service, &service.location);
    (!regions.is_empty()).then(|| {
        format!(
            "if {} is down, {} needs no restore for traffic: its gateways in {} still serve; only the management plane is down",
            service.location,
            service.name,
            regions.join(", ")
        )
    })
}

/// For a backup whose tier is unknown: the services in `region` (every region when `None`)
/// that could take it, grouped by tier, since Azure restores only into the backup's own tier.
pub fn unknown_tier_hint(
    state: &AppState,
    entry: &BackupEntry,
    region: Option<&str>,
) -> Option<String> {
    if entry.catalog.source_sku.is_some() {
        return None;
    }
    let candidates: Vec<_> = all_services(state)
        .filter(|s| region.is_none_or(|r| same_region(r, &s.location)))
        .filter(|s| target_problem(state, entry, s).is_none())
        .map(|s| (s.sku.clone(), s.name.clone()))
        .collect();
    (!candidates.is_empty()).then(|| refusal::candidates_by_tier(&candidates))
}

/// True when this process watches a live operation on `service`.
pub fn busy_locally(state: &AppState, service: &ServiceSummary) -> bool {
    state.operations.iter().any(|o| {
        o.is_live()
            && o.service
                .as_ref()
                .is_some_and(|id| same_service(id, &service.id()))
    })
}

/// True when an ARM id string names the same service as `id` (ARM ids compare
/// case-insensitively).
pub fn same_service(id: &ServiceId, arm_id: &str) -> bool {
    ServiceId::parse(arm_id).is_ok_and(|other| other.same_as(id))
}
