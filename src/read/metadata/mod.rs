//! Origin claims found outside C2PA: XMP (incl. IPTC extension fields),
//! EXIF/TIFF tags, IPTC-IIM, PNG text chunks, JPEG/GIF comments.
//!
//! Nothing here is authenticated: these are *claims* that a file makes about
//! where it came from (e.g. `png:tEXt:parameters` written by a Stable Diffusion
//! UI, `xmp:CreatorTool`, `xmp:dcterms:provenance` pointing at a remote C2PA
//! manifest). The attribution step decides what they mean.
//!
//! # Layout
//! This file dispatches on the [`Format`] (from `read/sniff.rs`) and walks JPEG (with the shared
//! walker of `read/container/jpeg.rs`), WebP and GIF itself; the readers of what those
//! containers carry are beside it: `exif.rs` (TIFF/EXIF tags), `iptc.rs` (IPTC-IIM, Photoshop
//! IRB), `xmp.rs` (XMP packets) and `png_text.rs` (PNG text chunks, walked with
//! `read/container/png.rs`). `sink.rs` holds the claim sink, value cleaning and the limits.
//!
//! # What is read, per format
//! * JPEG: APP1 `Exif\0\0` (TIFF IFD0 + Exif IFD), APP1 XMP
//!   (`http://ns.adobe.com/xap/1.0/\0`, extended XMP ignored), APP13 Photoshop
//!   IRB with IPTC-IIM, COM comments (`jpeg:COM`). Stops at SOS.
//! * PNG: `tEXt`, `zTXt`, `iTXt` (compressed or not) as `png:<chunk>:<keyword>`;
//!   keyword `XML:com.adobe.xmp` is parsed as XMP, ImageMagick
//!   `Raw profile type exif|APP1|xmp|iptc` are hex-decoded and parsed; `eXIf`.
//!   ImageMagick's property chunks `date:*`, `icc:*`, `png:*`, `jpeg:*` and
//!   `exif:*` (except Make, Model, Software, Artist, ImageDescription,
//!   UserComment) are skipped as noise.
//! * WebP: RIFF chunks `EXIF` and `XMP `.
//! * TIFF / DNG: IFD0 tags, Exif IFD, tag 700 (XMP), tag 33723 (IPTC-IIM).
//! * GIF: application extension `XMP DataXMP`, comment extension (`gif:Comment`).
//! * every other known format (HEIC/HEIF/AVIF, JXL, SVG, PDF, video, audio):
//!   a heuristic search for up to two XMP packets (`<x:xmpmeta` or `<rdf:RDF`)
//!   in the first 8 MiB; no structural parsing.
//!
//! # Claim origins (stable names)
//! `exif:ImageDescription|Make|Model|Software|Artist|UserComment`,
//! `xmp:CreatorTool`, `xmp:Iptc4xmpExt:DigitalSourceType`,
//! `xmp:Iptc4xmpExt:AISystemUsed|AISystemVersionUsed|AIPromptInformation`,
//! `xmp:dcterms:provenance`, `xmp:photoshop:Credit`, `xmp:dc:creator`,
//! `xmp:dc:description`, `xmp:tiff:Make|Model|Software`,
//! `iptc:OriginatingProgram|ProgramVersion|By-line|Credit|Source`,
//! `png:tEXt:<keyword>`, `png:zTXt:<keyword>`, `png:iTXt:<keyword>` (the
//! chunk type is kept; match on the part after the second colon to ignore it),
//! `jpeg:COM`, `gif:Comment`.
//! XMP prefixes are resolved through the packet's `xmlns:` declarations, so a
//! property written with a non-standard prefix is still reported under the
//! canonical name above.
//!
//! # Values
//! Decoded (UTF-8; PNG tEXt/zTXt, EXIF and IIM fall back to Latin-1 when not
//! valid UTF-8; XMP is lossy UTF-8), XML entities and character references
//! decoded, then cleaned: control characters (C0, DEL, C1) and invisible
//! formatting characters (bidi overrides/isolates, zero-width chars, BOM) are
//! removed, every run of whitespace (including newlines and tabs) becomes one
//! space, leading/trailing whitespace is trimmed, and the result is cut to
//! [`MAX_VALUE_CHARS`] characters with `…` appended when anything was cut.
//! Empty values and exact duplicates (same origin and value) are dropped.
//! (Newlines become spaces rather than being deleted so that words stay apart,
//! e.g. in Automatic1111 `parameters`.)
//!
//! # Robustness
//! Input is hostile. No panics (indexing and arithmetic are checked; enforced by
//! the clippy lints below), memory bounded independently of the input size
//! (values are borrowed slices until cleaned, decoded from at most 64 KiB;
//! zTXt/iTXt inflated to at most 64 KiB for text, 256 KiB for XMP, 1 MiB for
//! ImageMagick raw profiles, 4 MiB per file; XMP packets bounded to 256 KiB, at
//! most 8 parsed; at most 32 value look-aheads per XMP property),
//! at most 64 MiB of container walked, 10,000 chunks/segments/blocks, 1,000
//! IFD entries, no IFD chains followed (IFD0 and the Exif IFD only), O(n) time,
//! at most [`MAX_CLAIMS`] claims.
#![deny(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod exif;
mod iptc;
mod png_text;
mod sink;
mod xmp;

