//! [`super::tst`] and [`super::profile`] against the SDK functions they stand in for: the
//! time-stamp verifier on every token of the corpus and on changed tokens, the profile port on
//! every certificate of the corpus and on generated certificates of each branch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use c2pa::crypto::cose::{check_end_entity_certificate_profile, CertificateTrustPolicy};
use c2pa::status_tracker::{LogKind, StatusTracker};
use coset::{CoseSign1, Label, TaggedCborSerializable};

use super::profile::check_end_entity_profile;
use super::signature::countersigned;
use super::tst::verify;
use crate::read::cose::{token_certificates, x5chain};
use crate::read::jumbf;
use crate::read::sniff::sniff_full;

/// One time-stamp token of the corpus with the data its imprint covers.
struct Token {
    file: String,
    token: Vec<u8>,
    data: Vec<u8>,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every corpus and sample file with a manifest store, and its store: read once per test run
/// (the tests below share it).
fn stores() -> &'static [(String, Vec<u8>)] {
    static STORES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    STORES.get_or_init(read_stores)
}

fn read_stores() -> Vec<(String, Vec<u8>)> {
    let Some(corpus) = crate::test_support::corpus("tst_tests (time-stamp and profile ports)")
    else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    files(&corpus, &mut paths);
    files(Path::new("samples"), &mut paths);
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let Ok(data) = std::fs::read(&p) else {
            continue;
        };
        let format = sniff_full(&data);
        // the SDK's reader for what provcheck's own locator does not read, but not for TIFF:
        // its IFD walk is unbounded (the conformance set's tiff_poc.tiff takes it over a
        // minute; provcheck bounds it with a time limit the tests here do not have)
        let store = match crate::read::locate::locate(&data, format) {
            Ok(Some(l)) => Some(l.store),
            _ if matches!(format, crate::read::sniff::Format::Tiff) => None,
            _ => c2pa::jumbf_io::load_jumbf_from_memory(format.mime(), &data).ok(),
        };
        if let Some(store) = store {
            out.push((p.display().to_string(), store));
        }
    }
    out
}

/// Every (claim, COSE_Sign1) of every manifest in the corpus.
fn signatures() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for (file, store) in stores() {
        for m in jumbf::parse_store(store).manifests {
            let (Some(range), Some(cose)) = (m.claim_range.clone(), m.signature.clone()) else {
                continue;
            };
            let Some(claim) = store.get(range) else {
                continue;
            };
            out.push((file.clone(), claim.to_vec(), cose));
        }
    }
    out
}

fn tokens() -> Vec<Token> {
    let mut out = Vec::new();
    for (file, claim, cose) in signatures() {
        let Ok(sign1) = CoseSign1::from_tagged_slice(&cose) else {
            continue;
        };
        for (label, value) in &sign1.unprotected.rest {
            let Label::Text(l) = label else { continue };
            if l != "sigTst" && l != "sigTst2" {
                continue;
            }
            let Some(coset::cbor::Value::Array(ts)) =
                crate::read::cose::map_get(value, "tstTokens")
            else {
                continue;
            };
            for t in ts {
                let Some(coset::cbor::Value::Bytes(token)) = crate::read::cose::map_get(t, "val")
                else {
                    continue;
                };
                let data = countersigned(&sign1, &claim, l == "sigTst2").expect("countersign");
                out.push(Token {
                    file: file.clone(),
                    token: token.clone(),
                    data,
                });
            }
        }
    }
    out
}

/// The SDK's verdict: (time as the own path writes it, time in seconds, log), or its log alone.
type Sdk = Result<(String, i64, Vec<(String, String)>), Vec<(String, String)>>;

fn entries(log: &StatusTracker) -> Vec<(String, String)> {
    log.logged_items()
        .iter()
        .map(|i| {
            (
                i.validation_status.as_deref().unwrap_or("-").to_string(),
                i.description.to_string(),
            )
        })
        .collect()
}

fn sdk(token: &[u8], data: &[u8]) -> Sdk {
    let mut log = StatusTracker::default();
    let ctp = CertificateTrustPolicy::default();
    match c2pa::crypto::time_stamp::verify_time_stamp(token, data, &ctp, &mut log, false) {
        Ok(t) => {
            let time: chrono::DateTime<chrono::Utc> = t.gen_time.clone().into();
            Ok((time.to_rfc3339(), time.timestamp(), entries(&log)))
        }
        Err(_) => Err(entries(&log)),
    }
}

