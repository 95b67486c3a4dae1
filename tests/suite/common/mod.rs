//! Test-support kit for provcheck's integration tests.
//!
//! Makes signed, forged and tampered images at run time, signed with throw-away
//! certificates (rcgen), with c2pa's own `Builder`. No network.
//!
//! What c2pa 0.90.22 refuses when signing (its check of the signing certificate, which
//! [`sign`] keeps and [`sign_unchecked`] bypasses), all as
//! `Err(c2pa::Error::CertificateProfileError(..))`: a leaf not valid now (expired or not
//! yet valid: `CertificateNotValidAtTime`); a self-signed CA (`SelfSignedCertificate`); a
//! leaf with cA=TRUE; no EKU, an EKU outside emailProtection / documentSigning /
//! timeStamping / OCSPSigning / MS C2PA signing / C2PA claim signing, anyExtendedKeyUsage,
//! or timeStamping/OCSPSigning together with another EKU; a keyUsage with none of
//! digitalSignature / nonRepudiation / keyCertSign (or no keyUsage); digitalSignature +
//! keyCertSign on a non-CA; (from the source, not exercised) no authorityKeyIdentifier,
//! a non-v3 certificate, an unsupported curve or signature algorithm.
//! It accepts a self-signed leaf with cA=FALSE, nonRepudiation without digitalSignature,
//! and any x5chain order / length / loop (it builds no path while signing).
//!
//! Reader quirks worth knowing (c2pa 0.90.22): a signing certificate whose subject has no
//! O attribute is reported as `claimSignature.mismatch`; a `c2pa.created` action without
//! digitalSourceType is `assertion.action.malformed`; x5chain is not reordered (shuffled
//! intermediates => `signingCredential.untrusted`); a TSA certificate that fails the
//! profile check (e.g. serverAuth EKU) adds a `signingCredential.invalid` failure, while
//! one with emailProtection and no timeStamping EKU is still `timeStamp.trusted`.

#![allow(dead_code, unused_imports)]

pub mod certs;
#[path = "../../../src/test_support.rs"]
pub mod corpus;
pub mod der;
pub mod sign;
pub mod tamper;
pub mod tsa;

use std::path::PathBuf;

pub use certs::*;
pub use corpus::*;
pub use sign::*;
pub use tamper::*;
pub use tsa::*;

/// MIME type for a format given as MIME type or extension.
pub fn mime(format: &str) -> &'static str {
    match format.trim_start_matches('.').to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "image/jpeg" | "image/jpg" => "image/jpeg",
        "png" | "image/png" => "image/png",
        "webp" | "image/webp" => "image/webp",
        "tif" | "tiff" | "image/tiff" => "image/tiff",
        "gif" | "image/gif" => "image/gif",
        "wav" | "audio/wav" => "audio/wav",
        "avif" | "image/avif" => "image/avif",
        "heic" | "image/heic" => "image/heic",
        "mp4" | "video/mp4" => "video/mp4",
        "jxl" | "image/jxl" => "image/jxl",
        other => panic!("unknown format {other:?}"),
    }
}

fn plain(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join("plain")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// samples/plain/plain.jpg: 64x48 baseline JPEG, JFIF only, no metadata.
pub fn plain_jpeg() -> Vec<u8> {
    plain("plain.jpg")
}

/// samples/plain/plain.png: 64x48 RGB PNG, no metadata.
pub fn plain_png() -> Vec<u8> {
    plain("plain.png")
}

/// samples/plain/plain.webp: 64x48 lossy (VP8) WebP, no metadata.
pub fn plain_webp() -> Vec<u8> {
    plain("plain.webp")
}

/// Write `bytes` to a fresh temp dir as `image.<ext>`; keep the guard alive while in use.
pub fn write_temp(bytes: &[u8], ext: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir
        .path()
        .join(format!("image.{}", ext.trim_start_matches('.')));
    std::fs::write(&path, bytes).expect("write temp file");
    (dir, path)
}
