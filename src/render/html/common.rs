//! What the page and the per-file entries share: limits, the page's inputs, escaping and small
//! formatting helpers.

use crate::render::thumbs::Thumbnail;
use crate::report::{bounded, Report, Verdict};

/// Longest report string shown (characters, before escaping).
pub const MAX_TEXT: usize = 1024;
/// Most rows in any one table or list of an entry (reasons, claims, actions, statuses, chain).
pub const MAX_ROWS: usize = 200;
/// Most ingredient nodes shown per entry.
pub const MAX_INGREDIENTS: usize = 200;
/// Most files listed under one insight.
pub const MAX_INSIGHT_FILES: usize = 100;
/// Once an entry's section (thumbnails included) is this long, its remaining rows are left out
/// (with a note); the section then ends with at most one more row and the file facts.
pub const MAX_ENTRY_BYTES: usize = 512 * 1024;

/// One file with a detailed section.
#[derive(Clone, Debug)]
pub struct PageEntry {
    pub report: Report,
    /// The file's actual pixels ([`super::thumbs::of_pixels`]).
    pub thumbnail: Option<Thumbnail>,
    /// The active manifest's claim thumbnail ([`super::thumbs::Thumbnails::manifest`]).
    pub manifest_thumbnail: Option<Thumbnail>,
}

/// About the page.
#[derive(Clone, Debug, Default)]
pub struct PageMeta {
    pub title: String,
    /// When the page was made (shown as given, e.g. RFC 3339).
    pub generated_at: String,
    /// Files checked but not given a detailed section because of the size cap.
    pub omitted: usize,
}

/// Make a report string safe as HTML text or as a double- or single-quoted attribute value:
/// bounded to [`MAX_TEXT`] characters, control characters and bidirectional overrides shown as
/// `\u{..}` (as in the text renderer), then `& < > " '` replaced by entities.
pub fn escape(s: &str) -> String {
    let s = crate::render::text::clean(&bounded(s, MAX_TEXT));
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Verdicts as colour classes: red, amber, grey, green.
pub(super) fn tone(v: Verdict) -> &'static str {
    match v {
        Verdict::Mismatched | Verdict::Tampered => "red",
        Verdict::Untrusted | Verdict::Error => "amber",
        Verdict::Unsigned => "grey",
        Verdict::Authentic => "green",
    }
}

/// What each verdict means, in words (README).
pub(super) fn meaning(v: Verdict) -> &'static str {
    match v {
        Verdict::Authentic => "Intact manifest; the signer chains to a trusted CA or a generator's pinned key, and every claim of a known generator is backed by that generator's key.",
        Verdict::Mismatched => "A known generator is claimed, but the manifest is signed by someone else (or the source named with --expect is not the signer).",
        Verdict::Tampered => "A signature, hard binding or hashed URI does not match (the file or a manifest changed after signing), or the manifest breaks the C2PA rules.",
        Verdict::Untrusted => "Intact, but the signer cannot be tied to a trusted CA or a generator's pinned key (unknown, test, or expired without a trusted time-stamp).",
        Verdict::Unsigned => "No embedded C2PA manifest. A remote manifest reference is reported, never fetched.",
        Verdict::Error => "The file could not be checked: unreadable, unsupported, malformed, truncated or hostile.",
    }
}

/// A verdict badge. `data-verdict` carries the verdict word for machines. Used once in each
/// summary row (whose `<tr>` also carries `data-verdict`) and once in each section: nothing else
/// on the page has `class="verdict"` or `data-verdict`.
pub(super) fn badge(v: Verdict) -> String {
    format!(
        "<span class=\"verdict v-{0}\" data-verdict=\"{0}\">{0}</span>",
        v.as_str()
    )
}

pub(super) fn path_of(r: &Report) -> &str {
    r.input.path.as_deref().unwrap_or("<input>")
}

pub(super) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

pub(super) fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    let mut digits = n.to_string();
    let mut i = digits.len();
    while i > 3 {
        i -= 3;
        digits.insert(i, ',');
    }
    if n < 1024 {
        return format!("{digits} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{digits} bytes ({v:.1} {})", UNITS[unit])
}

pub(super) fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// "and N more" row / item text when a list was capped.
pub(super) fn more(total: usize, shown: usize) -> Option<String> {
    (total > shown).then(|| format!("… and {} more not shown", total - shown))
}
