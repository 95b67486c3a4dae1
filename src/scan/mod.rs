//! Scanning many files: walk and select (`walk`), check in parallel with per-file crash and
//! time limits (`run`, optionally in worker processes: [`IsolateOptions`]), stream one record per
//! file to a [`Sink`], and summarise ([`Summary`]), in memory that does not grow with the folder.
//!
//! ```no_run
//! use std::sync::Arc;
//! use provcheck::scan::{self, ScanOptions, Sink};
//! use provcheck::{Report, Verifier, VerifierOptions};
//!
//! struct Print;
//! impl Sink for Print {
//!     fn record(&mut self, r: &Report) {
//!         println!("{}", provcheck::render::json_line(r));
//!     }
//! }
//! let verifier = Arc::new(Verifier::new(VerifierOptions::default()).unwrap());
//! let mut options = ScanOptions::default();
//! options.paths = vec!["photos".into()];
//! let summary = scan::scan(verifier, &options, &mut Print).unwrap();
//! eprintln!("{} files", summary.files);
//! ```

mod check;
mod isolate;
mod resume;
mod run;
mod summary;
mod walk;

#[cfg(feature = "test-hooks")]
pub use check::test_hooks;
pub use isolate::{worker_main, IsolateOptions, DEFAULT_MEMORY_LIMIT};
pub use resume::Recorded;
pub use run::{scan, ScanError, ScanOptions, Sink, DEFAULT_FILE_TIMEOUT};
pub use summary::{
    verdict_rank, Count, Insights, Listed, SharedContent, SharedManifest, SignerCount,
    StrippedCredential, Summary, SummaryBuilder, MAX_LISTED,
};
pub use walk::{is_supported, GlobError, SkipReason, WalkOptions, HEAD_LEN};

pub(crate) use check::{crashed_text, panic_text, timeout_text, Fault};
pub(crate) use isolate::{describe_exit, limit_address_space, worker_command};
