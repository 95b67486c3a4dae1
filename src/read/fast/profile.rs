//! The signing certificate's C2PA profile (C2PA 2.1 section 14.5.1), ported line for line from
//! c2pa 0.90.22's `check_certificate_profile` + `check_end_entity_certificate_profile`
//! (src/crypto/cose/certificate_profile.rs): the same checks in the same order, the same
//! x509-parser calls, the same codes and explanations. The port exists because the SDK's
//! function takes the SDK's own `TstInfo`, which only its `verify_time_stamp` can build; this
//! one takes the signing time (seconds since the epoch), all the SDK's reads of a `TstInfo`,
//! so the own path runs this one check whichever verified the token (or the current time
//! without one).
//! The tests at the end compare it with the SDK's function on the corpus and on generated
//! certificates of every branch.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use x509_parser::asn1_rs::{self, Any, Class, FromDer, Header, Tag};
use x509_parser::certificate::{BasicExtension, X509Certificate};
use x509_parser::der_parser::ber::parse_ber_sequence;
use x509_parser::extensions::{ExtendedKeyUsage, ParsedExtension};
use x509_parser::x509::{AlgorithmIdentifier, X509Version};

const INVALID: &str = "signingCredential.invalid";
const EXPIRED: &str = "signingCredential.expired";

/// Why the profile check failed: the (code, explanation) the SDK logs, or `None` where the SDK
/// returns its error without logging anything.
pub(super) type Failure = Option<(&'static str, &'static str)>;

// OIDs as content bytes (what `Oid::as_bytes` returns)
const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC_PUBLICKEY_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const RSASSA_PSS_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const ECDSA_WITH_SHA256_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const ECDSA_WITH_SHA384_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
const ECDSA_WITH_SHA512_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
const SHA256_WITH_RSAENCRYPTION_OID: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const SHA384_WITH_RSAENCRYPTION_OID: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
const SHA512_WITH_RSAENCRYPTION_OID: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
const ED25519_OID: &[u8] = &[0x2b, 0x65, 0x70];
const SHA256_OID: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA384_OID: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const SHA512_OID: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
const SECP521R1_OID: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
const SECP384R1_OID: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const PRIME256V1_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// The "other" EKUs `CertificateTrustPolicy::default()` allows: the lines of the SDK's
/// valid_eku_oids.cfg that parse as OIDs (its `add_valid_ekus`). Email protection,
/// time-stamping and OCSP signing, also listed there, are x509-parser's named flags, which
/// `has_allowed_eku` tests first. `default_eku_set_is_the_sdks` holds this to the SDK.
pub(super) const DEFAULT_ADDITIONAL_EKUS: [&str; 6] = [
    "1.3.6.1.5.5.7.3.4",
    "1.3.6.1.5.5.7.3.36",
    "1.3.6.1.5.5.7.3.8",
    "1.3.6.1.5.5.7.3.9",
    "1.3.6.1.4.1.311.76.59.1.9",
    "1.3.6.1.4.1.62558.2.1",
];

/// `CertificateTrustPolicy::has_allowed_eku` for the default policy.
fn has_allowed_eku(eku: &ExtendedKeyUsage) -> bool {
    eku.email_protection
        || eku.time_stamping
        || eku.ocsp_signing
        || eku
            .other
            .iter()
            .any(|o| DEFAULT_ADDITIONAL_EKUS.contains(&o.to_string().as_str()))
}

fn now() -> Result<i64, Failure> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| None)?;
    i64::try_from(now.as_secs()).map_err(|_| None)
}

/// `check_end_entity_certificate_profile(der, &CertificateTrustPolicy::default(), log, tst)`
/// with `signing_time` the time-stamp's `gen_time` in seconds (`None`: no time-stamp, now).
pub(super) fn check_end_entity_profile(
    certificate_der: &[u8],
    signing_time: Option<i64>,
) -> Result<(), Failure> {
    check_certificate_profile(certificate_der, signing_time)?;
    let (_rem, signcert) = X509Certificate::from_der(certificate_der)
        .map_err(|_| Some((INVALID, "certificate could not be parsed")))?;
    if signcert.tbs_certificate.is_ca() {
        return Err(Some((INVALID, "expected end-entity certificate")));
    }
    Ok(())
}

