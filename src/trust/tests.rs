//! Tests for the trust engine. Each test's name (or doc comment) names the RFC 5280 /
//! RFC 3161 / C2PA rule it enforces. Certificates are made at test time with rcgen
//! (ECDSA P-256 / P-384, Ed25519, RSA from a fixed throw-away key); RSA-PSS and P-521
//! fixtures (made once with OpenSSL, valid until 2125) live in `testdata/`.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SignatureAlgorithm,
    PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384, PKCS_ED25519, PKCS_RSA_SHA256,
};

use super::*;

// ---------------------------------------------------------------------------------------
// helpers

/// C2PA claim-signing EKU 1.3.6.1.4.1.62558.2.1.
const C2PA_CLAIM_EKU: &[u64] = &[1, 3, 6, 1, 4, 1, 62558, 2, 1];
/// Microsoft C2PA signing EKU 1.3.6.1.4.1.311.76.59.1.9.
const MS_C2PA_EKU: &[u64] = &[1, 3, 6, 1, 4, 1, 311, 76, 59, 1, 9];

const RSA_TEST_KEY: &str = include_str!("testdata/rsa2048-test-key.pem");

fn ts(y: i32, m: u32, d: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

/// A test certificate with its key.
struct TestCert {
    cert: Certificate,
    key: KeyPair,
}

impl TestCert {
    fn der(&self) -> Vec<u8> {
        self.cert.der().to_vec()
    }
    fn pem(&self) -> String {
        self.cert.pem()
    }
    fn spki_sha256(&self) -> [u8; 32] {
        cert::sha256(&self.key.public_key_der())
    }
}

fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    if alg == &PKCS_RSA_SHA256 {
        KeyPair::from_pkcs8_pem_and_sign_algo(RSA_TEST_KEY, alg).unwrap()
    } else {
        KeyPair::generate_for(alg).unwrap()
    }
}

fn dn(cn: &str, o: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CountryName, "US");
    d.push(DnType::OrganizationName, o);
    d.push(DnType::CommonName, cn);
    d
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name = dn(cn, "provcheck test");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    p.use_authority_key_identifier_extension = true;
    p
}

fn leaf_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name = dn(cn, "provcheck test signer");
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(C2PA_CLAIM_EKU.to_vec())];
    p.not_before = rcgen::date_time_ymd(2023, 1, 1);
    p.not_after = rcgen::date_time_ymd(2024, 1, 1);
    p.use_authority_key_identifier_extension = true;
    p
}

fn self_signed(params: CertificateParams, alg: &'static SignatureAlgorithm) -> TestCert {
    let key = key(alg);
    let cert = params.self_signed(&key).unwrap();
    TestCert { cert, key }
}

fn issued(
    params: CertificateParams,
    alg: &'static SignatureAlgorithm,
    issuer: &TestCert,
) -> TestCert {
    let key = key(alg);
    let cert = params.signed_by(&key, &issuer.cert, &issuer.key).unwrap();
    TestCert { cert, key }
}

fn root(cn: &str) -> TestCert {
    self_signed(ca_params(cn), &PKCS_ECDSA_P256_SHA256)
}

fn store_with(anchors: &[&TestCert], source: TrustSource) -> TrustStore {
    let mut s = TrustStore::new();
    for a in anchors {
        assert_eq!(s.add_anchors_pem(a.pem().as_bytes(), source).unwrap(), 1);
    }
    s
}

fn chain(certs: &[&TestCert]) -> Vec<Vec<u8>> {
    certs.iter().map(|c| c.der()).collect()
}

fn codes(e: &ChainEvaluation) -> Vec<&'static str> {
    e.failures.iter().map(|f| f.error.code()).collect()
}

const MID_2023: (i32, u32, u32) = (2023, 6, 1);

fn mid() -> i64 {
    ts(MID_2023.0, MID_2023.1, MID_2023.2)
}

/// Root -> intermediate -> leaf (the common three-link C2PA chain).
struct Pki {
    root: TestCert,
    int: TestCert,
    leaf: TestCert,
}

fn pki() -> Pki {
    let root = root("Test Root CA");
    let int = issued(ca_params("Test Issuing CA"), &PKCS_ECDSA_P384_SHA384, &root);
    let leaf = issued(leaf_params("Test Signer"), &PKCS_ECDSA_P256_SHA256, &int);
    Pki { root, int, leaf }
}

// ---------------------------------------------------------------------------------------
// path building

/// RFC 5280 6.1: a leaf -> intermediate -> root chain ending at a root anchor is trusted,
/// with the path and its end reported.
#[test]
fn rfc5280_6_1_good_three_link_chain_to_anchor() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let e = engine.evaluate(
        &chain(&[&p.leaf, &p.int, &p.root]),
        Purpose::ClaimSigning,
        mid(),
    );
    assert!(e.trusted, "{e:#?}");
    assert!(e.failures.is_empty());
    assert_eq!(e.path.len(), 3);
    assert_eq!(
        e.path[0].subject,
        "CN=Test Signer,O=provcheck test signer,C=US"
    );
    assert_eq!(e.path[0].issuer, "CN=Test Issuing CA,O=provcheck test,C=US");
    assert_eq!(e.path[0].key_algorithm, "ECDSA P-256");
    assert_eq!(e.path[1].key_algorithm, "ECDSA P-384");
    assert_eq!(e.path[0].common_name.as_deref(), Some("Test Signer"));
    assert_eq!(
        e.path[0].organization.as_deref(),
        Some("provcheck test signer")
    );
    assert!(!e.path[0].is_ca && e.path[1].is_ca && e.path[2].is_ca);
    assert_eq!(e.path[0].not_before, "2023-01-01T00:00:00Z");
    assert_eq!(e.path[0].sha256, hex::encode(cert::sha256(&p.leaf.der())));
    assert_eq!(e.path[0].spki_sha256, hex::encode(p.leaf.spki_sha256()));
    match e.ended_at {
        Some(PathEnd::Anchor {
            source,
            ref subject,
            ref sha256,
        }) => {
            assert_eq!(source, TrustSource::UserAnchors);
            assert_eq!(subject, "CN=Test Root CA,O=provcheck test,C=US");
            assert_eq!(*sha256, hex::encode(cert::sha256(&p.root.der())));
        }
        ref other => panic!("unexpected end {other:?}"),
    }
    // The root need not be presented: it is taken from the store.
    let e2 = engine.evaluate(&chain(&[&p.leaf, &p.int]), Purpose::ClaimSigning, mid());
    assert!(e2.trusted, "{e2:#?}");
    assert_eq!(e2.path.len(), 3);
}

