//! Origin claims found outside C2PA: XMP (incl. IPTC extension fields),
//! EXIF/TIFF tags, IPTC-IIM, PNG text chunks, JPEG/GIF comments.
//!
//! Nothing here is authenticated: these are *claims* that a file makes about
//! where it came from (e.g. `png:tEXt:parameters` written by a Stable Diffusion
//! UI, `xmp:CreatorTool`, `xmp:dcterms:provenance` pointing at a remote C2PA
//! manifest). The attribution step decides what they mean.
//!
//! # Format type
//! [`extract`] takes the [`Format`] enum from the sibling module `sniff.rs`
//! (`use super::sniff::Format`), so `read/mod.rs` must declare both
//! `pub mod metadata;` and `pub mod sniff;`.
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

use super::sniff::Format;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Read;

/// One origin claim found in a file's non-C2PA metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MetadataClaim {
    /// Where it came from, a stable dotted name: "xmp:CreatorTool",
    /// "xmp:Iptc4xmpExt:DigitalSourceType", "xmp:dcterms:provenance",
    /// "exif:Software", "png:tEXt:parameters", ... (see the module docs).
    pub origin: String,
    /// The value, cleaned (see the module docs), at most [`MAX_VALUE_CHARS`]
    /// characters plus a trailing "…" when it was cut.
    pub value: String,
}

/// At most this many claims are returned per file.
pub const MAX_CLAIMS: usize = 64;
/// Values are cut to this many characters (then "…" is appended).
pub const MAX_VALUE_CHARS: usize = 512;
/// An XMP packet is examined up to this many bytes.
pub const MAX_XMP_BYTES: usize = 256 * 1024;

/// Origin of the IPTC digital source type.
pub const ORIGIN_DIGITAL_SOURCE_TYPE: &str = "xmp:Iptc4xmpExt:DigitalSourceType";
/// Origin of the C2PA remote-manifest reference in XMP.
pub const ORIGIN_PROVENANCE: &str = "xmp:dcterms:provenance";

const MAX_WALK_BYTES: usize = 64 << 20;
const MAX_CHUNKS: usize = 10_000;
const MAX_IFD_ENTRIES: usize = 1_000;
const MAX_INFLATE_CHUNK: usize = 1 << 20;
const MAX_INFLATE_TOTAL: usize = 4 << 20;
/// A value is decoded from at most this many bytes.
const MAX_VALUE_INPUT: usize = 64 << 10;
const MAX_XMP_PACKETS: usize = 8;
const MAX_EXIF_BLOCKS: usize = 8;
const MAX_IIM_BLOCKS: usize = 8;
const MAX_COMMENTS: usize = 4;
const MAX_FALLBACK_SCAN: usize = 8 << 20;
/// XMP: candidates kept per property, declarations kept per packet.
const MAX_XMP_CANDIDATES: usize = 8;
/// XMP: value extractions tried per property (bounds the look-ahead work).
const MAX_XMP_ATTEMPTS: usize = 32;
const MAX_XMP_DECLS: usize = 256;
/// XMP: how far an element value (or an attribute value) may extend.
const MAX_XMP_SPAN: usize = 16 << 10;
const MAX_KEY_CHARS: usize = 79;

/// Non-C2PA origin claims of `data`, which is in `format` (as sniffed by
/// [`super::sniff::sniff_full`]). Never panics; at most [`MAX_CLAIMS`] claims,
/// in file order.
pub fn extract(data: &[u8], format: Format) -> Vec<MetadataClaim> {
    let mut sink = Sink::new();
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
pub fn parse_xmp(xmp: &[u8]) -> Vec<MetadataClaim> {
    let mut sink = Sink::new();
    xmp_into(xmp, &mut sink);
    sink.claims
}

/// For XMP only: the IPTC digital source type as written (usually a URI such as
/// "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
/// sometimes a bare term), cleaned like any claim value.
pub fn xmp_digital_source_type(xmp: &[u8]) -> Option<String> {
    parse_xmp(xmp)
        .into_iter()
        .find(|c| c.origin == ORIGIN_DIGITAL_SOURCE_TYPE)
        .map(|c| c.value)
}

/// The first `xmp:Iptc4xmpExt:DigitalSourceType` value among `claims`.
pub fn digital_source_type(claims: &[MetadataClaim]) -> Option<&str> {
    claims
        .iter()
        .find(|c| c.origin == ORIGIN_DIGITAL_SOURCE_TYPE)
        .map(|c| c.value.as_str())
}

/// The term of a digital source type value: the last path segment of a URI
/// ("trainedAlgorithmicMedia"), or the value itself when it has no '/'.
pub fn digital_source_type_term(value: &str) -> &str {
    let v = value.trim().trim_end_matches('/');
    v.rsplit('/').next().unwrap_or(v)
}

// ---------------------------------------------------------------------------
// the claim sink: budgets, cleaning, dedup

struct Sink {
    claims: Vec<MetadataClaim>,
    inflate_left: usize,
    xmp_left: usize,
    exif_left: usize,
    iim_left: usize,
    comments_left: usize,
}

#[derive(Clone, Copy)]
enum Enc {
    /// UTF-8, invalid sequences replaced.
    Utf8Lossy,
    /// UTF-8 when valid, else ISO-8859-1.
    Utf8OrLatin1,
}

impl Sink {
    fn new() -> Self {
        Sink {
            claims: Vec::new(),
            inflate_left: MAX_INFLATE_TOTAL,
            xmp_left: MAX_XMP_PACKETS,
            exif_left: MAX_EXIF_BLOCKS,
            iim_left: MAX_IIM_BLOCKS,
            comments_left: MAX_COMMENTS,
        }
    }

    fn full(&self) -> bool {
        self.claims.len() >= MAX_CLAIMS
    }

    /// `more`: the text is a prefix of a longer value.
    fn add_str(&mut self, origin: &str, text: &str, more: bool) {
        if self.full() {
            return;
        }
        let Some(value) = clean_value(text, more) else {
            return;
        };
        if self
            .claims
            .iter()
            .any(|c| c.origin == origin && c.value == value)
        {
            return;
        }
        self.claims.push(MetadataClaim {
            origin: origin.to_string(),
            value,
        });
    }

    fn add_bytes(&mut self, origin: &str, bytes: &[u8], enc: Enc) {
        if self.full() {
            return;
        }
        let (text, more) = decode(bytes, enc);
        self.add_str(origin, &text, more);
    }
}

/// Decode at most [`MAX_VALUE_INPUT`] bytes; the flag says whether more followed.
fn decode(bytes: &[u8], enc: Enc) -> (Cow<'_, str>, bool) {
    let more = bytes.len() > MAX_VALUE_INPUT;
    let b = bytes.get(..MAX_VALUE_INPUT).unwrap_or(bytes);
    let text = match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        // valid UTF-8 cut in the middle of a character by the prefix bound
        Err(e) if more && e.error_len().is_none() => {
            let valid = b.get(..e.valid_up_to()).unwrap_or(&[]);
            Cow::Borrowed(std::str::from_utf8(valid).unwrap_or(""))
        }
        Err(_) => match enc {
            Enc::Utf8Lossy => String::from_utf8_lossy(b),
            Enc::Utf8OrLatin1 => Cow::Owned(b.iter().map(|&c| char::from(c)).collect()),
        },
    };
    (text, more)
}

/// Invisible formatting characters that could reorder or hide text on display.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Clean a value (see the module docs); `None` when nothing is left.
fn clean_value(text: &str, more: bool) -> Option<String> {
    let mut out = String::new();
    let mut n: usize = 0;
    let mut pending_space = false;
    let mut cut = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = n > 0;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        let need: usize = if pending_space { 2 } else { 1 };
        if n.saturating_add(need) > MAX_VALUE_CHARS {
            cut = true;
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        n = n.saturating_add(need);
    }
    if out.is_empty() {
        return None;
    }
    if cut || more {
        out.push('…');
    }
    Some(out)
}

