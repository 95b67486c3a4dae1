//! One RFC 3161 time-stamp token (RFC 3161 section 2.4.2: a CMS SignedData, RFC 5652 section
//! 5, over a TSTInfo) verified with ring, as c2pa 0.90.22's `verify_time_stamp` (src/crypto/
//! time_stamp/verify.rs, with `verify_trust` off) verifies it, for its success path only.
//!
//! [`verify`] returns what the SDK's success returns (the signing time, its two log entries)
//! when every check passes on a token read strictly; on anything else (a parse doubt, several
//! signer infos, an algorithm ring lacks, a check that fails) it returns `None` and the caller
//! runs the SDK's `verify_time_stamp`, so every failure and its log still come from the SDK.
//! Our success implies the SDK's success with the same log and time; the tests hold it to that
//! on every corpus token and on changed tokens.
//!
//! The SDK decodes with bcder (the outer ContentInfo, the TSTInfo) and rasn (the SignedData),
//! re-encodes certificates, the signer's key and the signed attributes with rasn, and picks its
//! validator from the signer certificate's key algorithm and the SignerInfo's digest algorithm
//! (`validator_for_sig_and_hash_algs`; SignerInfo.signatureAlgorithm is ignored). Here the whole
//! token must be DER (definite minimal lengths, minimal integers, sorted SETs, canonical
//! booleans, times in the one form every one of those parsers reads alike), so that each
//! re-encoding gives back the bytes read and the original bytes can be used.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use chrono::{TimeZone, Timelike};
use ring::digest;

use crate::der::{items, only, take, Tlv};

/// A token verified by [`verify`].
pub(super) struct Verified {
    /// The signing time as the SDK's `TstInfo::gen_time` holds it, in seconds (what the
    /// certificate-profile check compares).
    pub seconds: i64,
    /// The same time as the SDK's caller writes it (`DateTime<Utc>::to_rfc3339`).
    pub rfc3339: String,
    /// (code, explanation) of the SDK's two success entries.
    pub log: Vec<(String, String)>,
    /// The signer's certificate as the token carries it (DER): the certificate the SDK's
    /// `tsa_signer_cert_der_from_token` picks, found the same way (issuer and serial number).
    pub signer: Vec<u8>,
}

