//! Owned, pre-digested view of one X.509 certificate.
//!
//! Each certificate is parsed once (anchors at store build time, presented certificates
//! once per structural evaluation) into a [`ParsedCert`] that keeps the DER and everything
//! the checks need, so nothing is re-parsed while building paths.

use std::ops::Range;

use x509_parser::asn1_rs::{Any, Oid, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::RSAPublicKey;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::{AlgorithmIdentifier, X509Name};

use super::types::{CertSummary, MAX_DN_CHARS};

pub(crate) const OID_ANY_EKU: &str = "2.5.29.37.0";
pub(crate) const OID_EKU_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
pub(crate) const OID_EKU_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
pub(crate) const OID_EKU_CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
pub(crate) const OID_EKU_EMAIL_PROTECTION: &str = "1.3.6.1.5.5.7.3.4";
pub(crate) const OID_EKU_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";
pub(crate) const OID_EKU_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";

const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
pub(crate) const OID_P521: &str = "1.3.132.0.35";
const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub(crate) const OID_RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_ED25519: &str = "1.3.101.112";
const OID_ED448: &str = "1.3.101.113";
const OID_MGF1: &str = "1.2.840.113549.1.1.8";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
const OID_SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// Public key type of a SubjectPublicKeyInfo (RFC 5280 4.1.2.7, RFC 3279/5480/8410).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    EcP256,
    EcP384,
    EcP521,
    /// id-ecPublicKey on another (or unparsable) curve; carries the curve OID.
    EcOther(String),
    Rsa {
        bits: usize,
    },
    /// id-RSASSA-PSS SubjectPublicKeyInfo (RFC 4055); key usable only for PSS.
    RsaPss {
        bits: usize,
    },
    Ed25519,
    Ed448,
    Other(String),
}

impl KeyKind {
    pub(crate) fn describe(&self) -> String {
        match self {
            KeyKind::EcP256 => "ECDSA P-256".into(),
            KeyKind::EcP384 => "ECDSA P-384".into(),
            KeyKind::EcP521 => "ECDSA P-521".into(),
            KeyKind::EcOther(curve) => format!("ECDSA curve {curve}"),
            KeyKind::Rsa { bits } => format!("RSA {bits}"),
            KeyKind::RsaPss { bits } => format!("RSA-PSS {bits}"),
            KeyKind::Ed25519 => "Ed25519".into(),
            KeyKind::Ed448 => "Ed448".into(),
            KeyKind::Other(oid) => format!("unknown key algorithm {oid}"),
        }
    }
}

/// Hash used by a signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

/// Signature algorithm of a certificate (RFC 5280 4.1.1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SigAlg {
    Ecdsa(Hash),
    RsaPkcs1(Hash),
    RsaPss(Hash),
    Ed25519,
    /// Anything else, or RSASSA-PSS with parameters we do not accept. Carries the OID.
    Unsupported(String),
}

/// keyUsage bits we look at (RFC 5280 4.2.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeyUsageBits {
    pub digital_signature: bool,
    pub key_cert_sign: bool,
}

/// extendedKeyUsage (RFC 5280 4.2.1.12), as dotted OIDs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Eku {
    pub oids: Vec<String>,
}

impl Eku {
    pub(crate) fn has_any(&self) -> bool {
        self.oids.iter().any(|o| o == OID_ANY_EKU)
    }
    pub(crate) fn contains(&self, oid: &str) -> bool {
        self.oids.iter().any(|o| o == oid)
    }
}

