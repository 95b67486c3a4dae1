//! The human summary: verdict first, then who claims and who signed, then the reasons.

use crate::report::{AuthenticatedBy, Report, Severity, Verdict};

/// Make an attacker-controlled string safe to print on a terminal or put in a CSV cell: the one
/// escaping function for all human output. C0 controls (ESC, CR, LF, TAB, BEL...), DEL, C1
/// controls (U+0080-U+009F, which some terminals obey like ESC sequences), bidirectional
/// overrides, isolates and marks, and the line / paragraph separators are shown as `\u{..}`
/// escapes (hex code point). Everything else is kept as is.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}');
        let separator = matches!(c, '\u{2028}' | '\u{2029}');
        if c.is_control() || bidi || separator {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The ANSI colour that starts a verdict (reset with `\x1b[0m`).
pub fn colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Authentic => "\x1b[1;32m",
        Verdict::Mismatched | Verdict::Tampered => "\x1b[1;31m",
        Verdict::Untrusted | Verdict::Error => "\x1b[1;33m",
        Verdict::Unsigned => "\x1b[1;36m",
    }
}

/// Render one report. `verbose` adds every reason and the certificate path.
pub fn render(r: &Report, color: bool, verbose: bool) -> String {
    let mut out = String::new();
    let verdict = r.verdict.as_str().to_uppercase();
    let name = clean(r.input.path.as_deref().unwrap_or("<input>"));
    if color {
        out.push_str(&format!(
            "{}{verdict:<10}\x1b[0m {name}\n",
            colour(r.verdict)
        ));
    } else {
        out.push_str(&format!("{verdict:<10} {name}\n"));
    }
    out.push_str(&format!("  {}\n", clean(&r.summary)));
    if let Some(c) = &r.claimed_source.summary {
        out.push_str(&format!("  claimed:       {}\n", clean(c)));
    }
    match &r.authenticated_source {
        Some(a) => {
            let by = match a.authenticated_by {
                AuthenticatedBy::TrustList => "trust list",
                AuthenticatedBy::Pin => "pinned key",
            };
            let list = serde_json::to_value(a.list)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!(
                "  authenticated: {}{} ({by}: {list}){}\n",
                clean(&a.organization),
                a.generator
                    .as_ref()
                    .map(|g| format!(" [{}]", clean(g)))
                    .unwrap_or_default(),
                if a.trusted {
                    String::new()
                } else {
                    format!(
                        "; its key signed, but NOT fully trusted: {}",
                        a.limits
                            .iter()
                            .map(|l| clean(&l.explanation))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                }
            ));
        }
        None if r.signature.is_some() => out.push_str("  authenticated: none\n"),
        None => {}
    }
    if let Some(s) = r.signature.as_ref().and_then(|s| s.signer.as_ref()) {
        out.push_str(&format!(
            "  signer:        {}\n                 issued by {}\n",
            clean(&s.subject),
            clean(&s.issuer)
        ));
    }
    match &r.timestamp {
        Some(t) if t.time.is_none() && !t.validated => {
            out.push_str("  time-stamp:    present, but it could not be read or verified\n")
        }
        Some(t) => out.push_str(&format!(
            "  time-stamp:    {} by {} ({})\n",
            clean(t.time.as_deref().unwrap_or("?")),
            clean(t.tsa.as_deref().unwrap_or("unknown TSA")),
            if t.trusted { "trusted" } else { "not trusted" }
        )),
        None => {}
    }
    if let Some(u) = &r.remote_manifest {
        out.push_str(&format!("  remote:        {} (not fetched)\n", clean(u)));
    }
    let shown: Vec<_> = r
        .reasons
        .iter()
        .filter(|x| verbose || x.severity != Severity::Info)
        .collect();
    for reason in shown {
        let tag = match reason.severity {
            Severity::Failure => "x",
            Severity::Warning => "!",
            Severity::Info => "-",
        };
        out.push_str(&format!(
            "  {tag} {}: {}\n",
            clean(&reason.code),
            clean(&reason.explanation)
        ));
    }
    if verbose {
        if let Some(t) = &r.trust {
            out.push_str(&format!(
                "  path (validity judged at {}, {}):\n",
                clean(&t.evaluated_at),
                serde_json::to_value(t.evaluated_at_origin)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ));
            for l in &t.path {
                out.push_str(&format!(
                    "    {}  [{} .. {}] {}\n",
                    clean(&l.subject),
                    clean(&l.not_before),
                    clean(&l.not_after),
                    &l.sha256
                ));
            }
        }
        if let Some(c) = &r.coverage {
            out.push_str(&coverage_map(c));
        }
    }
    out
}

/// The coverage map in words: which byte ranges the signature and the hashes protect.
pub fn coverage_map(c: &crate::report::CoverageInfo) -> String {
    let mut out = format!(
        "  coverage ({}, {} bytes; {} unprotected):\n",
        clean(&c.binding),
        c.file_size,
        c.unprotected_bytes
    );
    let mut rows: Vec<(&crate::report::CoveredRange, bool)> = c
        .covered
        .iter()
        .map(|x| (x, true))
        .chain(c.unprotected.iter().map(|x| (x, false)))
        .collect();
    rows.sort_by_key(|(x, _)| (x.start, x.end));
    const MAX_ROWS: usize = 40;
    for (x, protected) in rows.iter().take(MAX_ROWS) {
        out.push_str(&format!(
            "    {:>12} .. {:<12} {} {}\n",
            x.start,
            x.end,
            if *protected {
                "protected by"
            } else {
                "UNPROTECTED"
            },
            if *protected {
                clean(&x.by)
            } else {
                String::new()
            }
        ));
    }
    if rows.len() > MAX_ROWS {
        out.push_str(&format!(
            "    ... {} more ranges (see --json)\n",
            rows.len() - MAX_ROWS
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_neutralised() {
        let evil = "Adobe\x1b[2J\x1b]0;pwned\x07\r\nFirefly\u{202e}gpj";
        let c = clean(evil);
        assert!(!c.contains('\x1b') && !c.contains('\r') && !c.contains('\n'));
        assert!(!c.contains('\u{202e}'));
        assert!(c.contains("\\u{1b}[2J"));
        // C1 CSI (U+009B) and DEL, and the Unicode line separator.
        assert_eq!(
            clean("a\u{9b}31mb\x7f\u{2028}"),
            "a\\u{9b}31mb\\u{7f}\\u{2028}"
        );
        assert_eq!(clean("plain/naïve name.jpg"), "plain/naïve name.jpg");
    }
}
