//! Re-signed mutants (issue 14): one byte of an assertion changed and the file signed again
//! with the same throw-away key, so that every hash and the signature still verify and only the
//! decoding of the assertion is left to tell the two paths apart. The one-byte mutants of
//! tests/suite/differential.rs break a hash and mostly test the declining; these test what the own
//! path makes of content a forger's own tool signs (a field of another type, a box of another
//! kind, a broken CBOR item). Each must get the SDK's report, field for field.

use crate::common;
use crate::own_path;

use coset::cbor::value::Value;

use common::*;
use own_path::{comparable, fixed_time, verifier};
use provcheck::Verifier;

/// Mutants per (file, assertion).
const MUTANTS: usize = 60;

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// An assertion of the shapes generator output carries: text, integers, an array, a byte
/// string, a nested map.
fn probe_value() -> Value {
    let t = |s: &str| Value::Text(s.into());
    Value::Map(vec![
        (t("name"), t("Acme Imagine")),
        (t("count"), Value::Integer(3.into())),
        (
            t("list"),
            Value::Array(vec![t("a"), Value::Integer(70_000.into())]),
        ),
        (t("bytes"), Value::Bytes(vec![7; 12])),
        (
            t("nested"),
            Value::Map(vec![(t("flag"), Value::Bool(true))]),
        ),
    ])
}

/// A base file: what it is, its format, its bytes, the labels of the active manifest's
/// assertions to change, the signing certificate and key.
type Base = (
    &'static str,
    &'static str,
    Vec<u8>,
    Vec<&'static str>,
    CertKey,
);

/// The files to change.
fn bases() -> Vec<Base> {
    let (leaf, root) = acme_chain();
    let chain = [&leaf, &root];
    let with_probe = |version: u8, format: &str| {
        let definition = created_manifest_json(
            version,
            serde_json::json!({
                "softwareAgent": { "name": "Acme Imagine", "version": "2.1" },
                "when": "2026-11-01T00:00:00Z"
            }),
            &[],
        );
        let plain = if format == "png" {
            plain_png()
        } else {
            plain_jpeg()
        };
        sign_with_opts(
            &plain,
            format,
            &definition,
            &chain,
            &SignOpts {
                cbor_assertions: vec![("com.example.probe".into(), probe_value())],
                ..SignOpts::default()
            },
        )
        .unwrap()
    };
    let parent = sign(
        &plain_jpeg(),
        "jpg",
        &manifest_json(
            "parent.jpg",
            "Acme Imagine",
            None,
            Some(DST_TRAINED_ALGORITHMIC_MEDIA),
        ),
        &chain,
    );
    let edit = sign_with_parent(
        &parent,
        "jpg",
        &manifest_json("edit.jpg", "Acme Edit", None, None),
        &chain,
    );
    vec![
        (
            "v2 claim",
            "jpg",
            with_probe(2, "jpg"),
            vec!["c2pa.actions.v2", "com.example.probe", "c2pa.hash.data"],
            leaf.clone(),
        ),
        (
            "v1 claim",
            "jpg",
            with_probe(1, "jpg"),
            vec!["c2pa.actions.v2", "com.example.probe"],
            leaf.clone(),
        ),
        (
            "PNG, v2 claim",
            "png",
            with_probe(2, "png"),
            vec!["c2pa.actions.v2", "com.example.probe", "c2pa.hash.data"],
            leaf.clone(),
        ),
        (
            "edit of a signed parent",
            "jpg",
            edit,
            vec!["c2pa.ingredient.v3", "c2pa.actions.v2"],
            leaf,
        ),
    ]
}

/// The re-signed mutants of one test: how many, how many the own path still judged, and those
/// whose two reports differ.
#[derive(Default)]
struct Tally {
    total: usize,
    still_own: usize,
    bad: Vec<String>,
}

impl Tally {
    /// Judge mutant `m` (a `format` file; a PNG gets its chunks' CRCs as the signer's tool
    /// writes them) with both paths and record the outcome.
    fn judge(&mut self, own: &Verifier, sdk: &Verifier, mut m: Vec<u8>, format: &str, what: &str) {
        if format == "png" {
            fix_png_crcs(&mut m);
        }
        let name = format!("image.{format}");
        let a = own.verify_bytes(&m, Some(name.as_str()));
        let b = sdk.verify_bytes(&m, Some(name.as_str()));
        self.total += 1;
        if a.validated_by.as_deref() == Some("provcheck") {
            self.still_own += 1;
        }
        if comparable(&a) != comparable(&b) {
            let codes = |r: &provcheck::Report| {
                r.reasons.iter().map(|r| r.code.clone()).collect::<Vec<_>>()
            };
            self.bad.push(format!(
                "{what}: own path {:?}: own {:?} {:?}, SDK {:?} {:?}",
                a.validated_by,
                a.verdict,
                codes(&a),
                b.verdict,
                codes(&b)
            ));
        }
    }

