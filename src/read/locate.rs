//! Finding the C2PA manifest store in a file, with the map from store offsets back to file
//! offsets (so the coverage map can name the file bytes the signature protects).
//!
//! JPEG (ISO/IEC 19566-5 APP11 packets, assembled exactly as c2pa 0.90.22 does) and PNG (the
//! `caBX` chunk) are located here; other formats use the SDK's own locator and get no map.

use super::container::bytes::{be16, be32};
use super::container::{jpeg, png};
use super::sniff::Format;

/// Most JPEG APP11 packets one manifest store may be split over. A store re-split over
/// thousands of tiny packets is refused (`provcheck.limit.segments`) instead of being handed
/// to the SDK, which gives up silently on such files (10,000 packets read as "no manifest").
/// 1,024 full packets hold 64 MiB, far more than any real manifest with thumbnails.
pub const MAX_APP11_SEGMENTS: usize = 1_024;

/// A piece of the store: `len` bytes at store offset `store` come from file offset `file`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub store: usize,
    pub file: usize,
    pub len: usize,
}

/// The located store.
#[derive(Clone, Debug, Default)]
pub struct Located {
    pub store: Vec<u8>,
    /// Store-to-file map (empty when the SDK located the store).
    pub pieces: Vec<Piece>,
    /// File ranges of the containers that carry the store (APP11 segments, the caBX chunk).
    pub carriers: Vec<(u64, u64)>,
}

impl Located {
    /// File range(s) of a store range.
    pub fn file_ranges(&self, r: std::ops::Range<usize>) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for p in &self.pieces {
            let s = r.start.max(p.store);
            let e = r.end.min(p.store + p.len);
            if s < e {
                let fs = (p.file + (s - p.store)) as u64;
                out.push((fs, fs + (e - s) as u64));
            }
        }
        out
    }
}

/// Why the store could not be located.
#[derive(Debug, PartialEq, Eq)]
pub enum LocateError {
    /// More APP11 packets than [`MAX_APP11_SEGMENTS`].
    TooManySegments(usize),
    /// More than one C2PA store.
    MultipleStores,
}

/// Locate the store in a JPEG or PNG. `Ok(None)`: no store found by this locator (the format
/// is not handled here, or there is none).
pub fn locate(data: &[u8], format: Format) -> Result<Option<Located>, LocateError> {
    match format {
        Format::Jpeg => jpeg_store(data),
        Format::Png => Ok(png_store(data)),
        _ => Ok(None),
    }
}

fn jpeg_store(d: &[u8]) -> Result<Option<Located>, LocateError> {
    let mut loc = Located::default();
    let mut en: Option<[u8; 2]> = None;
    let mut count = 0usize;
    let mut stores = 0usize;
    let mut app11 = 0usize;
    for jpeg::Segment { marker, start, end } in jpeg::segments(d) {
        if marker != 0xeb {
            continue;
        }
        app11 += 1;
        if app11 > MAX_APP11_SEGMENTS * 4 {
            return Err(LocateError::TooManySegments(app11));
        }
        let content_start = start + 4;
        let Some(c) = d.get(content_start..end) else {
            continue;
        };
        if c.len() <= 16 {
            continue;
        }
        let this_en: [u8; 2] = match c.get(2..4).and_then(|x| x.try_into().ok()) {
            Some(e) => e,
            None => continue,
        };
        let z = be32(c, 4).unwrap_or(0) as usize;
        if count > 0 && en == Some(this_en) {
            if z <= count {
                // not a continuation (the SDK resets here as well)
                en = None;
                continue;
            }
            count += 1;
            if count > MAX_APP11_SEGMENTS {
                return Err(LocateError::TooManySegments(count));
            }
            let body = c.get(16..).unwrap_or_default();
            loc.pieces.push(Piece {
                store: loc.store.len(),
                file: content_start + 16,
                len: body.len(),
            });
            loc.store.extend_from_slice(body);
            loc.carriers.push((start as u64, end as u64));
        } else if c.len() > 28 && c.get(24..28) == Some(b"c2pa") {
            stores += 1;
            if stores > 1 {
                return Err(LocateError::MultipleStores);
            }
            let body = c.get(8..).unwrap_or_default();
            loc.pieces.push(Piece {
                store: loc.store.len(),
                file: content_start + 8,
                len: body.len(),
            });
            loc.store.extend_from_slice(body);
            loc.carriers.push((start as u64, end as u64));
            count = 1;
            en = Some(this_en);
        }
    }
    Ok(if loc.store.is_empty() {
        None
    } else {
        Some(loc)
    })
}

