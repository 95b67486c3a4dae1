//! A local, throw-away RFC 3161 time-stamping authority (no network).
//!
//! Builds a TimeStampResp whose TimeStampToken is a CMS SignedData over a TSTInfo,
//! signed (ring) by the TSA certificate, with hand-encoded DER.

use chrono::{DateTime, Utc};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::certs::{CertKey, KeyAlg};
use super::der;

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_CT_TSTINFO: &str = "1.2.840.113549.1.9.16.1.4";
const OID_ATTR_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_ATTR_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_ATTR_SIGNING_CERT_V2: &str = "1.2.840.113549.1.9.16.2.47";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
const OID_SHA512: &str = "2.16.840.1.101.3.4.2.3";
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const OID_ED25519: &str = "1.3.101.112";
/// TSA policy: an OID under the documentation/example arc 2.999.
pub const TSA_POLICY_OID: &str = "2.999.3161.1";

/// A local TSA: `chain[0]` signs (it should carry EKU id-kp-timeStamping), the rest
/// are included in the token's certificate set. Every token says `gen_time`.
#[derive(Clone, Debug)]
pub struct LocalTsa {
    pub chain: Vec<CertKey>,
    pub gen_time: DateTime<Utc>,
}

impl LocalTsa {
    pub fn new(chain: &[&CertKey], gen_time: DateTime<Utc>) -> Self {
        assert!(!chain.is_empty(), "TSA chain must hold the TSA certificate");
        LocalTsa {
            chain: chain.iter().map(|c| (*c).clone()).collect(),
            gen_time,
        }
    }

    /// Upper bound of the token size, for the signer's reserve size.
    pub fn size_hint(&self) -> usize {
        1024 + self.chain.iter().map(|c| c.der.len()).sum::<usize>()
    }

    /// RFC 3161 TimeStampResp (status granted) over SHA-256(`message`).
    pub fn response(&self, message: &[u8]) -> Vec<u8> {
        der::seq(&[der::seq(&[der::int(0)]), self.token(message)])
    }

    /// The TimeStampToken (a CMS ContentInfo holding SignedData) over SHA-256(`message`).
    pub fn token(&self, message: &[u8]) -> Vec<u8> {
        let tsa = &self.chain[0];
        let (digest_oid, sig_oid) = match tsa.alg {
            KeyAlg::P256 => (OID_SHA256, OID_ECDSA_SHA256),
            KeyAlg::P384 => (OID_SHA384, OID_ECDSA_SHA384),
            KeyAlg::Ed25519 => (OID_SHA512, OID_ED25519),
        };

        let imprint = sha(OID_SHA256, message);
        let nanos = self.gen_time.timestamp_nanos_opt().unwrap_or(0) as u64;
        let tst_info = der::seq(&[
            der::int(1),
            der::oid(TSA_POLICY_OID),
            der::seq(&[
                der::seq(&[der::oid(OID_SHA256), der::null()]),
                der::octets(&imprint),
            ]),
            der::int(nanos ^ u64::from(message.first().copied().unwrap_or(0))),
            der::generalized_time(self.gen_time),
            der::seq(&[der::int(1)]), // accuracy: 1 second
        ]);

        let signing_cert_v2 = der::seq(&[der::seq(&[der::seq(&[der::octets(&sha(
            OID_SHA256, &tsa.der,
        ))])])]);
        let signed_attrs = der::set_of(&[
            der::seq(&[
                der::oid(OID_ATTR_CONTENT_TYPE),
                der::set_of(&[der::oid(OID_CT_TSTINFO)]),
            ]),
            der::seq(&[
                der::oid(OID_ATTR_MESSAGE_DIGEST),
                der::set_of(&[der::octets(&sha(digest_oid, &tst_info))]),
            ]),
            der::seq(&[
                der::oid(OID_ATTR_SIGNING_CERT_V2),
                der::set_of(&[signing_cert_v2]),
            ]),
        ]);
        let signature = raw_sign(tsa, &signed_attrs);
        // In SignerInfo the attributes are [0] IMPLICIT; the signature covers the SET form.
        let mut signed_attrs_implicit = signed_attrs.clone();
        signed_attrs_implicit[0] = 0xA0;

        let (_, cert) = X509Certificate::from_der(&tsa.der).expect("parse TSA certificate");
        let sid = der::seq(&[
            cert.tbs_certificate.issuer.as_raw().to_vec(),
            der::tlv(0x02, cert.tbs_certificate.raw_serial()),
        ]);
        let signer_info = der::seq(&[
            der::int(1),
            sid,
            der::alg_id(digest_oid),
            signed_attrs_implicit,
            der::alg_id(sig_oid),
            der::octets(&signature),
        ]);

        let certs: Vec<u8> = self.chain.iter().flat_map(|c| c.der.clone()).collect();
        let signed_data = der::seq(&[
            der::int(3),
            der::set_of(&[der::alg_id(digest_oid)]),
            der::seq(&[
                der::oid(OID_CT_TSTINFO),
                der::explicit(0, &der::octets(&tst_info)),
            ]),
            der::tlv(0xA0, &certs),
            der::set_of(&[signer_info]),
        ]);
        der::seq(&[der::oid(OID_SIGNED_DATA), der::explicit(0, &signed_data)])
    }
}

fn sha(oid: &str, data: &[u8]) -> Vec<u8> {
    let alg = match oid {
        OID_SHA256 => &ring::digest::SHA256,
        OID_SHA384 => &ring::digest::SHA384,
        OID_SHA512 => &ring::digest::SHA512,
        _ => unreachable!("digest {oid}"),
    };
    ring::digest::digest(alg, data).as_ref().to_vec()
}

/// Sign `msg` with the certificate's private key (ECDSA: DER signature; Ed25519: raw).
pub fn raw_sign(key: &CertKey, msg: &[u8]) -> Vec<u8> {
    use ring::signature::{EcdsaKeyPair, Ed25519KeyPair};
    let pkcs8 = rcgen::KeyPair::from_pem(&key.key_pem)
        .expect("parse private key")
        .serialize_der();
    let rng = ring::rand::SystemRandom::new();
    match key.alg {
        KeyAlg::P256 | KeyAlg::P384 => {
            let alg = if key.alg == KeyAlg::P256 {
                &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING
            } else {
                &ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING
            };
            let kp = EcdsaKeyPair::from_pkcs8(alg, &pkcs8, &rng).expect("ECDSA key");
            kp.sign(&rng, msg).expect("ECDSA sign").as_ref().to_vec()
        }
        KeyAlg::Ed25519 => {
            let kp = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8).expect("Ed25519 key");
            kp.sign(msg).as_ref().to_vec()
        }
    }
}
