//! Bounds-checked byte readers shared by the container walkers and the readers built on them.
//! Every offset is checked: a read past the end is `None`, never a panic.
#![deny(clippy::arithmetic_side_effects)]

/// `len` bytes at `off`.
pub fn sl(d: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    d.get(off..off.checked_add(len)?)
}

/// `N` bytes at `off` as an array.
pub fn arr<const N: usize>(d: &[u8], off: usize) -> Option<[u8; N]> {
    sl(d, off, N)?.try_into().ok()
}

/// Big-endian u16 at `off`.
pub fn be16(d: &[u8], off: usize) -> Option<u16> {
    arr(d, off).map(u16::from_be_bytes)
}

/// Big-endian u32 at `off`.
pub fn be32(d: &[u8], off: usize) -> Option<u32> {
    arr(d, off).map(u32::from_be_bytes)
}

/// Little-endian u32 at `off`.
pub fn le32(d: &[u8], off: usize) -> Option<u32> {
    arr(d, off).map(u32::from_le_bytes)
}

/// u16 at `off`, little-endian when `le`, else big-endian (TIFF byte order).
pub fn rd16(d: &[u8], off: usize, le: bool) -> Option<u16> {
    arr(d, off).map(|b| {
        if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    })
}

/// u32 at `off`, little-endian when `le`, else big-endian (TIFF byte order).
pub fn rd32(d: &[u8], off: usize, le: bool) -> Option<u32> {
    arr(d, off).map(|b| {
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    })
}

/// A u32 offset or length as usize.
pub fn to_usize(v: u32) -> Option<usize> {
    usize::try_from(v).ok()
}

/// First index of `needle` (not empty) in `hay` at or after `from`: memchr's SIMD substring
/// search, linear in `len(hay)` (a byte-wise scan cost 2.5 % of a scan's CPU time, the XMP
/// search over whole videos and PDFs).
pub fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let at = memchr::memmem::find(hay.get(from..)?, needle)?;
    from.checked_add(at)
}

/// First index of `needle` (not empty) in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    find_from(hay, 0, needle)
}

#[cfg(test)]
mod tests {
    use super::{find, find_from};

    #[test]
    fn find_from_returns_absolute_offsets_and_nothing_past_the_end() {
        let hay = b"<rdf:RDF> .. <rdf:RDF>";
        assert_eq!(find(hay, b"<rdf:RDF"), Some(0));
        assert_eq!(find_from(hay, 1, b"<rdf:RDF"), Some(13));
        assert_eq!(find_from(hay, 14, b"<rdf:RDF"), None);
        assert_eq!(find_from(hay, hay.len() + 5, b"<"), None);
        assert_eq!(find(hay, b""), None);
    }
}
