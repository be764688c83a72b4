//! The backup wizard's state and candidate lists: storage accounts, the chosen account's
//! containers (or a new one), a sortable default blob name, and whether the blob would
//! overwrite an existing one. Pure: the default name comes from the state's clock.

use time::OffsetDateTime;

use super::catalog::{all_backups, is_backup_of, newest_first};
use super::loadable::Loadable;
use super::state::AppState;
use crate::domain::backup::default_blob_name;
use crate::domain::inventory::{ContainerBackups, StorageAccountSummary};
use crate::domain::operation::BackupPlan;
use crate::domain::preflight::PreflightReport;
use crate::domain::service::ServiceSummary;

/// The steps, in order. `NewContainer` is step 2 with a typed name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BackupStep {
    /// 1: pick the storage account.
    Account,
    /// 2: pick a container.
    Container,
    /// 2: type a new container's name.
    NewContainer,
    /// 3: the blob name (defaulted, editable).
    Name,
    /// 4: review and start.
    Review,
}

impl BackupStep {
    /// The steps the indicator shows.
    pub const SHOWN: [Self; 4] = [Self::Account, Self::Container, Self::Name, Self::Review];

    /// 1-based position in the indicator.
    pub fn number(self) -> usize {
        match self {
            Self::Account => 1,
            Self::Container | Self::NewContainer => 2,
            Self::Name => 3,
            Self::Review => 4,
        }
    }

    /// Short title for the step indicator.
    pub fn title(self) -> &'static str {
        match self {
            Self::Account => "Storage account",
            Self::Container | Self::NewContainer => "Container",
            Self::Name => "Blob name",
            Self::Review => "Review",
        }
    }
}

/// The backup wizard in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupWizard {
    /// The service to back up.
    pub service: ServiceSummary,
    /// The current step.
    pub step: BackupStep,
    /// Cursor in step 1.
    pub account_cursor: usize,
    /// Cursor in step 2.
    pub container_cursor: usize,
    /// The chosen account.
    pub account: Option<StorageAccountSummary>,
    /// The chosen (or typed) container.
    pub container: Option<String>,
    /// A new container's name being typed.
    pub new_container: String,
    /// The blob name (editable).
    pub blob: String,
    /// The pre-flight of the backup reviewed at step 4, and the plan it was run for.
    pub preflight: Loadable<Box<PreflightReport>>,
    /// The plan the pre-flight was asked for (a late answer for another plan is ignored).
    pub preflight_plan: Option<BackupPlan>,
    /// Checks scrolled past at step 4.
    pub preflight_scroll: usize,
}

impl BackupWizard {
    /// A wizard at step 1 with the blob name defaulted from `now`.
    pub fn new(service: ServiceSummary, now: OffsetDateTime) -> Self {
        let blob = default_blob_name(&service.name, now);
        Self {
            service,
            step: BackupStep::Account,
            account_cursor: 0,
            container_cursor: 0,
            account: None,
            container: None,
            new_container: String::new(),
            blob,
            preflight: Loadable::NotRequested,
            preflight_plan: None,
            preflight_scroll: 0,
        }
    }

    /// True while its pre-flight runs.
    pub fn preflight_running(&self) -> bool {
        matches!(self.preflight, Loadable::Loading { .. })
    }

    /// True on the steps where keys type text.
    pub fn takes_text(&self) -> bool {
        matches!(self.step, BackupStep::NewContainer | BackupStep::Name)
    }
}

/// Step 1: every loaded storage account, by name.
pub fn account_rows(state: &AppState) -> Vec<&StorageAccountSummary> {
    let mut rows: Vec<&StorageAccountSummary> = state
        .storage_accounts
        .values()
        .filter_map(|l| l.rows())
        .flat_map(|r| r.iter())
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

/// Where this service's newest backup already is (account, container), from the loaded
/// catalog: the wizard starts there, so backups of one service stay together.
pub fn usual_place(state: &AppState, service: &ServiceSummary) -> Option<(String, String)> {
    all_backups(state)
        .filter(|b| is_backup_of(b, service))
        .min_by(|a, b| newest_first(a, b))
        .map(|b| (b.account.to_string(), b.container.to_string()))
}

/// Step 2: the chosen account's loaded containers. The list on screen ends with one more row,
/// "new container…".
pub fn container_rows<'a>(state: &'a AppState, wizard: &BackupWizard) -> &'a [ContainerBackups] {
    wizard
        .account
        .as_ref()
        .and_then(|a| state.backups.get(&a.name))
        .and_then(|l| l.rows())
        .map_or(&[], Vec::as_slice)
}

/// Where the chosen account's containers stand (for loading and failed states).
pub fn containers_loadable<'a>(
    state: &'a AppState,
    wizard: &BackupWizard,
) -> Option<&'a Loadable<std::sync::Arc<Vec<ContainerBackups>>>> {
    wizard
        .account
        .as_ref()
        .and_then(|a| state.backups.get(&a.name))
        .map(|l| &l.data)
}

/// True when the chosen blob already exists: the backup would overwrite it.
pub fn blob_exists(state: &AppState, wizard: &BackupWizard) -> bool {
    let (Some(account), Some(container)) = (&wizard.account, &wizard.container) else {
        return false;
    };
    container_rows(state, wizard)
        .iter()
        .filter(|c| c.account == account.name && &c.container == container)
        .flat_map(|c| c.backups.iter())
        .any(|b| b.name == wizard.blob)
}
