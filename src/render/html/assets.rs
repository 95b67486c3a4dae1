//! The page's style sheet and script, kept as files (`style.css`, `script.js`) and allowed by
//! their SHA-256 in the Content-Security-Policy.

use base64::Engine as _;

/// The page's only style sheet (allowed by hash in the CSP).
pub const STYLE: &str = include_str!("style.css");

/// The page's only script: makes the summary table sortable by clicking (or Enter/Space on) a
/// column header, and marks `<html data-js="on">`. It reads the table's own text and integer
/// `data-key` attributes, never writes markup, and is never built from data.
pub const SCRIPT: &str = include_str!("script.js");

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