fn digits(s: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// A UTCTime as both rasn (chrono's `%y`: 69-99 are 19xx) and x509-parser (RFC 5280: 50-99
/// are 19xx) read it: `YYMMDDHHMMSSZ`, years 00-49 and 69-99 only.
fn utc_time(s: &[u8]) -> Option<i64> {
    if s.len() != 13 || s.last() != Some(&b'Z') {
        return None;
    }
    let yy = digits(s.get(0..2)?)?;
    let year = match yy {
        0..=49 => 2000 + yy,
        69..=99 => 1900 + yy,
        _ => return None,
    };
    let dt = calendar(year, s.get(2..12)?)?;
    Some(dt.timestamp())
}

/// `MMDDHHMMSS` of `year`, a valid calendar time without leap seconds.
fn calendar(year: u32, s: &[u8]) -> Option<chrono::DateTime<chrono::Utc>> {
    let f = |r: std::ops::Range<usize>| s.get(r).and_then(digits);
    let (mo, d, h, mi, sec) = (f(0..2)?, f(2..4)?, f(4..6)?, f(6..8)?, f(8..10)?);
    if sec > 59 || s.len() != 10 {
        return None;
    }
    chrono::Utc
        .with_ymd_and_hms(i32::try_from(year).ok()?, mo, d, h, mi, sec)
        .single()
}

/// A GeneralizedTime `YYYYMMDDHHMMSS[.f{1,9}]Z` of 1970-9999 (with the fraction only when
/// `fraction`), as a UTC time with nanoseconds.
fn generalized_time(s: &[u8], fraction: bool) -> Option<chrono::DateTime<chrono::Utc>> {
    if s.len() < 15 || s.last() != Some(&b'Z') {
        return None;
    }
    let year = digits(s.get(0..4)?)?;
    if !(1970..=9999).contains(&year) {
        return None;
    }
    let dt = calendar(year, s.get(4..14)?)?;
    let frac = s.get(14..s.len() - 1)?;
    if frac.is_empty() {
        return Some(dt);
    }
    let frac_digits = frac.strip_prefix(b".")?;
    if !fraction || frac_digits.is_empty() || frac_digits.len() > 9 {
        return None;
    }
    let n = digits(frac_digits)?;
    let scale = 10u32.pow(9 - u32::try_from(frac_digits.len()).ok()?);
    dt.with_nanosecond(n.checked_mul(scale)?)
}

/// Whether `d` is a sequence of DER TLVs throughout (constructed contents recursively), in the
/// forms bcder, rasn and x509-parser all read alike. `fraction`: GeneralizedTime may carry
/// fractional seconds (TSTInfo's genTime, RFC 3161 section 2.4.2).
fn strict_der(d: &[u8], depth: usize, fraction: bool) -> bool {
    if depth > 32 {
        return false;
    }
    let Some(all) = items(d) else {
        return false;
    };
    all.iter().all(|t| {
        let constructed = t.tag & 0x20 != 0;
        let universal = t.tag & 0xc0 == 0;
        let number = t.tag & 0x1f;
        if !universal {
            return !constructed || strict_der(t.body, depth + 1, fraction);
        }
        match (number, constructed) {
            (16, true) => strict_der(t.body, depth + 1, fraction),
            // SET (OF): members in DER order (X.690 11.6), as a re-encoding writes them
            (17, true) => {
                strict_der(t.body, depth + 1, fraction)
                    && items(t.body).is_some_and(|m| {
                        m.windows(2).all(|w| match w {
                            [a, b] => a.raw <= b.raw,
                            _ => true,
                        })
                    })
            }
            (_, true) | (0, false) | (16, false) | (17, false) => false,
            (1, false) => matches!(t.body, [0x00] | [0xff]),
            (2, false) | (10, false) => minimal_integer(t.body),
            (3, false) => match t.body {
                [unused] => *unused == 0,
                [unused, ..] => *unused < 8,
                [] => false,
            },
            (5, false) => t.body.is_empty(),
            (6, false) => {
                t.body.last().is_some_and(|b| b & 0x80 == 0)
                    && t.body.first() != Some(&0x80)
                    && t.body.windows(2).all(|w| match w {
                        [a, b] => !(a & 0x80 == 0 && *b == 0x80),
                        _ => true,
                    })
            }
            (23, false) => utc_time(t.body).is_some(),
            (24, false) => generalized_time(t.body, fraction).is_some(),
            _ => true,
        }
    })
}

// OIDs (content bytes)
const ID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const ID_CT_TSTINFO: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
];
const ID_MESSAGE_DIGEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
const ID_SIGNING_TIME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05];
const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/// The SDK's `DigestAlgorithm` (SHA-1/256/384/512) of an AlgorithmIdentifier's OID.
fn digest_alg(oid: &[u8]) -> Option<&'static digest::Algorithm> {
    match oid {
        SHA1 => Some(&digest::SHA1_FOR_LEGACY_USE_ONLY),
        SHA256 => Some(&digest::SHA256),
        SHA384 => Some(&digest::SHA384),
        SHA512 => Some(&digest::SHA512),
        _ => None,
    }
}

/// The OID of an AlgorithmIdentifier (`SEQUENCE { OID, parameters OPTIONAL }`).
fn algorithm_oid(t: Tlv<'_>) -> Option<&[u8]> {
    if t.tag != 0x30 {
        return None;
    }
    match *items(t.body)?.as_slice() {
        [oid] | [oid, _] if oid.tag == 0x06 => Some(oid.body),
        _ => None,
    }
}

/// A DER INTEGER's content in its shortest form.
fn minimal_integer(body: &[u8]) -> bool {
    match body {
        [] => false,
        [0x00, b, ..] => b & 0x80 != 0,
        [0xff, b, ..] => b & 0x80 == 0,
        _ => true,
    }
}

