//! The library front door as an embedder sees it: `examples/embed.rs` built and run on a real
//! sample, and the per-call options (`CallOptions`) that change one call without another
//! `Verifier`.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};
use provcheck::{codes, CallOptions, TimeOrigin, Verdict, Verifier, VerifierOptions};

const GOOD: &str = "samples/bing_creator_cloud_surfing_puppy.jpg";
/// Signed, no trusted time-stamp (validity judged at the call's time), leaf valid until 2030.
const NO_TIMESTAMP: &str = "samples/composite-dst.jpg";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `examples/embed.rs`, built with the profile and features of this test (`cargo build
/// --example embed`; nothing to do when `cargo test` built it already), once per test run.
fn embed_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(build_embed).clone()
}

fn build_embed() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/suite-HASH
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let mut build = Command::new(env!("CARGO"));
    build
        .args(["build", "--quiet", "--example", "embed"])
        .current_dir(root());
    // Not the variables cargo set for this test: ring's build script tracks CARGO_MANIFEST_DIR,
    // so with it cargo would rebuild ring and all that depends on it (70 s here), and the next
    // `cargo test` (without it) all of that again.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k == "OUT_DIR" || (k.starts_with("CARGO_") && !cargo_setting(&k)) {
            build.env_remove(&*k);
        }
    }
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    if cfg!(feature = "test-hooks") {
        build.args(["--features", "test-hooks"]);
    }
    let status = build.status().expect("run cargo build --example embed");
    assert!(status.success(), "cargo build --example embed failed");
    let bin = profile_dir
        .join("examples")
        .join(format!("embed{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file(), "{} not built", bin.display());
    bin
}

/// Whether an environment variable configures cargo itself (kept for the nested build) rather
/// than describing the package to the test (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, ...).
fn cargo_setting(name: &str) -> bool {
    name == "CARGO_HOME"
        || name == "CARGO_TARGET_DIR"
        || name == "CARGO_INCREMENTAL"
        || [
            "CARGO_BUILD_",
            "CARGO_PROFILE_",
            "CARGO_NET_",
            "CARGO_REGISTRIES_",
            "CARGO_HTTP_",
            "CARGO_TERM_",
        ]
        .iter()
        .any(|p| name.starts_with(p))
}

fn run_embed(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(embed_binary())
        .args(args)
        .current_dir(root())
        .output()
        .expect("run the embed example");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn embed_example_verifies_the_sample_and_applies_call_options() {
    // Authentic Bing Image Creator output: signed by Microsoft, exit 0.
    let (code, out, err) = run_embed(&[GOOD]);
    assert_eq!(
        out,
        format!("{GOOD}: authentic (authenticated source: Microsoft Corporation [microsoft])\n"),
        "{err}"
    );
    assert_eq!(code, 0, "{err}");

    // The same verifier, a call expecting another source: mismatched, exit 1; the
    // authenticated source is still Microsoft.
    let (code, out, err) = run_embed(&["--expect", "openai", GOOD]);
    assert_eq!(
        out,
        format!("{GOOD}: mismatched (authenticated source: Microsoft Corporation [microsoft])\n"),
        "{err}"
    );
    assert_eq!(code, 1);

    // A missing file is an error report, not a crash; one non-authentic file makes exit 1.
    let (code, out, _) = run_embed(&[GOOD, "no-such-file.jpg"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].ends_with(": authentic (authenticated source: Microsoft Corporation [microsoft])")
    );
    assert_eq!(
        lines[1],
        "no-such-file.jpg: error (authenticated source: none)"
    );
    assert_eq!(code, 1);

    // An expected source that names no generator is a usage error (exit 2), before any output.
    let (code, out, err) = run_embed(&["--expect", "no-such-source", GOOD]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("names no known generator"), "{err}");
}

fn verifier() -> Verifier {
    Verifier::new(VerifierOptions::default()).expect("verifier")
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("RFC 3339")
}

/// `CallOptions::at` judges certificate validity at the call's time, for that call only: the
/// same verifier (and its trust cache) answers the next call at the present time again.
#[test]
fn call_at_judges_validity_at_the_call_time_only() {
    let v = verifier();
    let path = root().join(NO_TIMESTAMP);
    let now = v.verify_path(&path);
    let now_trust = now.trust.clone().expect("signed file");
    assert_eq!(now_trust.evaluated_at_origin, TimeOrigin::Now);

    // After the leaf's notAfter (2030-08-26): judged then, and the signer is no longer fully
    // trusted (expired), so the report changes.
    let later = v
        .verify_path_with(&path, &CallOptions::new().at(at("2031-01-01T00:00:00Z")))
        .unwrap();
    let t = later.trust.as_ref().expect("signed file");
    assert_eq!(t.evaluated_at_origin, TimeOrigin::Fixed);
    assert!(
        t.evaluated_at.starts_with("2031-01-01T00:00:00"),
        "{}",
        t.evaluated_at
    );
    assert_ne!(
        serde_json::to_value(&later.trust).unwrap(),
        serde_json::to_value(&now.trust).unwrap()
    );
    assert!(
        !t.trusted
            || later
                .authenticated_source
                .as_ref()
                .is_some_and(|a| !a.trusted),
        "an expired leaf is not fully trusted: {}",
        provcheck::render::json_line(&later)
    );

    // The bytes path takes it too.
    let data = std::fs::read(&path).unwrap();
    let bytes = v
        .verify_bytes_with(&data, &CallOptions::new().at(at("2031-01-01T00:00:00Z")))
        .unwrap();
    assert_eq!(bytes.trust, later.trust);

    // The next call without `at` is judged now again, exactly as before.
    let again = v.verify_path(&path);
    let again_trust = again.trust.expect("signed file");
    assert_eq!(again_trust.evaluated_at_origin, TimeOrigin::Now);
    assert_eq!(again.verdict, now.verdict);
    assert_eq!(again_trust.trusted, now_trust.trusted);
    assert_eq!(again_trust.failures, now_trust.failures);
}

/// A file with a trusted time-stamp is judged at the time-stamp whatever the call says.
#[test]
fn call_at_does_not_override_a_trusted_timestamp() {
    let v = verifier();
    let r = v
        .verify_path_with(
            &root().join(GOOD),
            &CallOptions::new().at(at("2099-01-01T00:00:00Z")),
        )
        .unwrap();
    assert_eq!(r.verdict, Verdict::Authentic);
    let t = r.trust.expect("signed");
    assert_eq!(t.evaluated_at_origin, TimeOrigin::TrustedTimestamp);
}

/// `CallOptions::name` names bytes (reported as the path, its extension the format hint) and,
/// for a path, replaces the path's extension as the hint while the report keeps the path.
#[test]
fn call_name_names_bytes_and_hints_the_format() {
    let v = verifier();
    let path = root().join(GOOD);
    let data = std::fs::read(&path).unwrap();

    let r = v.verify_bytes_with(&data, &CallOptions::new()).unwrap();
    assert_eq!(r.verdict, Verdict::Authentic);
    assert_eq!(r.input.path, None);
    assert_eq!(r.input.format, "jpeg");

    let r = v
        .verify_bytes_with(&data, &CallOptions::new().name("upload.png"))
        .unwrap();
    assert_eq!(r.input.path.as_deref(), Some("upload.png"));
    assert_eq!(r.input.format, "jpeg");
    assert_eq!(r.input.extension_format.as_deref(), Some("png"));
    assert_eq!(
        r.verdict,
        Verdict::Authentic,
        "a wrong name changes no verdict"
    );

    let r = v
        .verify_path_with(&path, &CallOptions::new().name("upload.png"))
        .unwrap();
    assert_eq!(
        r.input.path.as_deref(),
        Some(path.to_string_lossy().as_ref())
    );
    assert_eq!(r.input.extension_format.as_deref(), Some("png"));

    // Text named like an image: the name's format is claimed, the content is none.
    let r = v
        .verify_bytes_with(b"just text", &CallOptions::new().name("x.jpg"))
        .unwrap();
    assert_eq!(r.verdict, Verdict::Error);
    assert_eq!(
        r.codes().collect::<Vec<_>>(),
        [codes::FORMAT_CONTENT_MISMATCH]
    );
}

/// The reason codes an embedder matches on are the ones reports carry.
#[test]
fn reports_carry_the_codes_of_the_codes_module() {
    let v = verifier();
    let r = v.verify_path(Path::new("/no/such/file.jpg"));
    assert_eq!(r.codes().collect::<Vec<_>>(), [codes::IO_ERROR]);
    let r = v.verify_bytes(&[], Some("empty.jpg"));
    assert_eq!(r.codes().collect::<Vec<_>>(), [codes::ASSET_EMPTY]);
    let r = v.verify_path(&root().join(GOOD));
    assert!(
        r.codes().any(|c| c == codes::SIGNER_TRUSTED),
        "{:?}",
        r.codes().collect::<Vec<_>>()
    );
}
