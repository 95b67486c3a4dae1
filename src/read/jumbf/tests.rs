use super::*;
use crate::read::container::bmff::{boxed as bx, jumbf_superbox as superbox};
use coset::cbor::value::Value;

fn cbor(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    coset::cbor::ser::into_writer(v, &mut out).unwrap();
    out
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn hashed_uri(url: &str, target_box: &[u8]) -> Value {
    // the hash covers the superbox payload (after its 8-byte header)
    let h = digest("sha256", &[&target_box[8..]]).unwrap();
    map(vec![("url", text(url)), ("hash", Value::Bytes(h))])
}

/// A one-manifest store: an actions assertion with a hashed URI to a data box, and a data-hash
/// assertion, both listed in the claim. `edit` may change the boxes before the claim hashes
/// them or after.
fn store(label: &str, tamper_databox: bool, duplicate_assertion: bool) -> Vec<u8> {
    superbox(
        "c2pa",
        &[manifest(
            label,
            tamper_databox,
            duplicate_assertion,
            &[],
            vec![],
        )],
    )
}

/// The manifest superbox of [`store`], with `extra` assertion superboxes listed in its claim too
/// and `claim_extra` fields added to the claim.
fn manifest(
    label: &str,
    tamper_databox: bool,
    duplicate_assertion: bool,
    extra: &[Vec<u8>],
    claim_extra: Vec<(&str, Value)>,
) -> Vec<u8> {
    let databox = superbox(
        "c2pa.data",
        &[bx(b"cbor", &cbor(&map(vec![("x", text("icon"))])))],
    );
    let actions = superbox(
        "c2pa.actions.v2",
        &[bx(
            b"cbor",
            &cbor(&map(vec![(
                "icon",
                hashed_uri("self#jumbf=c2pa.databoxes/c2pa.data", &databox),
            )])),
        )],
    );
    let data_hash = superbox(
        "c2pa.hash.data",
        &[bx(
            b"cbor",
            &cbor(&map(vec![("hash", Value::Bytes(vec![7; 32]))])),
        )],
    );
    let mut list = vec![
        hashed_uri("self#jumbf=c2pa.assertions/c2pa.actions.v2", &actions),
        hashed_uri("self#jumbf=c2pa.assertions/c2pa.hash.data", &data_hash),
    ];
    for a in extra {
        let sb = Superbox::parse(boxes(a, 0).next().unwrap()).unwrap();
        let url = format!("self#jumbf=c2pa.assertions/{}", sb.label.unwrap());
        list.push(hashed_uri(&url, a));
    }
    let mut fields = vec![
        ("signature", text("self#jumbf=c2pa.signature")),
        ("alg", text("sha256")),
        ("created_assertions", Value::Array(list)),
    ];
    fields.extend(claim_extra);
    let claim = map(fields);
    let mut assertions = vec![actions.clone(), data_hash];
    assertions.extend(extra.iter().cloned());
    if duplicate_assertion {
        assertions.push(actions);
    }
    let databox = if tamper_databox {
        superbox(
            "c2pa.data",
            &[bx(b"cbor", &cbor(&map(vec![("x", text("evil"))])))],
        )
    } else {
        databox
    };
    superbox(
        label,
        &[
            superbox("c2pa.assertions", &assertions),
            superbox("c2pa.databoxes", &[databox]),
            superbox("c2pa.claim.v2", &[bx(b"cbor", &cbor(&claim))]),
            superbox("c2pa.signature", &[bx(b"cbor", &[0xd2, 0x84])]),
        ],
    )
}

#[test]
fn intact_store_has_no_problems_and_resolves_by_the_claim() {
    let s = parse_store(&store("urn:c2pa:good", false, false));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    let m = s.get("urn:c2pa:good").unwrap();
    assert_eq!(m.referenced, vec!["c2pa.actions.v2", "c2pa.hash.data"]);
    assert_eq!(m.hard_bindings, vec!["c2pa.hash.data"]);
    assert_eq!(m.signature.as_deref(), Some(&[0xd2, 0x84][..]));
    // the data box reference inside the actions assertion was checked and matched
    assert!(s.target_intact(&Target::DataBox {
        manifest: "urn:c2pa:good".into(),
        label: "c2pa.data".into()
    }));
}

#[test]
fn a_replaced_data_box_is_a_hashed_uri_mismatch() {
    let s = parse_store(&store("urn:c2pa:x", true, false));
    let p: Vec<_> = s.problems.iter().map(|p| p.code).collect();
    assert_eq!(p, vec!["assertion.hashedURI.mismatch"], "{:?}", s.problems);
}

#[test]
fn a_duplicated_assertion_label_is_reported_not_resolved_last_wins() {
    let s = parse_store(&store("urn:c2pa:x", false, true));
    assert!(
        s.problems
            .iter()
            .any(|p| p.code == "provcheck.manifest.duplicateBox"),
        "{:?}",
        s.problems
    );
    // the duplicated assertion is not resolvable any more, so its reference cannot match
    assert!(s.problems.iter().any(|p| p.code == "assertion.missing"));
}

#[test]
fn a_label_that_merely_contains_cawg_is_not_an_identity_assertion() {
    let labels = HashSet::from(["urn:c2pa:abc.cawg."]);
    let t = resolve_uri(
        "self#jumbf=/c2pa/urn:c2pa:abc.cawg./c2pa.assertions/c2pa.hash.data",
        "urn:c2pa:abc.cawg.",
        &labels,
    );
    assert_eq!(
        t,
        Some(Target::Assertion {
            manifest: "urn:c2pa:abc.cawg.".into(),
            label: "c2pa.hash.data".into()
        })
    );
}

#[test]
fn uris_resolve_exactly_or_not_at_all() {
    let labels = HashSet::from(["urn:a", "urn:a/b"]);
    // relative
    assert_eq!(
        resolve_uri("self#jumbf=c2pa.assertions/x", "urn:a", &labels),
        Some(Target::Assertion {
            manifest: "urn:a".into(),
            label: "x".into()
        })
    );
    // absolute, with and without the leading slash
    assert_eq!(
        resolve_uri("self#jumbf=c2pa/urn:a/c2pa.signature", "urn:z", &labels),
        Some(Target::Signature("urn:a".into()))
    );
    // a label with a slash makes `/c2pa/urn:a/b/...` ambiguous: nothing is resolved
    assert_eq!(
        resolve_uri("self#jumbf=/c2pa/urn:a/b/c2pa.signature", "urn:a", &labels),
        None
    );
    // unknown manifest, unknown store, nested path
    assert_eq!(
        resolve_uri("self#jumbf=/c2pa/urn:q/c2pa.signature", "urn:a", &labels),
        None
    );
    assert_eq!(
        resolve_uri("self#jumbf=c2pa.other/x", "urn:a", &labels),
        None
    );
    assert_eq!(
        resolve_uri("self#jumbf=c2pa.assertions/x/y", "urn:a", &labels),
        None
    );
    assert_eq!(resolve_uri("https://example.com/x", "urn:a", &labels), None);
}

#[test]
fn base_labels() {
    assert_eq!(base_label("c2pa.hash.data__12"), "c2pa.hash.data");
    assert_eq!(base_label("c2pa.hash.data"), "c2pa.hash.data");
    assert_eq!(base_label("cawg.identity__x"), "cawg.identity__x");
    assert!(is_hard_binding("c2pa.hash.bmff.v2"));
    assert!(!is_hard_binding("c2pa.hash.data.part"));
}

#[test]
fn too_many_assertions_are_refused() {
    let mut list = Vec::new();
    for i in 0..(MAX_CLAIM_ASSERTIONS + 1) {
        list.push(map(vec![
            ("url", text(&format!("self#jumbf=c2pa.assertions/a{i}"))),
            ("hash", Value::Bytes(vec![0; 32])),
        ]));
    }
    let claim = map(vec![
        ("signature", text("self#jumbf=c2pa.signature")),
        ("created_assertions", Value::Array(list)),
    ]);
    let st = superbox(
        "c2pa",
        &[superbox(
            "urn:c2pa:big",
            &[superbox("c2pa.claim.v2", &[bx(b"cbor", &cbor(&claim))])],
        )],
    );
    let s = parse_store(&st);
    assert!(s
        .problems
        .iter()
        .any(|p| p.code == "provcheck.limit.assertions"));
}

#[test]
fn hostile_bytes_do_not_panic() {
    let mut seed = 0x9e3779b97f4a7c15u64;
    let good = store("urn:c2pa:good", false, false);
    for n in 0..3000usize {
        let mut bytes: Vec<u8> = if n % 2 == 0 {
            good.clone()
        } else {
            vec![0; n % 300]
        };
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if !bytes.is_empty() {
                let i = (seed as usize) % bytes.len();
                bytes[i] = (seed >> 32) as u8;
            }
        }
        let _ = parse_store(&bytes);
        let _ = timestamp_tokens(&bytes);
        let _ = crate::read::cose::token_certificates(&bytes);
        let _ = contains_c2pa_jumbf(&bytes);
    }
}

