//! Format detection from content (magic bytes), and from file extensions.
//!
//! [`sniff`] looks only at the first bytes of a file (callers pass up to 4 KiB);
//! [`sniff_full`] may look further to refine a guess: a TIFF whose IFD0 lies
//! beyond the head is checked for the `DNGVersion` tag, and an ID3v2 tag that is
//! larger than the head is skipped to see whether FLAC data follows it.
//!
//! Every function here is total: no panics, no unchecked indexing, no
//! arithmetic overflow, constant extra memory and O(n) time on any input.
//!
//! [`Format::mime`] returns the MIME strings that the `c2pa` crate (0.90.22)
//! lists in its asset handlers' `supported_types`, so the value can be passed to
//! `c2pa::Reader::from_stream` as is.
#![deny(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::container::bytes::{be32, find, rd16, to_usize};
use super::container::tiff;
use serde::{Deserialize, Serialize};

/// A file format, as far as provcheck cares.
///
/// Serialized in kebab-case, i.e. the same short lowercase names that
/// [`Format::name`] returns (`WebP` is explicitly renamed to `"webp"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    #[serde(rename = "webp")]
    WebP,
    Tiff,
    Dng,
    Heic,
    Heif,
    Avif,
    Jxl,
    Svg,
    Mp4,
    Mov,
    M4a,
    Wav,
    Avi,
    Mp3,
    Flac,
    Pdf,
    Unknown,
}

/// The formats provcheck checks, in words, for messages.
pub const SUPPORTED_IN_WORDS: &str = "JPEG, PNG, WebP, GIF, TIFF, DNG, HEIC, HEIF, AVIF, JPEG XL, SVG, MP4, MOV, M4A, WAV, AVI, MP3, FLAC, PDF";

impl Format {
    /// Every variant, `Unknown` last.
    #[cfg(test)]
    pub const ALL: [Format; 20] = [
        Format::Jpeg,
        Format::Png,
        Format::Gif,
        Format::WebP,
        Format::Tiff,
        Format::Dng,
        Format::Heic,
        Format::Heif,
        Format::Avif,
        Format::Jxl,
        Format::Svg,
        Format::Mp4,
        Format::Mov,
        Format::M4a,
        Format::Wav,
        Format::Avi,
        Format::Mp3,
        Format::Flac,
        Format::Pdf,
        Format::Unknown,
    ];

    /// The MIME type, spelled as c2pa 0.90.22 accepts it
    /// (`application/octet-stream` for `Unknown`, which c2pa rejects).
    pub fn mime(&self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::WebP => "image/webp",
            Format::Tiff => "image/tiff",
            Format::Dng => "image/x-adobe-dng",
            Format::Heic => "image/heic",
            Format::Heif => "image/heif",
            Format::Avif => "image/avif",
            Format::Jxl => "image/jxl",
            Format::Svg => "image/svg+xml",
            Format::Mp4 => "video/mp4",
            Format::Mov => "video/quicktime",
            Format::M4a => "audio/mp4",
            Format::Wav => "audio/wav",
            Format::Avi => "video/avi",
            Format::Mp3 => "audio/mpeg",
            Format::Flac => "audio/flac",
            Format::Pdf => "application/pdf",
            Format::Unknown => "application/octet-stream",
        }
    }

    /// ISO BMFF formats: those the c2pa SDK reads with its BMFF handler (by the MIME type
    /// [`Format::mime`] gives it), whose hard binding is a BMFF hash.
    pub(crate) fn is_bmff(&self) -> bool {
        matches!(
            self,
            Format::Heic | Format::Heif | Format::Avif | Format::Mp4 | Format::Mov | Format::M4a
        )
    }

    /// Short lowercase name (same as the serde name): "jpeg", "webp", "unknown", ...
    pub fn name(&self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::WebP => "webp",
            Format::Tiff => "tiff",
            Format::Dng => "dng",
            Format::Heic => "heic",
            Format::Heif => "heif",
            Format::Avif => "avif",
            Format::Jxl => "jxl",
            Format::Svg => "svg",
            Format::Mp4 => "mp4",
            Format::Mov => "mov",
            Format::M4a => "m4a",
            Format::Wav => "wav",
            Format::Avi => "avi",
            Format::Mp3 => "mp3",
            Format::Flac => "flac",
            Format::Pdf => "pdf",
            Format::Unknown => "unknown",
        }
    }

    #[cfg(test)]
    /// The inverse of [`Format::name`] (exact, lowercase); `None` for anything else.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How many leading bytes [`sniff`] looks at; callers should pass at least this