/// A key (PNG keyword) for use in an origin: printable chars only, whitespace
/// runs as one space, at most 79 chars, no ellipsis.
fn clean_key(bytes: &[u8]) -> Option<String> {
    let b = bytes
        .get(..MAX_KEY_CHARS.saturating_mul(4))
        .unwrap_or(bytes);
    let (text, _) = decode(b, Enc::Utf8OrLatin1);
    let mut out = String::new();
    let mut n: usize = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = n > 0;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        let need: usize = if pending_space { 2 } else { 1 };
        if n.saturating_add(need) > MAX_KEY_CHARS {
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        n = n.saturating_add(need);
    }
    (!out.is_empty()).then_some(out)
}

// ---------------------------------------------------------------------------
// byte helpers (all bounds-checked)

fn sl(d: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    d.get(off..off.checked_add(len)?)
}

fn arr<const N: usize>(d: &[u8], off: usize) -> Option<[u8; N]> {
    sl(d, off, N)?.try_into().ok()
}

fn be16(d: &[u8], off: usize) -> Option<u16> {
    arr(d, off).map(u16::from_be_bytes)
}

fn be32(d: &[u8], off: usize) -> Option<u32> {
    arr(d, off).map(u32::from_be_bytes)
}

fn le32(d: &[u8], off: usize) -> Option<u32> {
    arr(d, off).map(u32::from_le_bytes)
}

fn rd16(d: &[u8], off: usize, le: bool) -> Option<u16> {
    arr(d, off).map(|b| {
        if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    })
}

fn rd32(d: &[u8], off: usize, le: bool) -> Option<u32> {
    arr(d, off).map(|b| {
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    })
}

fn to_usize(v: u32) -> Option<usize> {
    usize::try_from(v).ok()
}

/// First index of `needle` in `hay` at or after `from`. Worst case
/// O(len(hay) * len(needle)); needles here are short constants.
fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut i = from;
    loop {
        let p = hay.get(i..)?.iter().position(|&c| c == first)?;
        let at = i.checked_add(p)?;
        let after = at.checked_add(1)?;
        if hay.get(after..)?.starts_with(rest) {
            return Some(at);
        }
        i = after;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    find_from(hay, 0, needle)
}

fn until_nul(b: &[u8]) -> &[u8] {
    b.split(|&c| c == 0).next().unwrap_or(b)
}

/// `(before, after)` split at the first NUL; `None` without a NUL.
fn split_nul(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = b.iter().position(|&c| c == 0)?;
    Some((b.get(..i)?, b.get(i.checked_add(1)?..)?))
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_ws(c)) {
        i = i.saturating_add(1);
    }
    i
}

/// zlib-inflate at most `cap` bytes (a partial result on corrupt input).
fn inflate(data: &[u8], cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX);
    let mut dec = flate2::read::ZlibDecoder::new(data).take(limit);
    let _ = dec.read_to_end(&mut out);
    out
}

fn exif_payload(seg: &[u8]) -> &[u8] {
    if seg.starts_with(b"Exif\0") {
        seg.get(6..).unwrap_or(&[])
    } else {
        seg
    }
}

// ---------------------------------------------------------------------------
// TIFF / EXIF

