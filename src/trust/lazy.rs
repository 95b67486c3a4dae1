//! Anchors of the bundled trust lists, parsed in full only when a chain reaches them.
//!
//! A trust store looks anchors up by their DER's SHA-256 and by their canonical subject (RFC
//! 5280 section 7.1 name matching). Both come from a walk to the subject `Name` (RFC 5280
//! section 4.1: `Certificate ::= SEQUENCE { tbsCertificate, ... }`, `TBSCertificate ::=
//! SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject, ... }`)
//! and one parse of that name; the rest of the certificate (extensions, key, validity) is read
//! by [`ParsedCert::parse`] the first time a path needs it. Parsing the ~70 bundled anchors in
//! full was most of building a `Verifier`, so most of a one-file `verify`, though a file's
//! chain meets one or two of them.

use std::sync::{Arc, OnceLock};

use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

use super::cert::{canonical_key, name_attrs, sha256, ParsedCert};
use crate::der::take;

/// One certificate: DER, SHA-256 and canonical subject now, the full parse on first use.
/// Clones share the parse (the interim list serves the claim and the time-stamp stores).
#[derive(Clone)]
pub(crate) struct LazyCert(Arc<Inner>);

struct Inner {
    /// The certificate's own DER (bytes after it, as in OpenSSL's `TRUSTED CERTIFICATE`
    /// blocks, are not part of it).
    der: Vec<u8>,
    sha256: [u8; 32],
    subject_key: String,
    full: OnceLock<ParsedCert>,
}

impl LazyCert {
    /// Index a certificate by its subject and hash without parsing the rest; `Err` when the
    /// outer structure up to the subject is not DER.
    pub(crate) fn index(der: &[u8]) -> Result<LazyCert, String> {
        let (der, subject) = subject_name(der).ok_or("not a certificate up to its subject")?;
        let (_, name) = X509Name::from_der(subject).map_err(|e| format!("subject: {e}"))?;
        Ok(LazyCert(Arc::new(Inner {
            der: der.to_vec(),
            sha256: sha256(der),
            subject_key: canonical_key(&name_attrs(&name)),
            full: OnceLock::new(),
        })))
    }

    /// A certificate already parsed (user anchors, parsed at start so that a bad one is an
    /// error then).
    pub(crate) fn parsed(cert: ParsedCert) -> LazyCert {
        LazyCert(Arc::new(Inner {
            der: cert.der.clone(),
            sha256: cert.sha256,
            subject_key: cert.subject_key.clone(),
            full: OnceLock::from(cert),
        }))
    }

    pub(crate) fn sha256(&self) -> &[u8; 32] {
        &self.0.sha256
    }

    pub(crate) fn subject_key(&self) -> &str {
        &self.0.subject_key
    }

    /// The full parse. Only the bundled lists are indexed without one, and every certificate
    /// of theirs parses (unit test `bundled_anchors_index_as_they_parse`): a failure here is a
    /// build defect, and panics loudly.
    pub(crate) fn get(&self) -> &ParsedCert {
        self.0
            .full
            .get_or_init(|| match ParsedCert::parse(&self.0.der, false) {
                Ok(c) => c,
                Err(e) => panic!("a bundled trust anchor does not parse: {e}"),
            })
    }
}

/// (the certificate's own DER, its subject `Name` TLV), by the DER lengths alone.
fn subject_name(der: &[u8]) -> Option<(&[u8], &[u8])> {
    // bytes after the certificate (OpenSSL's `TRUSTED CERTIFICATE` auxiliary data) are not
    // part of it
    let (cert, _) = take(der)?;
    let (tbs, _) = take(cert.body)?;
    if cert.tag != 0x30 || tbs.tag != 0x30 {
        return None;
    }
    let mut at = tbs.body;
    // [0] EXPLICIT version, when present
    if at.first() == Some(&0xa0) {
        at = take(at)?.1;
    }
    // serialNumber, signature, issuer, validity
    for want in [0x02, 0x30, 0x30, 0x30] {
        let (field, rest) = take(at)?;
        if field.tag != want {
            return None;
        }
        at = rest;
    }
    let (subject, _) = take(at)?;
    (subject.tag == 0x30).then_some((cert.raw, subject.raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle;
    use crate::trust::pem;

    /// Every certificate of the bundled lists indexes under the hash and subject its full
    /// parse gives, and parses in full (so [`LazyCert::get`] cannot panic on them).
    #[test]
    fn bundled_anchors_index_as_they_parse() {
        let mut n = 0;
        for list in [
            bundle::C2PA_TRUST_LIST,
            bundle::C2PA_TSA_TRUST_LIST,
            bundle::INTERIM_ANCHORS,
            bundle::GENERATOR_CAS,
        ] {
            for block in pem::parse_blocks(list).unwrap() {
                let lazy = LazyCert::index(&block.der).unwrap();
                let full = ParsedCert::parse(&block.der, true).unwrap();
                assert_eq!(lazy.sha256(), &full.sha256);
                assert_eq!(lazy.subject_key(), full.subject_key);
                assert_eq!(lazy.get().der, full.der);
                n += 1;
            }
        }
        assert!(n > 60, "{n} bundled certificates");
    }

    /// build.rs's DER blocks (what a `Verifier` reads) are the PEM lists' blocks, in order,
    /// with nothing left over.
    #[test]
    fn bundled_der_is_the_pem() {
        for (pem, der) in [
            (bundle::C2PA_TRUST_LIST, bundle::C2PA_TRUST_LIST_DER),
            (bundle::C2PA_TSA_TRUST_LIST, bundle::C2PA_TSA_TRUST_LIST_DER),
            (bundle::INTERIM_ANCHORS, bundle::INTERIM_ANCHORS_DER),
        ] {
            let from_pem: Vec<Vec<u8>> = pem::parse_blocks(pem)
                .unwrap()
                .into_iter()
                .map(|b| b.der)
                .collect();
            let from_der: Vec<&[u8]> = bundle::der_blocks(der).collect();
            assert!(from_pem.len() > 10);
            assert_eq!(from_der, from_pem);
            let total: usize = from_der.iter().map(|d| 4 + d.len()).sum();
            assert_eq!(total, der.len());
        }
    }

    #[test]
    fn bytes_after_the_certificate_are_not_part_of_it() {
        let block = &pem::parse_blocks(bundle::INTERIM_ANCHORS).unwrap()[0];
        let mut padded = block.der.clone();
        padded.extend_from_slice(b"trailing auxiliary data");
        let lazy = LazyCert::index(&padded).unwrap();
        assert_eq!(lazy.sha256(), &sha256(&block.der));
        assert_eq!(lazy.get().der, block.der);
    }

    #[test]
    fn truncated_or_foreign_der_does_not_index() {
        let block = &pem::parse_blocks(bundle::INTERIM_ANCHORS).unwrap()[0];
        for cut in [0, 1, 2, 10, 100, 200] {
            assert!(LazyCert::index(&block.der[..cut.min(block.der.len())]).is_err());
        }
        assert!(LazyCert::index(b"\x04\x03abc").is_err());
    }
}
