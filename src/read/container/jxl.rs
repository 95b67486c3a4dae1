//! JPEG XL container boxes (ISO/IEC 18181-2: the 12-byte signature box, then ISO BMFF boxes)
//! walked the way c2pa 0.90.22's `jpegxl_io.rs` walks them to find the C2PA manifest store, a
//! top-level `jumb` box whose description box is labelled `c2pa` (C2PA 2.x "Embedding manifests
//! into JPEG XL"). Nothing here reads past the end of the data.
#![deny(clippy::arithmetic_side_effects)]

use super::bytes::{arr, be32};

/// The container's signature box: size 12, type `JXL `, payload `0D 0A 87 0A`.
pub const SIGNATURE: [u8; 12] = *b"\0\0\0\x0cJXL \r\n\x87\n";

/// Most top-level boxes c2pa 0.90.22 reads (`MAX_JXL_BOX_COUNT`); a file with more fails there.
pub const MAX_BOXES: usize = 1_024;

/// How much of a `jumb` box's payload the SDK looks at to tell a C2PA store from another JUMBF
/// box (`JUMD_C2PA_LABEL_PEEK`): the `jumd` header (8), UUID (16), toggles (1), `c2pa\0` (5).
const LABEL_PEEK: usize = 30;

/// A top-level box: where it starts, where its payload starts, where it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct JxlBox {
    kind: [u8; 4],
    start: usize,
    data: usize,
    end: usize,
}

/// The top-level boxes as c2pa's `parse_all_boxes` reads them, or `None` where it fails: a
/// header cut after its size field, a `largesize` cut short, a box ending past the file, more
/// than [`MAX_BOXES`]. Fewer than four bytes left end the walk (its end-of-file case). Size 0,
/// and `largesize` 0, run to the end of the file; a size smaller than the header is taken as it
/// is (the next box starts that many bytes on, as the SDK seeks there).
fn boxes(d: &[u8]) -> Option<Vec<JxlBox>> {
    let len = d.len();
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < len {
        let Some(size) = be32(d, pos) else {
            break;
        };
        let kind: [u8; 4] = arr(d, pos.checked_add(4)?)?;
        let (header, total) = match size {
            0 => (8usize, 0u64),
            1 => (16, u64::from_be_bytes(arr(d, pos.checked_add(8)?)?)),
            s => (8, u64::from(s)),
        };
        let end = if total == 0 {
            len
        } else {
            let end = pos.checked_add(usize::try_from(total).ok()?)?;
            if end > len {
                return None;
            }
            end
        };
        if out.len() >= MAX_BOXES {
            return None;
        }
        // the SDK's payload: header bytes on, never before the end (its `saturating_sub`)
        let data = pos.checked_add(header)?.min(end);
        out.push(JxlBox {
            kind,
            start: pos,
            data,
            end,
        });
        pos = end;
    }
    Some(out)
}

/// c2pa's `jumb_data_has_c2pa_label` on the first [`LABEL_PEEK`] bytes of a `jumb` payload: a
/// `jumd` box first, its toggles requestable and labelled, its label `c2pa` (ended by a zero
/// byte or by the peeked bytes).
fn is_c2pa_jumb(payload: &[u8]) -> bool {
    let peek = payload.get(..LABEL_PEEK).unwrap_or(payload);
    let (Some(kind), Some(&toggles), Some(label)) = (peek.get(4..8), peek.get(24), peek.get(25..))
    else {
        return false;
    };
    let label = label.split(|&b| b == 0).next().unwrap_or_default();
    kind == b"jumd" && toggles & 0x03 == 0x03 && label == b"c2pa"
}

