//! The box hash (`c2pa.hash.boxes`, C2PA 2.x "Box hash") of a JPEG or PNG file, checked the way
//! c2pa 0.90.22 checks it, for provcheck's own validation path: proven matching, or declined.
//!
//! The SDK (`BoxHash::verify_stream_hash`) splits the file into a *box map* with the format
//! handler's `get_box_map` and walks the assertion's entries against it in order: each name must
//! be the next box's name; an entry's boxes are hashed as one range from its first box's start to
//! its last box's end (with the entry's `alg`, else the claim's); an entry whose first name is
//! `C2PA` (the manifest store) must name only it and is not hashed; an entry marked `excluded` is
//! not hashed; for PNG, a map starting with the signature (`PNGh`) skips it when the assertion
//! does not name it. The box maps:
//! * JPEG (`jpeg_io.rs`, segments read by the jfifdump crate): one box per marker segment, named
//!   `SOI`, `APPn`, `DQT`, `DHT`, `SOFn`, `DRI`, `COM`, `SOS`, `EOI`...; the C2PA APP11 segments
//!   (same JPEG XT box instance number `En`) are one `C2PA` box; an `SOS` box runs from its
//!   marker over the entropy-coded data to the next marker.
//! * PNG (`png_io.rs`): `PNGh` (the 8-byte signature), then one box per chunk named by its type,
//!   the `caBX` chunk named `C2PA`.
//!
//! The SDK's parsers have quirks at the edges (jfifdump skips fill bytes and garbage between
//! segments, drops APP11 segments of 16 bytes or less, splits scans at restart markers which the
//! SOS box then also covers, stops the map at the first parse error; the SDK accepts an
//! assertion that leaves boxes after its last entry unhashed). This module therefore accepts only
//! the layout where every reading agrees: the file tiled exactly by boxes from its first byte to
//! the end of `EOI` / `IEND`, no fill bytes, only the markers the SDK names with the lengths
//! jfifdump reads, one contiguous C2PA group equal to the store's carriers, no restart markers,
//! and every box named by the assertion and hashed (no `excluded` entry besides `C2PA`). Any other
//! file is declined and the SDK judges it, as before.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use coset::cbor::value::Value;

use crate::read::container::png::SIGNATURE as PNG_SIGNATURE;
use crate::read::jumbf;
use crate::read::sniff::Format;

/// Most entries (and names) an assertion may have before the path declines.
const MAX_ENTRIES: usize = 1_000_000;

/// One entry of a box-hash assertion, as the SDK deserialises it (`BoxMap`).
#[derive(Debug, PartialEq, Eq)]
struct Entry<'v> {
    names: Vec<&'v str>,
    alg: Option<&'v str>,
    hash: &'v [u8],
    excluded: bool,
}

/// One box of the file's box map: its name (static, or a PNG chunk type borrowed from the
/// file) and byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Box<'d> {
    name: &'d str,
    start: usize,
    end: usize,
}

/// Whether the box hash assertion `assertion` of the active manifest (claim algorithm
/// `claim_alg`) matches `data` exactly as c2pa 0.90.22 would find it (`assertion.boxesHash.match`).
/// `false` means "decline" or a mismatch; see [`check`].
/// `carriers` are the file ranges of the located manifest store.
#[cfg(test)]
pub fn matches(
    data: &[u8],
    format: Format,
    assertion: &Value,
    claim_alg: &str,
    carriers: &[(u64, u64)],
) -> bool {
    check(data, format, assertion, claim_alg, carriers) == Some(true)
}

/// The box hash recomputed as c2pa 0.90.22 would: `Some(true)` for `assertion.boxesHash.match`,
/// `Some(false)` for the SDK's `Hashes do not match` (its walk reaches an entry whose box names
/// agree with the file's box map and whose hash does not; every earlier entry matched, so the SDK
/// stops at the same entry with the same error), `None` to decline: a layout or assertion this
/// module does not prove, or any other way the SDK's walk could end.
pub fn check(
    data: &[u8],
    format: Format,
    assertion: &Value,
    claim_alg: &str,
    carriers: &[(u64, u64)],
) -> Option<bool> {
    let entries = entries(assertion, claim_alg)?;
    // no more boxes than the assertion names (and the PNG signature): a longer map declines
    let limit = entries.iter().map(|e| e.names.len()).sum::<usize>() + 1;
    let map = box_map(data, format, limit)?;
    // the C2PA box must be the store provcheck located, and nothing else
    let c2pa: Vec<&Box> = map.iter().filter(|b| b.name == "C2PA").collect();
    let ([c2pa], Some(first), Some(last)) = (c2pa.as_slice(), carriers.first(), carriers.last())
    else {
        return None;
    };
    if (c2pa.start as u64, c2pa.end as u64) != (first.0, last.1)
        || carriers
            .windows(2)
            .any(|w| w.first().map(|a| a.1) != w.get(1).map(|b| b.0))
    {
        return None;
    }
    verify(data, &entries, &map, claim_alg)
}

