//! The keymap: keys → [`Action`]s per screen, loaded from `assets/keymap.toml` (embedded) and
//! optionally overridden entry by entry by a user file. The footer hints and the `?` help are
//! generated from it, so they can never drift from what the keys do.
//!
//! Read-only mode removes every entry marked `dangerous`, as k9s does: those keys do nothing and
//! appear nowhere. Keys never reach `update`; the runtime calls [`Keymap::resolve`].

mod keys;
mod load;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub use keys::KeyBinding;
pub use load::KeymapError;

use super::action::Action;

/// The default key bindings, embedded in the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// A `[section]` of the keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// Keys that work on every screen (not in dialogs or wizards).
    Global,
    /// Cursor keys for every list (screens, wizards, help).
    Navigation,
    /// The subscriptions pane of the estate.
    Subscriptions,
    /// The services table of the estate.
    Services,
    /// The backups screen.
    Backups,
    /// The operations screen.
    Operations,
    /// The failover wizard's list steps.
    Failover,
    /// The failover wizard's type-the-name step.
    Confirm,
    /// The failover wizard's offer to create a standby: type its name.
    Standby,
    /// The backup wizard's list steps.
    BackupWizard,
    /// The backup wizard's last step, where Enter starts the backup.
    BackupReview,
    /// The prune dialog, typing the confirmation.
    Prune,
    /// The cutover dialog, typing the host name.
    Cutover,
    /// A service's regions (`l`): pick one, switch its gateway.
    Regions,
    /// The regions dialog, typing the region whose gateway is switched.
    Gateway,
    /// A region's failover: picking the region to fail over into.
    RegionFailover,
    /// A region's failover: typing the confirmation of its restores.
    Batch,
    /// A drill: picking the standby, typing its name.
    Drill,
    /// Any other text field: filter, command line, names in the backup wizard.
    Input,
    /// The help popup.
    Help,
    /// The quit dialog.
    Quit,
}

impl Section {
    /// Every section, in file order.
    pub const ALL: [Self; 21] = [
        Self::Global,
        Self::Navigation,
        Self::Subscriptions,
        Self::Services,
        Self::Backups,
        Self::Operations,
        Self::Failover,
        Self::Confirm,
        Self::Standby,
        Self::BackupWizard,
        Self::BackupReview,
        Self::Prune,
        Self::Cutover,
        Self::Regions,
        Self::Gateway,
        Self::RegionFailover,
        Self::Batch,
        Self::Drill,
        Self::Input,
        Self::Help,
        Self::Quit,
    ];

    /// The `[name]` in the file.
    pub fn name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Navigation => "navigation",
            Self::Subscriptions => "subscriptions",
            Self::Services => "services",
            Self::Backups => "backups",
            Self::Operations => "operations",
            Self::Failover => "failover",
            Self::Confirm => "confirm",
            Self::Standby => "standby",
            Self::BackupWizard => "backup_wizard",
            Self::BackupReview => "backup_review",
            Self::Prune => "prune",
            Self::Cutover => "cutover",
            Self::Regions => "regions",
            Self::Gateway => "gateway",
            Self::RegionFailover => "region_failover",
            Self::Batch => "batch",
            Self::Drill => "drill",
            Self::Input => "input",
            Self::Help => "help",
            Self::Quit => "quit",
        }
    }

    /// The section with that `[name]`. `[wizard]`, the failover section's earlier name, is
    /// still read, so older `keymap.toml` files keep working.
    pub fn named(name: &str) -> Option<Self> {
        if name == "wizard" {
            return Some(Self::Failover);
        }
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// A heading for the help popup.
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Navigation => "Moving around",
            Self::Subscriptions => "Subscriptions",
            Self::Services => "Services",
            Self::Backups => "Backups",
            Self::Operations => "Operations",
            Self::Failover => "Failover wizard",
            Self::Confirm => "Confirm the restore",
            Self::Standby => "Create a standby",
            Self::BackupWizard => "Backup wizard",
            Self::BackupReview => "Start the backup",
            Self::Prune => "Prune expired backups",
            Self::Cutover => "Traffic cutover",
            Self::Regions => "A service's regions",
            Self::Gateway => "Switch a region's gateway",
            Self::RegionFailover => "Fail over a region",
            Self::Batch => "Run the region's restores",
            Self::Drill => "Drill a service",
            Self::Input => "Text fields",
            Self::Help => "Help",
            Self::Quit => "Quit",
        }
    }
}

