//! The region failover dialog (issue 12, "batch failover of a lost region"): `F` offers the
//! other regions, Enter plans, only the typed `restore N` starts (a paste is refused, read-only
//! mode starts nothing), at most `PARALLEL_DEFAULT` restores run at once, the batch goes on
//! while its dialog is closed, the quit dialog counts the restores not started, and one report
//! is asked for once every restore ended.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::fixtures::region::{failover_plan, planned};
use crate::app::fixtures::run;
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::operation::OpId;
use crate::app::region_failover::{ItemState, PARALLEL_DEFAULT, RegionFailover};
use crate::app::state::{AppState, Overlay, Screen};
use crate::domain::batch_report::ItemStatus;
use crate::domain::operation::Outcome;
use crate::domain::progress::ProgressUpdate;

fn typed(s: &mut AppState, text: &str) -> Vec<Effect> {
    run(s, text.chars().map(Action::TypeChar))
}

fn batch(s: &AppState) -> &RegionFailover {
    s.region_failover.as_deref().expect("a region failover")
}

fn flash(s: &AppState) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn started(effects: &[Effect]) -> Vec<OpId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartRestore { op, .. } => Some(*op),
            _ => None,
        })
        .collect()
}

fn finish(s: &mut AppState, op: OpId) -> Vec<Effect> {
    run(
        s,
        [Action::OperationUpdated {
            op,
            update: ProgressUpdate::Finished(Outcome::Succeeded),
        }],
    )
}

#[test]
fn f_offers_the_other_regions_then_enter_plans_the_one_picked() {
    let s = planned(false);
    let b = batch(&s);
    assert_eq!(b.lost, "West Europe");
    assert_eq!(b.to.as_deref(), Some("North Europe"));
    assert!(b.regions.iter().all(|c| c.name != "West Europe"));
    let states: Vec<ItemState> = b
        .items()
        .iter()
        .map(|i| b.state_of(i, &s.operations))
        .collect();
    assert!(states.contains(&ItemState::Ready), "{states:?}");
    assert!(
        states
            .iter()
            .any(|st| matches!(st, ItemState::NotNeeded(_))),
        "apim-partners-weu serves from North Europe: {states:?}"
    );
    assert!(
        states.iter().any(|st| matches!(st, ItemState::Blocked(_))),
        "apim-mobile-cons has no backup: {states:?}"
    );
    assert_eq!(b.confirm_words(), "restore 1");
    assert_eq!(s.key_context(), KeyContext::Batch);
}

#[test]
fn enter_asks_the_engine_for_the_plan_and_esc_picks_another_region() {
    let mut s = crate::app::fixtures::loaded(false);
    run(&mut s, [Action::StartRegionFailover]);
    assert_eq!(s.key_context(), KeyContext::RegionPick);
    let effects = run(&mut s, [Action::Submit]);
    let [Effect::PlanRegionFailover { lost, to, began }] = effects.as_slice() else {
        panic!("Enter plans: {effects:?}")
    };
    assert_eq!(lost, &batch(&s).lost);
    assert_eq!(began.at, s.now, "each restore's RTO runs from F");
    assert_eq!(Some(to), batch(&s).to.as_ref());
    assert!(s.counts_seconds(), "the planning's seconds count");

    // Esc while it plans goes back to the regions; its late answer is not taken.
    run(&mut s, [Action::Back]);
    assert!(batch(&s).picking());
    let plan = failover_plan(&s, ("West Europe", "North Europe"));
    run(
        &mut s,
        [Action::RegionFailoverPlanned {
            lost: "West Europe".into(),
            to: "North Europe".into(),
            plan: Box::new(plan),
        }],
    );
    assert_eq!(batch(&s).plan, Loadable::NotRequested);
    run(&mut s, [Action::Back]);
    assert!(s.region_failover.is_none() && s.overlay.is_none());
}

#[test]
fn only_the_typed_words_start_the_ready_restore() {
    let mut s = planned(false);
    assert!(run(&mut s, [Action::PasteRefused]).is_empty());
    assert!(flash(&s).contains("pasted text"), "{}", flash(&s));
    typed(&mut s, "restore 2");
    assert!(run(&mut s, [Action::Submit]).is_empty());
    assert!(flash(&s).contains("nothing was started"), "{}", flash(&s));
    run(&mut s, [Action::ClearInput]);
    typed(&mut s, "restore 1");
    let effects = run(&mut s, [Action::Submit]);
    let ops = started(&effects);
    assert_eq!(ops.len(), 1, "{effects:?}");
    let Some(Effect::StartRestore { plan, .. }) = effects.first() else {
        unreachable!()
    };
    assert_eq!(plan.target.name.as_str(), "apim-contoso-neu");
    assert_eq!(s.screen, Screen::Operations);
    assert_eq!(s.operations.len(), 1);
    assert_eq!(s.key_context(), KeyContext::Help, "nothing more to type");
}

