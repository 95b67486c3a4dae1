//! Scanning many files: walk and select ([`walk`]), check in parallel with per-file crash and
//! time limits ([`run`], optionally in worker processes: [`isolate`]), stream one record per file
//! to a [`Sink`], and summarise ([`summary`]), in memory that does not grow with the folder.

pub mod check;
pub mod isolate;
pub mod resume;
pub mod run;
pub mod summary;
pub mod walk;

pub use run::{scan, ScanError, ScanOptions, Sink, DEFAULT_FILE_TIMEOUT};
pub use summary::{Insights, Summary};
pub use walk::{SkipReason, WalkOptions};