pub use sink::{MetadataClaim, MAX_XMP_BYTES, ORIGIN_PROVENANCE};

use super::container::bytes::*;
use super::container::jpeg;
use super::sniff::Format;
use exif::*;
use iptc::*;
use png_text::*;
use sink::*;
use xmp::*;

/// Non-C2PA origin claims of `data`, which is in `format` (as sniffed by
/// [`super::sniff::sniff_full`]). Never panics; at most [`MAX_CLAIMS`] claims,
/// in file order.
pub fn extract(data: &[u8], format: Format) -> Vec<MetadataClaim> {
    let mut sink = ClaimCollector::new();
    match format {
        Format::Jpeg => parse_jpeg(data, &mut sink),
        Format::Png => parse_png(data, &mut sink),
        Format::Gif => parse_gif(data, &mut sink),
        Format::WebP => parse_webp(data, &mut sink),
        Format::Tiff | Format::Dng => parse_tiff(data, &mut sink),
        Format::Unknown => {}
        Format::Heic
        | Format::Heif
        | Format::Avif
        | Format::Jxl
        | Format::Svg
        | Format::Mp4
        | Format::Mov
        | Format::M4a
        | Format::Wav
        | Format::Avi
        | Format::Mp3
        | Format::Flac
        | Format::Pdf => scan_for_xmp(data, &mut sink),
    }
    sink.claims
}

/// Claims from one XMP packet (only the first [`MAX_XMP_BYTES`] are examined).
#[cfg(test)]
pub fn parse_xmp(xmp: &[u8]) -> Vec<MetadataClaim> {
    let mut sink = ClaimCollector::new();
    xmp_into(xmp, &mut sink);
    sink.claims
}

/// For XMP only: the IPTC digital source type as written (usually a URI such as
/// "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
/// sometimes a bare term), cleaned like any claim value.
#[cfg(test)]
pub fn xmp_digital_source_type(xmp: &[u8]) -> Option<String> {
    parse_xmp(xmp)
        .into_iter()
        .find(|c| c.origin == ORIGIN_DIGITAL_SOURCE_TYPE)
        .map(|c| c.value)
}

/// The first `xmp:Iptc4xmpExt:DigitalSourceType` value among `claims`.
#[cfg(test)]
pub fn digital_source_type(claims: &[MetadataClaim]) -> Option<&str> {
    claims
        .iter()
        .find(|c| c.origin == ORIGIN_DIGITAL_SOURCE_TYPE)
        .map(|c| c.value.as_str())
}

/// The term of a digital source type value: the last path segment of a URI
/// ("trainedAlgorithmicMedia"), or the value itself when it has no '/'.
#[cfg(test)]
pub fn digital_source_type_term(value: &str) -> &str {
    let v = value.trim().trim_end_matches('/');
    v.rsplit('/').next().unwrap_or(v)
}

// ---------------------------------------------------------------------------
// JPEG

