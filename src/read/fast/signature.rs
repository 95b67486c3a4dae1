//! The claim signature of one manifest, verified as the SDK's `verify_cose` does: the COSE_Sign1
//! (RFC 9052 section 4.4) with ring, the time-stamp with ring ([`super::tst`]) or else the SDK's
//! `verify_time_stamp`, the certificate profile with the port of the SDK's check
//! ([`super::profile`]) at the time-stamp's time, whichever verified it.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use c2pa::status_tracker::{LogKind, StatusTracker};
use coset::cbor::value::Value;
use coset::{iana, CoseSign1, Label, RegisteredLabelWithPrivate, TaggedCborSerializable};

use super::spki::{is_plain_pss, spki_algorithm_der, ED25519, P256, P384, RSA, RSA_PSS};

/// A verified claim signature.
#[derive(Clone)]
pub(super) struct Signed {
    pub alg: c2pa::SigningAlg,
    /// Signing time from the time-stamp, RFC 3339 as the SDK writes it (`None` without one).
    pub time: Option<String>,
    pub chain: Vec<Vec<u8>>,
    /// What the SDK's time-stamp check logged (or [`super::tst`] as it would), in its order:
    /// successes, and the informational `timeStamp.*` entries of a token it refused.
    pub log: Vec<Logged>,
    /// Whether the signature verifies. When it does not, the claim is the SDK's
    /// `claimSignature.mismatch` (see [`verify_signature`]); everything else is still checked.
    pub valid: bool,
    /// (code, explanation) of the one failure the SDK's certificate-profile check logged, when
    /// the signing certificate does not meet the C2PA profile (C2PA 2.1 section 14.5.1):
    /// expired at the signing time, a CA certificate, a key usage outside the profile. The
    /// SDK's `verify_signature` logs it, ignores the error and goes on to the signature.
    pub profile_failure: Option<(String, String)>,
    /// The time-stamp signer's certificate, when [`super::tst`] verified the token (the SDK's
    /// verifier does not give it: then `read::cose::tsa_chain` asks the SDK).
    pub tsa_signer: Option<Vec<u8>>,
    /// The signature carries a time-stamp header (`sigTst`, `sigTst2`), usable or not.
    pub has_timestamp_header: bool,
    /// The header's one RFC 3161 token as the SDK reads it (`None` without a header, or with
    /// one the SDK reads no token from).
    pub token: Option<Vec<u8>>,
}

/// One entry of a signature check's log, as the SDK's results file it.
#[derive(Clone)]
pub(super) struct Logged {
    pub code: String,
    pub explanation: String,
    /// The SDK logged it as informational (`LogKind::Informational`), else as a success.
    pub informational: bool,
}

/// The tokens of a time-stamp header (`sigTst`, `sigTst2`) exactly where the SDK's serde read
/// of it (`TstContainer { tstTokens: Vec<TstToken> }`, sigtst.rs) is certain: `Ok(None)` for a
/// map of text keys without `tstTokens`, which that read refuses (a missing field: the SDK has
/// no time-stamp and logs nothing); the array of a single `tstTokens`. Anything whose serde
/// reading is less plain (other key types, the key twice, a value that is not an array, a
/// header that is not a map) goes to the SDK.
fn tst_container(v: &Value) -> Result<Option<&[Value]>, &'static str> {
    match only_text_keys(v, "tstTokens")? {
        None => Ok(None),
        Some(Value::Array(tokens)) => Ok(Some(tokens)),
        Some(_) => Err("time-stamp shape"),
    }
}

/// The value of `key` in a CBOR map all of whose keys are text and which names `key` at most
/// once, as serde's derived struct reading takes it (other text keys ignored, a field twice
/// refused); `Err` for any other shape.
fn only_text_keys<'v>(v: &'v Value, key: &str) -> Result<Option<&'v Value>, &'static str> {
    let Value::Map(entries) = v else {
        return Err("time-stamp shape");
    };
    let mut found = None;
    for (k, value) in entries {
        match k {
            Value::Text(t) if t == key => {
                if found.replace(value).is_some() {
                    return Err("time-stamp shape");
                }
            }
            Value::Text(_) => {}
            _ => return Err("time-stamp shape"),
        }
    }
    Ok(found)
}