fn png_store(d: &[u8]) -> Option<Located> {
    let png::Chunk {
        start,
        data_start: ds,
        data_end: de,
        end,
        ..
    } = png::whole_chunks(d).find(|c| &c.kind == b"caBX")?;
    Some(Located {
        store: d.get(ds..de)?.to_vec(),
        pieces: vec![Piece {
            store: 0,
            file: ds,
            len: de - ds,
        }],
        carriers: vec![(start as u64, end as u64)],
    })
}

/// Where the file's own structure ends (JPEG: after the EOI that follows the scan data; PNG:
/// after the IEND chunk), when it can be told. Bytes after it belong to no box.
pub fn container_end(d: &[u8], format: Format) -> Option<u64> {
    match format {
        Format::Png => png::whole_chunks(d)
            .last()
            .filter(|c| &c.kind == b"IEND")
            .map(|c| c.end as u64),
        Format::Jpeg => {
            let jpeg::Segment {
                marker, start: sos, ..
            } = jpeg::segments(d).last()?;
            if marker != 0xda {
                return None;
            }
            // scan data: find FF D9 not inside a segment; entropy-coded data escapes 0xFF as
            // FF 00, restart markers are FF D0..D7, and further tables/scans (progressive)
            // are markers with lengths.
            let mut pos = sos;
            loop {
                let ff = d.get(pos..)?.iter().position(|&b| b == 0xff)? + pos;
                let m = *d.get(ff + 1)?;
                match m {
                    0xd9 => return Some((ff + 2) as u64),
                    0x00 | 0xff | 0xd0..=0xd7 => pos = ff + 1,
                    _ => {
                        // a marker segment with a length (e.g. DHT, SOS of the next scan)
                        let len = usize::from(be16(d, ff + 2)?);
                        pos = ff + 2 + len.max(2);
                    }
                }
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app11(en: u16, z: u32, body: &[u8]) -> Vec<u8> {
        let mut c = b"JP".to_vec();
        c.extend(en.to_be_bytes());
        c.extend(z.to_be_bytes());
        c.extend(body);
        let mut s = vec![0xff, 0xeb];
        s.extend(((c.len() + 2) as u16).to_be_bytes());
        s.extend(c);
        s
    }

    fn store_head() -> Vec<u8> {
        // LBox TBox(jumb) LBox TBox(jumd) UUID(c2pa...)
        let mut b = 40u32.to_be_bytes().to_vec();
        b.extend(b"jumb");
        b.extend(24u32.to_be_bytes());
        b.extend(b"jumd");
        b.extend(super::super::jumbf::C2PA_STORE_UUID);
        b.extend([0u8; 8]);
        b
    }

    #[test]
    fn split_store_is_reassembled_with_file_offsets() {
        let head = store_head();
        let mut d = vec![0xff, 0xd8];
        let s1 = app11(1, 1, &head);
        d.extend(&s1);
        let second = {
            let mut b = head[0..8].to_vec(); // repeated LBox/TBox, dropped
            b.extend(b"TAILDATA");
            b
        };
        d.extend(app11(1, 2, &second));
        d.extend([0xff, 0xda, 0, 2, 1, 0xff, 0xd9]);
        let loc = jpeg_store(&d).unwrap().unwrap();
        assert_eq!(loc.store.len(), head.len() + 8);
        assert!(loc.store.ends_with(b"TAILDATA"));
        let r = loc.file_ranges(loc.store.len() - 8..loc.store.len());
        let (s, e) = r[0];
        assert_eq!(&d[s as usize..e as usize], b"TAILDATA");
        assert_eq!(container_end(&d, Format::Jpeg), Some(d.len() as u64));
    }

    #[test]
    fn too_many_segments_is_refused() {
        let head = store_head();
        let mut d = vec![0xff, 0xd8];
        d.extend(app11(7, 1, &head));
        for z in 2..(MAX_APP11_SEGMENTS as u32 + 5) {
            d.extend(app11(7, z, &head[0..20]));
        }
        assert!(matches!(
            jpeg_store(&d),
            Err(LocateError::TooManySegments(_))
        ));
    }

    #[test]
    fn trailing_bytes_after_eoi_are_outside_the_container() {
        let mut d = vec![
            0xff, 0xd8, 0xff, 0xda, 0, 2, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd9,
        ];
        let end = d.len() as u64;
        d.extend(b"appended payload");
        assert_eq!(container_end(&d, Format::Jpeg), Some(end));
    }
}