/// Everything the trust engine needs from one certificate, owned.
#[derive(Clone, Debug)]
pub(crate) struct ParsedCert {
    pub der: Vec<u8>,
    pub sha256: [u8; 32],
    pub spki_sha256: [u8; 32],
    /// Byte range of the TBSCertificate within `der` (the signed bytes).
    pub tbs: Range<usize>,
    /// Canonical (RFC 5280 7.1 / RFC 4518-ish normalised) subject DN, used for matching.
    pub subject_key: String,
    pub issuer_key: String,
    /// RFC 4514 strings, bounded.
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: i64,
    pub not_after: i64,
    pub key_kind: KeyKind,
    /// Contents of the subjectPublicKey BIT STRING (what ring's `UnparsedPublicKey` takes).
    pub key_bytes: Vec<u8>,
    pub sig_alg: SigAlg,
    pub signature: Vec<u8>,
    /// basicConstraints: `Some((cA, pathLenConstraint))` when present.
    pub basic_constraints: Option<(bool, Option<u32>)>,
    pub key_usage: Option<KeyUsageBits>,
    pub eku: Option<Eku>,
    pub ski: Option<Vec<u8>>,
    pub aki: Option<Vec<u8>>,
    /// OIDs of critical extensions this parser does not understand.
    pub unknown_critical: Vec<String>,
    pub organization: Option<String>,
    pub common_name: Option<String>,
}

impl ParsedCert {
    /// Parse one DER certificate. `allow_trailing`: accept bytes after the certificate
    /// (OpenSSL "TRUSTED CERTIFICATE" auxiliary data in anchor bundles).
    pub(crate) fn parse(der: &[u8], allow_trailing: bool) -> Result<ParsedCert, String> {
        let (rest, cert) = X509Certificate::from_der(der).map_err(|e| format!("DER: {e}"))?;
        if !rest.is_empty() && !allow_trailing {
            return Err(format!("{} trailing bytes after certificate", rest.len()));
        }
        let der = &der[..der.len() - rest.len()];
        let tbs_raw: &[u8] = cert.tbs_certificate.as_ref();
        let tbs_start = (tbs_raw.as_ptr() as usize).wrapping_sub(der.as_ptr() as usize);
        if tbs_start > der.len() || tbs_start + tbs_raw.len() > der.len() {
            return Err("TBSCertificate outside certificate".into());
        }
        // RFC 5280 4.1.1.2: signatureAlgorithm MUST equal tbsCertificate.signature.
        if cert.signature_algorithm != cert.tbs_certificate.signature {
            return Err("signatureAlgorithm differs from tbsCertificate.signature".into());
        }
        if cert.signature_value.unused_bits != 0 {
            return Err("signature BIT STRING has unused bits".into());
        }
        let tbs = &cert.tbs_certificate;
        let spki = tbs.public_key();
        let key_kind = key_kind(spki);
        let sig_alg = sig_alg(&cert.signature_algorithm);

        let basic_constraints = match tbs.basic_constraints() {
            Ok(b) => b.map(|b| (b.value.ca, b.value.path_len_constraint)),
            Err(e) => return Err(format!("basicConstraints: {e}")),
        };
        let key_usage = match tbs.key_usage() {
            Ok(k) => k.map(|k| KeyUsageBits {
                digital_signature: k.value.digital_signature(),
                key_cert_sign: k.value.key_cert_sign(),
            }),
            Err(e) => return Err(format!("keyUsage: {e}")),
        };
        let eku = match tbs.extended_key_usage() {
            Ok(e) => e.map(|e| eku_oids(e.value)),
            Err(e) => return Err(format!("extendedKeyUsage: {e}")),
        };
        let mut ski = None;
        let mut aki = None;
        let mut unknown_critical = Vec::new();
        for ext in tbs.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0.to_vec()),
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    aki = a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                ParsedExtension::ParseError { error } if ext.critical => {
                    return Err(format!(
                        "critical extension {} unparsable: {error}",
                        ext.oid.to_id_string()
                    ))
                }
                ParsedExtension::UnsupportedExtension { .. } if ext.critical => {
                    unknown_critical.push(ext.oid.to_id_string())
                }
                _ => {}
            }
        }

        let subject_attrs = name_attrs(tbs.subject());
        let issuer_attrs = name_attrs(tbs.issuer());
        let organization = last_attr(&subject_attrs, "2.5.4.10").map(|v| bound(&v));
        let common_name = last_attr(&subject_attrs, "2.5.4.3").map(|v| bound(&v));

        Ok(ParsedCert {
            der: der.to_vec(),
            sha256: sha256(der),
            spki_sha256: sha256(spki.raw),
            tbs: tbs_start..tbs_start + tbs_raw.len(),
            subject_key: canonical_key(&subject_attrs),
            issuer_key: canonical_key(&issuer_attrs),
            subject: bound(&rfc4514(&subject_attrs)),
            issuer: bound(&rfc4514(&issuer_attrs)),
            serial: hex::encode(tbs.raw_serial()),
            not_before: tbs.validity().not_before.timestamp(),
            not_after: tbs.validity().not_after.timestamp(),
            key_kind,
            key_bytes: spki.subject_public_key.data.to_vec(),
            sig_alg,
            signature: cert.signature_value.data.to_vec(),
            basic_constraints,
            key_usage,
            eku,
            ski,
            aki,
            unknown_critical,
            organization,
            common_name,
        })
    }

    pub(crate) fn tbs_bytes(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    pub(crate) fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    /// RFC 5280 6.1: "self-issued" = subject and issuer names match.
    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject_key == self.issuer_key
    }

    pub(crate) fn summary(&self) -> CertSummary {
        CertSummary {
            subject: self.subject.clone(),
            issuer: self.issuer.clone(),
            serial: self.serial.clone(),
            sha256: hex::encode(self.sha256),
            spki_sha256: hex::encode(self.spki_sha256),
            not_before: rfc3339(self.not_before),
            not_after: rfc3339(self.not_after),
            key_algorithm: self.key_kind.describe(),
            is_ca: self.is_ca(),
            organization: self.organization.clone(),
            common_name: self.common_name.clone(),
            supplied_by: None,
        }
    }
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Unix seconds to RFC 3339 UTC with a `Z` suffix.
pub(crate) fn rfc3339(secs: i64) -> String {
    match chrono::DateTime::<chrono::Utc>::from_timestamp(secs, 0) {
        Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => format!("@{secs}"),
    }
}