/// Our success must be the SDK's success with the same time and log, and the same signer
/// certificate as the SDK's `tsa_signer_cert_der_from_token`.
fn agree(token: &[u8], data: &[u8], what: &str) -> bool {
    let ours = verify(token, data);
    let theirs = sdk(token, data);
    if let Some(v) = &ours {
        let Ok((time, seconds, log)) = &theirs else {
            panic!("{what}: own verifier accepts a token the SDK refuses: {theirs:?}");
        };
        assert_eq!(&v.rfc3339, time, "{what}: time");
        assert_eq!(v.seconds, *seconds, "{what}: seconds");
        assert_eq!(&v.log, log, "{what}: log");
        // the signer certificate the report's TSA chain starts with: the SDK's pick
        let signer = c2pa::crypto::time_stamp::tsa_signer_cert_der_from_token(token);
        assert_eq!(
            signer.ok().flatten().as_ref(),
            Some(&v.signer),
            "{what}: signer certificate"
        );
    }
    ours.is_some()
}

fn common_name(token: &[u8]) -> String {
    let Ok(Some(der)) = c2pa::crypto::time_stamp::tsa_signer_cert_der_from_token(token) else {
        return "?".into();
    };
    let Ok((_, c)) = x509_parser::parse_x509_certificate(&der) else {
        return "?".into();
    };
    c.subject()
        .iter_common_name()
        .filter_map(|a| a.as_str().ok())
        .collect::<Vec<_>>()
        .join("")
}

#[test]
fn corpus_tokens_verify_as_the_sdk_does() {
    if crate::test_support::corpus("corpus_tokens_verify_as_the_sdk_does").is_none() {
        return;
    }
    let tokens = tokens();
    assert!(tokens.len() >= 20, "corpus tokens: {}", tokens.len());
    // per TSA common name: (tokens, SDK success, own success)
    let mut by_tsa: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for t in &tokens {
        let ours = agree(&t.token, &t.data, &t.file);
        let sdk_ok = sdk(&t.token, &t.data).is_ok();
        let e = by_tsa.entry(common_name(&t.token)).or_default();
        e.0 += 1;
        e.1 += usize::from(sdk_ok);
        e.2 += usize::from(ours);
    }
    let (mut n, mut s, mut o) = (0, 0, 0);
    for (cn, (tokens, sdk_ok, own_ok)) in &by_tsa {
        eprintln!("{tokens:4} tokens, SDK ok {sdk_ok:4}, own ok {own_ok:4}  {cn}");
        n += tokens;
        s += sdk_ok;
        o += own_ok;
    }
    eprintln!("{n:4} tokens, SDK ok {s:4}, own ok {o:4}  (all)");
    // the common TSAs are ours: every token of theirs the SDK accepts, ours accepts too
    for tsa in ["DigiCert", "Adobe", "Google", "Truepic"] {
        let (sdk_ok, own_ok) = by_tsa
            .iter()
            .filter(|(cn, _)| cn.contains(tsa))
            .fold((0, 0), |(a, b), (_, e)| (a + e.1, b + e.2));
        assert!(sdk_ok > 0, "no {tsa} token in the corpus");
        assert_eq!(
            own_ok, sdk_ok,
            "{tsa}: own verifier takes fewer tokens than the SDK"
        );
    }
}

/// The first corpus token of each TSA the own verifier accepts.
fn accepted() -> Vec<Token> {
    let mut seen = std::collections::HashSet::new();
    tokens()
        .into_iter()
        .filter(|t| verify(&t.token, &t.data).is_some() && seen.insert(common_name(&t.token)))
        .collect()
}

/// Flip one byte of `bytes` at the first occurrence of `needle` (plus `at`).
fn flipped(bytes: &[u8], needle: &[u8], at: usize) -> Vec<u8> {
    let pos = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:02x?} not in token"));
    let mut out = bytes.to_vec();
    out[pos + at] ^= 0x01;
    out
}