/// Unprotected header entries the fast path understands: `x5chain` (33, or by name as C2PA 1.x
/// writers put it), the time-stamp, stapled revocation values (`rVals`, checked as the SDK
/// does), padding, and `temp_signing_time`, which older c2pa-rs releases wrote into their
/// signatures and which the SDK (0.90) reads nowhere: unsigned, so nothing here reads it either.
/// Anything else goes to the SDK.
fn known_unprotected(l: &Label) -> bool {
    match l {
        Label::Int(33) => true,
        Label::Text(t) => matches!(
            t.as_str(),
            "x5chain" | "sigTst" | "sigTst2" | "pad" | "pad2" | "rVals" | "temp_signing_time"
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
    fast: &super::policy::FastPath,
    profile: bool,
) -> Result<Signed, &'static str> {
    let ctp = &fast.ctp;
    let mut sign1 = CoseSign1::from_tagged_slice(cose).map_err(|_| "COSE not tagged")?;
    if !sign1
        .unprotected
        .rest
        .iter()
        .all(|(l, _)| known_unprotected(l))
    {
        return Err("unprotected header");
    }
    let (alg, ring_alg) = algorithm(&sign1)?;
    let chain = c2pa::crypto::cose::cert_chain_from_sign1(&sign1).map_err(|_| "x5chain")?;
    let leaf = chain.first().ok_or("x5chain")?.clone();
    let (_, cert) = x509_parser::parse_x509_certificate(&leaf).map_err(|_| "certificate")?;
    let spki = cert.public_key();
    let key = signing_key(alg, spki)?;
    // the SDK's CertificateInfo needs an organisation in the subject; without one it fails
    if !names_organisation(&cert) {
        return Err("no organisation");
    }

    // RFC 9052 section 4.4: Sig_structure with the detached payload (the claim's bytes)
    sign1.payload = Some(claim.to_vec());
    let tbs = sign1.tbs_data(&[]);
    let valid = ring::signature::UnparsedPublicKey::new(ring_alg, &key)
        .verify(&tbs, &sign1.signature)
        .is_ok();
    if !valid {
        // A signature that does not verify is the SDK's `claimSignature.mismatch`, with its
        // time-stamp, OCSP and profile checks still run (below) and logged. Only when the
        // SDK's own validator for the algorithm refuses it too: ring accepts a narrower set
        // of keys (RSA of 2048 to 8192 bits), so its "no" alone could be the key, not the
        // signature. An ECDSA signature that parses as DER is the SDK's
        // `signingCredential.invalid` before anything else: that goes to the SDK.
        let ecdsa = matches!(alg, c2pa::SigningAlg::Es256 | c2pa::SigningAlg::Es384);
        if ecdsa && sign1.signature.first() == Some(&0x30) {
            return Err("signature");
        }
        let sdk = c2pa::crypto::raw_signature::validator_for_signing_alg(alg).ok_or("signature")?;
        if sdk.validate(&sign1.signature, &tbs, spki.raw).is_ok() {
            return Err("signature");
        }
    }

    // the time-stamp: none, or one token, verified by [`super::tst`] with ring when it can say
    // yes, else by the SDK's public verifier (as its Reader does, with every failure logged by
    // it); without one the SDK judges the certificate at the current time, and so does this
    let mut log = StatusTracker::default();
    let mut tst_headers = sign1
        .unprotected
        .rest
        .iter()
        .filter(|(l, _)| matches!(l, Label::Text(t) if t == "sigTst" || t == "sigTst2"));
    let first = tst_headers.next();
    if tst_headers.next().is_some() {
        return Err("several time-stamp headers");
    }
    // verified with ring ([`super::tst`]), or by the SDK (whose TstInfo type is not nameable)
    let mut own = None;
    let mut sdk_tst = None;
    let mut tst_token = None;
    match first {
        None => {}
        Some((tst_label, tst_value)) => {
            // the SDK's `validate_cose_tst_info` reads the header into its `TstContainer` and,
            // when that fails or yields no token, has no time-stamp and logs nothing (C2PA 1.x
            // drafts' `tstToken` key, say); several tokens it logs as malformed (left to it)
            let tokens = match tst_container(tst_value)? {
                None => &[][..],
                Some(tokens) => tokens,
            };
            match tokens {
                [] => {}
                [token] => {
                    let Some(Value::Bytes(token)) = only_text_keys(token, "val")? else {
                        return Err("time-stamp token");
                    };
                    tst_token = Some(token.clone());
                    let v2 = matches!(tst_label, Label::Text(t) if t == "sigTst2");
                    let tbs_tst = countersigned(&sign1, claim, v2).ok_or("time-stamp input")?;
                    own = super::tst::verify(token, &tbs_tst);
                    if own.is_none() {
                        // a token the SDK refuses is not fatal to it (C2PA 2.1 section 15.7:
                        // `verify_cose` keeps what `verify_time_stamp` logged, informational
                        // `timeStamp.*` entries, and judges the signature without a time), and
                        // not here either: its log is kept below and `sdk_tst` stays `None`
                        sdk_tst = c2pa::crypto::time_stamp::verify_time_stamp(
                            token, &tbs_tst, ctp, &mut log, false,
                        )
                        .ok();
                    }
                }
                _ => return Err("not exactly one time-stamp token"),
            }
        }
    }
    // a stapled OCSP response (C2PA 2.1 section 15.7.2, `rVals`): the SDK checks it before the
    // signature (`verify_claim` -> `check_ocsp_status`) and acts on it only when its trust
    // policy trusts the responder's certificate (`check_stapled_ocsp_response`: otherwise the
    // response is ignored and nothing of it is logged). The policy here is the one the SDK's
    // reader has without `sdk_trust`, which trusts nothing ([`super::policy::FastPath`]): the
    // SDK ignores every stapled response, and so does this path (`known_unprotected` lets
    // `rVals` through; nothing reads it).

    // the signing time as the SDK's TstInfo gives it: (seconds, RFC 3339); `None` without a
    // time-stamp, where the profile is judged at the current time
    let signed_at = match (own.as_ref(), sdk_tst.as_ref()) {
        (Some(own), _) => Some((own.seconds, own.rfc3339.clone())),
        (None, Some(t)) => {
            let time: chrono::DateTime<chrono::Utc> = t.gen_time.clone().into();
            Some((time.timestamp(), time.to_rfc3339()))
        }
        (None, None) => None,
    };
    // the signing certificate's C2PA profile, by the port of the SDK's check (profile.rs: the
    // same checks, codes and explanations, at the signing time in seconds, which is all the
    // SDK's check reads of its TstInfo); an error the SDK returns without a log entry declines
    let profile_failure = if profile {
        match super::profile::check_end_entity_profile(&leaf, signed_at.as_ref().map(|t| t.0)) {
            Ok(()) => None,
            Err(Some((code, explanation))) => Some((code.to_string(), explanation.to_string())),
            Err(None) => return Err("certificate profile"),
        }
    } else {
        None
    };
    let (mut entries, tsa_signer): (Vec<Logged>, _) = match own {
        Some(own) => (
            own.log
                .into_iter()
                .map(|(code, explanation)| Logged {
                    code,
                    explanation,
                    informational: false,
                })
                .collect(),
            Some(own.signer),
        ),
        None => (Vec::new(), None),
    };
    for item in log.logged_items() {
        let informational = match item.kind {
            LogKind::Success => false,
            LogKind::Informational => true,
            _ => return Err("a check logged a failure"),
        };
        let code = item
            .validation_status
            .as_deref()
            .ok_or("uncoded log item")?;
        // the SDK's results file a status by the kind its log item has (`from_log_item`)
        entries.push(Logged {
            code: code.to_string(),
            explanation: item.description.to_string(),
            informational,
        });
    }
    if signed_at.is_some() && !entries.iter().any(|e| e.code == "timeStamp.validated") {
        return Err("time-stamp not validated");
    }
    let time = signed_at.map(|(_, rfc3339)| rfc3339);
    Ok(Signed {
        alg,
        time,
        chain,
        log: entries,
        valid,
        profile_failure,
        tsa_signer,
        has_timestamp_header: first.is_some(),
        token: tst_token,
    })
}

/// The COSE algorithm of the protected header (RFC 9053 section 2, RFC 8230 section 2) and
/// ring's verifier for it; an algorithm ring lacks (ES512) is an error.
fn algorithm(
    sign1: &CoseSign1,
) -> Result<
    (
        c2pa::SigningAlg,
        &'static dyn ring::signature::VerificationAlgorithm,
    ),
    &'static str,
> {
    Ok(match &sign1.protected.header.alg {
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
    })
}

/// The signing key's bits, when the certificate's key is of the kind the COSE algorithm names.
fn signing_key(
    alg: c2pa::SigningAlg,
    spki: &x509_parser::x509::SubjectPublicKeyInfo,
) -> Result<Vec<u8>, &'static str> {
    // the key must be of the kind the COSE algorithm names (RFC 8230 section 2, RFC 9053
    // section 2.1): the raw key bits alone do not say which curve the certificate declares
    // x509-parser reads the SubjectPublicKeyInfo leniently (a parameter with the wrong tag still
    // reads as the curve), the SDK's validators strictly: the AlgorithmIdentifier must be
    // byte for byte one of the plain encodings (RFC 3279 2.3.1 / 2.3.5, RFC 5480 2.1.1,
    // RFC 8410 3); anything else (RSASSA-PSS keys with parameters, for one) goes to the SDK
    let algorithm_id = spki_algorithm_der(spki.raw).ok_or("key encoding")?;
    let kind_ok = match alg {
        c2pa::SigningAlg::Ps256 | c2pa::SigningAlg::Ps384 | c2pa::SigningAlg::Ps512 => {
            algorithm_id == RSA || algorithm_id == RSA_PSS || is_plain_pss(algorithm_id)
        }
        c2pa::SigningAlg::Es256 => algorithm_id == P256,
        c2pa::SigningAlg::Es384 => algorithm_id == P384,
        c2pa::SigningAlg::Ed25519 => algorithm_id == ED25519,
        _ => false,
    };
    if !kind_ok {
        return Err("key kind");
    }
    Ok(spki.subject_public_key.data.to_vec())
}