/// Parse TIFF-structured data (an EXIF block or a whole TIFF/DNG file):
/// IFD0 and, once, the Exif IFD. No other IFD is followed.
fn parse_tiff(t: &[u8], sink: &mut Sink) {
    if sink.exif_left == 0 {
        return;
    }
    sink.exif_left = sink.exif_left.saturating_sub(1);
    let le = match t.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return,
    };
    let Some(ifd0) = rd32(t, 4, le).and_then(to_usize) else {
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
fn walk_ifd(t: &[u8], off: usize, le: bool, exif_sub: bool, sink: &mut Sink) -> Option<usize> {
    let count = usize::from(rd16(t, off, le)?).min(MAX_IFD_ENTRIES);
    let first = off.checked_add(2)?;
    let mut exif_ptr = None;
    for i in 0..count {
        if sink.full() {
            break;
        }
        let Some(entry) = i
            .checked_mul(12)
            .and_then(|o| first.checked_add(o))
            .and_then(|o| sl(t, o, 12))
        else {
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
fn user_comment(v: &[u8], tiff_le: bool, sink: &mut Sink) {
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

// ---------------------------------------------------------------------------
// IPTC-IIM and Photoshop image resources

fn parse_iim(d: &[u8], sink: &mut Sink) {
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
fn parse_irb(d: &[u8], sink: &mut Sink) {
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

// ---------------------------------------------------------------------------
// JPEG

fn parse_jpeg(d: &[u8], sink: &mut Sink) {
    const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/";
    if !d.starts_with(&[0xFF, 0xD8]) {
        return;
    }
    let end = d.len().min(MAX_WALK_BYTES);
    let mut pos: usize = 2;
    for _ in 0..MAX_CHUNKS {
        if sink.full() || pos >= end || d.get(pos) != Some(&0xFF) {
            break;
        }
        // fill bytes
        while d.get(pos) == Some(&0xFF) {
            pos = pos.saturating_add(1);
        }
        let Some(&marker) = d.get(pos) else {
            break;
        };
        pos = pos.saturating_add(1);
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue, // no length
            0xD9 | 0xDA => break,                  // EOI, start of scan
            _ => {}
        }
        let Some(len) = be16(d, pos).map(usize::from) else {
            break;
        };
        if len < 2 {
            break;
        }
        let Some(seg) = sl(d, pos.saturating_add(2), len.saturating_sub(2)) else {
            break;
        };
        match marker {
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
        pos = pos.saturating_add(len);
    }
}

// ---------------------------------------------------------------------------
// PNG

fn parse_png(d: &[u8], sink: &mut Sink) {
    if !d.starts_with(b"\x89PNG\r\n\x1a\n") {
        return;
    }
    let end = d.len().min(MAX_WALK_BYTES);
    let mut pos: usize = 8;
    for _ in 0..MAX_CHUNKS {
        if sink.full() || pos >= end {
            break;
        }
        let (Some(len), Some(ty)) = (
            be32(d, pos).and_then(to_usize),
            arr::<4>(d, pos.saturating_add(4)),
        ) else {
            break;
        };
        let Some(start) = pos.checked_add(8) else {
            break;
        };
        let Some(body) = sl(d, start, len) else {
            break;
        };
        match &ty {
            b"tEXt" => {
                if let Some((kw, text)) = split_nul(body) {
                    png_text(sink, "tEXt", kw, Cow::Borrowed(text), Enc::Utf8OrLatin1);
                }
            }
            b"zTXt" => {
                if let Some((kw, rest)) = split_nul(body) {
                    if let Some((&0, compressed)) = rest.split_first() {
                        if let Some(text) = png_inflate(sink, kw, compressed) {
                            png_text(sink, "zTXt", kw, Cow::Owned(text), Enc::Utf8OrLatin1);
                        }
                    }
                }
            }
            b"iTXt" => png_itxt(sink, body),
            b"eXIf" => parse_tiff(exif_payload(body), sink),
            b"IEND" => break,
            _ => {}
        }
        let Some(next) = start.checked_add(len).and_then(|e| e.checked_add(4)) else {
            break;
        };
        pos = next;
    }
}

fn png_itxt(sink: &mut Sink, body: &[u8]) {
    let Some((kw, rest)) = split_nul(body) else {
        return;
    };
    let (Some(&cflag), Some(&method), Some(rest)) = (rest.first(), rest.get(1), rest.get(2..))
    else {
        return;
    };
    let Some((_lang, rest)) = split_nul(rest) else {
        return;
    };
    let Some((_translated, text)) = split_nul(rest) else {
        return;
    };
    let text = match (cflag, method) {
        (0, _) => Cow::Borrowed(text),
        (1, 0) => match png_inflate(sink, kw, text) {
            Some(t) => Cow::Owned(t),
            None => return,
        },
        _ => return,
    };
    png_text(sink, "iTXt", kw, text, Enc::Utf8Lossy);
}

/// Whether a PNG keyword names embedded metadata (parsed, not reported raw).
fn png_key_is_profile(kw: &[u8]) -> bool {
    kw == b"XML:com.adobe.xmp" || kw.to_ascii_lowercase().starts_with(b"raw profile type ")
}

/// ImageMagick's per-property text chunks that say nothing about origin
/// (`date:*`, `icc:*`, `png:*`, `jpeg:*`, and `exif:*` other than the tags that
/// the EXIF parser reports). Skipped so that they cannot crowd out real claims.
fn png_key_is_noise(lower: &[u8]) -> bool {
    const KEEP_EXIF: [&[u8]; 6] = [
        b"make",
        b"model",
        b"software",
        b"artist",
        b"imagedescription",
        b"usercomment",
    ];
    if let Some(tag) = lower.strip_prefix(b"exif:") {
        return !KEEP_EXIF.contains(&tag);
    }
    [&b"date:"[..], b"icc:", b"png:", b"jpeg:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Inflate a zTXt/iTXt payload within the per-chunk and per-file budgets.
fn png_inflate(sink: &mut Sink, kw: &[u8], compressed: &[u8]) -> Option<Vec<u8>> {
    let want = if kw == b"XML:com.adobe.xmp" {
        MAX_XMP_BYTES
    } else if png_key_is_profile(kw) {
        MAX_INFLATE_CHUNK
    } else {
        MAX_VALUE_INPUT.saturating_add(1)
    };
    let cap = want.min(sink.inflate_left);
    if cap == 0 {
        return None;
    }
    let out = inflate(compressed, cap);
    sink.inflate_left = sink.inflate_left.saturating_sub(out.len());
    Some(out)
}

fn png_text(sink: &mut Sink, kind: &str, kw: &[u8], text: Cow<'_, [u8]>, enc: Enc) {
    if kw == b"XML:com.adobe.xmp" {
        xmp_into(&text, sink);
        return;
    }
    let lower = kw.to_ascii_lowercase();
    if let Some(kind) = lower.strip_prefix(b"raw profile type ") {
        raw_profile(kind, &text, sink);
        return;
    }
    if png_key_is_noise(&lower) {
        return;
    }
    let Some(key) = clean_key(kw) else {
        return;
    };
    let origin = format!("png:{kind}:{key}");
    sink.add_bytes(&origin, &text, enc);
}

/// ImageMagick "Raw profile type NAME": "\nNAME\n   LENGTH\nHEX...".
fn raw_profile(kind: &[u8], text: &[u8], sink: &mut Sink) {
    let mut i = skip_ws(text, 0);
    // the profile name line
    while text.get(i).is_some_and(|&c| c != b'\n') {
        i = i.saturating_add(1);
    }
    i = skip_ws(text, i);
    let mut len: usize = 0;
    let mut digits: u32 = 0;
    while let Some(&c) = text.get(i) {
        if !c.is_ascii_digit() || digits >= 9 {
            break;
        }
        len = len
            .saturating_mul(10)
            .saturating_add(usize::from(c.saturating_sub(b'0')));
        digits = digits.saturating_add(1);
        i = i.saturating_add(1);
    }
    let len = len.min(MAX_INFLATE_CHUNK);
    let mut out = Vec::new();
    let mut hi: Option<u8> = None;
    for &c in text.get(i..).unwrap_or(&[]) {
        if out.len() >= len {
            break;
        }
        if is_ws(c) {
            continue;
        }
        let Some(v) = (c as char).to_digit(16).and_then(|v| u8::try_from(v).ok()) else {
            break;
        };
        match hi.take() {
            None => hi = Some(v),
            Some(h) => out.push((h << 4) | v),
        }
    }
    match kind {
        b"exif" | b"app1" => parse_tiff(exif_payload(&out), sink),
        b"xmp" => xmp_into(&out, sink),
        b"iptc" | b"8bim" => {
            if out.starts_with(b"8BIM") {
                parse_irb(&out, sink)
            } else {
                parse_iim(&out, sink)
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// WebP (RIFF)

fn parse_webp(d: &[u8], sink: &mut Sink) {
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

fn parse_gif(d: &[u8], sink: &mut Sink) {
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
fn gif_app_ext(d: &[u8], blocks: usize, sink: &mut Sink) {
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

fn scan_for_xmp(d: &[u8], sink: &mut Sink) {
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

// ---------------------------------------------------------------------------
// XMP: a small linear-time tokenizer, no full XML parser

struct XmpProp {
    uri: &'static str,
    prefix: &'static str,
    local: &'static str,
    origin: &'static str,
}

const NS_XMP: &str = "http://ns.adobe.com/xap/1.0/";
const NS_IPTC_EXT: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
const NS_DCTERMS: &str = "http://purl.org/dc/terms/";
const NS_PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_TIFF: &str = "http://ns.adobe.com/tiff/1.0/";

const fn prop(
    uri: &'static str,
    prefix: &'static str,
    local: &'static str,
    origin: &'static str,
) -> XmpProp {
    XmpProp {
        uri,
        prefix,
        local,
        origin,
    }
}

/// The XMP properties reported, in output order.
const XMP_PROPS: [XmpProp; 12] = [
    prop(NS_XMP, "xmp", "CreatorTool", "xmp:CreatorTool"),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "DigitalSourceType",
        ORIGIN_DIGITAL_SOURCE_TYPE,
    ),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "AISystemUsed",
        "xmp:Iptc4xmpExt:AISystemUsed",
    ),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "AISystemVersionUsed",
        "xmp:Iptc4xmpExt:AISystemVersionUsed",
    ),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "AIPromptInformation",
        "xmp:Iptc4xmpExt:AIPromptInformation",
    ),
    prop(NS_DCTERMS, "dcterms", "provenance", ORIGIN_PROVENANCE),
    prop(NS_PHOTOSHOP, "photoshop", "Credit", "xmp:photoshop:Credit"),
    prop(NS_DC, "dc", "creator", "xmp:dc:creator"),
    prop(NS_DC, "dc", "description", "xmp:dc:description"),
    prop(NS_TIFF, "tiff", "Make", "xmp:tiff:Make"),
    prop(NS_TIFF, "tiff", "Model", "xmp:tiff:Model"),
    prop(NS_TIFF, "tiff", "Software", "xmp:tiff:Software"),
];
const XMP_PROP_COUNT: usize = XMP_PROPS.len();

fn xmp_props() -> &'static [XmpProp] {
    &XMP_PROPS
}

/// A property value seen in the packet, not yet checked against namespaces.
struct Candidate<'a> {
    prop: usize,
    prefix: &'a [u8],
    value: String,
}

struct XmpScan<'a> {
    decls: Vec<(&'a [u8], &'a [u8])>,
    cands: Vec<Candidate<'a>>,
    per_prop: [usize; XMP_PROP_COUNT],
    attempts: [usize; XMP_PROP_COUNT],
}

impl<'a> XmpScan<'a> {
    /// Record `qname` = `raw` when its local name is one of ours.
    fn offer(&mut self, qname: &'a [u8], value: impl FnOnce() -> Option<String>) {
        let Some(colon) = qname.iter().position(|&c| c == b':') else {
            return;
        };
        let (Some(prefix), Some(local)) =
            (qname.get(..colon), qname.get(colon.saturating_add(1)..))
        else {
            return;
        };
        let Some(idx) = xmp_props().iter().position(|p| p.local.as_bytes() == local) else {
            return;
        };
        let Some(tries) = self.attempts.get_mut(idx) else {
            return;
        };
        if *tries >= MAX_XMP_ATTEMPTS {
            return;
        }
        *tries = tries.saturating_add(1);
        let Some(count) = self.per_prop.get_mut(idx) else {
            return;
        };
        if *count >= MAX_XMP_CANDIDATES {
            return;
        }
        let Some(value) = value() else {
            return;
        };
        if value.trim().is_empty() {
            return;
        }
        *count = count.saturating_add(1);
        self.cands.push(Candidate {
            prop: idx,
            prefix,
            value,
        });
    }

    fn prefix_ok(&self, prefix: &[u8], p: &XmpProp) -> bool {
        if self
            .decls
            .iter()
            .any(|(pre, uri)| *pre == prefix && *uri == p.uri.as_bytes())
        {
            return true;
        }
        // undeclared (e.g. a truncated packet): accept the canonical prefix
        prefix == p.prefix.as_bytes() && !self.decls.iter().any(|(pre, _)| *pre == prefix)
    }
}

/// Decode XML character data: the five predefined entities and numeric
/// character references; anything else is kept literally.
fn xml_unescape(raw: &[u8]) -> String {
    let raw = raw.get(..MAX_XMP_SPAN).unwrap_or(raw);
    let s = String::from_utf8_lossy(raw);
    if !s.contains('&') {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(i) = rest.find('&') {
        let Some((before, after)) = rest.split_at_checked(i) else {
            break;
        };
        out.push_str(before);
        // `after` starts with '&'
        let semi = after.bytes().take(12).position(|c| c == b';');
        if let Some(j) = semi {
            if let Some(c) = after.get(1..j).and_then(xml_entity) {
                out.push(c);
                rest = after.get(j.saturating_add(1)..).unwrap_or("");
                continue;
            }
        }
        out.push('&');
        rest = after.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn xml_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            Some(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
        }
    }
}

fn is_name_end(c: u8) -> bool {
    is_ws(c) || matches!(c, b'>' | b'/' | b'=')
}

/// Text of an element whose start tag ended just before `from`: either simple
/// character data up to the next tag, or the first `rdf:li` of an
/// `rdf:Alt`/`rdf:Seq`/`rdf:Bag`. Looks at most [`MAX_XMP_SPAN`] bytes ahead.
fn xmp_element_value(b: &[u8], from: usize) -> Option<String> {
    let win = b.get(from..)?;
    let win = win.get(..MAX_XMP_SPAN).unwrap_or(win);
    let lt = win.iter().position(|&c| c == b'<')?;
    let text = win.get(..lt)?;
    if text.iter().any(|&c| !is_ws(c)) {
        return win
            .get(lt..)?
            .starts_with(b"</")
            .then(|| xml_unescape(text));
    }
    let rest = win.get(lt..)?;
    if !(rest.starts_with(b"<rdf:Alt")
        || rest.starts_with(b"<rdf:Seq")
        || rest.starts_with(b"<rdf:Bag"))
    {
        return None;
    }
    let gt = rest.iter().position(|&c| c == b'>')?;
    let after_container = skip_ws(rest, gt.checked_add(1)?);
    let li = rest.get(after_container..)?;
    if !li.starts_with(b"<rdf:li") || !li.get(7).is_some_and(|&c| is_name_end(c)) {
        return None;
    }
    // the li start tag, quote-aware
    let mut i: usize = 7;
    let mut quote: Option<u8> = None;
    let mut resource: Option<String> = None;
    loop {
        let c = *li.get(i)?;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => {
                if li.get(..i)?.ends_with(b"rdf:resource=") {
                    let start = i.checked_add(1)?;
                    let len = li.get(start..)?.iter().position(|&x| x == c)?;
                    resource = Some(xml_unescape(sl(li, start, len)?));
                }
                quote = Some(c)
            }
            None if c == b'>' => break,
            None => {}
        }
        i = i.checked_add(1)?;
    }
    if li.get(i.checked_sub(1)?) == Some(&b'/') {
        return resource;
    }
    let body = li.get(i.checked_add(1)?..)?;
    let end = body.iter().position(|&c| c == b'<')?;
    if !body.get(end..)?.starts_with(b"</rdf:li") {
        return resource;
    }
    Some(xml_unescape(body.get(..end)?))
}

/// Tokenize an XMP packet once (O(n)), collecting namespace declarations and
/// candidate values of the properties in [`XMP_PROPS`].
fn xmp_scan(b: &[u8]) -> XmpScan<'_> {
    let mut scan = XmpScan {
        decls: Vec::new(),
        cands: Vec::new(),
        per_prop: [0; XMP_PROP_COUNT],
        attempts: [0; XMP_PROP_COUNT],
    };
    let mut pos: usize = 0;
    while let Some(off) = b.get(pos..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let Some(lt) = pos.checked_add(off) else {
            break;
        };
        let p = lt.saturating_add(1);
        let rest = b.get(lt..).unwrap_or(&[]);
        let skip_to =
            |needle: &[u8]| find_from(b, p, needle).map(|i| i.saturating_add(needle.len()));
        let next = match b.get(p) {
            None => break,
            Some(b'?') => skip_to(b"?>"),
            Some(b'!') if rest.starts_with(b"<!--") => skip_to(b"-->"),
            Some(b'!') if rest.starts_with(b"<![CDATA[") => skip_to(b"]]>"),
            Some(b'!') | Some(b'/') => skip_to(b">"),
            Some(_) => xmp_start_tag(b, p, &mut scan),
        };
        match next {
            Some(n) if n > pos => pos = n,
            _ => break, // unterminated construct: stop, never rescan
        }
    }
    scan
}

/// Parse a start tag whose name begins at `p`; returns the offset after '>'.
fn xmp_start_tag<'a>(b: &'a [u8], p: usize, scan: &mut XmpScan<'a>) -> Option<usize> {
    let name_len = b.get(p..)?.iter().position(|&c| is_name_end(c))?;
    let name = sl(b, p, name_len)?;
    let mut i = p.checked_add(name_len)?;
    let mut resource: Option<&[u8]> = None;
    let self_closing;
    loop {
        i = skip_ws(b, i);
        match *b.get(i)? {
            b'>' => {
                self_closing = false;
                i = i.checked_add(1)?;
                break;
            }
            b'/' if b.get(i.saturating_add(1)) == Some(&b'>') => {
                self_closing = true;
                i = i.checked_add(2)?;
                break;
            }
            _ => {}
        }
        let start = i;
        let alen = b.get(i..)?.iter().position(|&c| is_name_end(c))?;
        let aname = sl(b, i, alen)?;
        i = skip_ws(b, i.checked_add(alen)?);
        if b.get(i) == Some(&b'=') {
            i = skip_ws(b, i.checked_add(1)?);
            let q = *b.get(i)?;
            if q == b'"' || q == b'\'' {
                let vstart = i.checked_add(1)?;
                let vlen = b.get(vstart..)?.iter().position(|&c| c == q)?;
                let raw = sl(b, vstart, vlen)?;
                if let Some(prefix) = aname.strip_prefix(b"xmlns:") {
                    if scan.decls.len() < MAX_XMP_DECLS {
                        scan.decls.push((prefix, raw));
                    }
                } else if aname == b"rdf:resource" {
                    resource = Some(raw);
                } else if vlen <= MAX_XMP_SPAN {
                    scan.offer(aname, || Some(xml_unescape(raw)));
                }
                i = vstart.checked_add(vlen)?.checked_add(1)?;
            }
        }
        if i == start {
            i = i.checked_add(1)?; // stray character: always make progress
        }
    }
    let after = i;
    scan.offer(name, || match resource {
        Some(r) => Some(xml_unescape(r)),
        None if self_closing => None,
        None => xmp_element_value(b, after),
    });
    Some(after)
}

fn xmp_into(xmp: &[u8], sink: &mut Sink) {
    if sink.xmp_left == 0 || sink.full() {
        return;
    }
    sink.xmp_left = sink.xmp_left.saturating_sub(1);
    let b = xmp.get(..MAX_XMP_BYTES).unwrap_or(xmp);
    let scan = xmp_scan(b);
    for (idx, p) in xmp_props().iter().enumerate() {
        let hit = scan
            .cands
            .iter()
            .filter(|c| c.prop == idx)
            .find(|c| scan.prefix_ok(c.prefix, p));
        if let Some(c) = hit {
            sink.add_str(p.origin, &c.value, false);
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
    use super::super::sniff::{sniff_full, Format};
    use super::*;
    use crate::test_support::corpus;

    fn get<'a>(claims: &'a [MetadataClaim], origin: &str) -> Option<&'a str> {
        claims
            .iter()
            .find(|c| c.origin == origin)
            .map(|c| c.value.as_str())
    }

    // ---- builders ----

    fn png_chunk(out: &mut Vec<u8>, ty: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(ty);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(ty);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }

    fn png_with(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        png_chunk(&mut v, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        for (ty, data) in chunks {
            png_chunk(&mut v, ty, data);
        }
        png_chunk(&mut v, b"IEND", &[]);
        v
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn kw_text(kw: &str, text: &[u8]) -> Vec<u8> {
        let mut v = kw.as_bytes().to_vec();
        v.push(0);
        v.extend_from_slice(text);
        v
    }

    /// A little-endian or big-endian TIFF with ASCII tags in IFD0, an optional
    /// Exif IFD holding `user_comment`, and optional XMP (tag 700).
    fn tiff(
        le: bool,
        tags: &[(u16, &str)],
        user_comment: Option<&[u8]>,
        xmp: Option<&[u8]>,
    ) -> Vec<u8> {
        let w16 = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
        let w32 = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
        let n = tags.len() + usize::from(user_comment.is_some()) + usize::from(xmp.is_some());
        let ifd0 = 8usize;
        let data_start = ifd0 + 2 + 12 * n + 4;
        let mut data: Vec<u8> = Vec::new();
        let mut entries: Vec<(u16, u16, u32, u32)> = Vec::new();
        let add = |data: &mut Vec<u8>, bytes: &[u8]| -> u32 {
            let off = (data_start + data.len()) as u32;
            data.extend_from_slice(bytes);
            if data.len() % 2 == 1 {
                data.push(0);
            }
            off
        };
        for (tag, s) in tags {
            let mut b = s.as_bytes().to_vec();
            b.push(0);
            // values of up to 4 bytes are stored in the entry itself
            let val = if b.len() <= 4 {
                let mut inline = [0u8; 4];
                inline[..b.len()].copy_from_slice(&b);
                u32::from_ne_bytes(inline)
            } else {
                add(&mut data, &b)
            };
            entries.push((*tag, 2, b.len() as u32, val));
        }
        if let Some(x) = xmp {
            let off = add(&mut data, x);
            entries.push((700, 1, x.len() as u32, off));
        }
        let mut exif_ifd_at = None;
        if user_comment.is_some() {
            entries.push((0x8769, 4, 1, 0));
            exif_ifd_at = Some(entries.len() - 1);
        }
        entries.sort_by_key(|e| e.0);
        // the Exif IFD after the data
        let mut exif = Vec::new();
        if let Some(uc) = user_comment {
            let exif_off = (data_start + data.len()) as u32;
            let uc_off = exif_off + 2 + 12 + 4;
            exif.extend_from_slice(&w16(1));
            exif.extend_from_slice(&w16(0x9286));
            exif.extend_from_slice(&w16(7));
            exif.extend_from_slice(&w32(uc.len() as u32));
            exif.extend_from_slice(&w32(uc_off));
            exif.extend_from_slice(&w32(0));
            exif.extend_from_slice(uc);
            let _ = exif_ifd_at;
            for e in entries.iter_mut() {
                if e.0 == 0x8769 {
                    e.3 = exif_off;
                }
            }
        }
        let mut v = if le {
            b"II*\0".to_vec()
        } else {
            b"MM\0*".to_vec()
        };
        v.extend_from_slice(&w32(ifd0 as u32));
        v.extend_from_slice(&w16(n as u16));
        for (tag, typ, count, val) in &entries {
            v.extend_from_slice(&w16(*tag));
            v.extend_from_slice(&w16(*typ));
            v.extend_from_slice(&w32(*count));
            if *typ == 2 && *count <= 4 {
                v.extend_from_slice(&val.to_ne_bytes());
            } else {
                v.extend_from_slice(&w32(*val));
            }
        }
        v.extend_from_slice(&w32(0));
        assert_eq!(v.len(), data_start);
        v.extend_from_slice(&data);
        v.extend_from_slice(&exif);
        v
    }

    fn jpeg_seg(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
    }

    fn jpeg_with(segs: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        jpeg_seg(&mut v, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        for (m, p) in segs {
            jpeg_seg(&mut v, *m, p);
        }
        jpeg_seg(&mut v, 0xDA, &[1, 1, 0, 0, 63, 0]);
        v.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
        v
    }

    const XMP_ATTR: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:dcterms="http://purl.org/dc/terms/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  xmp:CreatorTool="Adobe Photoshop 27.4 (Macintosh)"
  xmp:CreateDate="2025-01-01"
  photoshop:Credit='Made with &quot;AI&quot; &amp; love &#x263A;&#10;ok'
  Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
  dcterms:provenance="https://cai-manifests.adobe.com/manifests/urn-c2pa-123"/>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"#;

    const XMP_ELEM: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xap="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:ext="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
 xmlns:other="http://example.com/not-xmp/">
 <!-- <xap:CreatorTool>in a comment</xap:CreatorTool> -->
 <other:CreatorTool>wrong namespace</other:CreatorTool>
 <xap:CreatorTool>  GIMP 2.10
 </xap:CreatorTool>
 <dc:creator><rdf:Seq><rdf:li>Jane &lt;Doe&gt;</rdf:li><rdf:li>Second</rdf:li></rdf:Seq></dc:creator>
 <dc:description><rdf:Alt><rdf:li xml:lang="x-default">A cat in space</rdf:li></rdf:Alt></dc:description>
 <tiff:Make>Canon</tiff:Make>
 <tiff:Model><![CDATA[ignored]]></tiff:Model>
 <ext:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"/>
 <ext:AISystemUsed>Firefly</ext:AISystemUsed>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;

    // ---- tests ----

    #[test]
    fn xmp_attribute_form() {
        let c = parse_xmp(XMP_ATTR.as_bytes());
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Photoshop 27.4 (Macintosh)")
        );
        assert_eq!(
            get(&c, "xmp:dcterms:provenance"),
            Some("https://cai-manifests.adobe.com/manifests/urn-c2pa-123")
        );
        assert_eq!(
            get(&c, "xmp:photoshop:Credit"),
            Some("Made with \"AI\" & love \u{263A} ok")
        );
        assert_eq!(
            xmp_digital_source_type(XMP_ATTR.as_bytes()).as_deref(),
            Some("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
        );
        assert_eq!(
            digital_source_type_term(digital_source_type(&c).unwrap()),
            "trainedAlgorithmicMedia"
        );
        assert!(get(&c, "xmp:CreateDate").is_none());
        assert_eq!(c.len(), 4, "{c:#?}");
    }

    #[test]
    fn xmp_element_form() {
        let c = parse_xmp(XMP_ELEM.as_bytes());
        assert_eq!(get(&c, "xmp:CreatorTool"), Some("GIMP 2.10"), "{c:#?}");
        assert_eq!(get(&c, "xmp:dc:creator"), Some("Jane <Doe>"));
        assert_eq!(get(&c, "xmp:dc:description"), Some("A cat in space"));
        assert_eq!(get(&c, "xmp:tiff:Make"), Some("Canon"));
        assert_eq!(get(&c, "xmp:tiff:Model"), None);
        assert_eq!(
            digital_source_type(&c),
            Some("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia")
        );
        assert_eq!(get(&c, "xmp:Iptc4xmpExt:AISystemUsed"), Some("Firefly"));
        assert!(!c
            .iter()
            .any(|x| x.value.contains("wrong") || x.value.contains("comment")));
        // order follows XMP_PROPS
        assert_eq!(c[0].origin, "xmp:CreatorTool");
    }

    #[test]
    fn xmp_undeclared_and_broken() {
        // no xmlns at all (e.g. a truncated packet): canonical prefixes accepted
        let c = parse_xmp(b"<rdf:Description xmp:CreatorTool=\"Tool\"/>");
        assert_eq!(get(&c, "xmp:CreatorTool"), Some("Tool"));
        // canonical prefix bound to another namespace: rejected
        let c = parse_xmp(b"<d xmlns:xmp=\"urn:other\" xmp:CreatorTool=\"Tool\"/>");
        assert!(c.is_empty());
        // unterminated constructs stop the scan without panicking
        for s in [
            &b"<a b=\"unterminated"[..],
            b"<!-- never closed",
            b"<?pi",
            b"<xmp:CreatorTool>value without end",
            b"<xmp:CreatorTool><rdf:Alt><rdf:li",
            b"<",
            b"<<<<>>>>",
            b"&#xFFFFFFFFFF; &#99999999; &#;",
            b"\xFF\xFE<\0x\0",
        ] {
            let _ = parse_xmp(s);
        }
        let c = parse_xmp(
            b"<xmp:CreatorTool>a &#0;&#7;b&#x202E;c &bogus; &#99999999;</xmp:CreatorTool>",
        );
        assert_eq!(get(&c, "xmp:CreatorTool"), Some("a bc &bogus; \u{FFFD}"));
    }

    /// Pathological XMP packets stay fast (bounded look-ahead, no rescanning).
    #[test]
    fn xmp_pathological_inputs_are_linear() {
        let patterns: [&[u8]; 8] = [
            b"<xmp:CreatorTool>",
            b"<xmp:CreatorTool><rdf:Alt><rdf:li a=\"",
            b"<xmp:CreatorTool><rdf:Alt>         ",
            b"<d xmp:CreatorTool=\"\" xmlns:a=\"b\" ",
            b"&#x41;&amp;&",
            b"<x:xmpmet",
            b"<!-- -- <?",
            b"<a:b c='>' d=\"<\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">",
        ];
        let t = std::time::Instant::now();
        for p in patterns {
            let mut v = Vec::new();
            while v.len() < MAX_XMP_BYTES {
                v.extend_from_slice(p);
            }
            let _ = parse_xmp(&v);
            let _ = extract(&v, Format::Svg);
        }
        let secs = t.elapsed().as_secs_f64();
        assert!(secs < 10.0, "took {secs}s");
    }

    /// Large hostile containers: bounded work, bounded output.
    #[test]
    fn large_hostile_containers_are_fast() {
        const SIZE: usize = 16 << 20;
        let mut inputs: Vec<(Format, Vec<u8>)> = Vec::new();
        // JPEG: endless tiny COM segments, then fill bytes
        let mut j = vec![0xFF, 0xD8];
        while j.len() < SIZE / 2 {
            j.extend_from_slice(b"\xFF\xFE\0\x03x");
        }
        j.resize(SIZE, 0xFF);
        inputs.push((Format::Jpeg, j));
        // PNG: endless empty unknown chunks
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        while p.len() < SIZE {
            p.extend_from_slice(b"\0\0\0\0abCd\0\0\0\0");
        }
        inputs.push((Format::Png, p));
        // GIF: one comment extension with endless sub-blocks
        let mut g = b"GIF89a\x01\0\x01\0\0\0\0\x21\xFE".to_vec();
        while g.len() < SIZE {
            g.push(255);
            g.extend_from_slice(&[b'a'; 255]);
        }
        inputs.push((Format::Gif, g));
        // WebP: endless empty chunks
        let mut w = b"RIFF\0\0\0\0WEBP".to_vec();
        while w.len() < SIZE {
            w.extend_from_slice(b"JUNK\0\0\0\0");
        }
        inputs.push((Format::WebP, w));
        // fallback scan over near-matches
        let mut h = Vec::new();
        while h.len() < SIZE {
            h.extend_from_slice(b"<x:xmpmet<rdf:RD");
        }
        inputs.push((Format::Heic, h));
        let t = std::time::Instant::now();
        for (f, d) in &inputs {
            let c = extract(d, *f);
            assert!(c.len() <= MAX_CLAIMS);
        }
        let secs = t.elapsed().as_secs_f64();
        eprintln!("large hostile containers: {secs:.2}s");
        assert!(secs < 30.0, "took {secs}s");
    }

    #[test]
    fn value_cleaning_and_truncation() {
        assert_eq!(
            clean_value("  a\tb\r\n\nc \0\x1b[31m\u{9b}x  ", false).as_deref(),
            Some("a b c [31mx")
        );
        assert_eq!(clean_value(" \n\t\0", false), None);
        let long = "é".repeat(600);
        let v = clean_value(&long, false).unwrap();
        assert_eq!(v.chars().count(), MAX_VALUE_CHARS + 1);
        assert!(v.ends_with('…'));
        let exact = "x".repeat(MAX_VALUE_CHARS);
        assert_eq!(clean_value(&format!("{exact}   "), false).unwrap(), exact);
        assert!(clean_value("short", true).unwrap().ends_with('…'));
        // decode: a prefix cut inside a multi-byte char, Latin-1 fallback
        let mut big = vec![b'a'; MAX_VALUE_INPUT - 1];
        big.extend_from_slice("é".as_bytes());
        let (t, more) = decode(&big, Enc::Utf8OrLatin1);
        assert!(more && t.chars().all(|c| c == 'a'));
        let (t, _) = decode(b"caf\xE9", Enc::Utf8OrLatin1);
        assert_eq!(t, "café");
        let (t, _) = decode(b"caf\xE9", Enc::Utf8Lossy);
        assert_eq!(t, "caf\u{FFFD}");
    }

    #[test]
    fn png_text_chunks() {
        let itxt_plain = b"Title\0\0\0en\0Titel\0Ein Bild \xE2\x9C\x93".to_vec();
        let mut itxt_z = b"Description\0\x01\0\0\0".to_vec();
        itxt_z.extend_from_slice(&zlib("compressed ✓".as_bytes()));
        let mut ztxt = b"Software\0\0".to_vec();
        ztxt.extend_from_slice(&zlib(b"NovelAI"));
        let mut xmp_itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        xmp_itxt.extend_from_slice(XMP_ATTR.as_bytes());
        let exif = tiff(false, &[(0x0131, "ExifTool 12")], None, None);
        let png = png_with(&[
            (
                b"tEXt",
                kw_text("parameters", b"a duck\nSteps: 20, Sampler: Euler"),
            ),
            (b"tEXt", kw_text("Comment", b"caf\xE9")),
            (b"zTXt", ztxt),
            (b"iTXt", itxt_plain),
            (b"iTXt", itxt_z),
            (b"iTXt", xmp_itxt),
            (b"eXIf", exif),
            (b"tEXt", kw_text("bad\x1bkey\n", b"v")),
            (b"tEXt", b"no-nul-separator".to_vec()),
            (b"tEXt", kw_text("date:create", b"2025-01-01")),
            (b"tEXt", kw_text("exif:FNumber", b"28/10")),
            (b"tEXt", kw_text("exif:Software", b"Im 7")),
        ]);
        let c = extract(&png, Format::Png);
        assert_eq!(
            get(&c, "png:tEXt:parameters"),
            Some("a duck Steps: 20, Sampler: Euler")
        );
        assert_eq!(get(&c, "png:tEXt:Comment"), Some("café"));
        assert_eq!(get(&c, "png:zTXt:Software"), Some("NovelAI"));
        assert_eq!(get(&c, "png:iTXt:Title"), Some("Ein Bild ✓"));
        assert_eq!(get(&c, "png:iTXt:Description"), Some("compressed ✓"));
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Photoshop 27.4 (Macintosh)")
        );
        assert_eq!(get(&c, "exif:Software"), Some("ExifTool 12"));
        assert_eq!(get(&c, "png:tEXt:badkey"), Some("v"));
        assert_eq!(get(&c, "png:tEXt:exif:Software"), Some("Im 7"));
        assert!(!c.iter().any(|x| x.origin.contains("XML:com.adobe.xmp")));
        assert!(!c
            .iter()
            .any(|x| x.origin.contains("date:") || x.origin.contains("FNumber")));
        assert_eq!(c.len(), 12, "{c:#?}");
    }

    #[test]
    fn png_raw_profile() {
        let exif = tiff(true, &[(0x010F, "RawMake")], None, None);
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&exif);
        let mut text = format!("\nexif\n{:8}\n", payload.len());
        for (i, b) in payload.iter().enumerate() {
            text.push_str(&format!("{b:02x}"));
            if i % 36 == 35 {
                text.push('\n');
            }
        }
        let mut z = b"Raw profile type exif\0\0".to_vec();
        z.extend_from_slice(&zlib(text.as_bytes()));
        let c = extract(&png_with(&[(b"zTXt", z)]), Format::Png);
        assert_eq!(
            c,
            vec![MetadataClaim {
                origin: "exif:Make".into(),
                value: "RawMake".into()
            }]
        );
    }

    #[test]
    fn png_inflate_bomb_is_capped() {
        let zeros = vec![b'A'; 4 << 20];
        let bomb = zlib(&zeros);
        let mut chunks = Vec::new();
        for i in 0..8 {
            let mut z = format!("k{i}\0\0").into_bytes();
            z.extend_from_slice(&bomb);
            chunks.push((b"zTXt", z));
        }
        let mut xmp_bomb = b"XML:com.adobe.xmp\0\x01\0\0\0".to_vec();
        xmp_bomb.extend_from_slice(&bomb);
        chunks.push((b"iTXt", xmp_bomb));
        let png = png_with(&chunks);
        let t = std::time::Instant::now();
        let c = extract(&png, Format::Png);
        assert_eq!(c.len(), 8);
        for x in &c {
            assert_eq!(x.value.chars().count(), MAX_VALUE_CHARS + 1);
        }
        assert!(t.elapsed().as_secs() < 20);
    }

    #[test]
    fn claim_cap() {
        let chunks: Vec<(&[u8; 4], Vec<u8>)> = (0..300)
            .map(|i| {
                (
                    b"tEXt",
                    kw_text(&format!("key{i}"), format!("value {i}").as_bytes()),
                )
            })
            .collect();
        let c = extract(&png_with(&chunks), Format::Png);
        assert_eq!(c.len(), MAX_CLAIMS);
        // duplicates are dropped
        let dup: Vec<(&[u8; 4], Vec<u8>)> =
            (0..10).map(|_| (b"tEXt", kw_text("k", b"same"))).collect();
        assert_eq!(extract(&png_with(&dup), Format::Png).len(), 1);
    }

    #[test]
    fn jpeg_exif_xmp_iptc_com() {
        let mut uc = b"UNICODE\0".to_vec();
        for u in "Steps: 20, Model: sdxl".encode_utf16() {
            uc.extend_from_slice(&u.to_be_bytes());
        }
        let t = tiff(
            true,
            &[
                (0x010E, "A description"),
                (0x010F, "Canon"),
                (0x0110, "EOS R5"),
                (0x0131, "Adobe Photoshop 25.0"),
                (0x013B, "Jane"),
                (0x8298, "(c) nobody"),
            ],
            Some(&uc),
            None,
        );
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&t);
        let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        xmp.extend_from_slice(XMP_ELEM.as_bytes());
        // Photoshop IRB with IPTC-IIM
        let mut iim = Vec::new();
        for (ds, v) in [
            (65u8, &b"Midjourney"[..]),
            (110, b"Credit line"),
            (25, b"keyword"),
        ] {
            iim.extend_from_slice(&[0x1C, 2, ds]);
            iim.extend_from_slice(&(v.len() as u16).to_be_bytes());
            iim.extend_from_slice(v);
        }
        let mut app13 = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
        app13.extend_from_slice(&(iim.len() as u32).to_be_bytes());
        app13.extend_from_slice(&iim);
        let jpg = jpeg_with(&[
            (0xE1, app1),
            (0xE1, xmp),
            (0xED, app13),
            (0xFE, b"made by gd-jpeg".to_vec()),
        ]);
        let c = extract(&jpg, Format::Jpeg);
        assert_eq!(get(&c, "exif:Make"), Some("Canon"));
        assert_eq!(get(&c, "exif:Model"), Some("EOS R5"));
        assert_eq!(get(&c, "exif:Software"), Some("Adobe Photoshop 25.0"));
        assert_eq!(get(&c, "exif:Artist"), Some("Jane"));
        assert_eq!(get(&c, "exif:ImageDescription"), Some("A description"));
        assert_eq!(get(&c, "exif:UserComment"), Some("Steps: 20, Model: sdxl"));
        assert_eq!(get(&c, "xmp:CreatorTool"), Some("GIMP 2.10"));
        assert_eq!(get(&c, "iptc:OriginatingProgram"), Some("Midjourney"));
        assert_eq!(get(&c, "iptc:Credit"), Some("Credit line"));
        assert_eq!(get(&c, "jpeg:COM"), Some("made by gd-jpeg"));
        assert!(!c
            .iter()
            .any(|x| x.value.contains("nobody") || x.value == "keyword"));
        // big-endian EXIF too
        let t = tiff(
            false,
            &[(0x010F, "Nikon"), (0x0110, "Z9"), (0x0131, "fw 1.0")],
            None,
            None,
        );
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&t);
        let c = extract(&jpeg_with(&[(0xE1, app1)]), Format::Jpeg);
        assert_eq!(
            c.iter()
                .map(|x| (x.origin.as_str(), x.value.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("exif:Make", "Nikon"),
                ("exif:Model", "Z9"),
                ("exif:Software", "fw 1.0")
            ]
        );
    }

    #[test]
    fn hostile_ifds() {
        // entry count 65535 in a tiny file, ExifIFD pointing back at IFD0,
        // value offsets and counts out of range
        let mut t = b"II*\0\x08\0\0\0".to_vec();
        t.extend_from_slice(&4u16.to_le_bytes());
        for (tag, typ, count, val) in [
            (0x8769u16, 4u16, 1u32, 8u32),
            (0x010F, 2, 0xFFFF_FFFF, 0xFFFF_FFF0),
            (0x0110, 2, 3, u32::from_le_bytes(*b"ab\0\0")),
            (0x0131, 2, 100, 0xFFFF_FFFF),
        ] {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&typ.to_le_bytes());
            t.extend_from_slice(&count.to_le_bytes());
            t.extend_from_slice(&val.to_le_bytes());
        }
        let c = extract(&t, Format::Tiff);
        assert_eq!(
            c,
            vec![MetadataClaim {
                origin: "exif:Model".into(),
                value: "ab".into()
            }]
        );
        let mut huge = b"MM\0*\0\0\0\x08\xFF\xFF".to_vec();
        huge.resize(200_000, 0x41);
        assert!(extract(&huge, Format::Tiff).is_empty());
    }

    #[test]
    fn tiff_with_xmp_tag() {
        let t = tiff(
            true,
            &[(0x0131, "DNG Converter")],
            None,
            Some(XMP_ATTR.as_bytes()),
        );
        let c = extract(&t, Format::Dng);
        assert_eq!(get(&c, "exif:Software"), Some("DNG Converter"));
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Photoshop 27.4 (Macintosh)")
        );
    }

    #[test]
    fn webp_and_gif() {
        let exif = tiff(true, &[(0x0131, "libwebp")], None, None);
        let mut riff = b"RIFF\0\0\0\0WEBP".to_vec();
        for (id, body) in [
            (b"VP8X", vec![0u8; 10]),
            (b"EXIF", exif),
            (b"XMP ", XMP_ATTR.as_bytes().to_vec()),
        ] {
            riff.extend_from_slice(id);
            riff.extend_from_slice(&(body.len() as u32).to_le_bytes());
            riff.extend_from_slice(&body);
            if body.len() % 2 == 1 {
                riff.push(0);
            }
        }
        let c = extract(&riff, Format::WebP);
        assert_eq!(get(&c, "exif:Software"), Some("libwebp"));
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Photoshop 27.4 (Macintosh)")
        );

        let mut gif = b"GIF89a\x01\0\x01\0\x80\0\0".to_vec();
        gif.extend_from_slice(&[0, 0, 0, 255, 255, 255]); // 2-entry GCT
        gif.extend_from_slice(b"\x21\xFE\x05hello\x06 world\0");
        gif.extend_from_slice(b"\x21\xFF\x0bXMP DataXMP");
        gif.extend_from_slice(XMP_ELEM.as_bytes());
        gif.push(1);
        for b in (0..=255u8).rev() {
            gif.push(b);
        }
        gif.extend_from_slice(&[0, 0]);
        gif.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0\x3B");
        let c = extract(&gif, Format::Gif);
        assert_eq!(get(&c, "gif:Comment"), Some("hello world"));
        assert_eq!(get(&c, "xmp:CreatorTool"), Some("GIMP 2.10"), "{c:#?}");
    }

    #[test]
    fn fallback_xmp_scan() {
        let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        heic.extend_from_slice(&[0u8; 100]);
        heic.extend_from_slice(XMP_ATTR.as_bytes());
        let c = extract(&heic, Format::Heic);
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Photoshop 27.4 (Macintosh)")
        );
        assert!(extract(&heic, Format::Unknown).is_empty());
    }

    /// A mutated-input smoke test: 20,000 inputs derived from real and
    /// constructed files, fed to `extract` (with the sniffed and with
    /// other formats) and `sniff_full`; asserts no panic and bounded output.
    #[test]
    fn fuzz_no_panic_bounded_output() {
        struct Rng(u64);
        impl Rng {
            fn next(&mut self) -> u64 {
                let mut x = self.0;
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                self.0 = x;
                x
            }
            fn below(&mut self, n: usize) -> usize {
                if n == 0 {
                    0
                } else {
                    (self.next() % n as u64) as usize
                }
            }
        }
        let mut seeds: Vec<Vec<u8>> = Vec::new();
        let exif = tiff(
            true,
            &[(0x010F, "Make"), (0x0131, "Soft")],
            Some(b"ASCII\0\0\0hello"),
            Some(XMP_ELEM.as_bytes()),
        );
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&exif);
        let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        xmp.extend_from_slice(XMP_ATTR.as_bytes());
        seeds.push(jpeg_with(&[
            (0xE1, app1),
            (0xE1, xmp),
            (0xFE, b"c".to_vec()),
        ]));
        let mut z = b"prompt\0\0".to_vec();
        z.extend_from_slice(&zlib(b"{\"a\": 1}"));
        seeds.push(png_with(&[
            (b"tEXt", kw_text("parameters", b"x\ny")),
            (b"zTXt", z),
            (b"eXIf", exif.clone()),
        ]));
        seeds.push(exif);
        seeds.push(XMP_ELEM.as_bytes().to_vec());
        if let Some(root) = corpus("fuzz_no_panic_bounded_output (corpus seeds)") {
            for p in [
                "generators/none/automatic1111_cropped.png",
                "generators/none/img2img_cropped.png",
                "generators/none/novelai1_cropped.png",
                "generators/adobe/PirateShip_save_credentials_to_cloud.jpg",
                "conformance/gif/sample1.gif",
                "conformance/webp/test_xmp.webp",
                "conformance/tiff/test.tiff",
                "conformance/heif/sample1.heif",
            ] {
                if let Ok(mut d) = std::fs::read(root.join(p)) {
                    d.truncate(48 << 10);
                    seeds.push(d);
                }
            }
        }
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let other = [
            Format::Jpeg,
            Format::Png,
            Format::Gif,
            Format::WebP,
            Format::Tiff,
            Format::Heic,
        ];
        for iter in 0..20_000usize {
            let mut d = if iter % 10 == 0 {
                (0..rng.below(2048)).map(|_| rng.next() as u8).collect()
            } else {
                seeds[rng.below(seeds.len())].clone()
            };
            for _ in 0..=rng.below(8) {
                if d.is_empty() {
                    break;
                }
                let i = rng.below(d.len());
                match rng.below(6) {
                    0 => d[i] = rng.next() as u8,
                    1 => d[i] ^= 1 << rng.below(8),
                    2 => d.truncate(i),
                    3 => {
                        let end = (i + 4).min(d.len());
                        for b in &mut d[i..end] {
                            *b = 0xFF;
                        }
                    }
                    4 => {
                        let n = rng.below(64).min(d.len() - i);
                        let chunk = d[i..i + n].to_vec();
                        let at = rng.below(d.len());
                        d.splice(at..at, chunk);
                    }
                    _ => d.insert(i, rng.next() as u8),
                }
            }
            let f = sniff_full(&d);
            let fmt = if iter % 3 == 0 {
                other[iter / 3 % other.len()]
            } else {
                f
            };
            let claims = extract(&d, fmt);
            assert!(claims.len() <= MAX_CLAIMS);
            for c in &claims {
                assert!(c.value.chars().count() <= MAX_VALUE_CHARS + 1);
                assert!(!c.value.is_empty() && c.value.trim() == c.value);
                assert!(!c.value.chars().any(|ch| ch.is_control()));
                assert!(
                    c.origin.chars().count() <= 100 && !c.origin.chars().any(|ch| ch.is_control())
                );
            }
        }
    }

    #[test]
    fn corpus_generators() {
        let Some(root) = corpus("corpus_generators") else {
            return;
        };
        let g = root.join("generators");
        let read = |p: &str| {
            let d = std::fs::read(g.join(p)).unwrap();
            let f = sniff_full(&d);
            let c = extract(&d, f);
            eprintln!("{p} ({f}):");
            for x in &c {
                let short: String = x.value.chars().take(100).collect();
                eprintln!("    {} = {short}", x.origin);
            }
            c
        };

        let c = read("none/automatic1111_cropped.png");
        let p = get(&c, "png:tEXt:parameters").unwrap();
        assert!(
            p.starts_with("photo of a duck Negative prompt: monochrome Steps: 15"),
            "{p}"
        );
        assert!(p.contains("Model hash: c0d1994c73"));

        let c = read("none/img2img_cropped.png");
        assert!(get(&c, "png:tEXt:prompt")
            .unwrap()
            .starts_with("{\"3\": {\"inputs\""));
        let w = get(&c, "png:tEXt:workflow").unwrap();
        assert!(w.starts_with("{\"last_node_id\": 13") && w.ends_with('…'));
        assert_eq!(w.chars().count(), MAX_VALUE_CHARS + 1);

        let c = read("none/novelai1_cropped.png");
        assert_eq!(get(&c, "png:tEXt:Software"), Some("NovelAI"));
        assert_eq!(
            get(&c, "png:tEXt:Source"),
            Some("Stable Diffusion 1D44365E")
        );
        assert_eq!(get(&c, "png:tEXt:Title"), Some("AI generated image"));
        assert!(get(&c, "png:tEXt:Comment")
            .unwrap()
            .starts_with("{\"steps\": 50"));

        let c = read("adobe/PirateShip_save_credentials_to_cloud.jpg");
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Photoshop 27.4 (Macintosh)")
        );
        assert!(get(&c, ORIGIN_PROVENANCE)
            .unwrap()
            .starts_with("https://cai-manifests.adobe.com/manifests/urn-c2pa-d41d1251-"));

        let c = read("adobe/crater-lake-cr.jpg");
        assert_eq!(
            get(&c, "xmp:CreatorTool"),
            Some("Adobe Lightroom 8.5.1 (Macintosh)")
        );
        assert_eq!(
            get(&c, ORIGIN_PROVENANCE),
            Some("https://cai-manifests.adobe.com/manifests/urn-uuid-3ad678ce-1d4e-4bc0-a9ea-62185b89c815")
        );

        // control: same picture without credentials: no tool or provenance claim
        let c = read("adobe/crater-lake.jpeg");
        assert!(get(&c, "xmp:CreatorTool").is_none());
        assert!(get(&c, ORIGIN_PROVENANCE).is_none());
        assert!(digital_source_type(&c).is_none());
    }

    /// Every corpus file: extract never panics and stays bounded; prints a summary.
    #[test]
    fn corpus_all_files_bounded() {
        let Some(root) = corpus("corpus_all_files_bounded") else {
            return;
        };
        let mut files = Vec::new();
        for sub in ["generators", "conformance"] {
            let Ok(dirs) = std::fs::read_dir(root.join(sub)) else {
                continue;
            };
            for d in dirs.flatten() {
                if let Ok(entries) = std::fs::read_dir(d.path()) {
                    files.extend(entries.flatten().map(|e| e.path()));
                }
            }
        }
        files.sort();
        let mut with_claims = 0;
        for p in &files {
            let d = std::fs::read(p).unwrap();
            let f = sniff_full(&d);
            let c = extract(&d, f);
            assert!(c.len() <= MAX_CLAIMS);
            if !c.is_empty() {
                with_claims += 1;
                let origins: Vec<&str> = c.iter().map(|x| x.origin.as_str()).collect();
                eprintln!("{} ({f}): {origins:?}", p.display());
            }
        }
        eprintln!(
            "{with_claims} of {} corpus files have metadata claims",
            files.len()
        );
        assert!(files.len() > 100);
    }
}
