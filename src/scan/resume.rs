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

use super::walk::FileToCheck;
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

/// Longest line taken for a record (a report is a few KiB; a longer line is counted unreadable
/// and its file simply checked again).
const MAX_LINE: usize = 4 << 20;

/// Read one `\n`-terminated line, keeping at most `max` bytes of it in `out` (the rest is read
/// and dropped). Returns the bytes consumed and whether the whole line fitted.
fn read_line_capped(
    r: &mut impl BufRead,
    out: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut fits = true;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok((consumed, fits));
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let room = max.saturating_sub(out.len());
        if chunk.len() > room {
            fits = false;
        }
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        r.consume(n);
        consumed += n;
        if done {
            return Ok((consumed, fits));
        }
    }
}

impl Recorded {
    /// Read an earlier run's JSONL. Only a missing or unreadable file is an error.
    pub fn load(path: &Path) -> std::io::Result<Recorded> {
        let mut r = Recorded::default();
        // A FIFO or device named by mistake is refused, not read forever.
        let (file, _) = crate::read::file::open_regular(path)?;
        let mut file = std::io::BufReader::new(file);
        let mut line = Vec::new();
        loop {
            line.clear();
            let (n, complete) = read_line_capped(&mut file, &mut line, MAX_LINE)?;
            if n == 0 {
                break;
            }
            if !complete {
                // Longer than any record provcheck writes: not one of ours.
                r.unreadable_lines += 1;
                continue;
            }
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
    pub fn contains(&self, c: &FileToCheck) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_whole_up_to_the_cap_and_overlong_ones_flagged() {
        let data = b"short\n0123456789abcdef\nlast-no-newline";
        let mut r = std::io::BufReader::with_capacity(4, &data[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        loop {
            line.clear();
            let (n, fits) = read_line_capped(&mut r, &mut line, 8).unwrap();
            if n == 0 {
                break;
            }
            got.push((String::from_utf8(line.clone()).unwrap(), n, fits));
        }
        assert_eq!(
            got,
            vec![
                ("short\n".to_string(), 6, true),
                ("01234567".to_string(), 17, false),
                ("last-no-".to_string(), 15, false),
            ]
        );
    }

    #[test]
    fn a_record_with_path_bytes_is_keyed_by_those_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("r.jsonl");
        std::fs::write(
            &jsonl,
            concat!(
                r#"{"input":{"path":"caf\ufffd.jpg","path_bytes":"636166e92e6a7067","size":3,"modified":"t"}}"#,
                "\n",
                r#"{"input":{"path":"plain.jpg","size":3,"modified":"t"}}"#,
                "\n{torn"
            ),
        )
        .unwrap();
        let r = Recorded::load(&jsonl).unwrap();
        assert_eq!(r.unreadable_lines, 1);
        assert!(r
            .seen
            .contains(&(b"caf\xe9.jpg".to_vec(), 3, "t".to_string())));
        assert!(r
            .seen
            .contains(&(b"plain.jpg".to_vec(), 3, "t".to_string())));
        assert!(!r
            .seen
            .contains(&("caf\u{fffd}.jpg".as_bytes().to_vec(), 3, "t".to_string())));
    }
}
