//! Issue 10 ("never call a genuine image forged"), parts 1, 2 and 4, on files made at run time
//! with throw-away PKIs (tests/suite/common): whose key signed is reported even when time fails,
//! an incomplete chain is not impersonation, known intermediates complete chains, a PDF padded
//! after `%%EOF` without a manifest is `unsigned`, and one reason is listed once per fact.

use crate::common;

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
    let v = Verifier::new({
        let mut o = VerifierOptions::default();
        o.at = Some(test_now());
        o
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

// ------------------------------------------------ parts 1 and 2: identity, chains, pins

const ACME_ORG: &str = "Acme AI Inc.";
/// The pinned root's subject as provcheck prints names (RFC 4514, most specific first).
const ACME_ROOT_DN: &str = "CN=Acme Root CA,O=Acme AI Inc.,C=US";

fn acme_root() -> CertKey {
    make_ca(
        &[("C", "US"), ("O", ACME_ORG), ("CN", "Acme Root CA")],
        None,
        KeyAlg::P256,
    )
}

fn spki_hex(c: &CertKey) -> String {
    let (_, cert) = x509_parser::parse_x509_certificate(&c.der).expect("certificate");
    hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        cert.public_key().raw,
    ))
}

/// A generator "acme" (leaf O "Acme AI Inc.", product "Acme Imagine") whose key `pinned` is
/// pinned under `pin_subject`, as a `--generators` TOML.
fn acme_registry(pinned: &CertKey, pin_subject: &str) -> String {
    format!(
        r#"schema_version = 1
[[generator]]
id = "acme"
organization = "Acme"
kind = "ai-generator"
leaf_organizations = ["{ACME_ORG}"]
sources = ["tests/suite/precision.rs"]
  [[generator.product]]
  name = "Acme Imagine"
  patterns = ['(?i)\bAcme Imagine\b']
  [[generator.pin]]
  subject = "{pin_subject}"
  spki_sha256 = "{}"
  role = "root"
  source = "tests/suite/precision.rs (throw-away CA)"
"#,
        spki_hex(pinned)
    )
}

fn acme_manifest() -> String {
    manifest_json(
        "acme.jpg",
        "Acme Imagine",
        Some("Acme Imagine"),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    )
}

fn acme_leaf(issuer: &CertKey, opts: &LeafOpts) -> CertKey {
    make_leaf(
        &[("C", "US"), ("O", ACME_ORG), ("CN", "Acme Imagine signer")],
        issuer,
        KeyAlg::P256,
        opts,
    )
}

fn expired_opts(now: DateTime<Utc>) -> LeafOpts {
    LeafOpts {
        not_before: now - Duration::days(3 * 365),
        not_after: now - Duration::days(365),
        ..LeafOpts::default()
    }
}

fn acme_verifier(registry: String, intermediates: &[&CertKey], at: DateTime<Utc>) -> Verifier {
    Verifier::new({
        let mut o = VerifierOptions::default();
        o.generators = vec![registry];
        o.extra_intermediates = if intermediates.is_empty() {
            Vec::new()
        } else {
            vec![pem_bundle(intermediates).into_bytes()]
        };
        o.at = Some(at);
        o
    })
    .expect("verifier")
}