/// A Name (RFC 5280 section 4.1.2.4): SEQUENCE OF SET OF AttributeTypeAndValue.
fn name_shape(t: Tlv<'_>) -> Option<()> {
    if t.tag != 0x30 {
        return None;
    }
    for rdn in items(t.body)? {
        let atvs = items(rdn.body)?;
        if rdn.tag != 0x31 || atvs.is_empty() {
            return None;
        }
        for atv in atvs {
            match *items(atv.body)?.as_slice() {
                [oid, _] if atv.tag == 0x30 && oid.tag == 0x06 => {}
                _ => return None,
            }
        }
    }
    Some(())
}

/// A Certificate of the shape the SDK's rasn decodes (RFC 5280 section 4.1), which
/// re-encodes to the same bytes as far as this can tell beyond [`strict_der`]: no DEFAULT value
/// written out (an explicit v1 version, an extension's `critical FALSE`).
fn certificate_shape(cert: Tlv<'_>) -> Option<()> {
    let [tbs, sig_alg, sig] = *items(cert.body)?.as_slice() else {
        return None;
    };
    if cert.tag != 0x30 || tbs.tag != 0x30 || sig.tag != 0x03 {
        return None;
    }
    algorithm_oid(sig_alg)?;
    let mut fields = items(tbs.body)?.into_iter().peekable();
    if let Some(v) = fields.next_if(|f| f.tag == 0xa0) {
        let version = only(v.body, 0x02)?;
        if !matches!(version.body, [1] | [2]) {
            return None;
        }
    }
    let serial = fields.next()?;
    let alg = fields.next()?;
    let issuer = fields.next()?;
    let validity = fields.next()?;
    let subject = fields.next()?;
    let spki = fields.next()?;
    if serial.tag != 0x02 || validity.tag != 0x30 || spki.tag != 0x30 {
        return None;
    }
    algorithm_oid(alg)?;
    name_shape(issuer)?;
    name_shape(subject)?;
    match *items(validity.body)?.as_slice() {
        [a, b] if matches!(a.tag, 0x17 | 0x18) && matches!(b.tag, 0x17 | 0x18) => {}
        _ => return None,
    }
    match *items(spki.body)?.as_slice() {
        [a, k] if k.tag == 0x03 => algorithm_oid(a)?,
        _ => return None,
    };
    fields.next_if(|f| f.tag == 0x81);
    fields.next_if(|f| f.tag == 0x82);
    if let Some(extensions) = fields.next_if(|f| f.tag == 0xa3) {
        let extensions = items(only(extensions.body, 0x30)?.body)?;
        if extensions.is_empty() {
            return None;
        }
        for ext in extensions {
            match *items(ext.body)?.as_slice() {
                [oid, value] if oid.tag == 0x06 && value.tag == 0x04 => {}
                [oid, critical, value]
                    if oid.tag == 0x06
                        && critical.raw == [0x01, 0x01, 0xff]
                        && value.tag == 0x04 => {}
                _ => return None,
            }
            if ext.tag != 0x30 {
                return None;
            }
        }
    }
    fields.next().is_none().then_some(())
}

/// A SET OF Attribute (CMS, RFC 5652 section 5.3): each `SEQUENCE { OID, SET SIZE(1..) }`.
fn attributes_shape(body: &[u8]) -> Option<Vec<(Tlv<'_>, Vec<Tlv<'_>>)>> {
    let mut out = Vec::new();
    for a in items(body)? {
        let [a_type, values] = *items(a.body)?.as_slice() else {
            return None;
        };
        let values_items = items(values.body)?;
        if a.tag != 0x30 || a_type.tag != 0x06 || values.tag != 0x31 || values_items.is_empty() {
            return None;
        }
        out.push((a_type, values_items));
    }
    Some(out)
}