/// The subject names an organisation, read as c2pa 0.90.22's `verify_signature` reads it (the
/// last `O` attribute, as a string): without one the SDK fails a signature it has verified.
fn names_organisation(cert: &x509_parser::certificate::X509Certificate) -> bool {
    cert.subject()
        .iter_organization()
        .last()
        .and_then(|a| a.as_str().ok())
        .is_some()
}

/// c2pa 0.90.22 verifies a claim signature and then, building its `CertificateInfo`, fails it
/// when the signing certificate's subject names no organisation: it reports
/// `claimSignature.mismatch` for a signature that holds (fixed in later releases; 0.91.3
/// reports mp4/legacy.mp4 of the corpus, signed with such a certificate, as valid; c2pa-rs
/// issue 2262: a Sony camera with an individual creator certificate). True when
/// that is the case here: the leaf of `cose`'s chain names no organisation, and the COSE_Sign1
/// (RFC 9052 section 4.4, the detached payload being `claim`, the claim box's bytes) verifies
/// with ring *and* with the SDK's own validator for its algorithm. Anything unusual is false.
pub(crate) fn holds_without_organisation(cose: &[u8], claim: &[u8]) -> bool {
    let check = || -> Result<bool, &'static str> {
        let mut sign1 = CoseSign1::from_tagged_slice(cose).map_err(|_| "COSE not tagged")?;
        let (alg, ring_alg) = algorithm(&sign1)?;
        let chain = c2pa::crypto::cose::cert_chain_from_sign1(&sign1).map_err(|_| "x5chain")?;
        let leaf = chain.first().ok_or("x5chain")?;
        let (_, cert) = x509_parser::parse_x509_certificate(leaf).map_err(|_| "certificate")?;
        if names_organisation(&cert) {
            return Ok(false);
        }
        let key = signing_key(alg, cert.public_key())?;
        sign1.payload = Some(claim.to_vec());
        let tbs = sign1.tbs_data(&[]);
        let ring_says = ring::signature::UnparsedPublicKey::new(ring_alg, &key)
            .verify(&tbs, &sign1.signature)
            .is_ok();
        let sdk = c2pa::crypto::raw_signature::validator_for_signing_alg(alg).ok_or("validator")?;
        Ok(ring_says
            && sdk
                .validate(&sign1.signature, &tbs, cert.public_key().raw)
                .is_ok())
    };
    check().unwrap_or(false)
}

/// The data an RFC 3161 token of a claim signature covers (the SDK's `cose_countersign_data`,
/// an RFC 9338 countersignature structure): over the claim (`sigTst`) or over the signature's
/// bytes as a CBOR byte string (`sigTst2`).
pub(super) fn countersigned(sign1: &CoseSign1, claim: &[u8], v2: bool) -> Option<Vec<u8>> {
    let v2_input;
    let imprint_input: &[u8] = if v2 {
        let mut buf = Vec::new();
        coset::cbor::ser::into_writer(&Value::Bytes(sign1.signature.clone()), &mut buf).ok()?;
        v2_input = buf;
        &v2_input
    } else {
        claim
    };
    Some(coset::sig_structure_data(
        coset::SignatureContext::CounterSignature,
        sign1.protected.clone(),
        None,
        &[],
        imprint_input,
    ))
}
