//! provcheck's own hard-binding check, for what c2pa 0.90.22 does not check: the data-hash
//! exclusion ranges must cover only the embedded manifest store (C2PA 2.x, "Data hash":
//! exclusions are for the bytes of the manifest itself). An exclusion that reaches beyond it
//! leaves those bytes (typically EXIF) outside the signature. c2pa 0.91 reports this as
//! `assertion.dataHash.mismatch` ("data hash exclusion does not match the manifest location").

use super::Format;

/// `Some(description)` when an exclusion covers bytes outside the manifest store.
/// Only JPEG and PNG are checked (the formats where the store's byte range is unambiguous).
pub fn check_exclusions(data: &[u8], format: Format, exclusions: &[(u64, u64)]) -> Option<String> {
    if exclusions.is_empty() {
        return None;
    }
    let ranges = match format {
        Format::Jpeg => jpeg_manifest_ranges(data),
        Format::Png => png_manifest_ranges(data),
        _ => return None,
    };
    if ranges.is_empty() {
        return None;
    }
    let (lo, hi) = (ranges[0].0, ranges[ranges.len() - 1].1);
    for &(start, len) in exclusions {
        let end = start.saturating_add(len);
        if start < lo || end > hi {
            return Some(format!(
                "the data-hash exclusion {start}..{end} extends beyond the manifest store at {lo}..{hi}"
            ));
        }
    }
    None
}

/// Byte ranges of JPEG APP11 segments that carry JUMBF (the C2PA store), in file order.
fn jpeg_manifest_ranges(d: &[u8]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut pos = 2usize; // after SOI
    if d.get(0..2) != Some(&[0xff, 0xd8]) {
        return out;
    }
    while pos + 4 <= d.len() {
        if d[pos] != 0xff {
            break;
        }
        let marker = d[pos + 1];
        if marker == 0xd9 || marker == 0xda {
            break; // EOI / start of scan: no more metadata segments
        }
        if (0xd0..=0xd7).contains(&marker) || marker == 0x01 || marker == 0xff {
            pos += if marker == 0xff { 1 } else { 2 };
            continue;
        }
        let len = u16::from_be_bytes([d[pos + 2], d[pos + 3]]) as usize;
        let end = pos + 2 + len;
        if len < 2 || end > d.len() {
            break;
        }
        if marker == 0xeb {
            let body = &d[pos + 4..end];
            if body.windows(4).take(64).any(|w| w == b"jumb") {
                out.push((pos as u64, end as u64));
            }
        }
        pos = end;
    }
    out
}

/// Byte range of the PNG `caBX` chunk (length field to CRC).
fn png_manifest_ranges(d: &[u8]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut pos = 8usize;
    while pos + 12 <= d.len() {
        let len = u32::from_be_bytes([d[pos], d[pos + 1], d[pos + 2], d[pos + 3]]) as usize;
        let Some(end) = pos.checked_add(12).and_then(|x| x.checked_add(len)) else {
            break;
        };
        if end > d.len() {
            break;
        }
        if &d[pos + 4..pos + 8] == b"caBX" {
            out.push((pos as u64, end as u64));
        }
        pos = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_app11(prefix_app1: usize) -> (Vec<u8>, u64, u64) {
        let mut d = vec![0xff, 0xd8];
        // APP1 with some EXIF-ish bytes
        d.extend([0xff, 0xe1]);
        d.extend(((prefix_app1 + 2) as u16).to_be_bytes());
        d.extend(vec![0x41; prefix_app1]);
        let start = d.len() as u64;
        let body = b"JP\x02\x11\x00\x01\x00\x00\x00\x01\x00\x00\x00\x20jumbxxxxxxxxxxxxxxxx";
        d.extend([0xff, 0xeb]);
        d.extend(((body.len() + 2) as u16).to_be_bytes());
        d.extend(body);
        let end = d.len() as u64;
        d.extend([0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9]);
        (d, start, end)
    }

    #[test]
    fn exclusion_equal_to_the_manifest_segment_is_fine() {
        let (d, s, e) = jpeg_with_app11(10);
        assert_eq!(check_exclusions(&d, Format::Jpeg, &[(s, e - s)]), None);
    }

    #[test]
    fn exclusion_reaching_into_exif_is_reported() {
        let (d, _s, e) = jpeg_with_app11(10);
        let problem = check_exclusions(&d, Format::Jpeg, &[(0, e)]);
        assert!(problem.unwrap().contains("beyond the manifest store"));
    }
}
