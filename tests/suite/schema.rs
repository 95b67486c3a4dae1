//! Validates real reports against the JSON Schema `docs/report.schema.json` (draft 2020-12,
//! formats asserted): the samples, hand-made edge cases (empty input, text named `.jpg`, missing
//! file, folder, size limit, `--expect`, `--at`), the JSON / JSONL renderings, and every file of
//! the shared corpus (`../shared/corpus`, listed in its `EXPECTED.tsv` files) when it exists
//! (otherwise a loud SKIPPED line, or a failure with `PROVCHECK_REQUIRE_CORPUS=1`). Also checks that the schema can fail: it must reject an
//! unknown verdict, a missing verdict and a few other malformed reports.

use crate::common::corpus as test_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use provcheck::Report;
use provcheck::{Verifier, VerifierOptions};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = root().join("docs/report.schema.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
    })
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(schema())
            .unwrap_or_else(|e| panic!("docs/report.schema.json does not compile: {e}"))
    })
}

fn default_verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new(VerifierOptions::default()).expect("verifier"))
}

/// Schema errors of one JSON value, one line each (empty when valid).
fn errors(v: &Value) -> Vec<String> {
    validator()
        .iter_errors(v)
        .map(|e| {
            format!(
                "{} at {} (schema {})",
                e,
                e.instance_path(),
                e.schema_path()
            )
        })
        .collect()
}

/// What the reports seen so far exercised, printed at the end of a test.
#[derive(Default)]
struct Seen {
    reports: usize,
    verdicts: BTreeSet<String>,
    codes: BTreeSet<String>,
    /// JSON pointers (array indices dropped) of every key that appeared.
    keys: BTreeSet<String>,
}

impl Seen {
    fn add(&mut self, v: &Value) {
        self.reports += 1;
        if let Some(s) = v.get("verdict").and_then(Value::as_str) {
            self.verdicts.insert(s.to_string());
        }
        for r in v["reasons"].as_array().into_iter().flatten() {
            if let Some(c) = r["code"].as_str() {
                self.codes.insert(c.to_string());
            }
        }
        keys(v, String::new(), &mut self.keys);
    }

    fn print(&self, what: &str) {
        eprintln!(
            "{what}: {} reports valid; verdicts {:?}; reason codes {:?}; {} distinct fields",
            self.reports,
            self.verdicts,
            self.codes,
            self.keys.len()
        );
    }
}

fn keys(v: &Value, at: String, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{k}");
                out.insert(p.clone());
                keys(x, p, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                keys(x, at.clone(), out);
            }
        }
        _ => {}
    }
}

/// Serialise `r` as the CLI does and validate it; collect failures instead of panicking at once so
/// one run lists every bad report.
fn check(r: &Report, label: &str, seen: &mut Seen, failures: &mut Vec<String>) {
    let v = serde_json::to_value(r).expect("report serialises");
    let errs = errors(&v);
    if errs.is_empty() {
        seen.add(&v);
    } else {
        failures.push(format!(
            "{label} (verdict {}):\n    {}",
            r.verdict,
            errs.join("\n    ")
        ));
    }
}

