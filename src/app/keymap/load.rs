//! Reading keymap TOML: the embedded defaults and user files that override single entries.
//! Every problem becomes a [`KeymapError`] naming the file, the line and the entry.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use super::keys::KeyBinding;
use super::{Binding, Section};
use crate::app::action::Action;
use crate::app::sort::SortKey;
use crate::app::state::Screen;

/// A keymap file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// The file, as the user knows it (a path, or "built-in keymap").
    pub source: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The offending entry as written, when there is one.
    pub entry: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        write!(f, ": {}", self.problem)?;
        if let Some(entry) = &self.entry {
            write!(f, " (in {entry})")?;
        }
        Ok(())
    }
}

impl std::error::Error for KeymapError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[serde(default)]
    keymap: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    on: String,
    action: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    dangerous: bool,
    #[serde(default = "yes")]
    hint: bool,
}

const fn yes() -> bool {
    true
}

/// One parsed entry; `binding` is `None` for `action = "none"` (an unbinding).
pub(super) struct Parsed {
    pub section: Section,
    pub key: KeyBinding,
    pub binding: Option<Binding>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |s| s.matches('\n').count()) + 1
}

/// Parses a keymap file into entries, in file order.
pub(super) fn parse(text: &str, source: &str) -> Result<Vec<Parsed>, KeymapError> {
    let raw: BTreeMap<Spanned<String>, RawSection> =
        toml::from_str(text).map_err(|e| KeymapError {
            source: source.to_owned(),
            line: e.span().map(|s| line_of(text, s.start)),
            entry: None,
            problem: e.message().trim().to_owned(),
        })?;
    let mut out = Vec::new();
    for (name, section) in raw {
        let err = |line, entry: Option<String>, problem: String| KeymapError {
            source: source.to_owned(),
            line: Some(line),
            entry,
            problem,
        };
        let Some(sec) = Section::named(name.get_ref()) else {
            return Err(err(
                line_of(text, name.span().start),
                None,
                format!(
                    "unknown section [{}]; known sections: {}",
                    name.get_ref(),
                    Section::ALL.map(Section::name).join(", ")
                ),
            ));
        };
        for spanned in section.keymap {
            let line = line_of(text, spanned.span().start);
            let entry = spanned.into_inner();
            let shown = format!(
                "[{}] {{ on = \"{}\", action = \"{}\" }}",
                sec.name(),
                entry.on,
                entry.action
            );
            let Some(key) = KeyBinding::parse(&entry.on) else {
                return Err(err(
                    line,
                    Some(shown),
                    format!("unknown key '{}'", entry.on),
                ));
            };
            let binding = if entry.action == "none" {
                None
            } else {
                let Some(action) = action_named(&entry.action) else {
                    return Err(err(
                        line,
                        Some(shown),
                        format!(
                            "unknown action '{}'; known actions: {}",
                            entry.action,
                            ACTION_NAMES.join(", ")
                        ),
                    ));
                };
                Some(Binding {
                    section: sec,
                    key,
                    action,
                    desc: entry.desc,
                    dangerous: entry.dangerous,
                    hint: entry.hint,
                })
            };
            out.push(Parsed {
                section: sec,
                key,
                binding,
            });
        }
    }
    Ok(out)
}

/// Every action name a keymap entry may use (plus `none`, which unbinds a key).
pub const ACTION_NAMES: &[&str] = &[
    "move_up",
    "move_down",
    "page_up",
    "page_down",
    "top",
    "bottom",
    "next_pane",
    "prev_pane",
    "back",
    "open_help",
    "jump_estate",
    "jump_backups",
    "jump_operations",
    "refresh",
    "open",
    "start_failover",
    "start_backup",
    "sort_name",
    "sort_age",
    "sort_tier",
    "sort_region",
    "sort_size",
    "toggle_expired",
    "all_subscriptions",
    "prune",
    "cutover",
    "toggle_purge",
    "regions",
    "failover_region",
    "drill",
    "switch_gateway",
    "copy",
    "copy_runbook",
    "backspace",
    "clear_input",
    "complete",
    "submit",
    "cancel",
    "open_filter",
    "open_command",
    "stop_watching",
    "watch_again",
    "show_report",
    "quit",
    "confirm_quit",
];

