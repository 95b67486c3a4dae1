//! A small, bounded reader for the parts of a C2PA manifest store that the c2pa crate does not
//! expose through its public API: per manifest, the raw COSE_Sign1 claim signature (for the
//! RFC 3161 time-stamp token and its certificates) and the data-hash exclusion ranges.
//!
//! c2pa has already validated the store when this runs; this module only *extracts*. Every
//! length is checked, recursion is bounded, and malformed input yields `None`/empty, never a panic.

use coset::cbor::value::Value;
use coset::{CborSerializable, CoseSign1, TaggedCborSerializable};

/// Facts pulled from one manifest's boxes.
#[derive(Debug, Default, Clone)]
pub struct RawManifest {
    /// Manifest label (e.g. `urn:c2pa:...`).
    pub label: String,
    /// The COSE_Sign1 bytes of `c2pa.signature`.
    pub signature: Option<Vec<u8>>,
    /// `c2pa.hash.data` exclusion ranges `(start, length)`.
    pub data_hash_exclusions: Vec<(u64, u64)>,
    /// The hard binding's `hash` value (`c2pa.hash.data`, or the top-level hash of a
    /// `c2pa.hash.bmff*` assertion), when present.
    pub content_hash: Option<Vec<u8>>,
}

const MAX_BOXES: usize = 100_000;

struct BoxRef<'a> {
    kind: [u8; 4],
    body: &'a [u8],
}

/// Iterate the ISO BMFF-style boxes in `data` (JUMBF uses the same framing).
fn boxes(data: &[u8]) -> impl Iterator<Item = BoxRef<'_>> {
    let mut pos = 0usize;
    let mut count = 0usize;
    std::iter::from_fn(move || {
        if count >= MAX_BOXES || pos.checked_add(8)? > data.len() {
            return None;
        }
        count += 1;
        let size = u32::from_be_bytes(data[pos..pos + 4].try_into().ok()?) as u64;
        let kind: [u8; 4] = data[pos + 4..pos + 8].try_into().ok()?;
        let (header, size) = match size {
            0 => (8u64, (data.len() - pos) as u64),
            1 => {
                let ext = data.get(pos + 8..pos + 16)?;
                (16u64, u64::from_be_bytes(ext.try_into().ok()?))
            }
            n => (8u64, n),
        };
        if size < header {
            return None;
        }
        let end = pos.checked_add(usize::try_from(size).ok()?)?;
        if end > data.len() {
            return None;
        }
        let body = &data[pos + header as usize..end];
        pos = end;
        Some(BoxRef { kind, body })
    })
}

/// The label of a JUMBF superbox, from its leading `jumd` description box.
fn superbox_label(body: &[u8]) -> Option<String> {
    let first = boxes(body).next()?;
    if &first.kind != b"jumd" {
        return None;
    }
    let d = first.body;
    let toggles = *d.get(16)?;
    if toggles & 0x02 == 0 {
        return None;
    }
    let rest = d.get(17..)?;
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The first content box of the given type inside a superbox body.
fn content<'a>(body: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(body).find(|b| &b.kind == kind).map(|b| b.body)
}

fn sub_superboxes(body: &[u8]) -> impl Iterator<Item = (String, &[u8])> {
    boxes(body)
        .filter(|b| &b.kind == b"jumb")
        .filter_map(|b| superbox_label(b.body).map(|l| (l, b.body)))
}

/// Parse a manifest store (the JUMBF bytes c2pa's `load_jumbf_from_memory` returns).
pub fn parse_store(store: &[u8]) -> Vec<RawManifest> {
    let mut out = Vec::new();
    let Some(top) = boxes(store).find(|b| &b.kind == b"jumb") else {
        return out;
    };
    for (label, mbody) in sub_superboxes(top.body).take(10_000) {
        let mut m = RawManifest {
            label,
            ..Default::default()
        };
        for (child, cbody) in sub_superboxes(mbody) {
            if child == "c2pa.signature" {
                m.signature = content(cbody, b"cbor").map(<[u8]>::to_vec);
            } else if child == "c2pa.assertions" {
                for (alabel, abody) in sub_superboxes(cbody) {
                    let data_hash =
                        alabel == "c2pa.hash.data" || alabel.starts_with("c2pa.hash.data__");
                    if data_hash || alabel.starts_with("c2pa.hash.bmff") {
                        if let Some(cbor) = content(abody, b"cbor") {
                            let Ok(v) = coset::cbor::de::from_reader::<Value, _>(cbor) else {
                                continue;
                            };
                            if data_hash {
                                m.data_hash_exclusions.extend(exclusions(&v));
                            }
                            if m.content_hash.is_none() {
                                if let Some(Value::Bytes(h)) = map_get(&v, "hash") {
                                    m.content_hash = Some(h.iter().take(64).copied().collect());
                                }
                            }
                        }
                    }
                }
            }
        }
        out.push(m);
    }
    out
}

fn map_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Integer(i) => u64::try_from(i128::from(*i)).ok(),
        _ => None,
    }
}

fn exclusions(v: &Value) -> Vec<(u64, u64)> {
    let Some(Value::Array(list)) = map_get(v, "exclusions") else {
        return Vec::new();
    };
    list.iter()
        .take(1000)
        .filter_map(|e| {
            Some((
                as_u64(map_get(e, "start")?)?,
                as_u64(map_get(e, "length")?)?,
            ))
        })
        .collect()
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
        out.push((tag, body, &data[..total]));
        data = &data[total..];
    }
    out
}

/// The certificates carried in an RFC 3161 TimeStampToken (CMS ContentInfo / SignedData,
/// RFC 5652 5.1: `certificates [0] IMPLICIT CertificateSet`), as DER.
pub fn token_certificates(token: &[u8]) -> Vec<Vec<u8>> {
    (|| {
        let (_, content_info, _) = tlv(token)?; // ContentInfo SEQUENCE
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_bytes_do_not_panic() {
        let mut seed = 0x9e3779b97f4a7c15u64;
        for n in 0..5000usize {
            let len = n % 300;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let _ = parse_store(&bytes);
            let _ = timestamp_tokens(&bytes);
            let _ = token_certificates(&bytes);
        }
    }

    #[test]
    fn box_with_oversized_length_is_ignored() {
        // a jumb box claiming 4 GiB in a 16-byte buffer
        let data = [
            0xff, 0xff, 0xff, 0xff, b'j', b'u', b'm', b'b', 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert!(parse_store(&data).is_empty());
    }
}
