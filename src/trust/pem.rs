//! Minimal PEM (RFC 7468) reader for certificate bundles.
//!
//! Text outside `-----BEGIN ...-----` / `-----END ...-----` blocks (labels, comment lines,
//! list headers) is ignored, as trust-list bundles put free text between blocks.

use base64::Engine as _;

/// One decoded PEM block.
pub(crate) struct PemBlock {
    pub label: String,
    pub der: Vec<u8>,
}

/// Labels accepted as certificates (RFC 7468 section 5.1; "X509 CERTIFICATE" and
/// OpenSSL's "TRUSTED CERTIFICATE" are tolerated).
pub(crate) fn is_certificate_label(label: &str) -> bool {
    matches!(
        label,
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE"
    )
}

/// Split `input` into PEM blocks. The error carries the index (from 0) of the bad block.
pub(crate) fn parse_blocks(input: &[u8]) -> Result<Vec<PemBlock>, (usize, String)> {
    let text = String::from_utf8_lossy(input);
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for raw_line in text.lines() {
        let line = raw_line.trim();
        match current.as_mut() {
            None => {
                if let Some(label) = line
                    .strip_prefix("-----BEGIN ")
                    .and_then(|r| r.strip_suffix("-----"))
                {
                    current = Some((label.to_string(), String::new()));
                }
            }
            Some((label, body)) => {
                if let Some(end) = line
                    .strip_prefix("-----END ")
                    .and_then(|r| r.strip_suffix("-----"))
                {
                    let index = blocks.len();
                    if end != label.as_str() {
                        return Err((
                            index,
                            format!("BEGIN {label} closed by END {}", bounded(end)),
                        ));
                    }
                    let der = base64::engine::general_purpose::STANDARD
                        .decode(body.as_bytes())
                        .map_err(|e| (index, format!("invalid base64: {e}")))?;
                    blocks.push(PemBlock {
                        label: std::mem::take(label),
                        der,
                    });
                    current = None;
                } else if line.starts_with("-----BEGIN ") {
                    return Err((blocks.len(), format!("BEGIN {label} has no END line")));
                } else if line.contains(':') {
                    // RFC 1421 encapsulated headers (e.g. Proc-Type): not valid for certificates.
                    return Err((blocks.len(), "unexpected PEM header line".to_string()));
                } else {
                    body.extend(line.chars().filter(|c| !c.is_ascii_whitespace()));
                }
            }
        }
    }
    if let Some((label, _)) = current {
        return Err((blocks.len(), format!("BEGIN {label} has no END line")));
    }
    Ok(blocks)
}

fn bounded(s: &str) -> String {
    s.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7468_text_between_blocks_is_ignored() {
        let pem = b"## header\nLabel one\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n\
                    # comment\n-----BEGIN CERTIFICATE-----\r\nAwQF\r\n-----END CERTIFICATE-----\r\n";
        let blocks = parse_blocks(pem).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].der, vec![0, 1, 2]);
        assert_eq!(blocks[1].der, vec![3, 4, 5]);
    }

    #[test]
    fn rfc7468_bad_block_names_its_index() {
        let pem = b"-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n\
                    -----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let err = parse_blocks(pem).err().unwrap();
        assert_eq!(err.0, 1);
        let unterminated = b"-----BEGIN CERTIFICATE-----\nAAEC\n";
        assert_eq!(parse_blocks(unterminated).err().unwrap().0, 0);
    }
}
