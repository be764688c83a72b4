//! Names where ids are expected (issue 9, "Help that lists everything"): `--target` and
//! `--service` take a service's full ARM id or its name when it is unique across the visible
//! subscriptions, `--subscription` a GUID or a display name; an unknown name gets "did you
//! mean", an ambiguous one the ids to choose from, and a malformed one is refused before any
//! request is sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{EmulatorProcess, code, stderr, stdout};
use common::emu::{self, DR};
use serde_json::Value;

#[test]
fn a_unique_service_name_stands_for_its_id() {
    let e = EmulatorProcess::start(&[]);
    let backup = e.fresh_standard_backup();
    let o = e.run(&[
        "preflight",
        "--backup",
        &backup,
        "--target",
        "APIM-contoso-neu",
        "-o",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|_| {
        panic!("{} {}", stdout(&o), stderr(&o));
    });
    assert!(
        v["service"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(&emu::standby_neu()),
        "{v}"
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn an_unknown_service_name_gets_the_nearest_names_and_exit_2() {
    let e = EmulatorProcess::start(&[]);
    let backup = e.fresh_standard_backup();
    let o = e.run(&[
        "restore",
        "--backup",
        &backup,
        "--target",
        "apim-contoso-nue",
        "--yes",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("no API Management service named 'apim-contoso-nue'"),
        "{err}"
    );
    assert!(err.contains("did you mean apim-contoso-neu"), "{err}");
    assert!(e.state()["posts"].as_array().unwrap().is_empty());
}

#[test]
fn a_malformed_name_is_refused_before_any_request() {
    let e = EmulatorProcess::start(&[]);
    for target in ["A/B", "9apim", "apim_x"] {
        let o = e.run(&[
            "preflight",
            "--backup",
            "stcontosodrneu/apim-backups/x.apimbackup",
            "--target",
            target,
        ]);
        assert_eq!(code(&o), 2, "{target}: {}", stderr(&o));
        // The local refusal, with the forms --target takes: no lookup was made.
        assert!(stderr(&o).contains("--target takes"), "{}", stderr(&o));
    }
}

#[test]
fn a_subscription_display_name_stands_for_its_id() {
    let e = EmulatorProcess::start(&[]);
    let o = e.run(&[
        "services",
        "--subscription",
        "contoso dr standby",
        "-o",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter().all(|s| s["id"].as_str().unwrap().contains(DR)),
        "{list:?}"
    );
    let o = e.run(&["services", "--subscription", "Contoso DR Standbye"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean Contoso DR Standby"),
        "{}",
        stderr(&o)
    );
}