#[test]
fn read_only_mode_shows_the_plan_and_starts_nothing() {
    let mut s = planned(true);
    assert_eq!(s.key_context(), KeyContext::Help, "nothing to type");
    typed(&mut s, "restore 1");
    assert!(run(&mut s, [Action::Submit]).is_empty());
    assert!(flash(&s).contains("read-only"), "{}", flash(&s));
    assert!(batch(&s).started.is_none());
}

/// Six ready restores: four start, each end starts the next, and the report is asked for
/// once, when the last has ended.
#[test]
fn restores_run_a_few_at_a_time_and_the_report_comes_once_at_the_end() {
    let mut s = planned(false);
    if let Some(Loadable::Loaded(items)) = s.region_failover.as_mut().map(|b| &mut b.plan) {
        let ready = items.iter().find(|i| i.ready()).unwrap().clone();
        for n in 0..5 {
            let mut more = ready.clone();
            more.planned.pick.source.name = format!("apim-more-{n}");
            items.push(more);
        }
    }
    let words = batch(&s).confirm_words();
    assert_eq!(words, "restore 6");
    typed(&mut s, &words);
    let first = started(&run(&mut s, [Action::Submit]));
    assert_eq!(first.len(), PARALLEL_DEFAULT);
    assert_eq!(batch(&s).queued(), 6 - PARALLEL_DEFAULT);

    // Esc closes the dialog; the batch goes on, and the quit dialog counts what waits.
    run(&mut s, [Action::Back]);
    assert!(s.overlay.is_none() && s.region_failover.is_some());
    run(&mut s, [Action::Quit]);
    assert_eq!(
        s.overlay,
        Some(Overlay::Quit {
            live: PARALLEL_DEFAULT,
            queued: 6 - PARALLEL_DEFAULT
        })
    );
    run(&mut s, [Action::Cancel]);

    let mut all = first.clone();
    let next = started(&finish(&mut s, first[0]));
    assert_eq!(next.len(), 1, "one ended, one more starts");
    all.extend(next);
    all.extend(started(&finish(&mut s, first[1])));
    assert_eq!(batch(&s).queued(), 0);
    let mut reports = 0;
    for op in all.iter().skip(2) {
        let effects = finish(&mut s, *op);
        assert!(started(&effects).is_empty());
        reports += effects
            .iter()
            .filter(|e| matches!(e, Effect::SaveBatchReport { .. }))
            .count();
    }
    assert_eq!(reports, 1, "one report, at the end");
    let b = batch(&s);
    assert!(b.finished(&s.operations));
    let report = b.report(&s.operations, s.now);
    assert_eq!(report.count(ItemStatus::Succeeded), 6);
    assert_eq!(report.count(ItemStatus::NotNeeded), 1);
    assert!(report.count(ItemStatus::Skipped) >= 1);
    assert!(flash(&s).contains("6 restored"), "{}", flash(&s));

    // F shows the ended batch again; Esc then forgets it.
    run(
        &mut s,
        [Action::Jump(Screen::Estate), Action::StartRegionFailover],
    );
    assert_eq!(s.overlay, Some(Overlay::RegionFailover));
    run(&mut s, [Action::Back]);
    assert!(s.region_failover.is_none());
}

/// A restore stopped with `s` no longer holds its place: the next one starts.
#[test]
fn a_restore_no_longer_watched_frees_its_place() {
    let mut s = planned(false);
    if let Some(Loadable::Loaded(items)) = s.region_failover.as_mut().map(|b| &mut b.plan) {
        let ready = items.iter().find(|i| i.ready()).unwrap().clone();
        for n in 0..PARALLEL_DEFAULT {
            let mut more = ready.clone();
            more.planned.pick.source.name = format!("apim-more-{n}");
            items.push(more);
        }
    }
    let words = batch(&s).confirm_words();
    typed(&mut s, &words);
    let first = started(&run(&mut s, [Action::Submit]));
    assert_eq!(first.len(), PARALLEL_DEFAULT);
    let effects = run(&mut s, [Action::StopWatching(first[0])]);
    assert_eq!(started(&effects).len(), 1, "{effects:?}");
}
