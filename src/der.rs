//! A strict DER reader (X.690 section 10): single-octet tags, definite lengths in their
//! shortest form. What provcheck reads of certificates and RFC 3161 tokens itself, beyond
//! x509-parser: the own path's time-stamp check ([`crate::read`]'s `fast/tst.rs`), the key
//! algorithm of a SubjectPublicKeyInfo, and the walk to a bundled anchor's subject
//! ([`crate::trust`]'s `lazy.rs`). (read/cose.rs keeps a lenient reader of its own for the
//! certificates of a token, which it reads whatever their length encoding.)
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

/// One DER TLV: the identifier octet, the content, the whole encoding.
#[derive(Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub body: &'a [u8],
    pub raw: &'a [u8],
}

/// The DER TLV at the start of `d` and what follows it: single-octet tags, definite lengths in
/// their shortest form.
pub(crate) fn take(d: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *d.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *d.get(1)?;
    let (header, len) = if first < 0x80 {
        (2usize, usize::from(first))
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = d.get(2..2 + n)?;
        if bytes.first() == Some(&0) {
            return None;
        }
        let mut len = 0usize;
        for b in bytes {
            len = len.checked_mul(256)?.checked_add(usize::from(*b))?;
        }
        if len < 0x80 {
            return None;
        }
        (2 + n, len)
    };
    let end = header.checked_add(len)?;
    let raw = d.get(..end)?;
    Some((
        Tlv {
            tag,
            body: raw.get(header..)?,
            raw,
        },
        d.get(end..)?,
    ))
}

/// All TLVs of a content, which must be nothing but whole TLVs.
pub(crate) fn items(mut d: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !d.is_empty() {
        let (t, rest) = take(d)?;
        out.push(t);
        d = rest;
    }
    Some(out)
}

/// Exactly one TLV with tag `tag`.
pub(crate) fn only(d: &[u8], tag: u8) -> Option<Tlv<'_>> {
    let (t, rest) = take(d)?;
    (rest.is_empty() && t.tag == tag).then_some(t)
}
