//! The failover of a whole region from the TUI (`F` on a service of the lost region): the
//! operator picks the region to fail over into; the engine plans one restore per service of
//! the lost region with its pre-flight (`engine/failover.rs`, the plan `apim-dr failover
//! --plan` prints); the operator types `restore N` (N the ready restores the plan shows); each
//! ready restore then runs as an operation of its own (journaled, watched, verified, on the
//! Operations screen), at most [`PARALLEL_DEFAULT`] at once; each item shows where it stands,
//! and one batch report is written at the end. Pure: the state and the rules, no I/O.

use time::OffsetDateTime;

use super::estate::all_services;
use super::loadable::Loadable;
use super::operation::{OpId, OperationView};
use super::state::AppState;
use crate::domain::backup::BackupEntry;
use crate::domain::batch_report::{BatchReport, Item, ItemStatus};
use crate::domain::operation::Began;
use crate::domain::region::same_region;
use crate::engine::failover::{FailoverPlan, PlannedItem};

pub use crate::engine::failover::PARALLEL_DEFAULT;

/// A region the lost one can fail over into, with the services loaded there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChoice {
    /// Its name as the services list it (`North Europe`).
    pub name: String,
    /// Services loaded in it (the standbys a plan can pick from).
    pub services: usize,
}

/// Where one planned restore of the batch stands in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// Not asked to run (blocked, not needed, or the batch not started).
    NotRun,
    /// Ready; waits for a free place among the restores running at once.
    Queued,
    /// Started as this operation.
    Started(OpId),
}

/// One service of the lost region: its plan and its run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItem {
    /// The engine's plan of its restore, with its pre-flight.
    pub planned: PlannedItem,
    /// Where its run stands.
    pub run: Run,
    /// Whether post-restore verification passed, once reported.
    pub verified: Option<bool>,
}

impl BatchItem {
    /// True when its restore can run: planned, needed, and its pre-flight allows it.
    pub fn ready(&self) -> bool {
        self.planned.ready()
    }
}

/// Where an item stands, in the words the dialog and the report use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    /// Still serves from another region: no restore (the note says where).
    NotNeeded(String),
    /// Will not run, and why.
    Blocked(String),
    /// Ready; the batch has not started.
    Ready,
    /// Waiting for a free place.
    Queued,
    /// Its operation runs.
    Running(OpId),
    /// Its operation ended: how, and why when it did not succeed.
    Ended(OpId, ItemStatus, Option<String>),
    /// Its operation is no longer watched here (stopped with `s`): Azure goes on.
    Unwatched(OpId),
}

/// The region failover dialog's whole state, kept in `AppState::region_failover` so that a
/// batch goes on while its dialog is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionFailover {
    /// The lost region, as the services list it.
    pub lost: String,
    /// The regions it can fail over into.
    pub regions: Vec<RegionChoice>,
    /// The region selected in the list.
    pub cursor: usize,
    /// The region chosen (Enter on the list): the plan is for it.
    pub to: Option<String>,
    /// The plan, once asked for.
    pub plan: Loadable<Vec<BatchItem>>,
    /// The listings that failed while planning: a service there may be missing.
    pub listing_failures: Vec<String>,
    /// What was typed to confirm.
    pub typed: String,
    /// When the operator pressed `F` (each restore's RTO runs from it).
    pub began: Began,
    /// When the restores were asked for.
    pub started: Option<OffsetDateTime>,
    /// The batch report: being written, or the path it was written to.
    pub report: Option<Loadable<String>>,
    /// Rows scrolled.
    pub scroll: u16,
}

impl RegionFailover {
    /// A dialog for the failover of `lost`, begun at `began`, the regions to pick from listed.
    pub fn new(lost: String, regions: Vec<RegionChoice>, began: Began) -> Self {
        Self {
            lost,
            regions,
            cursor: 0,
            to: None,
            plan: Loadable::NotRequested,
            listing_failures: Vec::new(),
            typed: String::new(),
            began,
            started: None,
            report: None,
            scroll: 0,
        }
    }

    /// Takes in the engine's plan.
    pub fn planned(&mut self, plan: FailoverPlan) {
        self.plan = Loadable::Loaded(
            plan.items
                .into_iter()
                .map(|planned| BatchItem {
                    planned,
                    run: Run::NotRun,
                    verified: None,
                })
                .collect(),
        );
        self.listing_failures = plan.listing_failures;
    }

    /// The items, once planned.
    pub fn items(&self) -> &[BatchItem] {
        match &self.plan {
            Loadable::Loaded(items) => items,
            _ => &[],
        }
    }

    /// True while the region to fail over into is being picked.
    pub fn picking(&self) -> bool {
        self.to.is_none()
    }

    /// How many restores are ready to run.
    pub fn ready(&self) -> usize {
        self.items().iter().filter(|i| i.ready()).count()
    }

    /// What the operator types to run them: `restore N`, the count shown.
    pub fn confirm_words(&self) -> String {
        format!("restore {}", self.ready())
    }

    /// True while the confirmation is to be typed: planned, something ready, not started.
    pub fn takes_words(&self) -> bool {
        self.started.is_none() && self.ready() > 0
    }

