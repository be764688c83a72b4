//! No flag or config value makes apim-dr panic: every numeric flag and config key has a
//! range, and extreme values (0, the type's limits and beyond, negative numbers, `NaN`,
//! infinities, long digit strings) are either refused while parsing or used safely all the way
//! through: the emulator is started with the speed, latency and page sizes. (The poll interval,
//! flag and config key, is fed the same way in `src/config.rs`, where the client is built.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use apim_dr::cli::{Cli, Command};
use apim_dr::emulator::Emulator;
use clap::Parser;
use proptest::prelude::*;

/// Numbers as a user might type them (the same strategy feeds `--poll-interval` and
/// `poll_interval_secs` in `config.rs`'s tests, where the configuration is built)., with the extremes of every numeric type.
fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        (0_u64..=700).prop_map(|n| n.to_string()),
        (0.0_f64..2.0).prop_map(|f| f.to_string()),
        "[0-9]{15,40}",
        "-?[0-9]{1,3}(\\.[0-9]{1,4})?(e-?[0-9]{1,3})?",
        prop::sample::select(vec![
            "0",
            "-0",
            "1",
            "NaN",
            "inf",
            "-inf",
            "1e309",
            "",
            " ",
            "0x10",
            "18446744073709551616",
            "9223372036854775808",
            "-9223372036854775809",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Start and stop the emulator: every value the parser accepts, the emulator accepts.
fn serve(config: apim_dr::emulator::EmulatorConfig) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let handle = Emulator::start(config)
            .await
            .unwrap_or_else(|e| panic!("a value the parser accepted was refused: {e}"));
        handle.shutdown().await;
    });
}

proptest! {
    // Each accepted case starts an emulator: fewer cases, most of them refused.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `emulator --speed/--latency/--page-size/--blob-page-size`.
    #[test]
    fn emulator_numbers(
        flag in prop::sample::select(vec!["--speed", "--latency", "--page-size", "--blob-page-size"]),
        value in extreme(),
    ) {
        let arg = format!("{flag}={value}");
        match Cli::try_parse_from(["apim-dr", "emulator", &arg]) {
            Err(e) => prop_assert!(e.to_string().contains(" from "), "{arg}: {e}"),
            Ok(Cli { command: Some(Command::Emulator(args)), .. }) => {
                serve(apim_dr::cli::emulator::config(&args).unwrap());
            }
            Ok(other) => prop_assert!(false, "{other:?}"),
        }
    }

    /// `demo --speed/--latency`.
    #[test]
    fn demo_numbers(flag in prop::sample::select(vec!["--speed", "--latency"]), value in extreme()) {
        let arg = format!("{flag}={value}");
        match Cli::try_parse_from(["apim-dr", "demo", &arg]) {
            Err(e) => prop_assert!(e.to_string().contains(" from "), "{arg}: {e}"),
            Ok(Cli { command: Some(Command::Demo(args)), .. }) => {
                prop_assert!(args.speed >= 1.0, "the demo is never slower than Azure");
                serve(apim_dr::cli::demo::emulator_config(&args).unwrap());
            }
            Ok(other) => prop_assert!(false, "{other:?}"),
        }
    }
}

/// Ports are `u16`: clap refuses anything else with its own words.
#[test]
fn ports_beyond_u16_are_refused() {
    for value in ["65536", "-1", "99999999999999999999"] {
        let e =
            Cli::try_parse_from(["apim-dr", "emulator", &format!("--port={value}")]).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{value}: {e}");
    }
}
