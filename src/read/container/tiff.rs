//! TIFF structure (TIFF 6.0 section 2): the byte order, the classic header and the offsets of
//! IFD entries. Readers take what they need from an entry with [`super::bytes::rd16`] and
//! [`super::bytes::rd32`]; nothing here reads past the end of the data or follows a pointer.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::HashSet;

use super::bytes::{rd16, rd32, to_usize};

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

/// The C2PA tag (C2PA 2.x "Embedding manifests into TIFF"), of type UNDEFINED (7).
pub const C2PA_TAG: u16 = 0xcd41;
const UNDEFINED: u16 = 7;
const SUB_IFDS: u16 = 0x014a;
const EXIF_IFD: u16 = 0x8769;
const GPS_IFD: u16 = 0x8825;

/// Most IFDs, and IFD entries in all, [`c2pa_store`] reads before it gives up (the walk is then
/// left to the SDK, behind provcheck's own guard, `tiff_guard`): SubIFD pointers may name the
/// same large IFD again and again.
const MAX_IFDS: usize = 4_096;
const MAX_ENTRIES: usize = 1 << 20;

/// An IFD entry: its type, count and value, and its own offset.
#[derive(Clone, Copy)]
struct Entry {
    kind: u16,
    count: u32,
    value: u32,
    at: usize,
}

/// What the SDK's walk uses of an IFD: its SubIFD, EXIF, GPS and C2PA entries (a later
/// duplicate replacing an earlier one, as c2pa 0.90.22's `HashMap` of entries does) and the
/// offset of the next IFD.
#[derive(Default)]
struct Ifd {
    sub_ifds: Option<Entry>,
    exif: Option<Entry>,
    gps: Option<Entry>,
    c2pa: Option<Entry>,
    next: u32,
}

/// The IFD at `off`: its entry count, the entries and the next-IFD offset must all lie inside
/// `d` (each is a read that fails at the end of the file). `entries_left` is the walk's budget.
fn read_ifd(d: &[u8], le: bool, off: usize, entries_left: &mut usize) -> Option<Ifd> {
    let count = usize::from(rd16(d, off, le)?);
    *entries_left = entries_left.checked_sub(count)?;
    let mut ifd = Ifd::default();
    for i in 0..count {
        let at = entry_offset(off, i)?;
        let entry = Entry {
            kind: rd16(d, at.checked_add(2)?, le)?,
            count: rd32(d, at.checked_add(4)?, le)?,
            value: rd32(d, at.checked_add(8)?, le)?,
            at,
        };
        match rd16(d, at, le)? {
            SUB_IFDS => ifd.sub_ifds = Some(entry),
            EXIF_IFD => ifd.exif = Some(entry),
            GPS_IFD => ifd.gps = Some(entry),
            C2PA_TAG => ifd.c2pa = Some(entry),
            _ => {}
        }
    }
    ifd.next = rd32(d, next_ifd_offset(off, count)?, le)?;
    Some(ifd)
}

/// The manifest store of a TIFF: the file range of its data, and the offset of the IFD entry
/// (12 bytes) that points to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct C2paEntry {
    pub data: usize,
    pub len: usize,
    pub entry: usize,
}

