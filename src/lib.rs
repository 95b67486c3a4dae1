//! provcheck: check images for C2PA Content Credentials, verify signatures, content bindings and
//! certificate chains, and say whether the source an image claims is authentic or mismatched.
//!
//! The public surface is what an embedder needs and nothing else:
//!
//! - [`Verifier`], built once from [`VerifierOptions`] and shared by all threads, turns a file or
//!   bytes into a [`Report`] whose [`Verdict`] is the one-word answer; [`CallOptions`] change one
//!   call (expected source, a name hint for bytes, the time at which certificates are judged)
//!   without building another `Verifier`.
//! - The report's parts ([`Input`], [`Reason`], [`ClaimedSource`], [`AuthenticatedSource`],
//!   [`TrustInfo`]...), serialised as the JSON documented in `docs/report.md`.
//! - [`codes`]: every reason code provcheck emits, and the C2PA status codes it acts on.
//! - [`scan`]: many files or folders, in parallel, with per-file time and crash limits.
//! - [`render`]: the report as a JSON line, CSV rows, an HTML evidence page, or text for people.
//! - [`serve`]: the HTTP verification service.
//!
//! Everything else (reading containers, the trust engine, attribution, the verdict rules) is
//! internal and may change. The `provcheck` command is a client of this API (src/main.rs) and
//! nothing here depends on it.
//!
//! ```no_run
//! use provcheck::{CallOptions, Verdict, Verifier, VerifierOptions};
//!
//! let verifier = Verifier::new(VerifierOptions::default()).unwrap();
//! let report = verifier.verify_path(std::path::Path::new("suspect.png"));
//! println!("{}: {}", report.verdict, report.summary);
//!
//! // One call expecting a source, for bytes whose name only is known:
//! let call = CallOptions::new().expect("microsoft").name("upload.jpg");
//! let report = verifier.verify_bytes_with(b"...", &call).unwrap();
//! assert_ne!(report.verdict, Verdict::Authentic);
//! ```

mod attribute;
mod bundle;
pub mod codes;
mod der;
mod evaluate;
pub mod many;
mod read;
pub mod render;
mod report;
pub mod scan;
pub mod serve;
// The integration tests' kit (signing and forging files at run time), shared with the unit
// tests that need it; it includes src/test_support.rs (corpus helpers) as its `corpus`.
#[cfg(test)]
#[path = "../tests/suite/common/mod.rs"]
mod test_common;
#[cfg(test)]
use test_common::corpus as test_support;
#[cfg(test)]
mod test_support_tests;
mod trust;
mod verdict;
mod verifier;

pub use attribute::registry::{
    Generator, GeneratorKind, Pin as GeneratorPin, Product, RegistryError,
};
pub use bundle::{C2PA_SDK_VERSION, LONG_VERSION, TRUST_LIST_DATES};
pub use read::file::ReadError;
pub use report::{
    ActionInfo, AuthenticatedBy, AuthenticatedSource, Claim, ClaimedSource, CoverageInfo,
    CoveredRange, GeneratorInfo, IngredientNode, Input, Integrity, ManifestInfo, Reason, Report,
    Severity, SignatureInfo, Status, TimeOrigin, TimestampInfo, TrustInfo, TrustLimit, Validation,
    Verdict, SCHEMA_VERSION,
};
pub use trust::{
    AnchorInfo, CertSummary, ChainError, LinkFailure, MissingIssuer, NameOnlyMatch, PathEnd,
    PinInfo, TrustError, TrustSource,
};
pub use verifier::{CallOptions, ConfigError, Verifier, VerifierOptions, DEFAULT_MAX_FILE_SIZE};

/// The guarded read provcheck uses for every file it checks, for an embedder's own inputs
/// (trust bundles, registry files): a FIFO, socket, device or folder is refused without
/// blocking, a file over `cap` bytes without being read.
pub fn read_file(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    read::file::read_capped(path, cap)
}