/// Truncate an attacker-controlled string to [`MAX_DN_CHARS`] characters.
pub(crate) fn bound(s: &str) -> String {
    if s.chars().count() <= MAX_DN_CHARS {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX_DN_CHARS).collect();
        out.push('\u{2026}');
        out
    }
}

fn eku_oids(e: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Eku {
    let mut oids = Vec::new();
    let flags = [
        (e.any, OID_ANY_EKU),
        (e.server_auth, OID_EKU_SERVER_AUTH),
        (e.client_auth, OID_EKU_CLIENT_AUTH),
        (e.code_signing, OID_EKU_CODE_SIGNING),
        (e.email_protection, OID_EKU_EMAIL_PROTECTION),
        (e.time_stamping, OID_EKU_TIME_STAMPING),
        (e.ocsp_signing, OID_EKU_OCSP_SIGNING),
    ];
    for (set, oid) in flags {
        if set {
            oids.push(oid.to_string());
        }
    }
    oids.extend(e.other.iter().map(|o| o.to_id_string()));
    Eku { oids }
}

fn oid_of_any(any: &Any<'_>) -> Option<String> {
    Oid::try_from(any.clone()).ok().map(|o| o.to_id_string())
}

fn rsa_bits(key: &[u8]) -> usize {
    match RSAPublicKey::from_der(key) {
        Ok((_, k)) => {
            let m = k.modulus;
            let start = m.iter().position(|&b| b != 0).unwrap_or(m.len());
            match m.get(start) {
                Some(first) => (m.len() - start) * 8 - first.leading_zeros() as usize,
                None => 0,
            }
        }
        Err(_) => 0,
    }
}

fn key_kind(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> KeyKind {
    let alg = spki.algorithm.algorithm.to_id_string();
    match alg.as_str() {
        OID_EC_PUBLIC_KEY => {
            let curve = spki.algorithm.parameters.as_ref().and_then(oid_of_any);
            match curve.as_deref() {
                Some(OID_P256) => KeyKind::EcP256,
                Some(OID_P384) => KeyKind::EcP384,
                Some(OID_P521) => KeyKind::EcP521,
                Some(other) => KeyKind::EcOther(other.to_string()),
                None => KeyKind::EcOther("(no named curve)".into()),
            }
        }
        OID_RSA_ENCRYPTION => KeyKind::Rsa {
            bits: rsa_bits(&spki.subject_public_key.data),
        },
        OID_RSASSA_PSS => KeyKind::RsaPss {
            bits: rsa_bits(&spki.subject_public_key.data),
        },
        OID_ED25519 => KeyKind::Ed25519,
        OID_ED448 => KeyKind::Ed448,
        _ => KeyKind::Other(alg),
    }
}

fn hash_of(oid: &str) -> Option<Hash> {
    match oid {
        OID_SHA256 => Some(Hash::Sha256),
        OID_SHA384 => Some(Hash::Sha384),
        OID_SHA512 => Some(Hash::Sha512),
        _ => None,
    }
}

/// RFC 4055 section 3.1 / 3.3: accept RSASSA-PSS only with SHA-256/384/512, MGF1 with
/// the same hash, salt length equal to the hash length and trailer field 1.
fn pss_params(alg: &AlgorithmIdentifier<'_>) -> Option<Hash> {
    let params = alg.parameters.as_ref()?;
    let params = RsaSsaPssParams::try_from(params).ok()?;
    let hash = hash_of(&params.hash_algorithm_oid().to_id_string())?;
    let mgf = params.mask_gen_algorithm().ok()?;
    if mgf.mgf.to_id_string() != OID_MGF1 || hash_of(&mgf.hash.to_id_string()) != Some(hash) {
        return None;
    }
    let salt = match hash {
        Hash::Sha256 => 32,
        Hash::Sha384 => 48,
        Hash::Sha512 => 64,
    };
    if params.salt_length() != salt || params.trailer_field() != 1 {
        return None;
    }
    Some(hash)
}

fn sig_alg(alg: &AlgorithmIdentifier<'_>) -> SigAlg {
    let oid = alg.algorithm.to_id_string();
    match oid.as_str() {
        "1.2.840.10045.4.3.2" => SigAlg::Ecdsa(Hash::Sha256),
        "1.2.840.10045.4.3.3" => SigAlg::Ecdsa(Hash::Sha384),
        "1.2.840.10045.4.3.4" => SigAlg::Ecdsa(Hash::Sha512),
        "1.2.840.113549.1.1.11" => SigAlg::RsaPkcs1(Hash::Sha256),
        "1.2.840.113549.1.1.12" => SigAlg::RsaPkcs1(Hash::Sha384),
        "1.2.840.113549.1.1.13" => SigAlg::RsaPkcs1(Hash::Sha512),
        OID_RSASSA_PSS => match pss_params(alg) {
            Some(h) => SigAlg::RsaPss(h),
            None => SigAlg::Unsupported(oid),
        },
        OID_ED25519 => SigAlg::Ed25519,
        _ => SigAlg::Unsupported(oid),
    }
}

/// One attribute of a DN: (dotted OID, decoded value, value was a string type).
pub(crate) type NameAttr = (String, String, bool);

/// RDNs of a Name in encoding order; each RDN a list of attributes.
pub(crate) fn name_attrs(name: &X509Name<'_>) -> Vec<Vec<NameAttr>> {
    name.iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let (value, is_string) = decode_value(atv.attr_value());
                    (atv.attr_type().to_id_string(), value, is_string)
                })
                .collect()
        })
        .collect()
}

