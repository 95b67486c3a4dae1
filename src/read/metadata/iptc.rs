//! IPTC-IIM records, on their own or inside Photoshop image resources (JPEG APP13).

use super::sink::*;
use crate::read::container::bytes::*;

// ---------------------------------------------------------------------------
// IPTC-IIM and Photoshop image resources

pub(super) fn parse_iim(d: &[u8], sink: &mut ClaimCollector) {
    if sink.iim_left == 0 {
        return;
    }
    sink.iim_left = sink.iim_left.saturating_sub(1);
    let mut pos: usize = 0;
    for _ in 0..MAX_CHUNKS {
        if sink.full() || d.get(pos) != Some(&0x1C) {
            break;
        }
        let (Some(&rec), Some(&ds), Some(len)) = (
            d.get(pos.saturating_add(1)),
            d.get(pos.saturating_add(2)),
            be16(d, pos.saturating_add(3)),
        ) else {
            break;
        };
        if len & 0x8000 != 0 {
            break; // extended dataset length: not used for text fields
        }
        let Some(start) = pos.checked_add(5) else {
            break;
        };
        let Some(value) = sl(d, start, usize::from(len)) else {
            break;
        };
        let origin = match (rec, ds) {
            (2, 65) => Some("iptc:OriginatingProgram"),
            (2, 70) => Some("iptc:ProgramVersion"),
            (2, 80) => Some("iptc:By-line"),
            (2, 110) => Some("iptc:Credit"),
            (2, 115) => Some("iptc:Source"),
            _ => None,
        };
        if let Some(origin) = origin {
            sink.add_bytes(origin, value, Enc::Utf8OrLatin1);
        }
        let Some(next) = start.checked_add(usize::from(len)) else {
            break;
        };
        pos = next;
    }
}

/// Photoshop image resource blocks ("8BIM"); resource 0x0404 is IPTC-IIM.
pub(super) fn parse_irb(d: &[u8], sink: &mut ClaimCollector) {
    let mut pos: usize = 0;
    for _ in 0..MAX_CHUNKS {
        if sink.full() || sl(d, pos, 4) != Some(b"8BIM") {
            break;
        }
        let Some(id) = be16(d, pos.saturating_add(4)) else {
            break;
        };
        let Some(&nlen) = d.get(pos.saturating_add(6)) else {
            break;
        };
        // Pascal name, padded so that length byte + name is even
        let name_total = usize::from(nlen).saturating_add(1);
        let name_total = name_total.saturating_add(name_total & 1);
        let Some(size_off) = pos.checked_add(6).and_then(|p| p.checked_add(name_total)) else {
            break;
        };
        let Some(size) = be32(d, size_off).and_then(to_usize) else {
            break;
        };
        let Some(start) = size_off.checked_add(4) else {
            break;
        };
        let Some(data) = sl(d, start, size) else {
            break;
        };
        if id == 0x0404 {
            parse_iim(data, sink);
        }
        let Some(next) = start
            .checked_add(size)
            .and_then(|e| e.checked_add(size & 1))
        else {
            break;
        };
        pos = next;
    }
}
