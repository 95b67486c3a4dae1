//! Runs every file of the shared corpus (`../shared/corpus`) through provcheck and compares with
//! the decided answers in `conformance/EXPECTED.tsv`, `generators/EXPECTED.tsv` and
//! `multipart/EXPECTED.tsv`.
//!
//! A row that disagrees must be listed, with its reason and both values, in
//! `tests/expected-exceptions.tsv`; an entry excuses only the exact (expected, provcheck) pair it
//! names, and one that no longer disagrees as written fails the test too (so the list stays
//! true). Without `../shared/corpus` the tests print a loud SKIPPED line, or fail when
//! `PROVCHECK_REQUIRE_CORPUS=1` (as in `.ci/run`).

use crate::common::corpus as test_support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{TimeZone, Utc};
use provcheck::Report;
use provcheck::{Verdict, Verifier, VerifierOptions};
use test_support::{corpus, read_tsv, read_tsv_str};

/// The day the EXPECTED files were made: certificate validity without a trusted time-stamp is
/// judged then, so the answers do not drift as leaves expire.
fn verifier() -> Verifier {
    Verifier::new({
        let mut o = VerifierOptions::default();
        o.at = Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap());
        o
    })
    .expect("verifier")
}

/// One row of tests/expected-exceptions.tsv: it excuses exactly this (corpus, path, field,
/// expected, provcheck) disagreement and nothing else.
type Exception = (String, String, String, String, String);

/// Every exception, with its reason.
fn exceptions() -> BTreeMap<Exception, String> {
    let mut out = BTreeMap::new();
    for row in read_tsv_str(
        "tests/expected-exceptions.tsv",
        include_str!("../expected-exceptions.tsv"),
    ) {
        let col = |c: &str| {
            let v = row
                .get(c)
                .unwrap_or_else(|| panic!("expected-exceptions.tsv: no column {c}"));
            assert!(
                !v.is_empty(),
                "expected-exceptions.tsv: empty {c} in {row:?}"
            );
            v.clone()
        };
        let key = (
            col("corpus"),
            col("path"),
            col("field"),
            col("expected"),
            col("provcheck"),
        );
        let reason = col("reason");
        assert!(
            out.insert(key.clone(), reason).is_none(),
            "expected-exceptions.tsv lists {key:?} twice"
        );
    }
    out
}

fn integrity(r: &Report) -> &'static str {
    match r.verdict {
        Verdict::Error => "error",
        Verdict::Unsigned if r.remote_manifest.is_some() => "remote",
        Verdict::Unsigned => "no-manifest",
        Verdict::Tampered => "invalid",
        _ => "valid",
    }
}

struct Tally {
    rows: usize,
    matched: usize,
    disagreements: Vec<Exception>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            rows: 0,
            matched: 0,
            disagreements: Vec::new(),
        }
    }

    fn check(&mut self, corpus: &str, path: &str, field: &str, expected: &str, got: &str) {
        self.rows += 1;
        let ok = expected.split('|').any(|e| e == got);
        if ok {
            self.matched += 1;
        } else {
            self.disagreements.push((
                corpus.into(),
                path.into(),
                field.into(),
                expected.into(),
                got.into(),
            ));
        }
    }

    /// Fails on a disagreement that no exception names exactly (values included: an explained
    /// row whose expected or actual value changed is a new disagreement), on an exception of
    /// this corpus that no longer matches a disagreement, and when fewer than `min_pct` % of the
    /// checks match.
    fn finish(self, corpus: &str, min_pct: f64) {
        let exc = exceptions();
        let mut unexplained = Vec::new();
        for d in &self.disagreements {
            if exc.contains_key(d) {
                continue;
            }
            let mut line = format!("{}\t{}\t{}\texpected {}\tgot {}", d.0, d.1, d.2, d.3, d.4);
            for k in exc
                .keys()
                .filter(|k| (&k.0, &k.1, &k.2) == (&d.0, &d.1, &d.2))
            {
                line += &format!(
                    "\t(the exception for this row excuses expected {}, provcheck {}: update or remove it)",
                    k.3, k.4
                );
            }
            unexplained.push(line);
        }
        let stale: Vec<_> = exc
            .keys()
            .filter(|k| k.0 == corpus && !self.disagreements.contains(k))
            .collect();
        let pct = 100.0 * self.matched as f64 / self.rows as f64;
        eprintln!(
            "{corpus}: {}/{} checks match ({pct:.1} %), {} explained in tests/expected-exceptions.tsv",
            self.matched,
            self.rows,
            self.disagreements.len() - unexplained.len()
        );
        assert!(self.rows > 0, "{corpus}: no rows checked");
        assert!(
            unexplained.is_empty(),
            "rows that disagree with EXPECTED.tsv and are not in tests/expected-exceptions.tsv:\n{}",
            unexplained.join("\n")
        );
        assert!(
            stale.is_empty(),
            "exceptions that no longer disagree as written (remove or update them): {stale:?}"
        );
        assert!(
            pct >= min_pct,
            "{corpus}: only {pct:.1} % match (target {min_pct} %)"
        );
    }
}

