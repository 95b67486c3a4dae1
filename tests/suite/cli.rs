//! The `provcheck` command as a user runs it: output shapes and exit codes.

use crate::common;

use std::process::{Command, Output};

fn provcheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provcheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run provcheck")
}

const GOOD: &str = "samples/bing_creator_cloud_surfing_puppy.jpg";
const FORGED: &str = "samples/composite-dst.jpg";
const PLAIN: &str = "samples/plain/plain.jpg";

#[test]
fn authentic_sample_exits_0_and_says_so_first() {
    let o = provcheck(&["verify", "--color", "never", GOOD]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.starts_with("AUTHENTIC  samples/bing_creator"), "{out}");
    assert!(out.contains("Microsoft Corporation"));
    assert!(!out.contains('\x1b'), "no colour with --color never");
}

#[test]
fn any_non_authentic_file_exits_1() {
    let o = provcheck(&["verify", GOOD, FORGED]);
    assert_eq!(o.status.code(), Some(1));
    let o = provcheck(&["verify", PLAIN]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("UNSIGNED"));
}

#[test]
fn unreadable_file_and_bad_usage_exit_2() {
    let o = provcheck(&["verify", "no/such/file.jpg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("provcheck.io.error"));
    assert_eq!(provcheck(&["verify"]).status.code(), Some(2));
    assert_eq!(
        provcheck(&["verify", "--expect", "no such generator xyz", GOOD])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        provcheck(&["verify", "--at", "yesterday", GOOD])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_is_one_document_and_jsonl_one_line_per_file() {
    let o = provcheck(&["verify", "--json", GOOD]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "authentic");
    assert_eq!(v["schema_version"], 2);
    let o = provcheck(&["verify", "--json", GOOD, FORGED, PLAIN]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let verdicts: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].clone())
        .collect();
    assert_eq!(verdicts, ["authentic", "mismatched", "unsigned"]);
    let o = provcheck(&["verify", "--jsonl", GOOD, FORGED, PLAIN]);
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for l in lines {
        let r: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(r["input"]["sha256"].as_str().unwrap().len() == 64);
    }
}

#[test]
fn expect_another_source_is_mismatched() {
    let o = provcheck(&["verify", "--jsonl", "--expect", "OpenAI", GOOD]);
    assert_eq!(o.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["verdict"], "mismatched");
    let codes: Vec<_> = r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].clone())
        .collect();
    assert!(codes.contains(&"provcheck.expect.mismatch".into()));
    let o = provcheck(&["verify", "--expect", "Azure OpenAI", GOOD]);
    assert_eq!(o.status.code(), Some(0), "Azure OpenAI is Microsoft");
}

#[test]
fn version_names_sdk_and_trust_list_dates() {
    let o = provcheck(&["--version"]);
    let v = String::from_utf8(o.stdout).unwrap();
    assert!(v.contains("c2pa SDK 0.90.22"), "{v}");
    assert!(
        v.contains("C2PA Trust List 2026-08-05") && v.contains("interim list 2025-08-28"),
        "{v}"
    );
}

#[test]
fn trust_list_and_show() {
    let o = provcheck(&["trust", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let t = String::from_utf8(o.stdout).unwrap();
    assert!(t.contains("Google C2PA Root CA G3"));
    assert!(t.contains("[microsoft]") && t.contains("Microsoft SCD Claimants RSA CA"));
    let o = provcheck(&["trust", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["generator_pins"].as_array().unwrap().len() > 10);
    let o = provcheck(&["trust", "show", GOOD]);
    let t = String::from_utf8(o.stdout).unwrap();
    assert!(t.contains("[0] CN=Microsoft Corporation"), "{t}");
    assert!(t.contains("interim-anchors"), "{t}");
}

/// Without any trust list the DigiCert time-stamp is not trusted, so the 2024 leaf is judged now
/// and has expired: untrusted, yet the chain still reaches Microsoft's pinned CA key, so the
/// Microsoft claim is "unverified", not a mismatch. Judged at a time inside the leaf's validity,
/// the pin alone authenticates Microsoft.
#[test]
fn without_trust_lists_the_generator_pin_still_identifies_microsoft() {
    let o = provcheck(&["verify", "--jsonl", "--no-default-trust", GOOD]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["verdict"], "untrusted", "{r}");
    assert_eq!(r["trust"]["pinned_generators"][0], "microsoft");
    assert_eq!(r["trust"]["failures"][0]["error"]["code"], "expired");
    let o = provcheck(&[
        "verify",
        "--jsonl",
        "--no-default-trust",
        "--at",
        "2024-03-10T00:00:00Z",
        GOOD,
    ]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["verdict"], "authentic", "{r}");
    assert_eq!(r["authenticated_source"]["authenticated_by"], "pin");
    assert_eq!(r["authenticated_source"]["generator"], "microsoft");
}

#[test]
fn verify_gives_each_file_a_time_limit() {
    // 1 ms is shorter than any real check: the file gets a timeout report, the next file is
    // still checked, and the command ends
    let out = provcheck(&[
        "verify",
        "--jsonl",
        "--file-timeout",
        "0.001",
        "samples/bing_creator_cloud_surfing_puppy.jpg",
        "samples/composite-dst.jpg",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["verdict"], "error");
    assert_eq!(lines[0]["reasons"][0]["code"], "provcheck.timeout");
    assert_eq!(out.status.code(), Some(1));
    // with the default limit the same file is authentic
    let out = provcheck(&[
        "verify",
        "-v",
        "samples/bing_creator_cloud_surfing_puppy.jpg",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("coverage (box-hash"), "{text}");
}

/// The README's first set-up command (`cargo run --release -- verify samples/...`) must work on
/// a fresh clone: with a second binary in the package (the test-hooks one), `cargo run` needs
/// `default-run` to know which to run; it failed with "could not determine which binary to run"
/// until this was set. The files it names must exist.
#[test]
fn readme_first_command_runs_the_cli_on_bundled_samples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo "))
        .expect("a cargo command in the README");
    assert!(
        first.starts_with("cargo run --release -- verify "),
        "{first}"
    );
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml"))
            .expect("Cargo.toml parses");
    let extra_bins = manifest
        .get("bin")
        .and_then(|b| b.as_array())
        .map_or(0, Vec::len);
    if extra_bins > 0 && !first.contains("--bin") {
        assert_eq!(
            manifest["package"]
                .get("default-run")
                .and_then(|v| v.as_str()),
            Some("provcheck"),
            "`cargo run` cannot choose between the binaries"
        );
    }
    let files: Vec<&str> = first
        .split_whitespace()
        .filter(|a| a.starts_with("samples/"))
        .collect();
    assert!(!files.is_empty(), "{first}");
    for f in files {
        assert!(root.join(f).is_file(), "{f} is not in the repository");
        let out = provcheck(&["verify", "--json", f]);
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        assert_ne!(r["verdict"], "error", "{f}");
    }
}

/// The validation paths as a user selects them, on the forged sample (a v1 manifest with a data
/// hash, which provcheck's own path judges): by default the own path, `--sdk-only` the SDK,
/// `--cross-check` the SDK with no difference reported; and all three say the same thing.
#[test]
fn sdk_only_and_cross_check_select_the_path_and_agree() {
    let report = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["verify", "--json", "--at", "2026-11-01T00:00:00Z"];
        args.extend_from_slice(extra);
        args.push(FORGED);
        serde_json::from_slice(&provcheck(&args).stdout).expect("a JSON report")
    };
    let own = report(&[]);
    let sdk = report(&["--sdk-only"]);
    let both = report(&["--cross-check"]);
    assert_eq!(own["validated_by"], "provcheck", "{own}");
    assert_eq!(sdk["validated_by"], "c2pa", "{sdk}");
    assert_eq!(both["validated_by"], "c2pa", "{both}");
    let codes = |r: &serde_json::Value| -> Vec<String> {
        r["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        !codes(&both)
            .iter()
            .any(|c| c == "provcheck.crossCheck.differs"),
        "{both}"
    );
    for (a, b) in [(&own, &sdk), (&sdk, &both)] {
        assert_eq!(a["verdict"], b["verdict"]);
        assert_eq!(codes(a), codes(b));
        assert_eq!(a["validation"], b["validation"]);
    }
}

/// A time-stamp token whose signature no longer verifies: the text says the time-stamp is there
/// but unusable (not "by unknown TSA"), and why.
#[test]
fn a_broken_time_stamp_is_named_as_such_in_the_text() {
    let mut d = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOOD)).unwrap();
    // a byte of the TSA's signature, the token's last field
    let token = common::time_stamp_token_range(&d);
    d[token.end - 8] ^= 0x5a;
    let (_dir, path) = common::write_temp(&d, "jpg");
    let o = provcheck(&["verify", "--color", "never", path.to_str().unwrap()]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("time-stamp:    present, but it could not be read or verified"),
        "{out}"
    );
    assert!(out.contains("! timeStamp."), "{out}");
    assert!(!out.contains("unknown TSA"), "{out}");
}