/// The manifest store of a classic TIFF (or DNG) ([`C2paEntry`]), found
/// exactly as c2pa 0.90.22's `tiff_io.rs` finds it, or `None` when its walk would fail or find
/// none (then the SDK reads the file itself). Its `map_tiff` reads every page of the IFD chain
/// (a page offset seen before fails the walk) and, of each page, the IFDs its SubIFDs, EXIF and
/// GPS entries point to (the SubIFD offsets inline for one, else an array that must lie in the
/// file); every IFD read must lie in the file. `get_cai_data` then takes the C2PA entry of the
/// last page, else of the first; it must be of type UNDEFINED and its `count` bytes at its
/// offset must lie in the file. BigTIFF, a store of four bytes or fewer (which TIFF keeps in
/// the entry itself, but the SDK reads at the entry's value as an offset) and walks of more
/// than [`MAX_IFDS`] IFDs give `None`.
pub fn c2pa_store(d: &[u8]) -> Option<C2paEntry> {
    let (le, first) = header(d)?;
    let (mut ifds_left, mut entries_left) = (MAX_IFDS, MAX_ENTRIES);
    let mut read = |off: u32| {
        ifds_left = ifds_left.checked_sub(1)?;
        read_ifd(d, le, to_usize(off)?, &mut entries_left)
    };
    // the C2PA entry of the first page, and of the last page once the chain ends
    let mut first_c2pa: Option<Option<Entry>> = None;
    let mut seen: HashSet<u32> = HashSet::from([first]);
    let mut at = first;
    let last_c2pa = loop {
        let page = read(at)?;
        if let Some(Entry { count, value, .. }) = page.sub_ifds {
            let bytes = to_usize(count)?.checked_mul(4)?;
            if bytes > d.len() {
                return None;
            }
            let offsets: Vec<u32> = if bytes <= 4 {
                (0..count).map(|_| value).collect()
            } else {
                let base = to_usize(value)?;
                if base.checked_add(bytes)? > d.len() {
                    return None;
                }
                (0..to_usize(count)?)
                    .map(|k| rd32(d, base.checked_add(k.checked_mul(4)?)?, le))
                    .collect::<Option<_>>()?
            };
            for o in offsets {
                read(o)?;
            }
        }
        for pointer in [page.exif, page.gps].into_iter().flatten() {
            read(pointer.value)?;
        }
        first_c2pa.get_or_insert(page.c2pa);
        if page.next == 0 {
            break page.c2pa;
        }
        if !seen.insert(page.next) {
            return None;
        }
        at = page.next;
    };
    let Entry {
        kind,
        count,
        value,
        at: entry,
    } = last_c2pa.or(first_c2pa.flatten())?;
    if kind != UNDEFINED || count <= 4 {
        return None;
    }
    let (data, len) = (to_usize(value)?, to_usize(count)?);
    (data.checked_add(len)? <= d.len()).then_some(C2paEntry { data, len, entry })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// An IFD entry: tag, type, count, value.
    type Entry = (u16, u16, u32, u32);

    /// A little-endian TIFF of `len` bytes with IFDs `(offset, entries, next)`.
    fn tiff(len: usize, ifds: &[(usize, Vec<Entry>, u32)]) -> Vec<u8> {
        let mut d = vec![0u8; len];
        d[0..4].copy_from_slice(b"II*\0");
        d[4..8].copy_from_slice(&(ifds[0].0 as u32).to_le_bytes());
        for (off, entries, next) in ifds {
            d[*off..off + 2].copy_from_slice(&(entries.len() as u16).to_le_bytes());
            for (i, &(tag, kind, n, v)) in entries.iter().enumerate() {
                let e = off + 2 + ENTRY_LEN * i;
                d[e..e + 2].copy_from_slice(&tag.to_le_bytes());
                d[e + 2..e + 4].copy_from_slice(&kind.to_le_bytes());
                d[e + 4..e + 8].copy_from_slice(&n.to_le_bytes());
                d[e + 8..e + 12].copy_from_slice(&v.to_le_bytes());
            }
            let e = off + 2 + ENTRY_LEN * entries.len();
            d[e..e + 4].copy_from_slice(&next.to_le_bytes());
        }
        d
    }

    const WIDTH: Entry = (256, 3, 1, 64);

    #[test]
    fn the_store_of_the_last_page_else_the_first() {
        // c2pa's writer: a last page whose one entry points to the store
        let d = tiff(
            400,
            &[
                (8, vec![WIDTH], 100),
                (100, vec![(C2PA_TAG, 7, 50, 200)], 0),
            ],
        );
        assert_eq!(
            c2pa_store(&d),
            Some(C2paEntry {
                data: 200,
                len: 50,
                entry: 102
            })
        );
        // the first page's, when the last has none; a later duplicate entry wins
        let d = tiff(
            400,
            &[
                (8, vec![(C2PA_TAG, 7, 50, 200), (C2PA_TAG, 7, 60, 300)], 100),
                (100, vec![WIDTH], 0),
            ],
        );
        assert_eq!(
            c2pa_store(&d).map(|e| (e.data, e.len, e.entry)),
            Some((300, 60, 22))
        );
    }

    #[test]
    fn no_store_where_the_sdks_walk_fails() {
        let ok = |entries: Vec<Entry>, next: u32| {
            c2pa_store(&tiff(400, &[(8, entries, next), (100, vec![WIDTH], 0)]))
        };
        let store = (C2PA_TAG, 7, 50, 200);
        assert!(ok(vec![store], 0).is_some());
        // not UNDEFINED, four bytes or fewer, data past the end
        assert_eq!(ok(vec![(C2PA_TAG, 1, 50, 200)], 0), None);
        assert_eq!(ok(vec![(C2PA_TAG, 7, 4, 200)], 0), None);
        assert_eq!(ok(vec![(C2PA_TAG, 7, 250, 200)], 0), None);
        // a page chain that loops or leaves the file
        assert_eq!(ok(vec![store], 8), None);
        assert_eq!(ok(vec![store], 399), None);
        // EXIF, GPS and SubIFD pointers the SDK follows must lead to IFDs in the file
        assert!(ok(vec![store, (0x8769, 4, 1, 100)], 0).is_some());
        assert_eq!(ok(vec![store, (0x8769, 4, 1, 398)], 0), None);
        assert_eq!(ok(vec![store, (0x8825, 4, 1, 4000)], 0), None);
        assert!(ok(vec![store, (0x014a, 4, 1, 100)], 0).is_some());
        assert_eq!(ok(vec![store, (0x014a, 4, 1, 399)], 0), None);
        // several SubIFDs: an array of offsets, which must lie in the file
        assert_eq!(ok(vec![store, (0x014a, 4, 2, 390)], 0), None);
        assert_eq!(ok(vec![store, (0x014a, 4, 200, 0)], 0), None);
        // the Interoperability pointer is not followed by the SDK
        assert!(ok(vec![store, (0xa005, 4, 1, 4000)], 0).is_some());
        // SubIFD pointers naming the same large IFD again and again exhaust the budget
        let mut big: Vec<Entry> = (0..4000u16).map(|t| (t, 3, 1, 0)).collect();
        big.push(store);
        let mut d = tiff(
            200_000,
            &[
                (8, vec![store, (0x014a, 4, 400, 100_000)], 0),
                (50_000, big, 0),
            ],
        );
        for k in 0..400 {
            let at = 100_000 + 4 * k;
            d[at..at + 4].copy_from_slice(&50_000u32.to_le_bytes());
        }
        assert_eq!(c2pa_store(&d), None);
        // BigTIFF is left to the SDK
        let mut big = tiff(400, &[(8, vec![store], 0)]);
        big[2] = 43;
        assert_eq!(c2pa_store(&big), None);
    }

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