#[test]
fn changed_tokens_go_to_the_sdk_which_fails_them() {
    if crate::test_support::corpus("changed_tokens_go_to_the_sdk_which_fails_them").is_none() {
        return;
    }
    use ring::digest::{digest, SHA256};
    let accepted = accepted();
    assert!(accepted.len() >= 3, "accepted TSAs: {}", accepted.len());
    for t in &accepted {
        let what = &t.file;
        let mut cases: Vec<(&str, Vec<u8>, Vec<u8>)> = Vec::new();
        // the message imprint (the countersigned data's hash inside TSTInfo), SHA-256/384/512
        let imprint = [&SHA256, &ring::digest::SHA384, &ring::digest::SHA512]
            .into_iter()
            .map(|a| digest(a, &t.data))
            .find(|d| t.token.windows(d.as_ref().len()).any(|w| w == d.as_ref()))
            .expect("imprint in token");
        let imprint_len = imprint.as_ref().len();
        cases.push((
            "message imprint",
            flipped(&t.token, imprint.as_ref(), 5),
            t.data.clone(),
        ));
        // the data the imprint covers
        let mut data = t.data.clone();
        let last = data.len() - 1;
        data[last] ^= 0x80;
        cases.push(("countersigned data", t.token.clone(), data));
        // eContent (TSTInfo) past the imprint: the last byte of its serial number (the
        // INTEGER after the imprint); the message-digest attribute no longer matches
        let pos = t
            .token
            .windows(imprint_len)
            .position(|w| w == imprint.as_ref())
            .expect("imprint")
            + imprint_len;
        let mut econtent = t.token.clone();
        assert_eq!(econtent[pos], 0x02, "serialNumber follows the imprint");
        let serial_len = usize::from(econtent[pos + 1]);
        econtent[pos + 1 + serial_len] ^= 0x01;
        cases.push(("eContent", econtent, t.data.clone()));
        // the signed message-digest attribute: the signature no longer covers it
        let md_oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
        cases.push((
            "signed attribute",
            flipped(&t.token, &md_oid, 15),
            t.data.clone(),
        ));
        // the signer's certificate: its key changed (first byte of its subjectPublicKey bits
        // past the header)
        let signer = c2pa::crypto::time_stamp::tsa_signer_cert_der_from_token(&t.token)
            .ok()
            .flatten()
            .expect("signer");
        let (_, c) = x509_parser::parse_x509_certificate(&signer).unwrap();
        let key = c.public_key().subject_public_key.data.to_vec();
        cases.push((
            "certificate key",
            flipped(&t.token, &key[..16], 12),
            t.data.clone(),
        ));
        for (case, token, data) in cases {
            assert!(
                verify(&token, &data).is_none(),
                "{what}: {case}: own verifier accepts"
            );
            let theirs = sdk(&token, &data);
            assert!(theirs.is_err(), "{what}: {case}: SDK accepts: {theirs:?}");
        }
    }
}

/// Every single-byte change of accepted tokens: whenever the own verifier still says yes, the
/// SDK says yes with the same time and log.
#[test]
fn byte_flips_never_make_the_two_disagree() {
    if crate::test_support::corpus("byte_flips_never_make_the_two_disagree").is_none() {
        return;
    }
    let accepted = accepted();
    let mut own_yes = 0;
    let mut total = 0;
    for t in &accepted {
        let stride = (t.token.len() / 600).max(1);
        for i in (0..t.token.len()).step_by(stride) {
            for mask in [0x01u8, 0x80] {
                let mut token = t.token.clone();
                token[i] ^= mask;
                total += 1;
                own_yes += usize::from(agree(&token, &t.data, &format!("{} byte {i}", t.file)));
            }
        }
    }
    eprintln!("{total} changed tokens, own verifier accepted {own_yes}");
    assert!(total > 1000);
}

// ---- the certificate profile port ----

/// The SDK's check as (ok, its log).
fn sdk_profile(der: &[u8]) -> (bool, Vec<(String, String)>) {
    let mut log = StatusTracker::default();
    let ok = check_end_entity_certificate_profile(
        der,
        &CertificateTrustPolicy::default(),
        &mut log,
        None,
    )
    .is_ok();
    assert!(log
        .logged_items()
        .iter()
        .all(|i| i.kind == LogKind::Failure));
    (ok, entries(&log))
}

fn port_profile(der: &[u8], at: Option<i64>) -> (bool, Vec<(String, String)>) {
    match check_end_entity_profile(der, at) {
        Ok(()) => (true, vec![]),
        Err(None) => (false, vec![]),
        Err(Some((c, e))) => (false, vec![(c.to_string(), e.to_string())]),
    }
}

fn corpus_certificates() -> Vec<Vec<u8>> {
    let mut certs = Vec::new();
    for (_, _, cose) in signatures() {
        certs.extend(x5chain(&cose));
        for t in crate::read::cose::timestamp_tokens(&cose) {
            certs.extend(token_certificates(&t));
        }
    }
    certs.sort();
    certs.dedup();
    certs
}

