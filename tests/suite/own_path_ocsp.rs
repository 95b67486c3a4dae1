//! Certificate-status assertions (`c2pa.certificate-status`: OCSP responses for the signing
//! certificate, which OpenAI's current output carries) on provcheck's own validation path
//! (issue 14): every file must get the SDK's report, field for field, and the files whose
//! responses the SDK reads without a failure stay on the own path. The responses are made here
//! with a throw-away RSA responder key.

use crate::common;
use crate::own_path;

use coset::cbor::value::Value;
use rasn::types::{Any, BitString, GeneralizedTime, Integer, ObjectIdentifier, OctetString};
use rasn_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspResponse, OcspResponseStatus, ResponderId,
    ResponseBytes, ResponseData, RevokedInfo, SingleResponse,
};
use rasn_pkix::{AlgorithmIdentifier, Certificate, CrlReason};

use common::*;
use own_path::{judge_changed, status_codes};

/// An OCSP responder: a certificate with an RSA key (the rest of it copied from another
/// certificate: the SDK checks the response's signature with the first certificate's key and
/// nothing else of it) and that key.
struct Responder {
    cert: Certificate,
    key: ring::signature::RsaKeyPair,
}

fn responder(template: &[u8]) -> Responder {
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
    let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    let pkcs8 = private.to_pkcs8_der().unwrap();
    let key = ring::signature::RsaKeyPair::from_pkcs8(pkcs8.as_bytes()).unwrap();
    let spki = private.to_public_key().to_public_key_der().unwrap();
    let mut cert: Certificate = rasn::der::decode(template).unwrap();
    cert.tbs_certificate.subject_public_key_info = rasn::der::decode(spki.as_bytes()).unwrap();
    Responder { cert, key }
}

fn oid(arcs: &[u32]) -> ObjectIdentifier {
    ObjectIdentifier::new(arcs.to_vec()).unwrap()
}

fn with_null(arcs: &[u32]) -> AlgorithmIdentifier {
    AlgorithmIdentifier {
        algorithm: oid(arcs),
        parameters: Some(Any::new(vec![5, 0])),
    }
}

fn sha1(d: &[u8]) -> OctetString {
    OctetString::from(
        ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, d)
            .as_ref()
            .to_vec(),
    )
}

/// The certId (SHA-1, RFC 6960 section 4.1.1) of certificate `cert` issued by `issuer`.
fn cert_id(cert: &CertKey, issuer: &CertKey) -> CertId {
    let cert: Certificate = rasn::der::decode(&cert.der).unwrap();
    let issuer: Certificate = rasn::der::decode(&issuer.der).unwrap();
    CertId {
        hash_algorithm: with_null(&[1, 3, 14, 3, 2, 26]),
        issuer_name_hash: sha1(&rasn::der::encode(&issuer.tbs_certificate.subject).unwrap()),
        issuer_key_hash: sha1(
            issuer
                .tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .as_raw_slice(),
        ),
        serial_number: cert.tbs_certificate.serial_number,
    }
}

/// A DER OCSP response from `responder` saying `status` about `id`, produced an hour ago;
/// `break_signature` flips a bit of its signature.
fn response(
    responder: &Responder,
    id: CertId,
    status: CertStatus,
    break_signature: bool,
) -> Vec<u8> {
    use chrono::{Duration, Timelike};
    let hour_ago: GeneralizedTime = (chrono::Utc::now() - Duration::hours(1))
        .with_nanosecond(0)
        .unwrap()
        .fixed_offset();
    let tbs = ResponseData {
        version: Integer::from(0),
        responder_id: ResponderId::ByKey(OctetString::from(vec![7u8; 20])),
        produced_at: hour_ago,
        responses: vec![SingleResponse {
            cert_id: id,
            cert_status: status,
            this_update: hour_ago,
            next_update: Some(hour_ago + Duration::days(7)),
            single_extensions: None,
        }],
        response_extensions: None,
    };
    let mut sig = vec![0; responder.key.public().modulus_len()];
    responder
        .key
        .sign(
            &ring::signature::RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            &rasn::der::encode(&tbs).unwrap(),
            &mut sig,
        )
        .unwrap();
    if break_signature {
        sig[10] ^= 1;
    }
    let basic = BasicOcspResponse {
        tbs_response_data: tbs,
        signature_algorithm: with_null(&[1, 2, 840, 113549, 1, 1, 11]),
        signature: BitString::from_vec(sig),
        certs: Some(vec![responder.cert.clone()]),
    };
    rasn::der::encode(&OcspResponse {
        status: OcspResponseStatus::Successful,
        bytes: Some(ResponseBytes {
            r#type: oid(&[1, 3, 6, 1, 5, 5, 7, 48, 1, 1]),
            response: OctetString::from(rasn::der::encode(&basic).unwrap()),
        }),
    })
    .unwrap()
}

/// A JPEG signed by `leaf` (under `root`) with a certificate-status assertion whose `ocspVals`
/// is `vals`.
fn signed_with_status(leaf: &CertKey, root: &CertKey, vals: Value) -> Vec<u8> {
    signed_with_cbor_assertion(leaf, root, "c2pa.certificate-status", ocsp_vals(vals))
}

