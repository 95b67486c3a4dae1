//! A small embedder of the provcheck library: one `Verifier` built once, the files named on the
//! command line verified with per-call options, one line per file with the verdict and the
//! authenticated source, and an exit code (0 every file authentic, 1 any other verdict, 2 usage
//! or setup error).
//!
//! ```text
//! cargo run --release --example embed -- [--expect SOURCE] [--at RFC3339] FILE...
//! ```
//!
//! `--expect` (a generator id, organisation or product) and `--at` (judge certificate validity
//! at this time when a file has no trusted time-stamp) apply to each call through
//! `CallOptions`, so they do not need another `Verifier`.

use std::path::PathBuf;
use std::process::ExitCode;

use provcheck::render::text::clean;
use provcheck::{CallOptions, Report, Verdict, Verifier, VerifierOptions};

fn main() -> ExitCode {
    let mut call = CallOptions::new();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--expect" => match args.next() {
                Some(source) => call = call.expect(source),
                None => return usage("--expect needs a source"),
            },
            "--at" => match args.next().map(|t| t.parse()) {
                Some(Ok(at)) => call = call.at(at),
                _ => return usage("--at needs an RFC 3339 time, e.g. 2026-01-01T00:00:00Z"),
            },
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        return usage("no files given");
    }

    // Built once: trust lists parsed, generator registry loaded, SDK contexts made. A Verifier is
    // Send + Sync, so threads could share it (behind an Arc) as well.
    let verifier = match Verifier::new(VerifierOptions::default()) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("embed: {e}");
            return ExitCode::from(2);
        }
    };

    let mut all_authentic = true;
    for file in &files {
        // Fails only when `--expect` names no known generator; problems with the file itself
        // (unreadable, hostile, unsupported) come back as an `error` report.
        let report = match verifier.verify_path_with(file, &call) {
            Ok(r) => r,
            Err(e) => return usage(&e.to_string()),
        };
        // Names and organisations come from the file: clean them before printing.
        println!(
            "{}: {} (authenticated source: {})",
            clean(&file.to_string_lossy()),
            report.verdict,
            clean(&authenticated(&report))
        );
        all_authentic &= report.verdict == Verdict::Authentic;
    }
    ExitCode::from(if all_authentic { 0 } else { 1 })
}

/// Who really signed, when provcheck could tell: the organisation of the signing certificate and
/// the known generator it is.
fn authenticated(report: &Report) -> String {
    match &report.authenticated_source {
        Some(a) => {
            let who = match &a.generator {
                Some(g) => format!("{} [{g}]", a.organization),
                None => a.organization.clone(),
            };
            a.label(who)
        }
        None => "none".into(),
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("embed: {problem}\nusage: embed [--expect SOURCE] [--at RFC3339] FILE...");
    ExitCode::from(2)
}
