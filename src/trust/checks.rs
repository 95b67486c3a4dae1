//! One small function per certificate check, each citing the rule it enforces.
//!
//! Structural checks (everything but validity time) run once per distinct presented
//! chain and are cached; [`check_validity`] runs on every evaluation.

use ring::signature;

use super::cert::{Hash, KeyKind, ParsedCert, SigAlg, OID_EKU_TIME_STAMPING, OID_P521};
use super::types::{ChainError, Purpose};

/// RFC 5280 4.1.2.5 (validity): the evaluation time must satisfy
/// `notBefore <= at <= notAfter`. Applied to every certificate on the chosen path,
/// anchors included, outside the structural cache.
pub(crate) fn check_validity(
    not_before: i64,
    not_after: i64,
    at: i64,
    fmt: impl Fn(i64) -> String,
) -> Result<(), ChainError> {
    if at < not_before {
        return Err(ChainError::NotYetValid {
            not_before: fmt(not_before),
        });
    }
    if at > not_after {
        return Err(ChainError::Expired {
            not_after: fmt(not_after),
        });
    }
    Ok(())
}

/// RFC 5280 4.2.1.9 (basicConstraints) + C2PA 2.x "X.509 certificates": the claim (or
/// time-stamp) signing certificate is an end-entity certificate, so it must not assert
/// cA=TRUE.
pub(crate) fn check_leaf_not_ca(leaf: &ParsedCert) -> Result<(), ChainError> {
    if leaf.is_ca() {
        return Err(ChainError::LeafIsCa);
    }
    Ok(())
}

/// RFC 5280 4.2.1.3 (keyUsage) + C2PA 2.x "X.509 certificates": a claim signer's keyUsage
/// extension must be present and assert digitalSignature. For time-stamp signers an
/// absent keyUsage is tolerated, but a present one must assert digitalSignature.
pub(crate) fn check_leaf_key_usage(leaf: &ParsedCert, purpose: Purpose) -> Result<(), ChainError> {
    match (leaf.key_usage, purpose) {
        (Some(ku), _) if ku.digital_signature => Ok(()),
        (None, Purpose::TimeStamping) => Ok(()),
        _ => Err(ChainError::KeyUsageMissing),
    }
}

/// RFC 5280 4.2.1.12 (extendedKeyUsage) + C2PA 2.x "X.509 certificates" (claim signers
/// must carry an EKU from the configured set; anyExtendedKeyUsage alone is not enough) +
/// RFC 3161 2.3 (a TSA certificate must carry id-kp-timeStamping).
pub(crate) fn check_leaf_eku(
    leaf: &ParsedCert,
    purpose: Purpose,
    claim_ekus: &[String],
) -> Result<(), ChainError> {
    let Some(eku) = &leaf.eku else {
        return Err(ChainError::EkuMissing);
    };
    let ok = match purpose {
        Purpose::TimeStamping => eku.contains(OID_EKU_TIME_STAMPING),
        Purpose::ClaimSigning => claim_ekus.iter().any(|o| eku.contains(o)),
    };
    if ok {
        Ok(())
    } else {
        Err(ChainError::EkuNotAllowed {
            found: eku.oids.clone(),
        })
    }
}

/// RFC 5280 4.2.1.9 (basicConstraints) and 6.1.4 (k): every issuer on the path must assert
/// cA=TRUE. An anchor without a basicConstraints extension (e.g. a v1 root) is accepted,
/// as anchors are trusted by inclusion (RFC 5280 6.1.1 (d)); an anchor that explicitly
/// says cA=FALSE is not.
pub(crate) fn check_issuer_is_ca(issuer: &ParsedCert, is_anchor: bool) -> Result<(), ChainError> {
    match issuer.basic_constraints {
        Some((true, _)) => Ok(()),
        None if is_anchor => Ok(()),
        _ => Err(ChainError::IssuerNotCa),
    }
}

/// RFC 5280 4.2.1.9 (pathLenConstraint) and 6.1.4 (l)/(m): the number of non-self-issued
/// intermediate certificates that follow (below) this issuer must not exceed its
/// pathLenConstraint.
pub(crate) fn check_path_len(
    issuer: &ParsedCert,
    non_self_issued_below: usize,
) -> Result<(), ChainError> {
    match issuer.basic_constraints {
        Some((_, Some(max))) if non_self_issued_below > max as usize => {
            Err(ChainError::PathLenExceeded)
        }
        _ => Ok(()),
    }
}

/// RFC 5280 4.2.1.3 (keyUsage) and 6.1.4 (n): an issuer whose keyUsage extension is present
/// must assert keyCertSign.
pub(crate) fn check_issuer_key_usage(issuer: &ParsedCert) -> Result<(), ChainError> {
    match issuer.key_usage {
        Some(ku) if !ku.key_cert_sign => Err(ChainError::CaKeyUsageMissing),
        _ => Ok(()),
    }
}

/// C2PA 2.x "Trust model" EKU chaining (as for RFC 5280 4.2.1.12 applied to CAs, the
/// common "EKU nesting" policy): if an intermediate CA carries an extendedKeyUsage
/// extension, it must contain anyExtendedKeyUsage or at least one EKU allowed for the
/// purpose, otherwise that CA is not authorised to issue signers for this purpose.
pub(crate) fn check_intermediate_eku(
    issuer: &ParsedCert,
    purpose: Purpose,
    claim_ekus: &[String],
) -> Result<(), ChainError> {
    let Some(eku) = &issuer.eku else {
        return Ok(());
    };
    if eku.has_any() {
        return Ok(());
    }
    let ok = match purpose {
        Purpose::TimeStamping => eku.contains(OID_EKU_TIME_STAMPING),
        Purpose::ClaimSigning => claim_ekus.iter().any(|o| eku.contains(o)),
    };
    if ok {
        Ok(())
    } else {
        Err(ChainError::EkuNotAllowed {
            found: eku.oids.clone(),
        })
    }
}