/// C2PA 2.x "Trust model" (anchors may be issuing CAs; `-partial_chain` semantics): the
/// path stops at the first certificate that is an anchor, even an intermediate.
#[test]
fn c2pa_trust_model_partial_chain_anchor_is_intermediate() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.int], TrustSource::C2paTrustList));
    let e = engine.evaluate(
        &chain(&[&p.leaf, &p.int, &p.root]),
        Purpose::ClaimSigning,
        mid(),
    );
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path.len(), 2);
    assert!(matches!(
        e.ended_at,
        Some(PathEnd::Anchor {
            source: TrustSource::C2paTrustList,
            ..
        })
    ));
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("#2") && n.contains("not used")),
        "{:?}",
        e.notes
    );
    // Without the intermediate presented, it still comes from the store.
    assert!(
        engine
            .evaluate(&chain(&[&p.leaf]), Purpose::ClaimSigning, mid())
            .trusted
    );
}

/// RFC 5280 6.1 path building: the order of non-leaf certificates is irrelevant,
/// duplicates are ignored with a note, junk entries are ignored with a note.
#[test]
fn rfc5280_6_1_unordered_duplicated_and_junk_intermediates() {
    let root = root("Root");
    let int1 = issued(ca_params("Int 1"), &PKCS_ECDSA_P256_SHA256, &root);
    let int2 = issued(ca_params("Int 2"), &PKCS_ECDSA_P256_SHA256, &int1);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &int2);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    let mut presented = chain(&[&leaf, &int1, &root, &int2, &int1]);
    presented.push(b"not a certificate".to_vec());
    let e = engine.evaluate(&presented, Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    let subjects: Vec<&str> = e
        .path
        .iter()
        .map(|l| l.common_name.as_deref().unwrap())
        .collect();
    assert_eq!(subjects, ["Signer", "Int 2", "Int 1", "Root"]);
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("#4") && n.contains("duplicate")),
        "{:?}",
        e.notes
    );
    assert!(
        e.notes.iter().any(|n| n.contains("reordered")),
        "{:?}",
        e.notes
    );
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("#5") && n.contains("could not be parsed")),
        "{:?}",
        e.notes
    );
}

/// Path depth limit (rustls-webpki style; RFC 5280 6.1 leaves it to the implementation):
/// a chain longer than MAX_PATH_DEPTH certificates fails with DepthExceeded.
#[test]
fn depth_limit_overlong_chain_is_depth_exceeded() {
    let root = root("Deep Root");
    let mut cas = vec![root];
    for i in 0..9 {
        let next = issued(
            ca_params(&format!("Deep Int {i}")),
            &PKCS_ECDSA_P256_SHA256,
            cas.last().unwrap(),
        );
        cas.push(next);
    }
    let leaf = issued(
        leaf_params("Deep Signer"),
        &PKCS_ECDSA_P256_SHA256,
        cas.last().unwrap(),
    );
    let engine = TrustEngine::new(store_with(&[&cas[0]], TrustSource::UserAnchors));
    let mut presented = vec![leaf.der()];
    presented.extend(cas.iter().skip(1).rev().map(|c| c.der()));
    let e = engine.evaluate(&presented, Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert!(codes(&e).contains(&"depth-exceeded"), "{e:#?}");
    assert_eq!(e.path.len(), MAX_PATH_DEPTH);

    // The same construction within the limit (leaf + 6 intermediates + root = 8) is fine.
    let leaf6 = issued(
        leaf_params("Shallow Signer"),
        &PKCS_ECDSA_P256_SHA256,
        &cas[6],
    );
    let mut ok = vec![leaf6.der()];
    ok.extend(cas[1..=6].iter().map(|c| c.der()));
    let e = engine.evaluate(&ok, Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path.len(), 8);
}

/// Loop prevention (RFC 5280 6.1 path building, as rustls-webpki): two CAs that issued each
/// other (A issues B issues A) make path building terminate, not loop.
#[test]
fn loop_prevention_cross_issued_cas_terminate() {
    let a = root("Loop CA A");
    let b = issued(ca_params("Loop CA B"), &PKCS_ECDSA_P256_SHA256, &a);
    // A' : subject and key of A, issued by B.
    let a_prime = TestCert {
        cert: ca_params("Loop CA A")
            .signed_by(&a.key, &b.cert, &b.key)
            .unwrap(),
        key: KeyPair::generate().unwrap(),
    };
    let leaf = issued(leaf_params("Loop Signer"), &PKCS_ECDSA_P256_SHA256, &a);
    let engine = TrustEngine::new(TrustStore::new());
    let e = engine.evaluate(
        &chain(&[&leaf, &b, &a_prime, &a]),
        Purpose::ClaimSigning,
        mid(),
    );
    assert!(!e.trusted);
    assert!(!e.failures.is_empty());
    assert!(e.path.len() <= 3, "{e:#?}");
    // And with B as anchor the loop resolves to a trusted path leaf -> A' -> B.
    let engine = TrustEngine::new(store_with(&[&b], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &a_prime, &b]), Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
}

// ---------------------------------------------------------------------------------------
// validity time

/// RFC 5280 4.1.2.5: a leaf evaluated after notAfter is Expired; the same chain evaluated
/// at an earlier time (the trusted timestamp's time) is trusted.
#[test]
fn rfc5280_4_1_2_5_expired_leaf_but_trusted_at_timestamp_time() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let c = chain(&[&p.leaf, &p.int]);
    let late = engine.evaluate(&c, Purpose::ClaimSigning, ts(2025, 1, 1));
    assert!(!late.trusted);
    assert_eq!(codes(&late), ["expired"]);
    assert_eq!(late.failures[0].index, 0);
    match &late.failures[0].error {
        ChainError::Expired { not_after } => assert_eq!(not_after, "2024-01-01T00:00:00Z"),
        e => panic!("{e:?}"),
    }
    assert!(late.failed_only_on_time());
    assert!(late.ended_at.is_some());
    let at_timestamp = engine.evaluate(&c, Purpose::ClaimSigning, ts(2023, 8, 1));
    assert!(at_timestamp.trusted);
}

