//! The parts of a claim signature provcheck reads itself: the COSE_Sign1 (RFC 9052) `x5chain`
//! and unprotected time-stamp header (`sigTst`/`sigTst2`), and the certificates inside an RFC 3161
//! time-stamp token (CMS SignedData, RFC 5652). Bounded and total: malformed input gives empty
//! results, never a panic.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use coset::cbor::value::Value;
use coset::{CborSerializable, CoseSign1, TaggedCborSerializable};

/// The value of a text key in a CBOR map.
pub(super) fn map_get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// A CBOR text string's value.
pub(super) fn as_text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

/// A CBOR byte string's value.
pub(super) fn as_bytes(v: &Value) -> Option<&[u8]> {
    match v {
        Value::Bytes(b) => Some(b),
        _ => None,
    }
}

/// The RFC 3161 time-stamp tokens carried in the COSE unprotected header (`sigTst` / `sigTst2`).
pub fn timestamp_tokens(cose: &[u8]) -> Vec<Vec<u8>> {
    let sign1 = CoseSign1::from_tagged_slice(cose).or_else(|_| CoseSign1::from_slice(cose));
    let Ok(sign1) = sign1 else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (label, value) in sign1.unprotected.rest.iter() {
        let is_tst = matches!(label, coset::Label::Text(t) if t == "sigTst" || t == "sigTst2");
        if !is_tst {
            continue;
        }
        if let Some(Value::Array(tokens)) = map_get(value, "tstTokens") {
            for t in tokens.iter().take(8) {
                if let Some(Value::Bytes(b)) = map_get(t, "val") {
                    out.push(b.clone());
                }
            }
        }
    }
    out
}

/// Whether the COSE unprotected header carries a time-stamp entry at all (`sigTst`, `sigTst2`),
/// whatever its shape: a present but unreadable time-stamp must be reported, not ignored.
pub fn has_timestamp_header(cose: &[u8]) -> bool {
    let sign1 = CoseSign1::from_tagged_slice(cose).or_else(|_| CoseSign1::from_slice(cose));
    let Ok(sign1) = sign1 else {
        return false;
    };
    sign1
        .unprotected
        .rest
        .iter()
        .any(|(l, _)| matches!(l, coset::Label::Text(t) if t == "sigTst" || t == "sigTst2"))
}

/// The X.509 certificate chain (`x5chain`, label 33) of a COSE_Sign1, leaf first.
pub fn x5chain(cose: &[u8]) -> Vec<Vec<u8>> {
    let sign1 = CoseSign1::from_tagged_slice(cose).or_else(|_| CoseSign1::from_slice(cose));
    match sign1 {
        Ok(s) => c2pa::crypto::cose::cert_chain_from_sign1(&s).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Minimal DER TLV reader: returns (tag, content, total length).
fn tlv(data: &[u8]) -> Option<(u8, &[u8], usize)> {
    let tag = *data.first()?;
    let first = *data.get(1)? as usize;
    let (len, hdr) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *data.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    Some((tag, data.get(hdr..end)?, end))
}

fn children(mut data: &[u8]) -> Vec<(u8, &[u8], &[u8])> {
    let mut out = Vec::new();
    while !data.is_empty() && out.len() < 256 {
        let Some((tag, body, total)) = tlv(data) else {
            break;
        };
        let (Some(raw), Some(rest)) = (data.get(..total), data.get(total..)) else {
            break;
        };
        out.push((tag, body, raw));
        data = rest;
    }
    out
}

/// The certificates carried in an RFC 3161 TimeStampToken (CMS ContentInfo / SignedData,
/// RFC 5652 5.1: `certificates [0] IMPLICIT CertificateSet`), as DER; also inside a whole
/// TimeStampResp (`SEQUENCE { PKIStatusInfo, TimeStampToken }`, RFC 3161 2.4.2), which most
/// C2PA signers store and which the SDK and the own path's check read as well.
pub fn token_certificates(token: &[u8]) -> Vec<Vec<u8>> {
    (|| {
        let (_, outer, _) = tlv(token)?;
        // a ContentInfo starts with its contentType OID; a TimeStampResp with its status
        let content_info = match children(outer).as_slice() {
            [(0x30, _, _), (0x30, token, _)] => *token,
            _ => outer,
        };
        let parts = children(content_info);
        let (_, explicit, _) = parts.iter().find(|(t, _, _)| *t == 0xa0)?; // [0] EXPLICIT content
        let (_, signed_data, _) = tlv(explicit)?; // SignedData SEQUENCE
        let (_, certs, _) = children(signed_data)
            .into_iter()
            .find(|(t, _, _)| *t == 0xa0)?; // certificates [0] IMPLICIT
        Some(
            children(certs)
                .into_iter()
                .filter(|(t, _, _)| *t == 0x30)
                .map(|(_, _, raw)| raw.to_vec())
                .collect(),
        )
    })()
    .unwrap_or_default()
}

/// The TSA chain of a token: the signer certificate first (as c2pa identifies it), then the rest.
pub fn tsa_chain(token: &[u8]) -> Vec<Vec<u8>> {
    let signer = c2pa::crypto::time_stamp::tsa_signer_cert_der_from_token(token)
        .ok()
        .flatten();
    tsa_chain_with_signer(token, signer)
}

/// [`tsa_chain`] when the signer's certificate is already known (provcheck's own time-stamp
/// verifier found it as the SDK does), without the SDK parsing the token again.
pub fn tsa_chain_with_signer(token: &[u8], signer: Option<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut certs = token_certificates(token);
    if let Some(signer) = signer {
        certs.retain(|c| c != &signer);
        certs.insert(0, signer);
    }
    certs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER TLV (short lengths only).
    fn der(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let body = parts.concat();
        assert!(body.len() < 0x80);
        [&[tag, body.len() as u8][..], &body].concat()
    }

    #[test]
    fn token_certificates_read_a_token_alone_and_inside_a_time_stamp_response() {
        let (a, b) = (
            der(0x30, &[&der(0x02, &[&[1]])]),
            der(0x30, &[&der(0x02, &[&[2]])]),
        );
        let signed_data = der(
            0x30,
            &[
                &der(0x02, &[&[3]]),
                &der(0x31, &[]),
                &der(0x30, &[]),
                &der(0xa0, &[&a, &b]),
                &der(0x31, &[]),
            ],
        );
        // id-signedData
        let oid = der(
            0x06,
            &[&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]],
        );
        let token = der(0x30, &[&oid, &der(0xa0, &[&signed_data])]);
        let response = der(0x30, &[&der(0x30, &[&der(0x02, &[&[0]])]), &token]);
        assert_eq!(token_certificates(&token), vec![a.clone(), b.clone()]);
        assert_eq!(token_certificates(&response), vec![a, b]);
    }

    #[test]
    fn hostile_bytes_do_not_panic() {
        let mut seed = 0x9e3779b97f4a7c15u64;
        for n in 0..3000usize {
            let bytes: Vec<u8> = (0..n % 300)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let _ = timestamp_tokens(&bytes);
            let _ = has_timestamp_header(&bytes);
            let _ = x5chain(&bytes);
            let _ = token_certificates(&bytes);
        }
    }
}
