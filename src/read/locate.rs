//! Finding the C2PA manifest store in a file, with the map from store offsets back to file
//! offsets (so the coverage map can name the file bytes the signature protects).
//!
//! JPEG (ISO/IEC 19566-5 APP11 packets, assembled exactly as c2pa 0.90.22 does), PNG (the
//! `caBX` chunk), WebP, WAV and AVI (the top-level RIFF `C2PA` chunk, in a file whose chunks
//! tile the RIFF exactly), GIF (the C2PA application extension), TIFF/DNG (the C2PA IFD entry's
//! data), JPEG XL (the top-level `jumb` box labelled `c2pa`) and SVG (the base64 text of
//! `c2pa:manifest`: its carrier, no map into the store) are located here; other formats use the
//! SDK's own locator and get no map.

use super::container::bytes::{be16, be32, le32};
use super::container::{gif, jpeg, jxl, png, tiff};
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
    /// File range(s) of a store range. The pieces are in store order, so the first one that
    /// reaches into the range is found by bisection (a GIF store is a piece per 255 bytes).
    pub fn file_ranges(&self, r: std::ops::Range<usize>) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let first = self.pieces.partition_point(|p| p.store + p.len <= r.start);
        for p in self.pieces.get(first..).unwrap_or_default() {
            if p.store >= r.end {
                break;
            }
            let s = r.start.max(p.store);
            let e = r.end.min(p.store + p.len);
            if s < e {
                let fs = (p.file + (s - p.store)) as u64;
                out.push((fs, fs + (e - s) as u64));
            }
        }
        out
    }

    /// A store that is one run of the file's bytes (`data`), carried by `carriers`.
    fn contiguous(
        d: &[u8],
        data: std::ops::Range<usize>,
        carriers: Vec<(u64, u64)>,
    ) -> Option<Self> {
        Some(Located {
            store: d.get(data.clone())?.to_vec(),
            pieces: vec![Piece {
                store: 0,
                file: data.start,
                len: data.len(),
            }],
            carriers,
        })
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

/// Locate the store in a JPEG, PNG, RIFF (WebP, WAV, AVI), GIF, TIFF/DNG, JPEG XL or SVG.
/// `Ok(None)`: no store found by this locator (the format is not handled here, there is none, or
/// the layout is one this locator does not prove the SDK reads the same way; the SDK's own
/// locator then reads the file, as before).
pub fn locate(data: &[u8], format: Format) -> Result<Option<Located>, LocateError> {
    match format {
        Format::Jpeg => jpeg_store(data),
        Format::Png => Ok(png_store(data)),
        // the SDK reads every RIFF format with one reader (`riff_io.rs`); only WebP goes on to
        // the own path, WAV and AVI get the coverage map and the exclusion check
        Format::WebP | Format::Wav | Format::Avi => Ok(riff_store(data)),
        Format::Gif => Ok(gif_store(data)),
        Format::Tiff | Format::Dng => Ok(tiff_store(data)),
        Format::Svg => Ok(svg_store(data)),
        Format::Jxl => Ok(jxl_store(data)),
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
    Located::contiguous(d, ds..de, vec![(start as u64, end as u64)])
}

/// WebP, WAV and AVI (RIFF), as c2pa 0.90.22's `riff_io.rs` `read_cai` finds the store with the
/// `riff` 2.0.0 crate: the top-level chunks from offset 12 while the offset is below `4 + RIFF size` (the
/// crate's `Chunk::iter` bound), each `8 + size` bytes plus one pad byte after an odd size,
/// `LIST` chunks not entered; the first chunk with id `C2PA` is the store (its data must end
/// within the file).
///
/// Only the plain layout is located, the one where that walk cannot differ from any other
/// reading: the RIFF size is the file's length minus 8, every chunk (pad byte included) lies
/// inside it, the chunks tile it exactly, and there is exactly one top-level `C2PA` chunk.
/// Anything else (a RIFF size that disagrees with the file length, a chunk running past the
/// end, a missing pad byte, two `C2PA` chunks) returns `None` and the SDK reads the file as it
/// did before. (With an exact tiling, the crate's `4 + size` bound and the true end `8 + size`
/// visit the same chunks: a chunk header needs 8 bytes, so none can start in the last 4.)
///
/// One pass over the chunk headers, no allocation but the store: a file of millions of tiny
/// chunks costs a few milliseconds.
fn riff_store(d: &[u8]) -> Option<Located> {
    if d.get(0..4)? != b"RIFF" {
        return None;
    }
    let size = usize::try_from(le32(d, 4)?).ok()?;
    let riff_end = size.checked_add(8)?;
    if riff_end != d.len() {
        return None;
    }
    let sdk_end = size.checked_add(4)?;
    let mut at = 12usize;
    // (chunk start, data start, data end, chunk end with its pad byte)
    let mut c2pa: Option<(usize, usize, usize, usize)> = None;
    while at < sdk_end {
        let id = d.get(at..at.checked_add(4)?)?;
        let len = usize::try_from(le32(d, at.checked_add(4)?)?).ok()?;
        let data_start = at.checked_add(8)?;
        let data_end = data_start.checked_add(len)?;
        let next = data_end.checked_add(len & 1)?;
        if next > riff_end {
            return None;
        }
        if id == b"C2PA" {
            if c2pa.is_some() {
                return None;
            }
            c2pa = Some((at, data_start, data_end, next));
        }
        at = next;
    }
    if at != riff_end {
        return None;
    }
    let (start, ds, de, end) = c2pa?;
    // the whole chunk: header, data and pad byte (the SDK's data-hash exclusion is the header
    // and data; the pad byte is part of the chunk either way)
    Located::contiguous(d, ds..de, vec![(start as u64, end as u64)])
}

/// GIF, as c2pa 0.90.22's `gif_io.rs` finds the store ([`gif::c2pa_block`]): the data of the
/// first C2PA application extension's sub-blocks. Its carrier is the whole block, introducer to
/// terminator: the SDK's data-hash exclusion when it signs.
fn gif_store(d: &[u8]) -> Option<Located> {
    let block = gif::c2pa_block(d)?;
    let mut loc = Located {
        carriers: vec![(block.start as u64, block.end as u64)],
        ..Located::default()
    };
    for (file, len) in block.sub_blocks {
        loc.pieces.push(Piece {
            store: loc.store.len(),
            file,
            len,
        });
        loc.store
            .extend_from_slice(d.get(file..file.checked_add(len)?)?);
    }
    (!loc.store.is_empty()).then_some(loc)
}

/// TIFF and DNG, as c2pa 0.90.22's `tiff_io.rs` finds the store ([`tiff::c2pa_store`]): the
/// data of the C2PA IFD entry. Its carriers are that data and the entry itself: c2pa's TIFF
/// writer excludes the data and the entry's count field (which the store's size sets) from the
/// data hash.
fn tiff_store(d: &[u8]) -> Option<Located> {
    let tiff::C2paEntry { data, len, entry } = tiff::c2pa_store(d)?;
    let end = data.checked_add(len)?;
    let carriers = vec![
        (entry as u64, entry.checked_add(tiff::ENTRY_LEN)? as u64),
        (data as u64, end as u64),
    ];
    Located::contiguous(d, data..end, carriers)
}

/// JPEG XL, as c2pa 0.90.22's `jpegxl_io.rs` finds the store ([`jxl::c2pa_box`]): the whole
/// top-level `jumb` box labelled `c2pa`, which is also its carrier (what c2pa's writer excludes
/// from the data hash), so bytes put inside an exclusion beyond a shortened store box are found.
fn jxl_store(d: &[u8]) -> Option<Located> {
    let (start, end) = jxl::c2pa_box(d)?;
    Located::contiguous(d, start..end, vec![(start as u64, end as u64)])
}

/// SVG, as c2pa 0.90.22's `svg_io.rs` (`detect_manifest_location`) finds the store, with the
/// same XML reader (quick-xml 0.41): the root element must be `svg`; the store is the base64
/// text of the *last* text event inside `svg/metadata/c2pa:manifest`, decoded with the
/// standard alphabet. Its carrier is that text, exactly the range c2pa's writer excludes from
/// the data hash, so bytes a forger puts inside the exclusion after shortening the store (the
/// shrink-and-inject of c2pa-rs pull request 2653, shown on SVG) fall outside it. Any XML
/// error, another root, undecodable text or no store: `None` (the SDK reads the file, and no
/// exclusion is checked, as before).
fn svg_store(d: &[u8]) -> Option<Located> {
    use base64::Engine as _;
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(d);
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut found: Option<(Vec<u8>, usize, usize)> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).ok()?;
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(ref e)) => {
                path.push(String::from_utf8_lossy(e.name().into_inner()).into_owned());
                if path.len() == 2 && path.first().map(String::as_str) != Some("svg") {
                    return None;
                }
            }
            Ok(Event::Text(e)) if path == ["svg", "metadata", "c2pa:manifest"] => {
                let text = e.decode().ok()?;
                let store = base64::engine::general_purpose::STANDARD
                    .decode(text.as_ref())
                    .ok()?;
                let after = usize::try_from(reader.buffer_position()).ok()?;
                found = Some((store, before, after));
            }
            Ok(Event::End(_)) => {
                path.pop();
            }
            Ok(Event::Eof) => break,
            Err(_) => return None,
            Ok(_) => {}
        }
        buf.clear();
    }
    let (store, start, end) = found?;
    // the text is the base64 of the store, byte for byte (no entity, no white space)
    if store.is_empty()
        || d.get(start..end)?
            != base64::engine::general_purpose::STANDARD
                .encode(&store)
                .as_bytes()
    {
        return None;
    }
    Some(Located {
        pieces: Vec::new(),
        carriers: vec![(start as u64, end as u64)],
        store,
    })
}

