//! Hostile strings in every field a signer can fill, in the manner of contentauth/c2pa-attacks
//! (which signs files with markup, SQL, control characters, 10,000-character strings and the
//! like in the title, claim generator, author, person identifier, vendor, manifest label,
//! instance id or any value of a manifest definition). Files made at run time with a
//! throw-away PKI, its root given as a user anchor, so an intact file is `authentic`:
//!
//! - in free text (title, claim generator, CreativeWork author and identifier, an action's
//!   softwareAgent, a custom assertion's value, the instance id) a hostile string changes
//!   nothing: the file stays `authentic`;
//! - in a manifest label (the vendor part) or an assertion label, which C2PA constrains, the
//!   file is `authentic`, `tampered` (the c2pa SDK's `claim.malformed`: "breaks the C2PA
//!   rules") or an `error` that says why; never `mismatched`, `untrusted` or `unsigned`;
//! - whatever the verdict, no raw control or bidi character reaches the text output, the
//!   markup does not reach the HTML page unescaped, and nothing panics.
//!
//! And a label the c2pa SDK panics on while reading costs that file, not the batch.

use crate::common;

use common::*;
use provcheck::{Verdict, Verifier, VerifierOptions};
use serde_json::{json, Value};

/// Strings of the kinds c2pa-attacks ships (our own, not its lists).
fn hostile() -> Vec<String> {
    let mut out: Vec<String> = [
        "<script>alert('x')</script>",
        "\"><img src=x onerror=alert(1)><b a=\"",
        "javascript:alert(document.cookie)",
        "' OR '1'='1' --",
        "\"; DROP TABLE reports; --",
        "@#(*)!|$%^`~\"/'+={}[]?/<>,.\\",
        "a/b#c=d?e&f",
        "self#jumbf=/c2pa/urn:c2pa:x/c2pa.claim",
        "line\r\nbreak\ttab\u{b}vtab",
        "\u{1b}[2J\u{1b}]0;title\u{7}",
        "\u{202e}gpj.exe\u{2066}",
        "nul\u{0}inside",
        "%s%n%x{0}${jndi:ldap://x}",
        "\u{feff}\u{200b}zero width",
        "𝕌𝕟𝕚𝕔𝕠𝕕𝕖 and emoji 🎨",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.push("A".repeat(10_000));
    out
}

/// Free-text fields: a hostile string there must leave an intact file authentic.
const FREE_TEXT: &[&str] = &[
    "title",
    "claim_generator",
    "author",
    "person_identifier",
    "software_agent",
    "assertion_value",
    "instance_id",
];
/// Labels, which C2PA constrains.
const LABELS: &[&str] = &["vendor", "assertion_label"];

/// A manifest definition that claims nothing known, with `s` put in `field`.
fn definition(field: &str, s: &str) -> Value {
    let mut d = json!({
        "title": "hostile strings",
        "claim_generator_info": [{ "name": "provcheck-integration-test", "version": "1.0.0" }],
        "assertions": [
            { "label": "c2pa.actions", "data": { "actions": [{
                "action": "c2pa.created",
                "digitalSourceType": DST_DIGITAL_CREATION,
                "softwareAgent": { "name": "Example Drawing App" } }] } },
            { "label": "stds.schema-org.CreativeWork", "data": {
                "@context": "https://schema.org", "@type": "CreativeWork",
                "author": [{ "@type": "Person", "name": "Content Creator",
                             "identifier": "https://example.org/people/1" }] } },
            { "label": "org.example.test", "data": { "note": "whatever" } }
        ]
    });
    let slot = match field {
        "title" => &mut d["title"],
        "claim_generator" => &mut d["claim_generator_info"][0]["name"],
        "author" => &mut d["assertions"][1]["data"]["author"][0]["name"],
        "person_identifier" => &mut d["assertions"][1]["data"]["author"][0]["identifier"],
        "software_agent" => &mut d["assertions"][0]["data"]["actions"][0]["softwareAgent"]["name"],
        "assertion_value" => &mut d["assertions"][2]["data"]["note"],
        "instance_id" => &mut d["instance_id"],
        "vendor" => &mut d["vendor"],
        "assertion_label" => &mut d["assertions"][2]["label"],
        other => panic!("no field {other}"),
    };
    *slot = json!(s);
    d
}

/// A throw-away root named `cn` and a leaf under it ("Example Signer", "Example Org").
fn pki(cn: &str) -> (CertKey, CertKey) {
    let root = make_ca(&[("O", "Example Test PKI"), ("CN", cn)], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Example Org"), ("CN", "Example Signer")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    (root, leaf)
}

/// A verifier with the bundled trust lists and `root` as a user anchor.
fn trusting(root: &CertKey) -> Verifier {
    let mut o = VerifierOptions::default();
    o.extra_anchors = vec![pem_bundle(&[root]).into_bytes()];
    Verifier::new(o).expect("verifier")
}

/// No raw control or bidi character in the text rendering (colour off), and the HTML page
/// carries none of the strings' markup unescaped.
fn outputs_are_inert(r: &provcheck::Report, what: &str) {
    let text = provcheck::render::text::render(r, false, true);
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
        })
        .collect();
    assert!(raw.is_empty(), "{what}: raw {raw:?} in the text output");
    let html = provcheck::render::html_page(vec![r.clone()], None, 0);
    for markup in ["<script>alert", "<img src=x", "<b a="] {
        assert!(!html.contains(markup), "{what}: {markup} unescaped in HTML");
    }
    // the page does show the title: the markup there reached it, escaped (so the check above
    // looks at a page that carries the strings, not one that leaves them out)
    if r.manifest.as_ref().and_then(|m| m.title.as_deref()) == Some(hostile()[0].as_str()) {
        assert!(
            html.contains("&lt;script&gt;alert("),
            "{what}: the title is not on the page"
        );
    }
}

