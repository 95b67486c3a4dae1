//! Rendering reports: short text for people, JSON / JSONL / CSV for machines, a self-contained
//! HTML evidence page for analysts.
//!
//! Report strings come from files and are attacker-controlled. JSON escaping is serde_json's;
//! text output passes every such string through [`text::clean`], which neutralises terminal
//! control sequences, bidi overrides and newlines.

//!
//! Public because an embedder needs them as much as the `provcheck` command does: a JSON line
//! per report for logs and queues ([`json_line`]), CSV rows for spreadsheets ([`csv`]), the HTML
//! evidence page for analysts ([`html_page`]), and the text the command prints ([`text`],
//! [`summary`]) for tools that show reports to people.

pub mod csv;
pub(crate) mod html;
pub mod summary;
pub mod text;
pub(crate) mod thumbs;

use crate::report::Report;
use crate::scan::{verdict_rank, Summary};

/// The self-contained HTML evidence page for these reports, worst verdicts first, with the scan
/// summary when there is one; `omitted` counts files left out of the page (shown in its header).
/// Thumbnails appear for reports made by a verifier with [`VerifierOptions::thumbnails`]
/// (made during the check: no file is read again here, so a file swapped after its check costs
/// nothing). Every string from a report is escaped and bounded; the page loads nothing and runs
/// only its own script (Content-Security-Policy).
///
/// [`VerifierOptions::thumbnails`]: crate::VerifierOptions::thumbnails
pub fn html_page(mut reports: Vec<Report>, summary: Option<&Summary>, omitted: usize) -> String {
    reports.sort_by_key(|r| (verdict_rank(r.verdict), r.input.path.clone()));
    let entries: Vec<html::PageEntry> = reports
        .into_iter()
        .map(|mut report| {
            let t = report.input.thumbnails.take().unwrap_or_default();
            html::PageEntry {
                report,
                thumbnail: t.pixels,
                manifest_thumbnail: t.manifest,
            }
        })
        .collect();
    let meta = html::PageMeta {
        title: "provcheck evidence report".into(),
        generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        omitted,
    };
    html::page(&entries, summary, &meta)
}

/// One report as a single JSON line (no trailing newline).
pub fn json_line(r: &Report) -> String {
    serde_json::to_string(r).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; keep the stream well-formed regardless.
        format!("{{\"error\":\"report could not be serialised: {e}\"}}")
    })
}

/// Several reports as one JSON document (object for one, array otherwise).
pub fn json_document(reports: &[Report]) -> String {
    let v = if reports.len() == 1 {
        serde_json::to_value(&reports[0])
    } else {
        serde_json::to_value(reports)
    };
    v.and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|e| format!("{{\"error\":\"reports could not be serialised: {e}\"}}"))
}
