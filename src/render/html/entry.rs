//! One file's section of the page: verdict, thumbnails, reasons, certificate path, claims,
//! actions, ingredients and validation codes.

use std::fmt::Write as _;

use super::common::*;
use crate::render::thumbs::Thumbnail;
use crate::report::{IngredientNode, Integrity, Report, Severity};
use crate::trust::PathEnd;

pub(super) fn figure(out: &mut String, t: Option<&Thumbnail>, caption: &str, class: &str) {
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

pub(super) fn entry_section(out: &mut String, i: usize, e: &PageEntry) {
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
        Some(t) if t.time.is_none() && !t.validated => w!(
            out,
            "<dt>Time-stamp</dt><dd><span class=\"warn\">present, but it could not be read or verified</span></dd>\n"
        ),
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

pub(super) fn reasons(out: &mut String, r: &Report, cap: usize) {
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
pub(super) fn ended_at_text(end: &PathEnd) -> String {
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

pub(super) fn chain(out: &mut String, r: &Report, cap: usize) {
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
                Some(end) if end.is_at(l) => match end {
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

pub(super) fn claims(out: &mut String, r: &Report, cap: usize) {
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

pub(super) fn actions(out: &mut String, r: &Report, cap: usize) {
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
pub(super) fn ingredient_tree(
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
        codes_line(out, "failures", &n.failures);
        codes_line(out, "failed when taken in (recorded)", &n.recorded_failures);
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

pub(super) fn validation(out: &mut String, r: &Report, cap: usize) {
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

/// A tree node's line of status codes (at most 20, escaped), none when `codes` is empty.
fn codes_line(out: &mut String, label: &str, codes: &[String]) {
    if codes.is_empty() {
        return;
    }
    let codes: Vec<String> = codes
        .iter()
        .take(20)
        .map(|c| format!("<code>{}</code>", escape(c)))
        .collect();
    w!(
        out,
        "<br><span class=\"bad\">{label}:</span> {}",
        codes.join(", ")
    );
}