#[test]
fn profile_port_equals_the_sdk_on_corpus_certificates() {
    if crate::test_support::corpus("profile_port_equals_the_sdk_on_corpus_certificates").is_none() {
        return;
    }
    let certs = corpus_certificates();
    assert!(certs.len() >= 30, "corpus certificates: {}", certs.len());
    let mut outcomes = BTreeMap::new();
    for der in &certs {
        let theirs = sdk_profile(der);
        assert_eq!(port_profile(der, None), theirs);
        *outcomes.entry(format!("{theirs:?}")).or_insert(0) += 1;
    }
    eprintln!("{outcomes:#?}");
    assert!(outcomes.len() >= 3, "the corpus exercises several outcomes");
}

/// With a time-stamp: the SDK's TstInfo of every corpus token it accepts (its `gen_time`)
/// against the port's seconds, on every corpus certificate.
#[test]
fn profile_port_equals_the_sdk_at_time_stamp_times() {
    if crate::test_support::corpus("profile_port_equals_the_sdk_at_time_stamp_times").is_none() {
        return;
    }
    let certs = corpus_certificates();
    let ctp = CertificateTrustPolicy::default();
    let mut times = 0;
    let mut seen = std::collections::HashSet::new();
    for t in tokens() {
        let mut log = StatusTracker::default();
        let Ok(tst) =
            c2pa::crypto::time_stamp::verify_time_stamp(&t.token, &t.data, &ctp, &mut log, false)
        else {
            continue;
        };
        let time: chrono::DateTime<chrono::Utc> = tst.gen_time.clone().into();
        if !seen.insert(time.timestamp() / 86_400) {
            continue;
        }
        times += 1;
        for der in &certs {
            let mut log = StatusTracker::default();
            let ok = check_end_entity_certificate_profile(der, &ctp, &mut log, Some(&tst)).is_ok();
            assert_eq!(
                port_profile(der, Some(time.timestamp())),
                (ok, entries(&log)),
                "at {time}"
            );
        }
    }
    assert!(times >= 3, "distinct time-stamp days: {times}");
}

mod generated {
    use super::*;
    use rcgen::{
        BasicConstraints, CertificateParams, CustomExtension, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose,
    };

    fn params(cn: &str) -> CertificateParams {
        let mut p = CertificateParams::default();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.distinguished_name
            .push(DnType::OrganizationName, "provcheck tests");
        p.not_before = rcgen::date_time_ymd(2024, 1, 1);
        p.not_after = rcgen::date_time_ymd(2040, 1, 1);
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
        p.use_authority_key_identifier_extension = true;
        p
    }

    fn ca() -> (rcgen::Certificate, KeyPair) {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut p = params("test CA");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        p.extended_key_usages = vec![];
        p.use_authority_key_identifier_extension = false;
        (p.self_signed(&key).unwrap(), key)
    }

    fn signed(p: CertificateParams, alg: &'static rcgen::SignatureAlgorithm) -> Vec<u8> {
        let (ca, ca_key) = ca();
        let key = KeyPair::generate_for(alg).unwrap();
        p.signed_by(&key, &ca, &ca_key).unwrap().der().to_vec()
    }

    /// Replace the first occurrence of `from` by `to` (same length) in `der`: the signature no
    /// longer matches, which the profile check does not look at.
    fn patched(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
        assert_eq!(from.len(), to.len());
        let pos = der
            .windows(from.len())
            .position(|w| w == from)
            .expect("bytes to patch");
        let mut out = der.to_vec();
        out[pos..pos + to.len()].copy_from_slice(to);
        out
    }