fn decode_value(any: &Any<'_>) -> (String, bool) {
    let data = any.data;
    match any.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString => (String::from_utf8_lossy(data).into_owned(), true),
        // T.61: treated as ISO 8859-1, as OpenSSL and most tools do.
        Tag::TeletexString => (data.iter().map(|&b| b as char).collect(), true),
        Tag::BmpString => {
            let units: Vec<u16> = data
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            (String::from_utf16_lossy(&units), true)
        }
        Tag::UniversalString => (
            data.chunks(4)
                .map(|c| {
                    let mut b = [0u8; 4];
                    b[..c.len()].copy_from_slice(c);
                    char::from_u32(u32::from_be_bytes(b)).unwrap_or('\u{fffd}')
                })
                .collect(),
            true,
        ),
        tag => {
            // RFC 4514 2.4: non-string values as '#' + hex of the BER encoding.
            let mut out = String::from("#");
            let t = tag.0;
            if t < 31 && data.len() < 128 {
                out.push_str(&hex::encode([t as u8, data.len() as u8]));
            }
            out.push_str(&hex::encode(data));
            (out, false)
        }
    }
}

fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

/// Attribute type names accepted when parsing an RFC 4514 string (case-insensitive).
fn oid_for_name(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_uppercase().as_str() {
        "CN" | "COMMONNAME" => "2.5.4.3",
        "L" | "LOCALITYNAME" => "2.5.4.7",
        "ST" | "S" | "STATEORPROVINCENAME" => "2.5.4.8",
        "O" | "ORGANIZATIONNAME" => "2.5.4.10",
        "OU" | "ORGANIZATIONALUNITNAME" => "2.5.4.11",
        "C" | "COUNTRYNAME" => "2.5.4.6",
        "STREET" | "STREETADDRESS" => "2.5.4.9",
        "DC" | "DOMAINCOMPONENT" => "0.9.2342.19200300.100.1.25",
        "UID" | "USERID" => "0.9.2342.19200300.100.1.1",
        "E" | "EMAIL" | "EMAILADDRESS" => "1.2.840.113549.1.9.1",
        "SERIALNUMBER" => "2.5.4.5",
        "SN" | "SURNAME" => "2.5.4.4",
        "GN" | "GIVENNAME" => "2.5.4.42",
        "T" | "TITLE" => "2.5.4.12",
        "ORGANIZATIONIDENTIFIER" => "2.5.4.97",
        _ => return None,
    })
}

