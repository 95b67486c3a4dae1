//! End-to-end behaviour of provcheck on files made at run time with throw-away PKIs
//! (tests/suite/common): round trips, tampering, forged signers ("who really signed"),
//! `--expect`, certificate time, chain shapes, ingredients, the chain cache and hostile
//! strings. Every test goes through the public library API (`Verifier`) and asserts what a
//! user sees: the verdict, the reason codes, the authenticated source.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use common::*;
use provcheck::TrustSource;
use provcheck::{AuthenticatedBy, Integrity, Severity, TimeOrigin};
use provcheck::{Report, Verdict, Verifier, VerifierOptions};

// ------------------------------------------------------------------------------ helpers

/// Claim-generator name that names no known generator.
const NEUTRAL_GENERATOR: &str = "provcheck-integration-test";
/// softwareAgent that names no known generator.
const NEUTRAL_AGENT: &str = "Example Drawing App";
/// The subject O of the neutral signer.
const EXAMPLE_ORG: &str = "Example Org";

/// The evaluation time used by the tests: "now", truncated to the second, captured once
/// per test and passed as `at` so that validity is judged at a known instant (the
/// throw-away certificates are made relative to the real clock, because c2pa refuses to
/// sign with a leaf that is not valid now).
fn test_now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("RFC 3339 time")
        .with_timezone(&Utc)
}

/// Options with the bundled trust lists, `anchors` as user anchors (`--trust-anchors`)
/// and validity judged at `at`.
fn options(anchors: &[&CertKey], at: DateTime<Utc>) -> VerifierOptions {
    let mut o = VerifierOptions::default();
    o.default_trust = true;
    o.extra_anchors = if anchors.is_empty() {
        Vec::new()
    } else {
        vec![pem_bundle(anchors).into_bytes()]
    };
    o.at = Some(at);
    // these tests also hold provcheck against the SDK's own trust check
    o.sdk_trust = true;
    o
}

fn verifier(anchors: &[&CertKey], at: DateTime<Utc>) -> Verifier {
    Verifier::new(options(anchors, at)).expect("verifier")
}

fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).expect("report serialises")
}

/// One line (shown with --nocapture): what the user would see.
fn show(r: &Report) {
    eprintln!(
        "{:?}: {} [{}] authenticated={:?} trusted={:?} name_only={} sdk_agrees={:?}",
        r.input.path.as_deref().unwrap_or("<input>"),
        r.verdict,
        r.codes().collect::<Vec<_>>().join(", "),
        r.authenticated_source
            .as_ref()
            .map(|a| (&a.organization, &a.generator, a.list)),
        r.trust.as_ref().map(|t| t.trusted),
        r.trust.as_ref().map_or(0, |t| t.name_only_matches.len()),
        r.trust.as_ref().map(|t| t.agrees_with_c2pa),
    );
}

#[track_caller]
fn assert_verdict(r: &Report, v: Verdict) {
    show(r);
    assert_eq!(
        r.verdict,
        v,
        "expected verdict {v}, got {}; report:\n{}",
        r.verdict,
        json(r)
    );
}

fn has_code(r: &Report, code: &str) -> bool {
    r.codes().any(|c| c == code)
}

#[track_caller]
fn assert_code(r: &Report, code: &str) {
    assert!(
        has_code(r, code),
        "expected reason {code}; report:\n{}",
        json(r)
    );
}

#[track_caller]
fn assert_no_code(r: &Report, code: &str) {
    assert!(
        !has_code(r, code),
        "unexpected reason {code}; report:\n{}",
        json(r)
    );
}

/// A throw-away self-signed root CA.
fn test_root(cn: &str) -> CertKey {
    make_ca(
        &[("C", "US"), ("O", "Example Test PKI"), ("CN", cn)],
        None,
        KeyAlg::P256,
    )
}

/// "CN=Example Signer, O=Example Org" issued by `ca`, valid now.
fn neutral_leaf(ca: &CertKey) -> CertKey {
    make_leaf(
        &[("O", EXAMPLE_ORG), ("CN", "Example Signer")],
        ca,
        KeyAlg::P256,
        &LeafOpts::default(),
    )
}

/// A manifest that claims nothing known: neutral generator and softwareAgent,
/// digitalSourceType digitalCreation.
fn neutral_manifest(title: &str) -> String {
    manifest_json(
        title,
        NEUTRAL_GENERATOR,
        Some(NEUTRAL_AGENT),
        Some(DST_DIGITAL_CREATION),
    )
}

/// A manifest whose `c2pa.created` action names `agent` as softwareAgent (AI output).
fn claiming_manifest(title: &str, generator: &str, agent: &str) -> String {
    manifest_json(
        title,
        generator,
        Some(agent),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    )
}