/// RFC 5280 4.1.2.5: evaluated before notBefore -> NotYetValid; anchors are checked too.
#[test]
fn rfc5280_4_1_2_5_not_yet_valid_and_expired_anchor() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let e = engine.evaluate(
        &chain(&[&p.leaf, &p.int]),
        Purpose::ClaimSigning,
        ts(2022, 6, 1),
    );
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["not-yet-valid"]);

    let mut rp = ca_params("Short Root");
    rp.not_after = rcgen::date_time_ymd(2023, 3, 1);
    let short_root = self_signed(rp, &PKCS_ECDSA_P256_SHA256);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &short_root);
    let engine = TrustEngine::new(store_with(&[&short_root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["expired"]);
    assert_eq!(e.failures[0].index, 1, "the anchor at path index 1 expired");
}

/// RFC 5280 4.1.2.5 with alternative paths: when an intermediate was re-issued with the
/// same name and key, the path through the copy valid at the evaluation time is chosen.
#[test]
fn rfc5280_4_1_2_5_reissued_intermediate_picks_copy_valid_at_time() {
    let root = root("Reissue Root");
    let int_key = key(&PKCS_ECDSA_P256_SHA256);
    let mut old_p = ca_params("Reissued CA");
    old_p.not_after = rcgen::date_time_ymd(2023, 3, 1);
    let old = old_p.signed_by(&int_key, &root.cert, &root.key).unwrap();
    let mut new_p = ca_params("Reissued CA");
    new_p.not_before = rcgen::date_time_ymd(2023, 2, 1);
    let new = new_p.signed_by(&int_key, &root.cert, &root.key).unwrap();
    let int = TestCert {
        cert: old,
        key: int_key,
    };
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &int);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    let presented = vec![leaf.der(), int.der(), new.der().to_vec()];
    let e = engine.evaluate(&presented, Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path[1].sha256, hex::encode(cert::sha256(new.der())));
    let early = engine.evaluate(&presented, Purpose::ClaimSigning, ts(2023, 1, 15));
    assert!(early.trusted, "{early:#?}");
    assert_eq!(early.path[1].sha256, hex::encode(cert::sha256(&int.der())));
    assert_eq!(engine.evaluations_performed(), 1);
}

// ---------------------------------------------------------------------------------------
// signatures and algorithms

/// RFC 5280 6.1.3 (a)(1): a leaf whose signature does not verify under its named issuer's
/// key fails with BadSignature.
#[test]
fn rfc5280_6_1_3_bad_signature() {
    let p = pki();
    // Same issuer name as p.int, different key.
    let impostor = self_signed(ca_params("Test Issuing CA"), &PKCS_ECDSA_P256_SHA256);
    let mut lp = leaf_params("Forged Signer");
    lp.use_authority_key_identifier_extension = false;
    let forged = issued(lp, &PKCS_ECDSA_P256_SHA256, &impostor);
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&forged, &p.int]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["bad-signature"]);
    assert_eq!(e.failures[0].index, 0);
    assert_eq!(e.ended_at, None);
}

/// RFC 5280 4.1.1.2 / 6.1.3 with Ed25519 (RFC 8410) and RSA PKCS#1 v1.5 SHA-256 (RFC 4055).
#[test]
fn rfc5280_6_1_3_ed25519_and_rsa_links_verify() {
    let root = self_signed(ca_params("RSA Root"), &PKCS_RSA_SHA256);
    let int = issued(ca_params("Ed Int"), &PKCS_ED25519, &root);
    let leaf = issued(leaf_params("Ed Signer"), &PKCS_ED25519, &int);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &int]), Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path[0].key_algorithm, "Ed25519");
    assert_eq!(e.path[2].key_algorithm, "RSA 2048");
}

/// 2030-01-01: inside the validity of the OpenSSL fixtures (2026-11-23 .. 2126).
const FIXTURE_TIME: i64 = 1_893_456_000;

fn fixture(name: &str) -> Vec<u8> {
    let pem = match name {
        "pss-ca" => include_str!("testdata/pss-ca.pem"),
        "pss-leaf" => include_str!("testdata/pss-leaf.pem"),
        "pss-leaf-salt20" => include_str!("testdata/pss-leaf-salt20.pem"),
        "p521-ca" => include_str!("testdata/p521-ca.pem"),
        "p521-leaf" => include_str!("testdata/p521-leaf.pem"),
        _ => unreachable!(),
    };
    pem::parse_blocks(pem.as_bytes()).unwrap().remove(0).der
}

