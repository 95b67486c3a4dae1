//! PEM (RFC 7468) certificate bundles, read with x509-parser's PEM reader (the one PEM reader of
//! provcheck).
//!
//! Text outside `-----BEGIN ...-----` / `-----END ...-----` blocks (labels, comment lines,
//! list headers) is ignored, as trust-list bundles put free text between blocks; lines are
//! trimmed first, so an indented bundle reads the same.

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
    let text: String = String::from_utf8_lossy(input)
        .lines()
        .flat_map(|l| [l.trim(), "\n"])
        .collect();
    let mut blocks = Vec::new();
    for block in x509_parser::pem::Pem::iter_from_buffer(text.as_bytes()) {
        let block = block.map_err(|e| (blocks.len(), e.to_string()))?;
        blocks.push(PemBlock {
            label: block.label,
            der: block.contents,
        });
    }
    Ok(blocks)
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