/// A certificate-status assertion's content.
fn ocsp_vals(vals: Value) -> Value {
    Value::Map(vec![(Value::Text("ocspVals".into()), vals)])
}

const NOT_REVOKED: &str = "signingCredential.ocsp.notRevoked";

#[test]
fn certificate_status_assertions_get_the_sdk_report() {
    let (leaf, root) = acme_chain();
    let responder = responder(&root.der);
    let good = response(&responder, cert_id(&leaf, &root), CertStatus::Good, false);
    let yesterday = {
        use chrono::Timelike;
        (chrono::Utc::now() - chrono::Duration::days(1))
            .with_nanosecond(0)
            .unwrap()
            .fixed_offset()
    };
    let revoked = |reason| {
        CertStatus::Revoked(RevokedInfo {
            revocation_time: yesterday,
            revocation_reason: reason,
        })
    };
    let bytes = |d: &[u8]| Value::Bytes(d.to_vec());
    // (case, ocspVals, judged by the own path, logs `notRevoked`)
    let cases: Vec<(&str, Value, bool, bool)> = vec![
        ("good", Value::Array(vec![bytes(&good)]), true, true),
        (
            "good, twice",
            Value::Array(vec![bytes(&good), bytes(&good)]),
            true,
            true,
        ),
        (
            // what OpenAI writes: base64 text, which the SDK takes as the text's bytes, which
            // are no DER
            "base64 text",
            Value::Array(vec![Value::Text(base64_text(&good))]),
            true,
            false,
        ),
        ("no responses", Value::Array(vec![]), true, false),
        (
            "garbage",
            Value::Array(vec![bytes(b"not DER")]),
            true,
            false,
        ),
        (
            "about another certificate",
            Value::Array(vec![bytes(&response(
                &responder,
                cert_id(&root, &root),
                CertStatus::Good,
                false,
            ))]),
            true,
            false,
        ),
        (
            "revoked",
            Value::Array(vec![bytes(&response(
                &responder,
                cert_id(&leaf, &root),
                revoked(None),
                false,
            ))]),
            false,
            false,
        ),
        (
            "revoked, then taken off the list",
            Value::Array(vec![bytes(&response(
                &responder,
                cert_id(&leaf, &root),
                revoked(Some(CrlReason::RemoveFromCRL)),
                false,
            ))]),
            false,
            false,
        ),
        (
            "unknown",
            Value::Array(vec![bytes(&response(
                &responder,
                cert_id(&leaf, &root),
                CertStatus::Unknown(()),
                false,
            ))]),
            false,
            false,
        ),
        (
            "a signature that does not verify",
            Value::Array(vec![bytes(&response(
                &responder,
                cert_id(&leaf, &root),
                CertStatus::Good,
                true,
            ))]),
            false,
            false,
        ),
        ("not a list", Value::Text("x".into()), false, false),
    ];
    for (what, vals, own_path, not_revoked) in cases {
        let data = signed_with_status(&leaf, &root, vals);
        // the SDK's report (for "not a list" it reads no manifest: an `error` report)
        let own = judge_changed(&data, "image.jpg", what);
        let on_own_path = own.validated_by.as_deref() == Some("provcheck");
        assert_eq!(on_own_path, own_path, "{what}: {:?}", own.validated_by);
        let logged = status_codes(&own, "success").contains(&NOT_REVOKED.to_string());
        assert_eq!(logged, not_revoked, "{what}");
    }
}

fn base64_text(d: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(d)
}

/// An edit of a file whose manifest carries the certificate status (a generator's image opened
/// in an editor): the parent's assertion is read too, in the active manifest's results; both
/// manifests carrying one go to the SDK (which reads them in a hash map's order).
#[test]
fn an_ingredient_certificate_status_gets_the_sdk_report() {
    let (leaf, root) = acme_chain();
    let responder = responder(&root.der);
    let good = response(&responder, cert_id(&leaf, &root), CertStatus::Good, false);
    let status = Value::Array(vec![Value::Bytes(good)]);
    let parent = signed_with_status(&leaf, &root, status.clone());
    let edit = sign_with_parent(
        &parent,
        "jpg",
        &manifest_json("edit.jpg", "Acme Edit", None, None),
        &[&leaf, &root],
    );
    let own = judge_changed(&edit, "image.jpg", "edit of a parent with a status");
    assert_eq!(own.validated_by.as_deref(), Some("provcheck"));
    assert!(status_codes(&own, "success").contains(&NOT_REVOKED.to_string()));
    // both manifests with one
    let both = sign_with_opts(
        &parent,
        "jpg",
        &manifest_json("edit.jpg", "Acme Edit", None, None),
        &[&leaf, &root],
        &SignOpts {
            parent: Some(&parent),
            cbor_assertions: vec![("c2pa.certificate-status".into(), ocsp_vals(status))],
            ..SignOpts::default()
        },
    )
    .unwrap();
    let own = judge_changed(&both, "image.jpg", "both with a status");
    assert_eq!(own.validated_by.as_deref(), Some("c2pa"));
}