fn escape_value(v: &str, is_string: bool, out: &mut String) {
    if !is_string {
        out.push_str(v);
        return;
    }
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i + 1 == n => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
}

/// RFC 4514 section 2: RDNs in reverse encoding order, ',' between RDNs, '+' inside.
pub(crate) fn rfc4514(rdns: &[Vec<NameAttr>]) -> String {
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, (oid, value, is_string)) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            out.push_str(short_name(oid).unwrap_or(oid));
            out.push('=');
            escape_value(value, *is_string, &mut out);
        }
    }
    out
}

fn last_attr(rdns: &[Vec<NameAttr>], oid: &str) -> Option<String> {
    rdns.iter()
        .flatten()
        .rfind(|(o, _, _)| o == oid)
        .map(|(_, v, _)| v.clone())
}

/// Normalise an attribute value for comparison (RFC 5280 7.1 / RFC 4518 in spirit:
/// case-fold, drop leading/trailing space, collapse inner runs of white space).
fn normalise_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for word in v.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Canonical comparison key of a DN: RDNs in encoding order, attributes inside an RDN
/// sorted, values normalised. Two names with equal keys are treated as the same name.
pub(crate) fn canonical_key(rdns: &[Vec<NameAttr>]) -> String {
    let mut out = String::new();
    for rdn in rdns {
        let mut atts: Vec<String> = rdn
            .iter()
            .map(|(oid, value, _)| format!("{oid}={}", normalise_value(value)))
            .collect();
        atts.sort();
        out.push_str(&atts.join("\u{1}"));
        out.push('\u{2}');
    }
    out
}