/// The signer's organisation as read from the certificate (authenticated or not), `-` if none.
fn signer_organization(r: &Report) -> String {
    r.signature
        .as_ref()
        .and_then(|s| s.signer.as_ref())
        .and_then(|s| s.organization.clone())
        .unwrap_or_else(|| "-".into())
}

/// Checks one row of a verdict corpus (generators/, multipart/): the verdict, and where the row
/// has the column, the authenticated source and the claimed generators.
fn check_verdict_row(
    tally: &mut Tally,
    v: &Verifier,
    corpus: &str,
    dir: &Path,
    row: &HashMap<String, String>,
) {
    let path = &row["path"];
    let r = v.verify_path(&dir.join(path));
    tally.check(corpus, path, "verdict", &row["verdict"], r.verdict.as_str());
    let signer_o = signer_organization(&r);
    if let Some(expected) = row.get("authenticated_source") {
        tally.check(corpus, path, "authenticated_source", expected, &signer_o);
    }
    // when provcheck says authenticated, the authenticated organisation is the signer's
    if let Some(a) = &r.authenticated_source {
        assert_eq!(a.organization, signer_o, "{path}");
    }
    // every generator the curated description names is among the claims provcheck found
    if let Some(claimed) = row.get("claimed_source") {
        let expected_ids: Vec<String> = v.generators_named(claimed);
        for id in expected_ids {
            tally.check(
                corpus,
                path,
                "claimed_source",
                &id,
                if r.claimed_source.generators.contains(&id) {
                    &id
                } else {
                    "(not found)"
                },
            );
        }
    }
}

#[test]
fn conformance_corpus_integrity() {
    let Some(root) = corpus("conformance_corpus_integrity") else {
        return;
    };
    let v = verifier();
    let mut tally = Tally::new();
    for row in read_tsv(&root.join("conformance/EXPECTED.tsv")) {
        let path = &row["path"];
        let r = v.verify_path(&root.join("conformance").join(path));
        tally.check(
            "conformance",
            path,
            "integrity",
            &row["integrity"],
            integrity(&r),
        );
    }
    tally.finish("conformance", 95.0);
}

#[test]
fn generator_corpus_verdicts_and_sources() {
    let Some(root) = corpus("generator_corpus_verdicts_and_sources") else {
        return;
    };
    let v = verifier();
    let mut tally = Tally::new();
    let dir = root.join("generators");
    let rows = read_tsv(&dir.join("EXPECTED.tsv"));
    for column in ["verdict", "authenticated_source", "claimed_source"] {
        assert!(
            rows.first().is_some_and(|r| r.contains_key(column)),
            "generators/EXPECTED.tsv: no {column} column"
        );
    }
    for row in rows {
        check_verdict_row(&mut tally, &v, "generators", &dir, &row);
    }
    tally.finish("generators", 95.0);
}

/// Android Motion Photos bound by the C2PA 2.2 multi-asset hash, their optional video part gone
/// (../shared/corpus/multipart/README.md). Every row must be right: no percentage target, a row
/// that disagrees is either fixed or listed with its reason in tests/expected-exceptions.tsv.
#[test]
fn multipart_corpus_verdicts() {
    let Some(root) = corpus("multipart_corpus_verdicts") else {
        return;
    };
    let v = verifier();
    let mut tally = Tally::new();
    let dir = root.join("multipart");
    let rows = read_tsv(&dir.join("EXPECTED.tsv"));
    assert!(
        rows.len() >= 2,
        "multipart/EXPECTED.tsv has {} rows",
        rows.len()
    );
    for row in rows {
        check_verdict_row(&mut tally, &v, "multipart", &dir, &row);
    }
    tally.finish("multipart", 0.0);
}

