//! Issue 12, a lost region's failover from the TUI over the emulator: `F` on a service of West
//! Europe, North Europe picked, the demo world's plan (one ready restore, one Premium service
//! that still serves from North Europe, two blocked), `restore 1` typed, the one restore run
//! as an operation of its own through the real effect runner, and the batch report written.

use crossterm::event::KeyCode;

use super::live::{demo_with_selected, run_until};
use crate::app::loadable::Loadable;
use crate::app::operation::OperationView;
use crate::app::region_failover::{ItemState, RegionFailover};
use crate::app::state::{Overlay, Screen};
use crate::domain::batch_report::ItemStatus;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_fails_over_from_the_tui_with_blocked_items_skipped() {
    let (h, _dir, mut live) = demo_with_selected("apim-contoso-weu").await;

    live.press(KeyCode::Char('F')).await;
    assert_eq!(live.state.overlay, Some(Overlay::RegionFailover));
    let b = live.state.region_failover.as_deref().unwrap();
    assert_eq!(b.lost, "West Europe");
    let at = b
        .regions
        .iter()
        .position(|c| c.name == "North Europe")
        .expect("North Europe is offered");
    for _ in 0..at {
        live.press(KeyCode::Down).await;
    }
    live.press(KeyCode::Enter).await;

    let b = live.state.region_failover.as_deref().unwrap();
    assert!(
        matches!(b.plan, Loadable::Loaded(_)),
        "planned: {:?}",
        b.plan
    );
    assert_west_europes_plan(b, &live.state.operations);
    assert!(h.snapshot().operations.is_empty(), "planning sends nothing");

    // A wrong count starts nothing; the right words start the one ready restore.
    live.type_text("restore 2").await;
    live.press(KeyCode::Enter).await;
    assert!(
        live.state
            .region_failover
            .as_ref()
            .unwrap()
            .started
            .is_none()
    );
    for _ in 0.."restore 2".len() {
        live.press(KeyCode::Backspace).await;
    }
    live.type_text("restore 1").await;
    live.press(KeyCode::Enter).await;
    assert_eq!(live.state.screen, Screen::Operations);

    run_until(&mut live, |s| {
        s.region_failover
            .as_ref()
            .is_some_and(|b| matches!(b.report, Some(Loadable::Loaded(_))))
    })
    .await;
    let Some(Some(Loadable::Loaded(report))) = live
        .state
        .region_failover
        .as_ref()
        .map(|b| b.report.clone())
    else {
        unreachable!("the report was written")
    };

    let restores: Vec<_> = h
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/restore"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        restores.len(),
        1,
        "one restore, into the standby: {restores:?}"
    );
    assert!(
        restores[0].contains("/service/apim-contoso-neu/"),
        "{restores:?}"
    );
    let b = live.state.region_failover.as_deref().unwrap();
    let contoso = b
        .items()
        .iter()
        .find(|i| i.planned.pick.source.name == "apim-contoso-weu")
        .unwrap();
    assert!(
        matches!(
            b.state_of(contoso, &live.state.operations),
            ItemState::Ended(_, ItemStatus::Succeeded, _)
        ),
        "{:?}",
        b.state_of(contoso, &live.state.operations)
    );
    assert!(contoso.verified.is_some(), "verification reported");

    assert_the_report(&report);

    // Esc on an ended batch forgets it.
    live.press(KeyCode::Esc).await;
    assert!(live.state.overlay.is_none());
    assert!(live.state.region_failover.is_none());
    live.runner.shutdown().await;
}

/// The batch report's Markdown and JSON: every service of West Europe, each as it ended.
fn assert_the_report(report: &str) {
    let md = std::fs::read_to_string(report).unwrap();
    assert!(md.contains("failover West Europe → North Europe"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.replace(".md", ".json")).unwrap())
            .unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let status_of = |name: &str| {
        items
            .iter()
            .find(|i| i["service"] == name)
            .map(|i| i["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(status_of("apim-contoso-weu"), "succeeded");
    assert_eq!(status_of("apim-partners-weu"), "not_needed");
    assert_eq!(status_of("apim-mobile-cons"), "skipped");
    assert_eq!(status_of("apim-dev-weu"), "skipped");
}

/// The demo world's plan of West Europe into North Europe: apim-contoso-weu ready (into
/// apim-contoso-neu), apim-partners-weu not needed (it serves from North Europe), the
/// Consumption and Developer services blocked.
fn assert_west_europes_plan(b: &RegionFailover, operations: &[OperationView]) {
    let states: Vec<(String, ItemState)> = b
        .items()
        .iter()
        .map(|i| {
            (
                i.planned.pick.source.name.clone(),
                b.state_of(i, operations),
            )
        })
        .collect();
    let of = |name: &str| &states.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(states.len(), 4, "{states:?}");
    assert_eq!(*of("apim-contoso-weu"), ItemState::Ready);
    assert!(
        matches!(of("apim-partners-weu"), ItemState::NotNeeded(n) if n.contains("North Europe")),
        "{states:?}"
    );
    assert!(
        matches!(of("apim-mobile-cons"), ItemState::Blocked(_)),
        "{states:?}"
    );
    assert!(
        matches!(of("apim-dev-weu"), ItemState::Blocked(_)),
        "{states:?}"
    );
    assert_eq!(b.confirm_words(), "restore 1");
}