/// The SDK's walk of the assertion's entries over the box map (`verify_stream_hash`), with the
/// extra requirements of this module: every box named, every box but the store hashed
/// (`None` otherwise). `Some(false)` at the first entry whose hash differs, where the SDK's walk
/// stops too.
fn verify(data: &[u8], entries: &[Entry], map: &[Box], claim_alg: &str) -> Option<bool> {
    let mut next = 0usize;
    // the PNG signature is skipped (and not hashed) when the assertion does not name it
    if map.first().is_some_and(|b| b.name == "PNGh")
        && entries
            .first()
            .and_then(|e| e.names.first())
            .is_some_and(|n| *n != "PNGh")
    {
        next = 1;
    }
    for e in entries {
        let boxes = map.get(next..next + e.names.len())?;
        let (Some(first), Some(last)) = (boxes.first(), boxes.last()) else {
            return None;
        };
        if boxes.iter().zip(&e.names).any(|(b, n)| b.name != *n) {
            return None;
        }
        next += e.names.len();
        if e.names.first() == Some(&"C2PA") {
            // the store: named alone, not hashed
            if e.names.len() != 1 {
                return None;
            }
            continue;
        }
        // a store hashed with other boxes (impossible to sign) or an unhashed box: decline
        if e.excluded || e.names.contains(&"C2PA") {
            return None;
        }
        let alg = e.alg.unwrap_or(claim_alg);
        let bytes = data.get(first.start..last.end)?;
        let digest = jumbf::digest(alg, &[bytes])?;
        if digest != e.hash {
            return Some(false);
        }
    }
    // boxes after the assertion's last entry would be covered by no hash (the SDK accepts that)
    (next == map.len()).then_some(true)
}

/// The entries of a box-hash assertion of the exact shape serde gives the SDK's `BoxHash`
/// (`{boxes: [{names, alg?, hash, excluded?, pad}]}`, and a top-level `alg` equal to the
/// claim's), or `None`: other or duplicate keys, other types, no entries or an entry without
/// names.
fn entries<'v>(v: &'v Value, claim_alg: &str) -> Option<Vec<Entry<'v>>> {
    let Value::Map(top) = v else { return None };
    let mut boxes = None;
    for (k, v) in top {
        match (k, v) {
            (Value::Text(k), Value::Array(list)) if k == "boxes" && boxes.is_none() => {
                boxes = Some(list)
            }
            // Microsoft writes the algorithm at the top too; the SDK's `BoxHash` has no such
            // field and ignores it (the claim's applies): taken only when it says the same
            (Value::Text(k), Value::Text(a)) if k == "alg" && a == claim_alg => {}
            _ => return None,
        }
    }
    let list = boxes?;
    if list.is_empty() || list.len() > MAX_ENTRIES {
        return None;
    }
    let mut out = Vec::with_capacity(list.len());
    let mut total_names = 0usize;
    for b in list {
        let Value::Map(fields) = b else { return None };
        let (mut names, mut alg, mut hash, mut excluded, mut pad) = (None, None, None, None, None);
        let mut pad2 = None;
        for (k, v) in fields {
            let Value::Text(k) = k else { return None };
            let slot_was_empty = match (k.as_str(), v) {
                ("names", Value::Array(n)) => names.replace(n).is_none(),
                ("alg", Value::Text(a)) => alg.replace(a.as_str()).is_none(),
                ("hash", Value::Bytes(h)) => hash.replace(h.as_slice()).is_none(),
                ("excluded", Value::Bool(x)) => excluded.replace(*x).is_none(),
                ("pad", Value::Bytes(p)) => pad.replace(p).is_none(),
                // Google writes a second padding field; the SDK's `BoxMap` has none and serde
                // passes over it
                ("pad2", Value::Bytes(p)) => pad2.replace(p).is_none(),
                _ => return None,
            };
            if !slot_was_empty {
                return None;
            }
        }
        let (Some(names), Some(hash), Some(_)) = (names, hash, pad) else {
            return None;
        };
        total_names += names.len();
        if names.is_empty() || total_names > MAX_ENTRIES {
            return None;
        }
        let names = names
            .iter()
            .map(|n| match n {
                Value::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        out.push(Entry {
            names,
            alg,
            hash,
            excluded: excluded.unwrap_or(false),
        });
    }
    Some(out)
}

/// The SDK's box map of the file, when every reading of it agrees; `None` otherwise.
/// At most `limit` boxes.
fn box_map(data: &[u8], format: Format, limit: usize) -> Option<Vec<Box<'_>>> {
    match format {
        Format::Jpeg => jpeg_box_map(data, limit),
        Format::Png => png_box_map(data, limit),
        _ => None,
    }
}

