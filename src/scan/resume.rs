//! `scan --resume FILE.jsonl`: files already recorded in an earlier run's JSONL (same path, size
//! and modification time) are passed over, so a scan of a huge folder can continue after an
//! interruption. A torn last line (the earlier run was killed mid-write) is ignored: that file is
//! simply checked again.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use super::walk::Candidate;
use crate::verifier::rfc3339_nanos;

/// The (path, size, modified) triples of an earlier run.
#[derive(Debug, Default)]
pub struct Recorded {
    seen: HashSet<(String, u64, String)>,
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
            match serde_json::from_slice::<Line>(&line) {
                Ok(Line {
                    input:
                        LineInput {
                            path: Some(p),
                            size,
                            modified: Some(m),
                        },
                }) => {
                    r.seen.insert((p, size, m));
                }
                _ => r.unreadable_lines += 1,
            }
        }
        Ok(r)
    }

    /// Was this file recorded, unchanged?
    pub fn contains(&self, c: &Candidate) -> bool {
        let Some(m) = c.modified else { return false };
        self.seen.contains(&(
            c.path.to_string_lossy().into_owned(),
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
