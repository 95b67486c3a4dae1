//! Assertions provcheck's own validation path has no rule of its own for (issue 14). When the
//! SDK reads a manifest it turns every such CBOR assertion into JSON (`Manifest::from_store`),
//! and one that does not turn into JSON makes it fail to load the manifest
//! (`assertion.required.missing`, "Failed to load manifest"). The own path must give the SDK's
//! report for such a file, not call it clean, and must keep the unusual-but-decodable ones.

use crate::common;
use crate::own_path;

use coset::cbor::value::Value;

use common::*;
use own_path::{judge, judge_changed};
use provcheck::Verdict;

/// A JPEG signed by a throw-away chain with one more assertion, `com.example.probe`: `value`.
fn signed_with(value: Value) -> Vec<u8> {
    signed_with_assertion("com.example.probe", value)
}

/// A JPEG signed by a throw-away chain with one more assertion, `label`: `value`.
fn signed_with_assertion(label: &str, value: Value) -> Vec<u8> {
    let (leaf, root) = acme_chain();
    signed_with_cbor_assertion(&leaf, &root, label, value)
}

/// A one-entry map with key `key`.
fn keyed(key: Value) -> Value {
    Value::Map(vec![(key, Value::Text("v".into()))])
}

fn codes(r: &provcheck::Report) -> Vec<String> {
    r.reasons.iter().map(|r| r.code.clone()).collect()
}

#[test]
fn an_assertion_the_sdk_cannot_decode_gets_its_report() {
    // JSON has no such keys: serde_json refuses them, so the SDK loads no manifest
    for (what, value) in [
        ("byte-string key", keyed(Value::Bytes(vec![1, 2]))),
        ("array key", keyed(Value::Array(vec![]))),
        ("null key", keyed(Value::Null)),
    ] {
        let (own, sdk) = judge(&signed_with(value), "image.jpg", what);
        assert_eq!(own.validated_by.as_deref(), Some("c2pa"), "{what}");
        assert!(
            codes(&sdk)
                .iter()
                .any(|c| c == "assertion.required.missing"),
            "{what}: {:?}",
            codes(&sdk)
        );
    }
}

#[test]
fn unusual_assertions_the_sdk_decodes_stay_on_the_own_path() {
    let mut nested = Value::Integer(1.into());
    for _ in 0..100 {
        nested = Value::Array(vec![nested]);
    }
    for (what, value) in [
        ("integer key", keyed(Value::Integer(1.into()))),
        ("negative integer key", keyed(Value::Integer((-7).into()))),
        ("boolean key", keyed(Value::Bool(true))),
        ("float key", keyed(Value::Float(1.5))),
        (
            "tagged value",
            Value::Tag(1, Box::new(Value::Integer(5.into()))),
        ),
        ("NaN", Value::Float(f64::NAN)),
        ("byte string", Value::Bytes(vec![0; 300])),
        ("100 nested arrays", nested),
    ] {
        let (own, _) = judge(&signed_with(value), "image.jpg", what);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
        assert_eq!(codes(&own), ["provcheck.signer.untrusted"], "{what}");
    }
}

#[test]
fn a_metadata_assertion_the_sdk_cannot_decode_gets_its_report() {
    // the SDK decodes `*.metadata` into its `Metadata` type, which needs an `@context` map: a
    // v1 claim's metadata assertion without one fails the manifest there
    let (leaf, root) = acme_chain();
    let definition = created_manifest_json(
        1,
        serde_json::json!({}),
        &[serde_json::json!({ "label": "com.example.metadata", "data": { "dateTime": 5 } })],
    );
    let data = sign(&plain_jpeg(), "jpg", &definition, &[&leaf, &root]);
    let (own, sdk) = judge(&data, "image.jpg", "metadata without @context");
    assert_eq!(own.validated_by.as_deref(), Some("c2pa"));
    assert!(
        codes(&sdk)
            .iter()
            .any(|c| c == "assertion.required.missing"),
        "{:?}",
        codes(&sdk)
    );
}

fn text_map(entries: &[(&str, &str)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (Value::Text((*k).into()), Value::Text((*v).into())))
            .collect(),
    )
}

