//! Necessary literals of a registry pattern (see `prefilter.rs`). This file is also compiled into
//! build.rs (`#[path]`), which precomputes the bundled patterns' literals with the same code:
//! it depends on `std` and `regex-syntax` only.

use std::borrow::Cow;

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Extraction limit (total literals) for patterns read at run time (`--generators`): the
/// regex-syntax default, cheap.
pub const RUNTIME_LIMIT: usize = 250;
/// The limit build.rs uses for the bundled patterns: more variants are tried before giving up,
/// so case-insensitive patterns keep long literals (cost is paid once, at build time).
#[cfg_attr(not(test), allow(dead_code))] // used by build.rs and the tests
pub const BUILD_LIMIT: usize = 4000;

/// A set of strings at least one of which occurs (after [`fold`] of both) in every string the
/// pattern matches anywhere, or `None` when there is no such finite, non-empty set (the pattern
/// must always run). From regex-syntax's literal extractor: every match begins with one of the
/// prefix literals and ends with one of the suffix literals, so either set is necessary; the one
/// whose shortest literal is longer is kept (ties: prefixes). The pattern is parsed with the
/// `regex` crate's default syntax options.
pub fn necessary_literals(pattern: &str, limit_total: usize) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut best: Option<(usize, Vec<String>)> = None;
    for prefix in [true, false] {
        let kind = if prefix {
            ExtractKind::Prefix
        } else {
            ExtractKind::Suffix
        };
        let seq = Extractor::new()
            .kind(kind)
            .limit_total(limit_total)
            .extract(&hir);
        let Some(lits) = seq.literals() else {
            continue;
        };
        let mut out: Vec<String> = Vec::new();
        let mut usable = !lits.is_empty();
        for lit in lits {
            let bytes = lit.as_bytes();
            // Limits may cut a literal inside a character: keep only whole characters (for a
            // prefix, the head; for a suffix, the tail). A shorter piece is still necessary.
            let text = if prefix {
                whole_chars_prefix(bytes)
            } else {
                whole_chars_suffix(bytes)
            };
            let folded = fold(text).into_owned();
            if folded.is_empty() {
                usable = false; // the empty literal occurs everywhere: no filter from this side
                break;
            }
            if !out.contains(&folded) {
                out.push(folded);
            }
        }
        if !usable {
            continue;
        }
        out.sort();
        let shortest = out.iter().map(|s| s.chars().count()).min().unwrap_or(0);
        if best.as_ref().is_none_or(|(b, _)| shortest > *b) {
            best = Some((shortest, out));
        }
    }
    best.map(|(_, out)| out)
}

pub fn whole_chars_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        // The head up to the first invalid byte is valid UTF-8 by definition.
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

pub fn whole_chars_suffix(bytes: &[u8]) -> &str {
    // Drop leading continuation bytes (at most 3) of a character cut at the front.
    for skip in 0..bytes.len().min(4) {
        if let Ok(s) = std::str::from_utf8(&bytes[skip..]) {
            return s;
        }
    }
    ""
}

/// The character-wise fold applied to literals and to the searched string alike: ASCII
/// lowercase, KELVIN SIGN to `k`, LONG S to `s` (the non-ASCII members of ASCII letters' simple
/// case-folding orbits). Any character-wise map keeps "L occurs in H" true for the images, so
/// this choice only affects how few literals remain, never whether a match is found.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| !b.is_ascii_uppercase() && b < 0x80) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{212A}' => 'k',
                '\u{17F}' => 's',
                c => c.to_ascii_lowercase(),
            })
            .collect(),
    )
}