#[test]
fn hostile_strings_in_any_field_leave_the_verdict_to_the_signed_content() {
    let (root, leaf) = pki("Hostile Strings Root");
    let v = trusting(&root);
    let (mut checked, mut refused_by_signer) = (0, 0);
    let mut verdicts = std::collections::BTreeMap::<String, usize>::new();
    for field in FREE_TEXT.iter().chain(LABELS) {
        for (i, s) in hostile().iter().enumerate() {
            for (asset, ext) in [(plain_jpeg(), "jpg"), (plain_png(), "png")] {
                let what = format!("{field} #{i} in {ext}");
                let d = definition(field, s).to_string();
                // the c2pa Builder itself refuses some (a label it cannot write, say), or
                // panics on them (see the test below)
                let signed = std::panic::catch_unwind(|| try_sign(&asset, ext, &d, &[&leaf]));
                let Ok(Ok(signed)) = signed else {
                    refused_by_signer += 1;
                    continue;
                };
                checked += 1;
                let r = v.verify_bytes(&signed, Some(&format!("x.{ext}")));
                *verdicts
                    .entry(format!("{field} {}", r.verdict))
                    .or_default() += 1;
                if FREE_TEXT.contains(field) {
                    assert_eq!(
                        r.verdict,
                        Verdict::Authentic,
                        "{what}: {} {:?}",
                        r.summary,
                        r.codes().collect::<Vec<_>>()
                    );
                } else {
                    assert!(
                        matches!(
                            r.verdict,
                            Verdict::Authentic | Verdict::Tampered | Verdict::Error
                        ),
                        "{what}: {} {:?}",
                        r.summary,
                        r.codes().collect::<Vec<_>>()
                    );
                    assert!(!r.summary.is_empty(), "{what}: no summary");
                }
                outputs_are_inert(&r, &what);
            }
        }
    }
    eprintln!(
        "{checked} files checked, {refused_by_signer} refused by the c2pa Builder: {verdicts:?}"
    );
    // most of them could be signed: the test looks at real files, not at the Builder's refusals
    assert!(
        checked > 3 * refused_by_signer,
        "{checked} checked, {refused_by_signer} refused"
    );
    // free text in every field was checked on both formats
    assert!(
        FREE_TEXT.iter().all(|f| verdicts
            .get(&format!("{f} authentic"))
            .is_some_and(|&n| n >= hostile().len())),
        "{verdicts:?}"
    );
}

/// c2pa 0.90.22 panics while reading a store in which an assertion label's last dot-separated
/// part starts with a character of more than one byte (`Assertion::label_root` splits it at
/// byte 1). A forger can write such a file with any JUMBF writer. Until 2026-11-30 that panic
/// ended `Verifier::verify_bytes`, the library's `verify_paths` without a time limit (and so
/// every file of the batch), and `provcheck verify a b c` reported it as a time-out. Now it is
/// that file's `error` (`provcheck.crashed`, with the panic's message), everywhere.
#[test]
fn a_store_the_sdk_panics_on_costs_that_file_only() {
    let (root, leaf) = pki("Panic Root");
    // signed with an ASCII placeholder of the same length, which is then replaced everywhere
    // (the assertion box's label and the claim's reference to it)
    let (placeholder, label) = ("org.example.XXXX", "org.example.\u{1d54c}");
    assert_eq!(placeholder.len(), label.len());
    let d = definition("assertion_label", placeholder).to_string();
    let mut crafted = sign(&plain_jpeg(), "jpg", &d, &[&leaf]);
    let mut replaced = 0;
    for at in 0..crafted.len() - placeholder.len() {
        if &crafted[at..at + placeholder.len()] == placeholder.as_bytes() {
            crafted[at..at + label.len()].copy_from_slice(label.as_bytes());
            replaced += 1;
        }
    }
    assert_eq!(replaced, 2, "the box label and the claim's reference");
    let good = sign(
        &plain_jpeg(),
        "jpg",
        &definition("title", "fine").to_string(),
        &[&leaf],
    );

    let v = std::sync::Arc::new(trusting(&root));
    let r = v.verify_bytes(&crafted, Some("crafted.jpg"));
    assert_eq!(r.verdict, Verdict::Error, "{}", r.summary);
    assert!(
        r.codes().any(|c| c == provcheck::codes::CRASHED),
        "{:?}",
        r.codes().collect::<Vec<_>>()
    );
    assert!(r.summary.contains("char boundary"), "{}", r.summary);
    assert!(
        r.input.sha256.is_some(),
        "the file's hash is still reported"
    );

    // a batch through the library, without a time limit: every file gets its report
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<_> = [("a-crafted.jpg", &crafted), ("b-good.jpg", &good)]
        .iter()
        .map(|(name, bytes)| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).expect("write");
            p
        })
        .collect();
    let mut got = Vec::new();
    let options = provcheck::many::ManyOptions {
        threads: 2,
        ..Default::default()
    };
    provcheck::many::verify_paths(&v, &paths, &options, |i, r| got.push((i, r.verdict)));
    assert_eq!(got, vec![(0, Verdict::Error), (1, Verdict::Authentic)]);

    // and on the command line, with its time limit: a crash, not a time-out
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_provcheck"))
        .arg("verify")
        .arg("--json")
        .args(&paths)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run provcheck");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("provcheck.crashed"), "{text}");
    assert!(!text.contains("provcheck.timeout"), "{text}");
    assert_eq!(out.status.code(), Some(1), "not every file is authentic");
}