/// many when the file is that large.
pub const HEAD_LEN: usize = 4096;

/// The DNGVersion TIFF tag.
const TAG_DNG_VERSION: u16 = 50706;
/// At most this many IFD0 entries are examined.
const MAX_IFD_ENTRIES: usize = 1000;

/// Detect the format from the first bytes of a file (only the first
/// [`HEAD_LEN`] bytes are looked at). A TIFF is reported as `Dng` only when
/// its IFD0 lies inside `head`; use [`sniff_full`] to be sure.
pub fn sniff(head: &[u8]) -> Format {
    let head = head.get(..HEAD_LEN).unwrap_or(head);

    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Format::Jpeg;
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Format::Png;
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Format::Gif;
    }
    if head.starts_with(b"RIFF") {
        return match head.get(8..12) {
            Some(b"WEBP") => Format::WebP,
            Some(b"WAVE") => Format::Wav,
            Some(b"AVI ") => Format::Avi,
            _ => Format::Unknown,
        };
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return match tiff_ifd0_has_tag(head, TAG_DNG_VERSION) {
            Some(true) => Format::Dng,
            _ => Format::Tiff,
        };
    }
    // BigTIFF: c2pa's TIFF handler reads it; DNG is never BigTIFF in practice.
    if head.starts_with(b"II+\0") || head.starts_with(b"MM\0+") {
        return Format::Tiff;
    }
    // JPEG XL: bare codestream, or the 12-byte signature box of the container.
    if head.starts_with(&[0xFF, 0x0A]) || head.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Format::Jxl;
    }
    if head.get(4..8) == Some(b"ftyp") {
        return bmff_brand(head);
    }
    // Old QuickTime files without an ftyp box start directly with one of these atoms.
    if let Some(size) = be32(head, 0) {
        if size >= 8 && matches!(head.get(4..8), Some(b"moov" | b"mdat" | b"wide" | b"pnot")) {
            return Format::Mov;
        }
    }
    if head.starts_with(b"fLaC") {
        return Format::Flac;
    }
    if head.starts_with(b"ID3") {
        // FLAC may also start with an ID3v2 tag (c2pa's FLAC handler accepts it).
        if let Some(end) = id3_end(head) {
            if let Some(after) = head.get(end..) {
                if after.starts_with(b"fLaC") {
                    return Format::Flac;
                }
            }
        }
        return Format::Mp3;
    }
    // PDF: the header may be preceded by junk within the first 1024 bytes.
    if find(head.get(..1024).unwrap_or(head), b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if is_svg(head) {
        return Format::Svg;
    }
    if is_mpeg_audio(head) {
        return Format::Mp3;
    }
    Format::Unknown
}

/// Like [`sniff`] but with the whole file (or as much of it as the caller has):
/// refines `Tiff` to `Dng` by walking IFD0 wherever it is, and `Mp3` to `Flac`
/// when an ID3v2 tag larger than the head is followed by `fLaC`.
pub fn sniff_full(data: &[u8]) -> Format {
    let f = sniff(data);
    match f {
        Format::Tiff => match tiff_ifd0_has_tag(data, TAG_DNG_VERSION) {
            Some(true) => Format::Dng,
            _ => Format::Tiff,
        },
        Format::Mp3 if data.starts_with(b"ID3") => {
            let flac = id3_end(data)
                .and_then(|end| data.get(end..))
                .is_some_and(|rest| rest.starts_with(b"fLaC"));
            if flac {
                Format::Flac
            } else {
                Format::Mp3
            }
        }
        other => other,
    }
}

