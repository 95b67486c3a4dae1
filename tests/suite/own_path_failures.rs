//! The failures provcheck's own validation path reports itself (issue 14): a hard binding that
//! does not match, and a signing certificate outside the C2PA profile (expired, a CA
//! certificate), every other check passing. It must give the SDK's report, word for word, and
//! the SDK's verdict; anything more unusual still goes to the SDK.

use crate::common;
use crate::own_path;

use common::*;
use own_path::judge;
use provcheck::{Report, Severity, Verdict};

/// A throw-away root and an "Acme Imagine" leaf made with `leaf` under it.
fn acme(leaf: &LeafOpts) -> (CertKey, CertKey) {
    let root = make_ca(&[("O", "Failure Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Imagine"), ("CN", "Acme Imagine signer")],
        &root,
        KeyAlg::P256,
        leaf,
    );
    (root, leaf)
}

/// The manifest of an Acme Imagine image titled `title`.
fn acme_manifest(title: &str) -> String {
    manifest_json(
        title,
        "Acme Imagine",
        Some("Acme Imagine"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    )
}

/// A JPEG signed by a throw-away leaf made with `leaf`, its content bound as `opts` says (a data
/// hash by default).
fn signed(leaf: &LeafOpts, opts: &SignOpts) -> Vec<u8> {
    let (root, leaf) = acme(leaf);
    sign_with_opts(
        &plain_jpeg(),
        "jpg",
        &acme_manifest("image.jpg"),
        &[&leaf, &root],
        opts,
    )
    .unwrap()
}

fn signed_jpeg_with(opts: &SignOpts) -> Vec<u8> {
    signed(&LeafOpts::default(), opts)
}

/// A JPEG with a data hash, signed past c2pa's own signing check by a leaf made with `leaf`,
/// without a time-stamp (so the SDK judges the certificate at the current time).
fn signed_jpeg_by(leaf: &LeafOpts) -> Vec<u8> {
    signed(
        leaf,
        &SignOpts {
            unchecked: true,
            ..SignOpts::default()
        },
    )
}

fn signed_jpeg() -> Vec<u8> {
    signed_jpeg_with(&SignOpts::default())
}

fn failure_codes(r: &Report) -> Vec<String> {
    own_path::status_codes(r, "failure")
}

/// `d` judged by the own path with the SDK's report (see [`judge`]), whose failures are
/// `codes`, in order.
fn own_path_reports(d: &[u8], what: &str, codes: &[&str]) -> Report {
    let (own, _) = judge(d, "image.jpg", what);
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
    assert_eq!(failure_codes(&own), codes, "{what}");
    own
}

#[test]
fn a_changed_image_byte_is_tampered_on_the_own_path_with_the_sdks_report() {
    let mut d = signed_jpeg();
    // the last byte before EOI: entropy-coded image data, inside the data hash
    let n = d.len();
    d[n - 3] ^= 0x01;
    let own = own_path_reports(&d, "image byte", &["assertion.dataHash.mismatch"]);
    assert_eq!(own.verdict, Verdict::Tampered);
}

#[test]
fn a_changed_image_byte_and_a_changed_assertion_go_to_the_sdk() {
    let mut d = signed_jpeg();
    let n = d.len();
    d[n - 3] ^= 0x01;
    // and a byte of the first assertion naming the generator (the store holds the assertions
    // ahead of the claim): its hashed URI no longer matches, which the own path leaves to the
    // SDK
    let needle = b"Acme Imagine";
    let at = d
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("claim generator");
    assert!(
        at < in_claim(&d, needle),
        "the first one is outside the claim"
    );
    d[at] ^= 0x20;
    let (own, sdk) = judge(&d, "image.jpg", "image.jpg");
    assert_eq!(own.validated_by.as_deref(), Some("c2pa"));
    assert_eq!(sdk.verdict, Verdict::Tampered);
    assert!(failure_codes(&sdk).contains(&"assertion.hashedURI.mismatch".to_string()));
}

#[test]
fn an_intact_file_has_no_failure() {
    own_path_reports(&signed_jpeg(), "intact", &[]);
}

#[test]
fn a_changed_image_byte_under_a_box_hash_is_tampered_on_the_own_path() {
    let mut d = signed_jpeg_with(&SignOpts {
        box_hash: true,
        ..SignOpts::default()
    });
    own_path_reports(&d, "intact", &[]);
    // entropy-coded image data, inside a hashed box
    let n = d.len();
    d[n - 3] ^= 0x01;
    let own = own_path_reports(&d, "changed", &["assertion.boxesHash.mismatch"]);
    assert_eq!(own.verdict, Verdict::Tampered);
}

/// valid from three years ago to a year ago
fn expired() -> LeafOpts {
    let now = chrono::Utc::now();
    LeafOpts {
        not_before: now - chrono::Duration::days(3 * 365),
        not_after: now - chrono::Duration::days(365),
        ..LeafOpts::default()
    }
}

#[test]
fn an_expired_signing_certificate_is_reported_on_the_own_path_as_the_sdk_does() {
    let d = signed_jpeg_by(&expired());
    let own = own_path_reports(&d, "expired, intact", &["signingCredential.expired"]);
    // intact content signed with a certificate that was no longer valid: not authentic, and
    // not `tampered` either
    assert_eq!(own.verdict, Verdict::Untrusted);
}

#[test]
fn an_expired_certificate_and_a_changed_image_byte_are_both_reported_in_the_sdks_order() {
    let mut d = signed_jpeg_by(&expired());
    let n = d.len();
    d[n - 3] ^= 0x01;
    let own = own_path_reports(
        &d,
        "expired, changed",
        &["signingCredential.expired", "assertion.dataHash.mismatch"],
    );
    assert_eq!(own.verdict, Verdict::Tampered);
}

#[test]
fn a_ca_certificate_as_the_signer_is_reported_on_the_own_path_as_the_sdk_does() {
    let d = signed_jpeg_by(&LeafOpts {
        is_ca: true,
        ..LeafOpts::default()
    });
    let own = own_path_reports(&d, "CA signer", &["signingCredential.invalid"]);
    assert_ne!(own.verdict, Verdict::Authentic);
}

/// The offset of the first `needle` inside the claim box of a signed file (after its label).
fn in_claim(d: &[u8], needle: &[u8]) -> usize {
    let label = d
        .windows(10)
        .position(|w| w == b"c2pa.claim")
        .expect("a claim box");
    label
        + d[label..]
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("the needle in the claim")
}

#[test]
fn a_changed_claim_byte_is_a_signature_mismatch_on_the_own_path_with_the_sdks_report() {
    let mut d = signed_jpeg();
    // the claim generator's name, inside the signed claim
    let at = in_claim(&d, b"Acme Imagine");
    d[at] ^= 0x20;
    let own = own_path_reports(&d, "claim changed", &["claimSignature.mismatch"]);
    assert_eq!(own.verdict, Verdict::Tampered);
}

#[test]
fn a_broken_signature_an_expired_certificate_and_a_changed_image_byte_are_all_reported() {
    let mut d = signed_jpeg_by(&expired());
    let at = in_claim(&d, b"Acme Imagine");
    d[at] ^= 0x20;
    let n = d.len();
    d[n - 3] ^= 0x01;
    let own = own_path_reports(
        &d,
        "claim, certificate and image",
        &[
            "signingCredential.expired",
            "claimSignature.mismatch",
            "assertion.dataHash.mismatch",
        ],
    );
    assert_eq!(own.verdict, Verdict::Tampered);
}

/// The bundled generator sample, whose signature carries one RFC 3161 time-stamp token.
fn time_stamped_sample() -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/bing_creator_cloud_surfing_puppy.jpg"),
    )
    .unwrap()
}

