//! The `:` command line (k9s-style jumps): what it understands and the list it suggests while
//! typing. Not the shell's command line, which is `cli::Command`.

use super::state::{Pane, Screen};

/// A parsed `:` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColonCommand {
    /// Go to a screen (and pane).
    Go(Screen, Pane),
    /// Show every subscription's services at once, or again one subscription's (as `0`).
    AllSubscriptions,
    /// Show the key help.
    Help,
    /// List the expired backups loaded, to delete them (the prune dialog).
    Prune,
    /// Quit, asking first when operations still run.
    Quit,
}

/// The commands: their names (the first is the canonical one, which Tab completes to), the
/// words the suggestion list shows, and what they do.
pub const COMMANDS: [(&[&str], &str, ColonCommand); 9] = [
    (
        &["services", "svc", "estate"],
        "subscriptions and their APIM services",
        ColonCommand::Go(Screen::Estate, Pane::Services),
    ),
    (
        &["subs", "subscriptions"],
        "the subscriptions pane",
        ColonCommand::Go(Screen::Estate, Pane::Subscriptions),
    ),
    (
        &["all"],
        "services of all subscriptions at once (again: one)",
        ColonCommand::AllSubscriptions,
    ),
    (
        &["backups", "bk"],
        "backup blobs by storage account",
        ColonCommand::Go(Screen::Backups, Pane::Services),
    ),
    (
        &["ops", "operations"],
        "running and finished operations",
        ColonCommand::Go(Screen::Operations, Pane::Services),
    ),
    (
        &["rpo"],
        "each service's recovery point against the RPO",
        ColonCommand::Go(Screen::Rpo, Pane::Services),
    ),
    (
        &["prune"],
        "delete expired backups (typed confirmation)",
        ColonCommand::Prune,
    ),
    (&["help"], "key help", ColonCommand::Help),
    (
        &["q", "quit"],
        "quit (asks while operations run)",
        ColonCommand::Quit,
    ),
];

fn word(text: &str) -> String {
    text.trim().trim_start_matches(':').to_ascii_lowercase()
}

/// Parses what was typed after `:` (surrounding spaces ignored): a command's name, or the
/// start of exactly one command's names (`ba` is `backups`), as the suggestion line shows.
///
/// # Errors
/// A message naming the unknown or ambiguous command and the known ones.
pub fn parse(text: &str) -> Result<ColonCommand, String> {
    let word = word(text);
    let exact = COMMANDS
        .iter()
        .find(|(names, _, _)| names.contains(&word.as_str()));
    if let Some((_, _, command)) = exact {
        return Ok(*command);
    }
    let matching: Vec<&str> = suggestions(&word).iter().map(|(name, _)| *name).collect();
    match (word.is_empty(), matching.as_slice()) {
        (false, [name]) => parse(name),
        (false, [_, _, ..]) => Err(format!(
            "':{word}' could be :{}; type more of it",
            matching.join(" or :")
        )),
        _ => Err(format!(
            "unknown command ':{}'; try :services, :subs, :all, :backups, :ops, :rpo, :prune or :q",
            text.trim()
        )),
    }
}

/// The commands whose names start with what was typed, for the suggestion line.
pub fn suggestions(typed: &str) -> Vec<(&'static str, &'static str)> {
    let typed = word(typed);
    COMMANDS
        .iter()
        .filter(|(names, _, _)| names.iter().any(|n| n.starts_with(&typed)))
        .map(|(names, about, _)| (names[0], *about))
        .collect()
}

/// Tab: the first suggestion's name, or `None` when nothing matches.
pub fn complete(typed: &str) -> Option<&'static str> {
    suggestions(typed).first().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_suggest() {
        assert_eq!(
            parse(" ops "),
            Ok(ColonCommand::Go(Screen::Operations, Pane::Services))
        );
        assert_eq!(
            parse("subs"),
            Ok(ColonCommand::Go(Screen::Estate, Pane::Subscriptions))
        );
        assert_eq!(parse("q"), Ok(ColonCommand::Quit));
        assert_eq!(parse(":all"), Ok(ColonCommand::AllSubscriptions));
        assert_eq!(parse("a"), Ok(ColonCommand::AllSubscriptions));
        assert!(
            parse("pods")
                .unwrap_err()
                .contains("unknown command ':pods'")
        );
        assert_eq!(suggestions("b")[0].0, "backups");
        assert_eq!(suggestions("").len(), COMMANDS.len());
    }

    /// Issue 9, defect 8: the line suggested `:ba` → `backups` and Enter refused it.
    #[test]
    fn a_unique_prefix_is_accepted_and_tab_completes_it() {
        assert_eq!(
            parse("ba"),
            Ok(ColonCommand::Go(Screen::Backups, Pane::Services))
        );
        assert_eq!(
            parse(":op"),
            Ok(ColonCommand::Go(Screen::Operations, Pane::Services))
        );
        assert_eq!(complete("ba"), Some("backups"));
        assert_eq!(complete("x"), None);
        let e = parse("s").unwrap_err();
        assert!(e.contains(":services or :subs"), "{e}");
        assert!(parse("").is_err());
    }
}