/// The action a keymap name stands for.
pub fn action_named(name: &str) -> Option<Action> {
    Some(match name {
        "move_up" => Action::MoveUp,
        "move_down" => Action::MoveDown,
        "page_up" => Action::PageUp,
        "page_down" => Action::PageDown,
        "top" => Action::Top,
        "bottom" => Action::Bottom,
        "next_pane" => Action::NextPane,
        "prev_pane" => Action::PrevPane,
        "back" => Action::Back,
        "open_help" => Action::OpenHelp,
        "jump_estate" => Action::Jump(Screen::Estate),
        "jump_backups" => Action::Jump(Screen::Backups),
        "jump_operations" => Action::Jump(Screen::Operations),
        "jump_rpo" => Action::Jump(Screen::Rpo),
        "refresh" => Action::Refresh,
        "open" => Action::Open,
        "start_failover" => Action::StartFailover,
        "start_backup" => Action::StartBackup,
        "sort_name" => Action::SortBy(SortKey::Name),
        "sort_age" => Action::SortBy(SortKey::Age),
        "sort_tier" => Action::SortBy(SortKey::Tier),
        "sort_region" => Action::SortBy(SortKey::Region),
        "sort_size" => Action::SortBy(SortKey::Size),
        "toggle_expired" => Action::ToggleExpired,
        "all_subscriptions" => Action::ToggleAllSubscriptions,
        "prune" => Action::StartPrune,
        "cutover" => Action::StartCutover,
        "toggle_purge" => Action::TogglePurge,
        "regions" => Action::ShowRegions,
        "failover_region" => Action::StartRegionFailover,
        "drill" => Action::StartDrill,
        "switch_gateway" => Action::SwitchGateway,
        "copy" => Action::Copy,
        "copy_runbook" => Action::CopyRunbook,
        "backspace" => Action::Backspace,
        "clear_input" => Action::ClearInput,
        "complete" => Action::Complete,
        "submit" => Action::Submit,
        "cancel" => Action::Cancel,
        "open_filter" => Action::OpenFilter,
        "open_command" => Action::OpenCommand,
        "stop_watching" => Action::StopWatchingSelected,
        "watch_again" => Action::WatchAgainSelected,
        "show_report" => Action::ShowReportSelected,
        "quit" => Action::Quit,
        "confirm_quit" => Action::ConfirmQuit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_action_name_resolves() {
        for name in ACTION_NAMES {
            assert!(action_named(name).is_some(), "{name}");
        }
    }

    #[test]
    fn errors_name_file_line_and_entry() {
        let text = "[services]\nkeymap = [\n  { on = \"f\", action = \"start_failover\" },\n  { on = \"x\", action = \"explode\" },\n]\n";
        let e = parse(text, "~/.config/apim-dr/keymap.toml").err().unwrap();
        assert_eq!(e.line, Some(4));
        assert_eq!(
            e.entry.as_deref(),
            Some("[services] { on = \"x\", action = \"explode\" }")
        );
        assert!(
            e.to_string()
                .starts_with("~/.config/apim-dr/keymap.toml, line 4: unknown action 'explode'")
        );

        let e = parse("[servces]\nkeymap = []\n", "k.toml").err().unwrap();
        assert_eq!(e.line, Some(1));
        assert!(e.problem.contains("unknown section [servces]"));

        let e = parse(
            "[global]\nkeymap = [{ on = \"ctrl-zz\", action = \"quit\" }]\n",
            "k.toml",
        )
        .err()
        .unwrap();
        assert_eq!(e.problem, "unknown key 'ctrl-zz'");

        let e = parse(
            "[global]\nkeymap = [{ on = \"q\", action = \"quit\", colour = 1 }]\n",
            "k.toml",
        )
        .err()
        .unwrap();
        assert_eq!(e.line, Some(2));
        assert!(e.problem.contains("colour"), "{e}");
    }
}
