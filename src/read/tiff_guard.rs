//! TIFF structure guard: the IFD structure of a TIFF/DNG is checked before the file is handed to the c2pa
//! SDK, for inputs that c2pa 0.90.22 is known to handle badly (it has neither 0.91's TIFF subfile limit
//! nor any overall size cap).

use super::container::bytes::{rd16, rd32};
use super::container::tiff;

/// Most IFDs (main chain + SubIFDs + EXIF/GPS/Interop IFDs, duplicates counted) we accept.
/// c2pa 0.91 rejects subfile bombs the same way ("TIFF file has too many subfiles"); real
/// DNG/TIFF files have a handful.
pub const MAX_TIFF_IFDS: usize = 1024;
/// Most entries in one IFD.
pub const MAX_IFD_ENTRIES: u16 = 4096;

const SUB_IFDS: u16 = 330;
const EXIF_IFD: u16 = 34665;
const GPS_IFD: u16 = 34853;
const INTEROP_IFD: u16 = 40965;

/// Walk the IFD structure of a TIFF/DNG without following any pointer twice, and refuse
/// structures that would make a naive reader do unbounded work (TIFF 6.0 section 2 "Image File
/// Directory"; SubIFDs per TIFF Technical Note 1).
pub fn check_tiff(data: &[u8]) -> Result<(), String> {
    let Some(le) = tiff::little_endian(data) else {
        return Err("not a TIFF header".into());
    };
    let u16_at = |o: usize| rd16(data, o, le);
    let u32_at = |o: usize| rd32(data, o, le);
    match u16_at(2) {
        Some(42) => {}
        Some(43) => return Ok(()), // BigTIFF: c2pa rejects it itself
        _ => return Err("bad TIFF magic number".into()),
    }
    let first = u32_at(4).ok_or("truncated TIFF header")? as usize;
    let mut pending = vec![first];
    let mut seen = std::collections::HashSet::new();
    let mut references = 0usize;
    while let Some(off) = pending.pop() {
        if off == 0 {
            continue;
        }
        references += 1;
        if references > MAX_TIFF_IFDS {
            return Err(format!(
                "TIFF file has too many subfiles (more than {MAX_TIFF_IFDS} IFD references)"
            ));
        }
        if !seen.insert(off) {
            continue; // a loop or a shared IFD: already checked
        }
        let count = u16_at(off).ok_or_else(|| format!("IFD offset {off} is outside the file"))?;
        if count > MAX_IFD_ENTRIES {
            return Err(format!("IFD at offset {off} has {count} entries"));
        }
        for i in 0..usize::from(count) {
            let field = |at: usize| tiff::entry_offset(off, i).and_then(|e| e.checked_add(at));
            let (Some(tag), Some(kind), Some(n), Some(value)) = (
                field(0).and_then(u16_at),
                field(2).and_then(u16_at),
                field(4).and_then(u32_at),
                field(8).and_then(u32_at),
            ) else {
                return Err(format!("IFD at offset {off} is truncated"));
            };
            if matches!(tag, SUB_IFDS | EXIF_IFD | GPS_IFD | INTEROP_IFD) {
                // LONG (4) or IFD (13) pointers; inline when they fit in 4 bytes.
                if !matches!(kind, 4 | 13) {
                    continue;
                }
                let n = n as usize;
                if references + pending.len() + n > MAX_TIFF_IFDS {
                    return Err(format!(
                        "TIFF file has too many subfiles ({n} sub-IFD pointers in one entry)"
                    ));
                }
                if n == 1 {
                    pending.push(value as usize);
                } else {
                    for k in 0..n {
                        let p = (value as usize)
                            .checked_add(4 * k)
                            .and_then(u32_at)
                            .ok_or("sub-IFD pointer array is outside the file")?;
                        pending.push(p as usize);
                    }
                }
            }
        }
        let next = tiff::next_ifd_offset(off, usize::from(count))
            .and_then(u32_at)
            .unwrap_or(0);
        pending.push(next as usize);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (tag, type, count, value)
    type Entry = (u16, u16, u32, u32);

    fn tiff_le(ifds: &[(u32, Vec<Entry>, u32)]) -> Vec<u8> {
        // header + IFDs laid out at the offsets given
        let mut d = vec![0u8; 4096];
        d[0..4].copy_from_slice(b"II*\0");
        d[4..8].copy_from_slice(&ifds[0].0.to_le_bytes());
        for (off, entries, next) in ifds {
            let o = *off as usize;
            d[o..o + 2].copy_from_slice(&(entries.len() as u16).to_le_bytes());
            for (i, (tag, kind, n, v)) in entries.iter().enumerate() {
                let e = o + 2 + 12 * i;
                d[e..e + 2].copy_from_slice(&tag.to_le_bytes());
                d[e + 2..e + 4].copy_from_slice(&kind.to_le_bytes());
                d[e + 4..e + 8].copy_from_slice(&n.to_le_bytes());
                d[e + 8..e + 12].copy_from_slice(&v.to_le_bytes());
            }
            let e = o + 2 + 12 * entries.len();
            d[e..e + 4].copy_from_slice(&next.to_le_bytes());
        }
        d
    }

    #[test]
    fn plain_tiff_passes() {
        let d = tiff_le(&[(8, vec![(256, 3, 1, 10)], 0)]);
        assert!(check_tiff(&d).is_ok());
    }

    #[test]
    fn ifd_loop_terminates() {
        let d = tiff_le(&[(8, vec![(256, 3, 1, 10)], 100), (100, vec![], 8)]);
        assert!(check_tiff(&d).is_ok());
    }

    #[test]
    fn subfile_bomb_is_refused() {
        // one IFD whose SubIFDs entry lists 5000 pointers (the shape of c2pa-rs tiff_poc.tiff)
        let d = tiff_le(&[(8, vec![(SUB_IFDS, 4, 5000, 200)], 0)]);
        let err = check_tiff(&d).unwrap_err();
        assert!(err.contains("too many subfiles"), "{err}");
    }

    #[test]
    fn truncated_ifd_is_an_error() {
        let mut d = tiff_le(&[(8, vec![(256, 3, 1, 10)], 0)]);
        d.truncate(12);
        assert!(check_tiff(&d).is_err());
    }
}