fn finish(what: &str, seen: &Seen, failures: &[String]) {
    seen.print(what);
    assert!(
        failures.is_empty(),
        "{} report(s) do not match docs/report.schema.json:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A valid report to break in the negative tests.
fn plain_report() -> Value {
    let r = default_verifier().verify_path(&root().join("samples/plain/plain.jpg"));
    let v = serde_json::to_value(&r).expect("report serialises");
    assert_eq!(
        errors(&v),
        Vec::<String>::new(),
        "plain.jpg report must be valid"
    );
    v
}

#[test]
fn schema_is_a_valid_draft_2020_12_schema() {
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(e) = jsonschema::meta::validate(schema()) {
        panic!("docs/report.schema.json violates the 2020-12 meta-schema: {e}");
    }
    validator();
}

#[test]
fn sample_reports_match_schema() {
    let v = default_verifier();
    let mut files = Vec::new();
    files_under(&root().join("samples"), &mut files);
    assert!(!files.is_empty(), "no files under samples/");
    let mut seen = Seen::default();
    let mut failures = Vec::new();
    for f in &files {
        check(
            &v.verify_path(f),
            &f.display().to_string(),
            &mut seen,
            &mut failures,
        );
        let data = std::fs::read(f).expect("read sample");
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
        let r = v.verify_bytes(&data, name.as_deref());
        check(
            &r,
            &format!("{} (bytes)", f.display()),
            &mut seen,
            &mut failures,
        );
        let r = v.verify_bytes(&data, None);
        check(
            &r,
            &format!("{} (bytes, no name)", f.display()),
            &mut seen,
            &mut failures,
        );
    }
    finish("samples", &seen, &failures);
    assert!(
        seen.verdicts.contains("unsigned"),
        "samples/ should give unsigned reports"
    );
}

#[test]
fn edge_case_reports_match_schema() {
    let v = default_verifier();
    let dir = tempfile::tempdir().expect("tempdir");
    let text_jpg = dir.path().join("x.jpg");
    std::fs::write(&text_jpg, "this is text, not a JPEG\n").expect("write x.jpg");
    let empty_png = dir.path().join("empty.png");
    std::fs::write(&empty_png, b"").expect("write empty.png");
    let plain = root().join("samples/plain/plain.png");

    let mut seen = Seen::default();
    let mut failures = Vec::new();
    let mut run = |r: Report, label: &str| check(&r, label, &mut seen, &mut failures);
    run(v.verify_bytes(b"", None), "empty bytes");
    run(
        v.verify_bytes(b"", Some("empty.jpg")),
        "empty bytes named empty.jpg",
    );
    run(v.verify_path(&empty_png), "empty file");
    run(v.verify_path(&text_jpg), "text file named x.jpg");
    run(
        v.verify_bytes(b"plain text", Some("x.txt")),
        "text named x.txt",
    );
    run(v.verify_bytes(b"plain text", None), "text without a name");
    run(
        v.verify_path(&dir.path().join("missing.jpg")),
        "missing file",
    );
    run(v.verify_path(dir.path()), "a folder");
    run(
        v.verify_reader(
            std::fs::File::open(&plain).expect("open"),
            Some("plain.png"),
        ),
        "verify_reader",
    );
    // A name that is not UTF-8: `input.path_bytes` carries the exact bytes.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.png"));
        std::fs::copy(&plain, &odd).expect("copy plain.png");
        let r = v.verify_path(&odd);
        assert!(r.input.path_bytes.is_some(), "{:?}", r.input);
        run(r, "a name that is not UTF-8");
    }
    // A JPEG start with nothing after it.
    run(
        v.verify_bytes(&[0xff, 0xd8, 0xff], Some("cut.jpg")),
        "truncated JPEG",
    );
    // PNG content under a JPEG name: extension_format is reported.
    let png = std::fs::read(&plain).expect("read plain.png");
    run(v.verify_bytes(&png, Some("plain.jpg")), "PNG named .jpg");

    let small = Verifier::new({
        let mut o = VerifierOptions::default();
        o.max_file_size = 16;
        o
    })
    .expect("verifier");
    run(small.verify_path(&plain), "over the size limit (path)");
    run(
        small.verify_bytes(&png, Some("p.png")),
        "over the size limit (bytes)",
    );

    let fixed = Verifier::new({
        let mut o = VerifierOptions::default();
        o.at = Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap());
        o.expect = Some("microsoft".into());
        o
    })
    .expect("verifier");
    run(
        fixed.verify_path(&plain),
        "--at and --expect on an unsigned file",
    );

    finish("edge cases", &seen, &failures);
    for code in [
        "provcheck.asset.empty",
        "provcheck.io.error",
        "provcheck.limit.size",
        "provcheck.manifest.none",
    ] {
        assert!(seen.codes.contains(code), "no edge case produced {code}");
    }
    assert!(seen.verdicts.contains("error"));
}

