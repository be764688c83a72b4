//! [`Action`]: the only input to `update`. Keys, mouse clicks, timer ticks and engine reports
//! all arrive as one of these; nothing else changes the state.

use time::OffsetDateTime;

use super::operation::OpId;
use super::sort::SortKey;
use super::state::{Pane, Screen};
use crate::domain::cutover::CutoverPlan;
use crate::domain::error::UserError;
use crate::domain::inventory::{
    ContainerBackups, Inventory, StorageAccountSummary, SubscriptionSummary,
};
use crate::domain::names::ServiceId;
use crate::domain::operation::{BackupPlan, RestorePlan};
use crate::domain::preflight::PreflightReport;
use crate::domain::progress::{JournalId, OperationInfo, PastOperation, ProgressUpdate};
use crate::domain::service::ServiceSummary;
use crate::domain::standby::{StandbyAsk, StandbyOutline};
use crate::engine::cutover::CutoverEnd;
use crate::engine::failover::FailoverPlan;
use crate::engine::prune::BlobToDelete;
use crate::engine::regions::Regions;
use crate::journal::OperationState;

/// Everything that can happen to the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // # Navigation: imperatives that move the cursor or the view.
    /// Cursor up one row.
    MoveUp,
    /// Cursor down one row.
    MoveDown,
    /// Cursor up one page.
    PageUp,
    /// Cursor down one page.
    PageDown,
    /// Cursor to the first row.
    Top,
    /// Cursor to the last row.
    Bottom,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus a given pane (a mouse click on it).
    Focus(Pane),
    /// One step back: clear the filter, leave the pane, the step or the screen.
    Back,
    /// Show the key help for the current context.
    OpenHelp,
    /// Select a row of the focused list by index (a mouse click).
    SelectRow(usize),
    /// Go to a screen.
    Jump(Screen),

    // # Intents: imperatives the operator asks for.
    /// Reload what the current screen shows.
    Refresh,
    /// Open the selected row (a subscription's services, a service's backups).
    Open,
    /// Start the failover wizard from the selected service or backup.
    StartFailover,
    /// Start the backup wizard for the selected service.
    StartBackup,
    /// Sort the focused table by a column (again: reversed).
    SortBy(SortKey),
    /// Show or hide expired backups.
    ToggleExpired,
    /// Show every subscription's services in the services table at once, or again only the
    /// selected subscription's.
    ToggleAllSubscriptions,
    /// List the expired backups loaded, to delete them after a typed confirmation.
    StartPrune,
    /// Offer to point the restored source's custom host name at the restored target.
    StartCutover,
    /// The standby offer: purge the soft-deleted service holding the name, or not.
    TogglePurge,
    /// Show the selected service's regions and each gateway's health.
    ShowRegions,
    /// Fail over every service of the selected service's region (or show the batch under way).
    StartRegionFailover,
    /// Drill the selected service: back it up, restore that into a standby, verify (or show
    /// the drill under way).
    StartDrill,
    /// In the regions dialog: switch the selected region's gateway off (or on again), once
    /// the region's name is typed.
    SwitchGateway,
    /// Copy the selected id, path or the wizard's equivalent command to the clipboard.
    Copy,
    /// Copy the runbook of the wizard's restore (the commands `apim-dr runbook` prints).
    CopyRunbook,
    /// A printable character typed into the active text field.
    TypeChar(char),
    /// Text was pasted where it must be typed (the restore confirmation): refused, with why.
    PasteRefused,
    /// Delete the character before the cursor of the active text field.
    Backspace,
    /// Empty the active text field.
    ClearInput,
    /// Complete what was typed on the `:` line to the first suggestion (Tab).
    Complete,
    /// Accept: the next wizard step, the typed name, the filter, the command.
    Submit,
    /// Close the active prompt or dialog without doing anything.
    Cancel,
    /// Open the `/` filter on the focused list.
    OpenFilter,
    /// Open the `:` command line.
    OpenCommand,
    /// Stop watching an operation (it goes on in Azure).
    StopWatching(OpId),
    /// Stop watching the operation selected on the Operations screen.
    StopWatchingSelected,
    /// Watch the operation selected on the Operations screen again (stopped or unconfirmed).
    WatchAgainSelected,
    /// Show the report of the operation selected on the Operations screen (a finished one).
    ShowReportSelected,
    /// A report was built (fact): its Markdown, or why it could not be.
    ReportBuilt {
        /// The operation's journal id.
        id: JournalId,
        /// The report's Markdown (`domain/report.rs`), or the failure.
        result: Result<String, UserError>,
    },
    /// Quit, asking first when operations still run.
    Quit,
    /// Quit for sure (the answer to the quit dialog).
    ConfirmQuit,

    // # Facts: what the outside world reports, in the past tense.
    /// The subscriptions the identity can see.
    SubscriptionsLoaded(Result<Vec<SubscriptionSummary>, UserError>),
    /// The APIM services of one subscription.
    ServicesLoaded {
        /// Subscription GUID.
        subscription: String,
        /// The services or why not.
        result: Result<Vec<ServiceSummary>, UserError>,
    },
    /// The storage accounts of one subscription.
    StorageAccountsLoaded {
        /// Subscription GUID.
        subscription: String,
        /// The accounts or why not.
        result: Result<Vec<StorageAccountSummary>, UserError>,
    },
    /// The backups found in one storage account, per container.
    BackupsLoaded {
        /// Storage account name.
        account: String,
        /// The containers and their backups, or why not.
        result: Result<Vec<ContainerBackups>, UserError>,
    },
    /// The inventory the last session loaded, from the cache, before anything is fetched: its
    /// rows show, marked stale with their age, until each listing's fetch answers.
    InventoryCached {
        /// What was loaded.
        inventory: Box<Inventory>,
        /// When.
        saved_at: OffsetDateTime,
    },
    /// The plan of a standby offered by the failover wizard.
    StandbyPlanned {
        /// What was asked.
        ask: StandbyAsk,
        /// What it would make, or why it cannot be planned.
        result: Result<Box<StandbyOutline>, UserError>,
    },
    /// The pre-flight report for a restore plan.
    PreflightDone {
        /// The plan it was computed for.
        plan: RestorePlan,
        /// The checklist and its facts, or why they could not be gathered.
        result: Result<Box<PreflightReport>, UserError>,
    },
    /// The pre-flight report for a backup plan (the backup wizard's last step).
    BackupPreflightDone {
        /// The plan it was computed for.
        plan: BackupPlan,
        /// The checklist and its facts, or why they could not be gathered.
        result: Result<Box<PreflightReport>, UserError>,
    },
    /// The engine journaled the intent of an operation.
    OperationStarted {
        /// The TUI's id for it.
        op: OpId,
        /// What the journal holds.
        info: OperationInfo,
    },
    /// An operation moved on; `ProgressUpdate::Finished` ends it.
    OperationUpdated {
        /// The TUI's id for it.
        op: OpId,
        /// What happened.
        update: ProgressUpdate,
    },
    /// Operations found unfinished in the journal at start, as read there.
    OperationsFound(Vec<OperationState>),
    /// Finished operations from the journal, for estimates.
    HistoryLoaded(Vec<PastOperation>),
    /// Every operation the journal holds (the CLI's runs too), oldest first, as read now.
    JournalListed {
        /// The operations.
        operations: Vec<OperationState>,
        /// The ARM origin this process talks to: operations started against another one
        /// cannot be watched from here.
        endpoint: String,
    },
    /// A service's regions were read, each gateway's health endpoint asked.
    RegionsLoaded {
        /// The service.
        service: ServiceId,
        /// Its regions, or why they could not be read.
        result: Result<Regions, UserError>,
    },
    /// A region's gateway was switched (ARM answered the `PATCH`): every region read again.
    GatewaySwitched {
        /// The service.
        service: ServiceId,
        /// The region switched.
        region: String,
        /// True when it was switched off.
        disabled: bool,
        /// Its regions after the switch, or why it was refused.
        result: Result<Regions, UserError>,
    },
    /// A cutover's dry run was read: where the host name is served, before → after.
    CutoverPlanned {
        /// The host name.
        hostname: String,
        /// The service it would point at, as asked.
        to: ServiceId,
        /// The plan, or why there is none.
        result: Result<CutoverPlan, UserError>,
    },
    /// A cutover's write ended.
    CutoverApplied {
        /// The host name.
        hostname: String,
        /// The service it was pointed at, as asked.
        to: ServiceId,
        /// Done or unconfirmed, or why it was refused or failed.
        result: Result<CutoverEnd, UserError>,
    },
    /// The deletes of a prune in one storage account answered: each blob and its result.
    BackupsDeleted {
        /// Storage account name.
        account: String,
        /// Each blob asked for, in order, and whether it was deleted.
        results: Vec<(BlobToDelete, Result<(), UserError>)>,
    },
    /// The plan of a region's failover, from the engine (`Effect::PlanRegionFailover`).
    RegionFailoverPlanned {
        /// The lost region, as asked.
        lost: String,
        /// The region to fail over into, as asked.
        to: String,
        /// One planned restore per service of the lost region, with its pre-flight.
        plan: Box<FailoverPlan>,
    },
    /// A region failover's batch report was written (its Markdown's path) or could not be.
    BatchReportSaved {
        /// The report's id.
        id: String,
        /// Where the Markdown was written, or why it could not be.
        result: Result<String, UserError>,
    },
    /// The journal read at start had a problem to show: lines it skipped, or no journal at all.
    JournalWarning(String),
    /// The clock moved on (the only source of time for `update`).
    Tick {
        /// The current instant.
        now: OffsetDateTime,
    },
    /// The terminal has a new size.
    Resized {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
}
