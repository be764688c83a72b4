//! The services and backups tables' rows, kept in the state so that a frame never filters,
//! sorts or groups every loaded row: [`refresh`] (at the end of each `update`) works them out
//! again only when one of their inputs changed, and narrows the rows already shown when a typed
//! filter only grew. Each view remembers its inputs; a reader whose inputs no longer match
//! (in the middle of an `update` that changed them) gets the rows worked out afresh, so a view
//! is never read stale. The rules themselves stay in `app/estate.rs` (`derive_services`) and
//! `app/catalog.rs` (`derive_backups`). Pure.

use std::borrow::Cow;
use std::ops::Range;

use time::OffsetDateTime;

use super::catalog::{self, BackupLine, BlobAt};
use super::estate::{self, ServiceAt, ServiceRow, ServicesScope};
use super::sort::Sort;
use super::state::{AppState, ListId};
use crate::domain::backup::BackupEntry;

/// The views the state keeps (none until the first `update`).
#[derive(Debug, Clone, Default)]
pub struct Views {
    services: Option<ServicesView>,
    backups: Option<BackupsView>,
}

/// What a view was worked out from: the inventory's generation, a filter, the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inputs<T> {
    inventory: u64,
    filter: String,
    rest: T,
}

impl<T: PartialEq> Inputs<T> {
    /// True when rows shown under `self` hold every row `next` shows, in `next`'s order: only
    /// the filter changed, and every match of the new filter matches the old one.
    fn narrows_to(&self, next: &Self) -> bool {
        self.inventory == next.inventory
            && self.rest == next.rest
            && next
                .filter
                .to_lowercase()
                .contains(&self.filter.to_lowercase())
    }
}

/// The services table's inputs besides the filter: the subscription shown (or all), the order.
type ServicesRest = (Option<ServicesScope>, Sort);
/// The backups table's inputs besides the filter: the order, and the clock when expired
/// backups are hidden.
type BackupsRest = (Sort, Option<OffsetDateTime>);

fn services_inputs(state: &AppState) -> Inputs<ServicesRest> {
    Inputs {
        inventory: state.inventory_generation,
        filter: state.filters.get(ListId::Services).clone(),
        rest: (estate::services_scope(state), state.order.services),
    }
}

fn backups_inputs(state: &AppState) -> Inputs<BackupsRest> {
    Inputs {
        inventory: state.inventory_generation,
        filter: state.filters.get(ListId::Backups).clone(),
        rest: (
            state.order.backups,
            state.order.hide_expired.then_some(state.now),
        ),
    }
}

/// The services table: the selected subscription's services (or every subscription's),
/// filtered, in order.
#[derive(Debug, Clone)]
pub struct ServicesView {
    inputs: Inputs<ServicesRest>,
    /// The subscriptions (GUIDs) its rows come from; a row names one by its place here.
    subscriptions: Vec<String>,
    rows: Vec<ServiceAt>,
}

impl ServicesView {
    fn of(state: &AppState, inputs: Inputs<ServicesRest>) -> Self {
        let subscriptions = inputs
            .rest
            .0
            .as_ref()
            .map(|scope| estate::scope_subscriptions(state, scope))
            .unwrap_or_default();
        Self {
            rows: estate::derive_services(state, &subscriptions),
            subscriptions,
            inputs,
        }
    }

    /// True when it shows every subscription's services.
    pub fn is_all(&self) -> bool {
        self.inputs.rest.0 == Some(ServicesScope::All)
    }

    /// Rows shown.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no row is shown.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i`.
    pub fn row<'a>(&self, state: &'a AppState, i: usize) -> Option<ServiceRow<'a>> {
        self.rows.get(i)?.resolve(state, &self.subscriptions)
    }

    /// The rows in `range` (the visible window of a table).
    pub fn rows<'a>(&self, state: &'a AppState, range: Range<usize>) -> Vec<ServiceRow<'a>> {
        range.filter_map(|i| self.row(state, i)).collect()
    }
}

