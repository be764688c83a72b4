//! [`Effect`]: what `update` asks the runtime to do. Each one becomes an engine task whose
//! results come back as facts ([`super::action::Action`]); `update` itself never does I/O.

use super::operation::OpId;
use time::OffsetDateTime;

use crate::domain::batch_report::BatchReport;
use crate::domain::cutover::CutoverPlan;
use crate::domain::inventory::{Inventory, StorageAccountSummary};
use crate::domain::names::ServiceId;
use crate::domain::operation::{BackupPlan, Began, RestorePlan};
use crate::domain::preflight::PreflightReport;
use crate::domain::progress::JournalId;
use crate::domain::standby::StandbyAsk;
use crate::engine::prune::BlobToDelete;
use crate::journal::OperationState;

/// A side effect for the runtime to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Walk the whole estate in one discovery; answer with `SubscriptionsLoaded`, then each
    /// subscription's `ServicesLoaded` and `StorageAccountsLoaded`, then each account's
    /// `BackupsLoaded`, every listing as soon as it is complete.
    WalkEstate,
    /// List the APIM services of a subscription; answer with `ServicesLoaded`.
    FetchServices {
        /// Subscription GUID.
        subscription: String,
    },
    /// Walk the storage accounts of a subscription and the backups in each; answer with
    /// `StorageAccountsLoaded`, then each account's `BackupsLoaded`.
    FetchStorageAccounts {
        /// Subscription GUID.
        subscription: String,
    },
    /// List the containers and backup blobs of an account; answer with `BackupsLoaded`.
    FetchBackups {
        /// The account, with its blob endpoint.
        account: StorageAccountSummary,
    },
    /// Keep the inventory just loaded in the cache for the next start (no answer).
    SaveInventory {
        /// Every listing's rows.
        inventory: Box<Inventory>,
        /// When they were loaded.
        at: OffsetDateTime,
    },
    /// Switch one region's gateway off (or on) with a `PATCH` of `disableGateway`, then read
    /// every region again; answer `GatewaySwitched`.
    SwitchGateway {
        /// The service.
        service: ServiceId,
        /// The region, as its regions list names it.
        region: String,
        /// True to switch it off.
        disabled: bool,
    },
    /// Read a service's regions and ask each gateway's health; answer `RegionsLoaded`.
    FetchRegions {
        /// The service.
        service: ServiceId,
    },
    /// Read where a host name is served and what it would point at; answer `CutoverPlanned`.
    PlanCutover {
        /// The host name.
        hostname: String,
        /// The service whose gateway it would point at.
        to: ServiceId,
    },
    /// Point a host name at a service's gateway, refused if the record no longer matches the
    /// dry run shown; answer `CutoverApplied`.
    ApplyCutover {
        /// The host name.
        hostname: String,
        /// The service whose gateway it points at.
        to: ServiceId,
        /// The dry run the operator confirmed.
        shown: CutoverPlan,
    },
    /// Plan the failover of every service of `lost` into `to` (read-only: one walk of the
    /// estate, each restore's pre-flight); answer `RegionFailoverPlanned`.
    PlanRegionFailover {
        /// The lost region.
        lost: String,
        /// The region to fail over into.
        to: String,
        /// When the operator began (each restore's RTO runs from it).
        began: Began,
    },
    /// Write a batch's report beside the journal's (`reports/{id}.md`, `.json`); answer
    /// `BatchReportSaved`.
    SaveBatchReport {
        /// The report.
        report: Box<BatchReport>,
    },
    /// Delete backup blobs of one account (Blob DELETE); answer with `BackupsDeleted`.
    DeleteBackups {
        /// The account, with its blob endpoint.
        account: StorageAccountSummary,
        /// Its blobs to delete, in order.
        blobs: Vec<BlobToDelete>,
    },
    /// Gather the facts and compute the pre-flight verdict; answer with `PreflightDone`.
    RunPreflight {
        /// The restore it is for.
        plan: RestorePlan,
        /// True when this process already runs an operation on the target.
        target_busy_locally: bool,
    },
    /// Gather the facts and compute a backup's pre-flight verdict; answer with
    /// `BackupPreflightDone`.
    RunBackupPreflight {
        /// The backup it is for.
        plan: BackupPlan,
        /// True when this process already runs an operation on the service.
        service_busy_locally: bool,
    },
    /// Journal, send and watch a restore; answer with `OperationStarted` and
    /// `OperationUpdated`s.
    StartRestore {
        /// The TUI's id for it.
        op: OpId,
        /// What to restore where.
        plan: RestorePlan,
        /// Its pre-flight, run once: the engine uses it instead of running another.
        preflight: Box<PreflightReport>,
    },
    /// Plan a standby (read-only); answer with `StandbyPlanned`.
    PlanStandby {
        /// What to create.
        ask: StandbyAsk,
    },
    /// Plan the standby again, journal its creation, send it and follow it; answer as for a
    /// restore.
    StartStandby {
        /// The TUI's id for it.
        op: OpId,
        /// What to create.
        ask: StandbyAsk,
        /// When the operator began (the wizard's start).
        began: Option<Began>,
    },
    /// Journal, send and watch a backup; answer as for a restore.
    StartBackup {
        /// The TUI's id for it.
        op: OpId,
        /// What to back up where.
        plan: BackupPlan,
    },
    /// Watch an operation found unfinished in the journal again.
    ResumeWatch {
        /// The TUI's id for it.
        op: OpId,
        /// What the journal holds of it, as read at start.
        operation: Box<OperationState>,
    },
    /// Read the journal again; answer with `JournalListed` and `HistoryLoaded`.
    ReadJournal,
    /// Watch a journaled operation again, as the journal holds it now; answer as for a resumed
    /// watch (an operation the journal holds as ended is reported with that end).
    WatchAgain {
        /// The TUI's id for it.
        op: OpId,
        /// Its journal id.
        id: JournalId,
    },
    /// Build the report of a journaled operation (`engine/report.rs`); answer `ReportBuilt`.
    BuildReport {
        /// Its journal id.
        id: JournalId,
    },
    /// Stop watching an operation (the engine journals `Detached`; Azure goes on).
    CancelWatch(OpId),
    /// Put text on the clipboard (the terminal layer writes it as OSC 52).
    Copy(String),
    /// Leave: restore the terminal and exit.
    Exit,
}