/// RSASSA-PSS parameters: (hash algorithm, MGF algorithm), as the SDK reads them.
fn pss_params<'a>(
    seq: &'a asn1_rs::Sequence<'a>,
) -> Option<(AlgorithmIdentifier<'a>, AlgorithmIdentifier<'a>)> {
    let (_i, (ha_alg, mgf_ai)) = seq
        .parse(|i| {
            let (i, h) = <Header as asn1_rs::FromDer>::from_der(i)?;
            if h.class() != Class::ContextSpecific || h.tag() != Tag(0) {
                return Err(nom::Err::Error(asn1_rs::Error::BerValueError));
            }
            let (i, ha_alg) = AlgorithmIdentifier::from_der(i)
                .map_err(|_| nom::Err::Error(asn1_rs::Error::BerValueError))?;
            let (i, h) = <Header as asn1_rs::FromDer>::from_der(i)?;
            if h.class() != Class::ContextSpecific || h.tag() != Tag(1) {
                return Err(nom::Err::Error(asn1_rs::Error::BerValueError));
            }
            let (i, mgf_ai) = AlgorithmIdentifier::from_der(i)
                .map_err(|_| nom::Err::Error(asn1_rs::Error::BerValueError))?;
            Ok((i, (ha_alg, mgf_ai)))
        })
        .ok()?;
    Some((ha_alg, mgf_ai))
}

use x509_parser::nom;

