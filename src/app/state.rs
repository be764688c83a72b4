//! [`AppState`]: everything the TUI knows, as plain data. `update` is the only writer; `render`
//! reads it. No I/O, no clock (time arrives in `Action::Tick`), no channels.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use super::backup_wizard::{BackupStep, BackupWizard};
use super::drill::Drill;
use super::effect::Effect;
use super::failover::{FailoverStep, FailoverWizard};
use super::keymap::{KeyContext, Keymap};
use super::loadable::Listing;
use super::operation::{OpId, OperationView};
use super::region_failover::RegionFailover;
use super::sort::Order;
use super::views::Views;
use crate::domain::inventory::{ContainerBackups, StorageAccountSummary, SubscriptionSummary};
use crate::domain::progress::PastOperation;
use crate::domain::service::ServiceSummary;

mod overlay;
pub use overlay::{GatewaySwitch, Overlay};

/// How long a flash message stays.
pub const FLASH_TTL: Duration = Duration::seconds(6);

/// The screens reachable with `:` commands and the number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Subscriptions and their APIM services (`:services`).
    #[default]
    Estate,
    /// Backup blobs by storage account and container (`:backups`).
    Backups,
    /// Operations started or resumed (`:ops`).
    Operations,
    /// Each service's recovery point (`:rpo`).
    Rpo,
}

impl Screen {
    /// The name in breadcrumbs.
    pub fn title(self) -> &'static str {
        match self {
            Self::Estate => "Estate",
            Self::Backups => "Backups",
            Self::Operations => "Operations",
            Self::Rpo => "RPO",
        }
    }
}

/// The two panes of the estate screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Pane {
    /// The subscriptions list.
    Subscriptions,
    /// The services table of the selected subscription.
    #[default]
    Services,
}

/// Whose services the services table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ServicesOf {
    /// The selected subscription's.
    #[default]
    Selected,
    /// Every listed subscription's at once, with a Subscription column.
    All,
}

impl ServicesOf {
    /// The other one (what `0` switches to).
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Selected => Self::All,
            Self::All => Self::Selected,
        }
    }
}

/// Where the operator is: a screen, or a wizard's step. A flash line belongs to the place that
/// raised it and goes when the operator moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// A screen, no wizard.
    Screen(Screen),
    /// A step of the failover wizard.
    Failover(FailoverStep),
    /// A step of the backup wizard.
    Backup(BackupStep),
}

/// The lists that have a cursor and a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    /// Subscriptions pane.
    Subscriptions,
    /// Services table.
    Services,
    /// Backups screen.
    Backups,
    /// Operations screen.
    Operations,
    /// RPO screen.
    Rpo,
}

/// One value per list (a cursor, a filter).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PerList<T> {
    /// For the subscriptions pane.
    pub subscriptions: T,
    /// For the services table.
    pub services: T,
    /// For the backups screen.
    pub backups: T,
    /// For the operations screen.
    pub operations: T,
    /// For the RPO screen.
    pub rpo: T,
}

impl<T> PerList<T> {
    /// The value for `list`.
    pub fn get(&self, list: ListId) -> &T {
        match list {
            ListId::Subscriptions => &self.subscriptions,
            ListId::Services => &self.services,
            ListId::Backups => &self.backups,
            ListId::Operations => &self.operations,
            ListId::Rpo => &self.rpo,
        }
    }

    /// The value for `list`, to change.
    pub fn get_mut(&mut self, list: ListId) -> &mut T {
        match list {
            ListId::Subscriptions => &mut self.subscriptions,
            ListId::Services => &mut self.services,
            ListId::Backups => &mut self.backups,
            ListId::Operations => &mut self.operations,
            ListId::Rpo => &mut self.rpo,
        }
    }
}

/// How serious a flash message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashLevel {
    /// Something happened.
    Info,
    /// Something needs attention.
    Warn,
    /// Something failed or was refused.
    Error,
}

/// A one-line message that clears itself after [`FLASH_TTL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// How serious.
    pub level: FlashLevel,
    /// The message.
    pub text: String,
    /// When it was set.
    pub at: OffsetDateTime,
}

