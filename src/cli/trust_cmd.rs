//! `provcheck trust list` and `provcheck trust show`.

use provcheck::render::text::clean;
use provcheck::{AnchorInfo, Report, Verifier};

/// The anchors of both engines and the generator pins.
pub fn list(v: &Verifier, json: bool) -> String {
    let claim: Vec<_> = v.claim_signing_anchors().collect();
    let tsa: Vec<_> = v.time_stamping_anchors().collect();
    let pins: Vec<_> = v.generator_pins().collect();
    if json {
        let doc = serde_json::json!({
            "trust_lists": provcheck::TRUST_LIST_DATES,
            "claim_signing_anchors": claim,
            "time_stamping_anchors": tsa,
            "generator_pins": pins,
            "generators": v.generators(),
        });
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let mut out = format!("Trust lists: {}\n\n", provcheck::TRUST_LIST_DATES);
    let mut section = |title: &str, rows: Vec<String>| {
        out.push_str(&format!("{title} ({}):\n", rows.len()));
        for r in rows {
            out.push_str(&format!("  {r}\n"));
        }
        out.push('\n');
    };
    let anchor_row = |a: &&AnchorInfo| {
        let v = serde_json::to_value(a).unwrap_or_default();
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        format!(
            "[{}] {}  valid {} .. {}",
            s("source"),
            clean(&s("subject")),
            s("not_before"),
            s("not_after")
        )
    };
    section(
        "Claim-signing anchors and allowed certificates",
        claim.iter().map(anchor_row).collect(),
    );
    section(
        "Time-stamping anchors",
        tsa.iter().map(anchor_row).collect(),
    );
    section(
        "Generator pins (trusted keys)",
        pins.iter()
            .map(|p| {
                let v = serde_json::to_value(p).unwrap_or_default();
                let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                format!(
                    "[{}] {}  spki {}",
                    s("generator"),
                    clean(&s("subject")),
                    s("spki_sha256")
                )
            })
            .collect(),
    );
    out
}

/// The chain evaluation of one file, link by link.
pub fn show(r: &Report, json: bool) -> String {
    if json {
        let doc = serde_json::json!({
            "input": r.input,
            "verdict": r.verdict,
            "trust": r.trust,
            "timestamp": r.timestamp,
            "authenticated_source": r.authenticated_source,
            "coverage": r.coverage,
        });
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let mut out = format!(
        "{}: {}\n",
        clean(r.input.path.as_deref().unwrap_or("<input>")),
        r.verdict
    );
    let Some(t) = &r.trust else {
        out.push_str("  no signature to evaluate\n");
        return out;
    };
    out.push_str(&format!(
        "  trusted: {}   validity judged at {} ({:?})\n",
        t.trusted,
        clean(&t.evaluated_at),
        t.evaluated_at_origin
    ));
    if let Some(ts) = &r.timestamp {
        out.push_str(&format!(
            "  time-stamp: {} by {} ({})\n",
            clean(ts.time.as_deref().unwrap_or("?")),
            clean(ts.tsa.as_deref().unwrap_or("?")),
            if ts.trusted {
                "trusted TSA"
            } else {
                "TSA not trusted"
            }
        ));
    }
    for (i, l) in t.path.iter().enumerate() {
        out.push_str(&format!(
            "  [{i}] {}\n      issuer {}\n      {} .. {}  {}  sha256 {}\n",
            clean(&l.subject),
            clean(&l.issuer),
            clean(&l.not_before),
            clean(&l.not_after),
            clean(&l.key_algorithm),
            l.sha256
        ));
    }
    match &t.ended_at {
        Some(end) => out.push_str(&format!(
            "  ended at: {}\n",
            clean(&serde_json::to_string(end).unwrap_or_default())
        )),
        None => out.push_str("  ended at: nothing trusted\n"),
    }
    for f in &t.failures {
        out.push_str(&format!(
            "  failure at [{}] {}: {} ({})\n",
            f.index,
            clean(&f.subject),
            clean(f.error.code()),
            clean(&f.error.to_string())
        ));
    }
    for m in &t.name_only_matches {
        out.push_str(&format!(
            "  forgery signal: {} carries a known CA's name with another key\n",
            clean(&m.subject)
        ));
    }
    out.push_str(&format!(
        "  c2pa SDK: {} ({})\n",
        clean(&t.c2pa_signing_credential.join(", ")),
        if t.agrees_with_c2pa {
            "agrees"
        } else {
            "disagrees"
        }
    ));
    if let Some(c) = &r.coverage {
        out.push_str(&provcheck::render::text::coverage_map(c));
    }
    out
}