/// The backups table: the blobs shown, in order, and their account/container groups.
#[derive(Debug, Clone)]
pub struct BackupsView {
    inputs: Inputs<BackupsRest>,
    rows: Vec<BlobAt>,
    /// Each group's first row and row count.
    groups: Vec<(usize, usize)>,
}

impl BackupsView {
    fn of(state: &AppState, inputs: Inputs<BackupsRest>, rows: Vec<BlobAt>) -> Self {
        let groups = catalog::backup_groups(state, &rows);
        Self {
            inputs,
            rows,
            groups,
        }
    }

    /// Blobs shown.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no blob is shown.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Blob `i`.
    pub fn get<'a>(&self, state: &'a AppState, i: usize) -> Option<&'a BackupEntry> {
        self.rows.get(i)?.get(state)
    }

    /// Storage accounts among the blobs shown.
    pub fn accounts(&self, state: &AppState) -> usize {
        let mut names: Vec<&str> = self
            .groups
            .iter()
            .filter_map(|(first, _)| self.get(state, *first).map(|b| b.account.as_str()))
            .collect();
        names.dedup();
        names.len()
    }

    /// Lines of the grouped table: a heading per group and a line per blob.
    pub fn line_count(&self) -> usize {
        self.rows.len() + self.groups.len()
    }

    /// The table line of blob `row`.
    pub fn line_of(&self, row: usize) -> usize {
        let group = self.groups.partition_point(|(first, _)| *first <= row);
        row + group
    }

    /// Table line `line`: a group heading or a blob.
    pub fn line<'a>(&self, state: &'a AppState, line: usize) -> Option<BackupLine<'a>> {
        let group = self
            .groups
            .iter()
            .enumerate()
            .take_while(|(k, (first, _))| first + k <= line)
            .count()
            .checked_sub(1)?;
        let (first, count) = self.groups[group];
        if first + group == line {
            let b = self.get(state, first)?;
            return Some(BackupLine::Group {
                account: &b.account,
                container: &b.container,
                count,
            });
        }
        let row = line - group - 1;
        (row < first + count).then_some(BackupLine::Blob(row))
    }
}

/// The services table as the state keeps it, or worked out now when its inputs changed since.
pub fn services(state: &AppState) -> Cow<'_, ServicesView> {
    let inputs = services_inputs(state);
    match &state.views.services {
        Some(v) if v.inputs == inputs => Cow::Borrowed(v),
        _ => Cow::Owned(ServicesView::of(state, inputs)),
    }
}

/// The backups table as the state keeps it, or worked out now when its inputs changed since.
pub fn backups(state: &AppState) -> Cow<'_, BackupsView> {
    let inputs = backups_inputs(state);
    match &state.views.backups {
        Some(v) if v.inputs == inputs => Cow::Borrowed(v),
        _ => Cow::Owned(BackupsView::of(
            state,
            inputs,
            catalog::derive_backups(state),
        )),
    }
}

/// Works out again each view whose inputs changed; a filter that only grew narrows the rows
/// already shown instead of going through every loaded row. A view worked out afresh replaces
/// one dropped first, so the two are never held at once.
pub fn refresh(state: &mut AppState) {
    let inputs = services_inputs(state);
    let view = match &state.views.services {
        Some(v) if v.inputs == inputs => None,
        Some(v) if v.inputs.narrows_to(&inputs) => Some(ServicesView {
            rows: estate::narrow_services(state, &v.subscriptions, &v.rows),
            subscriptions: v.subscriptions.clone(),
            inputs,
        }),
        _ => {
            state.views.services = None;
            Some(ServicesView::of(state, inputs))
        }
    };
    if view.is_some() {
        state.views.services = view;
    }
    let inputs = backups_inputs(state);
    let rows = match &state.views.backups {
        Some(v) if v.inputs == inputs => None,
        Some(v) if v.inputs.narrows_to(&inputs) => Some(catalog::narrow_backups(state, &v.rows)),
        _ => {
            state.views.backups = None;
            Some(catalog::derive_backups(state))
        }
    };
    if let Some(rows) = rows {
        state.views.backups = Some(BackupsView::of(state, inputs, rows));
    }
}

#[cfg(test)]
mod tests;