/// The C2PA store box of a JPEG XL container as `(start, end)`, the whole box (header and
/// payload): what the SDK's `read_cai` returns as the store and what its writer excludes from
/// the data hash. `None` when the SDK would find none or fail: no signature box, a failing walk
/// ([`boxes`]), no C2PA `jumb` box, or more than one (`TooManyManifestStores`).
pub fn c2pa_box(d: &[u8]) -> Option<(usize, usize)> {
    if d.get(..SIGNATURE.len())? != SIGNATURE {
        return None;
    }
    let mut found = None;
    for b in boxes(d)? {
        if &b.kind == b"jumb" && is_c2pa_jumb(d.get(b.data..b.end)?) {
            if found.is_some() {
                return None;
            }
            found = Some((b.start, b.end));
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::read::container::bmff::boxed as bx;

    fn jumd(label: &str, toggles: u8) -> Vec<u8> {
        // the C2PA UUID (16 bytes), the toggles, the label and its zero byte
        let mut p = b"c2pa\0\x11\0\x10\x80\0\0\xaa\0\x38\x9b\x71".to_vec();
        assert_eq!(p.len(), 16);
        p.push(toggles);
        p.extend(label.as_bytes());
        p.push(0);
        bx(b"jumd", &p)
    }

    fn store(label: &str, toggles: u8) -> Vec<u8> {
        let mut p = jumd(label, toggles);
        p.extend(bx(b"jumb", &jumd("c2pa.manifest", 3)));
        bx(b"jumb", &p)
    }

    fn file(parts: &[Vec<u8>]) -> Vec<u8> {
        let mut d = SIGNATURE.to_vec();
        d.extend(bx(b"ftyp", b"jxl \0\0\0\0jxl "));
        for p in parts {
            d.extend(p);
        }
        d
    }

    #[test]
    fn finds_the_labelled_store_among_other_boxes() {
        let exif = store("exif", 3);
        let c2pa = store("c2pa", 3);
        let d = file(&[exif.clone(), c2pa.clone(), bx(b"jxlc", b"\xff\x0a")]);
        let start = 12 + 20 + exif.len();
        assert_eq!(c2pa_box(&d), Some((start, start + c2pa.len())));
    }

    #[test]
    fn no_store_where_the_sdk_finds_none_or_fails() {
        let c2pa = store("c2pa", 3);
        // not labelled requestable and labelled; another label; a longer label
        for other in [store("c2pa", 2), store("c2pb", 3), store("c2pa2", 3)] {
            assert_eq!(c2pa_box(&file(&[other])), None);
        }
        // two stores (the SDK: TooManyManifestStores)
        assert_eq!(c2pa_box(&file(&[c2pa.clone(), c2pa.clone()])), None);
        // no signature box: a naked codestream or anything else
        let mut naked = b"\xff\x0a".to_vec();
        naked.extend(&c2pa);
        assert_eq!(c2pa_box(&naked), None);
        // a box running past the end, cut inside its type, a largesize cut short
        let mut past = file(std::slice::from_ref(&c2pa));
        past.extend(b"\0\0\x10\0jxlc");
        assert_eq!(c2pa_box(&past), None);
        let mut cut = file(std::slice::from_ref(&c2pa));
        cut.extend(b"\0\0\0\x10jx");
        assert_eq!(c2pa_box(&cut), None);
        let mut large = file(std::slice::from_ref(&c2pa));
        large.extend(b"\0\0\0\x01jxlc\0\0");
        assert_eq!(c2pa_box(&large), None);
        // too many boxes
        let many: Vec<Vec<u8>> = (0..MAX_BOXES).map(|_| bx(b"free", b"")).collect();
        let mut parts = many;
        parts.push(c2pa.clone());
        assert_eq!(c2pa_box(&file(&parts)), None);
    }

    #[test]
    fn the_walk_follows_the_sdk_on_odd_sizes() {
        let c2pa = store("c2pa", 3);
        // up to three trailing bytes end the walk (its end-of-file case)
        let mut d = file(std::slice::from_ref(&c2pa));
        let at = d.len() - c2pa.len();
        d.extend(b"\0\0\0");
        assert_eq!(c2pa_box(&d), Some((at, at + c2pa.len())));
        // size 0: the store runs to the end of the file, trailing bytes included
        let mut zero = c2pa.clone();
        zero[..4].copy_from_slice(&[0; 4]);
        zero.extend(b"tail");
        let d = file(&[zero.clone()]);
        assert_eq!(c2pa_box(&d), Some((d.len() - zero.len(), d.len())));
        // a size below the header: the next box starts that many bytes on (here inside the
        // short box's own header, where the SDK looks too)
        let mut short = b"\0\0\0\x04".to_vec();
        short.extend(&c2pa);
        let d = file(&[short]);
        assert_eq!(c2pa_box(&d), Some((d.len() - c2pa.len(), d.len())));
        // largesize
        let mut large = b"\0\0\0\x01jumb".to_vec();
        large.extend(((c2pa.len() + 8) as u64).to_be_bytes());
        large.extend(&c2pa[8..]);
        let d = file(&[large.clone()]);
        assert_eq!(c2pa_box(&d), Some((d.len() - large.len(), d.len())));
    }
}
