//! The read-and-hash floor for `scripts/bench-scan.sh`: read every file and SHA-256 every byte,
//! nothing else. No verifier can scan faster than it reads and hashes its input once.
//!
//! ```text
//! hash_floor [--threads N] FILE_LIST
//! ```
//!
//! `FILE_LIST` holds one path per line. Each file is read whole (`std::fs::read`, as provcheck
//! does) and hashed with `ring::digest` SHA-256 (which uses the CPU's SHA extensions when it has
//! them), on a rayon pool of N threads. Prints one JSON line on stdout:
//! `{"files":..,"bytes":..,"seconds":..}`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

fn usage() -> ! {
    eprintln!("usage: hash_floor [--threads N] FILE_LIST");
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

fn main() {
    let (threads, list) = parse_args();
    let text = std::fs::read_to_string(&list).unwrap_or_else(|e| {
        eprintln!("hash_floor: {list}: {e}");
        std::process::exit(2);
    });
    let files: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("rayon pool");

    let start = Instant::now();
    let bytes = AtomicU64::new(0);
    let errors = AtomicU64::new(0);
    // XOR of the first digest byte of every file, printed so the hashing cannot be optimised away.
    let fold = AtomicU64::new(0);
    pool.install(|| {
        files.par_iter().for_each(|path| match std::fs::read(path) {
            Ok(data) => {
                let digest = ring::digest::digest(&ring::digest::SHA256, &data);
                bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
                fold.fetch_xor(u64::from(digest.as_ref()[0]), Ordering::Relaxed);
            }
            Err(_) => {
                errors.fetch_add(1, Ordering::Relaxed);
            }
        })
    });
    let seconds = start.elapsed().as_secs_f64();

    let doc = serde_json::json!({
        "tool": "hash_floor",
        "threads": threads,
        "files": files.len(),
        "bytes": bytes.load(Ordering::Relaxed),
        "seconds": seconds,
        "read_errors": errors.load(Ordering::Relaxed),
        "fold": fold.load(Ordering::Relaxed),
    });
    println!("{doc}");
}