/// RFC 4055 3.1: RSASSA-PSS with SHA-256, MGF1-SHA-256 and salt 32 verifies; other
/// parameters (salt 20) are UnsupportedAlgorithm.
#[test]
fn rfc4055_rsassa_pss_params() {
    let mut store = TrustStore::new();
    store
        .add_anchor_der(&fixture("pss-ca"), TrustSource::UserAnchors)
        .unwrap();
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(&[fixture("pss-leaf")], Purpose::ClaimSigning, FIXTURE_TIME);
    assert!(e.trusted, "{e:#?}");
    let e = engine.evaluate(
        &[fixture("pss-leaf-salt20")],
        Purpose::ClaimSigning,
        FIXTURE_TIME,
    );
    assert!(!e.trusted);
    assert!(
        e.name_only_matches.is_empty(),
        "unsupported is not a forgery"
    );
    assert_eq!(e.failures.len(), 1, "{e:#?}");
    assert_eq!(
        e.failures[0].error,
        ChainError::UnsupportedAlgorithm {
            oid: "1.2.840.113549.1.1.10".into()
        }
    );
}

/// RFC 5758 3.2 / RFC 5480: ECDSA P-521 is not verifiable with ring 0.17; reported as
/// UnsupportedAlgorithm with the curve OID, never a panic.
#[test]
fn rfc5480_p521_is_unsupported_algorithm() {
    let mut store = TrustStore::new();
    store
        .add_anchor_der(&fixture("p521-ca"), TrustSource::UserAnchors)
        .unwrap();
    assert_eq!(
        store.anchors().next().unwrap().cert.key_algorithm,
        "ECDSA P-521"
    );
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(&[fixture("p521-leaf")], Purpose::ClaimSigning, FIXTURE_TIME);
    assert!(!e.trusted);
    assert!(
        e.name_only_matches.is_empty(),
        "unsupported is not a forgery"
    );
    assert_eq!(e.failures.len(), 1, "{e:#?}");
    assert_eq!(
        e.failures[0].error,
        ChainError::UnsupportedAlgorithm {
            oid: "1.3.132.0.35".into()
        }
    );
}

// ---------------------------------------------------------------------------------------
// basicConstraints, keyUsage, EKU

/// RFC 5280 4.2.1.9: an issuer without cA=TRUE cannot issue.
#[test]
fn rfc5280_4_2_1_9_issuer_not_ca() {
    let root = root("Root");
    let mut ip = ca_params("Not A CA");
    ip.is_ca = IsCa::ExplicitNoCa;
    let not_ca = issued(ip, &PKCS_ECDSA_P256_SHA256, &root);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &not_ca);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &not_ca]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["issuer-not-ca"]);
    assert_eq!(e.failures[0].index, 1);
    assert_eq!(e.path.len(), 2);
}

/// RFC 5280 4.2.1.9 pathLenConstraint: root -> int1 (pathLen 0) -> int2 -> leaf fails.
#[test]
fn rfc5280_4_2_1_9_path_len_exceeded() {
    let root = root("Root");
    let mut p1 = ca_params("Int pathLen 0");
    p1.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let int1 = issued(p1, &PKCS_ECDSA_P256_SHA256, &root);
    let int2 = issued(ca_params("Int 2"), &PKCS_ECDSA_P256_SHA256, &int1);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &int2);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &int2, &int1]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["path-len-exceeded"]);
    assert_eq!(e.failures[0].index, 2);
    // pathLen 0 allows an end-entity directly below.
    let leaf1 = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &int1);
    assert!(
        engine
            .evaluate(&chain(&[&leaf1, &int1]), Purpose::ClaimSigning, mid())
            .trusted
    );
}

/// RFC 5280 4.2.1.9 + C2PA "X.509 certificates": the signer must be an end-entity.
#[test]
fn rfc5280_4_2_1_9_leaf_is_ca() {
    let p = pki();
    let mut lp = leaf_params("CA Signer");
    lp.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let leaf = issued(lp, &PKCS_ECDSA_P256_SHA256, &p.int);
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &p.int]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["leaf-is-ca"]);
}

/// RFC 5280 4.2.1.3 + C2PA: a claim signer needs keyUsage with digitalSignature (absent
/// keyUsage is also KeyUsageMissing for claim signing).
#[test]
fn rfc5280_4_2_1_3_leaf_key_usage_digital_signature() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let mut lp = leaf_params("KE Signer");
    lp.key_usages = vec![KeyUsagePurpose::KeyEncipherment];
    let leaf = issued(lp, &PKCS_ECDSA_P256_SHA256, &p.int);
    let e = engine.evaluate(&chain(&[&leaf, &p.int]), Purpose::ClaimSigning, mid());
    assert_eq!(codes(&e), ["key-usage-missing"]);
    let mut lp = leaf_params("No KU Signer");
    lp.key_usages = vec![];
    let leaf = issued(lp, &PKCS_ECDSA_P256_SHA256, &p.int);
    let e = engine.evaluate(&chain(&[&leaf, &p.int]), Purpose::ClaimSigning, mid());
    assert_eq!(codes(&e), ["key-usage-missing"]);
    assert!(!e.trusted);
    assert!(e.ended_at.is_some(), "the path itself is fine");
}

/// RFC 5280 4.2.1.3: an issuer whose keyUsage is present must assert keyCertSign.
#[test]
fn rfc5280_4_2_1_3_issuer_key_cert_sign() {
    let root = root("Root");
    let mut ip = ca_params("Int without keyCertSign");
    ip.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let int = issued(ip, &PKCS_ECDSA_P256_SHA256, &root);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &int);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &int]), Purpose::ClaimSigning, mid());
    assert_eq!(codes(&e), ["ca-key-usage-missing"]);
}