fn codes(list: &[provcheck::Status]) -> Vec<&str> {
    list.iter().map(|s| s.code.as_str()).collect()
}

#[test]
fn a_time_stamp_the_sdk_refuses_is_judged_on_the_own_path_with_the_sdks_report() {
    // the token is in the signature's unprotected header: no claim signature covers it, so a
    // broken token costs the signing time, not the signature (C2PA 2.1 section 15.7)
    let original = time_stamped_sample();
    let (before, _) = judge(&original, "image.jpg", "intact sample");
    assert_eq!(before.validated_by.as_deref(), Some("provcheck"));
    assert!(before.timestamp.is_some());
    let token = time_stamp_token_range(&original);
    for (what, at, flip) in [
        // the TSA's signature value, the last field of the token's one SignerInfo
        ("token's signature", token.end - 8, 0x5a),
        // the token's outer SEQUENCE made a SET: no ContentInfo can be read
        ("token's first tag", token.start, 0x01),
    ] {
        let mut d = original.clone();
        d[at] ^= flip;
        let (own, _) = judge(&d, "image.jpg", what);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
        let v = &own.validation;
        let time_stamp_statuses: Vec<&str> = codes(&v.informational)
            .into_iter()
            .filter(|c| c.starts_with("timeStamp."))
            .collect();
        assert!(
            !time_stamp_statuses.is_empty(),
            "{what}: {:?}",
            v.informational
        );
        assert!(
            !codes(&v.success).contains(&"timeStamp.validated"),
            "{what}"
        );
        // the report says the signature has a time-stamp it could not use
        let ts = own.timestamp.as_ref().expect("a timestamp section");
        assert!(
            !ts.validated && !ts.trusted && ts.time.is_none(),
            "{what}: {ts:?}"
        );
        // and why, as a warning; not as an untrusted TSA
        assert!(
            own.reasons
                .iter()
                .any(|r| r.code.starts_with("timeStamp.") && r.severity == Severity::Warning),
            "{what}: {:?}",
            own.reasons
        );
        assert!(
            !own.reasons
                .iter()
                .any(|r| r.code == provcheck::codes::TIMESTAMP_UNTRUSTED),
            "{what}: {:?}",
            own.reasons
        );
    }
}

