//! Rendering reports: short text for people, JSON / JSONL / CSV for machines, a self-contained
//! HTML evidence page for analysts.
//!
//! Report strings come from files and are attacker-controlled. JSON escaping is serde_json's;
//! text output passes every such string through [`text::clean`], which neutralises terminal
//! control sequences, bidi overrides and newlines.

pub mod csv;
pub mod html;
pub mod summary;
pub mod text;
pub mod thumbs;

use crate::report::Report;

/// Output formats shared by the commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A compact human summary per file.
    Text,
    /// One JSON document: an object for one file, an array for several.
    Json,
    /// One JSON object per line, one line per file.
    Jsonl,
    /// One CSV row per file (see `render::csv::HEADER`).
    Csv,
    /// A self-contained HTML evidence page.
    Html,
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