    fn cases() -> Vec<(&'static str, Vec<u8>)> {
        let p256 = &rcgen::PKCS_ECDSA_P256_SHA256;
        let mut v = Vec::new();
        v.push(("plain", signed(params("plain"), p256)));
        v.push((
            "P-384",
            signed(params("p384"), &rcgen::PKCS_ECDSA_P384_SHA384),
        ));
        v.push(("Ed25519", signed(params("ed"), &rcgen::PKCS_ED25519)));
        let mut p = params("expired");
        p.not_before = rcgen::date_time_ymd(2001, 1, 1);
        p.not_after = rcgen::date_time_ymd(2002, 1, 1);
        v.push(("expired", signed(p, p256)));
        let mut p = params("future");
        p.not_before = rcgen::date_time_ymd(2090, 1, 1);
        p.not_after = rcgen::date_time_ymd(2091, 1, 1);
        v.push(("not yet valid", signed(p, p256)));
        let mut p = params("ca flag");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        v.push(("CA flag", signed(p, p256)));
        v.push(("self-signed CA", ca().0.der().to_vec()));
        let mut p = params("self-signed leaf");
        p.use_authority_key_identifier_extension = false;
        let key = KeyPair::generate_for(p256).unwrap();
        v.push((
            "self-signed leaf",
            p.self_signed(&key).unwrap().der().to_vec(),
        ));
        let mut p = params("any eku");
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any];
        v.push(("any EKU", signed(p, p256)));
        let mut p = params("no eku");
        p.extended_key_usages = vec![];
        v.push(("no EKU", signed(p, p256)));
        for (name, ekus) in [
            (
                "ocsp+timestamping",
                vec![
                    ExtendedKeyUsagePurpose::OcspSigning,
                    ExtendedKeyUsagePurpose::TimeStamping,
                ],
            ),
            ("timestamping", vec![ExtendedKeyUsagePurpose::TimeStamping]),
            (
                "timestamping+server",
                vec![
                    ExtendedKeyUsagePurpose::TimeStamping,
                    ExtendedKeyUsagePurpose::ServerAuth,
                ],
            ),
            ("server only", vec![ExtendedKeyUsagePurpose::ServerAuth]),
            (
                "code signing only",
                vec![ExtendedKeyUsagePurpose::CodeSigning],
            ),
            (
                "document signing",
                vec![ExtendedKeyUsagePurpose::Other(vec![
                    1, 3, 6, 1, 5, 5, 7, 3, 36,
                ])],
            ),
            (
                "C2PA signing",
                vec![ExtendedKeyUsagePurpose::Other(vec![
                    1, 3, 6, 1, 4, 1, 62558, 2, 1,
                ])],
            ),
            (
                "MS C2PA signing",
                vec![ExtendedKeyUsagePurpose::Other(vec![
                    1, 3, 6, 1, 4, 1, 311, 76, 59, 1, 9,
                ])],
            ),
            (
                "unknown other",
                vec![ExtendedKeyUsagePurpose::Other(vec![
                    1, 3, 6, 1, 4, 1, 99999, 1,
                ])],
            ),
            (
                "ocsp+unknown other",
                vec![
                    ExtendedKeyUsagePurpose::OcspSigning,
                    ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 4, 1, 62558, 2, 1]),
                ],
            ),
        ] {
            let mut p = params(name);
            p.extended_key_usages = ekus;
            v.push((name, signed(p, p256)));
        }
        let mut p = params("ds+kcs");
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyCertSign,
        ];
        v.push(("digitalSignature+keyCertSign", signed(p, p256)));
        let mut p = params("nr only");
        p.key_usages = vec![KeyUsagePurpose::ContentCommitment];
        v.push(("nonRepudiation only", signed(p, p256)));
        let mut p = params("ke only");
        p.key_usages = vec![KeyUsagePurpose::KeyEncipherment];
        v.push(("keyEncipherment only", signed(p, p256)));
        let mut p = params("no ku");
        p.key_usages = vec![];
        v.push(("no key usage", signed(p, p256)));
        let mut p = params("critical unknown");
        let mut ext = CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 2], vec![5, 0]);
        ext.set_criticality(true);
        p.custom_extensions = vec![ext];
        v.push(("unknown critical extension", signed(p, p256)));
        let mut p = params("noncritical unknown");
        p.custom_extensions = vec![CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 99999, 2],
            vec![5, 0],
        )];
        v.push(("unknown non-critical extension", signed(p, p256)));
        let mut p = params("no aki");
        p.use_authority_key_identifier_extension = false;
        v.push(("missing AKI", signed(p, p256)));
        // byte patches of a plain P-256 leaf: an unsupported curve (prime256v1 -> prime239v3),
        // P-521's OID, a v1 certificate's version (v3 -> v1 stays [0]-tagged: SDK reads v1),
        // a signature algorithm outside the list (ecdsa-with-SHA256 -> ecdsa-with-SHA224)
        let plain = signed(params("patched"), p256);
        let p256_oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
        let mut prime239 = p256_oid;
        prime239[9] = 0x06;
        v.push(("unsupported curve", patched(&plain, &p256_oid, &prime239)));
        let p521 = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];
        let p521_cert = signed(params("p521 shape"), &rcgen::PKCS_ECDSA_P384_SHA384);
        v.push((
            "P-521 curve OID",
            patched(
                &p521_cert,
                &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
                &p521,
            ),
        ));
        v.push((
            "version v1",
            patched(
                &plain,
                &[0xa0, 0x03, 0x02, 0x01, 0x02],
                &[0xa0, 0x03, 0x02, 0x01, 0x00],
            ),
        ));
        v.push((
            "version v2",
            patched(
                &plain,
                &[0xa0, 0x03, 0x02, 0x01, 0x02],
                &[0xa0, 0x03, 0x02, 0x01, 0x01],
            ),
        ));
        let ecdsa_sha256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
        let mut ecdsa_sha224 = ecdsa_sha256;
        ecdsa_sha224[9] = 0x01;
        v.push((
            "ecdsa-with-SHA224",
            patched(&plain, &ecdsa_sha256, &ecdsa_sha224),
        ));
        v.push(("not a certificate", plain[..plain.len() / 2].to_vec()));
        v
    }

    #[test]
    fn profile_port_equals_the_sdk_on_each_branch() {
        let mut outcomes = std::collections::HashSet::new();
        for (name, der) in cases() {
            let theirs = sdk_profile(&der);
            let ours = port_profile(&der, None);
            eprintln!("{name:32} {theirs:?}");
            assert_eq!(ours, theirs, "{name}");
            outcomes.insert(format!("{theirs:?}"));
        }
        // branches reached: success, expired, CA, self-signed, any EKU, missing EKU, EKU set,
        // digitalSignature+keyCertSign, params incorrect, curve, version, algorithm, parse
        assert!(outcomes.len() >= 12, "{outcomes:#?}");
    }

    /// RSA keys: rcgen here cannot make them, so the corpus's RSA certificates with their
    /// modulus shortened to 1024 bits (the profile check reads the modulus, not the signature).
    #[test]
    fn profile_port_equals_the_sdk_on_short_rsa_keys() {
        if crate::test_support::corpus("profile_port_equals_the_sdk_on_short_rsa_keys").is_none() {
            return;
        }
        let mut n = 0;
        for der in corpus_certificates() {
            let Ok((_, c)) = x509_parser::parse_x509_certificate(&der) else {
                continue;
            };
            let key = c.public_key().subject_public_key.data.to_vec();
            // RSAPublicKey ::= SEQUENCE { 30 82 01 0a, 02 82 01 01 00 <256 bytes>, exponent }
            if !key.starts_with(&[0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00]) {
                continue;
            }
            // zero the modulus's top 128 bytes: a 1024-bit number in the same encoding
            let mut short = key.clone();
            for b in &mut short[9..9 + 128] {
                *b = 0;
            }
            short[9 + 128] |= 0x80;
            let der = patched(&der, &key, &short);
            let theirs = sdk_profile(&der);
            assert_eq!(port_profile(&der, None), theirs);
            n += 1;
            if theirs
                .1
                .iter()
                .any(|(_, e)| e == "certificate key length too short")
            {
                n += 1000;
            }
        }
        assert!(
            n > 1000,
            "an RSA certificate reaches the key-length branch ({n})"
        );
    }
}

