//! The analyst's report: one self-contained HTML5 page of evidence for one file or a folder.
//!
//! # Safety of the page
//!
//! Every string from a report can have been written by an attacker (titles, generator names,
//! certificate subjects, assertion values, file names, URLs). Such strings reach the page only as
//! element text or quoted attribute values, and only through [`escape`] (which also length-bounds
//! them and shows control and bidi characters as `\u{..}`). Nothing from a report is ever put in a
//! URL, CSS or script: the only links are the internal `#f-N` anchors, built from an integer, and
//! the only images are `data:` URIs of thumbnails re-encoded by [`super::thumbs`]. A
//! `javascript:` URL in a manifest is shown as inert text.
//!
//! The page loads nothing: its Content-Security-Policy (`default-src 'none'`, images from
//! `data:` only, the inline [`STYLE`] and [`SCRIPT`] allowed by their SHA-256) forbids every
//! external resource and any other script or style, so even a rendering bug could not run
//! injected code. The script only makes the summary table sortable by clicking a header; the
//! page is complete without it (rows are pre-sorted worst first).
//!
//! # Size
//!
//! A thumbnail is a JPEG of at most 256 x 256 pixels: typically 5-25 KB as base64, at most about
//! 110 KB (pure noise). The text of a typical signed file's section is 5-10 KB, and its summary-table row under
//! 1 KB. The test page (26 files: samples, corpus, forged) is 549 KB, about 21 KB per entry, 60%
//! of it thumbnails. Plan on ~25 KB per entry (1000 entries make a page of about 25 MB); the
//! caller caps the number of detailed sections and reports the rest in [`PageMeta::omitted`].
//!
//! Whatever a file holds, one entry stays bounded: strings are cut to [`MAX_TEXT`] characters,
//! each table to [`MAX_ROWS`] rows, the ingredient tree to [`MAX_INGREDIENTS`] nodes, and once a
//! section (thumbnails included) passes [`MAX_ENTRY_BYTES`] its remaining rows are left out with a
//! note, so a section is at most about 580 KB.

use std::collections::HashMap;
use std::fmt::Write as _;

use base64::Engine as _;

use super::thumbs::Thumbnail;
use crate::report::{bounded, IngredientNode, Integrity, Report, Severity, Verdict};
use crate::scan::summary::{verdict_rank, Summary};
use crate::trust::{LinkInfo, PathEnd};

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
    /// The active manifest's claim thumbnail ([`super::thumbs::of_manifest`]).
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

/// The page's only style sheet (allowed by hash in the CSP).
pub const STYLE: &str = r#"
:root { --red: #b42318; --red-bg: #fef3f2; --amber: #b54708; --amber-bg: #fffaeb;
  --grey: #475467; --grey-bg: #f2f4f7; --green: #067647; --green-bg: #ecfdf3;
  --line: #d0d5dd; --muted: #667085; --ink: #101828; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; }
header.page, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header.page { padding-top: 20px; padding-bottom: 12px; border-bottom: 2px solid var(--ink); }
header.page h1 { font-size: 22px; margin: 0 0 4px; }
header.page p { margin: 2px 0; color: var(--muted); }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 14px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; word-break: break-all; }
.wrap { overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.note { background: var(--amber-bg); border-left: 4px solid var(--amber); padding: 8px 12px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--grey-bg); font-weight: 600; white-space: nowrap; }
.nowrap { white-space: nowrap; }
#summary td:nth-child(2) { width: 24%; }
html[data-js] #summary th { cursor: pointer; user-select: none; }
html[data-js] #summary th[aria-sort=ascending]::after { content: " \25B2"; }
html[data-js] #summary th[aria-sort=descending]::after { content: " \25BC"; }
.verdict, .pill { display: inline-block; flex: none; white-space: nowrap; min-width: 92px; padding: 2px 8px; border-radius: 4px; font-weight: 700;
  font-size: 12px; letter-spacing: .05em; text-transform: uppercase; text-align: center; color: #fff; }
.v-mismatched, .v-tampered { background: var(--red); }
.v-untrusted, .v-error { background: var(--amber); }
.v-unsigned { background: var(--grey); }
.v-authentic { background: var(--green); }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 16px; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 120px; }
.counts .n { font-size: 20px; font-weight: 700; display: block; }
.entry { border-top: 2px solid var(--ink); margin-top: 32px; padding-top: 4px; break-before: auto; }
.entry > h2 { margin-top: 12px; overflow-wrap: anywhere; }
.entry.sev-red { border-top-color: var(--red); }
.entry.sev-amber { border-top-color: var(--amber); }
.entry.sev-grey { border-top-color: var(--grey); }
.entry.sev-green { border-top-color: var(--green); }
.verdict-line { display: flex; gap: 12px; align-items: baseline; margin: 6px 0 2px; }
.verdict-line p { margin: 0; font-size: 15px; }
.meaning { color: var(--muted); margin: 2px 0 10px; }
.top { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
.thumbs { display: flex; gap: 12px; flex: 0 0 auto; }
figure { margin: 0; width: 220px; }
figure img { display: block; width: 220px; height: 220px; object-fit: contain; border: 1px solid var(--line);
  background: var(--grey-bg); }
figure .none { width: 220px; height: 220px; border: 1px dashed var(--line); display: flex; align-items: center;
  justify-content: center; color: var(--muted); }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
.facts { flex: 1 1 420px; min-width: 320px; }
dl.kv { display: grid; grid-template-columns: 170px 1fr; gap: 4px 12px; margin: 6px 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.ok { color: var(--green); font-weight: 600; }
.bad { color: var(--red); font-weight: 600; }
.warn { color: var(--amber); font-weight: 600; }
.sev-failure { color: var(--red); font-weight: 600; }
.sev-warning { color: var(--amber); font-weight: 600; }
.sev-info { color: var(--muted); }
ul.tree, ul.tree ul { list-style: none; margin: 4px 0; padding-left: 18px; border-left: 1px solid var(--line); }
ul.tree li { margin: 4px 0; }
.integrity { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; }
.int-valid { background: var(--green-bg); color: var(--green); }
.int-invalid { background: var(--red-bg); color: var(--red); }
.int-none { background: var(--grey-bg); color: var(--grey); }
ul.files { margin: 4px 0 8px; padding-left: 20px; }
details { margin: 6px 0; }
summary { cursor: pointer; color: var(--muted); }
footer { max-width: 1200px; margin: 40px auto 20px; padding: 8px 24px; color: var(--muted); font-size: 12px;
  border-top: 1px solid var(--line); }
@media print {
  body { font-size: 11px; }
  header.page, main, footer { max-width: none; padding: 0; }
  .entry { break-before: page; border-top-width: 4px; }
  figure, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The page's only script: makes the summary table sortable by clicking (or Enter/Space on) a
/// column header, and marks `<html data-js="on">`. It reads the table's own text and integer
/// `data-key` attributes, never writes markup, and is never built from data.
pub const SCRIPT: &str = r#"
(function () {
  'use strict';
  document.documentElement.setAttribute('data-js', 'on');
  var table = document.getElementById('summary');
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ''; }
    var k = cell.getAttribute('data-key');
    return k !== null ? k : cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== '' && b !== '' && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.setAttribute('tabindex', '0');
    th.setAttribute('aria-sort', 'none');
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows).map(function (r, i) { return [r, i]; });
      rows.sort(function (p, q) {
        var c = compare(key(p[0], col), key(q[0], col));
        if (!ascending) { c = -c; }
        return c !== 0 ? c : p[1] - q[1];
      });
      rows.forEach(function (p) { body.appendChild(p[0]); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
    });
  });
})();
"#;

