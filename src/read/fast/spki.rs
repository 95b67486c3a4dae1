//! The algorithm of a SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7) in the plain DER forms
//! the own path accepts; shared by the claim signature ([`super::signature`]) and the
//! time-stamp ([`super::tst`]) checks.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

// AlgorithmIdentifiers of a SubjectPublicKeyInfo, in their plain DER (RFC 3279 2.3.1, RFC 4055
// 3.1, RFC 5480 2.1.1)
pub(super) const RSA: &[u8] = &[
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
pub(super) const RSA_PSS: &[u8] = &[
    0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
];
pub(super) const P256: &[u8] = &[
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07,
];
pub(super) const P384: &[u8] = &[
    0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04,
    0x00, 0x22,
];

pub(super) const ED25519: &[u8] = &[0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];

/// The DER of the AlgorithmIdentifier of a SubjectPublicKeyInfo (`SEQUENCE { algorithm, key }`),
/// when the whole is exactly one SEQUENCE of an AlgorithmIdentifier and a BIT STRING.
pub(super) fn spki_algorithm_der(spki: &[u8]) -> Option<&[u8]> {
    /// (header length, content length) of the DER TLV at the start of `d`.
    fn tlv(d: &[u8]) -> Option<(usize, usize)> {
        let first = *d.get(1)?;
        if first < 0x80 {
            return Some((2, usize::from(first)));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 {
            return None;
        }
        let mut len = 0usize;
        for b in d.get(2..2 + n)? {
            len = len.checked_mul(256)?.checked_add(usize::from(*b))?;
        }
        Some((2 + n, len))
    }
    if spki.first() != Some(&0x30) {
        return None;
    }
    let (h, len) = tlv(spki)?;
    let body = spki.get(h..h.checked_add(len)?)?;
    if h + len != spki.len() || body.first() != Some(&0x30) {
        return None;
    }
    let (ah, alen) = tlv(body)?;
    let algorithm = body.get(..ah + alen)?;
    let key = body.get(ah + alen..)?;
    let (kh, klen) = tlv(key)?;
    (key.first() == Some(&0x03) && kh + klen == key.len()).then_some(algorithm)
}

/// An RSASSA-PSS AlgorithmIdentifier with the parameters RFC 4055 section 3.1 writes for
/// SHA-256, -384 or -512 (the same hash for MGF1, the hash's length as salt, trailer 1), byte
/// for byte as every common tool encodes them.
pub(super) fn is_plain_pss(der: &[u8]) -> bool {
    // SHA-256 form; for SHA-384 / SHA-512 the two hash OIDs end in 02 / 03 and the salt is
    // 0x30 / 0x40 (same lengths)
    const SHA256_PSS: [u8; 67] = [
        0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34,
        0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
        0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
    ];
    // offsets of the two hash OIDs' last byte and of the salt length
    const HASH_AT: [usize; 2] = [29, 59];
    const SALT_AT: usize = 66;
    [(0x01u8, 0x20u8), (0x02, 0x30), (0x03, 0x40)]
        .iter()
        .any(|&(hash, salt)| {
            let mut want = SHA256_PSS;
            for at in HASH_AT {
                if let Some(b) = want.get_mut(at) {
                    *b = hash;
                }
            }
            if let Some(b) = want.get_mut(SALT_AT) {
                *b = salt;
            }
            der == want.as_slice()
        })
}
