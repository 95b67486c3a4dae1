//! The claim signature of one manifest, verified as the SDK's `verify_cose` does: the COSE_Sign1
//! (RFC 9052 section 4.4) with ring, the time-stamp and the certificate profile with the SDK's
//! own public functions.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use c2pa::crypto::cose::{check_end_entity_certificate_profile, CertificateTrustPolicy};
use c2pa::status_tracker::{LogKind, StatusTracker};
use coset::cbor::value::Value;
use coset::{iana, CoseSign1, Label, RegisteredLabelWithPrivate, TaggedCborSerializable};

use crate::read::cose::map_get;

/// A verified claim signature.
pub(super) struct Signed {
    pub alg: c2pa::SigningAlg,
    /// Signing time from the time-stamp, RFC 3339 as the SDK writes it.
    pub time: String,
    pub chain: Vec<Vec<u8>>,
    /// (code, explanation) the SDK's time-stamp and profile checks logged, all successes.
    pub log: Vec<(String, String)>,
}

/// Unprotected header entries the fast path understands: `x5chain` (33, or by name as C2PA 1.x
/// writers put it), the time-stamp and
/// padding. Anything else (stapled OCSP `rVals`, ...) goes to the SDK.
fn known_unprotected(l: &Label) -> bool {
    match l {
        Label::Int(33) => true,
        Label::Text(t) => matches!(
            t.as_str(),
            "x5chain" | "sigTst" | "sigTst2" | "pad" | "pad2"
        ),
        _ => false,
    }
}

