//! The `:` command line (k9s-style jumps): what it understands and the list it suggests while
//! typing. Not the shell's command line, which is `cli::Command`.

use super::state::{Pane, Screen};

/// A parsed `:` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColonCommand {
    /// Go to a screen (and pane).
    Go(Screen, Pane),
    /// Show the key help.
    Help,
    /// Quit, asking first when operations still run.
    Quit,
}

/// The commands, with the words the suggestion list shows. The first name is the canonical one.
pub const COMMANDS: [(&[&str], &str); 7] = [
    (
        &["services", "svc", "estate"],
        "subscriptions and their APIM services",
    ),
    (&["subs", "subscriptions"], "the subscriptions pane"),
    (&["backups", "bk"], "backup blobs by storage account"),
    (&["ops", "operations"], "running and finished operations"),
    (&["rpo"], "each service's recovery point against the RPO"),
    (&["help"], "key help"),
    (&["q", "quit"], "quit (asks while operations run)"),
];

/// Parses what was typed after `:` (surrounding spaces ignored).
///
/// # Errors
/// A message naming the unknown command and the known ones.
pub fn parse(text: &str) -> Result<ColonCommand, String> {
    let word = text.trim().trim_start_matches(':').to_ascii_lowercase();
    let command = match word.as_str() {
        "services" | "svc" | "estate" => ColonCommand::Go(Screen::Estate, Pane::Services),
        "subs" | "subscriptions" => ColonCommand::Go(Screen::Estate, Pane::Subscriptions),
        "backups" | "bk" => ColonCommand::Go(Screen::Backups, Pane::Services),
        "ops" | "operations" => ColonCommand::Go(Screen::Operations, Pane::Services),
        "rpo" => ColonCommand::Go(Screen::Rpo, Pane::Services),
        "help" => ColonCommand::Help,
        "q" | "quit" => ColonCommand::Quit,
        _ => {
            return Err(format!(
                "unknown command ':{}'; try :services, :subs, :backups, :ops, :rpo or :q",
                text.trim()
            ));
        }
    };
    Ok(command)
}

/// The commands whose names start with what was typed, for the suggestion line.
pub fn suggestions(typed: &str) -> Vec<(&'static str, &'static str)> {
    let typed = typed.trim().to_ascii_lowercase();
    COMMANDS
        .iter()
        .filter(|(names, _)| names.iter().any(|n| n.starts_with(&typed)))
        .map(|(names, about)| (names[0], *about))
        .collect()
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
        assert!(
            parse("pods")
                .unwrap_err()
                .contains("unknown command ':pods'")
        );
        assert_eq!(suggestions("b")[0].0, "backups");
        assert_eq!(suggestions("").len(), COMMANDS.len());
    }
}
