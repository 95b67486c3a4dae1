//! The claim sink shared by the metadata readers: budgets, cleaning, dedup, and the limits.

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

pub(super) const MAX_WALK_BYTES: usize = 64 << 20;
pub(super) const MAX_CHUNKS: usize = 10_000;
pub(super) const MAX_IFD_ENTRIES: usize = 1_000;
pub(super) const MAX_INFLATE_CHUNK: usize = 1 << 20;
pub(super) const MAX_INFLATE_TOTAL: usize = 4 << 20;
/// A value is decoded from at most this many bytes.
pub(super) const MAX_VALUE_INPUT: usize = 64 << 10;
pub(super) const MAX_XMP_PACKETS: usize = 8;
pub(super) const MAX_EXIF_BLOCKS: usize = 8;
pub(super) const MAX_IIM_BLOCKS: usize = 8;
pub(super) const MAX_COMMENTS: usize = 4;
pub(super) const MAX_FALLBACK_SCAN: usize = 8 << 20;
/// XMP: candidates kept per property, declarations kept per packet.
pub(super) const MAX_XMP_CANDIDATES: usize = 8;
/// XMP: value extractions tried per property (bounds the look-ahead work).
pub(super) const MAX_XMP_ATTEMPTS: usize = 32;
pub(super) const MAX_XMP_DECLS: usize = 256;
/// XMP: how far an element value (or an attribute value) may extend.
pub(super) const MAX_XMP_SPAN: usize = 16 << 10;
pub(super) const MAX_KEY_CHARS: usize = 79;

// ---------------------------------------------------------------------------
// the claim collector: budgets, cleaning, dedup

/// Collects the claims every metadata reader of one file finds, with the budgets they share.
pub(super) struct ClaimCollector {
    pub(super) claims: Vec<MetadataClaim>,
    pub(super) inflate_left: usize,
    pub(super) xmp_left: usize,
    pub(super) exif_left: usize,
    pub(super) iim_left: usize,
    pub(super) comments_left: usize,
}

#[derive(Clone, Copy)]
pub(super) enum Enc {
    /// UTF-8, invalid sequences replaced.
    Utf8Lossy,
    /// UTF-8 when valid, else ISO-8859-1.
    Utf8OrLatin1,
}

impl ClaimCollector {
    pub(super) fn new() -> Self {
        ClaimCollector {
            claims: Vec::new(),
            inflate_left: MAX_INFLATE_TOTAL,
            xmp_left: MAX_XMP_PACKETS,
            exif_left: MAX_EXIF_BLOCKS,
            iim_left: MAX_IIM_BLOCKS,
            comments_left: MAX_COMMENTS,
        }
    }

    pub(super) fn full(&self) -> bool {
        self.claims.len() >= MAX_CLAIMS
    }

    /// `more`: the text is a prefix of a longer value.
    pub(super) fn add_str(&mut self, origin: &str, text: &str, more: bool) {
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

    pub(super) fn add_bytes(&mut self, origin: &str, bytes: &[u8], enc: Enc) {
        if self.full() {
            return;
        }
        let (text, more) = decode(bytes, enc);
        self.add_str(origin, &text, more);
    }
}

/// Decode at most [`MAX_VALUE_INPUT`] bytes; the flag says whether more followed.
pub(super) fn decode(bytes: &[u8], enc: Enc) -> (Cow<'_, str>, bool) {
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
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Printable chars of `text`, whitespace runs as one space, at most `max` chars; and whether
/// it was cut.
fn printable(text: &str, max: usize) -> (String, bool) {
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
        if n.saturating_add(need) > max {
            return (out, true);
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        n = n.saturating_add(need);
    }
    (out, false)
}

/// Clean a value (see the module docs); `None` when nothing is left.
pub(super) fn clean_value(text: &str, more: bool) -> Option<String> {
    let (mut out, cut) = printable(text, MAX_VALUE_CHARS);
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
pub(super) fn clean_key(bytes: &[u8]) -> Option<String> {
    let b = bytes
        .get(..MAX_KEY_CHARS.saturating_mul(4))
        .unwrap_or(bytes);
    let (text, _) = decode(b, Enc::Utf8OrLatin1);
    let (out, _) = printable(&text, MAX_KEY_CHARS);
    (!out.is_empty()).then_some(out)
}

pub(super) fn until_nul(b: &[u8]) -> &[u8] {
    b.split(|&c| c == 0).next().unwrap_or(b)
}

/// `(before, after)` split at the first NUL; `None` without a NUL.
pub(super) fn split_nul(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = b.iter().position(|&c| c == 0)?;
    Some((b.get(..i)?, b.get(i.checked_add(1)?..)?))
}

pub(super) fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_ws(c)) {
        i = i.saturating_add(1);
    }
    i
}

/// zlib-inflate at most `cap` bytes (a partial result on corrupt input).
pub(super) fn inflate(data: &[u8], cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX);
    let mut dec = flate2::read::ZlibDecoder::new(data).take(limit);
    let _ = dec.read_to_end(&mut out);
    out
}