/// RFC 5280 4.2.1.12 + C2PA "X.509 certificates": the claim signer must carry an EKU from
/// the configured set; missing EKU, anyExtendedKeyUsage alone, or only serverAuth fail.
#[test]
fn rfc5280_4_2_1_12_leaf_eku_policy() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let eval = |ekus: Vec<ExtendedKeyUsagePurpose>| {
        let mut lp = leaf_params("EKU Signer");
        lp.extended_key_usages = ekus;
        let leaf = issued(lp, &PKCS_ECDSA_P256_SHA256, &p.int);
        engine.evaluate(&chain(&[&leaf, &p.int]), Purpose::ClaimSigning, mid())
    };
    assert_eq!(codes(&eval(vec![])), ["eku-missing"]);
    let any = eval(vec![ExtendedKeyUsagePurpose::Any]);
    assert_eq!(
        any.failures[0].error,
        ChainError::EkuNotAllowed {
            found: vec!["2.5.29.37.0".into()]
        }
    );
    assert_eq!(
        codes(&eval(vec![ExtendedKeyUsagePurpose::ServerAuth])),
        ["eku-not-allowed"]
    );
    assert!(eval(vec![ExtendedKeyUsagePurpose::EmailProtection]).trusted);
    assert!(
        eval(vec![
            ExtendedKeyUsagePurpose::Any,
            ExtendedKeyUsagePurpose::Other(MS_C2PA_EKU.to_vec())
        ])
        .trusted
    );

    // A configured EKU set replaces the default.
    let mut store = store_with(&[&p.root], TrustSource::UserAnchors);
    assert_eq!(
        store
            .add_eku_config("// only server auth\n1.3.6.1.5.5.7.3.1\n")
            .unwrap(),
        1
    );
    let engine = TrustEngine::new(store);
    let mut lp = leaf_params("Server Signer");
    lp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = issued(lp, &PKCS_ECDSA_P256_SHA256, &p.int);
    assert!(
        engine
            .evaluate(&chain(&[&leaf, &p.int]), Purpose::ClaimSigning, mid())
            .trusted
    );
    assert!(
        !engine
            .evaluate(&chain(&[&p.leaf, &p.int]), Purpose::ClaimSigning, mid())
            .trusted
    );
}

/// C2PA 2.x EKU chaining: an intermediate with an EKU extension must include an allowed
/// EKU or anyExtendedKeyUsage (a failure when enforced, otherwise a note).
#[test]
fn c2pa_eku_chaining_intermediate_eku_must_intersect() {
    let root = root("Root");
    let mut ip = ca_params("TLS-only Int");
    ip.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let tls_int = issued(ip, &PKCS_ECDSA_P256_SHA256, &root);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &tls_int);
    let engine = TrustEngine::new(store_with(&[&root], TrustSource::UserAnchors));
    // Default: reported as a note only (deployed Adobe chains violate it).
    let e = engine.evaluate(&chain(&[&leaf, &tls_int]), Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert!(
        e.notes.iter().any(|n| n.contains("C2PA EKU chaining")),
        "{:?}",
        e.notes
    );
    // Enforced: a failure at the intermediate.
    let mut store = store_with(&[&root], TrustSource::UserAnchors);
    store.set_enforce_intermediate_eku(true);
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(&chain(&[&leaf, &tls_int]), Purpose::ClaimSigning, mid());
    assert_eq!(codes(&e), ["eku-not-allowed"]);
    assert_eq!(e.failures[0].index, 1);

    let mut ip = ca_params("Any-EKU Int");
    ip.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any];
    let any_int = issued(ip, &PKCS_ECDSA_P256_SHA256, &root);
    let leaf = issued(leaf_params("Signer"), &PKCS_ECDSA_P256_SHA256, &any_int);
    assert!(
        engine
            .evaluate(&chain(&[&leaf, &any_int]), Purpose::ClaimSigning, mid())
            .trusted
    );
}

/// RFC 3161 2.3: a time-stamp signer must carry id-kp-timeStamping; claim-signing EKUs do
/// not qualify, and the C2PA TSA list is used for time stamps only.
#[test]
fn rfc3161_2_3_timestamping_purpose_requires_time_stamping_eku() {
    let p = pki();
    let mut tp = leaf_params("TSA");
    tp.extended_key_usages = vec![ExtendedKeyUsagePurpose::TimeStamping];
    let tsa = issued(tp, &PKCS_ECDSA_P256_SHA256, &p.int);
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::C2paTsaTrustList));
    let ok = engine.evaluate(&chain(&[&tsa, &p.int]), Purpose::TimeStamping, mid());
    assert!(ok.trusted, "{ok:#?}");
    let wrong = engine.evaluate(&chain(&[&p.leaf, &p.int]), Purpose::TimeStamping, mid());
    assert_eq!(codes(&wrong), ["eku-not-allowed"]);
    // The TSA list does not anchor claim signers.
    let claim = engine.evaluate(&chain(&[&p.leaf, &p.int]), Purpose::ClaimSigning, mid());
    assert!(!claim.trusted);
    assert_eq!(codes(&claim), ["unknown-issuer"]);
    assert!(
        claim
            .notes
            .iter()
            .any(|n| n.contains("c2pa-tsa-trust-list")),
        "{:?}",
        claim.notes
    );
}

// ---------------------------------------------------------------------------------------
// allow-list, pins, forgeries