/// RFC 5280 4.2 and 6.1.4 (o): a certificate with a critical extension the verifier does
/// not recognise must be rejected. (Anchors are exempt: trusted by inclusion.)
pub(crate) fn check_critical_extensions(c: &ParsedCert) -> Result<(), ChainError> {
    match c.unknown_critical.first() {
        Some(oid) => Err(ChainError::UnsupportedCriticalExtension { oid: oid.clone() }),
        None => Ok(()),
    }
}

/// RFC 5280 4.2.1.1 (authorityKeyIdentifier) / 4.2.1.2 (subjectKeyIdentifier): when the
/// child names its issuer's key identifier and the candidate has one, they must agree.
/// Used as a candidate filter during path building, not as a failure.
pub(crate) fn key_ids_agree(child: &ParsedCert, issuer: &ParsedCert) -> bool {
    match (&child.aki, &issuer.ski) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

/// RFC 5280 4.1.1.3 (signatureValue) and 6.1.3 (a)(1): the child's signature over its
/// TBSCertificate must verify under the issuer's public key, with the algorithm named by
/// the child's signatureAlgorithm (RFC 3279 / RFC 4055 / RFC 5758 / RFC 8410). ECDSA
/// signatures in X.509 are ASN.1 DER (ring's `*_ASN1` algorithms). P-521 and SHA-1 are
/// reported as unsupported; RSA keys under 2048 bits as too small.
pub(crate) fn verify_signature(child: &ParsedCert, issuer: &ParsedCert) -> Result<(), ChainError> {
    let alg: &'static dyn signature::VerificationAlgorithm =
        match (&issuer.key_kind, &child.sig_alg) {
            (_, SigAlg::Unsupported(oid)) => {
                return Err(ChainError::UnsupportedAlgorithm { oid: oid.clone() })
            }
            (KeyKind::EcP521, _) => {
                return Err(ChainError::UnsupportedAlgorithm {
                    oid: OID_P521.to_string(),
                })
            }
            (KeyKind::EcP256, SigAlg::Ecdsa(Hash::Sha256)) => &signature::ECDSA_P256_SHA256_ASN1,
            (KeyKind::EcP256, SigAlg::Ecdsa(Hash::Sha384)) => &signature::ECDSA_P256_SHA384_ASN1,
            (KeyKind::EcP384, SigAlg::Ecdsa(Hash::Sha256)) => &signature::ECDSA_P384_SHA256_ASN1,
            (KeyKind::EcP384, SigAlg::Ecdsa(Hash::Sha384)) => &signature::ECDSA_P384_SHA384_ASN1,
            (KeyKind::EcP256 | KeyKind::EcP384, SigAlg::Ecdsa(Hash::Sha512)) => {
                return Err(ChainError::UnsupportedAlgorithm {
                    oid: "1.2.840.10045.4.3.4".to_string(),
                })
            }
            (KeyKind::EcOther(curve), SigAlg::Ecdsa(_)) => {
                return Err(ChainError::UnsupportedAlgorithm { oid: curve.clone() })
            }
            (
                KeyKind::Rsa { bits } | KeyKind::RsaPss { bits },
                SigAlg::RsaPkcs1(_) | SigAlg::RsaPss(_),
            ) if *bits < 2048 => return Err(ChainError::KeyTooSmall { bits: *bits }),
            (KeyKind::Rsa { .. }, SigAlg::RsaPkcs1(Hash::Sha256)) => {
                &signature::RSA_PKCS1_2048_8192_SHA256
            }
            (KeyKind::Rsa { .. }, SigAlg::RsaPkcs1(Hash::Sha384)) => {
                &signature::RSA_PKCS1_2048_8192_SHA384
            }
            (KeyKind::Rsa { .. }, SigAlg::RsaPkcs1(Hash::Sha512)) => {
                &signature::RSA_PKCS1_2048_8192_SHA512
            }
            (KeyKind::Rsa { .. } | KeyKind::RsaPss { .. }, SigAlg::RsaPss(Hash::Sha256)) => {
                &signature::RSA_PSS_2048_8192_SHA256
            }
            (KeyKind::Rsa { .. } | KeyKind::RsaPss { .. }, SigAlg::RsaPss(Hash::Sha384)) => {
                &signature::RSA_PSS_2048_8192_SHA384
            }
            (KeyKind::Rsa { .. } | KeyKind::RsaPss { .. }, SigAlg::RsaPss(Hash::Sha512)) => {
                &signature::RSA_PSS_2048_8192_SHA512
            }
            (KeyKind::Ed25519, SigAlg::Ed25519) => &signature::ED25519,
            (KeyKind::Ed448, _) => {
                return Err(ChainError::UnsupportedAlgorithm {
                    oid: "1.3.101.113".to_string(),
                })
            }
            (KeyKind::Other(oid), _) => {
                return Err(ChainError::UnsupportedAlgorithm { oid: oid.clone() })
            }
            // Key type and signature algorithm do not belong together: this key did not sign it.
            _ => return Err(ChainError::BadSignature),
        };
    signature::UnparsedPublicKey::new(alg, &issuer.key_bytes)
        .verify(child.tbs_bytes(), &child.signature)
        .map_err(|_| ChainError::BadSignature)
}