    /// Where `item` stands, from its run and its operation in `operations`.
    pub fn state_of(&self, item: &BatchItem, operations: &[OperationView]) -> ItemState {
        let lost = &self.lost;
        if let Some(note) = item.planned.pick.not_needed_note(lost) {
            return ItemState::NotNeeded(note);
        }
        if let Some(why) = item.planned.blocked_reason() {
            return ItemState::Blocked(why);
        }
        match item.run {
            Run::NotRun => ItemState::Ready,
            Run::Queued => ItemState::Queued,
            Run::Started(op) => match operations.iter().find(|o| o.op == op) {
                Some(view) => match view.outcome() {
                    Some(outcome) => {
                        let (status, mut reason) = ItemStatus::of(outcome);
                        if status == ItemStatus::Succeeded && item.verified == Some(false) {
                            reason = Some(unverified_reason(item));
                        }
                        ItemState::Ended(op, status, reason)
                    }
                    None if view.is_live() => ItemState::Running(op),
                    None => ItemState::Unwatched(op),
                },
                None => ItemState::Unwatched(op),
            },
        }
    }

    /// True once the restores were asked for and none is queued or still watched.
    pub fn finished(&self, operations: &[OperationView]) -> bool {
        self.started.is_some()
            && self.items().iter().all(|i| {
                !matches!(
                    self.state_of(i, operations),
                    ItemState::Queued | ItemState::Running(_)
                )
            })
    }

    /// How many restores run now.
    pub fn running(&self, operations: &[OperationView]) -> usize {
        self.items()
            .iter()
            .filter(|i| matches!(self.state_of(i, operations), ItemState::Running(_)))
            .count()
    }

    /// How many wait for a free place.
    pub fn queued(&self) -> usize {
        self.items().iter().filter(|i| i.run == Run::Queued).count()
    }

    /// The batch's report at `now` (the same one `apim-dr failover --yes` writes).
    pub fn report(&self, operations: &[OperationView], now: OffsetDateTime) -> BatchReport {
        let to = self.to.clone().unwrap_or_default();
        let started = self.started.unwrap_or(now);
        BatchReport {
            title: format!("failover {} → {to}", self.lost),
            id: BatchReport::id_for(started),
            started,
            ended: now,
            filters: vec![format!("--region {}", self.lost), format!("--to {to}")],
            listing_failures: self.listing_failures.clone(),
            items: self
                .items()
                .iter()
                .map(|i| self.report_item(i, operations))
                .collect(),
        }
    }

    fn report_item(&self, i: &BatchItem, operations: &[OperationView]) -> Item {
        let pick = &i.planned.pick;
        let (status, reason) = match self.state_of(i, operations) {
            ItemState::NotNeeded(note) => (ItemStatus::NotNeeded, Some(note)),
            ItemState::Blocked(why) => (ItemStatus::Skipped, Some(why)),
            ItemState::Ready | ItemState::Queued => (
                ItemStatus::Skipped,
                Some("not started: the batch was left before its turn".to_owned()),
            ),
            ItemState::Running(_) | ItemState::Unwatched(_) => (
                ItemStatus::Unconfirmed,
                Some("no longer watched here: it goes on in Azure".to_owned()),
            ),
            ItemState::Ended(_, status, reason) => (status, reason),
        };
        let operation_id = match i.run {
            Run::Started(op) => operations
                .iter()
                .find(|o| o.op == op)
                .and_then(|o| o.journal_id.as_ref())
                .map(ToString::to_string),
            _ => None,
        };
        Item {
            service: pick.source.name.clone(),
            service_id: pick.source.id().into_owned(),
            tier: pick.source.sku.to_string(),
            status,
            backup: pick.backup.as_ref().map(BackupEntry::display_ref),
            operation_id,
            reason,
            target: pick.target.as_ref().map(|t| t.name.clone()),
            verified: i.verified,
        }
    }
}

fn unverified_reason(item: &BatchItem) -> String {
    format!(
        "restored, but verification did not pass: `apim-dr verify --service {}`",
        item.planned
            .pick
            .target
            .as_ref()
            .map(|t| t.id())
            .unwrap_or_default()
    )
}

/// The regions `lost` can fail over into: every other region with a service loaded, by name.
pub fn region_choices(state: &AppState, lost: &str) -> Vec<RegionChoice> {
    let mut out: Vec<RegionChoice> = Vec::new();
    for s in all_services(state).filter(|s| !same_region(&s.location, lost)) {
        match out.iter_mut().find(|c| same_region(&c.name, &s.location)) {
            Some(c) => c.services += 1,
            None => out.push(RegionChoice {
                name: s.location.to_string(),
                services: 1,
            }),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures;

    #[test]
    fn the_regions_offered_are_the_others_with_services() {
        let state = fixtures::loaded(false);
        let choices = region_choices(&state, "westeurope");
        assert!(!choices.is_empty());
        assert!(choices.iter().all(|c| !same_region(&c.name, "West Europe")));
        assert!(choices.iter().all(|c| c.services > 0));
        let mut sorted = choices.clone();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(choices, sorted);
    }
}