/// C2PA trust model (end-entity allow-list, as the interim list): an allow-listed leaf is
/// trusted by exact hash with no chain at all; validity and EKU still apply.
#[test]
fn c2pa_allowed_leaf_by_hash_without_chain() {
    let unknown_ca = root("Unlisted CA");
    let leaf = issued(
        leaf_params("Allowed Signer"),
        &PKCS_ECDSA_P256_SHA256,
        &unknown_ca,
    );
    use base64::Engine as _;
    let line = base64::engine::general_purpose::STANDARD.encode(cert::sha256(&leaf.der()));
    let mut store = TrustStore::new();
    let n = store
        .add_allowed(
            format!("# O=provcheck test\n{line}\n\n").as_bytes(),
            TrustSource::InterimAllowed,
        )
        .unwrap();
    assert_eq!(n, 1);
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(&[leaf.der()], Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path.len(), 1);
    assert_eq!(
        e.ended_at,
        Some(PathEnd::AllowedLeaf {
            source: TrustSource::InterimAllowed,
            sha256: hex::encode(cert::sha256(&leaf.der()))
        })
    );
    let expired = engine.evaluate(&[leaf.der()], Purpose::ClaimSigning, ts(2025, 1, 1));
    assert_eq!(codes(&expired), ["expired"]);
    // Another leaf from the same CA is not allowed.
    let other = issued(
        leaf_params("Other Signer"),
        &PKCS_ECDSA_P256_SHA256,
        &unknown_ca,
    );
    let e = engine.evaluate(&chain(&[&other, &unknown_ca]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert_eq!(codes(&e), ["untrusted-root"]);

    // PEM form and bad lines.
    let mut store = TrustStore::new();
    assert_eq!(
        store
            .add_allowed(leaf.pem().as_bytes(), TrustSource::UserAllowed)
            .unwrap(),
        1
    );
    assert_eq!(
        store.allowed_source(&cert::sha256(&leaf.der())),
        Some(TrustSource::UserAllowed)
    );
    let err = store
        .add_allowed(b"# c\nnot-base64!\n", TrustSource::UserAllowed)
        .unwrap_err();
    assert!(
        matches!(err, TrustError::AllowedEntry { line: 2, .. }),
        "{err:?}"
    );
}

/// Generator pins: a pinned CA key on the path ends it when no anchor is reachable, and
/// `pinned_generators` is reported (also when the path fails only on time).
#[test]
fn generator_pin_ends_path_and_is_reported() {
    let p = pki();
    let mut store = TrustStore::new();
    store.add_pin(
        p.int.spki_sha256(),
        "CN=Test Issuing CA,O=provcheck test,C=US",
        "testgen",
    );
    assert_eq!(store.pins().count(), 1);
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(&chain(&[&p.leaf, &p.int]), Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path.len(), 2);
    assert_eq!(e.pinned_generators, ["testgen"]);
    assert!(matches!(&e.ended_at, Some(PathEnd::Pin { generator, .. }) if generator == "testgen"));
    let late = engine.evaluate(
        &chain(&[&p.leaf, &p.int]),
        Purpose::ClaimSigning,
        ts(2026, 1, 1),
    );
    assert!(!late.trusted);
    assert!(late.failed_only_on_time());
    assert_eq!(late.pinned_generators, ["testgen"]);

    // With an anchor above the pin, the anchor-ended path is preferred and the pin is
    // still reported.
    let mut store = store_with(&[&p.root], TrustSource::InterimAnchors);
    store.add_pin(
        p.int.spki_sha256(),
        "CN=Test Issuing CA,O=provcheck test,C=US",
        "testgen",
    );
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(
        &chain(&[&p.leaf, &p.int, &p.root]),
        Purpose::ClaimSigning,
        mid(),
    );
    assert!(e.trusted);
    assert!(matches!(e.ended_at, Some(PathEnd::Anchor { .. })));
    assert_eq!(e.pinned_generators, ["testgen"]);
    assert_eq!(e.path.len(), 3);
}

/// C2PA trust model, name-only forgery: a self-made CA with a pinned CA's exact name but
/// another key is NameMatchesKnownCaKeyDiffers, recorded in name_only_matches, not trusted.
#[test]
fn c2pa_name_only_forgery_of_pinned_ca() {
    const MS_CA: &str = "CN=Microsoft SCD Claimants RSA CA,O=Microsoft Corporation,C=US";
    let mut real_p = ca_params("x");
    let mut d = DistinguishedName::new();
    d.push(DnType::CountryName, "US");
    d.push(DnType::OrganizationName, "Microsoft Corporation");
    d.push(DnType::CommonName, "Microsoft SCD Claimants RSA CA");
    real_p.distinguished_name = d.clone();
    let real = self_signed(real_p.clone(), &PKCS_ECDSA_P256_SHA256);
    let fake = self_signed(real_p, &PKCS_ECDSA_P256_SHA256);
    let mut lp = leaf_params("Microsoft Corporation");
    lp.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(MS_C2PA_EKU.to_vec())];
    let forged_leaf = issued(lp, &PKCS_ECDSA_P256_SHA256, &fake);

    let mut store = TrustStore::new();
    store.add_pin(real.spki_sha256(), MS_CA, "microsoft");
    let engine = TrustEngine::new(store);
    let e = engine.evaluate(&chain(&[&forged_leaf, &fake]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert!(e.pinned_generators.is_empty());
    assert!(
        codes(&e).contains(&"name-matches-known-ca-key-differs"),
        "{e:#?}"
    );
    assert_eq!(e.name_only_matches.len(), 1);
    let m = &e.name_only_matches[0];
    assert_eq!(m.subject, MS_CA);
    assert_eq!(m.known_source, "pin:microsoft");
    assert_eq!(m.known_spki_sha256, hex::encode(real.spki_sha256()));
    assert_eq!(m.presented_spki_sha256, hex::encode(fake.spki_sha256()));
    let f = e
        .failures
        .iter()
        .find(|f| f.error.code() == "name-matches-known-ca-key-differs")
        .unwrap();
    assert_eq!(f.index, 1, "index of the fake CA in the presented chain");

    // The genuine CA with the same name is fine.
    let good_leaf = issued(leaf_params("Genuine"), &PKCS_ECDSA_P256_SHA256, &real);
    let e = engine.evaluate(&chain(&[&good_leaf, &real]), Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert!(e.name_only_matches.is_empty());
}

/// C2PA trust model, name-only forgery by issuer name only: the top certificate names an
/// anchor as issuer but does not verify under the anchor's key.
#[test]
fn c2pa_name_only_forgery_of_anchor_issuer_name() {
    let p = pki();
    let impostor = self_signed(ca_params("Test Root CA"), &PKCS_ECDSA_P256_SHA256);
    let mut ip = ca_params("Rogue Int");
    ip.use_authority_key_identifier_extension = false;
    let rogue_int = issued(ip, &PKCS_ECDSA_P256_SHA256, &impostor);
    let leaf = issued(
        leaf_params("Rogue Signer"),
        &PKCS_ECDSA_P256_SHA256,
        &rogue_int,
    );
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::InterimAnchors));
    let e = engine.evaluate(&chain(&[&leaf, &rogue_int]), Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert!(codes(&e).contains(&"bad-signature"), "{e:#?}");
    assert!(
        codes(&e).contains(&"name-matches-known-ca-key-differs"),
        "{e:#?}"
    );
    assert_eq!(e.name_only_matches.len(), 1);
    assert_eq!(e.name_only_matches[0].presented_spki_sha256, "");
    assert_eq!(e.name_only_matches[0].known_source, "interim-anchors");
    // Presenting the impostor root itself is flagged as a presented-certificate match.
    let e = engine.evaluate(
        &chain(&[&leaf, &rogue_int, &impostor]),
        Purpose::ClaimSigning,
        mid(),
    );
    assert!(!e.trusted);
    assert_eq!(
        e.name_only_matches[0].presented_spki_sha256,
        hex::encode(impostor.spki_sha256())
    );
}

/// RFC 5280 6.1 / C2PA: an anchor re-encoded or cross-signed (same subject and key, other
/// certificate) in the presented chain ends the path at the store's own anchor.
#[test]
fn rfc5280_6_1_cross_signed_copy_of_anchor_ends_path() {
    let p = pki();
    let other_root = root("Other Root");
    let cross = ca_params("Test Issuing CA")
        .signed_by(&p.int.key, &other_root.cert, &other_root.key)
        .unwrap();
    let engine = TrustEngine::new(store_with(&[&p.int], TrustSource::C2paTrustList));
    let presented = vec![p.leaf.der(), cross.der().to_vec(), other_root.der()];
    let e = engine.evaluate(&presented, Purpose::ClaimSigning, mid());
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path[1].sha256, hex::encode(cert::sha256(&p.int.der())));
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("anchor's own certificate")),
        "{:?}",
        e.notes
    );
}