#[test]
fn assertions_the_sdk_decodes_into_its_own_types_get_its_report() {
    // c2pa's Builder writes these labels as given, except an ingredient's, which it writes as
    // the v1 label `c2pa.ingredient`
    for (what, label, value, sdk_code) in [
        (
            "claim thumbnail that is CBOR, not an embedded file",
            "c2pa.thumbnail.claim.jpeg",
            text_map(&[("a", "b")]),
            "assertion.required.missing",
        ),
        (
            "ingredient without the fields of its version",
            "c2pa.ingredient",
            text_map(&[("x", "y")]),
            "general.error",
        ),
        (
            "v1 ingredient without a relationship",
            "c2pa.ingredient",
            text_map(&[
                ("dc:title", "a.jpg"),
                ("dc:format", "image/jpeg"),
                ("instanceID", "xmp:iid:1"),
            ]),
            "general.error",
        ),
        (
            "v1 ingredient without an instanceID",
            "c2pa.ingredient",
            text_map(&[
                ("dc:title", "a.jpg"),
                ("dc:format", "image/jpeg"),
                ("relationship", "componentOf"),
            ]),
            "general.error",
        ),
    ] {
        // the same report on both paths (the SDK may read no store at all)
        let own = judge_changed(&signed_with_assertion(label, value), "image.jpg", what);
        assert_ne!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
        assert!(
            codes(&own).iter().any(|c| c == sdk_code),
            "{what}: {:?}",
            codes(&own)
        );
    }
    // the same ingredient with every field its version requires stays on the own path
    let complete = text_map(&[
        ("dc:title", "a.jpg"),
        ("dc:format", "image/jpeg"),
        ("instanceID", "xmp:iid:1"),
        ("relationship", "componentOf"),
    ]);
    let (own, _) = judge(
        &signed_with_assertion("c2pa.ingredient", complete),
        "image.jpg",
        "complete v1 ingredient",
    );
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
}

/// A JPEG with a claim of `version` whose `c2pa.created` action carries `"when": "ab"`, then
/// edited by `edit` (the actions superbox's payload, same length) and signed again with the same
/// key.
fn actions_edited(version: u8, edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let (leaf, root) = acme_chain();
    let definition = created_manifest_json(version, serde_json::json!({ "when": "ab" }), &[]);
    let signed = sign(&plain_jpeg(), "jpg", &definition, &[&leaf, &root]);
    // c2pa's Builder writes the v2 actions label into a v1 claim too
    let label = if signed.windows(16).any(|w| w == b"c2pa.actions.v2\0") {
        "c2pa.actions.v2"
    } else {
        "c2pa.actions"
    };
    edit_assertion_and_resign(&signed, "jpg", label, edit, &leaf)
}

/// The position of `"when": "ab"`'s text (c2pa writes it as a tag-0 date-time) in an actions
/// assertion.
fn when_value(cbor: &[u8]) -> usize {
    let key = b"\x64when\xc0\x62ab";
    cbor.windows(key.len())
        .position(|w| w == key)
        .expect("the action's `when`")
        + 6
}

#[test]
fn an_action_field_of_the_wrong_type_gets_the_sdk_report() {
    for version in [1, 2] {
        // the re-signing itself leaves a file both paths find intact
        let same_type = actions_edited(version, |cbor| {
            let at = when_value(cbor);
            cbor[at + 1..at + 3].copy_from_slice(b"cd");
        });
        let what = format!("v{version} claim, re-signed, `when` still text");
        let (own, _) = judge(&same_type, "image.jpg", &what);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
        assert_eq!(codes(&own), ["provcheck.signer.untrusted"], "{what}");
        // `when` as an integer (a two-byte unsigned, the same length): the SDK's `Actions`
        // refuses it and fails the manifest
        let wrong_type = actions_edited(version, |cbor| {
            let at = when_value(cbor);
            cbor[at..at + 3].copy_from_slice(&[0x19, 0x00, 0x40]);
        });
        let what = format!("v{version} claim, `when` an integer");
        let own = judge_changed(&wrong_type, "image.jpg", &what);
        assert_ne!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
        // the SDK's own finding, not a clean file by an unknown signer
        assert_ne!(codes(&own), ["provcheck.signer.untrusted"], "{what}");
    }
}

/// A JPEG with one more assertion, `com.example.probe`: the text `"abc"`, whose superbox payload
/// `edit` then changes (same length) before it is signed again with the same key.
fn probe_edited(edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    assertion_edited("com.example.probe", edit)
}