fn parse_jpeg(d: &[u8], sink: &mut ClaimCollector) {
    const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/";
    let end = d.len().min(MAX_WALK_BYTES);
    for segment in jpeg::segments(d).take(MAX_CHUNKS) {
        if sink.full() || segment.start >= end {
            break;
        }
        match segment.marker {
            _ if segment.is_standalone() => continue,
            0xD9 | 0xDA => break, // EOI, start of scan
            _ => {}
        }
        let seg = segment.payload(d);
        match segment.marker {
            0xE1 if seg.starts_with(b"Exif\0") => parse_tiff(exif_payload(seg), sink),
            0xE1 if seg.starts_with(XMP_SIG) => xmp_into(
                seg.get(XMP_SIG.len().saturating_add(1)..).unwrap_or(&[]),
                sink,
            ),
            0xED if seg.starts_with(b"Photoshop 3.0\0") => {
                parse_irb(seg.get(14..).unwrap_or(&[]), sink)
            }
            0xFE if sink.comments_left > 0 => {
                sink.comments_left = sink.comments_left.saturating_sub(1);
                sink.add_bytes("jpeg:COM", seg, Enc::Utf8OrLatin1);
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// WebP (RIFF)

fn parse_webp(d: &[u8], sink: &mut ClaimCollector) {
    if !d.starts_with(b"RIFF") || d.get(8..12) != Some(b"WEBP") {
        return;
    }
    let end = d.len().min(MAX_WALK_BYTES);
    let mut pos: usize = 12;
    for _ in 0..MAX_CHUNKS {
        if sink.full() || pos >= end {
            break;
        }
        let (Some(id), Some(size)) = (
            arr::<4>(d, pos),
            le32(d, pos.saturating_add(4)).and_then(to_usize),
        ) else {
            break;
        };
        let Some(start) = pos.checked_add(8) else {
            break;
        };
        let Some(body) = sl(d, start, size) else {
            break;
        };
        match &id {
            b"EXIF" => parse_tiff(exif_payload(body), sink),
            b"XMP " => xmp_into(body, sink),
            _ => {}
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

// ---------------------------------------------------------------------------
// GIF

/// Offset just past a run of GIF data sub-blocks starting at `pos`.
fn skip_sub_blocks(d: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let n = usize::from(*d.get(pos)?);
        pos = pos.checked_add(1)?;
        if n == 0 {
            return Some(pos);
        }
        pos = pos.checked_add(n)?;
    }
}

fn parse_gif(d: &[u8], sink: &mut ClaimCollector) {
    if !(d.starts_with(b"GIF87a") || d.starts_with(b"GIF89a")) {
        return;
    }
    let Some(&flags) = d.get(10) else {
        return;
    };
    let mut pos: usize = 13;
    if flags & 0x80 != 0 {
        pos = pos.saturating_add(3usize.saturating_mul(2usize << (flags & 7)));
    }
    let end = d.len().min(MAX_WALK_BYTES);
    for _ in 0..MAX_CHUNKS.saturating_mul(10) {
        if sink.full() || pos >= end {
            break;
        }
        match d.get(pos) {
            Some(0x21) => {
                let Some(&label) = d.get(pos.saturating_add(1)) else {
                    break;
                };
                let blocks = pos.saturating_add(2);
                match label {
                    0xFF => gif_app_ext(d, blocks, sink),
                    0xFE if sink.comments_left > 0 => {
                        sink.comments_left = sink.comments_left.saturating_sub(1);
                        let mut text = Vec::new();
                        let mut p = blocks;
                        while let Some(&n) = d.get(p) {
                            if n == 0 || text.len() > MAX_VALUE_INPUT {
                                break;
                            }
                            let from = p.saturating_add(1);
                            let Some(b) = sl(d, from, usize::from(n)) else {
                                break;
                            };
                            text.extend_from_slice(b);
                            p = from.saturating_add(usize::from(n));
                        }
                        sink.add_bytes("gif:Comment", &text, Enc::Utf8OrLatin1);
                    }
                    _ => {}
                }
                let Some(next) = skip_sub_blocks(d, blocks) else {
                    break;
                };
                pos = next;
            }
            Some(0x2C) => {
                // image descriptor (10 bytes), local colour table, LZW code size
                let Some(&f) = d.get(pos.saturating_add(9)) else {
                    break;
                };
                let lct = if f & 0x80 != 0 {
                    3usize.saturating_mul(2usize << (f & 7))
                } else {
                    0
                };
                let data = pos.saturating_add(10).saturating_add(lct).saturating_add(1);
                let Some(next) = skip_sub_blocks(d, data) else {
                    break;
                };
                pos = next;
            }
            _ => break, // trailer (0x3B) or garbage
        }
    }
}

/// Application extension: "XMP DataXMP" carries a raw XMP packet followed by
/// a "magic trailer" that makes it look like sub-blocks.
fn gif_app_ext(d: &[u8], blocks: usize, sink: &mut ClaimCollector) {
    if d.get(blocks) != Some(&11) || sl(d, blocks.saturating_add(1), 11) != Some(b"XMP DataXMP") {
        return;
    }
    let start = blocks.saturating_add(12);
    let Some(rest) = d.get(start..) else {
        return;
    };
    let window = rest.get(..MAX_XMP_BYTES).unwrap_or(rest);
    let packet = match find(window, b"</x:xmpmeta>") {
        Some(i) => window.get(..i.saturating_add(12)).unwrap_or(window),
        None => window,
    };
    xmp_into(packet, sink);
}

// ---------------------------------------------------------------------------
// heuristic XMP search for formats without a structural parser here

fn scan_for_xmp(d: &[u8], sink: &mut ClaimCollector) {
    let hay = d.get(..MAX_FALLBACK_SCAN).unwrap_or(d);
    let mut from: usize = 0;
    for _ in 0..2 {
        let start = match find_from(hay, from, b"<x:xmpmeta") {
            Some(i) => i,
            None => match find_from(hay, from, b"<rdf:RDF") {
                Some(i) => i,
                None => return,
            },
        };
        let Some(rest) = hay.get(start..) else {
            return;
        };
        let window = rest.get(..MAX_XMP_BYTES).unwrap_or(rest);
        let len = find(window, b"</x:xmpmeta>")
            .map(|i| i.saturating_add(12))
            .or_else(|| find(window, b"</rdf:RDF>").map(|i| i.saturating_add(10)))
            .unwrap_or(window.len());
        xmp_into(window.get(..len).unwrap_or(window), sink);
        from = start.saturating_add(len.max(1));
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
