//! The cutover dialog (issue 12, "traffic cutover … read-only mode hides it"): `c` on a
//! restore that succeeded asks for the dry run of the source's custom host name, only the
//! typed host name writes it (a paste is refused), the end and the rollback stay on screen.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::{self, PROD, run};
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::state::{AppState, Overlay, Screen};
use crate::domain::cutover::{CutoverPlace, CutoverPlan};
use crate::domain::operation::Outcome;
use crate::domain::progress::ProgressUpdate;
use crate::engine::cutover::CutoverEnd;

/// The demo world after a restore of apim-contoso-weu into apim-contoso-neu that succeeded,
/// apim-contoso-weu serving api.contoso.com, the cursor on the restore.
pub(crate) fn restored(read_only: bool) -> AppState {
    let (mut s, op) = fixtures::with_restore();
    run(
        &mut s,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    );
    if let Some(Loadable::Loaded(rows)) = s.services.get_mut(PROD).map(|l| &mut l.data)
        && let Some(weu) = std::sync::Arc::make_mut(rows)
            .iter_mut()
            .find(|r| r.name == "apim-contoso-weu")
    {
        weu.rare_mut().custom_hostnames = vec!["api.contoso.com".into()];
    }
    s.read_only = read_only;
    if read_only {
        s.keymap = s.keymap.clone().without_dangerous();
    }
    run(&mut s, [Action::Jump(Screen::Operations)]);
    s
}

/// The dry run the emulator's demo world answers with.
pub(crate) fn plan() -> CutoverPlan {
    CutoverPlan {
        hostname: "api.contoso.com".into(),
        place: CutoverPlace::DnsCname {
            id: "/subscriptions/x/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/contoso.com/CNAME/api".into(),
            zone: "contoso.com".into(),
            record: "api".into(),
        },
        before: "apim-contoso-weu.azure-api.net".into(),
        after: "apim-contoso-neu.azure-api.net".into(),
        service: None,
    }
}

/// The target of the open cutover dialog (what its answers name).
pub(crate) fn target(s: &AppState) -> crate::domain::names::ServiceId {
    dialog(s).target.clone()
}

fn dialog(s: &AppState) -> &crate::app::cutover::CutoverDialog {
    match &s.overlay {
        Some(Overlay::Cutover(d)) => d,
        other => unreachable!("the cutover dialog is open: {other:?}"),
    }
}

#[test]
fn the_typed_host_name_writes_the_dry_run_shown_and_the_rollback_stays() {
    let mut s = restored(false);
    assert!(crate::app::offered::offered(&s, &Action::StartCutover));
    let effects = run(&mut s, [Action::StartCutover]);
    let [Effect::PlanCutover { hostname, to }] = effects.as_slice() else {
        unreachable!("c asks for the dry run: {effects:?}")
    };
    assert_eq!(hostname, "api.contoso.com");
    assert_eq!(to.name.as_str(), "apim-contoso-neu");
    assert_eq!(
        s.key_context(),
        KeyContext::Help,
        "nothing to type before the dry run"
    );

    let to = target(&s);
    run(
        &mut s,
        [Action::CutoverPlanned {
            hostname: hostname.clone(),
            to,
            result: Ok(plan()),
        }],
    );
    assert_eq!(s.key_context(), KeyContext::Cutover);
    run(&mut s, [Action::PasteRefused]);
    assert!(s.flash.as_ref().unwrap().text.contains("pasted text"));
    run(&mut s, "api.contoso".chars().map(Action::TypeChar));
    assert!(
        run(&mut s, [Action::Submit]).is_empty(),
        "not the whole name"
    );
    run(&mut s, ".com".chars().map(Action::TypeChar));
    let effects = run(&mut s, [Action::Submit]);
    assert!(
        matches!(effects.as_slice(), [Effect::ApplyCutover { shown, .. }] if *shown == plan()),
        "{effects:?}"
    );
    run(&mut s, [Action::Cancel]);
    assert!(
        s.overlay.is_some(),
        "the dialog stays while the write is on its way"
    );

    let to = target(&s);
    run(
        &mut s,
        [Action::CutoverApplied {
            hostname: "api.contoso.com".into(),
            to,
            result: Ok(CutoverEnd::Done),
        }],
    );
    assert!(matches!(
        dialog(&s).applied,
        Some(Loadable::Loaded(CutoverEnd::Done))
    ));
    let effects = run(&mut s, [Action::Copy]);
    assert_eq!(
        effects,
        [Effect::Copy(
            "apim-dr cutover --hostname api.contoso.com --to-target apim-contoso-weu.azure-api.net --yes"
                .into()
        )]
    );
    run(&mut s, [Action::Cancel]);
    assert!(s.overlay.is_none());
}

/// The same offer from the services table, on the service restored into.
#[test]
fn c_on_the_restored_service_offers_the_same_cutover() {
    let mut s = restored(false);
    run(
        &mut s,
        [
            Action::Jump(Screen::Estate),
            Action::Focus(crate::app::state::Pane::Subscriptions),
        ],
    );
    // Contoso DR Standby, then its only service: apim-contoso-neu.
    run(
        &mut s,
        [
            Action::MoveDown,
            Action::Focus(crate::app::state::Pane::Services),
        ],
    );
    assert_eq!(
        crate::app::estate::selected_service(&s).map(|x| x.name.as_str()),
        Some("apim-contoso-neu")
    );
    let effects = run(&mut s, [Action::StartCutover]);
    assert!(
        matches!(effects.as_slice(), [Effect::PlanCutover { hostname, to }]
            if hostname == "api.contoso.com" && to.name.as_str() == "apim-contoso-neu"),
        "{effects:?}"
    );
}

#[test]
fn read_only_mode_hides_and_refuses_the_cutover() {
    let mut s = restored(true);
    assert!(
        !s.keymap
            .offers(KeyContext::Operations, &Action::StartCutover)
    );
    assert!(run(&mut s, [Action::StartCutover]).is_empty());
    assert!(s.overlay.is_none());
    assert!(s.flash.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn no_cutover_without_a_restore_that_succeeded() {
    let mut s = fixtures::loaded(false);
    run(&mut s, [Action::Jump(Screen::Operations)]);
    assert!(run(&mut s, [Action::StartCutover]).is_empty());
    assert!(s.overlay.is_none());
}

/// A dry run read for another target (a dialog closed and opened again meanwhile) is not
/// shown: the dialog would otherwise show one record's change and write another's.
#[test]
fn a_late_dry_run_for_another_target_is_not_taken() {
    let mut s = restored(false);
    run(&mut s, [Action::StartCutover]);
    let other = crate::domain::names::ServiceId::parse(&format!(
        "/subscriptions/{PROD}/resourceGroups/rg-apim-prod/providers/Microsoft.ApiManagement/service/apim-other"
    ))
    .unwrap();
    assert_ne!(other, target(&s));
    run(
        &mut s,
        [Action::CutoverPlanned {
            hostname: "api.contoso.com".into(),
            to: other,
            result: Ok(plan()),
        }],
    );
    assert!(
        matches!(dialog(&s).plan, Loadable::Loading { .. }),
        "{:?}",
        dialog(&s).plan
    );
}