/// Where the keys are going: what the screen shows right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyContext {
    /// Estate, subscriptions pane focused.
    Subscriptions,
    /// Estate, services table focused.
    Services,
    /// Backups screen.
    Backups,
    /// Operations screen.
    Operations,
    /// RPO screen.
    Rpo,
    /// Failover wizard, a list step.
    Failover,
    /// Failover wizard, typing the target's name.
    Confirm,
    /// Failover wizard, typing the name of a standby to create.
    Standby,
    /// Backup wizard, a list step.
    BackupWizard,
    /// Backup wizard, the last step (review and start).
    BackupReview,
    /// The prune dialog, typing the confirmation.
    Prune,
    /// The cutover dialog, typing the host name.
    Cutover,
    /// The regions dialog: a region selected.
    Regions,
    /// The regions dialog, typing the region whose gateway is switched.
    Gateway,
    /// A region's failover, picking the region to fail over into.
    RegionPick,
    /// A region's failover, typing the confirmation of its restores.
    Batch,
    /// A drill, picking the standby and typing its name.
    Drill,
    /// A text field: filter, command line, a name in the backup wizard.
    Input,
    /// The help popup.
    Help,
    /// The quit dialog.
    Quit,
}

impl KeyContext {
    /// The sections consulted, first match wins.
    pub fn sections(self) -> &'static [Section] {
        use Section as S;
        match self {
            Self::Subscriptions => &[S::Subscriptions, S::Global, S::Navigation],
            Self::Services => &[S::Services, S::Global, S::Navigation],
            Self::Backups => &[S::Backups, S::Global, S::Navigation],
            Self::Operations => &[S::Operations, S::Global, S::Navigation],
            Self::Rpo => &[S::Global, S::Navigation],
            Self::Failover => &[S::Failover, S::Navigation],
            Self::Confirm => &[S::Confirm],
            Self::Standby => &[S::Standby],
            Self::BackupWizard => &[S::BackupWizard, S::Navigation],
            Self::BackupReview => &[S::BackupReview, S::BackupWizard, S::Navigation],
            Self::Prune => &[S::Prune],
            Self::Cutover => &[S::Cutover],
            Self::Regions => &[S::Regions, S::Navigation],
            Self::Gateway => &[S::Gateway],
            Self::RegionPick => &[S::RegionFailover, S::Navigation],
            Self::Batch => &[S::Batch],
            Self::Drill => &[S::Drill],
            Self::Input => &[S::Input],
            Self::Help => &[S::Help, S::Navigation],
            Self::Quit => &[S::Quit],
        }
    }

    /// True where printable keys are typed text rather than commands.
    pub fn takes_text(self) -> bool {
        self == Self::Input || self.refuses_paste()
    }

    /// True where a paste is refused: what is typed there starts something that cannot be
    /// undone, so it must be typed, not pasted from a clipboard that may hold anything.
    pub fn refuses_paste(self) -> bool {
        matches!(
            self,
            Self::Confirm
                | Self::Prune
                | Self::Cutover
                | Self::Standby
                | Self::Gateway
                | Self::Batch
                | Self::Drill
        )
    }
}

/// One entry of the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The section it belongs to.
    pub section: Section,
    /// The key.
    pub key: KeyBinding,
    /// What it does.
    pub action: Action,
    /// Words for hints and help.
    pub desc: String,
    /// It overwrites something: removed in read-only mode, shown in red.
    pub dangerous: bool,
    /// Shown in the footer (all entries show in help).
    pub hint: bool,
}

/// One key hint for the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The key(s), short form.
    pub keys: String,
    /// What it does.
    pub desc: String,
    /// Shown in the danger colour.
    pub dangerous: bool,
}

/// A block of the help popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    /// Heading.
    pub title: &'static str,
    /// One line per action; all its keys together.
    pub entries: Vec<Hint>,
}

/// All key bindings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keymap {
    bindings: Vec<Binding>,
    /// Dangerous bindings withheld in read-only mode: out of the footer and the help, but a
    /// press still reaches `update`, which says why nothing happens.
    withheld: Vec<Binding>,
}

impl Keymap {
    /// The embedded default keymap (`assets/keymap.toml`). A unit test proves it parses; were
    /// it ever broken, this returns an empty keymap rather than panicking.
    pub fn default_embedded() -> Self {
        let mut map = Self::default();
        let _ = map.overlay(DEFAULT_KEYMAP, "built-in keymap");
        map
    }

