//! A certificate-status assertion (`c2pa.certificate-status`, C2PA 2.2 section 18.18: OCSP
//! responses for the manifest's signing certificate) as c2pa 0.90.22 reads it.
//!
//! The SDK decodes the assertion into its `CertificateStatus` (a failure fails the store) and
//! passes each response to `OcspResponse::from_der_checked` (`Store::get_store_validation_info`,
//! before any claim is verified) with the claim's certificate chain and no signing time. That
//! function logs `signingCredential.ocsp.notRevoked` when a response it can verify says "good"
//! for the signing certificate, failures when it says "revoked" or "unknown", and nothing when it
//! cannot decode or verify the response. With provcheck's settings the responses are used for
//! nothing else (`certificate_status_should_override` is off). This is that function's port,
//! with the same decoder (rasn, the version c2pa resolves to) and the same date handling
//! (chrono). It returns how many `notRevoked` successes the SDK logs, or declines where it
//! would log a failure or where this port cannot tell what the SDK's crypto backend would say
//! (a response signed other than RSA PKCS #1 v1.5, or one ring does not verify: a bad
//! signature, for which the SDK logs nothing, is declined too, which is only slower).

use chrono::NaiveDateTime;
use rasn_ocsp::{BasicOcspResponse, CertId, CertStatus, OcspResponse, OcspResponseStatus};
use rasn_pkix::{Certificate, CrlReason};
use serde::Deserialize;

/// The SDK's `CertificateStatus` (`ocspVals`, byte strings; other fields ignored).
#[derive(Deserialize)]
struct CertificateStatus {
    #[serde(rename = "ocspVals")]
    ocsp_vals: Vec<serde_bytes::ByteBuf>,
}

/// The SDK's `DATE_FMT`: how it reads rasn's `GeneralizedTime` back from its `Display`.
const DATE_FMT: &str = "%Y-%m-%d %H:%M:%S %Z";

/// How many `signingCredential.ocsp.notRevoked` successes the SDK logs for the assertion `cbor`
/// of a claim signed with `chain` (end-entity certificate first), at `now` (Unix seconds: the
/// SDK judges a response without a signing time at the current time).
pub(super) fn not_revoked_count(
    cbor: &[u8],
    chain: &[Vec<u8>],
    now: i64,
) -> Result<usize, &'static str> {
    let status: CertificateStatus =
        c2pa_cbor::from_slice(cbor).map_err(|_| "certificate status not decodable")?;
    let mut count = 0;
    for der in &status.ocsp_vals {
        if check_response(der, chain, now)? {
            count += 1;
        }
    }
    Ok(count)
}

/// `from_der_checked` for one response: `Ok(true)` when it logs `notRevoked`, `Ok(false)` when
/// it logs nothing.
fn check_response(der: &[u8], chain: &[Vec<u8>], now: i64) -> Result<bool, &'static str> {
    // what cannot be interpreted is treated as absent (RFC 6960 section 2.3 as the SDK reads it)
    let Ok(response) = rasn::der::decode::<OcspResponse>(der) else {
        return Ok(false);
    };
    if response.status != OcspResponseStatus::Successful {
        return Ok(false);
    }
    let Some(bytes) = response.bytes else {
        return Ok(false);
    };
    let Ok(basic) = rasn::der::decode::<BasicOcspResponse>(&bytes.response) else {
        return Ok(false);
    };
    // without the responder's certificates the SDK cannot check the signature: ignored
    let Some(certs) = &basic.certs else {
        return Ok(false);
    };
    if certs.iter().any(|c| rasn::der::encode(c).is_err()) {
        return Ok(false);
    }
    if !signature_verifies(&basic, certs)? {
        return Ok(false);
    }
    let data = &basic.tbs_response_data;
    let mut logs_failure = false;
    for single in &data.responses {
        // RFC 6960 section 4.1.1: only a response about the signing certificate counts
        if !cert_id_matches_signer(&single.cert_id, chain) {
            continue;
        }
        match &single.cert_status {
            CertStatus::Good => {
                let Some(this_update) = seconds(&single.this_update.to_string()) else {
                    return Ok(false);
                };
                if let Some(next) = &single.next_update {
                    // read (an error ends the check without a log) but, without a signing
                    // time, not compared
                    if seconds(&next.to_string()).is_none() {
                        return Ok(false);
                    }
                }
                if now >= this_update {
                    return Ok(true);
                }
                // "certificate revoked" unless a later response says otherwise
                logs_failure = true;
            }
            CertStatus::Revoked(info) => {
                let Some(revoked_at) = seconds(&info.revocation_time.to_string()) else {
                    return Ok(false);
                };
                match info.revocation_reason {
                    // taken off the list after `now`: the check ends without a log
                    Some(CrlReason::RemoveFromCRL) if revoked_at > now => return Ok(false),
                    _ => logs_failure = true,
                }
            }
            CertStatus::Unknown(_) => logs_failure = true,
        }
    }
    if logs_failure {
        return Err("certificate status revoked or unknown");
    }
    Ok(false)
}