/// Format from a file extension (without the dot), case-insensitive.
pub fn format_from_extension(ext: &str) -> Format {
    let ext = ext.strip_prefix('.').unwrap_or(ext);
    match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "jpe" | "jfif" => Format::Jpeg,
        "png" => Format::Png,
        "gif" => Format::Gif,
        "webp" => Format::WebP,
        "tif" | "tiff" => Format::Tiff,
        "dng" => Format::Dng,
        "heic" => Format::Heic,
        "heif" => Format::Heif,
        "avif" => Format::Avif,
        "jxl" => Format::Jxl,
        "svg" => Format::Svg,
        "mp4" | "m4v" => Format::Mp4,
        "mov" | "qt" => Format::Mov,
        "m4a" => Format::M4a,
        "wav" => Format::Wav,
        "avi" => Format::Avi,
        "mp3" => Format::Mp3,
        "flac" => Format::Flac,
        "pdf" => Format::Pdf,
        _ => Format::Unknown,
    }
}

// ---------------------------------------------------------------------------
// helpers

/// Whether a classic TIFF's IFD0 has `tag`. `None` when the header or IFD0 is
/// not (entirely) inside `d`: entries past the end of `d` are not examined.
fn tiff_ifd0_has_tag(d: &[u8], tag: u16) -> Option<bool> {
    let (le, ifd) = tiff::header(d)?;
    let ifd = to_usize(ifd)?;
    let count = usize::from(rd16(d, ifd, le)?).min(MAX_IFD_ENTRIES);
    for i in 0..count {
        let t = rd16(d, tiff::entry_offset(ifd, i)?, le)?;
        if t == tag {
            return Some(true);
        }
    }
    Some(false)
}

/// Offset just past an ID3v2 tag (header + body + optional footer).
fn id3_end(d: &[u8]) -> Option<usize> {
    let h = d.get(..10)?;
    if h.get(..3)? != b"ID3" {
        return None;
    }
    let flags = *h.get(5)?;
    let mut size: usize = 0;
    for &b in h.get(6..10)? {
        if b & 0x80 != 0 {
            return None;
        }
        size = size.checked_mul(128)?.checked_add(usize::from(b))?;
    }
    let footer = if flags & 0x10 != 0 { 10 } else { 0 };
    size.checked_add(10)?.checked_add(footer)
}

/// Classify an ISO-BMFF file by its `ftyp` box (which starts at offset 0).
fn bmff_brand(head: &[u8]) -> Format {
    let Some(major) = head.get(8..12) else {
        return Format::Unknown;
    };
    let size = be32(head, 0).and_then(|s| usize::try_from(s).ok());
    let end = size.unwrap_or(0).clamp(16, 16 + 4 * 64).min(head.len());
    let compat: Vec<&[u8]> = head.get(16..end).unwrap_or(&[]).chunks_exact(4).collect();
    let has = |brands: &[&[u8]]| compat.iter().any(|c| brands.contains(c));

    const AVIF: &[&[u8]] = &[b"avif", b"avis"];
    const HEIC: &[&[u8]] = &[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
    ];
    const HEIF: &[&[u8]] = &[b"mif1", b"msf1", b"mif2"];
    const M4A: &[&[u8]] = &[b"M4A ", b"M4B ", b"M4P "];
    const MP4: &[&[u8]] = &[
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41",
        b"mp42", b"mp71", b"avc1", b"dash", b"mmp4", b"M4V ", b"M4VH", b"M4VP", b"f4v ", b"MSNV",
        b"XAVC", b"NDAS", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"cmfc", b"cmf2",
    ];

    if AVIF.contains(&major) {
        return Format::Avif;
    }
    if HEIC.contains(&major) {
        return Format::Heic;
    }
    if HEIF.contains(&major) {
        // A generic HEIF brand: AVIF if an AVIF brand is listed, else plain HEIF
        // (even when "heic" is listed: conformance/heif/sample1.heif is
        // "mif1" + [mif1, heic] and is expected as HEIF).
        return if has(AVIF) {
            Format::Avif
        } else {
            Format::Heif
        };
    }
    if major == b"qt  " {
        return Format::Mov;
    }
    if M4A.contains(&major) {
        return Format::M4a;
    }
    if MP4.contains(&major) {
        return Format::Mp4;
    }
    // Unrecognised major brand: fall back on the compatible brands.
    if has(AVIF) {
        Format::Avif
    } else if has(HEIC) {
        Format::Heic
    } else if has(HEIF) {
        Format::Heif
    } else if has(&[b"qt  "]) {
        Format::Mov
    } else if has(M4A) {
        Format::M4a
    } else if has(MP4) {
        Format::Mp4
    } else {
        Format::Unknown
    }
}