/// A JPEG like [`probe_edited`]'s whose assertion `label` `edit` changes before it is signed
/// again.
fn assertion_edited(label: &str, edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let (leaf, root) = acme_chain();
    let signed =
        signed_with_cbor_assertion(&leaf, &root, "com.example.probe", Value::Text("abc".into()));
    edit_assertion_and_resign(&signed, "jpg", label, edit, &leaf)
}

#[test]
fn a_data_hash_the_sdk_cannot_decode_gets_its_report() {
    // the key `name` made the integer -13: the SDK's `DataHash` (which the binding check decodes)
    // refuses the map, while the bytes that followed still read as a map holding the hash the
    // own path needs
    let data = assertion_edited("c2pa.hash.data", |p: &mut [u8]| {
        let at = find(p, b"\x64name");
        p[at] = 0x2c;
    });
    let own = judge_changed(&data, "image.jpg", "data hash with an integer key");
    assert_ne!(own.validated_by.as_deref(), Some("provcheck"));
    assert_ne!(codes(&own), ["provcheck.signer.untrusted"]);
}

/// Where `needle` starts in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("bytes to edit")
}

#[test]
fn an_assertion_box_the_sdk_loads_otherwise_gets_its_report() {
    // re-signed unchanged: both paths find it intact, on the own path
    let (own, _) = judge(&probe_edited(|_| {}), "image.jpg", "re-signed unchanged");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert_eq!(codes(&own), ["provcheck.signer.untrusted"]);
    for (what, edit) in [
        (
            // the text "a" followed by two bytes that are no part of it: the SDK's loader
            // refuses CBOR with anything after its one item (`assertion.cbor.invalid`)
            "bytes after the CBOR item",
            Box::new(|p: &mut [u8]| {
                let at = find(p, b"\x63abc");
                p[at] = 0x61;
            }) as Box<dyn FnOnce(&mut [u8])>,
        ),
        (
            // a description typed JSON over a CBOR box: the SDK's loader takes the content by
            // the type and finds no JSON box
            "JSON type, CBOR content",
            Box::new(|p: &mut [u8]| {
                let at = find(p, b"jumd") + 4;
                p[at..at + 4].copy_from_slice(b"json");
            }),
        ),
    ] {
        let own = judge_changed(&probe_edited(edit), "image.jpg", what);
        assert_ne!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
        assert_ne!(codes(&own), ["provcheck.signer.untrusted"], "{what}");
    }
}

/// A v1 claim's `metadata` that is no array of metadata maps (c2pa's Builder writes none in a
/// v1 claim; older SDKs wrote an array, the CAWG conformance files carry one): the SDK reads
/// the field leniently (what does not decode is taken as absent) and validates it nowhere, so
/// the file stays on the own path with the SDK's report. Made by renaming the claim's
/// `dc:title` (as long as `metadata`) and signing the claim again.
#[test]
fn a_v1_claim_metadata_of_any_shape_stays_on_the_own_path() {
    let (leaf, root) = acme_chain();
    let mut definition: serde_json::Value = serde_json::from_str(&created_manifest_json(
        1,
        serde_json::json!({ "softwareAgent": "Acme Imagine" }),
        &[],
    ))
    .unwrap();
    // nine bytes that are nine CBOR items (each `!` the integer -2) once the text header
    // becomes an array header
    definition["title"] = "!!!!!!!!!".into();
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &definition.to_string(),
        &[&leaf, &root],
    );
    let (own, _) = judge(&signed, "image.jpg", "v1 claim");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    for (what, header) in [("metadata text", 0x69u8), ("metadata array", 0x89)] {
        let changed = edit_claim_and_resign(
            &signed,
            "jpg",
            |claim: &mut [u8]| {
                let at = find(claim, b"\x68dc:title\x69!!!!!!!!!");
                claim[at + 1..at + 9].copy_from_slice(b"metadata");
                claim[at + 9] = header;
            },
            &leaf,
        );
        let (own, _) = judge(&changed, "image.jpg", what);
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
    }
}

