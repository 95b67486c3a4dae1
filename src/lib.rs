//! provcheck: check images for C2PA Content Credentials, verify signatures, content bindings and
//! certificate chains, and say whether the source an image claims is authentic or mismatched.
//!
//! The pipeline, one module per stage:
//! [`read`] (bytes → manifest facts) → [`trust`] (certificate chains) → [`attribute`] (claimed vs
//! authenticated source) → [`verdict`] → [`render`]. [`Verifier`] ties them together and is
//! built once and shared by all threads.
//!
//! ```no_run
//! let verifier = provcheck::Verifier::new(provcheck::VerifierOptions::default()).unwrap();
//! let report = verifier.verify_path(std::path::Path::new("suspect.png"));
//! println!("{}: {}", report.verdict, report.summary);
//! ```

pub mod attribute;
pub mod bundle;
pub mod cli;
mod evaluate;
pub mod many;
pub mod read;
pub mod render;
pub mod report;
pub mod scan;
pub mod serve;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod test_support_tests;
pub mod trust;
pub mod verdict;
pub mod verifier;

pub use report::{Report, Verdict};
pub use verifier::{CallOptions, ConfigError, Verifier, VerifierOptions};
