//! Baseline for `scripts/bench-scan.sh`: what an engineer gets by calling the c2pa SDK directly.
//!
//! ```text
//! sdk_reader [--threads N] FILE_LIST
//! ```
//!
//! `FILE_LIST` holds one path per line. For each file: `std::fs::read`, then one
//! `c2pa::Reader::from_shared_context(&ctx).with_stream(mime, Cursor::new(&data))` with ONE
//! shared `c2pa::Context` (default settings), and the result is touched (`validation_state`,
//! `active_label`). No trust evaluation of its own, no attribution, no report. With `--threads N`
//! the list is processed by a rayon pool of N threads. Prints one JSON line on stdout:
//! `{"files":..,"bytes":..,"seconds":..,"outcomes":{..}}`.
//!
//! `SDK_SETTINGS`, when set, is c2pa settings JSON for that context instead of the defaults, to
//! see what a part of the SDK's work costs, e.g.
//! `SDK_SETTINGS='{"core":{"decode_identity_assertions":false}}'` (no CAWG identity checks) or
//! `'{"verify":{"verify_after_reading":false}}'` (parse and build the manifests, validate nothing).

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

/// Verdict-ish outcome counters, indexed by `Outcome as usize`.
#[derive(Clone, Copy)]
enum Outcome {
    Trusted,
    Valid,
    Invalid,
    NoManifest,
    Error,
    ReadError,
}

const OUTCOMES: [(&str, Outcome); 6] = [
    ("trusted", Outcome::Trusted),
    ("valid", Outcome::Valid),
    ("invalid", Outcome::Invalid),
    ("no_manifest", Outcome::NoManifest),
    ("sdk_error", Outcome::Error),
    ("read_error", Outcome::ReadError),
];

fn usage() -> ! {
    eprintln!("usage: sdk_reader [--threads N] FILE_LIST");
    std::process::exit(2);
}

fn parse_args() -> (usize, String) {
    let mut threads = 1usize;
    let mut list = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" | "-j" => {
                threads = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .unwrap_or_else(|| usage());
            }
            "-h" | "--help" => usage(),
            _ if list.is_none() => list = Some(a),
            _ => usage(),
        }
    }
    (threads, list.unwrap_or_else(|| usage()))
}

/// MIME type from the extension; `with_stream` sniffs the content first and uses this only as a
/// fallback.
fn mime_of(path: &str) -> String {
    c2pa::format_from_path(Path::new(path)).unwrap_or_else(|| "application/octet-stream".into())
}

fn check_one(ctx: &Arc<c2pa::Context>, path: &str, bytes: &AtomicU64) -> Outcome {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(_) => return Outcome::ReadError,
    };
    bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
    let mime = mime_of(path);
    match c2pa::Reader::from_shared_context(ctx).with_stream(&mime, Cursor::new(&data)) {
        Ok(reader) => {
            if reader.active_label().is_none() {
                return Outcome::NoManifest;
            }
            match reader.validation_state() {
                c2pa::ValidationState::Trusted => Outcome::Trusted,
                c2pa::ValidationState::Valid => Outcome::Valid,
                c2pa::ValidationState::Invalid => Outcome::Invalid,
            }
        }
        Err(c2pa::Error::JumbfNotFound) | Err(c2pa::Error::ProvenanceMissing) => {
            Outcome::NoManifest
        }
        Err(_) => Outcome::Error,
    }
}

fn main() {
    let (threads, list) = parse_args();
    let text = std::fs::read_to_string(&list).unwrap_or_else(|e| {
        eprintln!("sdk_reader: {list}: {e}");
        std::process::exit(2);
    });
    let files: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("rayon pool");

    let start = Instant::now();
    // One context for the whole run, shared by every Reader on every thread.
    let ctx = match std::env::var("SDK_SETTINGS") {
        Ok(settings) => match c2pa::Context::new().with_settings(settings.as_str()) {
            Ok(c) => c.into_shared(),
            Err(e) => {
                eprintln!("sdk_reader: SDK_SETTINGS: {e}");
                std::process::exit(2);
            }
        },
        Err(_) => c2pa::Context::new().into_shared(),
    };
    let bytes = AtomicU64::new(0);
    let counts: Vec<AtomicU64> = OUTCOMES.iter().map(|_| AtomicU64::new(0)).collect();
    pool.install(|| {
        files.par_iter().for_each(|path| {
            let outcome = check_one(&ctx, path, &bytes);
            counts[outcome as usize].fetch_add(1, Ordering::Relaxed);
        })
    });
    let seconds = start.elapsed().as_secs_f64();

    let outcomes: serde_json::Map<String, serde_json::Value> = OUTCOMES
        .iter()
        .map(|(name, o)| {
            (
                name.to_string(),
                counts[*o as usize].load(Ordering::Relaxed).into(),
            )
        })
        .collect();
    let doc = serde_json::json!({
        "tool": "sdk_reader",
        "threads": threads,
        "files": files.len(),
        "bytes": bytes.load(Ordering::Relaxed),
        "seconds": seconds,
        "outcomes": outcomes,
    });
    println!("{doc}");
}