/// The verifying algorithm the SDK's validator for (key algorithm, digest) amounts to, where
/// ring has it: RSA PKCS#1 v1.5 with SHA-256/384/512, ECDSA P-256/SHA-256 and P-384/SHA-384.
fn ring_alg(
    spki_algorithm: &[u8],
    digest: &[u8],
    signature: &[u8],
) -> Option<&'static dyn ring::signature::VerificationAlgorithm> {
    use super::spki::{P256, P384, RSA};
    use ring::signature as s;
    match (spki_algorithm, digest) {
        (RSA, SHA256) => Some(&s::RSA_PKCS1_2048_8192_SHA256),
        (RSA, SHA384) => Some(&s::RSA_PKCS1_2048_8192_SHA384),
        (RSA, SHA512) => Some(&s::RSA_PKCS1_2048_8192_SHA512),
        // the SDK's ECDSA validators read a signature of exactly 64, 96 or 132 bytes as
        // IEEE P1363 (r || s): those go to the SDK
        _ if matches!(signature.len(), 64 | 96 | 132) => None,
        (P256, SHA256) => Some(&s::ECDSA_P256_SHA256_ASN1),
        (P384, SHA384) => Some(&s::ECDSA_P384_SHA384_ASN1),
        _ => None,
    }
}

/// Verify `token` against `data` (the countersignature structure the message imprint covers)
/// as the SDK's `verify_time_stamp(token, data, ctp, log, false)` succeeds; `None`: the SDK
/// decides.
pub(super) fn verify(token: &[u8], data: &[u8]) -> Option<Verified> {
    if !strict_der(token, 0, false) {
        return None;
    }
    // TimeStampToken ::= ContentInfo { id-signedData, [0] EXPLICIT SignedData }, alone or in
    // a TimeStampResp { PKIStatusInfo, TimeStampToken } (RFC 3161 section 2.4.2) whose status
    // is granted (0) or grantedWithMods (1) and says nothing else, as the SDK accepts both
    let top = items(only(token, 0x30)?.body)?;
    let content_info = match *top.as_slice() {
        [status, token] if status.tag == 0x30 && token.tag == 0x30 => {
            let [code] = *items(status.body)?.as_slice() else {
                return None;
            };
            if code.tag != 0x02 || !matches!(code.body, [0] | [1]) {
                return None;
            }
            items(token.body)?
        }
        _ => top,
    };
    let [content_type, content] = *content_info.as_slice() else {
        return None;
    };
    if content_type.tag != 0x06 || content_type.body != ID_SIGNED_DATA {
        return None;
    }
    let signed_data = only(only(content.raw, 0xa0)?.body, 0x30)?;
    let fields = items(signed_data.body)?;
    // version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos (CRLs: SDK)
    let [version, digest_algorithms, encap, certificates, signer_infos] = fields.as_slice() else {
        return None;
    };
    if version.tag != 0x02
        || !matches!(version.body, [1..=5])
        || digest_algorithms.tag != 0x31
        || encap.tag != 0x30
        || certificates.tag != 0xa0
        || signer_infos.tag != 0x31
    {
        return None;
    }
    // EncapsulatedContentInfo { id-ct-TSTInfo, [0] EXPLICIT OCTET STRING }
    let encap = items(encap.body)?;
    let [e_type, e_content] = encap.as_slice() else {
        return None;
    };
    if e_type.tag != 0x06 || e_type.body != ID_CT_TSTINFO {
        return None;
    }
    let e_content = only(only(e_content.raw, 0xa0)?.body, 0x04)?.body;
    let tst = read_tst_info(e_content)?;

    // every certificate choice a plain Certificate (a SEQUENCE), each one x509-parser reads
    let certs = items(certificates.body)?;
    if certs.is_empty() || certs.iter().any(|c| c.tag != 0x30) {
        return None;
    }
    for c in &certs {
        certificate_shape(*c)?;
    }
    // digestAlgorithms: AlgorithmIdentifiers
    for d in items(digest_algorithms.body)? {
        algorithm_oid(d)?;
    }

    let [signer] = *items(signer_infos.body)?.as_slice() else {
        return None;
    };
    if signer.tag != 0x30 {
        return None;
    }
    let si = items(signer.body)?;
    // version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature,
    // [1] unsignedAttrs OPTIONAL
    let (sid, digest_algorithm, signed_attrs, signature) = match si.as_slice() {
        [v, sid, da, sa, sig_alg, sig] | [v, sid, da, sa, sig_alg, sig, _] => {
            if v.tag != 0x02 || !matches!(v.body, [1] | [3]) {
                return None;
            }
            algorithm_oid(*sig_alg)?;
            if let [.., last] = si.as_slice() {
                if si.len() == 7 && (last.tag != 0xa1 || attributes_shape(last.body)?.is_empty()) {
                    return None;
                }
            }
            (*sid, *da, *sa, *sig)
        }
        _ => return None,
    };
    if signed_attrs.tag != 0xa0 || signature.tag != 0x04 || signature.body.is_empty() {
        return None;
    }
    // the signer's certificate by IssuerAndSerialNumber (the SDK never matches a
    // subjectKeyIdentifier: it compares it with the extension's encoded value)
    if sid.tag != 0x30 {
        return None;
    }
    let [issuer, serial] = *items(sid.body)?.as_slice() else {
        return None;
    };
    if issuer.tag != 0x30 || serial.tag != 0x02 {
        return None;
    }
    // the SDK takes the first certificate whose (issuer, serial) equals the sid's; equal DER
    // integers are equal bytes, so exactly one certificate with this serial and its issuer
    let mut same_serial = certs
        .iter()
        .filter(|c| issuer_and_serial(c.body).is_some_and(|(_, s)| s.body == serial.body));
    let cert = *same_serial.next()?;
    if same_serial.next().is_some() {
        return None;
    }
    if issuer_and_serial(cert.body)?.0.raw != issuer.raw {
        return None;
    }
    let (rest, x509) = x509_parser::parse_x509_certificate(cert.raw).ok()?;
    if !rest.is_empty() {
        return None;
    }
    // the SDK's `common_name`
    let mut common_name = String::new();
    for rdn in x509.subject().iter_common_name() {
        if let Ok(cn) = rdn.as_str() {
            common_name.push_str(cn);
        }
    }

    // signed attributes: SET OF Attribute in DER order, each type once
    let attrs = items(signed_attrs.body)?;
    if attrs.windows(2).any(|w| match w {
        [a, b] => a.raw > b.raw,
        _ => false,
    }) {
        return None;
    }
    let mut seen: Vec<&[u8]> = Vec::new();
    let mut signing_time_override = None;
    let mut message_digest = None;
    for (a_type, values) in attributes_shape(signed_attrs.body)? {
        if seen.contains(&a_type.body) {
            return None;
        }
        seen.push(a_type.body);
        if a_type.body == ID_SIGNING_TIME {
            // one value: it replaces genTime when it lies in 1970-9999 (the SDK's
            // `timestamp_to_generalized_time`); several: ignored
            if let [v] = values.as_slice() {
                let t = match v.tag {
                    0x17 => utc_time(v.body)?,
                    0x18 => generalized_time(v.body, false)?.timestamp(),
                    _ => return None,
                };
                let in_range = chrono::Utc
                    .timestamp_opt(t, 0)
                    .single()
                    .is_some_and(|d| (1970..=9999).contains(&chrono::Datelike::year(&d)));
                if in_range {
                    signing_time_override = Some(t);
                }
            }
        } else if a_type.body == ID_MESSAGE_DIGEST {
            let [v] = values.as_slice() else {
                return None;
            };
            if v.tag != 0x04 {
                return None;
            }
            message_digest = Some(v.body);
        }
    }
    let alg = digest_alg(algorithm_oid(digest_algorithm)?)?;
    if digest::digest(alg, e_content).as_ref() != message_digest? {
        return None;
    }

    // the signature over the signed attributes' DER (SET OF, tag 0x31), with the key's
    // algorithm and the digest algorithm, as the SDK picks its validator
    let mut tbs = signed_attrs.raw.to_vec();
    *tbs.first_mut()? = 0x31;
    let spki = x509.public_key();
    let spki_algorithm = super::spki::spki_algorithm_der(spki.raw)?;
    let verifier = ring_alg(
        spki_algorithm,
        algorithm_oid(digest_algorithm)?,
        signature.body,
    )?;
    ring::signature::UnparsedPublicKey::new(verifier, &spki.subject_public_key.data)
        .verify(&tbs, signature.body)
        .ok()?;

    // the signing time: genTime, or the signed signing-time attribute in whole seconds
    let gen_time = match signing_time_override {
        Some(t) => chrono::Utc.timestamp_opt(t, 0).single()?,
        None => tst.gen_time,
    };
    let seconds = gen_time.timestamp();
    let validity = x509.validity();
    if !(seconds >= validity.not_before.timestamp() && seconds <= validity.not_after.timestamp()) {
        return None;
    }

    // the message imprint over the caller's data
    let imprint_alg = digest_alg(tst.imprint_alg)?;
    if digest::digest(imprint_alg, data).as_ref() != tst.imprint {
        return None;
    }
    Some(Verified {
        seconds,
        rfc3339: gen_time.to_rfc3339(),
        log: vec![
            (
                "timeStamp.validated".to_string(),
                format!("timestamp message digest matched: {common_name}"),
            ),
            (
                "timeStamp.trusted".to_string(),
                format!("timestamp cert trusted: {common_name}"),
            ),
        ],
        signer: cert.raw.to_vec(),
    })
}

