//! The end-of-scan summary for people. Every path and name in it comes from files or
//! manifests and goes through [`clean`].

use std::fmt::Write;

use super::text::clean;
use crate::report::Report;
use crate::scan::{Count, Summary};

/// Most entries printed per list (the JSON summary has more).
const SHOWN: usize = 20;

/// One compact line for a streamed record: `VERDICT    path: summary`.
pub fn record_line(r: &Report) -> String {
    format!(
        "{:<10} {}: {}",
        r.verdict.as_str().to_uppercase(),
        clean(r.input.path.as_deref().unwrap_or("<input>")),
        clean(&r.summary)
    )
}

fn counts(out: &mut String, title: &str, list: &[Count]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for c in list.iter().take(SHOWN) {
        let _ = writeln!(out, "  {:>8}  {}", c.files, clean(&c.name));
    }
    if list.len() > SHOWN {
        let _ = writeln!(
            out,
            "  ... and {} more (see --format json)",
            list.len() - SHOWN
        );
    }
}

/// The summary as text.
pub fn render(s: &Summary) -> String {
    let mut out = String::new();
    let state = if s.interrupted {
        "scan INTERRUPTED"
    } else {
        "scan complete"
    };
    let _ = writeln!(
        out,
        "{state}: {} files, {:.1} MB in {:.1} s ({:.0} files/s, {:.1} MB/s, {} {})",
        s.files,
        s.bytes as f64 / 1e6,
        s.elapsed_seconds,
        s.files_per_second,
        s.mb_per_second,
        s.jobs,
        s.worker_kind()
    );
    let verdicts: Vec<String> = crate::report::Verdict::ALL
        .iter()
        .map(|v| format!("{} {}", s.verdicts.get(v.as_str()).copied().unwrap_or(0), v))
        .collect();
    let _ = writeln!(out, "verdicts: {}", verdicts.join(", "));
    if !s.skipped.is_empty() {
        let skipped: Vec<String> = s.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let _ = writeln!(
            out,
            "passed over: {} (--list-skipped lists them)",
            skipped.join(", ")
        );
    }
    if !s.attention.is_empty() {
        let _ = writeln!(
            out,
            "needs attention ({} files, worst first):",
            s.attention_total
        );
        for l in s.attention.iter().take(SHOWN) {
            let _ = writeln!(
                out,
                "  {:<10} {}: {}",
                l.verdict.as_str().to_uppercase(),
                clean(&l.path),
                clean(&l.summary)
            );
        }
        if s.attention_total as usize > SHOWN {
            let _ = writeln!(out, "  ... and {} more", s.attention_total as usize - SHOWN);
        }
    }
    counts(&mut out, "authenticated sources", &s.authenticated_sources);
    counts(&mut out, "claimed sources", &s.claimed_sources);
    let i = &s.insights;
    for m in i.shared_manifests.iter().take(SHOWN) {
        let _ = writeln!(
            out,
            "SHARED MANIFEST: {} {} is on {} files with {} different contents (copied or transplanted manifest):",
            if m.key == "label" { "label" } else { "instance ID" },
            clean(&m.value),
            m.file_count,
            m.distinct_contents
        );
        for f in m.files.iter().take(5) {
            let _ = writeln!(out, "  {}", clean(f));
        }
    }
    for c in i.shared_content.iter().take(SHOWN) {
        let _ = writeln!(
            out,
            "SAME CONTENT, DIFFERENT MANIFESTS: content {} under {} manifests in {} files:",
            &c.content_hash.get(..16).unwrap_or(&c.content_hash),
            c.manifests.len(),
            c.file_count
        );
        for f in c.files.iter().take(5) {
            let _ = writeln!(out, "  {}", clean(f));
        }
    }
    if !i.stripped_credentials.is_empty() {
        let _ = writeln!(
            out,
            "POSSIBLY STRIPPED CREDENTIALS: {} files carry no manifest but their metadata names an AI generator, says AI-made, or points to a manifest:",
            i.stripped_credentials.len()
        );
        for f in i.stripped_credentials.iter().take(SHOWN) {
            let _ = writeln!(
                out,
                "  {}: {}",
                clean(&f.path),
                clean(&f.reasons.join("; "))
            );
        }
    }
    if !i.signers.is_empty() {
        let _ = writeln!(out, "signing certificates:");
        for sc in i.signers.iter().take(SHOWN) {
            let _ = writeln!(
                out,
                "  {:>8}  {} {} ({})",
                sc.files,
                &sc.certificate_sha256
                    .get(..16)
                    .unwrap_or(&sc.certificate_sha256),
                clean(&sc.subject),
                if sc.trusted { "trusted" } else { "not trusted" }
            );
        }
    }
    out
}