/// `check_certificate_profile` with the default trust policy.
fn check_certificate_profile(
    certificate_der: &[u8],
    signing_time: Option<i64>,
) -> Result<(), Failure> {
    let (_rem, signcert) = X509Certificate::from_der(certificate_der)
        .map_err(|_| Some((INVALID, "certificate could not be parsed")))?;

    if signcert.version() != X509Version::V3 {
        return Err(Some((INVALID, "certificate version incorrect")));
    }

    let at = match signing_time {
        Some(t) => t,
        None => now()?,
    };
    let at = x509_parser::time::ASN1Time::from_timestamp(at).map_err(|_| None)?;
    if !signcert.validity().is_valid_at(at) {
        return Err(Some((EXPIRED, "certificate expired")));
    }

    let cert_alg = signcert.signature_algorithm.algorithm.as_bytes();
    if !(cert_alg == SHA256_WITH_RSAENCRYPTION_OID
        || cert_alg == SHA384_WITH_RSAENCRYPTION_OID
        || cert_alg == SHA512_WITH_RSAENCRYPTION_OID
        || cert_alg == ECDSA_WITH_SHA256_OID
        || cert_alg == ECDSA_WITH_SHA384_OID
        || cert_alg == ECDSA_WITH_SHA512_OID
        || cert_alg == RSASSA_PSS_OID
        || cert_alg == ED25519_OID)
    {
        return Err(Some((INVALID, "certificate algorithm not supported")));
    }

    if cert_alg == RSASSA_PSS_OID {
        let Some(parameters) = &signcert.signature_algorithm.parameters else {
            return Err(Some((INVALID, "certificate missing algorithm parameters")));
        };
        let seq = parameters.as_sequence().map_err(|_| None)?;
        let (ha_alg, mgf_ai) = pss_params(&seq).ok_or(None)?;
        let mgf_ai_parameters = mgf_ai.parameters.ok_or(None)?;
        let mgf_ai_parameters = mgf_ai_parameters.as_sequence().map_err(|_| None)?;
        let (_i, mgf_ai_params_algorithm) =
            <Any as asn1_rs::FromDer>::from_der(&mgf_ai_parameters.content).map_err(|_| None)?;
        let mgf_ai_params_algorithm = mgf_ai_params_algorithm.as_oid().map_err(|_| None)?;
        if ha_alg.algorithm.to_id_string() != mgf_ai_params_algorithm.to_id_string() {
            return Err(Some((INVALID, "certificate algorithm error")));
        }
        let ha = ha_alg.algorithm.as_bytes();
        if !(ha == SHA256_OID || ha == SHA384_OID || ha == SHA512_OID) {
            return Err(Some((INVALID, "certificate hash algorithm not supported")));
        }
    }

    let pk = signcert.public_key();
    let skpi_alg = &pk.algorithm;
    if skpi_alg.algorithm.as_bytes() == EC_PUBLICKEY_OID {
        let Some(parameters) = &skpi_alg.parameters else {
            return Err(None);
        };
        let named_curve_oid = parameters.as_oid().map_err(|_| None)?;
        let curve = named_curve_oid.as_bytes();
        if !(curve == PRIME256V1_OID || curve == SECP384R1_OID || curve == SECP521R1_OID) {
            return Err(Some((INVALID, "certificate unsupported EC curve")));
        }
    }

    let key_alg = skpi_alg.algorithm.as_bytes();
    if key_alg == RSA_OID || key_alg == RSASSA_PSS_OID {
        let (_, skpi_ber) = parse_ber_sequence(&pk.subject_public_key.data).map_err(|_| None)?;
        let seq = skpi_ber.as_sequence().map_err(|_| None)?;
        let modulus = seq.first().filter(|_| seq.len() >= 2).ok_or(None)?;
        let modulus = modulus.as_bigint().map_err(|_| None)?;
        if modulus.bits() < 2048 {
            return Err(Some((INVALID, "certificate key length too short")));
        }
    }

    let tbscert = &signcert.tbs_certificate;
    if tbscert.is_ca() && tbscert.issuer() == tbscert.subject() {
        return Err(Some((
            INVALID,
            "certificate issuer and subject cannot be the same (self-signed disallowed)",
        )));
    }

    if signcert.issuer_uid.is_some() || signcert.subject_uid.is_some() {
        return Err(Some((
            INVALID,
            "certificate issuer/subject unique ids are not allowed",
        )));
    }

    let mut aki_good = false;
    let mut ski_good = false;
    let mut key_usage_good = false;
    let mut handled_all_critical = true;
    let extended_key_usage_good = match tbscert.extended_key_usage().map_err(|_| None)? {
        Some(BasicExtension { value: eku, .. }) => {
            if eku.any {
                return Err(Some((INVALID, "certificate 'any' EKU not allowed")));
            }
            if !has_allowed_eku(eku) {
                return Err(Some((INVALID, "certificate missing required EKU")));
            }
            if (eku.ocsp_signing && eku.time_stamping)
                || ((eku.ocsp_signing ^ eku.time_stamping)
                    && (eku.client_auth
                        | eku.code_signing
                        | eku.email_protection
                        | eku.server_auth
                        | !eku.other.is_empty()))
            {
                return Err(Some((INVALID, "certificate invalid set of EKUs")));
            }
            true
        }
        None => tbscert.is_ca(),
    };

    for e in signcert.extensions() {
        match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(_) => aki_good = true,
            ParsedExtension::SubjectKeyIdentifier(_) => ski_good = true,
            ParsedExtension::KeyUsage(ku) => {
                if ku.digital_signature() {
                    if ku.key_cert_sign() && !tbscert.is_ca() {
                        return Err(Some((INVALID, "certificate missing digitalSignature EKU")));
                    }
                    key_usage_good = true;
                }
                if ku.key_cert_sign() || ku.non_repudiation() {
                    key_usage_good = true;
                }
            }
            ParsedExtension::CertificatePolicies(_)
            | ParsedExtension::PolicyMappings(_)
            | ParsedExtension::SubjectAlternativeName(_)
            | ParsedExtension::BasicConstraints(_)
            | ParsedExtension::NameConstraints(_)
            | ParsedExtension::PolicyConstraints(_)
            | ParsedExtension::ExtendedKeyUsage(_)
            | ParsedExtension::CRLDistributionPoints(_)
            | ParsedExtension::InhibitAnyPolicy(_)
            | ParsedExtension::AuthorityInfoAccess(_)
            | ParsedExtension::NSCertType(_)
            | ParsedExtension::CRLNumber(_)
            | ParsedExtension::ReasonCode(_)
            | ParsedExtension::InvalidityDate(_) => (),
            _ => {
                if e.critical {
                    handled_all_critical = false;
                }
            }
        }
    }

    ski_good = if tbscert.is_ca() { ski_good } else { true };

    if aki_good && ski_good && key_usage_good && extended_key_usage_good && handled_all_critical {
        Ok(())
    } else {
        Err(Some((INVALID, "certificate params incorrect")))
    }
}