    /// Every mutant got the SDK's report, and enough of them exercised the own path, not only
    /// its declining.
    fn finish(self, kind: &str) {
        let Tally {
            total,
            still_own,
            bad,
        } = self;
        eprintln!(
            "{total} re-signed {kind}, {still_own} still judged by the own path, {} differ",
            bad.len()
        );
        for b in bad.iter().take(20) {
            eprintln!("{b}");
        }
        assert!(
            bad.is_empty(),
            "{} {kind} got a different report",
            bad.len()
        );
        assert!(still_own >= total / 10, "only {still_own} of {total}");
    }
}

#[test]
fn resigned_assertion_mutants_get_the_sdk_report() {
    let own = verifier(true, fixed_time());
    let sdk = verifier(false, fixed_time());
    let mut tally = Tally::default();
    for (fi, (what, format, data, labels, leaf)) in bases().into_iter().enumerate() {
        let name = format!("image.{format}");
        let name = Some(name.as_str());
        // every base file starts on the own path, with the SDK's report
        let a = own.verify_bytes(&data, name);
        let b = sdk.verify_bytes(&data, name);
        assert_eq!(a.validated_by.as_deref(), Some("provcheck"), "{what}");
        assert_eq!(comparable(&a), comparable(&b), "{what}");
        for (li, label) in labels.iter().enumerate() {
            let mut seed = 0x2545_F491_4F6C_DD1Du64 ^ (((fi as u64) << 8) | (li as u64 + 1));
            for _ in 0..MUTANTS {
                let (r1, r2) = (next(&mut seed), next(&mut seed));
                // a byte of the content (after the description box), or now and then of the
                // description box itself
                let m = edit_assertion_and_resign(
                    &data,
                    format,
                    label,
                    |p: &mut [u8]| {
                        let jumd = u32::from_be_bytes(p[..4].try_into().unwrap()) as usize;
                        let at = if r1 % 8 == 0 {
                            (r1 >> 3) as usize % jumd
                        } else {
                            jumd + (r1 >> 3) as usize % (p.len() - jumd)
                        };
                        p[at] ^= (r2 % 255 + 1) as u8;
                    },
                    &leaf,
                );
                tally.judge(&own, &sdk, m, format, &format!("{what}, {label}"));
            }
        }
    }
    tally.finish("assertion mutants");
}

/// Positions of a claim's CBOR that are not inside a 32-byte hash (a byte string of 32 bytes:
/// flipping one of those only breaks a hash, which the one-byte mutants of differential.rs
/// test already).
fn outside_hashes(claim: &[u8]) -> Vec<usize> {
    let mut in_hash = vec![false; claim.len()];
    for i in 0..claim.len().saturating_sub(33) {
        if claim[i] == 0x58 && claim[i + 1] == 0x20 {
            in_hash[i + 2..i + 34].iter_mut().for_each(|b| *b = true);
        }
    }
    (0..claim.len()).filter(|&i| !in_hash[i]).collect()
}

/// A change to a claim's CBOR, in place.
type ClaimEdit = Box<dyn Fn(&mut [u8])>;

/// The active claim's CBOR of a signed file.
fn claim_of(data: &[u8], format: &str) -> Vec<u8> {
    let mut claim = Vec::new();
    edit_claim_and_resign(
        data,
        format,
        |c: &mut [u8]| claim = c.to_vec(),
        &acme_chain().0,
    );
    claim
}

#[test]
fn resigned_claim_mutants_get_the_sdk_report() {
    let own = verifier(true, fixed_time());
    let sdk = verifier(false, fixed_time());
    let mut tally = Tally::default();
    for (fi, (what, format, data, _, leaf)) in bases().into_iter().enumerate() {
        let claim = claim_of(&data, format);
        let free = outside_hashes(&claim);
        let mut edits: Vec<ClaimEdit> = Vec::new();
        // every hash algorithm name the claim carries, one at a time, made another of the same
        // length (one the SDK knows, one it does not, another case)
        for at in claim
            .windows(6)
            .enumerate()
            .filter(|(_, w)| *w == b"sha256")
            .map(|(i, _)| i)
        {
            for to in [b"sha384", b"sha512", b"sha999", b"SHA256"] {
                edits.push(Box::new(move |c: &mut [u8]| {
                    c[at..at + 6].copy_from_slice(to)
                }));
            }
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (fi as u64 + 1);
        for _ in 0..MUTANTS * 3 {
            let (r1, r2) = (next(&mut seed), next(&mut seed));
            // mostly the claim's structure and text, now and then a hash
            let at = if r1 % 4 == 0 {
                (r1 >> 2) as usize % claim.len()
            } else {
                free[(r1 >> 2) as usize % free.len()]
            };
            edits.push(Box::new(move |c: &mut [u8]| c[at] ^= (r2 % 255 + 1) as u8));
        }
        for edit in &edits {
            let m = edit_claim_and_resign(&data, format, edit, &leaf);
            tally.judge(&own, &sdk, m, format, what);
        }
    }
    tally.finish("claim mutants");
}
