//! The page: head, summary table, scan facts and insights, then one entry per file.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::assets::{content_security_policy, SCRIPT, STYLE};
use super::common::*;
use super::entry::entry_section;
use crate::report::{Report, Verdict};
use crate::scan::{verdict_rank, Summary};

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
        escape(crate::bundle::LONG_VERSION)
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
        if !s.provcheck_version.is_empty() && s.provcheck_version != crate::bundle::LONG_VERSION {
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
        escape(crate::bundle::LONG_VERSION)
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
    let counts = |list: &[crate::scan::Count]| -> String {
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