/// Parse an RFC 4514 DN string (as written in configuration) into RDNs in *encoding*
/// order, so that [`canonical_key`] of the result matches that of the certificate.
pub(crate) fn parse_rfc4514(s: &str) -> Result<Vec<Vec<NameAttr>>, String> {
    let mut rdns: Vec<Vec<NameAttr>> = Vec::new();
    let mut rdn: Vec<NameAttr> = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        // attribute type
        let mut ty = String::new();
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
            ty.push(c);
        }
        let ty = ty.trim();
        if ty.is_empty() {
            if rdns.is_empty() && rdn.is_empty() && s.trim().is_empty() {
                return Ok(Vec::new());
            }
            return Err("empty attribute type".into());
        }
        let oid = if let Some(o) = oid_for_name(ty) {
            o.to_string()
        } else {
            let t = ty
                .strip_prefix("OID.")
                .or_else(|| ty.strip_prefix("oid."))
                .unwrap_or(ty);
            if !t.is_empty()
                && t.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                t.to_string()
            } else {
                return Err(format!("unknown attribute type {ty:?}"));
            }
        };
        // value
        let mut value: Vec<u8> = Vec::new();
        let mut end = None;
        let mut buf = [0u8; 4];
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(h1)
                        if h1.is_ascii_hexdigit()
                            && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) =>
                    {
                        let h2 = chars.next().unwrap_or('0');
                        let byte = u8::from_str_radix(&format!("{h1}{h2}"), 16).unwrap_or(b'?');
                        value.push(byte);
                    }
                    Some(other) => value.extend_from_slice(other.encode_utf8(&mut buf).as_bytes()),
                    None => return Err("dangling escape".into()),
                },
                ',' | ';' | '+' => {
                    end = Some(c);
                    break;
                }
                _ => value.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            }
        }
        let value = String::from_utf8_lossy(&value).into_owned();
        let is_string = !value.starts_with('#');
        rdn.push((oid, value.trim().to_string(), is_string));
        match end {
            Some('+') => continue,
            Some(_) => rdns.push(std::mem::take(&mut rdn)),
            None => {
                rdns.push(std::mem::take(&mut rdn));
                break;
            }
        }
    }
    rdns.reverse();
    Ok(rdns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(v: &[&[(&str, &str)]]) -> Vec<Vec<NameAttr>> {
        v.iter()
            .map(|rdn| {
                rdn.iter()
                    .map(|(o, s)| (o.to_string(), s.to_string(), true))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rfc4514_order_and_escaping() {
        let a = attrs(&[
            &[("2.5.4.6", "US")],
            &[("2.5.4.10", "DigiCert, Inc.")],
            &[("2.5.4.97", "NTRUS+DE-1")],
            &[("2.5.4.3", " lead#")],
        ]);
        assert_eq!(
            rfc4514(&a),
            "CN=\\ lead#,2.5.4.97=NTRUS\\+DE-1,O=DigiCert\\, Inc.,C=US"
        );
    }

    #[test]
    fn rfc5280_7_1_name_matching_is_normalised() {
        let cert = attrs(&[
            &[("2.5.4.6", "US")],
            &[("2.5.4.10", "Microsoft  Corporation")],
            &[("2.5.4.3", "Microsoft SCD Claimants RSA CA")],
        ]);
        let parsed =
            parse_rfc4514("cn=microsoft scd claimants rsa ca, O=Microsoft Corporation ,C=US")
                .unwrap();
        assert_eq!(canonical_key(&cert), canonical_key(&parsed));
        let escaped = parse_rfc4514("CN=A\\, B,O=DigiCert\\2C Inc.,C=US").unwrap();
        assert_eq!(escaped[1][0].1, "DigiCert, Inc.");
        assert_eq!(escaped[2][0].1, "A, B");
        assert!(parse_rfc4514("bogus type=1").is_err());
    }
}
