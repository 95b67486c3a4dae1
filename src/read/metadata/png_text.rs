//! PNG text chunks (`tEXt`, `zTXt`, `iTXt`), ImageMagick raw profiles and `eXIf`.

use super::exif::{exif_payload, parse_tiff};
use super::iptc::{parse_iim, parse_irb};
use super::sink::*;
use super::xmp::xmp_into;
use crate::read::container::png;
use std::borrow::Cow;

// ---------------------------------------------------------------------------
// PNG

pub(super) fn parse_png(d: &[u8], sink: &mut ClaimCollector) {
    let end = d.len().min(MAX_WALK_BYTES);
    for chunk in png::chunks(d).take(MAX_CHUNKS) {
        if sink.full() || chunk.start >= end {
            break;
        }
        let body = chunk.data(d);
        match &chunk.kind {
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
            _ => {} // the walk ends after IEND
        }
    }
}

fn png_itxt(sink: &mut ClaimCollector, body: &[u8]) {
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
fn png_inflate(sink: &mut ClaimCollector, kw: &[u8], compressed: &[u8]) -> Option<Vec<u8>> {
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

pub(super) fn png_text(
    sink: &mut ClaimCollector,
    kind: &str,
    kw: &[u8],
    text: Cow<'_, [u8]>,
    enc: Enc,
) {
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
fn raw_profile(kind: &[u8], text: &[u8], sink: &mut ClaimCollector) {
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
