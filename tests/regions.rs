//! Premium multi-region (issue 12) over loopback against the emulator process: with West
//! Europe down, apim-partners-weu (West Europe + North Europe) still serves from North Europe
//! and `regions` says so; switching the North Europe gateway off takes the main host down, and
//! switching it on brings it back; a service in one region cannot switch its gateway.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};

fn regions_json(emu: &EmulatorProcess, extra: &[&str]) -> (i32, serde_json::Value) {
    let args = [
        &["regions", "--service", "apim-partners-weu", "-o", "json"][..],
        extra,
    ]
    .concat();
    let o = emu.run(&args);
    let v = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&o), stderr(&o)));
    (code(&o), v)
}

fn region<'a>(v: &'a serde_json::Value, location: &str) -> &'a serde_json::Value {
    v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["location"] == location)
        .unwrap_or_else(|| panic!("no {location} in {v}"))
}

#[test]
fn a_two_region_service_serves_through_a_regional_outage_and_its_gateways_switch() {
    let emu = EmulatorProcess::start(&["--region-down", "westeurope"]);

    let (exit, v) = regions_json(&emu, &[]);
    assert_eq!(exit, 3, "a region does not serve: {v}");
    assert_eq!(region(&v, "West Europe")["primary"], true);
    assert_eq!(region(&v, "West Europe")["status"], 503, "{v}");
    assert_eq!(region(&v, "North Europe")["status"], 200, "{v}");
    assert_eq!(v["main"]["serves"], true, "routed to North Europe: {v}");
    let text = stdout(&emu.run(&["regions", "--service", "apim-partners-weu"]));
    assert!(text.contains("no restore is needed for traffic"), "{text}");

    // The switch needs --yes, then turns North Europe off: nothing serves any more.
    let o = emu.run(&[
        "regions",
        "--service",
        "apim-partners-weu",
        "--disable-gateway",
        "northeurope",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("add --yes"), "{}", stderr(&o));
    let (exit, v) = regions_json(&emu, &["--disable-gateway", "northeurope", "--yes"]);
    assert_eq!(exit, 1, "the main host no longer serves: {v}");
    assert_eq!(region(&v, "North Europe")["gateway_disabled"], true, "{v}");
    assert_eq!(region(&v, "North Europe")["status"], 503, "{v}");
    assert_eq!(v["main"]["serves"], false, "{v}");

    // On again.
    let (exit, v) = regions_json(&emu, &["--enable-gateway", "North Europe", "--yes"]);
    assert_eq!(exit, 3, "{v}");
    assert_eq!(region(&v, "North Europe")["gateway_disabled"], false, "{v}");
    assert_eq!(v["main"]["serves"], true, "{v}");

    // Not one of its regions: refused before any change.
    let o = emu.run(&[
        "regions",
        "--service",
        "apim-partners-weu",
        "--disable-gateway",
        "eastus",
        "--yes",
    ]);
    assert_ne!(code(&o), 0);
    assert!(
        stderr(&o).contains("eastus is not a region of apim-partners-weu"),
        "{}",
        stderr(&o)
    );
    // A single-region service cannot switch its gateway (Azure's rule for disableGateway).
    let o = emu.run(&[
        "regions",
        "--service",
        "apim-contoso-neu",
        "--disable-gateway",
        "northeurope",
        "--yes",
    ]);
    assert_ne!(code(&o), 0);
    assert!(stderr(&o).contains("multiple locations"), "{}", stderr(&o));
}

#[test]
fn read_only_hides_the_switch() {
    let emu = EmulatorProcess::start(&[]);
    let o = emu.run(&[
        "regions",
        "--service",
        "apim-partners-weu",
        "--disable-gateway",
        "northeurope",
        "--yes",
        "--read-only",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let (exit, v) = regions_json(&emu, &[]);
    assert_eq!(exit, 0, "nothing changed and every region serves: {v}");
}
