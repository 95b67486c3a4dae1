//! `scan --resume FILE.jsonl`: files already recorded in an earlier run's JSONL (same path, size
//! and modification time) are passed over, so a scan of a huge folder can continue after an
//! interruption. A torn last line (the earlier run was killed mid-write) is ignored: that file is
//! simply checked again.
//!
//! Paths are compared as the OS's bytes: a record's `input.path_bytes` (hex, written when the
//! name is not UTF-8) when present, else its `input.path`. Two different non-UTF-8 names that
//! show the same with U+FFFD are therefore never mistaken for each other.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use super::walk::Candidate;
use crate::verifier::rfc3339_nanos;

/// The (path bytes, size, modified) triples of an earlier run.
#[derive(Debug, Default)]
pub struct Recorded {
    seen: HashSet<(Vec<u8>, u64, String)>,
    /// Lines that were not a complete record.
    pub unreadable_lines: u64,
}

#[derive(serde::Deserialize)]
struct Line {
    input: LineInput,
}

#[derive(serde::Deserialize)]
struct LineInput {
    path: Option<String>,
    #[serde(default)]
    path_bytes: Option<String>,
    size: u64,
    modified: Option<String>,
}

impl Recorded {
    /// Read an earlier run's JSONL. Only a missing or unreadable file is an error.
    pub fn load(path: &Path) -> std::io::Result<Recorded> {
        let mut r = Recorded::default();
        let file = std::io::BufReader::new(std::fs::File::open(path)?);
        for line in file.split(b'\n') {
            let line = line?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let key = serde_json::from_slice::<Line>(&line)
                .ok()
                .and_then(|Line { input: i }| {
                    let path = match i.path_bytes {
                        Some(hex_bytes) => hex::decode(hex_bytes).ok()?,
                        None => i.path?.into_bytes(),
                    };
                    Some((path, i.size, i.modified?))
                });
            match key {
                Some(k) => {
                    r.seen.insert(k);
                }
                None => r.unreadable_lines += 1,
            }
        }
        Ok(r)
    }

    /// Was this file recorded, unchanged?
    pub fn contains(&self, c: &Candidate) -> bool {
        let Some(m) = c.modified else { return false };
        self.seen.contains(&(
            c.path.as_os_str().as_encoded_bytes().to_vec(),
            c.size,
            rfc3339_nanos(m),
        ))
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}
