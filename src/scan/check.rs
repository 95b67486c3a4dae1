//! Checking one file with its failures contained: a panic becomes that file's
//! `provcheck.crashed` record, a time-out its `provcheck.timeout` record; and the test-only
//! fault hook. Used by the scan engine (threads and worker processes) and the service's workers.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use super::walk::FileToCheck;
use crate::codes;
use crate::read::sniff;
use crate::report::{Input, Report};
use crate::verifier::{rfc3339_nanos, Verifier};

/// Test-only fault injection (`PROVCHECK_TEST_FAULT=panic:NAME`, `hang:NAME`, `abort:NAME`): the
/// check of any file whose path contains NAME panics, never returns, or aborts the process.
///
/// Kept out of what users run: the code that reads the variable and injects the fault is
/// compiled only with the `test-hooks` cargo feature (off by default), and even then acts only in
/// a program that called [`test_hooks::install`], which only the `provcheck-test-hooks` binary
/// (built for the tests, never installed) does. `provcheck` itself ignores the variable.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) needle: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FaultKind {
    Panic,
    Hang,
    Abort,
}

impl Fault {
    /// The fault `PROVCHECK_TEST_FAULT` asks for, when the test hooks are compiled in and
    /// installed; `None` otherwise.
    pub(crate) fn from_env() -> Option<Fault> {
        #[cfg(feature = "test-hooks")]
        if test_hooks::installed() {
            return std::env::var("PROVCHECK_TEST_FAULT")
                .ok()
                .and_then(|s| Fault::parse(&s));
        }
        None
    }

    /// Parse `panic:NAME` / `hang:NAME` / `abort:NAME`.
    #[cfg(feature = "test-hooks")]
    pub(crate) fn parse(s: &str) -> Option<Fault> {
        let (kind, needle) = s.split_once(':')?;
        let kind = match kind {
            "panic" => FaultKind::Panic,
            "hang" => FaultKind::Hang,
            "abort" => FaultKind::Abort,
            _ => return None,
        };
        Some(Fault {
            kind,
            needle: needle.to_string(),
        })
    }

    /// Inject the fault if the test hooks are compiled in and installed and `path` matches; a
    /// no-op otherwise (also for a fault that reached a worker process by its configuration).
    pub(crate) fn trigger(&self, path: &Path) {
        #[cfg(feature = "test-hooks")]
        if test_hooks::installed() && path.to_string_lossy().contains(&self.needle) {
            match self.kind {
                FaultKind::Panic => panic!("test fault: panic on {}", path.display()),
                FaultKind::Hang => loop {
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                },
                FaultKind::Abort => std::process::abort(),
            }
        }
        #[cfg(not(feature = "test-hooks"))]
        let _ = path;
    }
}

/// Switch for the fault-injection hook (feature `test-hooks` only).
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks {
    use std::sync::atomic::{AtomicBool, Ordering};

    static INSTALLED: AtomicBool = AtomicBool::new(false);

    /// Let `PROVCHECK_TEST_FAULT` act in this process (and the worker processes it starts, which
    /// run the same program). Called by the `provcheck-test-hooks` binary only.
    pub fn install() {
        INSTALLED.store(true, Ordering::SeqCst);
    }

    pub(crate) fn installed() -> bool {
        INSTALLED.load(Ordering::SeqCst)
    }
}

/// The record for a file that could not be checked to the end.
pub(crate) fn failed_record(c: &FileToCheck, code: &str, explanation: String) -> Report {
    let ext = c
        .path
        .extension()
        .map(|e| sniff::format_from_extension(&e.to_string_lossy()));
    let input = Input {
        size: c.size,
        format: ext.unwrap_or(sniff::Format::Unknown).name().into(),
        modified: c.modified.map(rfc3339_nanos),
        ..Input::for_path(&c.path)
    };
    Report::error(input, code, explanation)
}

/// Check one file in this process, catching panics.
pub(crate) fn check_in_process(v: &Verifier, c: &FileToCheck, fault: Option<&Fault>) -> Report {
    let r = catch_unwind(AssertUnwindSafe(|| {
        if let Some(f) = fault {
            f.trigger(&c.path);
        }
        v.verify_path(&c.path)
    }));
    match r {
        Ok(report) => report,
        Err(p) => failed_record(c, codes::CRASHED, crashed_text(&panic_text(p.as_ref()))),
    }
}

pub(crate) use crate::report::{crashed_text, panic_text, timeout_text};
