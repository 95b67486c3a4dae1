//! Shared by the tests that hold provcheck's own validation path to the c2pa SDK's reports
//! (tests/differential.rs, tests/boxhash.rs, tests/own_path_v2.rs).

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use provcheck::{Report, Verifier, VerifierOptions};
use serde_json::Value;

/// One fixed evaluation time for both paths, so that no explanation quotes a different clock.
pub fn fixed_time() -> DateTime<Utc> {
    "2026-11-01T00:00:00Z".parse().unwrap()
}

/// A verifier with provcheck's own path on (`own_path`) or the SDK judging every file, without
/// the SDK's trust check (which the own path does not run), judging validity at `at`.
pub fn verifier(own_path: bool, at: DateTime<Utc>) -> Verifier {
    let mut o = VerifierOptions::default();
    o.sdk_trust = false;
    o.own_path = own_path;
    o.at = Some(at);
    Verifier::new(o).expect("verifier")
}

/// The report as JSON without the field naming the path, and without the evaluation time when
/// it is only the clock's.
pub fn comparable(r: &Report) -> Value {
    let mut v = serde_json::to_value(r).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("validated_by");
    if let Some(t) = o.get_mut("trust").and_then(Value::as_object_mut) {
        if t.get("evaluated_at_origin").and_then(Value::as_str) == Some("now") {
            t.remove("evaluated_at");
        }
    }
    v
}

/// Both paths' reports of `data` (named `name`, judged at [`fixed_time`]), which must be the
/// same apart from the path that judged: `(own path's, SDK's)`. `what` names the case in a
/// failure message.
pub fn judge(data: &[u8], name: &str, what: &str) -> (Report, Report) {
    let own = verifier(true, fixed_time()).verify_bytes(data, Some(name));
    let sdk = verifier(false, fixed_time()).verify_bytes(data, Some(name));
    assert_eq!(sdk.validated_by.as_deref(), Some("c2pa"), "{what}");
    assert_eq!(
        comparable(&own),
        comparable(&sdk),
        "{what}: own path and SDK reports differ:\nown: {}\nsdk: {}",
        serde_json::to_string_pretty(&own).unwrap(),
        serde_json::to_string_pretty(&sdk).unwrap()
    );
    (own, sdk)
}