#[test]
fn json_and_jsonl_renderings_match_schema() {
    let v = default_verifier();
    let reports = vec![
        v.verify_path(&root().join("samples/plain/plain.jpg")),
        v.verify_bytes(b"", Some("empty.jpg")),
    ];
    for r in &reports {
        let line = provcheck::render::json_line(r);
        assert!(!line.contains('\n'), "a JSONL record must be one line");
        let parsed: Value = serde_json::from_str(&line).expect("JSONL line parses");
        assert_eq!(errors(&parsed), Vec::<String>::new(), "JSONL: {line}");
    }
    // One report: a single object.
    let one: Value = serde_json::from_str(&provcheck::render::json_document(&reports[..1]))
        .expect("JSON document parses");
    assert!(one.is_object());
    assert_eq!(errors(&one), Vec::<String>::new());
    // Several: an array of reports.
    let many: Value = serde_json::from_str(&provcheck::render::json_document(&reports))
        .expect("JSON document parses");
    let items = many.as_array().expect("several reports render as an array");
    assert_eq!(items.len(), reports.len());
    for item in items {
        assert_eq!(errors(item), Vec::<String>::new());
    }
}

#[test]
fn corpus_reports_match_schema() {
    let Some(corpus) = test_support::corpus("corpus_reports_match_schema") else {
        return;
    };
    let v = default_verifier();
    // Certificate validity judged at a fixed time, and an --expect that fails for most files:
    // exercises `fixed` time origin and provcheck.expect.mismatch.
    let fixed = Verifier::new({
        let mut o = VerifierOptions::default();
        o.at = Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap());
        o.expect = Some("openai".into());
        o
    })
    .expect("verifier");
    let mut seen = Seen::default();
    let mut failures = Vec::new();
    let mut count = 0;
    for set in ["generators", "conformance", "multipart"] {
        let base = corpus.join(set);
        let rows = test_support::read_tsv(&base.join("EXPECTED.tsv"));
        assert!(!rows.is_empty(), "{set}/EXPECTED.tsv lists no files");
        for p in rows.iter().map(|r| &r["path"]) {
            let file = base.join(p);
            let label = format!("{set}/{p}");
            check(&v.verify_path(&file), &label, &mut seen, &mut failures);
            if set == "generators" {
                let r = fixed.verify_path(&file);
                check(
                    &r,
                    &format!("{label} (--at, --expect openai)"),
                    &mut seen,
                    &mut failures,
                );
            }
            count += 1;
        }
    }
    finish("corpus", &seen, &failures);
    eprintln!("corpus: {count} files");
    // Make sure the schema was really exercised on every verdict and on the trust details.
    for verdict in [
        "authentic",
        "mismatched",
        "tampered",
        "untrusted",
        "unsigned",
        "error",
    ] {
        assert!(
            seen.verdicts.contains(verdict),
            "no corpus report was {verdict}"
        );
    }
    for key in [
        "/trust/ended_at",
        "/timestamp/trusted_by",
        "/authenticated_source/list",
    ] {
        assert!(seen.keys.contains(key), "no corpus report had {key}");
    }
}

#[test]
fn schema_rejects_an_unknown_verdict() {
    let mut v = plain_report();
    v["verdict"] = Value::from("suspicious");
    assert!(
        !errors(&v).is_empty(),
        "verdict \"suspicious\" was accepted"
    );
}

#[test]
fn schema_rejects_a_missing_verdict() {
    let mut v = plain_report();
    v.as_object_mut().expect("object").remove("verdict");
    assert!(
        !errors(&v).is_empty(),
        "a report without a verdict was accepted"
    );
}