/// A wizard in progress; it takes the body of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wizard {
    /// Restore a backup into a target service.
    Failover(Box<FailoverWizard>),
    /// Back up a service into a blob.
    Backup(Box<BackupWizard>),
}

/// What the runtime passes to [`AppState::new`].
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// `--read-only`: dangerous keys are removed and failover/backup refused.
    pub read_only: bool,
    /// Key bindings (defaults plus the user's file).
    pub keymap: Keymap,
    /// The clock at start.
    pub now: OffsetDateTime,
    /// Where we are connected, shown in the header ("Azure", "demo emulator").
    pub context_label: String,
    /// The demo: its emulator stops at quit and the next start begins afresh, so nothing left
    /// running is watched again at next start.
    pub starts_over: bool,
    /// The recovery point objective in hours, for the RPO screen.
    pub rpo_hours: u64,
    /// The ARM endpoint this process talks to, for the runbook the wizard copies.
    pub arm_endpoint: String,
    /// The ARM api-version this process uses, for the same runbook.
    pub api_version: String,
}

/// Everything the TUI knows.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Read-only mode.
    pub read_only: bool,
    /// Where we are connected.
    pub context_label: String,
    /// The demo: nothing left running is watched again at next start.
    pub starts_over: bool,
    /// The recovery point objective in hours.
    pub rpo_hours: u64,
    /// The ARM endpoint this process talks to (for the runbook).
    pub arm_endpoint: String,
    /// The ARM api-version this process uses (for the runbook).
    pub api_version: String,
    /// Key bindings in force (without dangerous ones in read-only mode).
    pub keymap: Keymap,
    /// The last clock reading (from `Tick`).
    pub now: OffsetDateTime,
    /// Terminal size (columns, rows) from `Resized`.
    pub size: (u16, u16),
    /// The screen shown under any wizard or overlay.
    pub screen: Screen,
    /// The focused estate pane.
    pub focus: Pane,
    /// Cursor per list, as an index into the visible (filtered) rows.
    pub cursors: PerList<usize>,
    /// Filter text per list (case-insensitive substring).
    pub filters: PerList<String>,
    /// Subscriptions.
    pub subscriptions: Listing<Vec<SubscriptionSummary>>,
    /// APIM services per subscription GUID.
    pub services: BTreeMap<String, Listing<Vec<ServiceSummary>>>,
    /// Storage accounts per subscription GUID.
    pub storage_accounts: BTreeMap<String, Listing<Vec<StorageAccountSummary>>>,
    /// Containers and backups per storage account name.
    pub backups: BTreeMap<String, Listing<Vec<ContainerBackups>>>,
    /// Operations started or resumed, oldest first.
    pub operations: Vec<OperationView>,
    /// Finished operations, for estimates.
    pub history: Vec<PastOperation>,
    /// A wizard in progress.
    pub wizard: Option<Wizard>,
    /// A dialog or prompt on top.
    pub overlay: Option<Overlay>,
    /// The failover of a whole region, from its dialog's opening to its batch's end (kept
    /// while the dialog is closed: the batch goes on).
    pub region_failover: Option<Box<RegionFailover>>,
    /// A drill, from its dialog's opening to its end (kept while the dialog is closed).
    pub drill: Option<Box<Drill>>,
    /// The flash line.
    pub flash: Option<Flash>,
    /// The selected service, backup or operation in full on the whole body (Enter; Esc or
    /// another screen closes it).
    pub details: bool,
    /// How the services and backups tables are sorted, and whether expired backups show.
    pub order: Order,
    /// Whose services the services table shows (`0`, `:all` switch).
    pub services_of: ServicesOf,
    /// Bumped by every change to the inventory's maps (`app/update/inventory.rs`): the views
    /// derived from them are worked out again.
    pub(super) inventory_generation: u64,
    /// The services and backups tables' rows, kept between frames (`app/views.rs`).
    pub(super) views: Views,
    next_op: u64,
}

