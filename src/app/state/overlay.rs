//! [`Overlay`]: a dialog or prompt over the current screen or wizard, and what each holds.

use super::ListId;
use crate::app::cutover::CutoverDialog;
use crate::app::loadable::Loadable;
use crate::app::prune::PruneDialog;
use crate::domain::names::ServiceId;
use crate::domain::progress::JournalId;
use crate::engine::regions::Regions;

/// A dialog or prompt over the current screen or wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The `?` key help.
    Help {
        /// Lines scrolled.
        scroll: u16,
    },
    /// "N operations still run in Azure… Quit? (y/n)".
    Quit {
        /// Live operations when asked.
        live: usize,
        /// Restores of a region's failover not started yet: quitting leaves them unstarted.
        queued: usize,
    },
    /// The `/` filter being typed (the text lives in `AppState::filters`).
    Filter {
        /// The list it filters.
        list: ListId,
        /// The filter before editing, restored by Esc.
        before: String,
    },
    /// The `:` command line.
    Command {
        /// What was typed so far.
        text: String,
    },
    /// A service's regions and each gateway's health (`l` on a multi-region service).
    Regions {
        /// The service.
        service: ServiceId,
        /// Its regions once read.
        regions: Loadable<Regions>,
        /// The region selected.
        cursor: usize,
        /// A gateway switch being typed or sent (`d`).
        switch: Option<GatewaySwitch>,
    },
    /// A traffic cutover: its dry run, the typed host name, its end (`c` on Operations).
    Cutover(Box<CutoverDialog>),
    /// The expired backups to delete, the typed confirmation, each blob's result (`p` on
    /// Backups, `:prune`).
    Prune(Box<PruneDialog>),
    /// The failover of a whole region (`F`): the region to fail over into, the plan, the
    /// typed confirmation, each restore's status. The batch itself is
    /// `AppState::region_failover`, kept while this dialog is closed.
    RegionFailover,
    /// A drill (`D`): the standby picked and its name typed, then each step. The drill itself
    /// is `AppState::drill`, kept while this dialog is closed.
    Drill,
    /// The report of a finished operation (`v` on Operations).
    Report {
        /// Its journal id.
        id: JournalId,
        /// Its Markdown once built.
        text: Loadable<String>,
        /// Lines scrolled.
        scroll: u16,
    },
}

/// Switching a region's gateway off or on from the regions dialog (for a drill): what is
/// asked, what was typed, and whether it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewaySwitch {
    /// The region, as the regions list names it.
    pub region: String,
    /// True to switch it off, false to switch it back on.
    pub disable: bool,
    /// What was typed: the region's name, exactly.
    pub typed: String,
    /// Sent: waiting for ARM's answer.
    pub sent: bool,
}
