//! One CSV row per report, for spreadsheets.
//!
//! Every cell is made safe in two steps:
//!
//! 1. No raw control characters: every C0 control (including TAB, CR and LF), DEL, every C1
//!    control (U+0080-U+009F), the bidirectional overrides and isolates (U+202A-U+202E,
//!    U+2066-U+2069, U+200E, U+200F, U+061C) and the line / paragraph separators (U+2028, U+2029)
//!    are written as the text `\u{..}` (hex code point), by the same [`text::clean`] that all
//!    human output uses. A file named `a<ESC>[2Jb.jpg` is written `a\u{1b}[2Jb.jpg`; viewing the CSV
//!    in a terminal or spreadsheet cannot run an escape sequence or hide text. The exact values
//!    are in the JSON report.
//! 2. No formulas: spreadsheet programs *evaluate* a cell that starts with `=`, `+`, `-` or `@`
//!    (and some a leading TAB or CR, which step 1 has already removed), so a file name or
//!    certificate subject such as `=HYPERLINK("http://...")` would run ("CSV injection"). Every
//!    cell that starts with one of those characters is written with a leading `'` (apostrophe),
//!    which spreadsheets show as text and do not evaluate. No field provcheck writes
//!    legitimately starts with them (sizes are never negative), so a leading `'` always marks a
//!    neutralised value.
//!
//! The `csv` crate then quotes cells that need it (commas, quotes).

use super::text;
use crate::report::Report;

/// Column names, in order.
///
/// - `claimed`: the claimed source summary (`claimed_source.summary`), empty when nothing names a
///   known generator.
/// - `authenticated`: the organisation whose key signed (`authenticated_source.organization`),
///   followed by ` (key identified, not fully trusted)` when `authenticated_source.trusted` is false.
/// - `generator`: the claim generator the active manifest names (`manifest.claim_generator`, else
///   the `claim_generator_info` names joined with `; `), as written by the signer.
/// - `signer`: the subject DN of the signing certificate; `signer_sha256` its fingerprint.
/// - `reasons`: the reason codes, in report order, joined with `;`.
pub const HEADER: [&str; 12] = [
    "path",
    "sha256",
    "size",
    "format",
    "verdict",
    "claimed",
    "authenticated",
    "generator",
    "signer",
    "signer_sha256",
    "reasons",
    "summary",
];

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Make one cell safe: control characters escaped ([`text::clean`]), then `'` prefixed to a cell
/// a spreadsheet would evaluate as a formula.
fn neutralise(field: &str) -> String {
    let field = text::clean(field);
    if field.starts_with(FORMULA_START) {
        format!("'{field}")
    } else {
        field
    }
}

/// The fields of one report, in [`HEADER`] order, already neutralised.
pub fn row(r: &Report) -> Vec<String> {
    let generator = r
        .manifest
        .as_ref()
        .map(|m| match &m.claim_generator {
            Some(g) => g.clone(),
            None => m
                .claim_generator_info
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        })
        .unwrap_or_default();
    let signer = r.signature.as_ref().and_then(|s| s.signer.as_ref());
    let fields = [
        r.input.path.clone().unwrap_or_default(),
        r.input.sha256.clone().unwrap_or_default(),
        r.input.size.to_string(),
        r.input.format.clone(),
        r.verdict.as_str().to_string(),
        r.claimed_source.summary.clone().unwrap_or_default(),
        r.authenticated_source
            .as_ref()
            .map(|a| a.label(a.organization.clone()))
            .unwrap_or_default(),
        generator,
        signer.map(|s| s.subject.clone()).unwrap_or_default(),
        signer.map(|s| s.sha256.clone()).unwrap_or_default(),
        r.codes().collect::<Vec<_>>().join(";"),
        r.summary.clone(),
    ];
    fields.iter().map(|f| neutralise(f)).collect()
}

/// Write the row of `r` (the caller writes [`HEADER`] once first).
/// A CSV writer over `out` with the [`HEADER`] row already written.
pub fn writer<W: std::io::Write>(out: W) -> ::csv::Writer<W> {
    let mut w = ::csv::Writer::from_writer(out);
    // An error here surfaces again on the first row or the final flush.
    let _ = w.write_record(HEADER);
    w
}

pub fn write_row<W: std::io::Write>(w: &mut ::csv::Writer<W>, r: &Report) -> ::csv::Result<()> {
    w.write_record(row(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Input, SignatureInfo};
    use crate::trust::CertSummary;

    fn report(path: &str, subject: &str) -> Report {
        let mut r = Report::error(
            Input {
                path: Some(path.into()),
                size: 12,
                sha256: Some("ab".repeat(32)),
                format: "jpeg".into(),
                ..Input::default()
            },
            "provcheck.asset.malformed",
            "bad, \"quoted\"\nline",
        );
        r.signature = Some(SignatureInfo {
            signer: Some(CertSummary {
                subject: subject.into(),
                sha256: "cd".repeat(32),
                ..CertSummary::default()
            }),
            ..SignatureInfo::default()
        });
        r
    }

    #[test]
    fn formula_starts_are_neutralised() {
        for evil in ["=1+1", "+1", "-1", "@SUM(A1)"] {
            assert_eq!(neutralise(evil), format!("'{evil}"));
        }
        // A leading TAB or CR is escaped as text, so the cell no longer starts with it.
        assert_eq!(neutralise("\t=1"), "\\u{9}=1");
        assert_eq!(neutralise("\r=1"), "\\u{d}=1");
        for fine in ["a=1", "photo.jpg", "", "1-2"] {
            assert_eq!(neutralise(fine), fine);
        }
    }

    #[test]
    fn row_has_header_order_and_is_quoted_by_the_writer() {
        let r = report("=HYPERLINK(\"http://x\",\"y\").jpg", "@CN=Evil,O=x");
        let fields = row(&r);
        assert_eq!(fields.len(), HEADER.len());
        assert_eq!(fields[0], "'=HYPERLINK(\"http://x\",\"y\").jpg");
        assert_eq!(fields[4], "error");
        assert_eq!(fields[8], "'@CN=Evil,O=x");
        assert_eq!(fields[9], "cd".repeat(32));
        assert_eq!(fields[10], "provcheck.asset.malformed");

        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(HEADER).unwrap();
        write_row(&mut w, &r).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        let back: Vec<_> = rd.records().map(|x| x.unwrap()).collect();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].iter().collect::<Vec<_>>(), fields);
        assert!(
            back[0][11].contains("\"quoted\"\\u{a}line"),
            "{}",
            &back[0][11]
        );
    }

    #[test]
    fn no_cell_carries_a_raw_control_character() {
        let r = report(
            "a\x1b[2J\x07b\u{202e}gpj.\u{85}\x7f\tname.jpg",
            "CN=x\r\nO=\u{9b}31m",
        );
        let fields = row(&r);
        for f in &fields {
            assert!(
                !f.chars().any(|c| c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
                "{f:?}"
            );
        }
        assert_eq!(
            fields[0],
            "a\\u{1b}[2J\\u{7}b\\u{202e}gpj.\\u{85}\\u{7f}\\u{9}name.jpg"
        );
        assert_eq!(fields[8], "CN=x\\u{d}\\u{a}O=\\u{9b}31m");
    }
}