/// Verify a claim signature and its time-stamp as the SDK's `verify_cose` does; `profile`:
/// also the signing certificate's C2PA profile (the SDK checks it for the active manifest only
/// when its own trust check is off).
pub(super) fn verify_signature(
    cose: &[u8],
    claim: &[u8],
    ctp: &CertificateTrustPolicy,
    profile: bool,
) -> Result<Signed, &'static str> {
    let mut sign1 = CoseSign1::from_tagged_slice(cose).map_err(|_| "COSE not tagged")?;
    if !sign1
        .unprotected
        .rest
        .iter()
        .all(|(l, _)| known_unprotected(l))
    {
        return Err("unprotected header");
    }
    let (alg, ring_alg): (
        c2pa::SigningAlg,
        &dyn ring::signature::VerificationAlgorithm,
    ) = match &sign1.protected.header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(a)) => match a {
            iana::Algorithm::PS256 => (
                c2pa::SigningAlg::Ps256,
                &ring::signature::RSA_PSS_2048_8192_SHA256,
            ),
            iana::Algorithm::PS384 => (
                c2pa::SigningAlg::Ps384,
                &ring::signature::RSA_PSS_2048_8192_SHA384,
            ),
            iana::Algorithm::PS512 => (
                c2pa::SigningAlg::Ps512,
                &ring::signature::RSA_PSS_2048_8192_SHA512,
            ),
            iana::Algorithm::ES256 => (
                c2pa::SigningAlg::Es256,
                &ring::signature::ECDSA_P256_SHA256_FIXED,
            ),
            iana::Algorithm::ES384 => (
                c2pa::SigningAlg::Es384,
                &ring::signature::ECDSA_P384_SHA384_FIXED,
            ),
            iana::Algorithm::EdDSA => (c2pa::SigningAlg::Ed25519, &ring::signature::ED25519),
            _ => return Err("algorithm"),
        },
        _ => return Err("algorithm"),
    };
    let chain = c2pa::crypto::cose::cert_chain_from_sign1(&sign1).map_err(|_| "x5chain")?;
    let leaf = chain.first().ok_or("x5chain")?.clone();
    let (_, cert) = x509_parser::parse_x509_certificate(&leaf).map_err(|_| "certificate")?;
    let spki = cert.public_key();
    // the key must be of the kind the COSE algorithm names (RFC 8230 section 2, RFC 9053
    // section 2.1): the raw key bits alone do not say which curve the certificate declares
    let key_oid = spki.algorithm.algorithm.to_id_string();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .map(|o| o.to_id_string());
    let kind_ok = match alg {
        c2pa::SigningAlg::Ps256 | c2pa::SigningAlg::Ps384 | c2pa::SigningAlg::Ps512 => {
            key_oid == "1.2.840.113549.1.1.1" || key_oid == "1.2.840.113549.1.1.10"
        }
        c2pa::SigningAlg::Es256 => {
            key_oid == "1.2.840.10045.2.1" && curve.as_deref() == Some("1.2.840.10045.3.1.7")
        }
        c2pa::SigningAlg::Es384 => {
            key_oid == "1.2.840.10045.2.1" && curve.as_deref() == Some("1.3.132.0.34")
        }
        c2pa::SigningAlg::Ed25519 => key_oid == "1.3.101.112",
        _ => false,
    };
    if !kind_ok {
        return Err("key kind");
    }
    let key = spki.subject_public_key.data.to_vec();
    // the SDK's CertificateInfo needs an organisation in the subject; without one it fails
    if cert
        .subject()
        .iter_organization()
        .last()
        .and_then(|a| a.as_str().ok())
        .is_none()
    {
        return Err("no organisation");
    }

    // RFC 9052 section 4.4: Sig_structure with the detached payload (the claim's bytes)
    sign1.payload = Some(claim.to_vec());
    let tbs = sign1.tbs_data(&[]);
    ring::signature::UnparsedPublicKey::new(ring_alg, &key)
        .verify(&tbs, &sign1.signature)
        .map_err(|_| "signature")?;

    // the time-stamp: one token, checked by the SDK's public verifier (as its Reader does)
    let mut log = StatusTracker::default();
    let mut tst_headers = sign1
        .unprotected
        .rest
        .iter()
        .filter(|(l, _)| matches!(l, Label::Text(t) if t == "sigTst" || t == "sigTst2"));
    let (tst_label, tst_value) = tst_headers.next().ok_or("no time-stamp")?;
    if tst_headers.next().is_some() {
        return Err("several time-stamp headers");
    }
    let Some(Value::Array(tokens)) = map_get(tst_value, "tstTokens") else {
        return Err("time-stamp shape");
    };
    let [token] = tokens.as_slice() else {
        return Err("not exactly one time-stamp token");
    };
    let Some(Value::Bytes(token)) = map_get(token, "val") else {
        return Err("time-stamp token");
    };
    let v2_input;
    let imprint_input: &[u8] = if matches!(tst_label, Label::Text(t) if t == "sigTst2") {
        let mut buf = Vec::new();
        coset::cbor::ser::into_writer(&Value::Bytes(sign1.signature.clone()), &mut buf)
            .map_err(|_| "time-stamp input")?;
        v2_input = buf;
        &v2_input
    } else {
        claim
    };
    // what the SDK's `cose_countersign_data` builds (RFC 9338 countersignature structure)
    let tbs_tst = coset::sig_structure_data(
        coset::SignatureContext::CounterSignature,
        sign1.protected.clone(),
        None,
        &[],
        imprint_input,
    );
    let tst = c2pa::crypto::time_stamp::verify_time_stamp(token, &tbs_tst, ctp, &mut log, false)
        .map_err(|_| "time-stamp")?;
    if profile {
        check_end_entity_certificate_profile(&leaf, ctp, &mut log, Some(&tst))
            .map_err(|_| "certificate profile")?;
    }
    let mut entries = Vec::new();
    for item in log.logged_items() {
        if !matches!(item.kind, LogKind::Success) {
            return Err("a check logged more than success");
        }
        let code = item
            .validation_status
            .as_deref()
            .ok_or("uncoded log item")?;
        entries.push((code.to_string(), item.description.to_string()));
    }
    if !entries.iter().any(|(c, _)| c == "timeStamp.validated") {
        return Err("time-stamp not validated");
    }
    let time: chrono::DateTime<chrono::Utc> = tst.gen_time.clone().into();
    Ok(Signed {
        alg,
        time: time.to_rfc3339(),
        chain,
        log: entries,
    })
}