/// C2PA: a self-signed signer that is neither anchored nor allowed is SelfSignedLeaf.
#[test]
fn c2pa_self_signed_leaf() {
    let leaf = self_signed(leaf_params("Lonely"), &PKCS_ECDSA_P256_SHA256);
    let engine = TrustEngine::new(TrustStore::new());
    let e = engine.evaluate(&[leaf.der()], Purpose::ClaimSigning, mid());
    assert_eq!(codes(&e), ["self-signed-leaf"]);
}

/// Input hygiene (RFC 5280 4.1 certificate syntax; C2PA x5chain): empty chain, unparsable
/// leaf, and more than MAX_PRESENTED certificates.
#[test]
fn empty_malformed_and_oversized_chains() {
    let engine = TrustEngine::new(TrustStore::new());
    let e = engine.evaluate(&[], Purpose::ClaimSigning, mid());
    assert_eq!(codes(&e), ["empty-chain"]);
    let e = engine.evaluate(
        &[vec![0x30, 0x03, 0x02, 0x01, 0x00]],
        Purpose::ClaimSigning,
        mid(),
    );
    assert_eq!(codes(&e), ["malformed"]);
    assert!(!e.trusted);
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let mut many = vec![p.leaf.der()];
    for i in 0..20u8 {
        many.push(vec![i; 10]);
    }
    many.push(p.int.der()); // beyond the 16 considered
    let e = engine.evaluate(&many, Purpose::ClaimSigning, mid());
    assert!(!e.trusted);
    assert!(e.notes.iter().any(|n| n.contains("only the first 16")));
}

// ---------------------------------------------------------------------------------------
// cache and concurrency