impl AppState {
    /// A fresh state and the effects that start it: fetch the subscriptions.
    pub fn new(options: AppOptions) -> (Self, Vec<Effect>) {
        let keymap = if options.read_only {
            options.keymap.without_dangerous()
        } else {
            options.keymap
        };
        let mut subscriptions = Listing::default();
        subscriptions.begin(options.now);
        let state = Self {
            read_only: options.read_only,
            context_label: options.context_label,
            starts_over: options.starts_over,
            rpo_hours: options.rpo_hours,
            arm_endpoint: options.arm_endpoint,
            api_version: options.api_version,
            keymap,
            now: options.now,
            size: (80, 24),
            screen: Screen::Estate,
            focus: Pane::Services,
            cursors: PerList::default(),
            filters: PerList::default(),
            subscriptions,
            services: BTreeMap::new(),
            storage_accounts: BTreeMap::new(),
            backups: BTreeMap::new(),
            operations: Vec::new(),
            history: Vec::new(),
            wizard: None,
            overlay: None,
            region_failover: None,
            drill: None,
            flash: None,
            details: false,
            order: Order::DEFAULT,
            services_of: ServicesOf::Selected,
            inventory_generation: 0,
            views: Views::default(),
            next_op: 1,
        };
        (state, vec![Effect::WalkEstate])
    }

    /// A new operation id.
    pub fn allocate_op(&mut self) -> OpId {
        let id = OpId(self.next_op);
        self.next_op += 1;
        id
    }

    /// Where the operator is (what a flash line belongs to).
    pub fn place(&self) -> Place {
        match &self.wizard {
            Some(Wizard::Failover(w)) => Place::Failover(w.step),
            Some(Wizard::Backup(w)) => Place::Backup(w.step),
            None => Place::Screen(self.screen),
        }
    }

    /// Where keys go right now.
    pub fn key_context(&self) -> KeyContext {
        match &self.overlay {
            Some(Overlay::Prune(d)) if !d.started() => KeyContext::Prune,
            Some(Overlay::Cutover(d)) if d.takes_name() => KeyContext::Cutover,
            Some(Overlay::Regions {
                switch: Some(s), ..
            }) if !s.sent => KeyContext::Gateway,
            Some(Overlay::Regions { .. }) => KeyContext::Regions,
            Some(Overlay::Drill) => match self.drill.as_deref() {
                Some(d) if d.picking() && !self.read_only => KeyContext::Drill,
                _ => KeyContext::Help,
            },
            Some(Overlay::RegionFailover) => match self.region_failover.as_deref() {
                Some(b) if b.picking() => KeyContext::RegionPick,
                Some(b) if b.takes_words() && !self.read_only => KeyContext::Batch,
                _ => KeyContext::Help,
            },
            // A dialog with nothing to type: esc closes it, the movement keys scroll.
            Some(
                Overlay::Help { .. }
                | Overlay::Report { .. }
                | Overlay::Prune(_)
                | Overlay::Cutover(_),
            ) => KeyContext::Help,
            Some(Overlay::Quit { .. }) => KeyContext::Quit,
            Some(Overlay::Filter { .. } | Overlay::Command { .. }) => KeyContext::Input,
            None => self.base_context(),
        }
    }

    /// Where keys go under any overlay (what the help popup describes).
    pub fn base_context(&self) -> KeyContext {
        match &self.wizard {
            Some(Wizard::Failover(w)) if w.step == FailoverStep::Confirm => KeyContext::Confirm,
            Some(Wizard::Failover(w)) if w.standby.as_ref().is_some_and(|o| o.op.is_none()) => {
                KeyContext::Standby
            }
            Some(Wizard::Failover(_)) => KeyContext::Failover,
            Some(Wizard::Backup(w)) if w.takes_text() => KeyContext::Input,
            Some(Wizard::Backup(w)) if w.step == BackupStep::Review => KeyContext::BackupReview,
            Some(Wizard::Backup(_)) => KeyContext::BackupWizard,
            None => match (self.screen, self.focus) {
                (Screen::Estate, Pane::Subscriptions) => KeyContext::Subscriptions,
                (Screen::Estate, Pane::Services) => KeyContext::Services,
                (Screen::Backups, _) => KeyContext::Backups,
                (Screen::Operations, _) => KeyContext::Operations,
                (Screen::Rpo, _) => KeyContext::Rpo,
            },
        }
    }