/// SVG: optional UTF-8 BOM and whitespace, then markup (`<?xml`, `<!--`,
/// `<!DOCTYPE`, or `<svg` itself) with an `<svg` start tag somewhere in the head.
fn is_svg(head: &[u8]) -> bool {
    let mut s = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    while let Some((first, rest)) = s.split_first() {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    if !s.starts_with(b"<") {
        return false;
    }
    let mut from = 0usize;
    while let Some(rest) = s.get(from..) {
        let Some(i) = find(rest, b"<svg") else {
            return false;
        };
        let after = from.saturating_add(i).saturating_add(4);
        match s.get(after) {
            Some(c) if c.is_ascii_whitespace() || *c == b'>' || *c == b'/' => return true,
            // "<svg" cut off by the end of the head: good enough.
            None => return true,
            _ => from = after,
        }
    }
    false
}

/// MPEG audio frame length in bytes from a 4-byte header; `None` if the header
/// is invalid or uses the free-format bitrate.
fn mpeg_frame_len(h: &[u8]) -> Option<usize> {
    let (b0, b1, b2) = (*h.first()?, *h.get(1)?, *h.get(2)?);
    let b3 = *h.get(3)?;
    if b0 != 0xFF || b1 & 0xE0 != 0xE0 {
        return None;
    }
    let version = (b1 >> 3) & 3; // 0 = 2.5, 1 = reserved, 2 = 2, 3 = 1
    let layer = (b1 >> 1) & 3; // 0 = reserved, 1 = III, 2 = II, 3 = I
    let br_idx = usize::from(b2 >> 4);
    let sr_idx = usize::from((b2 >> 2) & 3);
    let padding = usize::from((b2 >> 1) & 1);
    if version == 1 || layer == 0 || br_idx == 0 || br_idx == 15 || sr_idx == 3 || b3 & 3 == 2 {
        return None;
    }
    const BR_V1_L1: [u16; 15] = [
        0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
    ];
    const BR_V1_L2: [u16; 15] = [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
    ];
    const BR_V1_L3: [u16; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const BR_V2_L1: [u16; 15] = [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
    ];
    const BR_V2_L23: [u16; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    const SR_V1: [u32; 3] = [44100, 48000, 32000];
    let table = match (version == 3, layer) {
        (true, 3) => &BR_V1_L1,
        (true, 2) => &BR_V1_L2,
        (true, _) => &BR_V1_L3,
        (false, 3) => &BR_V2_L1,
        (false, _) => &BR_V2_L23,
    };
    let bitrate = u32::from(*table.get(br_idx)?).checked_mul(1000)?;
    let sr = SR_V1.get(sr_idx)?
        >> match version {
            3 => 0,
            2 => 1,
            _ => 2,
        };
    if sr == 0 {
        return None;
    }
    let len = if layer == 3 {
        12u32
            .checked_mul(bitrate)?
            .checked_div(sr)?
            .checked_add(padding as u32)?
            .checked_mul(4)?
    } else {
        let coeff: u32 = if layer == 1 && version != 3 { 72 } else { 144 };
        coeff
            .checked_mul(bitrate)?
            .checked_div(sr)?
            .checked_add(padding as u32)?
    };
    usize::try_from(len).ok().filter(|&l| l >= 4)
}

/// A bare MPEG audio stream: a valid frame header at offset 0, and, when the
/// next frame starts inside `head`, a valid header there too.
fn is_mpeg_audio(head: &[u8]) -> bool {
    let Some(len) = mpeg_frame_len(head) else {
        return false;
    };
    match head.get(len..len.saturating_add(4)) {
        Some(next) => mpeg_frame_len(next).is_some(),
        None => true,
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Format::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"), Format::Png);
        assert_eq!(sniff(b"GIF89a\x01\0"), Format::Gif);
        assert_eq!(sniff(b"GIF87a"), Format::Gif);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Format::WebP);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), Format::Wav);
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI LIST"), Format::Avi);
        assert_eq!(sniff(b"RIFF\0\0\0\0XXXX"), Format::Unknown);
        assert_eq!(sniff(b"II*\0\x08\0\0\0\0\0"), Format::Tiff);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08\0\0"), Format::Tiff);
        assert_eq!(sniff(b"\xFF\x0A\xFA"), Format::Jxl);
        assert_eq!(
            sniff(b"\0\0\0\x0cJXL \r\n\x87\n\0\0\0\x14ftypjxl "),
            Format::Jxl
        );
        assert_eq!(sniff(b"fLaC\0\0\0\x22"), Format::Flac);
        assert_eq!(sniff(b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(
            sniff(b"\xEF\xBB\xBF  \n<?xml version=\"1.0\"?>\n<svg xmlns=\"x\"/>"),
            Format::Svg
        );
        assert_eq!(sniff(b"<svg width=\"1\"/>"), Format::Svg);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><html/>"), Format::Unknown);
        assert_eq!(sniff(b"<svgfoo/>"), Format::Unknown);
        assert_eq!(sniff(b"hello"), Format::Unknown);
        assert_eq!(sniff(b""), Format::Unknown);
        assert_eq!(sniff(b"\xFF"), Format::Unknown);
    }

    #[test]
    fn mp3_and_id3() {
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\x10"), Format::Mp3);
        // ID3 tag of 2 bytes body followed by fLaC
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\x02\0\0fLaC"), Format::Flac);
        // MPEG-1 layer III 128 kbit/s 44.1 kHz: frame length 417
        let mut v = vec![0u8; 1000];
        v[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
        v[417..421].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
        assert_eq!(sniff(&v), Format::Mp3);
        v[417] = 0;
        assert_eq!(sniff(&v), Format::Unknown);
        // AAC ADTS (layer bits 00) is not MP3
        assert_eq!(sniff(&[0xFF, 0xF1, 0x50, 0x80, 0, 0]), Format::Unknown);
        // a big ID3 tag: only sniff_full sees the fLaC after it
        let mut big = b"ID3\x04\0\0\0\0\x40\0".to_vec(); // 8192 bytes
        big.resize(10 + 8192, 0);
        big.extend_from_slice(b"fLaC");
        assert_eq!(sniff(&big), Format::Mp3);
        assert_eq!(sniff_full(&big), Format::Flac);
    }

    #[test]
    fn bmff_brands() {
        fn ftyp(major: &[u8; 4], compat: &[&[u8; 4]]) -> Vec<u8> {
            let size = 16 + 4 * compat.len();
            let mut v = (size as u32).to_be_bytes().to_vec();
            v.extend_from_slice(b"ftyp");
            v.extend_from_slice(major);
            v.extend_from_slice(&[0, 0, 0, 0]);
            for c in compat {
                v.extend_from_slice(*c);
            }
            v.extend_from_slice(b"\0\0\0\x08free");
            v
        }
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1", b"heic"])), Format::Heic);
        assert_eq!(sniff(&ftyp(b"heix", &[])), Format::Heic);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"heic"])), Format::Heif);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"avif", b"mif1"])), Format::Avif);
        assert_eq!(sniff(&ftyp(b"avif", &[b"mif1"])), Format::Avif);
        assert_eq!(sniff(&ftyp(b"avis", &[])), Format::Avif);
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), Format::Mov);
        assert_eq!(sniff(&ftyp(b"M4A ", &[b"M4A ", b"mp42"])), Format::M4a);
        assert_eq!(sniff(&ftyp(b"isom", &[b"iso2", b"avc1"])), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"mp42", &[])), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"iso6", &[b"dash"])), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"zzzz", &[b"isom"])), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"crx ", &[b"crx "])), Format::Unknown);
        // truncated / lying ftyp sizes
        assert_eq!(sniff(b"\xFF\xFF\xFF\xFFftypheic"), Format::Heic);
        assert_eq!(sniff(b"\0\0\0\0ftyp"), Format::Unknown);
        assert_eq!(sniff(b"\0\0\0\x08moov"), Format::Mov);
    }

    #[test]
    fn dng_detection() {
        // IFD0 at offset 8 with two entries, the second DNGVersion.
        let mut d = b"II*\0\x08\0\0\0".to_vec();
        d.extend_from_slice(&2u16.to_le_bytes());
        for tag in [256u16, 50706] {
            d.extend_from_slice(&tag.to_le_bytes());
            d.extend_from_slice(&[1, 0, 4, 0, 0, 0, 1, 2, 3, 4]);
        }
        d.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(sniff(&d), Format::Dng);
        assert_eq!(sniff_full(&d), Format::Dng);
        // same with IFD0 beyond the head
        let mut far = b"II*\0".to_vec();
        far.extend_from_slice(&10000u32.to_le_bytes());
        far.resize(10000, 0);
        far.extend_from_slice(&d[8..]);
        assert_eq!(sniff(&far), Format::Tiff);
        assert_eq!(sniff_full(&far), Format::Dng);
        // big-endian, IFD offset pointing past the end, huge entry count
        assert_eq!(sniff_full(b"MM\0*\xFF\xFF\xFF\xFF"), Format::Tiff);
        let mut huge = b"MM\0*\0\0\0\x08\xFF\xFF".to_vec();
        huge.resize(100, 0);
        assert_eq!(sniff_full(&huge), Format::Tiff);
    }

    #[test]
    fn extensions() {
        for (e, f) in [
            ("JPG", Format::Jpeg),
            ("jpe", Format::Jpeg),
            ("jfif", Format::Jpeg),
            ("Png", Format::Png),
            ("tif", Format::Tiff),
            ("DNG", Format::Dng),
            ("heif", Format::Heif),
            ("m4v", Format::Mp4),
            ("m4a", Format::M4a),
            (".webp", Format::WebP),
            ("txt", Format::Unknown),
            ("", Format::Unknown),
        ] {
            assert_eq!(format_from_extension(e), f, "{e}");
        }
    }

    #[test]
    fn the_words_name_every_supported_format() {
        let words: Vec<String> = SUPPORTED_IN_WORDS
            .split(", ")
            .map(|w| w.replace("JPEG XL", "jxl").to_lowercase())
            .collect();
        for f in Format::ALL {
            assert_eq!(
                words.contains(&f.name().to_string()),
                f != Format::Unknown,
                "{f:?}"
            );
        }
        assert_eq!(words.len(), Format::ALL.len() - 1);
    }

    #[test]
    fn names_mime_serde() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.name()));
            assert_eq!(serde_json::from_str::<Format>(&json).unwrap(), f);
            if f != Format::Unknown {
                assert_eq!(format_from_extension(f.name()), f);
            }
        }
        assert_eq!(Format::WebP.mime(), "image/webp");
        assert_eq!(Format::Dng.mime(), "image/x-adobe-dng");
        assert_eq!(Format::M4a.mime(), "audio/mp4");
        assert_eq!(Format::Mov.mime(), "video/quicktime");
    }

    /// Every file in conformance/EXPECTED.tsv sniffs to its `format` column.
    /// Exceptions: `ttf` and `txt` rows are formats provcheck has no variant for
    /// (c2pa does not read them either); they must sniff to `Unknown`.
    #[test]
    fn conformance_corpus_formats() {
        let Some(root) = crate::test_support::corpus("conformance_corpus_formats") else {
            return;
        };
        let conf = root.join("conformance");
        let mut checked = 0;
        let mut failures = Vec::new();
        for row in crate::test_support::read_tsv(&conf.join("EXPECTED.tsv")) {
            let (path, col) = (&row["path"], row["format"].as_str());
            let expected = match col {
                "ttf" | "txt" => Format::Unknown,
                other => Format::from_name(other).unwrap_or_else(|| panic!("format {other}")),
            };
            let data = std::fs::read(conf.join(path)).unwrap();
            let got = sniff_full(&data);
            if got != expected {
                failures.push(format!("{path}: expected {expected}, got {got}"));
            }
            // sniff on the head alone agrees, except that DNG needs the full file
            let head = sniff(&data[..data.len().min(HEAD_LEN)]);
            let head_ok = head == expected || (expected == Format::Dng && head == Format::Tiff);
            if !head_ok {
                failures.push(format!("{path}: head-only sniff gave {head}"));
            }
            checked += 1;
        }
        assert!(failures.is_empty(), "{failures:#?}");
        assert!(checked >= 100, "only {checked} rows");
        eprintln!("sniffed {checked} conformance files");
    }
}