/// One signed file per container format c2pa 0.90.22 reads, each must come back intact.
#[test]
fn every_supported_format_is_read() {
    let Some(root) = corpus("every_supported_format_is_read") else {
        return;
    };
    let v = verifier();
    for (format, file) in [
        ("jpeg", "conformance/jpeg/C.jpg"),
        ("png", "conformance/png/100kb-signed.png"),
        ("webp", "conformance/webp/cards_trusted.webp"),
        ("gif", "conformance/gif/100kb-signed.gif"),
        ("tiff", "conformance/tiff/100kb-signed.tiff"),
        ("dng", "conformance/dng/C.dng"),
        ("heic", "conformance/heic/trustnxt-icon-signed-v2-bmff.heic"),
        ("avif", "conformance/avif/cards_trusted.avif"),
        ("svg", "conformance/svg/100kb-signed.svg"),
        ("mp4", "conformance/mp4/video1.mp4"),
        ("wav", "conformance/wav/sample1_signed.wav"),
        ("mp3", "conformance/mp3/100kb-signed.mp3"),
        ("avi", "conformance/avi/sample.avi"),
        ("pdf", "conformance/pdf/sample.pdf"),
    ] {
        let r = v.verify_path(&root.join(file));
        assert_eq!(r.input.format, format, "{file}");
        assert!(
            r.manifest.is_some(),
            "{file}: no manifest read: {:?}",
            r.reasons
        );
        assert!(
            matches!(r.verdict, Verdict::Untrusted | Verdict::Authentic),
            "{file}: {} {:?}",
            r.verdict,
            r.reasons
        );
    }
    // formats with unsigned examples only: read, no manifest
    for (format, file) in [
        ("heif", "conformance/heif/sample1.heif"),
        ("jxl", "conformance/jxl/sample1.jxl"),
        ("mov", "conformance/mov/c.mov"),
        ("m4a", "conformance/m4a/sample1.m4a"),
        ("flac", "conformance/flac/sample1.flac"),
    ] {
        let r = v.verify_path(&root.join(file));
        assert_eq!(r.input.format, format, "{file}");
        assert_eq!(r.verdict, Verdict::Unsigned, "{file}: {:?}", r.reasons);
    }
}

/// The claims a reader sees on the real generator files: who signed and through which list.
#[test]
fn real_generator_files_name_signer_and_list() {
    let Some(root) = corpus("real_generator_files_name_signer_and_list") else {
        return;
    };
    let v = verifier();
    let r = v.verify_path(&root.join("generators/microsoft/bing_creator_cloud_surfing_puppy.jpg"));
    assert_eq!(r.verdict, Verdict::Authentic);
    let a = r.authenticated_source.as_ref().unwrap();
    assert_eq!(a.organization, "Microsoft Corporation");
    assert_eq!(a.generator.as_deref(), Some("microsoft"));
    // Microsoft chains only to the older interim list: an analyst must see that
    assert_eq!(serde_json::to_value(a.list).unwrap(), "interim-anchors");
    // the leaf expired 2024-03-31; the trusted DigiCert time-stamp is what keeps it valid
    let t = r.trust.as_ref().unwrap();
    assert_eq!(
        serde_json::to_value(t.evaluated_at_origin).unwrap(),
        "trusted-timestamp"
    );

    let r = v.verify_path(&root.join("generators/google/lady.png"));
    assert_eq!(r.verdict, Verdict::Authentic);
    let a = r.authenticated_source.as_ref().unwrap();
    assert_eq!(serde_json::to_value(a.list).unwrap(), "c2pa-trust-list");
    assert_eq!(a.generator.as_deref(), Some("google"));

    let r = v.verify_path(&root.join("generators/c2pa-test-signer/composite-dst.jpg"));
    assert_eq!(r.verdict, Verdict::Mismatched);
    assert!(r.codes().any(|c| c == "provcheck.claim.unbacked"));
    assert!(r.authenticated_source.is_none());
}
