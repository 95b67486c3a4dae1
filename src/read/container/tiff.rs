//! TIFF structure (TIFF 6.0 section 2): the byte order, the classic header and the offsets of
//! IFD entries. Readers take what they need from an entry with [`super::bytes::rd16`] and
//! [`super::bytes::rd32`]; nothing here reads past the end of the data or follows a pointer.
#![deny(clippy::arithmetic_side_effects)]

use super::bytes::rd32;

/// Bytes in one IFD entry: tag (2), type (2), count (4), value or offset (4).
pub const ENTRY_LEN: usize = 12;

/// The byte order of `d` from its first two bytes: `Some(true)` for "II" (little-endian),
/// `Some(false)` for "MM", `None` otherwise.
pub fn little_endian(d: &[u8]) -> Option<bool> {
    match d.get(..2)? {
        b"II" => Some(true),
        b"MM" => Some(false),
        _ => None,
    }
}

/// A classic (not BigTIFF) header, "II*\0" or "MM\0*": the byte order and the offset of IFD0.
pub fn header(d: &[u8]) -> Option<(bool, u32)> {
    let le = match d.get(..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    Some((le, rd32(d, 4, le)?))
}

/// Offset of entry `i` of the IFD at `ifd` (after its 2-byte entry count).
pub fn entry_offset(ifd: usize, i: usize) -> Option<usize> {
    ifd.checked_add(2)?.checked_add(i.checked_mul(ENTRY_LEN)?)
}

/// Offset of the next-IFD pointer of the IFD at `ifd` with `count` entries.
pub fn next_ifd_offset(ifd: usize, count: usize) -> Option<usize> {
    entry_offset(ifd, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_offsets() {
        assert_eq!(header(b"II*\0\x08\0\0\0"), Some((true, 8)));
        assert_eq!(header(b"MM\0*\0\0\0\x08"), Some((false, 8)));
        assert_eq!(header(b"II+\0\x08\0\0\0"), None); // BigTIFF is not classic
        assert_eq!(header(b"II*\0\x08"), None);
        assert_eq!(little_endian(b"MM\0+"), Some(false));
        assert_eq!(little_endian(b"XX"), None);
        assert_eq!(entry_offset(8, 2), Some(8 + 2 + 24));
        assert_eq!(next_ifd_offset(8, 1), Some(8 + 2 + 12));
        assert_eq!(entry_offset(usize::MAX, 0), None);
    }
}