/// The SDK's reading of a time: its `Display` parsed as a naive UTC time (the offset skipped).
fn seconds(display: &str) -> Option<i64> {
    NaiveDateTime::parse_from_str(display, DATE_FMT)
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// The responder's signature over the re-encoded response data, by the first certificate's key
/// (`validate_ocsp_sig`). `Ok(false)` where the SDK logs nothing without trying (an algorithm
/// it does not know, data it cannot encode); declines what the port cannot judge as the SDK's
/// backend would.
fn signature_verifies(
    basic: &BasicOcspResponse,
    certs: &[Certificate],
) -> Result<bool, &'static str> {
    use ring::signature;
    let alg = match basic.signature_algorithm.algorithm.to_string().as_str() {
        "1.2.840.113549.1.1.11" => &signature::RSA_PKCS1_2048_8192_SHA256,
        "1.2.840.113549.1.1.12" => &signature::RSA_PKCS1_2048_8192_SHA384,
        "1.2.840.113549.1.1.13" => &signature::RSA_PKCS1_2048_8192_SHA512,
        // ECDSA and Ed25519: the SDK verifies them; not ported
        "1.2.840.10045.4.3.2" | "1.2.840.10045.4.3.3" | "1.2.840.10045.4.3.4" | "1.3.101.112" => {
            return Err("OCSP signature algorithm")
        }
        _ => return Ok(false),
    };
    let Ok(tbs) = rasn::der::encode(&basic.tbs_response_data) else {
        return Ok(false);
    };
    let Some(first) = certs.first() else {
        return Ok(false);
    };
    let spki = &first.tbs_certificate.subject_public_key_info;
    if rasn::der::encode(spki).is_err() {
        return Ok(false);
    }
    // the SDK's RSA validators read an `rsaEncryption` key; anything else goes to it
    if spki.algorithm.algorithm.to_string() != "1.2.840.113549.1.1.1" {
        return Err("OCSP responder key");
    }
    let key = signature::UnparsedPublicKey::new(alg, spki.subject_public_key.as_raw_slice());
    // a signature ring refuses may be one the SDK's backend accepts (a key outside ring's
    // sizes): declined rather than guessed
    key.verify(&tbs, basic.signature.as_raw_slice())
        .map(|()| true)
        .map_err(|_| "OCSP signature")
}

/// Whether `cert_id` names the end-entity certificate of `chain` (its serial number, and its
/// issuer's name and key hashed with the certId's algorithm: SHA-1 or SHA-256).
fn cert_id_matches_signer(cert_id: &CertId, chain: &[Vec<u8>]) -> bool {
    let (Some(subject), Some(issuer)) = (chain.first(), chain.get(1)) else {
        return false;
    };
    let (Ok(subject), Ok(issuer)) = (
        rasn::der::decode::<Certificate>(subject),
        rasn::der::decode::<Certificate>(issuer),
    ) else {
        return false;
    };
    if cert_id.serial_number != subject.tbs_certificate.serial_number {
        return false;
    }
    let Ok(issuer_name) = rasn::der::encode(&issuer.tbs_certificate.subject) else {
        return false;
    };
    let issuer_key = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .as_raw_slice();
    let alg = match cert_id.hash_algorithm.algorithm.to_string().as_str() {
        "1.3.14.3.2.26" => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        "2.16.840.1.101.3.4.2.1" => &ring::digest::SHA256,
        _ => return false,
    };
    let hash = |d: &[u8]| ring::digest::digest(alg, d);
    cert_id.issuer_name_hash.as_ref() == hash(&issuer_name).as_ref()
        && cert_id.issuer_key_hash.as_ref() == hash(issuer_key).as_ref()
}