/// `'sha256-<base64>'` of exactly `text`, as a CSP source expression.
pub fn csp_hash(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

/// The page's Content-Security-Policy.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; img-src data:; style-src {}; script-src {}; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// Make a report string safe as HTML text or as a double- or single-quoted attribute value:
/// bounded to [`MAX_TEXT`] characters, control characters and bidirectional overrides shown as
/// `\u{..}` (as in the text renderer), then `& < > " '` replaced by entities.
pub fn escape(s: &str) -> String {
    let s = super::text::clean(&bounded(s, MAX_TEXT));
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

macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Verdicts as colour classes: red, amber, grey, green.
fn tone(v: Verdict) -> &'static str {
    match v {
        Verdict::Mismatched | Verdict::Tampered => "red",
        Verdict::Untrusted | Verdict::Error => "amber",
        Verdict::Unsigned => "grey",
        Verdict::Authentic => "green",
    }
}

/// What each verdict means, in words (README).
fn meaning(v: Verdict) -> &'static str {
    match v {
        Verdict::Authentic => "Intact manifest; the signer chains to a trusted CA or a generator's pinned key, and every claim of a known generator is backed by that generator's key.",
        Verdict::Mismatched => "A known generator is claimed, but the manifest is signed by someone else (or the source named with --expect is not the signer).",
        Verdict::Tampered => "A signature, hard binding or hashed URI does not match: the file or a manifest changed after signing.",
        Verdict::Untrusted => "Intact, but the signer cannot be tied to a trusted CA or a generator's pinned key (unknown, test, or expired without a trusted time-stamp).",
        Verdict::Unsigned => "No embedded C2PA manifest. A remote manifest reference is reported, never fetched.",
        Verdict::Error => "The file could not be checked: unreadable, unsupported, malformed, truncated or hostile.",
    }
}

/// A verdict badge. `data-verdict` carries the verdict word for machines. Used once in each
/// summary row (whose `<tr>` also carries `data-verdict`) and once in each section: nothing else
/// on the page has `class="verdict"` or `data-verdict`.
fn badge(v: Verdict) -> String {
    format!(
        "<span class=\"verdict v-{0}\" data-verdict=\"{0}\">{0}</span>",
        v.as_str()
    )
}