/// The structural cache: the same chain evaluated 1000 times at different times costs one
/// structural evaluation, and results still follow the time (RFC 5280 4.1.2.5 per call).
#[test]
fn cache_one_structural_evaluation_for_many_times() {
    let p = pki();
    let engine = TrustEngine::new(store_with(&[&p.root], TrustSource::UserAnchors));
    let c = chain(&[&p.leaf, &p.int]);
    let start = ts(2022, 7, 1);
    let (mut trusted, mut expired, mut early) = (0, 0, 0);
    for i in 0..1000i64 {
        let at = start + i * 86400; // one day apart: 2022-07 .. 2025-03
        let e = engine.evaluate(&c, Purpose::ClaimSigning, at);
        let in_window = at >= ts(2023, 1, 1) - 12 * 3600 && at <= ts(2024, 1, 1) - 12 * 3600;
        assert_eq!(e.trusted, in_window, "at {at}");
        match codes(&e).as_slice() {
            [] => trusted += 1,
            ["expired"] => expired += 1,
            ["not-yet-valid"] => early += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(engine.evaluations_performed(), 1);
    assert_eq!(trusted, 365);
    assert!(expired > 0 && early > 0);
    // Another purpose is another cache entry.
    engine.evaluate(&c, Purpose::TimeStamping, mid());
    assert_eq!(engine.evaluations_performed(), 2);
    assert_eq!(engine.cached_entries(), 2);
}

/// The engine is shared by worker threads (Send + Sync) and gives the same answers.
#[test]
fn concurrent_use_from_several_threads() {
    let p = pki();
    let other = pki();
    let engine = Arc::new(TrustEngine::new(store_with(
        &[&p.root],
        TrustSource::UserAnchors,
    )));
    let good = Arc::new(chain(&[&p.leaf, &p.int]));
    let bad = Arc::new(chain(&[&other.leaf, &other.int]));
    let handles: Vec<_> = (0..6)
        .map(|t| {
            let (engine, good, bad) = (engine.clone(), good.clone(), bad.clone());
            std::thread::spawn(move || {
                for i in 0..200 {
                    let at = mid() + (t * 200 + i) as i64;
                    assert!(engine.evaluate(&good, Purpose::ClaimSigning, at).trusted);
                    let e = engine.evaluate(&bad, Purpose::ClaimSigning, at);
                    assert!(!e.trusted);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert!(engine.evaluations_performed() >= 2);
    assert!(engine.evaluations_performed() <= 12);
}

// ---------------------------------------------------------------------------------------
// store and serialisation

/// RFC 7468 (PEM) bundles as trust lists ship them: text between blocks is ignored, a bad
/// block is an error naming its index, and anchors keep their list of origin (C2PA trust
/// model: report which list made a signer trusted). Also the store.cfg EKU format.
#[test]
fn store_pem_errors_name_block_index_and_summaries() {
    let p = pki();
    let bundle = format!(
        "## list header\nLabel A\n{}\n# comment\n{}",
        p.root.pem(),
        "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n"
    );
    let mut store = TrustStore::new();
    let err = store
        .add_anchors_pem(bundle.as_bytes(), TrustSource::UserAnchors)
        .unwrap_err();
    assert!(
        matches!(err, TrustError::Certificate { index: 1, .. }),
        "{err:?}"
    );
    assert_eq!(
        store.anchors().count(),
        0,
        "nothing added from a bad bundle"
    );
    let two = format!("Label\n{}\nLabel 2\n{}", p.root.pem(), p.int.pem());
    assert_eq!(
        store
            .add_anchors_pem(two.as_bytes(), TrustSource::UserAnchors)
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .add_anchors_pem(two.as_bytes(), TrustSource::UserAnchors)
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .add_anchors_pem(two.as_bytes(), TrustSource::InterimAnchors)
            .unwrap(),
        2
    );
    let a = store.anchors().next().unwrap();
    assert_eq!(a.cert.subject, "CN=Test Root CA,O=provcheck test,C=US");
    assert_eq!(a.cert.not_after, "2040-01-01T00:00:00Z");
    let json = serde_json::to_value(a).unwrap();
    assert_eq!(json["source"], "user-anchors");
    assert_eq!(json["spki_sha256"], hex::encode(p.root.spki_sha256()));
    // `trust list --json` keeps its anchor fields and their order (no O/CN, no supplied_by)
    let keys: Vec<String> = serde_json::to_string(a)
        .unwrap()
        .split(",\"")
        .map(|k| {
            k.trim_start_matches("{\"")
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        keys,
        [
            "subject",
            "issuer",
            "serial",
            "sha256",
            "spki_sha256",
            "not_before",
            "not_after",
            "key_algorithm",
            "is_ca",
            "source"
        ]
    );

    let mut store = TrustStore::new();
    assert_eq!(store.eku_oids(Purpose::ClaimSigning).len(), 4);
    assert!(matches!(
        store.add_eku_config("1.2.3\nfoo\n"),
        Err(TrustError::EkuConfig { line: 2, .. })
    ));
    assert_eq!(
        store
            .add_eku_config("// a\n1.3.6.1.5.5.7.3.4 // trailing\n")
            .unwrap(),
        1
    );
    assert_eq!(store.eku_oids(Purpose::ClaimSigning), ["1.3.6.1.5.5.7.3.4"]);
    assert_eq!(store.eku_oids(Purpose::TimeStamping), ["1.3.6.1.5.5.7.3.8"]);
}

/// Output contract: kebab-case list names, `code`-tagged errors (RFC 5280 error classes),
/// `kind`-tagged path ends, one-line Display.
#[test]
fn serialisation_is_kebab_case_with_codes() {
    assert_eq!(
        serde_json::to_value(TrustSource::C2paTsaTrustList).unwrap(),
        "c2pa-tsa-trust-list"
    );
    let back: TrustSource = serde_json::from_str("\"generator-pin\"").unwrap();
    assert_eq!(back, TrustSource::GeneratorPin);
    let e = ChainError::EkuNotAllowed {
        found: vec!["1.2.3".into()],
    };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["code"], "eku-not-allowed");
    assert_eq!(v["found"][0], "1.2.3");
    assert_eq!(e.code(), "eku-not-allowed");
    assert_eq!(
        serde_json::to_value(ChainError::NameMatchesKnownCaKeyDiffers {
            known_source: "pin:x".into()
        })
        .unwrap()["code"],
        ChainError::NameMatchesKnownCaKeyDiffers {
            known_source: String::new()
        }
        .code()
    );
    let end = PathEnd::AllowedLeaf {
        source: TrustSource::InterimAllowed,
        sha256: "ab".into(),
    };
    let v = serde_json::to_value(&end).unwrap();
    assert_eq!(v["kind"], "allowed-leaf");
    assert_eq!(v["source"], "interim-allowed");
    assert_eq!(ChainError::BadSignature.to_string().lines().count(), 1);
}

/// RFC 4514 strings from certificates are attacker-controlled: kept as-is but bounded.
#[test]
fn attacker_controlled_dn_strings_are_bounded() {
    let mut p = leaf_params("x");
    let mut d = DistinguishedName::new();
    d.push(DnType::CommonName, "A".repeat(5000));
    p.distinguished_name = d;
    let leaf = self_signed(p, &PKCS_ECDSA_P256_SHA256);
    let engine = TrustEngine::new(TrustStore::new());
    let e = engine.evaluate(&[leaf.der()], Purpose::ClaimSigning, mid());
    assert!(e.path[0].subject.chars().count() <= MAX_DN_CHARS + 1);
    assert!(e.path[0].common_name.as_ref().unwrap().chars().count() <= MAX_DN_CHARS + 1);
}

// ---------------------------------------------------------------------------------------
// real trust lists and real signer chains

mod real_data;
