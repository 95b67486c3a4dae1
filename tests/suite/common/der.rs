//! A very small DER writer: just enough for X.509 extensions and RFC 3161 tokens.

use chrono::{DateTime, Utc};

/// Encode a length in DER (definite form).
pub fn len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        return vec![n as u8];
    }
    let bytes: Vec<u8> = n
        .to_be_bytes()
        .iter()
        .copied()
        .skip_while(|b| *b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

/// One TLV with the given (single-byte) tag.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(len(content.len()));
    out.extend_from_slice(content);
    out
}

pub fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &items.concat())
}

/// SET OF, with the elements sorted as DER requires.
pub fn set_of(items: &[Vec<u8>]) -> Vec<u8> {
    let mut sorted = items.to_vec();
    sorted.sort();
    tlv(0x31, &sorted.concat())
}

/// [n] EXPLICIT (constructed context tag).
pub fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xA0 | n, content)
}

pub fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

pub fn boolean(v: bool) -> Vec<u8> {
    vec![0x01, 0x01, if v { 0xFF } else { 0x00 }]
}

pub fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

/// INTEGER from unsigned big-endian magnitude bytes.
pub fn uint(bytes: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = bytes.iter().copied().skip_while(|x| *x == 0).collect();
    if b.is_empty() {
        b.push(0);
    }
    if b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}

pub fn int(v: u64) -> Vec<u8> {
    uint(&v.to_be_bytes())
}

/// Parse a dotted OID ("1.2.840.113549") into its arcs.
pub fn oid_arcs(dotted: &str) -> Vec<u64> {
    dotted
        .split('.')
        .map(|a| {
            a.parse::<u64>()
                .unwrap_or_else(|_| panic!("bad OID {dotted:?}"))
        })
        .collect()
}

pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs = oid_arcs(dotted);
    assert!(arcs.len() >= 2, "OID needs at least two arcs: {dotted}");
    let mut body = Vec::new();
    let mut push_arc = |mut v: u64| {
        let mut tmp = vec![(v & 0x7F) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7F) as u8);
            v >>= 7;
        }
        tmp.reverse();
        body.extend(tmp);
    };
    push_arc(arcs[0] * 40 + arcs[1]);
    for a in &arcs[2..] {
        push_arc(*a);
    }
    tlv(0x06, &body)
}

/// AlgorithmIdentifier with absent parameters.
pub fn alg_id(dotted: &str) -> Vec<u8> {
    seq(&[oid(dotted)])
}

/// GeneralizedTime "YYYYMMDDHHMMSSZ".
pub fn generalized_time(t: DateTime<Utc>) -> Vec<u8> {
    tlv(0x18, t.format("%Y%m%d%H%M%SZ").to_string().as_bytes())
}

/// UTCTime "YYMMDDHHMMSSZ".
pub fn utc_time(t: DateTime<Utc>) -> Vec<u8> {
    tlv(0x17, t.format("%y%m%d%H%M%SZ").to_string().as_bytes())
}

/// Read one TLV header at `pos`: returns (tag, header_len, content_len).
pub fn read_header(data: &[u8], pos: usize) -> Option<(u8, usize, usize)> {
    let tag = *data.get(pos)?;
    let first = *data.get(pos + 1)? as usize;
    if first < 0x80 {
        return Some((tag, 2, first));
    }
    let n = first & 0x7F;
    if n == 0 || n > 4 {
        return None;
    }
    let mut l = 0usize;
    for i in 0..n {
        l = (l << 8) | *data.get(pos + 2 + i)? as usize;
    }
    Some((tag, 2 + n, l))
}