/// `DEFAULT_ADDITIONAL_EKUS` is what `CertificateTrustPolicy::default()` allows: a
/// certificate carrying each one passes the SDK's EKU check, and one more OID does not.
#[test]
fn default_eku_set_is_the_sdks() {
    use super::profile::DEFAULT_ADDITIONAL_EKUS;
    for oid in DEFAULT_ADDITIONAL_EKUS
        .iter()
        .copied()
        .chain(["1.3.6.1.4.1.99999.1", "1.3.6.1.5.5.7.3.3"])
    {
        let arcs: Vec<u64> = oid.split('.').map(|a| a.parse().unwrap()).collect();
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut p = rcgen::CertificateParams::default();
        p.distinguished_name.push(rcgen::DnType::CommonName, "eku");
        p.not_before = rcgen::date_time_ymd(2024, 1, 1);
        p.not_after = rcgen::date_time_ymd(2040, 1, 1);
        p.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::Other(arcs)];
        p.use_authority_key_identifier_extension = true;
        let ca_key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut cap = rcgen::CertificateParams::default();
        cap.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = cap.self_signed(&ca_key).unwrap();
        let der = p.signed_by(&key, &ca, &ca_key).unwrap().der().to_vec();
        let theirs = sdk_profile(&der);
        let missing = theirs
            .1
            .iter()
            .any(|(_, e)| e == "certificate missing required EKU");
        assert_eq!(
            !missing,
            DEFAULT_ADDITIONAL_EKUS.contains(&oid),
            "{oid}: {theirs:?}"
        );
        assert_eq!(port_profile(&der, None), theirs, "{oid}");
    }
}