/// Assert that the schema rejects `base` once `change` is applied.
fn rejects(base: &Value, what: &str, change: impl FnOnce(&mut Value)) {
    let mut v = base.clone();
    change(&mut v);
    assert!(
        !errors(&v).is_empty(),
        "schema accepted a report with {what}"
    );
}

#[test]
fn schema_rejects_other_malformed_reports() {
    let base = plain_report();
    rejects(&base, "an unknown top-level field", |v| {
        v["extra"] = 1.into()
    });
    rejects(&base, "a null optional field", |v| {
        v["input"]["path"] = Value::Null
    });
    rejects(&base, "a null remote_manifest", |v| {
        v["remote_manifest"] = Value::Null
    });
    rejects(&base, "an unknown severity", |v| {
        v["reasons"][0]["severity"] = "fatal".into()
    });
    rejects(&base, "a reason without code", |v| {
        v["reasons"][0]
            .as_object_mut()
            .expect("reason")
            .remove("code");
    });
    rejects(&base, "schema_version 3", |v| {
        v["schema_version"] = 3.into()
    });
    rejects(&base, "a sha256 that is not hex", |v| {
        v["input"]["sha256"] = "XYZ".into()
    });
    rejects(&base, "an unknown field in input", |v| {
        v["input"]["mime"] = "image/jpeg".into()
    });
    rejects(&base, "verdict authentic but no trust section", |v| {
        v["verdict"] = "authentic".into()
    });

    // A minimal signed report, valid, then broken one way at a time.
    let mut signed = base.clone();
    signed["verdict"] = "untrusted".into();
    signed["manifest"] = serde_json::json!({
        "label": "urn:c2pa:x", "claim_generator_info": [], "instance_id": "xmp:iid:x",
        "manifest_count": 1
    });
    signed["signature"] = serde_json::json!({ "chain": [] });
    signed["trust"] = serde_json::json!({
        "trusted": false, "path": [], "failures": [],
        "evaluated_at": "2026-11-23T00:00:00+00:00", "evaluated_at_origin": "now",
        "c2pa_signing_credential": [], "agrees_with_c2pa": true
    });
    assert_eq!(
        errors(&signed),
        Vec::<String>::new(),
        "control: minimal signed report"
    );
    rejects(&signed, "verdict unsigned and a trust section", |v| {
        v["verdict"] = "unsigned".into()
    });
    rejects(&signed, "an unknown trust source", |v| {
        v["trust"]["ended_at"] = serde_json::json!({
            "kind": "anchor", "source": "some-other-list", "subject": "CN=x",
            "sha256": "00".repeat(32)
        })
    });
    rejects(&signed, "an unknown time origin", |v| {
        v["trust"]["evaluated_at_origin"] = "sundial".into()
    });
    rejects(&signed, "a trust section but no signature", |v| {
        v.as_object_mut().expect("object").remove("signature");
    });
    rejects(&signed, "authenticated_by without a trusted chain", |v| {
        v["trust"]["authenticated_by"] = "pin".into()
    });
    rejects(&signed, "an unknown chain error code", |v| {
        v["trust"]["failures"] = serde_json::json!([
            { "index": 0, "subject": "CN=x", "error": { "code": "cosmic-rays" } }
        ])
    });
    // Optional fields are absent, never null (except CertSummary's organization / common_name).
    let mut v = signed.clone();
    v["signature"]["signer"] = serde_json::json!({
        "subject": "CN=x,O=Example", "issuer": "CN=y", "organization": "Example",
        "serial": "01", "sha256": "00".repeat(32), "not_before": "2026-01-01T00:00:00Z",
        "not_after": "2027-01-01T00:00:00Z", "key_algorithm": "ECDSA P-256"
    });
    assert_eq!(
        errors(&v),
        Vec::<String>::new(),
        "control: signer certificate"
    );
    rejects(&v, "a null signer organization", |v| {
        v["signature"]["signer"]["organization"] = Value::Null
    });
}