/// Microsoft's real claim-signing chain names (a fake root and a fake issuing CA with
/// throw-away keys) and a leaf with Microsoft's organisation: (leaf, issuing CA, root).
fn fake_microsoft_chain() -> (CertKey, CertKey, CertKey) {
    let root = make_ca(
        &[
            ("C", "US"),
            ("O", "Microsoft Corporation"),
            ("CN", "Microsoft Supply Chain RSA Root CA 2022"),
        ],
        None,
        KeyAlg::P256,
    );
    let issuing = make_ca(
        &[
            ("C", "US"),
            ("O", "Microsoft Corporation"),
            ("CN", "Microsoft SCD Claimants RSA CA"),
        ],
        Some(&root),
        KeyAlg::P256,
    );
    let leaf = make_leaf(
        &[
            ("C", "US"),
            ("O", "Microsoft Corporation"),
            ("CN", "Microsoft Corporation"),
        ],
        &issuing,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    (leaf, issuing, root)
}

/// The manifest a Microsoft forger would write.
fn azure_openai_manifest() -> String {
    claiming_manifest(
        "forged-dalle.jpg",
        "Microsoft Responsible AI Image Provenance",
        "Azure OpenAI DALL-E",
    )
}

/// The genuine Microsoft sample, or `None` (after a loud message) when the shared corpus is
/// absent (a failure with PROVCHECK_REQUIRE_CORPUS=1).
fn microsoft_corpus_image(test: &str) -> Option<PathBuf> {
    corpus_file(
        test,
        "generators/microsoft/bing_creator_cloud_surfing_puppy.jpg",
    )
}

// ------------------------------------------------------------------------ 1. round trip

/// Shared body of the round-trip tests: a plain image signed by a throw-away CA that the
/// user passes as a trust anchor, claiming nothing known, is `authentic`, authenticated as
/// the leaf's O through the user-anchors list; the same bytes without the anchor are
/// `untrusted` (provcheck.signer.untrusted).
fn round_trip(plain: &[u8], ext: &str) {
    let at = test_now();
    let root = test_root("Round Trip Test Root");
    let leaf = neutral_leaf(&root);
    let name = format!("round-trip.{ext}");
    let signed = sign(plain, ext, &neutral_manifest(&name), &[&leaf]);

    let r = verifier(&[&root], at).verify_bytes(&signed, Some(&name));
    assert_verdict(&r, Verdict::Authentic);
    assert_code(&r, "provcheck.signer.trusted");
    assert!(
        r.reasons.iter().all(|x| x.severity != Severity::Failure),
        "an authentic report carries no failure; report:\n{}",
        json(&r)
    );
    let a = r
        .authenticated_source
        .as_ref()
        .unwrap_or_else(|| panic!("authenticated_source missing; report:\n{}", json(&r)));
    assert_eq!(a.organization, EXAMPLE_ORG);
    assert_eq!(a.authenticated_by, AuthenticatedBy::TrustList);
    assert_eq!(a.list, TrustSource::UserAnchors);
    assert_eq!(a.generator, None, "Example Org is no known generator");
    assert!(r.claimed_source.generators.is_empty(), "{}", json(&r));
    let t = r.trust.as_ref().expect("trust section");
    assert!(t.trusted);
    assert_eq!(t.evaluated_at_origin, TimeOrigin::Fixed);
    assert_eq!(
        r.manifest.as_ref().and_then(|m| m.title.as_deref()),
        Some(name.as_str())
    );

    let r = verifier(&[], at).verify_bytes(&signed, Some(&name));
    assert_verdict(&r, Verdict::Untrusted);
    assert_code(&r, "provcheck.signer.untrusted");
    assert!(r.authenticated_source.is_none(), "{}", json(&r));
    assert!(!r.trust.as_ref().expect("trust section").trusted);
}

/// JPEG signed by a user-anchor CA: authentic (user-anchors, leaf O); without the anchor:
/// untrusted with provcheck.signer.untrusted.
#[test]
fn round_trip_jpeg_user_anchor_authentic_without_anchor_untrusted() {
    round_trip(&plain_jpeg(), "jpg");
}

/// PNG signed by a user-anchor CA: authentic (user-anchors, leaf O); without the anchor:
/// untrusted with provcheck.signer.untrusted.
#[test]
fn round_trip_png_user_anchor_authentic_without_anchor_untrusted() {
    round_trip(&plain_png(), "png");
}

// ------------------------------------------------------------------------- 2. tampering

/// A trusted, neutral, signed JPEG and a verifier that trusts its CA.
fn trusted_signed(plain: &[u8], ext: &str) -> (Vec<u8>, Verifier) {
    let root = test_root("Tamper Test Root");
    let leaf = neutral_leaf(&root);
    let signed = sign(plain, ext, &neutral_manifest("tamper-me"), &[&leaf]);
    let v = verifier(&[&root], test_now());
    assert_verdict(
        &v.verify_bytes(&signed, Some(&format!("original.{ext}"))),
        Verdict::Authentic,
    );
    (signed, v)
}

/// One flipped byte of image data (JPEG scan / PNG IDAT) after signing: `tampered` with
/// assertion.dataHash.mismatch, and no authenticated source... of *this* content.
#[test]
fn flipped_image_byte_is_tampered_data_hash_mismatch() {
    for (plain, ext) in [(plain_jpeg(), "jpg"), (plain_png(), "png")] {
        let (signed, v) = trusted_signed(&plain, ext);
        let bad = flip_image_byte(&signed, ext);
        let r = v.verify_bytes(&bad, Some(&format!("flipped.{ext}")));
        assert_verdict(&r, Verdict::Tampered);
        assert_code(&r, "assertion.dataHash.mismatch");
    }
}

/// One flipped byte inside the COSE signature: `tampered` with claimSignature.mismatch.
#[test]
fn corrupted_claim_signature_is_tampered() {
    let (signed, v) = trusted_signed(&plain_jpeg(), "jpg");
    let bad = corrupt_claim_signature(&signed, "jpg");
    let r = v.verify_bytes(&bad, Some("badsig.jpg"));
    assert_verdict(&r, Verdict::Tampered);
    assert_code(&r, "claimSignature.mismatch");
}

/// A claim signature that does not verify proves nothing about who signed: the certificate in
/// x5chain is only a claim (anyone can copy a trusted chain next to a garbage signature), so
/// besides `tampered` the report must not name an authenticated source.
#[test]
fn corrupted_claim_signature_authenticates_nobody() {
    let (signed, v) = trusted_signed(&plain_jpeg(), "jpg");
    let bad = corrupt_claim_signature(&signed, "jpg");
    let r = v.verify_bytes(&bad, Some("badsig.jpg"));
    assert_verdict(&r, Verdict::Tampered);
    assert!(
        r.authenticated_source.is_none(),
        "a signature that does not verify authenticates nobody; report:\n{}",
        json(&r)
    );
}

/// A signing certificate whose subject names no organisation (only a CN and an e-mail, as a
/// personal certificate has): c2pa 0.90.22 verifies the signature and then fails it
/// (`claimSignature.mismatch`, corpus mp4/legacy.mp4). The signature holds, so the file is
/// intact: trusted through the user anchor it is not `tampered`, the SDK's mismatch is replaced
/// and noted, and without an organisation nobody is named as the authenticated source.
#[test]
fn a_signature_by_a_certificate_without_organisation_is_not_tampered() {
    let root = test_root("No-O Test Root");
    let leaf = make_leaf(
        &[("CN", "someone@example.com")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let signed = sign(&plain_jpeg(), "jpg", &neutral_manifest("no-o"), &[&leaf]);
    let v = verifier(&[&root], test_now());
    let r = v.verify_bytes(&signed, Some("no-o.jpg"));
    assert_ne!(r.verdict, Verdict::Tampered, "report:\n{}", json(&r));
    assert_no_code(&r, "claimSignature.mismatch");
    assert_code(&r, provcheck::codes::CLAIM_SIGNATURE_REVERIFIED);
    assert!(r
        .validation
        .success
        .iter()
        .any(|s| s.code == "claimSignature.validated"));
    // without an organisation the summary names the certificate's common name
    assert!(r.summary.contains("someone@example.com"), "{}", r.summary);

    // with a changed image byte the SDK's mismatch is not second-guessed: the re-check is
    // only for a manifest whose signature is the one thing the SDK failed
    let changed = flip_image_byte(&signed, "jpg");
    let r = v.verify_bytes(&changed, Some("no-o-changed.jpg"));
    assert_verdict(&r, Verdict::Tampered);
    assert_code(&r, "assertion.dataHash.mismatch");
    assert_no_code(&r, provcheck::codes::CLAIM_SIGNATURE_REVERIFIED);

    // the same file with one byte of its signature flipped is still tampered, and the note
    // is not given
    let bad = corrupt_claim_signature(&signed, "jpg");
    let r = v.verify_bytes(&bad, Some("no-o-badsig.jpg"));
    assert_verdict(&r, Verdict::Tampered);
    assert_code(&r, "claimSignature.mismatch");
    assert_no_code(&r, provcheck::codes::CLAIM_SIGNATURE_REVERIFIED);
    assert!(r.authenticated_source.is_none());
}

/// The same for an ingredient: a parent signed by a certificate without organisation, taken
/// in by a trusted signer, leaves the child authentic and the ingredient valid.
#[test]
fn an_ingredient_signed_by_a_certificate_without_organisation_stays_valid() {
    let root = test_root("No-O Ingredient Root");
    let personal = make_leaf(
        &[("CN", "someone@example.com")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let parent = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("parent.jpg"),
        &[&personal],
    );
    let child = sign_with_parent(
        &parent,
        "jpg",
        &neutral_manifest("child.jpg"),
        &[&neutral_leaf(&root)],
    );
    let r = verifier(&[&root], test_now()).verify_bytes(&child, Some("child.jpg"));
    assert_verdict(&r, Verdict::Authentic);
    assert_no_code(&r, "claimSignature.mismatch");
    assert_eq!(r.ingredients.len(), 1, "{}", json(&r));
    assert_eq!(r.ingredients[0].integrity, Integrity::Valid, "{}", json(&r));
    // the ingesting signer's SDK recorded the false mismatch: dropped, and said so
    assert_code(&r, provcheck::codes::CLAIM_SIGNATURE_REVERIFIED);
}

/// A file truncated in the middle of its manifest store cannot be checked: `error`, with a
/// reason code that names the problem (asset / manifest malformed or truncated), not a
/// catch-all.
#[test]
fn cut_inside_manifest_is_error_naming_the_problem() {
    let (signed, v) = trusted_signed(&plain_jpeg(), "jpg");
    let bad = cut_inside_manifest(&signed, "jpg");
    let r = v.verify_bytes(&bad, Some("cut.jpg"));
    assert_verdict(&r, Verdict::Error);
    let named = [
        "provcheck.asset.malformed",
        "provcheck.asset.truncated",
        "provcheck.manifest.malformed",
    ];
    assert!(
        r.codes().any(|c| named.contains(&c)),
        "expected one of {named:?}; report:\n{}",
        json(&r)
    );
}

/// Removing the manifest store leaves a plain image: `unsigned` with provcheck.manifest.none.
#[test]
fn stripped_manifest_is_unsigned() {
    let (signed, v) = trusted_signed(&plain_jpeg(), "jpg");
    let bare = strip_manifest(&signed, "jpg");
    let r = v.verify_bytes(&bare, Some("stripped.jpg"));
    assert_verdict(&r, Verdict::Unsigned);
    assert_code(&r, "provcheck.manifest.none");
    assert!(r.authenticated_source.is_none());
}

/// An empty file: `error` with provcheck.asset.empty (bytes and path API alike).
#[test]
fn empty_file_is_error_asset_empty() {
    let v = verifier(&[], test_now());
    let r = v.verify_bytes(&[], Some("empty.jpg"));
    assert_verdict(&r, Verdict::Error);
    assert_code(&r, "provcheck.asset.empty");

    let (_dir, path) = write_temp(&[], "jpg");
    let r = v.verify_path(&path);
    assert_verdict(&r, Verdict::Error);
    assert_code(&r, "provcheck.asset.empty");
}

/// A text file named .jpg: `error`; the report says the content is `unknown` while the
/// extension suggests `jpeg`.
#[test]
fn text_file_named_jpg_is_error_with_extension_format() {
    let v = verifier(&[], test_now());
    let text = b"this is not a picture, just some text\nsecond line\n".repeat(20);
    let r = v.verify_bytes(&text, Some("notes.jpg"));
    assert_verdict(&r, Verdict::Error);
    eprintln!("{}", r.summary);
    assert_eq!(r.input.format, "unknown", "{}", json(&r));
    assert_eq!(
        r.input.extension_format.as_deref(),
        Some("jpeg"),
        "{}",
        json(&r)
    );
}

// ------------------------------------------------------------------------- 3. forgeries

/// (a) A self-signed end-entity certificate "CN=Microsoft Corporation, O=Microsoft
/// Corporation" claiming softwareAgent "Azure OpenAI DALL-E": `mismatched` (the signer wears
/// Microsoft's name but reaches none of Microsoft's keys), no authenticated source.
#[test]
fn forged_self_signed_microsoft_leaf_is_mismatched() {
    let leaf = make_self_signed_leaf(
        &[
            ("O", "Microsoft Corporation"),
            ("CN", "Microsoft Corporation"),
        ],
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let signed = sign(&plain_jpeg(), "jpg", &azure_openai_manifest(), &[&leaf]);
    let r = verifier(&[], test_now()).verify_bytes(&signed, Some("forged-dalle.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert!(
        has_code(&r, "provcheck.claim.impersonation") || has_code(&r, "provcheck.claim.unbacked"),
        "expected a claim impersonation / unbacked reason; report:\n{}",
        json(&r)
    );
    assert!(r.authenticated_source.is_none(), "{}", json(&r));
    assert!(
        r.claimed_source.generators.iter().any(|g| g == "microsoft"),
        "{}",
        json(&r)
    );
}

/// (b) A fake "Microsoft Supply Chain RSA Root CA 2022" issuing a fake "Microsoft SCD
/// Claimants RSA CA" (names copied, throw-away keys) issuing an O=Microsoft Corporation leaf,
/// claiming "Azure OpenAI DALL-E": `mismatched`, provcheck.signer.nameForgery, and
/// trust.name_only_matches lists the copied names.
#[test]
fn forged_microsoft_chain_with_copied_ca_names_is_mismatched_name_forgery() {
    let (leaf, issuing, root) = fake_microsoft_chain();
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &azure_openai_manifest(),
        &[&leaf, &issuing, &root],
    );
    let r = verifier(&[], test_now()).verify_bytes(&signed, Some("forged-dalle.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert_code(&r, "provcheck.signer.nameForgery");
    let t = r.trust.as_ref().expect("trust section");
    assert!(!t.trusted, "{}", json(&r));
    assert!(!t.name_only_matches.is_empty(), "{}", json(&r));
    assert!(
        t.name_only_matches
            .iter()
            .any(|m| m.subject.contains("Microsoft SCD Claimants RSA CA")),
        "the copied issuing-CA name (pinned by the registry) is reported; report:\n{}",
        json(&r)
    );
    assert!(r.authenticated_source.is_none(), "{}", json(&r));
}

/// (c) The same fake Microsoft chain when the user passes the fake root as a trust anchor
/// (`--trust-anchors`). The chain now ends at a user anchor, but its issuing CA copies the
/// name of the CA the registry pins for Microsoft with another key: a trust-and-safety
/// analyst must still get `mismatched` with provcheck.signer.nameForgery, and the file must
/// never be authenticated *as Microsoft*.
#[test]
fn forged_microsoft_chain_with_fake_root_as_user_anchor_is_still_mismatched() {
    let (leaf, issuing, root) = fake_microsoft_chain();
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &azure_openai_manifest(),
        &[&leaf, &issuing, &root],
    );
    let r = verifier(&[&root], test_now()).verify_bytes(&signed, Some("forged-dalle.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert_code(&r, "provcheck.signer.nameForgery");
    let t = r.trust.as_ref().expect("trust section");
    assert!(!t.name_only_matches.is_empty(), "{}", json(&r));
    assert_ne!(
        r.authenticated_source
            .as_ref()
            .and_then(|a| a.generator.as_deref()),
        Some("microsoft"),
        "a user anchor over copied Microsoft CA names must not authenticate Microsoft; report:\n{}",
        json(&r)
    );
}

/// (c, variant without copied CA names) A user anchor that is *not* Microsoft's ("CN=Contoso
/// Test Root" -> "CN=Contoso Issuing CA") issuing a leaf O=Microsoft Corporation that claims
/// "Azure OpenAI DALL-E". The user trusts the root (so the signer is authenticated), but the
/// registry pins Microsoft's claim-signing key and this chain reaches none of Microsoft's
/// keys: the claim of Microsoft's work is not backed by Microsoft, so the verdict should be
/// `mismatched` and the file must not be authenticated as generator "microsoft". An anchor
/// added for, say, a newsroom's own CA should not be able to mint "authentic Microsoft".
#[test]
fn user_anchor_cannot_mint_microsoft_identity_without_microsoft_key() {
    let root = make_ca(
        &[("C", "US"), ("O", "Contoso"), ("CN", "Contoso Test Root")],
        None,
        KeyAlg::P256,
    );
    let issuing = make_ca(
        &[("C", "US"), ("O", "Contoso"), ("CN", "Contoso Issuing CA")],
        Some(&root),
        KeyAlg::P256,
    );
    let leaf = make_leaf(
        &[
            ("C", "US"),
            ("O", "Microsoft Corporation"),
            ("CN", "Microsoft Corporation"),
        ],
        &issuing,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &azure_openai_manifest(),
        &[&leaf, &issuing],
    );
    let r = verifier(&[&root], test_now()).verify_bytes(&signed, Some("forged-dalle.jpg"));
    assert_ne!(
        r.authenticated_source
            .as_ref()
            .and_then(|a| a.generator.as_deref()),
        Some("microsoft"),
        "report:\n{}",
        json(&r)
    );
    assert_verdict(&r, Verdict::Mismatched);
}

/// (b, variant) A leaf O=Microsoft Corporation whose issuer *name* is Microsoft's pinned
/// "Microsoft SCD Claimants RSA CA" but whose (fake) issuing certificate is left out of
/// x5chain, claiming "Azure OpenAI DALL-E". provcheck cannot check the leaf against the
/// pinned key (the registry holds only its hash), so it may call this unverified
/// (`untrusted`, provcheck.claim.unverified) or a forgery (`mismatched`); it must never
/// authenticate it.
#[test]
fn forged_microsoft_leaf_with_omitted_issuer_is_not_authenticated() {
    let (leaf, _issuing, _root) = fake_microsoft_chain();
    let signed = sign(&plain_jpeg(), "jpg", &azure_openai_manifest(), &[&leaf]);
    let r = verifier(&[], test_now()).verify_bytes(&signed, Some("forged-dalle.jpg"));
    show(&r);
    assert!(
        matches!(r.verdict, Verdict::Untrusted | Verdict::Mismatched),
        "{}",
        json(&r)
    );
    assert!(r.authenticated_source.is_none(), "{}", json(&r));
    assert!(!r.trust.as_ref().expect("trust section").trusted);
    if r.verdict == Verdict::Untrusted {
        assert_code(&r, "provcheck.claim.unverified");
    }
}

/// (d) A neutral signer ("CN=Example Signer, O=Example Org") under an untrusted root,
/// claiming nothing known: `untrusted`, NOT mismatched (there is no claim to contradict).
#[test]
fn neutral_untrusted_signer_claiming_nothing_is_untrusted_not_mismatched() {
    let root = test_root("Unknown Test Root");
    let leaf = neutral_leaf(&root);
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("neutral.jpg"),
        &[&leaf],
    );
    let r = verifier(&[], test_now()).verify_bytes(&signed, Some("neutral.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    assert_code(&r, "provcheck.signer.untrusted");
    assert_no_code(&r, "provcheck.claim.unbacked");
    assert_no_code(&r, "provcheck.claim.impersonation");
    assert!(r.claimed_source.generators.is_empty(), "{}", json(&r));
}

/// (e) A neutral untrusted signer claiming softwareAgent "Adobe Firefly": `mismatched` with
/// provcheck.claim.unbacked (Example Org is not Adobe).
#[test]
fn neutral_untrusted_signer_claiming_firefly_is_mismatched_unbacked() {
    let root = test_root("Unknown Test Root");
    let leaf = neutral_leaf(&root);
    let manifest = claiming_manifest("firefly.jpg", NEUTRAL_GENERATOR, "Adobe Firefly");
    let signed = sign(&plain_jpeg(), "jpg", &manifest, &[&leaf]);
    let r = verifier(&[], test_now()).verify_bytes(&signed, Some("firefly.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert_code(&r, "provcheck.claim.unbacked");
    assert!(
        r.claimed_source.generators.iter().any(|g| g == "adobe"),
        "{}",
        json(&r)
    );
    assert!(r.authenticated_source.is_none());
}

/// A generator name placed after 5,000 characters of padding in softwareAgent is still seen:
/// padding must not hide a false claim from attribution.
#[test]
fn a_generator_name_after_long_padding_is_still_a_mismatch() {
    let root = test_root("Unknown Test Root");
    let leaf = neutral_leaf(&root);
    let agent = format!("{}Adobe Firefly", " ".repeat(5_000));
    let manifest = claiming_manifest("firefly.jpg", NEUTRAL_GENERATOR, &agent);
    let signed = sign(&plain_jpeg(), "jpg", &manifest, &[&leaf]);
    let r = verifier(&[], test_now()).verify_bytes(&signed, Some("firefly.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert!(
        r.claimed_source.generators.iter().any(|g| g == "adobe"),
        "{}",
        json(&r)
    );
    // output stays bounded
    assert!(r.actions.iter().all(|a| a
        .software_agent
        .as_ref()
        .is_none_or(|x| x.chars().count() <= 1025)));
}

/// (f) A trusted signer (user-anchor CA, leaf O=Example Org) claiming "Google Imagen 4":
/// `mismatched` -- the signer is authenticated, but it is not Google.
#[test]
fn trusted_neutral_signer_claiming_google_imagen_is_mismatched() {
    let root = test_root("Trusted Test Root");
    let leaf = neutral_leaf(&root);
    let manifest = claiming_manifest("imagen.jpg", NEUTRAL_GENERATOR, "Google Imagen 4");
    let signed = sign(&plain_jpeg(), "jpg", &manifest, &[&leaf]);
    let r = verifier(&[&root], test_now()).verify_bytes(&signed, Some("imagen.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert_code(&r, "provcheck.claim.unbacked");
    assert!(
        r.claimed_source.generators.iter().any(|g| g == "google"),
        "{}",
        json(&r)
    );
    let a = r
        .authenticated_source
        .as_ref()
        .unwrap_or_else(|| panic!("signer is trusted; report:\n{}", json(&r)));
    assert_eq!(a.organization, EXAMPLE_ORG);
    assert_eq!(a.generator, None);
    assert_eq!(a.list, TrustSource::UserAnchors);
}

// ----------------------------------------------------------------------------- 4. expect

/// `--expect microsoft` on a file authentically signed by Example Org (user anchor):
/// `mismatched` with provcheck.expect.mismatch.
#[test]
fn expect_microsoft_on_example_org_file_is_mismatched() {
    let root = test_root("Expect Test Root");
    let leaf = neutral_leaf(&root);
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("expect.jpg"),
        &[&leaf],
    );
    let opts = {
        let mut o = options(&[&root], test_now());
        o.expect = Some("microsoft".into());
        o
    };
    let r = Verifier::new(opts)
        .expect("verifier")
        .verify_bytes(&signed, Some("expect.jpg"));
    assert_verdict(&r, Verdict::Mismatched);
    assert_code(&r, "provcheck.expect.mismatch");
    assert_eq!(
        r.authenticated_source
            .as_ref()
            .map(|a| a.organization.as_str()),
        Some(EXAMPLE_ORG)
    );
}

fn verify_corpus_with_expect(path: &std::path::Path, expect: &str) -> Report {
    let opts = {
        let mut o = VerifierOptions::default();
        o.expect = Some(expect.into());
        o.at = Some(ts("2026-11-23T00:00:00Z"));
        o
    };
    Verifier::new(opts).expect("verifier").verify_path(path)
}

/// The genuine Microsoft corpus image with `--expect OpenAI`: `mismatched`
/// (provcheck.expect.mismatch): it is Microsoft's, not OpenAI's.
#[test]
fn corpus_microsoft_image_expect_openai_is_mismatched() {
    let Some(path) = microsoft_corpus_image("corpus_microsoft_image_expect_openai_is_mismatched")
    else {
        return;
    };
    let r = verify_corpus_with_expect(&path, "OpenAI");
    assert_verdict(&r, Verdict::Mismatched);
    assert_code(&r, "provcheck.expect.mismatch");
    assert_eq!(
        r.authenticated_source
            .as_ref()
            .and_then(|a| a.generator.as_deref()),
        Some("microsoft"),
        "{}",
        json(&r)
    );
}

/// The genuine Microsoft corpus image with `--expect microsoft` and `--expect "Azure
/// OpenAI"` (a Microsoft product name): `authentic`, authenticated as generator microsoft.
#[test]
fn corpus_microsoft_image_expect_microsoft_or_azure_openai_is_authentic() {
    let Some(path) = microsoft_corpus_image(
        "corpus_microsoft_image_expect_microsoft_or_azure_openai_is_authentic",
    ) else {
        return;
    };
    for expect in ["microsoft", "Azure OpenAI"] {
        let r = verify_corpus_with_expect(&path, expect);
        assert_verdict(&r, Verdict::Authentic);
        assert_no_code(&r, "provcheck.expect.mismatch");
        assert_eq!(
            r.authenticated_source
                .as_ref()
                .and_then(|a| a.generator.as_deref()),
            Some("microsoft"),
            "--expect {expect:?}; report:\n{}",
            json(&r)
        );
    }
}

// -------------------------------------------------------------------------------- 5. time

/// A leaf that expired a year ago (valid from 3 years ago to 1 year ago).
fn expired_leaf(ca: &CertKey, now: DateTime<Utc>) -> CertKey {
    make_leaf(
        &[("O", EXAMPLE_ORG), ("CN", "Expired Signer")],
        ca,
        KeyAlg::P256,
        &LeafOpts {
            not_before: now - Duration::days(3 * 365),
            not_after: now - Duration::days(365),
            ..LeafOpts::default()
        },
    )
}

/// Sign with an expired leaf (bypassing c2pa's signing check) and a local TSA token whose
/// genTime lies inside the leaf's validity.
fn sign_expired_with_tsa(leaf: &CertKey, tsa: &CertKey, gen_time: DateTime<Utc>) -> Vec<u8> {
    let opts = SignOpts {
        unchecked: true,
        tsa: Some((vec![tsa.clone()], gen_time)),
        ..SignOpts::default()
    };
    sign_with_opts(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("expired-ts.jpg"),
        &[leaf],
        &opts,
    )
    .expect("sign with expired leaf and TSA")
}

/// An expired leaf without a time-stamp, its CA a user anchor: `untrusted`, and the trust
/// failure says `expired` (judged at `at` = now).
#[test]
fn expired_leaf_without_timestamp_is_untrusted_expired() {
    let now = test_now();
    let root = test_root("Expiry Test Root");
    let leaf = expired_leaf(&root, now);
    let signed = sign_unchecked(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("expired.jpg"),
        &[&leaf],
    );
    let r = verifier(&[&root], now).verify_bytes(&signed, Some("expired.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    assert_code(&r, "provcheck.signer.untrusted");
    let t = r.trust.as_ref().expect("trust section");
    assert!(
        t.failures.iter().any(|f| f.error.code() == "expired"),
        "expected an `expired` trust failure; report:\n{}",
        json(&r)
    );
    assert_eq!(t.evaluated_at_origin, TimeOrigin::Fixed);
    // issue 10: the chain verifies link by link to the user's anchor, so whose key signed is
    // named, marked not trusted, with what stops full trust
    let a = r.authenticated_source.as_ref().expect("identity named");
    assert_eq!(a.organization, EXAMPLE_ORG);
    assert!(!a.trusted, "{}", json(&r));
    let codes: Vec<&str> = a.limits.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(
        codes,
        ["certificate-expired", "no-timestamp"],
        "{}",
        json(&r)
    );
}

/// The same kind of expired leaf, with a trusted RFC 3161 time-stamp whose genTime lies
/// inside the leaf's validity (TSA root passed as a user anchor): `authentic`, validity
/// judged at the time-stamp (trust.evaluated_at_origin = trusted-timestamp).
#[test]
fn expired_leaf_with_trusted_timestamp_is_authentic() {
    let now = test_now();
    let root = test_root("Expiry Test Root");
    let leaf = expired_leaf(&root, now);
    let tsa_root = test_root("Test TSA Root");
    let tsa = make_tsa_leaf(
        &[("O", "Example TSA"), ("CN", "Example TSA")],
        &tsa_root,
        KeyAlg::P256,
    );
    let gen_time = now - Duration::days(2 * 365);
    let signed = sign_expired_with_tsa(&leaf, &tsa, gen_time);

    let r = verifier(&[&root, &tsa_root], now).verify_bytes(&signed, Some("expired-ts.jpg"));
    assert_verdict(&r, Verdict::Authentic);
    let t = r.trust.as_ref().expect("trust section");
    assert_eq!(
        t.evaluated_at_origin,
        TimeOrigin::TrustedTimestamp,
        "{}",
        json(&r)
    );
    let stamp = r.timestamp.as_ref().expect("timestamp section");
    assert!(stamp.trusted, "{}", json(&r));
    assert_eq!(stamp.trusted_by, Some(TrustSource::UserAnchors));
    assert_eq!(
        r.authenticated_source
            .as_ref()
            .map(|a| a.organization.as_str()),
        Some(EXAMPLE_ORG)
    );
}

/// The same file with the TSA root NOT trusted: the time-stamp cannot be used, validity is
/// judged at `at` (now), the leaf is expired: `untrusted`, timestamp.trusted == false,
/// provcheck.timestamp.untrusted.
#[test]
fn expired_leaf_with_untrusted_tsa_is_untrusted() {
    let now = test_now();
    let root = test_root("Expiry Test Root");
    let leaf = expired_leaf(&root, now);
    let tsa_root = test_root("Test TSA Root");
    let tsa = make_tsa_leaf(
        &[("O", "Example TSA"), ("CN", "Example TSA")],
        &tsa_root,
        KeyAlg::P256,
    );
    let signed = sign_expired_with_tsa(&leaf, &tsa, now - Duration::days(2 * 365));

    let r = verifier(&[&root], now).verify_bytes(&signed, Some("expired-ts.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    assert_code(&r, "provcheck.timestamp.untrusted");
    let stamp = r.timestamp.as_ref().expect("timestamp section");
    assert!(!stamp.trusted, "{}", json(&r));
    let t = r.trust.as_ref().expect("trust section");
    assert_eq!(t.evaluated_at_origin, TimeOrigin::Fixed);
    assert!(
        t.failures.iter().any(|f| f.error.code() == "expired"),
        "{}",
        json(&r)
    );
}

// ------------------------------------------------------------------------------ 6. chains

/// root -> n intermediates (in issuing order, the root's child first).
fn intermediates(root: &CertKey, n: usize) -> Vec<CertKey> {
    let mut out: Vec<CertKey> = Vec::new();
    for i in 0..n {
        let cn = format!("Test Intermediate {}", i + 1);
        let issuer = out.last().unwrap_or(root);
        let c = make_ca(
            &[("C", "US"), ("O", "Example Test PKI"), ("CN", &cn)],
            Some(issuer),
            KeyAlg::P256,
        );
        out.push(c);
    }
    out
}

/// Intermediates presented out of order in x5chain (root as user anchor): still
/// `authentic`. RFC 5280 path building does not depend on the order of the presented
/// intermediates; provcheck reorders (and notes it). c2pa's pure-Rust backend does not
/// reorder and calls the signer untrusted, so with it the report says the two disagree
/// (agrees_with_c2pa == false, provcheck.trust.sdkDisagrees): provcheck is the one that is right
/// here. Its OpenSSL backend (the default build) agrees.
#[test]
fn shuffled_intermediates_are_authentic() {
    let root = test_root("Shuffle Test Root");
    let ints = intermediates(&root, 2); // ints[0] issued by root, ints[1] by ints[0]
    let leaf = neutral_leaf(&ints[1]);
    // issuing order would be [leaf, ints[1], ints[0]]
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("shuffled.jpg"),
        &[&leaf, &ints[0], &ints[1]],
    );
    let r = verifier(&[&root], test_now()).verify_bytes(&signed, Some("shuffled.jpg"));
    assert_verdict(&r, Verdict::Authentic);
    let t = r.trust.as_ref().expect("trust section");
    assert!(t.trusted);
    assert_eq!(
        t.path.len(),
        4,
        "leaf, two intermediates, root; {}",
        json(&r)
    );
    assert!(
        t.notes.iter().any(|n| n.contains("reordered")),
        "{}",
        json(&r)
    );
    // c2pa's own trust check follows the backend: the pure-Rust one wants issuing order and
    // disagrees (reported as a reason); the OpenSSL one (the default) builds the path itself
    if cfg!(feature = "rust-native-crypto") {
        assert!(!t.agrees_with_c2pa, "{}", json(&r));
        assert_code(&r, "provcheck.trust.sdkDisagrees");
    } else {
        assert!(t.agrees_with_c2pa, "{}", json(&r));
    }
}

/// A chain with 10 intermediates (root as user anchor): the path would be 12 certificates,
/// over the depth limit: `untrusted` with a depth-exceeded failure. OpenSSL's path building
/// (c2pa's default backend) allows 100 certificates and trusts it: the report says the two
/// disagree.
#[test]
fn overlong_chain_is_untrusted_depth_exceeded() {
    let root = test_root("Deep Test Root");
    let ints = intermediates(&root, 10);
    let leaf = neutral_leaf(ints.last().expect("ten"));
    let mut chain: Vec<&CertKey> = vec![&leaf];
    chain.extend(ints.iter().rev());
    let signed = sign(&plain_jpeg(), "jpg", &neutral_manifest("deep.jpg"), &chain);
    let r = verifier(&[&root], test_now()).verify_bytes(&signed, Some("deep.jpg"));
    assert_verdict(&r, Verdict::Untrusted);
    let t = r.trust.as_ref().expect("trust section");
    assert!(
        t.failures
            .iter()
            .any(|f| f.error.code() == "depth-exceeded"),
        "{}",
        json(&r)
    );
    if !cfg!(feature = "rust-native-crypto") {
        assert!(!t.agrees_with_c2pa, "{}", json(&r));
        assert_code(&r, "provcheck.trust.sdkDisagrees");
    }
}

/// Two CAs that issue each other (neither an anchor) above the leaf: `untrusted`, and the
/// verification returns promptly (loop prevention).
#[test]
fn chain_loop_is_untrusted_and_prompt() {
    let a = make_ca(
        &[("O", "Loop Test"), ("CN", "Loop CA A")],
        None,
        KeyAlg::P256,
    );
    let b = make_ca(
        &[("O", "Loop Test"), ("CN", "Loop CA B")],
        Some(&a),
        KeyAlg::P256,
    );
    let a2 = cross_certify(&a, &b); // A issued by B: A <-> B
    let leaf = neutral_leaf(&b);
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("loop.jpg"),
        &[&leaf, &b, &a2],
    );
    let v = verifier(&[], test_now());
    let started = Instant::now();
    let r = v.verify_bytes(&signed, Some("loop.jpg"));
    let took = started.elapsed();
    assert_verdict(&r, Verdict::Untrusted);
    assert!(!r.trust.as_ref().expect("trust section").trusted);
    assert!(
        took < StdDuration::from_secs(10),
        "verification of a chain loop took {took:?}"
    );
}

// ------------------------------------------------------------------------- 7. ingredients

/// A parent signed by a trusted (user-anchor) CA claiming nothing, re-signed as a parentOf
/// ingredient by the same CA: `authentic`, one ingredient node with integrity `valid` and
/// the parent's manifest label, no failure anywhere.
#[test]
fn signed_parent_ingredient_is_authentic_and_valid() {
    let root = test_root("Ingredient Test Root");
    let leaf = neutral_leaf(&root);
    let parent = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("parent.jpg"),
        &[&leaf],
    );
    let child = sign_with_parent(&parent, "jpg", &neutral_manifest("child.jpg"), &[&leaf]);
    let r = verifier(&[&root], test_now()).verify_bytes(&child, Some("child.jpg"));
    assert_verdict(&r, Verdict::Authentic);
    assert!(
        r.reasons.iter().all(|x| x.severity != Severity::Failure),
        "{}",
        json(&r)
    );
    assert!(r.validation.failure.is_empty(), "{}", json(&r));
    assert_eq!(r.ingredients.len(), 1, "{}", json(&r));
    let ing = &r.ingredients[0];
    assert_eq!(ing.integrity, Integrity::Valid, "{}", json(&r));
    assert_eq!(ing.relationship, "parentOf");
    let label = ing
        .manifest
        .as_deref()
        .unwrap_or_else(|| panic!("ingredient has a manifest label; {}", json(&r)));
    assert!(!label.is_empty());
    assert_ne!(
        Some(label),
        r.manifest.as_ref().map(|m| m.label.as_str()),
        "the ingredient's manifest is the parent's, not the active one"
    );
    assert_eq!(ing.signer_trusted, Some(true), "{}", json(&r));
    assert_eq!(r.manifest.as_ref().map(|m| m.manifest_count), Some(2));
}

// ------------------------------------------------------------------------------- 8. cache

/// Verifying the same signed file 200 times with one Verifier evaluates its chain
/// structurally once (the trust engine's cache), not 200 times.
#[test]
fn chain_evaluation_is_cached_across_repeated_verifications() {
    let root = test_root("Cache Test Root");
    let leaf = neutral_leaf(&root);
    let signed = sign(
        &plain_jpeg(),
        "jpg",
        &neutral_manifest("cache.jpg"),
        &[&leaf],
    );
    let v = verifier(&[&root], test_now());
    let before = v.chain_evaluations();
    for i in 0..200 {
        let r = v.verify_bytes(&signed, Some("cache.jpg"));
        assert_eq!(r.verdict, Verdict::Authentic, "iteration {i}");
    }
    let grown = v.chain_evaluations() - before;
    eprintln!("200 verifications: {grown} structural chain evaluation(s)");
    assert!(
        (1..=2).contains(&grown),
        "200 verifications of one chain performed {grown} structural evaluations"
    );
}

// ---------------------------------------------------------------------- 9. hostile strings

/// Attacker-controlled strings (HTML, a terminal escape, a bidi override) in the manifest
/// title, the claim generator name, the signer's certificate subject and the file name:
/// the text renderer escapes every control / bidi character (the only raw ESC in coloured
/// output is provcheck's own colour sequence), and the JSON output carries the title
/// unchanged (round-trips to the same string).
#[test]
fn hostile_strings_are_escaped_in_text_and_round_trip_in_json() {
    let evil = "<img src=x onerror=alert(1)>\u{1b}[2J\u{202e}gpj.exe\u{7}";
    let title = format!("title {evil}");
    let generator = format!("gen {evil}");
    let root = test_root("Hostile Test Root");
    let leaf = make_leaf(
        &[
            ("O", &format!("Org {evil}")),
            ("CN", &format!("Signer {evil}")),
        ],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let manifest = manifest_json(
        &title,
        &generator,
        Some(NEUTRAL_AGENT),
        Some(DST_DIGITAL_CREATION),
    );
    let signed = sign(&plain_jpeg(), "jpg", &manifest, &[&leaf]);
    let name = format!("file {evil}.jpg");
    for anchors in [vec![&root], vec![]] {
        let r = verifier(&anchors, test_now()).verify_bytes(&signed, Some(&name));
        assert!(
            matches!(r.verdict, Verdict::Authentic | Verdict::Untrusted),
            "{}",
            json(&r)
        );
        assert_eq!(
            r.manifest.as_ref().and_then(|m| m.title.as_deref()),
            Some(title.as_str()),
            "the report stores the title as found"
        );

        for color in [true, false] {
            let text = provcheck::render::text::render(&r, color, true);
            // provcheck's own colour sequences are the only escapes allowed
            let mut stripped = text.clone();
            for sgr in [
                "\u{1b}[1;32m",
                "\u{1b}[1;31m",
                "\u{1b}[1;33m",
                "\u{1b}[1;36m",
                "\u{1b}[0m",
            ] {
                stripped = stripped.replace(sgr, "");
            }
            if !color {
                assert_eq!(stripped, text, "no colour sequences without colour");
            }
            let bad: Vec<char> = stripped
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n')
                        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
                })
                .collect();
            assert!(
                bad.is_empty(),
                "raw control / bidi characters {bad:?} in text output:\n{}",
                text.escape_debug()
            );
            assert!(
                text.contains("\\u{1b}[2J") && text.contains("\\u{202e}"),
                "hostile characters are shown escaped, not dropped:\n{}",
                text.escape_debug()
            );
        }

        let out = provcheck::render::json_line(&r);
        assert!(!out.contains('\u{1b}'), "JSON escapes control characters");
        let back: serde_json::Value = serde_json::from_str(&out).expect("JSON parses");
        assert_eq!(back["manifest"]["title"].as_str(), Some(title.as_str()));
        assert_eq!(
            back["manifest"]["claim_generator_info"][0]["name"].as_str(),
            Some(generator.as_str())
        );
        assert_eq!(back["input"]["path"].as_str(), Some(name.as_str()));
    }
}