/// An expired leaf under a pinned root, no time-stamp: `untrusted` (time cannot be proven), but
/// the report names whose key signed (Acme, through its pin), says the certificate is not fully
/// trusted and why, and the claim of Acme's work is unverified, not a mismatch.
#[test]
fn expired_leaf_under_pinned_root_names_the_signer_and_stays_untrusted() {
    let now = test_now();
    let root = acme_root();
    let leaf = acme_leaf(&root, &expired_opts(now));
    let signed = sign_unchecked(&plain_jpeg(), "jpg", &acme_manifest(), &[&leaf, &root]);
    let v = acme_verifier(acme_registry(&root, ACME_ROOT_DN), &[], now);
    let r = v.verify_bytes(&signed, Some("acme.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    let a = r.authenticated_source.as_ref().expect("identity named");
    assert_eq!(a.organization, ACME_ORG);
    assert_eq!(a.generator.as_deref(), Some("acme"), "{}", json(&r));
    assert!(!a.trusted);
    let codes: Vec<&str> = a.limits.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(
        codes,
        ["certificate-expired", "no-timestamp"],
        "{}",
        json(&r)
    );
    assert!(a.limits[0].at.is_some());
    assert!(has_code(&r, "provcheck.claim.unverified"), "{}", json(&r));
    assert!(
        !has_code(&r, "provcheck.claim.impersonation"),
        "{}",
        json(&r)
    );
    assert!(
        r.summary.contains("signed with Acme's key") && r.summary.contains("expired on"),
        "{}",
        r.summary
    );
}

/// The same leaf with a time-stamp by a TSA under the same pinned root: the time is attested
/// by the signer's own organisation (timestamp.self_attested), reported as such, and still does
/// not prove the time: `untrusted`, identity named.
#[test]
fn self_attested_time_stamp_is_reported_and_does_not_make_it_authentic() {
    let now = test_now();
    let root = acme_root();
    let leaf = acme_leaf(&root, &expired_opts(now));
    let tsa = make_tsa_leaf(
        &[("C", "US"), ("O", ACME_ORG), ("CN", "Acme Time-Stamping")],
        &root,
        KeyAlg::P256,
    );
    let opts = SignOpts {
        unchecked: true,
        tsa: Some((
            vec![tsa.clone(), root.clone()],
            now - Duration::days(2 * 365),
        )),
        ..SignOpts::default()
    };
    let signed = sign_with_opts(
        &plain_jpeg(),
        "jpg",
        &acme_manifest(),
        &[&leaf, &root],
        &opts,
    )
    .expect("sign");
    let v = acme_verifier(acme_registry(&root, ACME_ROOT_DN), &[], now);
    let r = v.verify_bytes(&signed, Some("acme-ts.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    let ts = r.timestamp.as_ref().expect("timestamp");
    assert!(ts.self_attested, "{}", json(&r));
    assert!(!ts.trusted);
    let a = r.authenticated_source.as_ref().expect("identity named");
    assert_eq!(a.generator.as_deref(), Some("acme"));
    assert!(
        a.limits.iter().any(|l| l.code == "timestamp-self-attested"
            && l.explanation.contains("signer's own organisation")),
        "{}",
        json(&r)
    );
    assert!(r.summary.contains("own organisation"), "{}", r.summary);
}

/// A leaf with the pinned generator's organisation whose issuer is neither presented nor
/// known: nothing contradicts the claim, the chain simply cannot be completed: `untrusted`
/// with provcheck.claim.unverified, never `mismatched`; the trust section names the missing
/// issuer as a typed fact and the text says the chain could not be completed.
#[test]
fn leaf_with_pinned_org_and_absent_unknown_issuer_is_untrusted_not_mismatched() {
    let now = test_now();
    let root = acme_root();
    let unknown_ca = make_ca(
        &[("C", "US"), ("O", ACME_ORG), ("CN", "Acme Legacy Claim CA")],
        None,
        KeyAlg::P256,
    );
    let leaf = acme_leaf(&unknown_ca, &LeafOpts::default());
    let signed = sign(&plain_jpeg(), "jpg", &acme_manifest(), &[&leaf]);
    let v = acme_verifier(acme_registry(&root, ACME_ROOT_DN), &[], now);
    let r = v.verify_bytes(&signed, Some("acme-leaf-only.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    assert!(has_code(&r, "provcheck.claim.unverified"), "{}", json(&r));
    assert!(
        !has_code(&r, "provcheck.claim.impersonation"),
        "{}",
        json(&r)
    );
    assert!(r.authenticated_source.is_none(), "{}", json(&r));
    let t = r.trust.as_ref().expect("trust");
    assert!(!t.trusted);
    assert!(
        r.reasons
            .iter()
            .any(|x| x.explanation.contains("could not be completed")),
        "{}",
        json(&r)
    );
    assert!(
        r.summary.contains("could not be completed"),
        "{}",
        r.summary
    );
}

/// The same shape when provcheck holds the absent intermediate (here supplied as a known
/// intermediate; provcheck's own are data/generator-cas.pem): the chain is completed, the
/// link says it was supplied, a trust note says so, and the file is `authentic` as Acme.
#[test]
fn absent_known_intermediate_completes_the_chain_and_says_so() {
    let now = test_now();
    let root = acme_root();
    let issuing = make_ca(
        &[("C", "US"), ("O", ACME_ORG), ("CN", "Acme Claim CA")],
        Some(&root),
        KeyAlg::P256,
    );
    let leaf = acme_leaf(&issuing, &LeafOpts::default());
    let signed = sign(&plain_jpeg(), "jpg", &acme_manifest(), &[&leaf]);
    // the registry pins the issuing CA's key (as data/generators.toml pins generators' issuing
    // CAs); only its hash is pinned, the certificate itself is the known intermediate
    let registry = acme_registry(&issuing, "CN=Acme Claim CA,O=Acme AI Inc.,C=US");

    // without the intermediate: incomplete, untrusted, not mismatched
    let r = acme_verifier(registry.clone(), &[], now).verify_bytes(&signed, Some("a.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    assert!(
        !has_code(&r, "provcheck.claim.impersonation"),
        "{}",
        json(&r)
    );

    // with it: completed
    let r = acme_verifier(registry, &[&issuing], now).verify_bytes(&signed, Some("a.jpg"));
    assert_verdict(&r, Verdict::Authentic);
    let a = r.authenticated_source.as_ref().expect("authenticated");
    assert_eq!(a.generator.as_deref(), Some("acme"));
    assert!(a.trusted && a.limits.is_empty());
    let t = r.trust.as_ref().expect("trust");
    assert_eq!(t.path.len(), 2, "{}", json(&r));
    assert_eq!(
        t.path[1].supplied_by.as_deref(),
        Some("user"),
        "{}",
        json(&r)
    );
    assert!(t.path[0].supplied_by.is_none());
    assert!(
        t.notes.iter().any(|n| n.contains("completed")),
        "{}",
        json(&r)
    );
}

/// A presented CA that carries the pinned CA's name with another key is positive evidence of
/// impersonation: still `mismatched` (provcheck.signer.nameForgery), never authenticated.
#[test]
fn presented_ca_with_pinned_name_and_other_key_is_still_mismatched() {
    let now = test_now();
    let real_root = acme_root();
    let forged_root = acme_root(); // same name, another key
    let leaf = acme_leaf(&forged_root, &LeafOpts::default());
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &acme_manifest(),
        &[&leaf, &forged_root],
    );
    let v = acme_verifier(acme_registry(&real_root, ACME_ROOT_DN), &[], now);
    let r = v.verify_bytes(&signed, Some("forged-acme.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert!(has_code(&r, "provcheck.signer.nameForgery"), "{}", json(&r));
    assert!(r.authenticated_source.is_none(), "{}", json(&r));

    // and a leaf naming the pinned CA as issuer but signed by another key, that CA absent from
    // the file: with the real CA's certificate known, the signature that does not verify under
    // it is evidence of a copied issuer name: mismatched
    let r = acme_verifier(acme_registry(&real_root, ACME_ROOT_DN), &[&real_root], now)
        .verify_bytes(
            &sign(&plain_jpeg(), "jpg", &acme_manifest(), &[&leaf]),
            Some("forged-acme-leaf-only.jpg"),
        );
    assert_verdict(&r, Verdict::Mismatched);
    assert!(r.authenticated_source.is_none(), "{}", json(&r));
}

/// A manifest written brotli-compressed (`c2cm`, c2pa's `core.prefer_compress_manifests`) is the
/// same credential: the same verdict as the plain one, never `tampered` for a claim box
/// provcheck's own reader could not see inside the compressed box.
#[test]
fn compressed_manifest_is_judged_like_the_plain_one() {
    let now = test_now();
    let root = acme_root();
    let leaf = acme_leaf(&root, &LeafOpts::default());
    let v = acme_verifier(acme_registry(&root, ACME_ROOT_DN), &[], now);
    for (asset, ext) in [(plain_jpeg(), "jpg"), (plain_png(), "png")] {
        let sign = |compress: bool| {
            let opts = SignOpts {
                compress,
                ..SignOpts::default()
            };
            sign_with_opts(&asset, ext, &acme_manifest(), &[&leaf, &root], &opts)
                .expect("c2pa signs")
        };
        let (plain, compressed) = (sign(false), sign(true));
        assert_ne!(plain, compressed, "the setting compresses ({ext})");
        let name = format!("acme.{ext}");
        let p = v.verify_bytes(&plain, Some(&name));
        let c = v.verify_bytes(&compressed, Some(&name));
        assert_ne!(c.verdict, Verdict::Tampered, "{}", json(&c));
        assert!(!has_code(&c, "claim.missing"), "{}", json(&c));
        assert_eq!(c.verdict, p.verdict, "{}", json(&c));
        assert_eq!(
            c.authenticated_source,
            p.authenticated_source,
            "{}",
            json(&c)
        );
    }
}

/// A redaction made as C2PA intends it (C2PA 2.x "Redaction of assertions"; c2pa's `Builder`
/// with `redactions`): the child manifest takes the parent in and lists one of the parent
/// manifest's assertions as redacted, and the SDK removes that assertion from the parent's
/// store. The parent's claim still lists the removed assertion with its hash; provcheck's own
/// check of every hashed URI excuses it because the manifest that redacts it took the parent
/// in (the rule tests/suite/attacks.rs holds a forger's unreferenced manifest to). Authentic, like the
/// parent.
#[test]
fn a_redaction_by_the_manifest_that_took_the_parent_in_is_not_tampered() {
    let now = test_now();
    let root = acme_root();
    let leaf = acme_leaf(&root, &LeafOpts::default());
    let v = acme_verifier(acme_registry(&root, ACME_ROOT_DN), &[], now);
    let mut parent_def: serde_json::Value = serde_json::from_str(&acme_manifest()).unwrap();
    parent_def["assertions"].as_array_mut().unwrap().push(
        serde_json::json!({ "label": "org.example.note", "data": { "note": "a private note" } }),
    );
    let parent = sign(
        &plain_jpeg(),
        "jpg",
        &parent_def.to_string(),
        &[&leaf, &root],
    );
    assert_verdict(
        &v.verify_bytes(&parent, Some("parent.jpg")),
        Verdict::Authentic,
    );
    let parent_label = c2pa_read(&parent, "jpg", &[&root])
        .expect("c2pa reads the parent")
        .active_label()
        .expect("an active manifest")
        .to_string();
    let uri = format!("self#jumbf=/c2pa/{parent_label}/c2pa.assertions/org.example.note");
    let mut child_def: serde_json::Value =
        serde_json::from_str(&manifest_json("child.jpg", "Acme Imagine", None, None)).unwrap();
    child_def["redactions"] = serde_json::json!([uri]);
    child_def["assertions"][0]["data"]["actions"] = serde_json::json!([{
        "action": "c2pa.redacted",
        "reason": "c2pa.PII.present",
        "parameters": { "redacted": uri }
    }]);
    let opts = SignOpts {
        parent: Some(&parent),
        ..SignOpts::default()
    };
    let child = sign_with_opts(
        &parent,
        "jpg",
        &child_def.to_string(),
        &[&leaf, &root],
        &opts,
    )
    .expect("c2pa signs the redacting child");
    let note = b"a private note";
    assert!(parent.windows(note.len()).any(|w| w == note));
    assert!(
        !child.windows(note.len()).any(|w| w == note),
        "the SDK removed the redacted assertion"
    );
    let r = v.verify_bytes(&child, Some("child.jpg"));
    assert!(!has_code(&r, "assertion.missing"), "{}", json(&r));
    assert!(
        !has_code(&r, "assertion.hashedURI.mismatch"),
        "{}",
        json(&r)
    );
    assert_verdict(&r, Verdict::Authentic);
}