fn path_of(r: &Report) -> &str {
    r.input.path.as_deref().unwrap_or("<input>")
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn human_size(n: u64) -> String {
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

fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// "and N more" row / item text when a list was capped.
fn more(total: usize, shown: usize) -> Option<String> {
    (total > shown).then(|| format!("… and {} more not shown", total - shown))
}

/// The whole page. `entries` get a detailed section each (`id="f-<index>"`), shown worst
/// verdict first; `summary` (a scan's) adds the counts of every file scanned and the insights.
/// The summary table (`id="summary"`) appears when there is more than one entry or a summary.
pub fn page(entries: &[PageEntry], summary: Option<&Summary>, meta: &PageMeta) -> String {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| verdict_rank(entries[i].report.verdict));
    let index_of: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, e)| e.report.input.path.as_deref().map(|p| (p, i)))
        .collect();

    let mut out = String::with_capacity(16 * 1024 + entries.len().min(1000) * 24 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    w!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
        content_security_policy()
    );
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"provcheck\">\n");
    let title = if meta.title.is_empty() {
        "provcheck report"
    } else {
        meta.title.as_str()
    };
    w!(out, "<title>{}</title>\n", escape(title));
    w!(out, "<style>{STYLE}</style>\n</head>\n<body>\n");

    out.push_str("<header class=\"page\">\n");
    w!(out, "<h1>{}</h1>\n", escape(title));
    w!(
        out,
        "<p>provcheck {}</p>\n",
        escape(crate::cli::LONG_VERSION)
    );
    w!(out, "<p>Generated {}", escape(&meta.generated_at));
    match summary {
        Some(s) => w!(
            out,
            "; {} file{} checked",
            s.files,
            if s.files == 1 { "" } else { "s" }
        ),
        None => w!(
            out,
            "; {} file{}",
            entries.len(),
            if entries.len() == 1 { "" } else { "s" }
        ),
    }
    out.push_str(
        ". Nothing was fetched from the network; every string from a file is shown as text.</p>\n",
    );
    if let Some(s) = summary {
        if !s.provcheck_version.is_empty() && s.provcheck_version != crate::cli::LONG_VERSION {
            w!(
                out,
                "<p>The scan was made by provcheck {}.</p>\n",
                escape(&s.provcheck_version)
            );
        }
    }
    out.push_str("</header>\n<main>\n");

    if summary.is_some_and(|s| s.interrupted) {
        out.push_str("<p class=\"note\">The scan was interrupted before every selected file was checked: the counts cover only the files reached.</p>\n");
    }
    if meta.omitted > 0 {
        w!(
            out,
            "<p class=\"note\">{} more file{} checked but {} no detailed section here (size cap of the page).</p>\n",
            meta.omitted,
            if meta.omitted == 1 { " was" } else { "s were" },
            if meta.omitted == 1 { "has" } else { "have" }
        );
    }

    if entries.len() > 1 || summary.is_some() {
        summary_section(&mut out, entries, &order, summary, &index_of);
    }
    if entries.is_empty() {
        out.push_str("<p class=\"muted\">No file has a detailed section.</p>\n");
    }
    for &i in &order {
        entry_section(&mut out, i, &entries[i]);
    }
    out.push_str("</main>\n<footer>");
    w!(
        out,
        "provcheck {} · verdicts: mismatched and tampered (red), untrusted and error (amber), unsigned (grey), authentic (green).",
        escape(crate::cli::LONG_VERSION)
    );
    out.push_str("</footer>\n");
    w!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn summary_section(
    out: &mut String,
    entries: &[PageEntry],
    order: &[usize],
    summary: Option<&Summary>,
    index_of: &HashMap<&str, usize>,
) {
    out.push_str("<section id=\"overview\">\n<h2>Summary</h2>\n<ul class=\"counts\">\n");
    for v in Verdict::ALL {
        let n = match summary {
            Some(s) => s.verdicts.get(v.as_str()).copied().unwrap_or(0),
            None => entries.iter().filter(|e| e.report.verdict == v).count() as u64,
        };
        w!(
            out,
            "<li data-tally=\"{0}\"><span class=\"n\">{n}</span><span class=\"pill v-{0}\">{0}</span></li>\n",
            v.as_str()
        );
    }
    out.push_str("</ul>\n");
    if let Some(s) = summary {
        scan_facts(out, s);
    }

    out.push_str("<h3>Files</h3>\n");
    out.push_str("<table id=\"summary\">\n<thead><tr><th>Verdict</th><th>File</th><th>Claimed source</th><th>Authenticated source</th><th>Summary</th></tr></thead>\n<tbody>\n");
    for &i in order {
        let r = &entries[i].report;
        w!(
            out,
            "<tr data-verdict=\"{}\"><td class=\"nowrap\" data-key=\"{}\">{}</td>",
            r.verdict.as_str(),
            verdict_rank(r.verdict),
            badge(r.verdict)
        );
        w!(
            out,
            "<td class=\"wrap\"><a href=\"#f-{i}\">{}</a></td>",
            escape(path_of(r))
        );
        w!(
            out,
            "<td>{}</td>",
            r.claimed_source
                .summary
                .as_deref()
                .map_or_else(|| "<span class=\"muted\">none</span>".to_string(), escape)
        );
        w!(out, "<td>{}</td>", authenticated_short(r));
        w!(out, "<td class=\"wrap\">{}</td></tr>\n", escape(&r.summary));
    }
    out.push_str("</tbody>\n</table>\n");

    if let Some(s) = summary {
        // Files the scan flagged that have no detailed section.
        let missing: Vec<_> = s
            .attention
            .iter()
            .filter(|l| !index_of.contains_key(l.path.as_str()))
            .collect();
        if !missing.is_empty() {
            out.push_str("<h3>Other files needing attention (no detailed section)</h3>\n<table>\n<thead><tr><th>Verdict</th><th>File</th><th>Summary</th></tr></thead>\n<tbody>\n");
            for l in missing.iter().take(MAX_ROWS * 5) {
                w!(
                    out,
                    "<tr><td>{}</td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td></tr>\n",
                    mini_verdict(l.verdict),
                    escape(&l.path),
                    escape(&l.summary)
                );
            }
            if let Some(m) = more(missing.len(), MAX_ROWS * 5) {
                w!(out, "<tr><td colspan=\"3\" class=\"muted\">{m}</td></tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        insights(out, s, index_of);
    }
    out.push_str("</section>\n");
}

/// A verdict word without the `verdict` class (so that a page's badges stay one per file).
fn mini_verdict(v: Verdict) -> String {
    format!(
        "<span class=\"{}\">{}</span>",
        match tone(v) {
            "red" => "bad",
            "amber" => "warn",
            "green" => "ok",
            _ => "muted",
        },
        v.as_str()
    )
}

fn authenticated_short(r: &Report) -> String {
    match &r.authenticated_source {
        Some(a) => format!(
            "{}{} <span class=\"muted\">({}{})</span>",
            escape(&a.organization),
            a.generator
                .as_deref()
                .map(|g| format!(" [{}]", escape(g)))
                .unwrap_or_default(),
            escape(a.list.as_str()),
            if a.trusted {
                ""
            } else {
                "; key only, not trusted"
            }
        ),
        None if r.signature.is_some() => {
            "<span class=\"muted\">none (signer not trusted)</span>".into()
        }
        None => "<span class=\"muted\">none</span>".into(),
    }
}

fn scan_facts(out: &mut String, s: &Summary) {
    out.push_str("<dl class=\"kv\">\n");
    w!(
        out,
        "<dt>Files checked</dt><dd>{} ({})</dd>\n",
        s.files,
        human_size(s.bytes)
    );
    w!(
        out,
        "<dt>Time</dt><dd>{:.1} s, {:.1} files/s, {:.1} MB/s, {} {}</dd>\n",
        s.elapsed_seconds,
        s.files_per_second,
        s.mb_per_second,
        s.jobs,
        s.worker_kind()
    );
    if !s.skipped.is_empty() {
        let list: Vec<String> = s
            .skipped
            .iter()
            .map(|(k, n)| format!("{} {n}", escape(k)))
            .collect();
        w!(out, "<dt>Skipped</dt><dd>{}</dd>\n", list.join(", "));
    }
    let counts = |list: &[crate::scan::summary::Count]| -> String {
        if list.is_empty() {
            return "<span class=\"muted\">none</span>".into();
        }
        let shown: Vec<String> = list
            .iter()
            .take(20)
            .map(|c| format!("{} ({})", escape(&c.name), c.files))
            .collect();
        let mut s = shown.join(", ");
        if let Some(m) = more(list.len(), 20) {
            s.push_str(&format!(" {m}"));
        }
        s
    };
    w!(
        out,
        "<dt>Authenticated sources</dt><dd>{}</dd>\n",
        counts(&s.authenticated_sources)
    );
    w!(
        out,
        "<dt>Claimed sources</dt><dd>{}</dd>\n",
        counts(&s.claimed_sources)
    );
    w!(out, "<dt>Reason codes</dt><dd>{}</dd>\n", counts(&s.codes));
    out.push_str("</dl>\n");
}

/// A list of files, each linking to its section when it has one.
fn file_list(out: &mut String, files: &[String], total: u64, index_of: &HashMap<&str, usize>) {
    out.push_str("<ul class=\"files\">\n");
    for f in files.iter().take(MAX_INSIGHT_FILES) {
        match index_of.get(f.as_str()) {
            Some(i) => w!(out, "<li><a href=\"#f-{i}\">{}</a></li>\n", escape(f)),
            None => w!(
                out,
                "<li>{} <span class=\"muted\">(no detailed section)</span></li>\n",
                escape(f)
            ),
        }
    }
    let total = (total as usize).max(files.len());
    if let Some(m) = more(total, files.len().min(MAX_INSIGHT_FILES)) {
        w!(out, "<li class=\"muted\">{m}</li>\n");
    }
    out.push_str("</ul>\n");
}

fn insights(out: &mut String, s: &Summary, index_of: &HashMap<&str, usize>) {
    let ins = &s.insights;
    out.push_str("<section id=\"insights\">\n<h2>Insights across files</h2>\n");

    out.push_str("<h3>One manifest on different content (copied or transplanted manifest)</h3>\n");
    if ins.shared_manifests.is_empty() {
        out.push_str("<p class=\"muted\">None found.</p>\n");
    }
    for m in ins.shared_manifests.iter().take(MAX_ROWS) {
        w!(
            out,
            "<div class=\"insight shared-manifest\"><p>Manifest {} <code class=\"wrap\">{}</code> is on {} files with {} distinct contents:</p>\n",
            escape(&m.key),
            escape(&m.value),
            m.file_count,
            m.distinct_contents
        );
        file_list(out, &m.files, m.file_count, index_of);
        out.push_str("</div>\n");
    }
    if let Some(m) = more(ins.shared_manifests.len(), MAX_ROWS) {
        w!(out, "<p class=\"muted\">{m}</p>\n");
    }

    out.push_str("<h3>One picture under different manifests (signed twice or re-signed)</h3>\n");
    if ins.shared_content.is_empty() {
        out.push_str("<p class=\"muted\">None found.</p>\n");
    }
    for c in ins.shared_content.iter().take(MAX_ROWS) {
        let labels: Vec<String> = c
            .manifests
            .iter()
            .take(20)
            .map(|l| format!("<code class=\"wrap\">{}</code>", escape(l)))
            .collect();
        w!(
            out,
            "<div class=\"insight shared-content\"><p>Content hash <span class=\"hash\">{}</span> is on {} files under {} manifests: {}</p>\n",
            escape(&c.content_hash),
            c.file_count,
            c.manifests.len(),
            labels.join(", ")
        );
        file_list(out, &c.files, c.file_count, index_of);
        out.push_str("</div>\n");
    }
    if let Some(m) = more(ins.shared_content.len(), MAX_ROWS) {
        w!(out, "<p class=\"muted\">{m}</p>\n");
    }

    out.push_str("<h3>Files per signing certificate</h3>\n");
    if ins.signers.is_empty() {
        out.push_str("<p class=\"muted\">No signed files.</p>\n");
    } else {
        out.push_str("<table class=\"signers\">\n<thead><tr><th>Files</th><th>Subject</th><th>Organisation</th><th>Trusted</th><th>Certificate SHA-256</th></tr></thead>\n<tbody>\n");
        for c in ins.signers.iter().take(MAX_ROWS) {
            w!(
                out,
                "<tr><td>{}</td><td class=\"wrap\">{}</td><td>{}</td><td>{}</td><td class=\"hash\">{}</td></tr>\n",
                c.files,
                escape(&c.subject),
                c.organization.as_deref().map(escape).unwrap_or_default(),
                if c.trusted {
                    "<span class=\"ok\">yes</span>"
                } else {
                    "<span class=\"warn\">no</span>"
                },
                escape(&c.certificate_sha256)
            );
        }
        if let Some(m) = more(ins.signers.len(), MAX_ROWS) {
            w!(out, "<tr><td colspan=\"5\" class=\"muted\">{m}</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    out.push_str(
        "<h3>Possibly stripped credentials (no manifest, but the metadata names an AI generator, says AI-made, or points to a manifest)</h3>\n",
    );
    if ins.stripped_credentials.is_empty() {
        out.push_str("<p class=\"muted\">None found.</p>\n");
    } else {
        out.push_str("<table class=\"stripped\">\n<thead><tr><th>File</th><th>Why</th><th>AI generators</th><th>Metadata claims</th></tr></thead>\n<tbody>\n");
        for c in ins.stripped_credentials.iter().take(MAX_ROWS * 5) {
            let file = match index_of.get(c.path.as_str()) {
                Some(i) => format!("<a href=\"#f-{i}\">{}</a>", escape(&c.path)),
                None => escape(&c.path),
            };
            let claims: Vec<String> = c.claims.iter().take(20).map(|x| escape(x)).collect();
            w!(
                out,
                "<tr><td class=\"wrap\">{file}</td><td>{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>\n",
                escape(&c.reasons.join("; ")),
                escape(&c.generators.join(", ")),
                claims.join("<br>")
            );
        }
        if let Some(m) = more(ins.stripped_credentials.len(), MAX_ROWS * 5) {
            w!(out, "<tr><td colspan=\"4\" class=\"muted\">{m}</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn figure(out: &mut String, t: Option<&Thumbnail>, caption: &str, class: &str) {
    w!(out, "<figure class=\"{class}\">");
    // The URI is made here from re-encoded bytes (base64 alphabet only); it is not report text,
    // so it is not cut to MAX_TEXT. Anything else is refused rather than embedded.
    let uri = t.map(Thumbnail::data_uri).filter(|u| {
        u.starts_with("data:image/")
            && u.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=:;,-".contains(&b))
    });
    match (t, uri) {
        (Some(t), Some(uri)) => w!(
            out,
            "<img src=\"{uri}\" width=\"{}\" height=\"{}\" alt=\"{caption}\">",
            t.width,
            t.height
        ),
        _ => out.push_str("<div class=\"none\">none</div>"),
    }
    w!(out, "<figcaption>{caption}</figcaption></figure>\n");
}

fn entry_section(out: &mut String, i: usize, e: &PageEntry) {
    let r = &e.report;
    let cap = out.len() + MAX_ENTRY_BYTES;
    w!(
        out,
        "<section class=\"entry sev-{}\" id=\"f-{i}\">\n<h2>{}</h2>\n",
        tone(r.verdict),
        escape(path_of(r))
    );
    w!(
        out,
        "<div class=\"verdict-line\">{}<p>{}</p></div>\n<p class=\"meaning\">{}</p>\n",
        badge(r.verdict),
        escape(&r.summary),
        meaning(r.verdict)
    );

    out.push_str("<div class=\"top\">\n<div class=\"thumbs\">\n");
    figure(out, e.thumbnail.as_ref(), "pixels in the file", "pixels");
    figure(
        out,
        e.manifest_thumbnail.as_ref(),
        "thumbnail the signer embedded",
        "claim-thumbnail",
    );
    out.push_str("</div>\n<div class=\"facts\">\n<dl class=\"kv\">\n");
    w!(
        out,
        "<dt>Claimed source</dt><dd>{}</dd>\n",
        r.claimed_source.summary.as_deref().map_or_else(
            || "<span class=\"muted\">no known generator named</span>".into(),
            escape
        )
    );
    if !r.claimed_source.generators.is_empty() {
        w!(
            out,
            "<dt>Generators named</dt><dd>{}</dd>\n",
            escape(&r.claimed_source.generators.join(", "))
        );
    }
    if r.claimed_source.ai_generated {
        out.push_str("<dt>AI generated</dt><dd>claimed (digital source type)</dd>\n");
    }
    match &r.authenticated_source {
        Some(a) => w!(
            out,
            "<dt>Authenticated source</dt><dd><span class=\"{}\">{}</span>{} by {} ({}){}</dd>\n",
            if a.trusted { "ok" } else { "muted" },
            escape(&a.organization),
            a.generator
                .as_deref()
                .map(|g| format!(" [{}]", escape(g)))
                .unwrap_or_default(),
            escape(&serde_name(&a.authenticated_by)),
            escape(a.list.as_str()),
            if a.trusted {
                String::new()
            } else {
                format!(
                    "; its key signed, but it is not fully trusted: {}",
                    escape(
                        &a.limits
                            .iter()
                            .map(|l| l.explanation.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                )
            }
        ),
        None => w!(
            out,
            "<dt>Authenticated source</dt><dd><span class=\"muted\">{}</span></dd>\n",
            if r.signature.is_some() {
                "none: the signer is not trusted"
            } else {
                "none"
            }
        ),
    }
    if let Some(s) = r.signature.as_ref().and_then(|s| s.signer.as_ref()) {
        w!(
            out,
            "<dt>Signer</dt><dd>{}<br><span class=\"muted\">issued by</span> {}</dd>\n",
            escape(&s.subject),
            escape(&s.issuer)
        );
    }
    if let Some(sig) = &r.signature {
        if let Some(t) = &sig.signing_time {
            w!(out, "<dt>Signing time</dt><dd>{}</dd>\n", escape(t));
        }
    }
    match &r.timestamp {
        Some(t) => {
            let state = if t.trusted {
                format!(
                    "<span class=\"ok\">trusted</span>{}",
                    t.trusted_by
                        .map(|s| format!(" ({})", escape(s.as_str())))
                        .unwrap_or_default()
                )
            } else if t.validated {
                "<span class=\"warn\">validated, TSA not trusted</span>".into()
            } else {
                "<span class=\"warn\">not validated</span>".into()
            };
            w!(
                out,
                "<dt>Time-stamp</dt><dd>{} by {}: {state}</dd>\n",
                escape(t.time.as_deref().unwrap_or("?")),
                escape(t.tsa.as_deref().unwrap_or("unknown TSA"))
            );
            for f in t.failures.iter().take(MAX_ROWS) {
                w!(
                    out,
                    "<dt></dt><dd class=\"muted\">TSA link {}: {} ({})</dd>\n",
                    f.index,
                    escape(&f.error.to_string()),
                    escape(&f.subject)
                );
            }
        }
        None if r.signature.is_some() => {
            out.push_str("<dt>Time-stamp</dt><dd><span class=\"muted\">none</span></dd>\n")
        }
        None => {}
    }
    if let Some(u) = &r.remote_manifest {
        w!(
            out,
            "<dt>Remote manifest</dt><dd><code class=\"wrap\">{}</code> <span class=\"muted\">(not fetched)</span></dd>\n",
            escape(u)
        );
    }
    out.push_str("</dl>\n</div>\n</div>\n");

    reasons(out, r, cap);
    if let Some(m) = &r.manifest {
        out.push_str("<h3>Manifest</h3>\n<dl class=\"kv\">\n");
        w!(
            out,
            "<dt>Label</dt><dd><code class=\"wrap\">{}</code></dd>\n",
            escape(&m.label)
        );
        if let Some(t) = &m.title {
            w!(out, "<dt>Title</dt><dd>{}</dd>\n", escape(t));
        }
        if let Some(g) = &m.claim_generator {
            w!(out, "<dt>Claim generator</dt><dd>{}</dd>\n", escape(g));
        }
        for g in m.claim_generator_info.iter().take(16) {
            w!(
                out,
                "<dt>Generator info</dt><dd>{}{}</dd>\n",
                escape(&g.name),
                g.version
                    .as_deref()
                    .map(|v| format!(" {}", escape(v)))
                    .unwrap_or_default()
            );
        }
        if let Some(v) = m.claim_version {
            w!(out, "<dt>Claim version</dt><dd>{v}</dd>\n");
        }
        if let Some(f) = &m.format {
            w!(out, "<dt>Declared format</dt><dd>{}</dd>\n", escape(f));
        }
        w!(
            out,
            "<dt>Instance ID</dt><dd><code class=\"wrap\">{}</code></dd>\n",
            escape(&m.instance_id)
        );
        if let Some(h) = &m.content_hash {
            w!(
                out,
                "<dt>Content hash</dt><dd class=\"hash\">{}</dd>\n",
                escape(h)
            );
        }
        w!(
            out,
            "<dt>Manifests in store</dt><dd>{}</dd>\n",
            m.manifest_count
        );
        if let Some(alg) = r.signature.as_ref().and_then(|s| s.algorithm.as_deref()) {
            w!(
                out,
                "<dt>Signature algorithm</dt><dd>{}</dd>\n",
                escape(alg)
            );
        }
        out.push_str("</dl>\n");
    }
    chain(out, r, cap);
    claims(out, r, cap);
    actions(out, r, cap);
    if !r.ingredients.is_empty() {
        out.push_str("<h3>Ingredients</h3>\n");
        let mut budget = MAX_INGREDIENTS;
        let complete = ingredient_tree(out, &r.ingredients, &mut budget, 0, cap);
        if !complete {
            out.push_str(
                "<p class=\"muted\">… the tree is larger than shown (node or size cap); the rest is in the JSON report</p>\n",
            );
        }
    }
    validation(out, r, cap);
    if out.len() > cap {
        out.push_str("<p class=\"note\">This entry reached the page's size cap per file: some rows are left out. The JSON report has everything.</p>\n");
    }

    out.push_str("<h3>File</h3>\n<dl class=\"kv\">\n");
    w!(
        out,
        "<dt>Path</dt><dd class=\"wrap\">{}</dd>\n",
        escape(path_of(r))
    );
    w!(
        out,
        "<dt>SHA-256</dt><dd class=\"hash\">{}</dd>\n",
        r.input
            .sha256
            .as_deref()
            .map_or_else(|| "<span class=\"muted\">not read</span>".into(), escape)
    );
    w!(out, "<dt>Size</dt><dd>{}</dd>\n", human_size(r.input.size));
    w!(out, "<dt>Format</dt><dd>{}", escape(&r.input.format));
    if let Some(x) = &r.input.extension_format {
        w!(
            out,
            " <span class=\"warn\">(the name says {})</span>",
            escape(x)
        );
    }
    out.push_str("</dd>\n");
    if let Some(m) = &r.input.modified {
        w!(out, "<dt>Modified</dt><dd>{}</dd>\n", escape(m));
    }
    out.push_str("</dl>\n</section>\n");
}

fn reasons(out: &mut String, r: &Report, cap: usize) {
    out.push_str("<h3>Reasons</h3>\n");
    if r.reasons.is_empty() {
        out.push_str("<p class=\"muted\">none</p>\n");
        return;
    }
    out.push_str("<table class=\"reasons\">\n<thead><tr><th>Severity</th><th>Code</th><th>Explanation</th><th>Scope</th></tr></thead>\n<tbody>\n");
    let mut shown = 0;
    for x in r.reasons.iter().take(MAX_ROWS) {
        if out.len() > cap {
            break;
        }
        shown += 1;
        let sev = match x.severity {
            Severity::Failure => "failure",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        w!(
            out,
            "<tr><td class=\"sev-{sev}\">{sev}</td><td class=\"nowrap\"><code>{}</code></td><td>{}</td><td class=\"wrap\">{}</td></tr>\n",
            escape(&x.code),
            escape(&x.explanation),
            x.scope.as_deref().map(escape).unwrap_or_default()
        );
    }
    if let Some(m) = more(r.reasons.len(), shown) {
        w!(out, "<tr><td colspan=\"4\" class=\"muted\">{m}</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// What ended the path, in words, and whether it is `link`.
fn ended_at_text(end: &PathEnd) -> String {
    match end {
        PathEnd::Anchor {
            source, subject, ..
        } => format!(
            "trust anchor {} on {}",
            escape(subject),
            escape(source.as_str())
        ),
        PathEnd::AllowedLeaf { source, .. } => {
            format!("allowed certificate on {}", escape(source.as_str()))
        }
        PathEnd::Pin {
            generator, subject, ..
        } => format!(
            "pinned key of generator {} ({})",
            escape(generator),
            escape(subject)
        ),
    }
}

fn ends_at(end: &PathEnd, link: &LinkInfo) -> bool {
    match end {
        PathEnd::Anchor { sha256, .. } | PathEnd::AllowedLeaf { sha256, .. } => {
            *sha256 == link.sha256
        }
        PathEnd::Pin { spki_sha256, .. } => *spki_sha256 == link.spki_sha256,
    }
}

fn chain(out: &mut String, r: &Report, cap: usize) {
    let Some(t) = &r.trust else {
        return;
    };
    out.push_str("<h3>Signer and certificate chain</h3>\n<dl class=\"kv\">\n");
    w!(
        out,
        "<dt>Trusted</dt><dd>{}</dd>\n",
        if t.trusted {
            "<span class=\"ok\">yes</span>"
        } else {
            "<span class=\"bad\">no</span>"
        }
    );
    if let Some(by) = &t.authenticated_by {
        w!(
            out,
            "<dt>Authenticated by</dt><dd>{}</dd>\n",
            escape(&serde_name(by))
        );
    }
    w!(
        out,
        "<dt>Path ended at</dt><dd>{}</dd>\n",
        t.ended_at.as_ref().map_or_else(
            || "<span class=\"muted\">no anchor, allowed certificate or pin reached</span>".into(),
            ended_at_text
        )
    );
    w!(
        out,
        "<dt>Validity judged at</dt><dd>{} ({})</dd>\n",
        escape(&t.evaluated_at),
        escape(&serde_name(&t.evaluated_at_origin))
    );
    if !t.pinned_generators.is_empty() {
        w!(
            out,
            "<dt>Pinned generators on path</dt><dd>{}</dd>\n",
            escape(&t.pinned_generators.join(", "))
        );
    }
    if !t.c2pa_signing_credential.is_empty() {
        w!(
            out,
            "<dt>c2pa SDK says</dt><dd><code>{}</code>{}</dd>\n",
            escape(&t.c2pa_signing_credential.join(", ")),
            if t.agrees_with_c2pa {
                ""
            } else {
                " <span class=\"warn\">(disagrees with provcheck)</span>"
            }
        );
    }
    out.push_str("</dl>\n");
    if !t.path.is_empty() {
        out.push_str("<table class=\"chain\">\n<thead><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Valid</th><th>SHA-256</th><th>Key</th><th>Trusted by</th></tr></thead>\n<tbody>\n");
        let mut shown = 0;
        for (n, l) in t.path.iter().take(MAX_ROWS).enumerate() {
            if out.len() > cap {
                break;
            }
            shown += 1;
            let by = match &t.ended_at {
                Some(end) if ends_at(end, l) => match end {
                    PathEnd::Pin { generator, .. } => format!("pin: {}", escape(generator)),
                    PathEnd::Anchor { source, .. } | PathEnd::AllowedLeaf { source, .. } => {
                        escape(source.as_str())
                    }
                },
                _ => String::new(),
            };
            w!(
                out,
                "<tr><td>{n}</td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td><td class=\"nowrap\">{}<br>to {}</td><td class=\"hash\">{}</td><td>{}{}</td><td>{by}</td></tr>\n",
                escape(&l.subject),
                escape(&l.issuer),
                escape(&l.not_before),
                escape(&l.not_after),
                escape(&l.sha256),
                escape(&l.key_algorithm),
                if l.is_ca { ", CA" } else { "" }
            );
        }
        if let Some(m) = more(t.path.len(), shown) {
            w!(out, "<tr><td colspan=\"7\" class=\"muted\">{m}</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !t.failures.is_empty() {
        out.push_str("<ul class=\"failures\">\n");
        for f in t.failures.iter().take(MAX_ROWS) {
            if out.len() > cap {
                break;
            }
            w!(
                out,
                "<li><span class=\"bad\">link {}</span>: {} <span class=\"muted\">({})</span></li>\n",
                f.index,
                escape(&f.error.to_string()),
                escape(&f.subject)
            );
        }
        out.push_str("</ul>\n");
    }
    for m in t.name_only_matches.iter().take(MAX_ROWS) {
        if out.len() > cap {
            break;
        }
        w!(
            out,
            "<p class=\"bad\">Name forgery signal: {} carries the name of a known CA ({}) with another key.</p>\n",
            escape(&m.subject),
            escape(&m.known_source)
        );
    }
    for n in t.notes.iter().take(MAX_ROWS) {
        if out.len() > cap {
            break;
        }
        w!(out, "<p class=\"muted\">Note: {}</p>\n", escape(n));
    }
}

fn claims(out: &mut String, r: &Report, cap: usize) {
    let c = &r.claimed_source.claims;
    if c.is_empty() {
        return;
    }
    out.push_str("<h3>Claims of origin</h3>\n<table class=\"claims\">\n<thead><tr><th>Where</th><th>Value</th><th>Scope</th><th>Signed</th><th>Names</th><th>Backed by signer</th></tr></thead>\n<tbody>\n");
    let mut shown = 0;
    for x in c.iter().take(MAX_ROWS) {
        if out.len() > cap {
            break;
        }
        shown += 1;
        let backed = match x.backed {
            Some(true) => "<span class=\"ok\">yes</span>",
            Some(false) => "<span class=\"bad\">no</span>",
            None => "",
        };
        w!(
            out,
            "<tr><td><code>{}</code></td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td><td>{}</td><td>{}</td><td>{backed}</td></tr>\n",
            escape(&x.origin),
            escape(&x.value),
            escape(&x.scope),
            yes_no(x.signed),
            escape(&x.generators.join(", ")),
        );
    }
    if let Some(m) = more(c.len(), shown) {
        w!(out, "<tr><td colspan=\"6\" class=\"muted\">{m}</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn actions(out: &mut String, r: &Report, cap: usize) {
    if r.actions.is_empty() {
        return;
    }
    out.push_str("<h3>Actions</h3>\n<table class=\"actions\">\n<thead><tr><th>Action</th><th>softwareAgent</th><th>digitalSourceType</th><th>Description</th></tr></thead>\n<tbody>\n");
    let mut shown = 0;
    for a in r.actions.iter().take(MAX_ROWS) {
        if out.len() > cap {
            break;
        }
        shown += 1;
        w!(
            out,
            "<tr><td><code>{}</code></td><td class=\"wrap\">{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>\n",
            escape(&a.action),
            a.software_agent.as_deref().map(escape).unwrap_or_default(),
            a.digital_source_type
                .as_deref()
                .map(escape)
                .unwrap_or_default(),
            a.description.as_deref().map(escape).unwrap_or_default()
        );
    }
    if let Some(m) = more(r.actions.len(), shown) {
        w!(out, "<tr><td colspan=\"4\" class=\"muted\">{m}</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Nested lists; false when nodes were left out (node budget or size cap).
fn ingredient_tree(
    out: &mut String,
    nodes: &[IngredientNode],
    budget: &mut usize,
    depth: usize,
    cap: usize,
) -> bool {
    let mut complete = true;
    out.push_str(if depth == 0 {
        "<ul class=\"tree\">\n"
    } else {
        "<ul>\n"
    });
    for n in nodes {
        if *budget == 0 || out.len() > cap {
            complete = false;
            break;
        }
        *budget -= 1;
        let (class, word) = match n.integrity {
            Integrity::Valid => ("int-valid", "valid"),
            Integrity::Invalid => ("int-invalid", "invalid"),
            Integrity::NoManifest => ("int-none", "no manifest"),
        };
        w!(
            out,
            "<li><strong>{}</strong> <span class=\"muted\">{}{}</span> <span class=\"integrity {class}\">{word}</span>",
            n.title
                .as_deref()
                .map_or_else(|| "(untitled)".into(), escape),
            escape(&n.relationship),
            n.format
                .as_deref()
                .map(|f| format!(", {}", escape(f)))
                .unwrap_or_default()
        );
        if let Some(g) = &n.claim_generator {
            w!(out, "<br>generator: {}", escape(g));
        }
        if n.signer_organization.is_some() || n.signer_trusted.is_some() {
            w!(
                out,
                "<br>signer: {}{}",
                n.signer_organization
                    .as_deref()
                    .map_or_else(|| "(no organisation)".into(), escape),
                match n.signer_trusted {
                    Some(true) => " <span class=\"ok\">(trusted)</span>",
                    Some(false) => " <span class=\"warn\">(not trusted)</span>",
                    None => "",
                }
            );
        }
        if let Some(m) = &n.manifest {
            w!(
                out,
                "<br><span class=\"muted\">manifest</span> <code class=\"wrap\">{}</code>",
                escape(m)
            );
        }
        if !n.failures.is_empty() {
            let codes: Vec<String> = n
                .failures
                .iter()
                .take(20)
                .map(|c| format!("<code>{}</code>", escape(c)))
                .collect();
            w!(
                out,
                "<br><span class=\"bad\">failures:</span> {}",
                codes.join(", ")
            );
        }
        if !n.ingredients.is_empty() {
            if depth < 32 {
                out.push('\n');
                complete &= ingredient_tree(out, &n.ingredients, budget, depth + 1, cap);
            } else {
                complete = false;
            }
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    complete
}

fn validation(out: &mut String, r: &Report, cap: usize) {
    let v = &r.validation;
    if v.success.is_empty() && v.informational.is_empty() && v.failure.is_empty() {
        return;
    }
    w!(
        out,
        "<details class=\"validation\"><summary>c2pa SDK validation: {} failure, {} informational, {} success</summary>\n",
        v.failure.len(),
        v.informational.len(),
        v.success.len()
    );
    out.push_str("<table>\n<thead><tr><th>Kind</th><th>Code</th><th>Explanation</th><th>Scope</th></tr></thead>\n<tbody>\n");
    let mut shown = 0;
    let total = v.failure.len() + v.informational.len() + v.success.len();
    for (kind, list) in [
        ("failure", &v.failure),
        ("informational", &v.informational),
        ("success", &v.success),
    ] {
        for s in list {
            if shown == MAX_ROWS || out.len() > cap {
                break;
            }
            shown += 1;
            w!(
                out,
                "<tr><td>{kind}</td><td class=\"nowrap\"><code>{}</code></td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td></tr>\n",
                escape(&s.code),
                s.explanation.as_deref().map(escape).unwrap_or_default(),
                escape(&s.scope)
            );
        }
    }
    if let Some(m) = more(total, shown) {
        w!(out, "<tr><td colspan=\"4\" class=\"muted\">{m}</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Input;
    use crate::scan::summary::{Insights, SharedManifest};

    fn report(path: &str, verdict: Verdict) -> Report {
        let mut r = Report::error(
            Input {
                path: Some(path.into()),
                size: 10,
                sha256: Some("00".repeat(32)),
                format: "jpeg".into(),
                ..Input::default()
            },
            "provcheck.asset.malformed",
            "test",
        );
        r.verdict = verdict;
        r
    }

    fn entry(r: Report) -> PageEntry {
        PageEntry {
            report: r,
            thumbnail: None,
            manifest_thumbnail: None,
        }
    }

    fn meta() -> PageMeta {
        PageMeta {
            title: "t".into(),
            generated_at: "2026-01-01T00:00:00Z".into(),
            omitted: 0,
        }
    }

    #[test]
    fn escape_replaces_markup_quotes_controls_and_bounds() {
        assert_eq!(
            escape(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
        assert_eq!(escape("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        let e = escape("a\u{202e}b\x1b[2Jc\nd\0");
        assert!(!e.contains('\u{202e}') && !e.contains('\x1b') && !e.contains('\n'));
        assert!(!e.contains('\0'));
        let long = "<".repeat(5000);
        let e = escape(&long);
        assert_eq!(e.matches("&lt;").count(), MAX_TEXT);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn csp_hashes_match_the_inline_style_and_script() {
        let page = page(&[entry(report("a.jpg", Verdict::Error))], None, &meta());
        let style = page
            .split("<style>")
            .nth(1)
            .and_then(|s| s.split("</style>").next())
            .unwrap();
        let script = page
            .split("<script>")
            .nth(1)
            .and_then(|s| s.split("</script>").next())
            .unwrap();
        assert_eq!(page.matches("<style>").count(), 1);
        assert_eq!(page.matches("<script>").count(), 1);
        // Independently computed SHA-256 of the exact element text.
        let b64 = |s: &str| {
            base64::engine::general_purpose::STANDARD
                .encode(ring::digest::digest(&ring::digest::SHA256, s.as_bytes()))
        };
        let csp = format!(
            "default-src 'none'; img-src data:; style-src 'sha256-{}'; script-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
            b64(style),
            b64(script)
        );
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
            )),
            "CSP meta with the hashes of the inline style and script"
        );
        // Nothing that would need another CSP source.
        assert!(!page.contains(" style=\""));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!regex::Regex::new(r"<[^>]+\son[a-z]+=")
            .unwrap()
            .is_match(&page));
    }

    #[test]
    fn hostile_strings_stay_text() {
        let mut r = report("<script>alert(1)</script>.jpg", Verdict::Untrusted);
        r.summary = "\"><img src=x onerror=alert(2)>".into();
        r.remote_manifest = Some("javascript:alert(3)".into());
        let page = page(&[entry(r)], None, &meta());
        assert!(!page.contains("<script>alert"));
        assert!(!page.contains("<img src=x"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;.jpg"));
        assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
        assert!(page.contains("<code class=\"wrap\">javascript:alert(3)</code>"));
        let hrefs: Vec<_> = page.match_indices("href=").collect();
        assert!(hrefs.is_empty(), "one file, no summary: no links");
    }

    #[test]
    fn folder_page_sorts_worst_first_and_links_sections() {
        let entries = vec![
            entry(report("ok.jpg", Verdict::Authentic)),
            entry(report("bad.jpg", Verdict::Tampered)),
            entry(report("none.jpg", Verdict::Unsigned)),
        ];
        let page = page(&entries, None, &meta());
        let table = page.split("<table id=\"summary\">").nth(1).unwrap();
        let rows: Vec<&str> = table
            .split("<tr data-verdict=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(rows, ["tampered", "unsigned", "authentic"]);
        for i in 0..3 {
            assert!(page.contains(&format!("href=\"#f-{i}\"")));
            assert!(page.contains(&format!("id=\"f-{i}\"")));
        }
        let a = page.find("id=\"f-1\"").unwrap();
        let b = page.find("id=\"f-0\"").unwrap();
        assert!(a < b, "sections worst first");
    }

    #[test]
    fn thumbnails_are_embedded_whole_as_data_uris() {
        let big = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(600, 600, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
        }));
        let mut png = Vec::new();
        big.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let t = super::super::thumbs::of_pixels(&png).unwrap();
        let uri = t.data_uri();
        assert!(
            uri.len() > MAX_TEXT,
            "long enough to be cut if it were escaped"
        );
        let mut e = entry(report("a.jpg", Verdict::Unsigned));
        e.thumbnail = Some(t);
        let page = page(&[e], None, &meta());
        assert!(page.contains(&format!(
            "<img src=\"{uri}\" width=\"256\" height=\"256\" alt=\"pixels in the file\">"
        )));
        assert!(page.contains("<figure class=\"claim-thumbnail\"><div class=\"none\">none</div>"));
    }

    #[test]
    fn a_pathological_entry_stays_within_its_size_cap() {
        use crate::report::{ActionInfo, Reason};
        let mut r = report("big.jpg", Verdict::Tampered);
        let evil = "\"".repeat(5000);
        r.reasons = (0..5000)
            .map(|_| Reason {
                code: evil.clone(),
                severity: Severity::Failure,
                explanation: evil.clone(),
                scope: Some(evil.clone()),
            })
            .collect();
        r.actions = (0..5000)
            .map(|_| ActionInfo {
                action: evil.clone(),
                software_agent: Some(evil.clone()),
                digital_source_type: None,
                description: Some(evil.clone()),
                manifest: evil.clone(),
            })
            .collect();
        let page = page(&[entry(r)], None, &meta());
        let section = page.split("<section class=\"entry").nth(1).unwrap();
        assert!(
            section.len() < MAX_ENTRY_BYTES + 64 * 1024,
            "entry is {} bytes",
            section.len()
        );
        assert!(section.contains("reached the page's size cap per file"));
        assert!(section.contains("more not shown"));
        assert!(
            section.contains("<h3>File</h3>"),
            "the file facts are always there"
        );
    }

    #[test]
    fn shared_manifest_insight_lists_both_files() {
        let entries = vec![
            entry(report("one.jpg", Verdict::Untrusted)),
            entry(report("two.jpg", Verdict::Tampered)),
        ];
        let summary = Summary {
            files: 3,
            insights: Insights {
                shared_manifests: vec![SharedManifest {
                    key: "label".into(),
                    value: "urn:c2pa:<b>shared</b>".into(),
                    distinct_contents: 2,
                    file_count: 3,
                    files: vec!["one.jpg".into(), "two.jpg".into(), "gone.jpg".into()],
                }],
                ..Insights::default()
            },
            ..Summary::default()
        };
        let page = page(&entries, Some(&summary), &meta());
        let insights = page
            .split("<section id=\"insights\">")
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .unwrap();
        let shared = insights
            .split("<div class=\"insight shared-manifest\">")
            .nth(1)
            .unwrap();
        assert!(shared.contains("urn:c2pa:&lt;b&gt;shared&lt;/b&gt;"));
        assert!(shared.contains("<a href=\"#f-0\">one.jpg</a>"));
        assert!(shared.contains("<a href=\"#f-1\">two.jpg</a>"));
        assert!(shared.contains("gone.jpg <span class=\"muted\">(no detailed section)</span>"));
        assert!(shared.contains("on 3 files with 2 distinct contents"));
    }
}