#[test]
fn box_with_oversized_length_is_ignored() {
    let data = [
        0xff, 0xff, 0xff, 0xff, b'j', b'u', b'm', b'b', 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    assert!(parse_store(&data).manifests.is_empty());
}

#[test]
fn duplicated_manifests_and_signature_boxes_are_reported() {
    // two manifests with one label: the second is not used, and it is reported
    let one = store("urn:c2pa:twice", false, false);
    // unwrap the store superbox: its payload after jumd is the manifest box
    let manifest_box = {
        let jumd_len = u32::from_be_bytes(one[8..12].try_into().unwrap()) as usize;
        one[8 + jumd_len..].to_vec()
    };
    let doubled = superbox("c2pa", &[manifest_box.clone(), manifest_box]);
    let s = parse_store(&doubled);
    assert_eq!(s.manifests.len(), 1);
    assert!(s
        .problems
        .iter()
        .any(|p| p.code == "provcheck.manifest.duplicateBox"));

    // a manifest with two c2pa.signature boxes: no signature is taken from it
    let claim = map(vec![("signature", text("self#jumbf=c2pa.signature"))]);
    let two_sigs = superbox(
        "c2pa",
        &[superbox(
            "urn:c2pa:sigs",
            &[
                superbox("c2pa.claim.v2", &[bx(b"cbor", &cbor(&claim))]),
                superbox("c2pa.signature", &[bx(b"cbor", &[1])]),
                superbox("c2pa.signature", &[bx(b"cbor", &[2])]),
            ],
        )],
    );
    let s = parse_store(&two_sigs);
    assert!(s.get("urn:c2pa:sigs").unwrap().signature.is_none());
    assert!(s
        .problems
        .iter()
        .any(|p| p.code == "provcheck.manifest.duplicateBox"));
}

#[test]
fn claim_thumbnail_labels_by_their_parts() {
    for l in [
        "c2pa.thumbnail.claim",
        "c2pa.thumbnail.claim.jpeg",
        "c2pa.thumbnail.claim.png__2",
    ] {
        assert!(is_claim_thumbnail(l), "{l}");
    }
    for l in [
        "c2pa.thumbnail.claimed",
        "c2pa.thumbnail.claim.",
        "c2pa.thumbnail.claim.jpeg.x",
        "c2pa.thumbnail.ingredient.jpeg",
        "x.c2pa.thumbnail.claim",
    ] {
        assert!(!is_claim_thumbnail(l), "{l}");
    }
}

/// An ingredient assertion taking in the manifest `label` (its `c2pa_manifest`; the hash is not
/// provcheck's to check), recording `failures` as (code, URL relative to that manifest).
fn ingredient(label: &str, failures: &[(&str, &str)]) -> Vec<u8> {
    ingredient_as("c2pa.ingredient.v2", label, failures)
}

/// [`ingredient`] with its own assertion label (a second ingredient: `c2pa.ingredient.v2__1`).
fn ingredient_as(assertion: &str, label: &str, failures: &[(&str, &str)]) -> Vec<u8> {
    let status: Vec<Value> = failures
        .iter()
        .map(|(code, url)| map(vec![("code", text(code)), ("url", text(url))]))
        .collect();
    let v = map(vec![
        (
            "c2pa_manifest",
            map(vec![
                ("url", text(&format!("self#jumbf=/c2pa/{label}"))),
                ("hash", Value::Bytes(vec![0; 32])),
            ]),
        ),
        ("validationStatus", Value::Array(status)),
    ]);
    superbox(assertion, &[bx(b"cbor", &cbor(&v))])
}

fn redacts(urls: &[&str]) -> Vec<(&'static str, Value)> {
    let list = urls.iter().map(|u| text(u)).collect();
    vec![("redacted_assertions", Value::Array(list))]
}

/// The store's active manifest `urn:active` (intact), with `extra` assertions and claim fields.
fn active_manifest(extra: &[Vec<u8>], claim_extra: Vec<(&str, Value)>) -> Vec<u8> {
    manifest("urn:active", false, false, extra, claim_extra)
}

const ING_DATA: &str = "self#jumbf=/c2pa/urn:ing/c2pa.databoxes/c2pa.data";

fn mismatches(s: &Store) -> Vec<(Option<&str>, Option<&str>)> {
    s.problems
        .iter()
        .filter(|p| p.code == "assertion.hashedURI.mismatch")
        .map(|p| (p.manifest.as_deref(), p.url.as_deref()))
        .collect()
}

/// C2PA 2.x "Redaction of assertions": a manifest may redact what it took in, so a changed box
/// of an ingredient manifest that the active manifest lists as redacted is not a mismatch.
#[test]
fn a_redaction_by_the_manifest_that_took_the_ingredient_in_counts() {
    // the redacted data box left in place with its content zeroed
    let mut ing = manifest("urn:ing", true, false, &[], vec![]);
    let evil = cbor(&map(vec![("x", text("evil"))]));
    let at = ing.windows(evil.len()).position(|w| w == evil).unwrap();
    ing[at..at + evil.len()].fill(0);
    let active = active_manifest(&[ingredient("urn:ing", &[])], redacts(&[ING_DATA]));
    let s = parse_store(&superbox("c2pa", &[ing.clone(), active]));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    // the same store without the redaction: the changed box is reported
    let active = active_manifest(&[ingredient("urn:ing", &[])], vec![]);
    let s = parse_store(&superbox("c2pa", &[ing, active]));
    assert_eq!(mismatches(&s).len(), 1);
}

/// A manifest nothing references (a forger can add one to a store unsigned) redacts nothing: a
/// forger listing the data box they replaced there must not hide the change (this read
/// `authentic` on an authentic Adobe PNG whose data box was replaced, tests/suite/attacks.rs). Nor
/// may a manifest redact its own assertions, or an ingredient's it did not take in.
#[test]
fn a_redaction_outside_the_provenance_chain_or_of_its_own_boxes_does_not_count() {
    let orphan = manifest("urn:orphan", false, false, &[], redacts(&[ING_DATA]));
    let ing = manifest("urn:ing", true, false, &[], vec![]);
    let active = active_manifest(&[ingredient("urn:ing", &[])], vec![]);
    let s = parse_store(&superbox("c2pa", &[orphan, ing.clone(), active]));
    assert_eq!(
        mismatches(&s),
        vec![(Some("urn:ing"), Some("self#jumbf=c2pa.databoxes/c2pa.data"))],
        "{:?}",
        s.problems
    );
    // self-redaction: the active manifest's own changed data box
    let own = "self#jumbf=/c2pa/urn:active/c2pa.databoxes/c2pa.data";
    let active = manifest("urn:active", true, false, &[], redacts(&[own]));
    let s = parse_store(&superbox("c2pa", &[active]));
    assert_eq!(mismatches(&s).len(), 1, "{:?}", s.problems);
    // a manifest of the chain redacting a box of a manifest it did not take in (the store's
    // active manifest takes in `urn:other` and `urn:ing`; `urn:other` redacts in `urn:ing`)
    let other = manifest("urn:other", false, false, &[], redacts(&[ING_DATA]));
    let active = active_manifest(
        &[
            ingredient("urn:ing", &[]),
            ingredient_as("c2pa.ingredient.v2__1", "urn:other", &[]),
        ],
        vec![],
    );
    let s = parse_store(&superbox("c2pa", &[ing, other, active]));
    assert_eq!(mismatches(&s).len(), 1, "{:?}", s.problems);
}

/// Failures recorded in an ingredient assertion count only from the active manifest's
/// provenance: a manifest nothing references records nothing (c2pa-rs pull request 2686 closes
/// the same gap in the SDK's filtering).
#[test]
fn failures_recorded_outside_the_provenance_chain_are_not_kept() {
    let recorded = [("assertion.hashedURI.mismatch", ING_DATA)];
    let ing = manifest("urn:ing", true, false, &[], vec![]);
    let orphan = manifest(
        "urn:orphan",
        false,
        false,
        &[ingredient("urn:ing", &recorded)],
        vec![],
    );
    let active = active_manifest(&[ingredient("urn:ing", &[])], vec![]);
    let s = parse_store(&superbox("c2pa", &[orphan, ing.clone(), active]));
    assert!(s.recorded.is_empty(), "{:?}", s.recorded);
    let active = active_manifest(&[ingredient("urn:ing", &recorded)], vec![]);
    let s = parse_store(&superbox("c2pa", &[ing, active]));
    let want = Target::DataBox {
        manifest: "urn:ing".into(),
        label: "c2pa.data".into(),
    };
    assert!(s
        .recorded
        .contains(&("assertion.hashedURI.mismatch".to_string(), want)));
}

/// A box left at a redacted place must hold only zero bytes (C2PA 2.x 15.11.3.3.1, c2pa-rs pull
/// request 2527): content planted there is reported, not excused as redacted, even when the
/// manifest that took the ingredient in lists it.
#[test]
fn a_redacted_place_holding_data_is_not_redacted() {
    let ing = manifest("urn:ing", true, false, &[], vec![]);
    let active = active_manifest(&[ingredient("urn:ing", &[])], redacts(&[ING_DATA]));
    let s = parse_store(&superbox("c2pa", &[ing, active]));
    let codes: Vec<&str> = s.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, vec!["assertion.notRedacted"], "{:?}", s.problems);
}
