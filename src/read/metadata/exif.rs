//! EXIF / TIFF tags: IFD0 and the Exif IFD of an EXIF block or a whole TIFF/DNG file.

use super::iptc::parse_iim;
use super::sink::*;
use super::xmp::xmp_into;
use crate::read::container::bytes::*;
use crate::read::container::tiff;

// ---------------------------------------------------------------------------
// TIFF / EXIF

/// Parse TIFF-structured data (an EXIF block or a whole TIFF/DNG file):
/// IFD0 and, once, the Exif IFD. No other IFD is followed.
pub(super) fn parse_tiff(t: &[u8], sink: &mut ClaimCollector) {
    if sink.exif_left == 0 {
        return;
    }
    sink.exif_left = sink.exif_left.saturating_sub(1);
    let Some((le, ifd0)) = tiff::header(t) else {
        return;
    };
    let Some(ifd0) = to_usize(ifd0) else {
        return;
    };
    let exif_ifd = walk_ifd(t, ifd0, le, false, sink);
    if let Some(off) = exif_ifd {
        if off != ifd0 {
            walk_ifd(t, off, le, true, sink);
        }
    }
}

fn tiff_type_size(typ: u16) -> Option<usize> {
    match typ {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 => Some(8),
        _ => None,
    }
}

/// The value bytes of a 12-byte IFD entry (inline or at its offset).
fn ifd_value<'a>(t: &'a [u8], entry: &'a [u8], le: bool) -> Option<&'a [u8]> {
    let typ = rd16(entry, 2, le)?;
    let count = to_usize(rd32(entry, 4, le)?)?;
    let size = count.checked_mul(tiff_type_size(typ)?)?;
    if size <= 4 {
        sl(entry, 8, size)
    } else {
        sl(t, to_usize(rd32(entry, 8, le)?)?, size)
    }
}

/// Walk one IFD; returns the Exif IFD offset when `exif_sub` is false and
/// the IFD has an ExifIFD pointer.
fn walk_ifd(
    t: &[u8],
    off: usize,
    le: bool,
    exif_sub: bool,
    sink: &mut ClaimCollector,
) -> Option<usize> {
    let count = usize::from(rd16(t, off, le)?).min(MAX_IFD_ENTRIES);
    let mut exif_ptr = None;
    for i in 0..count {
        if sink.full() {
            break;
        }
        let Some(entry) = tiff::entry_offset(off, i).and_then(|o| sl(t, o, tiff::ENTRY_LEN)) else {
            break;
        };
        let Some(tag) = rd16(entry, 0, le) else {
            break;
        };
        let origin = match (exif_sub, tag) {
            (false, 0x010E) => "exif:ImageDescription",
            (false, 0x010F) => "exif:Make",
            (false, 0x0110) => "exif:Model",
            (false, 0x0131) => "exif:Software",
            (false, 0x013B) => "exif:Artist",
            (false, 0x8769) => {
                if matches!(rd16(entry, 2, le), Some(4 | 13)) {
                    exif_ptr = rd32(entry, 8, le).and_then(to_usize);
                }
                continue;
            }
            (false, 0x02BC) => {
                if let Some(v) = ifd_value(t, entry, le) {
                    xmp_into(v, sink);
                }
                continue;
            }
            (false, 0x83BB) => {
                if let Some(v) = ifd_value(t, entry, le) {
                    parse_iim(v, sink);
                }
                continue;
            }
            (true, 0x9286) => {
                if let Some(v) = ifd_value(t, entry, le) {
                    user_comment(v, le, sink);
                }
                continue;
            }
            _ => continue,
        };
        if !matches!(rd16(entry, 2, le), Some(1 | 2 | 7)) {
            continue;
        }
        if let Some(v) = ifd_value(t, entry, le) {
            sink.add_bytes(origin, until_nul(v), Enc::Utf8OrLatin1);
        }
    }
    exif_ptr
}

/// EXIF UserComment: 8-byte character code, then the text.
pub(super) fn user_comment(v: &[u8], tiff_le: bool, sink: &mut ClaimCollector) {
    const ORIGIN: &str = "exif:UserComment";
    let (Some(code), Some(body)) = (v.get(..8), v.get(8..)) else {
        return;
    };
    match code {
        b"ASCII\0\0\0" | b"\0\0\0\0\0\0\0\0" => {
            sink.add_bytes(ORIGIN, until_nul(body), Enc::Utf8OrLatin1)
        }
        b"UNICODE\0" => {
            let more = body.len() > MAX_VALUE_INPUT;
            let b = body.get(..MAX_VALUE_INPUT).unwrap_or(body);
            let (b, le) = if let Some(rest) = b.strip_prefix(b"\xFE\xFF") {
                (rest, false)
            } else if let Some(rest) = b.strip_prefix(b"\xFF\xFE") {
                (rest, true)
            } else {
                // ASCII-range text has its zero bytes in the high half of each unit.
                let sample = b.get(..512).unwrap_or(b);
                let (mut even, mut odd) = (0usize, 0usize);
                for (i, &c) in sample.iter().enumerate() {
                    if c == 0 {
                        if i % 2 == 0 {
                            even = even.saturating_add(1);
                        } else {
                            odd = odd.saturating_add(1);
                        }
                    }
                }
                if even == 0 && odd == 0 {
                    // mislabelled: no UTF-16 text of any length lacks zero bytes
                    // when it is mostly ASCII; treat it as 8-bit text
                    sink.add_bytes(ORIGIN, body, Enc::Utf8OrLatin1);
                    return;
                }
                let le = match even.cmp(&odd) {
                    std::cmp::Ordering::Greater => false,
                    std::cmp::Ordering::Less => true,
                    std::cmp::Ordering::Equal => tiff_le,
                };
                (b, le)
            };
            let units = b.chunks_exact(2).map(|p| {
                let pair = [
                    p.first().copied().unwrap_or(0),
                    p.get(1).copied().unwrap_or(0),
                ];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            });
            let text: String = char::decode_utf16(units)
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .take_while(|&c| c != '\0')
                .collect();
            sink.add_str(ORIGIN, &text, more);
        }
        _ => {} // JIS or unknown: not decoded
    }
}

/// The TIFF structure inside an EXIF block (after its `Exif\0\0` header, when it has one).
pub(super) fn exif_payload(seg: &[u8]) -> &[u8] {
    if seg.starts_with(b"Exif\0") {
        seg.get(6..).unwrap_or(&[])
    } else {
        seg
    }
}
