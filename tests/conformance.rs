//! Runs every file of the shared corpus (`../shared/corpus`) through provcheck and compares with
//! the decided answers in `conformance/EXPECTED.tsv` and `generators/EXPECTED.tsv`.
//!
//! A row that disagrees must be listed, with its reason, in `tests/expected-exceptions.tsv`;
//! an exception that no longer disagrees fails the test too (so the list stays true). Without
//! `../shared/corpus` the tests print a loud SKIPPED line.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use provcheck::report::Report;
use provcheck::{Verdict, Verifier, VerifierOptions};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "\n!!!!!!!! SKIPPED: {} not found; the corpus tests did not run !!!!!!!!\n",
            p.display()
        );
        None
    }
}

/// The day the EXPECTED files were made: certificate validity without a trusted time-stamp is
/// judged then, so the answers do not drift as leaves expire.
fn verifier() -> Verifier {
    Verifier::new(VerifierOptions {
        at: Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()),
        ..Default::default()
    })
    .expect("verifier")
}

fn tsv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("read tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// (corpus, path, field) -> reason
fn exceptions() -> BTreeMap<(String, String, String), String> {
    let text = include_str!("expected-exceptions.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 6, "bad exception line: {l}");
            (
                (f[0].to_string(), f[1].to_string(), f[2].to_string()),
                f[5].to_string(),
            )
        })
        .collect()
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
    disagreements: Vec<(String, String, String, String, String)>,
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

    fn finish(self, corpus: &str) {
        let exc = exceptions();
        let mut unexplained = Vec::new();
        for d in &self.disagreements {
            if !exc.contains_key(&(d.0.clone(), d.1.clone(), d.2.clone())) {
                unexplained.push(format!(
                    "{}\t{}\t{}\texpected {}\tgot {}",
                    d.0, d.1, d.2, d.3, d.4
                ));
            }
        }
        let stale: Vec<_> = exc
            .keys()
            .filter(|k| k.0 == corpus)
            .filter(|k| {
                !self
                    .disagreements
                    .iter()
                    .any(|d| d.0 == k.0 && d.1 == k.1 && d.2 == k.2)
            })
            .collect();
        let pct = 100.0 * self.matched as f64 / self.rows as f64;
        eprintln!(
            "{corpus}: {}/{} checks match ({pct:.1} %), {} explained in tests/expected-exceptions.tsv",
            self.matched,
            self.rows,
            self.disagreements.len()
        );
        assert!(
            unexplained.is_empty(),
            "rows that disagree with EXPECTED.tsv and are not in tests/expected-exceptions.tsv:\n{}",
            unexplained.join("\n")
        );
        assert!(
            stale.is_empty(),
            "exceptions that no longer disagree (remove them): {stale:?}"
        );
        assert!(pct >= 95.0, "{corpus}: only {pct:.1} % match (target 95 %)");
    }
}

#[test]
fn conformance_corpus_integrity() {
    let Some(root) = corpus() else { return };
    let v = verifier();
    let mut tally = Tally::new();
    for row in tsv(&root.join("conformance/EXPECTED.tsv")) {
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
    tally.finish("conformance");
}

#[test]
fn generator_corpus_verdicts_and_sources() {
    let Some(root) = corpus() else { return };
    let v = verifier();
    let mut tally = Tally::new();
    for row in tsv(&root.join("generators/EXPECTED.tsv")) {
        let path = &row["path"];
        let r = v.verify_path(&root.join("generators").join(path));
        let c = "generators";
        tally.check(c, path, "verdict", &row["verdict"], r.verdict.as_str());
        // the signer's organisation, as read from the certificate (authenticated or not)
        let signer_o = r
            .signature
            .as_ref()
            .and_then(|s| s.signer.as_ref())
            .and_then(|s| s.organization.clone())
            .unwrap_or_else(|| "-".into());
        tally.check(
            c,
            path,
            "authenticated_source",
            &row["authenticated_source"],
            &signer_o,
        );
        // when provcheck says authenticated, the authenticated organisation is the signer's
        if let Some(a) = &r.authenticated_source {
            assert_eq!(a.organization, signer_o, "{path}");
        }
        // every generator the curated description names is among the claims provcheck found
        let expected_ids: Vec<String> = v
            .registry()
            .match_claim(&row["claimed_source"])
            .into_iter()
            .map(|m| m.generator)
            .collect();
        for id in expected_ids {
            tally.check(
                c,
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
    tally.finish("generators");
}

/// One signed file per container format c2pa 0.90.22 reads, each must come back intact.
#[test]
fn every_supported_format_is_read() {
    let Some(root) = corpus() else { return };
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
    let Some(root) = corpus() else { return };
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