/// A generator-info entry the SDK cannot decode into its `ClaimGeneratorInfo` (a `version` or an
/// `operating_system` that is an array, not text): the SDK drops a v1 claim's whole list
/// (its lenient decoding) and fails a v2 claim; either way the file gets the SDK's report. Made by
/// retyping the text in place (an array of the same length) and signing the claim again.
#[test]
fn a_generator_info_the_sdk_cannot_decode_gets_its_report() {
    let (leaf, root) = acme_chain();
    for version in [1u8, 2] {
        let mut definition: serde_json::Value = serde_json::from_str(&created_manifest_json(
            version,
            serde_json::json!({ "softwareAgent": "Acme Imagine" }),
            &[],
        ))
        .unwrap();
        definition["claim_generator_info"][0]["operating_system"] = "Linux".into();
        let signed = sign(
            &plain_jpeg(),
            "jpg",
            &definition.to_string(),
            &[&leaf, &root],
        );
        let (own, _) = judge(&signed, "image.jpg", "intact");
        assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "v{version}");
        for (field, text) in [
            ("version", &b"\x651.0.0"[..]),
            ("operating_system", b"\x65Linux"),
        ] {
            let what = format!("v{version} claim, {field} an array");
            let changed = edit_claim_and_resign(
                &signed,
                "jpg",
                |claim: &mut [u8]| {
                    // an array of five integers, as long as the text it replaces
                    let at = find(claim, text);
                    claim[at..at + 6].copy_from_slice(b"\x85\x01\x02\x03\x04\x05");
                },
                &leaf,
            );
            // the two paths' reports must be equal (the SDK reads no store from the v2 ones)
            let own = judge_changed(&changed, "image.jpg", &what);
            assert_ne!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
            // a v1 claim keeps its verdict without the list; a v2 claim does not load at all
            let want = if version == 1 {
                Verdict::Untrusted
            } else {
                Verdict::Error
            };
            assert_eq!(own.verdict, want, "{what}: {:?}", codes(&own));
        }
    }
}

/// A JPEG signed with a v`version` claim whose generator has an icon (c2pa's Builder writes it
/// as a `c2pa.icon` assertion and a hashed URI to it, as OpenAI's current output carries).
fn signed_with_icon(version: u8, leaf: &CertKey, root: &CertKey) -> Vec<u8> {
    let mut definition: serde_json::Value = serde_json::from_str(&created_manifest_json(
        version,
        serde_json::json!({ "softwareAgent": "Acme Imagine" }),
        &[],
    ))
    .unwrap();
    definition["claim_generator_info"][0]["icon"] =
        serde_json::json!({ "format": "image/png", "identifier": "icon.png" });
    sign_with_opts(
        &plain_jpeg(),
        "jpg",
        &definition.to_string(),
        &[leaf, root],
        &SignOpts {
            resources: vec![("icon.png".into(), plain_png())],
            ..SignOpts::default()
        },
    )
    .unwrap()
}

/// A generator icon naming its assertion with that assertion's hash stays on the own path;
/// one whose hash or address was changed (and the claim signed again) gets the SDK's report
/// (`assertion.hashedURI.mismatch`; no manifest for an icon that names no assertion).
#[test]
fn a_generator_icon_gets_the_sdk_report() {
    let (leaf, root) = acme_chain();
    // a v1 claim's icon the Builder puts in a data box, which the own path leaves to the SDK
    let (own, _) = judge(&signed_with_icon(1, &leaf, &root), "image.jpg", "v1 icon");
    assert_eq!(own.validated_by.as_deref(), Some("c2pa"));
    let signed = signed_with_icon(2, &leaf, &root);
    let what = "v2 claim with an icon";
    let (own, _) = judge(&signed, "image.jpg", what);
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
    // the generator info comes before the assertion list in the claim: the first URL and
    // hash naming the icon are the icon's own
    let hash_changed = edit_claim_and_resign(
        &signed,
        "jpg",
        |claim: &mut [u8]| {
            let at = find(claim, b"c2pa.icon");
            let hash = at + find(&claim[at..], b"\x58\x20") + 2;
            claim[hash] ^= 1;
        },
        &leaf,
    );
    let own = judge_changed(&hash_changed, "image.jpg", what);
    assert_ne!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
    assert!(
        codes(&own).contains(&"assertion.hashedURI.mismatch".to_string()),
        "{what}: {:?}",
        codes(&own)
    );
    let elsewhere = edit_claim_and_resign(
        &signed,
        "jpg",
        |claim: &mut [u8]| {
            let at = find(claim, b"c2pa.icon");
            claim[at + 8] = b'o';
        },
        &leaf,
    );
    let own = judge_changed(&elsewhere, "image.jpg", what);
    assert_ne!(own.validated_by.as_deref(), Some("provcheck"), "{what}");
}