/// Where the file's own structure ends (JPEG: after the EOI that follows the scan data; PNG:
/// after the IEND chunk; WebP: after the RIFF chunk, `8 + RIFF size`), when it can be told.
/// Bytes after it belong to no box.
pub fn container_end(d: &[u8], format: Format) -> Option<u64> {
    match format {
        Format::WebP => {
            if d.get(0..4)? != b"RIFF" {
                return None;
            }
            let end = u64::from(le32(d, 4)?).checked_add(8)?;
            (end <= d.len() as u64).then_some(end)
        }
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
                let ff = memchr::memchr(0xff, d.get(pos..)?)? + pos;
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

    #[test]
    fn the_svg_store_is_the_manifest_text_the_sdk_decodes() {
        let svg = |body: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><metadata><c2pa:manifest xmlns:c2pa=\"http://c2pa.org/manifest\">{body}</c2pa:manifest></metadata><rect/></svg>"
            )
            .into_bytes()
        };
        let d = svg("AAECAw==");
        let loc = svg_store(&d).expect("located");
        assert_eq!(loc.store, vec![0, 1, 2, 3]);
        let at = d.windows(8).position(|w| w == b"AAECAw==").unwrap() as u64;
        assert_eq!(loc.carriers, vec![(at, at + 8)]);
        // what the SDK would not decode, or decodes from other bytes: not located here
        assert!(svg_store(&svg("AAEC\nAw==")).is_none());
        assert!(svg_store(&svg("AAEC&#65;w==")).is_none());
        assert!(svg_store(&svg("")).is_none());
        let other_root = String::from_utf8(d.clone()).unwrap().replace("svg", "svx");
        assert!(svg_store(other_root.as_bytes()).is_none());
    }

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

    /// A RIFF/WebP file of these top-level chunks (id, data), each padded to an even size.
    fn riff(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        for (id, data) in chunks {
            body.extend(*id);
            body.extend((data.len() as u32).to_le_bytes());
            body.extend(*data);
            if data.len() % 2 == 1 {
                body.push(0);
            }
        }
        let mut d = b"RIFF".to_vec();
        d.extend((body.len() as u32).to_le_bytes());
        d.extend(body);
        d
    }

    /// What c2pa 0.90.22 reads as the store of a WebP (`riff_io.rs` `read_cai`).
    fn sdk_store(d: &[u8]) -> Option<Vec<u8>> {
        c2pa::jumbf_io::load_jumbf_from_memory("image/webp", d).ok()
    }

    /// The locator finds a store only where the SDK finds the same bytes.
    fn agrees_with_the_sdk(d: &[u8]) -> Option<Located> {
        let loc = riff_store(d);
        if let Some(l) = &loc {
            assert_eq!(
                sdk_store(d).as_ref(),
                Some(&l.store),
                "the SDK reads another store"
            );
        }
        loc
    }

    #[test]
    fn riff_store_is_the_c2pa_chunk_with_its_file_range() {
        let store = b"odd-sized store";
        let d = riff(&[
            (b"VP8X", &[0u8; 10]),
            (b"VP8 ", b"image data"),
            (b"C2PA", store),
            (b"EXIF", b"Exif"),
        ]);
        let loc = agrees_with_the_sdk(&d).expect("located");
        assert_eq!(loc.store, store);
        let (s, e) = loc.file_ranges(0..store.len())[0];
        assert_eq!(&d[s as usize..e as usize], store);
        // the carrier is the whole chunk: header, data and the pad byte of the odd size
        let (cs, ce) = loc.carriers[0];
        assert_eq!(&d[cs as usize..cs as usize + 4], b"C2PA");
        assert_eq!(ce - cs, 8 + store.len() as u64 + 1);
        assert_eq!(container_end(&d, Format::WebP), Some(d.len() as u64));
        assert_eq!(
            locate(&d, Format::WebP).unwrap().map(|l| l.store),
            Some(store.to_vec())
        );
    }

    #[test]
    fn unusual_webp_layouts_are_left_to_the_sdk() {
        let base = riff(&[(b"VP8 ", b"image data"), (b"C2PA", b"store")]);
        assert!(agrees_with_the_sdk(&base).is_some());
        // no store at the top level (one inside a LIST is not read by the SDK either)
        let nested = {
            let mut list = b"INFO".to_vec();
            list.extend(b"C2PA");
            list.extend(6u32.to_le_bytes());
            list.extend(b"store!");
            riff(&[(b"VP8 ", b"image data"), (b"LIST", &list)])
        };
        assert!(riff_store(&nested).is_none());
        assert!(sdk_store(&nested).is_none());
        // two C2PA chunks: the SDK reads the first; not located here
        let two = riff(&[(b"C2PA", b"store"), (b"VP8 ", b"data"), (b"C2PA", b"other")]);
        assert!(riff_store(&two).is_none());
        // a RIFF size larger or smaller than the file
        for delta in [-2i64, 2, 1000] {
            let mut d = base.clone();
            let size = u32::from_le_bytes(d[4..8].try_into().unwrap()) as i64 + delta;
            d[4..8].copy_from_slice(&(size as u32).to_le_bytes());
            assert!(riff_store(&d).is_none(), "RIFF size off by {delta}");
        }
        // bytes appended after the RIFF chunk
        let mut trailing = base.clone();
        trailing.extend(b"appended");
        assert!(riff_store(&trailing).is_none());
        assert_eq!(
            container_end(&trailing, Format::WebP),
            Some(base.len() as u64)
        );
        // the store chunk's size running past the end of the file
        let mut long = base.clone();
        let at = long.len() - 6 - 8 + 4;
        long[at..at + 4].copy_from_slice(&1000u32.to_le_bytes());
        assert!(riff_store(&long).is_none());
        assert!(sdk_store(&long).is_none());
        // an odd-sized last chunk without its pad byte
        let mut unpadded = riff(&[(b"VP8 ", b"image data"), (b"C2PA", b"store")]);
        unpadded.pop();
        let size = (unpadded.len() - 8) as u32;
        unpadded[4..8].copy_from_slice(&size.to_le_bytes());
        assert!(riff_store(&unpadded).is_none());
        // not a RIFF, or too short
        assert!(riff_store(b"RIFX\x04\0\0\0WEBP").is_none());
        assert!(riff_store(b"RIFF").is_none());
        assert!(riff_store(b"RIFF\x04\0\0\0WEBP").is_none());
        assert_eq!(container_end(b"RIFF\xff\0\0\0WEBP", Format::WebP), None);
    }

    /// Every one-byte change of a small WebP: where the locator finds a store, the SDK finds
    /// the same bytes (a change in a chunk header, a size, the RIFF header).
    #[test]
    fn webp_locator_never_disagrees_with_the_sdk_on_mutants() {
        let base = riff(&[
            (b"VP8X", &[0u8; 10]),
            (b"ICCP", b"icc"),
            (b"VP8 ", b"image data"),
            (b"C2PA", b"store data"),
            (b"XMP ", b"<x/>"),
        ]);
        let mut located = 0;
        for at in 0..base.len() {
            for flip in [0x01u8, 0x02, 0x10, 0x80, 0xff] {
                let mut d = base.clone();
                d[at] ^= flip;
                located += usize::from(agrees_with_the_sdk(&d).is_some());
            }
        }
        // most changes (in the data) still leave the plain layout
        assert!(located > base.len(), "{located}");
    }

    /// A RIFF bomb: millions of empty chunks before the store are one linear pass.
    #[test]
    fn many_tiny_chunks_stay_fast() {
        let n = 2_000_000usize;
        let mut body = b"WEBP".to_vec();
        body.reserve(n * 8 + 32);
        for _ in 0..n {
            body.extend(b"JUNK\0\0\0\0");
        }
        body.extend(b"C2PA");
        body.extend(4u32.to_le_bytes());
        body.extend(b"jumb");
        let mut d = b"RIFF".to_vec();
        d.extend((body.len() as u32).to_le_bytes());
        d.extend(body);
        let t = std::time::Instant::now();
        let loc = riff_store(&d).expect("located");
        assert_eq!(loc.store, b"jumb");
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            t.elapsed()
        );
    }
}