    /// The default keymap with a user file laid over it: each user entry replaces the default
    /// entry with the same key in the same section (or adds one); `action = "none"` unbinds.
    ///
    /// # Errors
    /// [`KeymapError`] naming `source_name`, the line and the entry for unknown sections, keys,
    /// actions or fields, or TOML syntax errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self, KeymapError> {
        let mut map = Self::default_embedded();
        map.overlay(text, source_name)?;
        Ok(map)
    }

    /// Lays a keymap file over this one (see [`Keymap::from_toml`]). Nothing changes on error.
    ///
    /// # Errors
    /// As [`Keymap::from_toml`].
    pub fn overlay(&mut self, text: &str, source_name: &str) -> Result<(), KeymapError> {
        let parsed = load::parse(text, source_name)?;
        for entry in parsed {
            let pos = self
                .bindings
                .iter()
                .position(|b| b.section == entry.section && b.key == entry.key);
            self.bindings
                .retain(|b| !(b.section == entry.section && b.key == entry.key));
            if let Some(binding) = entry.binding {
                let at = pos.unwrap_or(self.bindings.len()).min(self.bindings.len());
                self.bindings.insert(at, binding);
            }
        }
        Ok(())
    }

    /// The same keymap without `dangerous` entries (read-only mode): they are not offered, and
    /// a press on one still resolves, so the refusal can say why.
    #[must_use]
    pub fn without_dangerous(mut self) -> Self {
        let (dangerous, safe) = self.bindings.into_iter().partition(|b| b.dangerous);
        self.bindings = safe;
        self.withheld = dangerous;
        self
    }

    /// Every binding, in file order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// True when some key in `context` leads to `action`.
    pub fn offers(&self, context: KeyContext, action: &Action) -> bool {
        self.in_context(context).any(|b| &b.action == action)
    }

    /// The first key bound to `action` in `context`, short form ("r").
    pub fn key_for(&self, context: KeyContext, action: &Action) -> Option<String> {
        self.in_context(context)
            .find(|b| &b.action == action)
            .map(|b| b.key.label())
    }

    fn in_context(&self, context: KeyContext) -> impl Iterator<Item = &Binding> {
        context
            .sections()
            .iter()
            .flat_map(|s| self.bindings.iter().filter(move |b| b.section == *s))
    }

    /// The action for a key press in `context`, if any. In text contexts printable characters
    /// are typed (`TypeChar`), and Enter, Esc and Backspace always work even if unbound.
    /// Releases are ignored.
    pub fn resolve(&self, context: KeyContext, key: KeyEvent) -> Option<Action> {
        if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
            return None;
        }
        if context.takes_text()
            && let KeyCode::Char(c) = key.code
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::TypeChar(c));
        }
        let withheld = context
            .sections()
            .iter()
            .flat_map(|s| self.withheld.iter().filter(move |b| b.section == *s));
        if let Some(b) = self
            .in_context(context)
            .chain(withheld)
            .find(|b| b.key.matches(&key))
        {
            return Some(b.action.clone());
        }
        if context.takes_text() {
            return match key.code {
                KeyCode::Enter => Some(Action::Submit),
                KeyCode::Esc => Some(Action::Cancel),
                KeyCode::Backspace => Some(Action::Backspace),
                _ => None,
            };
        }
        None
    }

    /// Footer hints for `context`: one per action, in keymap order, context first.
    pub fn hints(&self, context: KeyContext) -> Vec<Hint> {
        self.hints_where(context, |_| true)
    }

    /// Footer hints for `context` whose action `offered` says does something now.
    pub fn hints_where(&self, context: KeyContext, offered: impl Fn(&Action) -> bool) -> Vec<Hint> {
        let mut seen: Vec<&Action> = Vec::new();
        let mut out = Vec::new();
        for b in self
            .in_context(context)
            .filter(|b| b.hint && offered(&b.action))
        {
            if seen.contains(&&b.action) {
                continue;
            }
            seen.push(&b.action);
            out.push(Hint {
                keys: b.key.label(),
                desc: b.desc.clone(),
                dangerous: b.dangerous,
            });
        }
        out
    }

    /// The help popup for `context`: each consulted section, one line per action with all its
    /// keys.
    pub fn help(&self, context: KeyContext) -> Vec<HelpSection> {
        context
            .sections()
            .iter()
            .map(|&section| {
                let mut entries: Vec<(Action, Hint)> = Vec::new();
                for b in self.bindings.iter().filter(|b| b.section == section) {
                    if let Some((_, h)) = entries.iter_mut().find(|(a, _)| *a == b.action) {
                        h.keys.push(' ');
                        h.keys.push_str(&b.key.label());
                        if h.desc.is_empty() {
                            h.desc.clone_from(&b.desc);
                        }
                    } else {
                        entries.push((
                            b.action.clone(),
                            Hint {
                                keys: b.key.label(),
                                desc: b.desc.clone(),
                                dangerous: b.dangerous,
                            },
                        ));
                    }
                }
                HelpSection {
                    title: section.title(),
                    entries: entries.into_iter().map(|(_, h)| h).collect(),
                }
            })
            .filter(|s| !s.entries.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests;
