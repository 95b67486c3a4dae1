//! provcheck's own validation path on deeply nested ingredients (issue 14): a chain of
//! manifests, each signed over the previous file as its parent ingredient, as Google's
//! multi-edit PNGs carry. Down to the own path's depth limit it judges the file itself with the
//! SDK's report; past the limit it declines and the SDK's report stands.

use crate::common;
use crate::own_path;

use common::*;
use own_path::judge;
use provcheck::Verdict;

/// A JPEG whose manifest store nests `levels` manifests, each the parent ingredient of the next.
fn nested(levels: usize) -> Vec<u8> {
    let root = make_ca(&[("O", "Depth Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Edit"), ("CN", "Acme Edit signer")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let chain = [&leaf, &root];
    let mut d = sign(
        &plain_jpeg(),
        "jpg",
        &manifest_json("level-0.jpg", "Acme Edit", None, Some(DST_DIGITAL_CREATION)),
        &chain,
    );
    for i in 1..levels {
        let def = manifest_json(&format!("level-{i}.jpg"), "Acme Edit", None, None);
        d = sign_with_parent(&d, "jpg", &def, &chain);
    }
    d
}

#[test]
fn twelve_nested_manifests_are_judged_by_the_own_path() {
    let d = nested(12);
    let (own, _) = judge(&d, "nested.jpg", "nested.jpg");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(own.verdict, Verdict::Untrusted, "a throw-away root");
    assert_eq!(own.ingredients.len(), 1, "the parent");
}

#[test]
fn nesting_past_the_own_paths_limit_goes_to_the_sdk() {
    let d = nested(66);
    let (own, _) = judge(&d, "nested.jpg", "nested.jpg");
    assert_eq!(own.validated_by.as_deref(), Some("c2pa"));
}

#[test]
fn a_changed_manifest_deep_in_the_chain_is_not_judged_clean() {
    let mut d = nested(12);
    // the first (deepest) manifest's claim generator name, inside its signed claim
    let needle = b"level-0.jpg";
    let at = d
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("deepest manifest's title");
    d[at] ^= 0x01;
    let (own, sdk) = judge(&d, "nested.jpg", "nested.jpg");
    assert_eq!(own.validated_by.as_deref(), Some("c2pa"));
    assert_eq!(sdk.verdict, Verdict::Tampered, "{:?}", sdk.reasons);
}
