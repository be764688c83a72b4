//! `--help` examples come out as written, whatever the terminal width: clap re-wraps help
//! text, and a wrapped example (a lone `\`, `-o` and `json` on two lines) breaks copy-paste.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use apim_dr::cli::{Cli, examples};
use clap::CommandFactory;

#[test]
fn every_example_line_survives_every_width() {
    for width in [60, 80, 100, 200] {
        for (sub, example) in examples::ALL {
            let mut cmd = Cli::command().term_width(width);
            cmd.build();
            let sub_cmd = cmd.find_subcommand_mut(sub).unwrap();
            for help in [
                sub_cmd.render_help().to_string(),
                sub_cmd.render_long_help().to_string(),
            ] {
                let shown: Vec<&str> = help.lines().map(str::trim_end).collect();
                for line in example.lines() {
                    assert!(
                        shown.contains(&line.trim_end()),
                        "`{sub} --help` at {width} columns does not show\n{line}\nas written:\n{help}"
                    );
                }
            }
        }
    }
}

#[test]
fn examples_are_short_lines_or_single_words() {
    for (sub, example) in examples::ALL {
        for line in example.lines() {
            assert!(
                line.chars().count() <= 60 || !line.trim().contains(' '),
                "{sub}: a long line with spaces can be wrapped: {line}"
            );
        }
    }
}

#[test]
fn operations_watch_help_says_the_endpoint_is_optional() {
    let mut cmd = Cli::command();
    cmd.build();
    let help = cmd
        .find_subcommand_mut("operations")
        .unwrap()
        .find_subcommand_mut("watch")
        .unwrap()
        .render_long_help()
        .to_string();
    assert!(
        help.contains("Usage: apim-dr operations watch [OPTIONS] <ID>"),
        "{help}"
    );
    assert!(
        help.contains("ARM base URL; optional: by default the endpoint of --cloud"),
        "{help}"
    );
    assert!(
        help.contains("--arm-endpoint is only needed when"),
        "{help}"
    );
}