    /// The action for a key press, through the keymap and the current context.
    pub fn resolve_key(&self, key: crossterm::event::KeyEvent) -> Option<crate::app::Action> {
        self.keymap.resolve(self.key_context(), key)
    }

    /// The list the cursor keys move on the current screen (no wizard, no overlay).
    pub fn focused_list(&self) -> ListId {
        match (self.screen, self.focus) {
            (Screen::Estate, Pane::Subscriptions) => ListId::Subscriptions,
            (Screen::Estate, Pane::Services) => ListId::Services,
            (Screen::Backups, _) => ListId::Backups,
            (Screen::Operations, _) => ListId::Operations,
            (Screen::Rpo, _) => ListId::Rpo,
        }
    }

    /// Operations still running that this process watches.
    pub fn live_operations(&self) -> usize {
        self.operations.iter().filter(|o| o.is_live()).count()
    }

    /// True while something on screen counts seconds (a live operation, a flash to expire, a
    /// load or a pre-flight in flight): the header clock shows seconds and the runtime ticks
    /// once a second only then.
    pub fn counts_seconds(&self) -> bool {
        self.live_operations() > 0
            || self.flash.is_some()
            || self.subscriptions.is_busy()
            || self.services.values().any(Listing::is_busy)
            || self.storage_accounts.values().any(Listing::is_busy)
            || self.backups.values().any(Listing::is_busy)
            || matches!(&self.wizard, Some(Wizard::Failover(w)) if w.preflight_running())
            || matches!(&self.wizard, Some(Wizard::Backup(w)) if w.preflight_running())
            || self
                .region_failover
                .as_ref()
                .is_some_and(|b| matches!(b.plan, super::loadable::Loadable::Loading { .. }))
            || self
                .drill
                .as_ref()
                .is_some_and(|d| matches!(d.stage, super::drill::DrillStage::Checking(_)))
    }

    /// How long the runtime waits before the next `Tick` at `now`: a second while something
    /// counts seconds; otherwise until the next whole minute, all an idle screen shows (the
    /// clock reads HH:MM, ages are in minutes). So the clock never freezes, and an idle TUI
    /// wakes once a minute.
    pub fn next_tick_in(&self, now: OffsetDateTime) -> std::time::Duration {
        if self.counts_seconds() {
            return std::time::Duration::from_secs(1);
        }
        let into_minute = u64::from(now.second()) * 1000 + u64::from(now.millisecond());
        std::time::Duration::from_millis(60_000 - into_minute)
    }

    /// What becomes of an operation nobody here watches, in the words the quit dialog, `s`
    /// and the details use: true of Azure, and of the demo (whose emulator ends with it).
    pub fn unwatched_fate(&self) -> &'static str {
        if self.starts_over {
            "it goes on in the demo emulator until you quit; the demo starts over next time"
        } else {
            "it continues in Azure and is watched again at next start"
        }
    }

    /// Shows a message in the flash line.
    pub fn flash(&mut self, level: FlashLevel, text: impl Into<String>) {
        self.flash = Some(Flash {
            level,
            text: text.into(),
            at: self.now,
        });
    }

    /// The rows per page for PageUp/PageDown, from the terminal height.
    pub fn page_size(&self) -> usize {
        usize::from(self.size.1.saturating_sub(10).max(1))
    }

    /// True when the services table shows every subscription's services at once.
    pub fn all_subscriptions(&self) -> bool {
        self.services_of == ServicesOf::All
    }

    /// True while any listing of the estate is loading (a walk has not answered for it yet).
    pub fn estate_loading(&self) -> bool {
        self.subscriptions.is_busy()
            || self.services.values().any(Listing::is_busy)
            || self.storage_accounts.values().any(Listing::is_busy)
            || self.backups.values().any(Listing::is_busy)
    }

    /// The display name of a subscription GUID (the GUID when unknown).
    pub fn subscription_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.subscriptions
            .rows()
            .and_then(|subs| subs.iter().find(|s| s.id.eq_ignore_ascii_case(id)))
            .map_or(id, |s| s.name.as_str())
    }
}