/// The (issuer, serialNumber) of a Certificate's content (`SEQUENCE { tbsCertificate, ... }`).
fn issuer_and_serial(cert_body: &[u8]) -> Option<(Tlv<'_>, Tlv<'_>)> {
    let (tbs, _) = take(cert_body)?;
    if tbs.tag != 0x30 {
        return None;
    }
    let (first, rest) = take(tbs.body)?;
    let (serial, rest) = if first.tag == 0xa0 {
        take(rest)?
    } else {
        (first, rest)
    };
    let (_signature, rest) = take(rest)?;
    let (issuer, _) = take(rest)?;
    (serial.tag == 0x02 && issuer.tag == 0x30).then_some((issuer, serial))
}

/// What the SDK uses of a TSTInfo.
struct TstInfo<'a> {
    imprint_alg: &'a [u8],
    imprint: &'a [u8],
    gen_time: chrono::DateTime<chrono::Utc>,
}

/// TSTInfo (RFC 3161 section 2.4.2) read as the SDK's bcder `TstInfo::take_from` reads it, in
/// DER.
fn read_tst_info(d: &[u8]) -> Option<TstInfo<'_>> {
    if !strict_der(d, 0, true) {
        return None;
    }
    let fields = items(only(d, 0x30)?.body)?;
    let mut it = fields.iter().copied().peekable();
    let version = it.next()?;
    let policy = it.next()?;
    let imprint = it.next()?;
    let serial = it.next()?;
    let gen_time = it.next()?;
    if version.tag != 0x02 || policy.tag != 0x06 || imprint.tag != 0x30 || serial.tag != 0x02 {
        return None;
    }
    if gen_time.tag != 0x18 || gen_time.body.len() > 0x7f {
        return None;
    }
    let gen_time = generalized_time(gen_time.body, true)?;
    // accuracy, ordering, nonce, [0] tsa, [1] extensions: each optional, in this order
    if let Some(accuracy) = it.next_if(|t| t.tag == 0x30) {
        // Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER OPTIONAL,
        // micros [1] INTEGER OPTIONAL }
        let mut parts = items(accuracy.body)?.into_iter().peekable();
        for tag in [0x02u8, 0x80, 0x81] {
            if let Some(p) = parts.next_if(|p| p.tag == tag) {
                if !minimal_integer(p.body) {
                    return None;
                }
            }
        }
        if parts.next().is_some() {
            return None;
        }
    }
    for tag in [0x01u8, 0x02, 0xa0, 0xa1] {
        it.next_if(|t| t.tag == tag);
    }
    if it.next().is_some() {
        return None;
    }
    let [alg, hashed] = *items(imprint.body)?.as_slice() else {
        return None;
    };
    if hashed.tag != 0x04 {
        return None;
    }
    Some(TstInfo {
        imprint_alg: algorithm_oid(alg)?,
        imprint: hashed.body,
        gen_time,
    })
}