fn be16(d: &[u8], at: usize) -> Option<usize> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_be_bytes([*b.first()?, *b.get(1)?])))
}

/// PNG (`png_io.rs` `get_box_map`): the signature, then every chunk up to and including IEND,
/// which must end the file. Chunk types must be four ASCII letters; exactly one `caBX`.
fn png_box_map(d: &[u8], limit: usize) -> Option<Vec<Box<'_>>> {
    if !d.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let mut out = vec![Box {
        name: "PNGh",
        start: 0,
        end: PNG_SIGNATURE.len(),
    }];
    let mut pos = PNG_SIGNATURE.len();
    loop {
        let len = usize::try_from(u32::from_be_bytes(
            d.get(pos..pos.checked_add(4)?)?.try_into().ok()?,
        ))
        .ok()?;
        let kind = d.get(pos + 4..pos.checked_add(8)?)?;
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let end = pos.checked_add(12)?.checked_add(len)?;
        if end > d.len() || out.len() >= limit {
            return None;
        }
        let name = match kind {
            b"caBX" => "C2PA",
            k => std::str::from_utf8(k).ok()?,
        };
        out.push(Box {
            name,
            start: pos,
            end,
        });
        pos = end;
        if kind == b"IEND" {
            return (pos == d.len()).then_some(out);
        }
    }
}

/// The name the SDK gives a JPEG marker with a length that jfifdump reads as the SDK sizes it
/// (`get_seg_size`: 2 + the length field); `None` for every marker this module does not take.
fn jpeg_name(marker: u8) -> Option<&'static str> {
    const APP: [&str; 16] = [
        "APP0", "APP1", "APP2", "APP3", "APP4", "APP5", "APP6", "APP7", "APP8", "APP9", "APP10",
        "APP11", "APP12", "APP13", "APP14", "APP15",
    ];
    Some(match marker {
        0xe0..=0xef => APP.get(usize::from(marker - 0xe0))?,
        0xdb => "DQT",
        0xc4 => "DHT",
        0xc0 => "SOF0",
        0xc1 => "SOF1",
        0xc2 => "SOF2",
        0xdd => "DRI",
        0xfe => "COM",
        0xda => "SOS",
        _ => return None,
    })
}

/// Whether jfifdump reads the payload `p` of a segment with marker `marker` without an error and
/// without reading past it (its table parsers trust counts inside the payload; an error ends the
/// SDK's box map early).
fn jfifdump_reads(marker: u8, p: &[u8]) -> bool {
    let n = p.len();
    match marker {
        // DHT: tables while more than 17 bytes remain, each 17 + its code count
        0xc4 => {
            let mut rest = p;
            while rest.len() > 17 {
                let Some(counts) = rest.get(1..17) else {
                    return false;
                };
                let codes: usize = counts.iter().map(|&c| usize::from(c)).sum();
                match rest.get(17 + codes..) {
                    Some(r) => rest = r,
                    None => return false,
                }
            }
            true
        }
        // SOFn: 6 bytes and 3 per component
        0xc0..=0xc2 => p.get(5).is_some_and(|&c| 6 + 3 * usize::from(c) <= n),
        // SOS header: 1 byte, 2 per component, 3 bytes
        0xda => p.first().is_some_and(|&c| 4 + 2 * usize::from(c) <= n),
        // DRI: the restart interval
        0xdd => n >= 2,
        _ => true,
    }
}

