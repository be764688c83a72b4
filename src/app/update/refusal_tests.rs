//! Every refusal says what to do next (issue 9, defect 20): a backup nobody outside its
//! region can take is flagged at step 1, a backup of unknown tier names the candidates of
//! each tier, and a v2 or Consumption service says what works for it instead.

use super::flow_tests::failover;
use crate::app::action::Action;
use crate::app::failover::{no_target_hint, source_rows, target_rows, unknown_tier_hint};
use crate::app::fixtures::{self, run};

#[test]
fn a_backup_nobody_outside_its_region_can_take_says_so_at_step_one() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartFailover]);
    let rows = source_rows(&state, failover(&state));
    let premium = rows
        .iter()
        .find(|r| r.entry.name.starts_with("apim-partners"))
        .unwrap();
    assert_eq!(
        no_target_hint(&state, premium.entry).as_deref(),
        Some("no Premium service outside West Europe can take it: create or scale one, then r")
    );
    let standard = rows
        .iter()
        .find(|r| r.entry.name.starts_with("apim-contoso-weu/"))
        .unwrap();
    assert_eq!(no_target_hint(&state, standard.entry), None);
}

#[test]
fn a_backup_of_unknown_tier_offers_the_candidates_of_each_tier() {
    let mut state = fixtures::loaded(false);
    run(&mut state, [Action::StartFailover]);
    let rows = source_rows(&state, failover(&state));
    let legacy = rows
        .iter()
        .find(|r| r.entry.name.starts_with("legacy/"))
        .unwrap();
    let hint = unknown_tier_hint(&state, legacy.entry, None).unwrap();
    assert!(
        hint.starts_with("its tier is unknown and Azure restores only into the same tier — if "),
        "{hint}"
    );
    assert!(hint.contains("if Premium, apim-partners-weu"), "{hint}");
    assert!(hint.contains("if Standard, "), "{hint}");
    assert!(!hint.contains("v2"), "a v2 service is no candidate: {hint}");
}

#[test]
fn a_v2_target_says_what_works_instead_with_one_colon() {
    let mut state = fixtures::loaded(false);
    fixtures::to_targets(&mut state);
    let w = failover(&state);
    let v2 = target_rows(&state, w)
        .into_iter()
        .find(|t| t.service.name == "apim-edge-v2-neu")
        .unwrap();
    let why = v2.refusal.unwrap();
    assert!(why.contains("configuration as code"), "{why}");
    assert!(!why.contains(": "), "{why}");
}

#[test]
fn a_consumption_service_says_what_works_instead() {
    let mut state = fixtures::loaded(false);
    run(
        &mut state,
        [Action::MoveDown, Action::MoveDown, Action::StartFailover],
    );
    let text = state.flash.clone().unwrap().text;
    assert!(text.contains("APIOps"), "{text}");
    assert_eq!(text.matches(": ").count(), 1, "{text}");
}
