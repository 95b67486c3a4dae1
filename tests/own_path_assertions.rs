//! Assertions provcheck's own validation path has no rule of its own for (issue 14). When the
//! SDK reads a manifest it turns every such CBOR assertion into JSON (`Manifest::from_store`),
//! and one that does not turn into JSON makes it fail to load the manifest
//! (`assertion.required.missing`, "Failed to load manifest"). The own path must give the SDK's
//! report for such a file, not call it clean, and must keep the unusual-but-decodable ones.

mod common;
mod own_path;

use coset::cbor::value::Value;

use common::*;
use own_path::judge;

/// A JPEG signed by a throw-away chain with one more assertion, `com.example.probe`: `value`.
fn signed_with(value: Value) -> Vec<u8> {
    let (leaf, root) = acme_chain();
    sign_with_opts(
        &plain_jpeg(),
        "jpg",
        &manifest_json(
            "image.jpg",
            "Acme Imagine",
            Some("Acme Imagine"),
            Some(DST_TRAINED_ALGORITHMIC_MEDIA),
        ),
        &[&leaf, &root],
        &SignOpts {
            cbor_assertions: vec![("com.example.probe".into(), value)],
            ..SignOpts::default()
        },
    )
    .unwrap()
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
    let definition = serde_json::json!({
        "title": "image.jpg",
        "claim_version": 1,
        "claim_generator_info": [{ "name": "Acme Imagine", "version": "1.0.0" }],
        "assertions": [
            { "label": "c2pa.actions", "data": { "actions": [{
                "action": "c2pa.created",
                "digitalSourceType": DST_TRAINED_ALGORITHMIC_MEDIA
            }] } },
            { "label": "com.example.metadata", "data": { "dateTime": 5 } }
        ]
    });
    let data = sign(
        &plain_jpeg(),
        "jpg",
        &definition.to_string(),
        &[&leaf, &root],
    );
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