#[test]
fn a_time_stamp_header_the_sdk_cannot_read_is_no_time_stamp_on_the_own_path() {
    // C2PA 1.x drafts named the array `tstToken`: the SDK's reader has no time-stamp then and
    // logs nothing; the report says the header carries no readable token
    let mut d = time_stamped_sample();
    let key = d.windows(9).position(|w| w == b"tstTokens").unwrap();
    d[key + 8] = b'z';
    let (own, _) = judge(&d, "image.jpg", "tstTokenz");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert!(own
        .reasons
        .iter()
        .any(|r| r.code == provcheck::codes::TIMESTAMP_UNREADABLE));
    let v = &own.validation;
    assert!(!codes(&v.success).contains(&"timeStamp.validated"));
    let ts = own.timestamp.as_ref().expect("a timestamp section");
    assert!(!ts.validated && ts.time.is_none(), "{ts:?}");
}

/// A parent ingredient whose claim signature no longer verified when the next manifest took it
/// in: that manifest's ingredient assertion records `claimSignature.mismatch`, and the SDK does
/// not report the failure again (`ValidationResults::from_store`). The own path judges such a
/// file with the SDK's report.
#[test]
fn an_ingredient_signature_that_failed_when_it_was_taken_in_is_judged_on_the_own_path() {
    let child = child_of(|parent| {
        let at = in_claim(parent, b"Acme Imagine");
        parent[at] ^= 0x20;
        let (p, _) = judge(parent, "image.jpg", "parent");
        assert!(failure_codes(&p).contains(&"claimSignature.mismatch".to_string()));
    });
    let (own, _) = judge(&child, "image.jpg", "child of a broken parent");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert!(
        !failure_codes(&own).contains(&"claimSignature.mismatch".to_string()),
        "recorded by the ingredient assertion, not reported again"
    );
}

/// An Acme Imagine image signed over a parent Acme Imagine image that `change` altered after
/// it was signed (the child's ingredient assertion records what the SDK then found).
fn child_of(change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let (root, leaf) = acme(&LeafOpts::default());
    let chain = [&leaf, &root];
    let mut parent = sign(&plain_jpeg(), "jpg", &acme_manifest("parent.jpg"), &chain);
    change(&mut parent);
    sign_with_parent(
        &parent,
        "jpg",
        &manifest_json("child.jpg", "Acme Imagine", None, None),
        &chain,
    )
}

/// The ingredient node and claims of `r`'s first ingredient, as an analyst reads them:
/// (integrity, recorded failures, whether any claim from the ingredient's manifest counts as
/// signed).
fn first_ingredient(r: &Report) -> (String, Vec<String>, bool) {
    let v = serde_json::to_value(r).unwrap();
    let node = &v["ingredients"][0];
    let label = node["manifest"]
        .as_str()
        .expect("the ingredient has a manifest");
    let recorded = node["recorded_failures"]
        .as_array()
        .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    let claims = v["claimed_source"]["claims"].as_array().unwrap();
    let from_ingredient: Vec<_> = claims.iter().filter(|c| c["scope"] == label).collect();
    assert!(
        !from_ingredient.is_empty(),
        "the ingredient's claims are listed"
    );
    let signed = from_ingredient.iter().any(|c| c["signed"] == true);
    (
        node["integrity"].as_str().unwrap().to_string(),
        recorded,
        signed,
    )
}

/// An ingredient whose claim signature failed when it was taken in is shown as what it is: the
/// SDK does not report the recorded failure again, but the node is `invalid`, names the code,
/// and the broken claim's statements are not signed evidence (an attacker who alters a
/// generator's manifest and wraps it as an ingredient gains nothing from it).
#[test]
fn an_ingredient_recorded_as_broken_is_invalid_in_the_tree() {
    let child = child_of(|parent| {
        let at = in_claim(parent, b"Acme Imagine");
        parent[at] ^= 0x20;
    });
    let (own, sdk) = judge(&child, "image.jpg", "child of a broken parent");
    for r in [&own, &sdk] {
        let (integrity, recorded, signed) = first_ingredient(r);
        assert_eq!(integrity, "invalid");
        assert!(
            recorded.contains(&"claimSignature.mismatch".to_string()),
            "{recorded:?}"
        );
        assert!(
            !signed,
            "claims of a broken ingredient manifest are not signed evidence"
        );
    }
}

/// An ingredient whose image had changed after it was signed (a re-saved file, common in
/// genuine editing) keeps a valid manifest: the recorded `assertion.dataHash.mismatch` is shown,
/// but it is about an asset that is not in this file, so the ingredient's signed claims stand.
#[test]
fn an_ingredient_recorded_with_a_changed_image_keeps_its_signed_claims() {
    let child = child_of(|parent| {
        let n = parent.len();
        parent[n - 3] ^= 0x01;
    });
    let (own, _) = judge(&child, "image.jpg", "child of a re-saved parent");
    let (integrity, recorded, signed) = first_ingredient(&own);
    assert!(
        recorded.contains(&"assertion.dataHash.mismatch".to_string()),
        "{recorded:?}"
    );
    assert_eq!(integrity, "valid");
    assert!(signed);
}