/// JPEG (`jpeg_io.rs` `make_box_maps` + `get_box_map`, segments as jfifdump reads them).
fn jpeg_box_map(d: &[u8], limit: usize) -> Option<Vec<Box<'_>>> {
    if !d.starts_with(&[0xff, 0xd8]) {
        return None;
    }
    let mut out = vec![Box {
        name: "SOI",
        start: 0,
        end: 2,
    }];
    // the C2PA APP11 group: its En, and whether it has ended
    let mut c2pa_en: Option<[u8; 2]> = None;
    let mut group_open = false;
    let mut pos = 2usize;
    loop {
        // a marker right here: no fill bytes, no garbage between segments
        if d.get(pos) != Some(&0xff) || out.len() >= limit {
            return None;
        }
        let marker = *d.get(pos + 1)?;
        if marker == 0xd9 {
            out.push(Box {
                name: "EOI",
                start: pos,
                end: pos + 2,
            });
            // nothing after EOI (jfifdump would read on, the SDK's map would grow)
            return (pos + 2 == d.len()).then_some(out);
        }
        let name = jpeg_name(marker)?;
        let len = be16(d, pos + 2)?;
        if len < 2 {
            return None;
        }
        let end = pos.checked_add(2 + len)?;
        let payload = d.get(pos + 4..end)?;
        if !jfifdump_reads(marker, payload) {
            return None;
        }
        if marker == 0xeb {
            // APP11: the C2PA group only, as one contiguous run of segments
            if payload.len() <= 16 {
                return None;
            }
            let en: [u8; 2] = payload.get(2..4)?.try_into().ok()?;
            match c2pa_en {
                Some(e) if e == en && group_open => {
                    let g = out.last_mut()?;
                    g.end = end;
                }
                Some(_) => return None,
                None if payload.get(24..28) == Some(b"c2pa") => {
                    c2pa_en = Some(en);
                    group_open = true;
                    out.push(Box {
                        name: "C2PA",
                        start: pos,
                        end,
                    });
                }
                None => return None,
            }
            pos = end;
            continue;
        }
        group_open = false;
        if marker != 0xda {
            out.push(Box {
                name,
                start: pos,
                end,
            });
            pos = end;
            continue;
        }
        // SOS: the header, then entropy-coded data up to the next marker; inside it every 0xFF
        // is stuffed (FF 00). A restart marker (FF D0..D7), which jfifdump makes a box of its
        // own inside the SOS box, or fill bytes (FF FF) decline.
        let mut at = end;
        loop {
            let ff = at + memchr::memchr(0xff, d.get(at..)?)?;
            match *d.get(ff + 1)? {
                0x00 => at = ff + 2,
                0xff | 0xd0..=0xd7 => return None,
                _ => {
                    at = ff;
                    break;
                }
            }
        }
        out.push(Box {
            name,
            start: pos,
            end: at,
        });
        pos = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0xff, marker];
        v.extend(((payload.len() + 2) as u16).to_be_bytes());
        v.extend(payload);
        v
    }

    fn c2pa_app11(en: [u8; 2], body: &[u8]) -> Vec<u8> {
        let mut p = vec![b'J', b'P', en[0], en[1], 0, 0, 0, 1];
        p.extend((body.len() as u32 + 8).to_be_bytes());
        p.extend(b"jumb");
        p.extend([0, 0, 0, 0x20]);
        p.extend(b"jumd");
        p.extend(b"c2pa");
        p.extend(body);
        seg(0xeb, &p)
    }

    /// SOI, C2PA, APP0, DQT, SOF0, DHT, SOS + entropy, EOI.
    fn jpeg() -> (Vec<u8>, Vec<(&'static str, usize)>) {
        let parts: Vec<(&str, Vec<u8>)> = vec![
            ("SOI", vec![0xff, 0xd8]),
            ("C2PA", c2pa_app11([0, 1], &[7; 40])),
            ("APP0", seg(0xe0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")),
            ("DQT", seg(0xdb, &[1; 65])),
            ("SOF0", seg(0xc0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
            (
                "DHT",
                seg(0xc4, &{
                    let mut t = vec![0u8; 17];
                    t[1] = 2;
                    t.extend([3, 4]);
                    t
                }),
            ),
            ("SOS", {
                let mut s = seg(0xda, &[1, 1, 0, 0, 63, 0]);
                s.extend([0x12, 0xff, 0x00, 0x34]);
                s
            }),
            ("EOI", vec![0xff, 0xd9]),
        ];
        let mut d = Vec::new();
        let mut boxes = Vec::new();
        for (n, p) in parts {
            boxes.push((n, p.len()));
            d.extend(p);
        }
        (d, boxes)
    }

    fn names<'a>(map: &[Box<'a>]) -> Vec<&'a str> {
        map.iter().map(|b| b.name).collect()
    }

    #[test]
    fn plain_jpeg_map_tiles_the_file() {
        let (d, expected) = jpeg();
        let map = jpeg_box_map(&d, 100).unwrap();
        assert_eq!(
            names(&map),
            expected.iter().map(|e| e.0).collect::<Vec<_>>()
        );
        let mut at = 0;
        for (b, (_, len)) in map.iter().zip(&expected) {
            assert_eq!((b.start, b.end), (at, at + len), "{}", b.name);
            at += len;
        }
        assert_eq!(at, d.len());
    }

    #[test]
    fn jpeg_layouts_the_sdk_reads_differently_are_declined() {
        let (d, _) = jpeg();
        // bytes after EOI
        let mut t = d.clone();
        t.extend([0xff, 0xd9]);
        assert!(jpeg_box_map(&t, 100).is_none());
        // a fill byte before a marker
        let app0 = 2 + c2pa_app11([0, 1], &[7; 40]).len();
        let mut t = d.clone();
        t.insert(app0, 0xff);
        assert!(jpeg_box_map(&t, 100).is_none());
        // a restart marker in the entropy data
        let eoi = d.len() - 2;
        let mut t = d.clone();
        t.splice(eoi..eoi, [0xff, 0xd0, 0x55]);
        assert!(jpeg_box_map(&t, 100).is_none());
        // a second, non-adjacent C2PA segment with the group's En
        let mut t = d.clone();
        let dqt = d.windows(2).position(|w| w == [0xff, 0xdb]).unwrap();
        t.splice(dqt..dqt, c2pa_app11([0, 1], &[9; 20]));
        assert!(jpeg_box_map(&t, 100).is_none());
        // a short APP11 (dropped from the SDK's map)
        let mut t = d.clone();
        t.splice(dqt..dqt, seg(0xeb, &[0; 10]));
        assert!(jpeg_box_map(&t, 100).is_none());
        // an unnamed marker (SOF3) and a DHT whose counts overrun it
        let mut t = d.clone();
        t.splice(dqt..dqt, seg(0xc3, &[8, 0, 8, 0, 8, 0]));
        assert!(jpeg_box_map(&t, 100).is_none());
        let mut t = d.clone();
        t.splice(
            dqt..dqt,
            seg(
                0xc4,
                &[0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            ),
        );
        assert!(jpeg_box_map(&t, 100).is_none());
    }

    #[test]
    fn adjacent_c2pa_segments_are_one_box() {
        let (d, _) = jpeg();
        let second = c2pa_app11([0, 1], &[5; 30]);
        let app0 = 2 + c2pa_app11([0, 1], &[7; 40]).len();
        let mut t = d.clone();
        t.splice(app0..app0, second.iter().copied());
        let map = jpeg_box_map(&t, 100).unwrap();
        assert_eq!(names(&map), names(&jpeg_box_map(&d, 100).unwrap()));
        assert_eq!(map[1].end, app0 + second.len());
    }

    fn png() -> Vec<u8> {
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            let mut v = (data.len() as u32).to_be_bytes().to_vec();
            v.extend(kind);
            v.extend(data);
            v.extend([0; 4]);
            v
        };
        let mut d = PNG_SIGNATURE.to_vec();
        d.extend(chunk(b"IHDR", &[0; 13]));
        d.extend(chunk(b"caBX", &[1; 20]));
        d.extend(chunk(b"IDAT", &[2; 30]));
        d.extend(chunk(b"IEND", &[]));
        d
    }

    #[test]
    fn png_map_and_its_limits() {
        let d = png();
        let map = png_box_map(&d, 100).unwrap();
        assert_eq!(names(&map), ["PNGh", "IHDR", "C2PA", "IDAT", "IEND"]);
        assert_eq!(map.last().unwrap().end, d.len());
        // never more boxes than the assertion can name
        assert!(png_box_map(&d, 4).is_none());
        assert!(jpeg_box_map(&jpeg().0, 7).is_none());
        let mut t = d.clone();
        t.push(0);
        assert!(png_box_map(&t, 100).is_none(), "data after IEND");
        let mut t = d.clone();
        t.truncate(d.len() - 12);
        assert!(png_box_map(&t, 100).is_none(), "no IEND");
    }

    fn entry(names: &[&str], hash: Vec<u8>, extra: Vec<(Value, Value)>) -> Value {
        let mut m = vec![
            (
                Value::Text("names".into()),
                Value::Array(names.iter().map(|n| Value::Text(n.to_string())).collect()),
            ),
            (Value::Text("hash".into()), Value::Bytes(hash)),
            (Value::Text("pad".into()), Value::Bytes(vec![])),
        ];
        m.extend(extra);
        Value::Map(m)
    }

    fn assertion(entries: Vec<Value>) -> Value {
        Value::Map(vec![(Value::Text("boxes".into()), Value::Array(entries))])
    }

    fn sha(d: &[u8]) -> Vec<u8> {
        jumbf::digest("sha256", &[d]).unwrap()
    }

    /// The PNG with a per-box assertion, as Microsoft's generators write it.
    fn signed_png() -> (Vec<u8>, Value, Vec<(u64, u64)>) {
        let d = png();
        let map = png_box_map(&d, 100).unwrap();
        let entries = map
            .iter()
            .map(|b| {
                let h = if b.name == "C2PA" {
                    vec![]
                } else {
                    sha(&d[b.start..b.end])
                };
                entry(&[b.name], h, vec![])
            })
            .collect();
        let c = map.iter().find(|b| b.name == "C2PA").unwrap();
        let carriers = vec![(c.start as u64, c.end as u64)];
        (d.clone(), assertion(entries), carriers)
    }

    #[test]
    fn png_box_hash_matches_and_any_change_declines() {
        let (d, a, carriers) = signed_png();
        assert!(matches(&d, Format::Png, &a, "sha256", &carriers));
        // the wrong carriers
        assert!(!matches(&d, Format::Png, &a, "sha256", &[(0, 8)]));
        // a byte changed inside IDAT
        let mut t = d.clone();
        let idat = d.windows(4).position(|w| w == b"IDAT").unwrap();
        t[idat + 6] ^= 1;
        assert!(!matches(&t, Format::Png, &a, "sha256", &carriers));
        assert_eq!(check(&t, Format::Png, &a, "sha256", &carriers), Some(false));
        // a byte inside the store is not hashed (the signature covers it)
        let mut t = d.clone();
        let cabx = d.windows(4).position(|w| w == b"caBX").unwrap();
        t[cabx + 6] ^= 1;
        assert!(matches(&t, Format::Png, &a, "sha256", &carriers));
    }

    #[test]
    fn assertion_walk_follows_the_sdk_and_declines_the_rest() {
        let (d, a, carriers) = signed_png();
        let Value::Map(top) = &a else { unreachable!() };
        let Value::Array(list) = &top[0].1 else {
            unreachable!()
        };
        let with = |list: Vec<Value>| assertion(list);
        let ok = |v: &Value| matches(&d, Format::Png, v, "sha256", &carriers);
        // PNGh not named: skipped, not hashed
        assert!(ok(&with(list[1..].to_vec())));
        // a box left out at the end (IEND unhashed): the SDK accepts it, the own path declines
        assert!(!ok(&with(list[..list.len() - 1].to_vec())));
        // boxes merged into one entry hash their joint range
        let map = png_box_map(&d, 100).unwrap();
        let joint = entry(&["IDAT", "IEND"], sha(&d[map[3].start..]), vec![]);
        let mut l = list[..3].to_vec();
        l.push(joint);
        assert!(ok(&with(l)));
        // excluded entries, unknown keys, names the map does not have, another algorithm
        let mut l = list.clone();
        l[3] = entry(
            &["IDAT"],
            vec![],
            vec![(Value::Text("excluded".into()), Value::Bool(true))],
        );
        assert!(!ok(&with(l)));
        let mut l = list.clone();
        l[3] = entry(
            &["IDAT"],
            sha(&d[map[3].start..map[3].end]),
            vec![(Value::Text("extra".into()), Value::Null)],
        );
        assert!(!ok(&with(l)));
        let mut l = list.clone();
        l[3] = entry(&["IDAX"], sha(&d[map[3].start..map[3].end]), vec![]);
        assert!(!ok(&with(l)));
        let mut l = list.clone();
        l[3] = entry(
            &["IDAT"],
            jumbf::digest("sha384", &[&d[map[3].start..map[3].end]]).unwrap(),
            vec![(Value::Text("alg".into()), Value::Text("sha384".into()))],
        );
        assert!(ok(&with(l)));
        // the store named together with another box
        let mut l = list[..2].to_vec();
        l.push(entry(&["C2PA", "IDAT"], vec![], vec![]));
        l.extend(list[4..].iter().cloned());
        assert!(!ok(&with(l)));
        // no entries
        assert!(!ok(&with(vec![])));
    }
}
