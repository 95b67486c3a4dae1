//! provcheck's own validation path on C2PA 2.x claims (`c2pa.claim.v2`): files signed at run
//! time with throw-away keys, each once as a generator writes it and once breaking one of the
//! action rules the c2pa SDK applies to 2.x claims (C2PA 2.2 section 18.15.4). The own path must
//! judge the clean ones itself and hand every rule-breaking one to the SDK, whose report then
//! stands: the report with the own path on equals the report with `--sdk-only`.

use crate::common;
use crate::own_path;

use common::*;
use provcheck::Report;
use serde_json::{json, Value};

/// A definition with one actions assertion holding `actions` (and no automatic actions).
fn definition(actions: Value) -> String {
    json!({
        "title": "v2.jpg",
        "claim_generator_info": [{ "name": "Acme Imagine", "version": "1.0.0" }],
        "assertions": [{ "label": "c2pa.actions.v2", "data": { "actions": actions } }]
    })
    .to_string()
}

struct Judged {
    own: Report,
    sdk: Report,
}

fn judge(actions: Value) -> Judged {
    let (leaf, root) = acme_chain();
    let what = actions.to_string();
    let signed = sign(&plain_jpeg(), "jpg", &definition(actions), &[&leaf, &root]);
    let (own, sdk) = own_path::judge(&signed, "v2.jpg", &what);
    Judged { own, sdk }
}

fn claim_version(r: &Report) -> Option<u64> {
    serde_json::to_value(r).unwrap()["manifest"]["claim_version"].as_u64()
}

fn codes(r: &Report) -> Vec<String> {
    r.codes().map(str::to_string).collect()
}

#[test]
fn a_generators_v2_claim_is_judged_by_the_own_path() {
    let j = judge(json!([{
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        "softwareAgent": { "name": "Acme Imagine", "version": "2.1" }
    }, { "action": "c2pa.converted" }]));
    assert_eq!(claim_version(&j.own), Some(2), "the SDK signs 2.x claims");
    assert_eq!(j.own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(j.sdk.validated_by.as_deref(), Some("c2pa"));
    assert!(
        !codes(&j.own)
            .iter()
            .any(|c| c.starts_with("assertion.action")),
        "{:?}",
        codes(&j.own)
    );
}

/// Each breaks one rule; the SDK logs it, so the own path must not judge the file.
#[test]
fn a_broken_action_rule_goes_to_the_sdk() {
    let cases = [
        (
            "created without a digitalSourceType",
            json!([{ "action": "c2pa.created" }]),
        ),
        (
            "first action neither created nor opened",
            json!([{ "action": "c2pa.edited" }]),
        ),
        (
            "opened without ingredients",
            json!([{ "action": "c2pa.opened" }]),
        ),
        (
            "transcoded naming an ingredient that is not there",
            json!([{
                "action": "c2pa.created",
                "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
            }, {
                "action": "c2pa.transcoded",
                "parameters": { "ingredients": [{
                    "url": "self#jumbf=c2pa.assertions/c2pa.ingredient.v3",
                    "hash": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
                }] }
            }]),
        ),
    ];
    for (what, actions) in cases {
        let j = judge(actions);
        assert_eq!(claim_version(&j.sdk), Some(2), "{what}");
        assert_eq!(j.own.validated_by.as_deref(), Some("c2pa"), "{what}");
        assert!(
            codes(&j.sdk)
                .iter()
                .any(|c| c.starts_with("assertion.action")),
            "{what}: the SDK reports the broken rule: {:?}",
            codes(&j.sdk)
        );
    }
}

/// A manifest signed against the rules is `tampered` (fail closed), but its summary says what
/// is wrong rather than claiming a change after signing; a changed pixel byte of the same kind
/// of file still reads "changed after signing".
#[test]
fn a_manifest_signed_against_the_rules_is_not_called_changed() {
    let j = judge(json!([{ "action": "c2pa.created" }]));
    assert_eq!(j.own.verdict, provcheck::Verdict::Tampered);
    assert!(
        j.own
            .summary
            .starts_with("the manifest breaks the C2PA rules: "),
        "{}",
        j.own.summary
    );
    assert!(!j.own.summary.contains("changed after signing"));

    let root = make_ca(&[("O", "Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Labs")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let actions = json!([{
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    }]);
    let mut signed = sign(&plain_jpeg(), "jpg", &definition(actions), &[&leaf, &root]);
    let at = signed.len() - 8; // entropy-coded image data, before the EOI marker
    signed[at] ^= 0x01;
    let (own, _) = own_path::judge(&signed, "v2.jpg", "a changed pixel byte");
    assert_eq!(own.verdict, provcheck::Verdict::Tampered);
    assert!(
        own.summary.starts_with("changed after signing: "),
        "{}",
        own.summary
    );
}
