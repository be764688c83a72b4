//! Tests of the `--faults` grammar and of the order rules fire in.

use super::*;

#[test]
fn the_grammar() {
    let plan = parse_faults("throttle:2@services*3+1, 500@backup, slow:0.5@any*inf").unwrap();
    assert_eq!(plan.rules().len(), 3);
    let r = &plan.rules()[0];
    assert_eq!(
        r.kind,
        FaultKind::Throttle {
            retry_after_secs: 2
        }
    );
    assert_eq!(
        (r.target, r.remaining, r.skip),
        (FaultTarget::Services, Some(3), 1)
    );
    assert_eq!(plan.rules()[1].remaining, Some(1));
    assert_eq!(plan.rules()[2].remaining, None);
    assert_eq!(plan.rules()[2].kind, FaultKind::Slow { seconds: 0.5 });
    assert_eq!(parse_faults("reset@poll+2*2").unwrap().rules()[0].skip, 2);
    let plan = parse_faults(
        "throttle-ms:250@poll, throttle-x-ms@any, quota:3@services, quota-global@service",
    )
    .unwrap();
    let kinds: Vec<FaultKind> = plan.rules().iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            FaultKind::ThrottleMs {
                retry_after_ms: 250
            },
            FaultKind::ThrottleXMs {
                retry_after_ms: 1000
            },
            FaultKind::Quota {
                remaining: 3,
                global: false
            },
            FaultKind::Quota {
                remaining: 0,
                global: true
            },
        ]
    );
    assert!(parse_faults("").unwrap().is_empty());
}

#[test]
fn errors_name_the_rule() {
    for (spec, needle) in [
        ("throttle@nowhere", "unknown target 'nowhere'"),
        ("boom@any", "unknown kind 'boom'"),
        ("500:3@any", "takes no argument"),
        ("throttle:x@any", "not a number of seconds"),
        ("throttle-ms:1.5@any", "not a number of milliseconds"),
        ("quota:-1@any", "not a number of requests"),
        ("500@any*0", "COUNT"),
        ("500@any+x", "SKIP"),
        ("500@any*1*2", "given twice"),
        ("500", "expected KIND"),
        ("500@any,,503@any", "empty rule"),
    ] {
        let e = parse_faults(spec).unwrap_err().to_string();
        assert!(e.contains(needle), "{spec}: {e}");
    }
    let e = parse_faults("500@any, 503@servces").unwrap_err();
    assert_eq!((e.index, e.rule.as_str()), (2, "503@servces"));
}

#[test]
fn rules_skip_then_fire_then_stop_in_order() {
    let mut plan = parse_faults("500@services*2+1, 503@any").unwrap();
    assert_eq!(
        plan.take(FaultTarget::Services, ""),
        Some(FaultKind::Unavailable)
    );
    assert_eq!(
        plan.take(FaultTarget::Services, ""),
        Some(FaultKind::InternalError)
    );
    assert_eq!(
        plan.take(FaultTarget::Services, ""),
        Some(FaultKind::InternalError)
    );
    assert_eq!(plan.take(FaultTarget::Services, ""), None);
    assert!(plan.is_empty());
    let mut inf = parse_faults("reset@blob*inf").unwrap();
    for _ in 0..5 {
        assert_eq!(inf.take(FaultTarget::Blob, ""), Some(FaultKind::Reset));
    }
    assert_eq!(inf.take(FaultTarget::Blobs, ""), None);
}

#[test]
fn a_rule_can_be_limited_to_one_subscription() {
    let sub = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";
    let mut plan = parse_faults(&format!("throttle:2@services/{sub}*2")).unwrap();
    assert_eq!(plan.rules()[0].subscription.as_deref(), Some(sub));
    assert_eq!(plan.rules()[0].remaining, Some(2));
    assert_eq!(
        plan.take(
            FaultTarget::Services,
            "7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f"
        ),
        None
    );
    assert!(
        plan.take(FaultTarget::Services, &sub.to_uppercase())
            .is_some()
    );
    assert!(plan.take(FaultTarget::Services, sub).is_some());
    assert_eq!(plan.take(FaultTarget::Services, sub), None);
    assert!(parse_faults("throttle@services/").is_err());
}
