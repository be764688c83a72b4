//! The binary describes itself: `--version` (version, commit, build date), shell completions
//! and the man page, each generated from the command definitions and naming every subcommand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use clap::CommandFactory;
use common::cli::BIN;

fn subcommands() -> Vec<String> {
    apim_dr::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

fn run(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "not = [valid").unwrap();
    Command::new(BIN)
        .args(args)
        // A broken config file must not stop the self-describing commands.
        .env("APIM_DR_CONFIG_DIR", dir.path())
        .env("APIM_DR_DATA_DIR", dir.path().join("data"))
        .output()
        .unwrap()
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let expected = format!("apim-dr {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text
        .split("(commit ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
    let date = text
        .split(", built ")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches(')');
    assert!(
        time::Date::parse(
            date,
            time::macros::format_description!("[year]-[month]-[day]")
        )
        .is_ok(),
        "{text}"
    );
}

#[test]
fn completions_generate_for_every_shell_and_name_every_subcommand() {
    let names = subcommands();
    assert!(names.len() >= 12, "{names:?}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {o:?}");
        let script = String::from_utf8(o.stdout).unwrap();
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} lacks {name}");
        }
        // fish spells long options `-l arm-endpoint`.
        assert!(script.contains("arm-endpoint"), "{shell}");
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_page_generates_and_names_every_subcommand() {
    let o = run(&["man"]);
    assert!(o.status.success(), "{o:?}");
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH apim-dr 1"),
        "{page}"
    );
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for name in subcommands() {
        assert!(
            page.contains(&format!("apim\\-dr\\-{}", name.replace('-', "\\-"))),
            "man lacks {name}"
        );
    }
}

fn effective(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
    let mut c = Command::new(BIN);
    c.arg("config")
        .args(args)
        .args(["-o", "json"])
        .env("APIM_DR_CONFIG_DIR", dir)
        .env("APIM_DR_DATA_DIR", dir.join("data"))
        .env_remove("APIM_DR_ARM_ENDPOINT")
        .env_remove("APIM_DR_TENANT_ID")
        .env_remove("APIM_DR_AUTH_CLIENT_ID")
        .env_remove("APIM_DR_ACCESS_TOKEN");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(!text.contains("s3cret-token"), "{text}");
    serde_json::from_str(&text).unwrap()
}

fn setting<'a>(v: &'a serde_json::Value, name: &str) -> (&'a serde_json::Value, &'a str) {
    let s = v["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {v}"));
    (&s["value"], s["source"].as_str().unwrap())
}

#[test]
fn config_shows_every_setting_with_its_source_and_never_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "cloud = \"usgov\"\npoll_interval_secs = 30\n",
    )
    .unwrap();
    let env = [
        ("APIM_DR_TENANT_ID", "contoso.onmicrosoft.com"),
        ("APIM_DR_ACCESS_TOKEN", "s3cret-token"),
    ];
    let v = effective(dir.path(), &["--auth", "msi"], &env);
    assert_eq!(setting(&v, "cloud"), (&"usgov".into(), "file"));
    assert_eq!(setting(&v, "poll_interval_secs"), (&"30".into(), "file"));
    // Not set anywhere: the default of the cloud the file chose.
    assert_eq!(
        setting(&v, "arm_endpoint"),
        (&"https://management.usgovcloudapi.net/".into(), "default")
    );
    assert_eq!(setting(&v, "auth"), (&"msi".into(), "flag"));
    assert_eq!(
        setting(&v, "tenant"),
        (&"contoso.onmicrosoft.com".into(), "environment")
    );
    assert_eq!(
        setting(&v, "auth_client_id"),
        (&serde_json::Value::Null, "default")
    );
    assert_eq!(setting(&v, "read_only"), (&"false".into(), "default"));
    assert_eq!(
        setting(&v, "APIM_DR_ACCESS_TOKEN"),
        (&"set (hidden)".into(), "environment")
    );
    for d in [
        "config_dir",
        "config_file",
        "data_dir",
        "journal_file",
        "cache_dir",
        "log_dir",
    ] {
        assert!(v["directories"][d].is_string(), "{d}: {v}");
    }
    assert_eq!(v["directories"]["config_dir"], dir.path().to_str().unwrap());

    // A flag wins over the environment, and says so.
    let v = effective(dir.path(), &["--tenant", "fabrikam.onmicrosoft.com"], &env);
    assert_eq!(
        setting(&v, "tenant"),
        (&"fabrikam.onmicrosoft.com".into(), "flag")
    );
}
