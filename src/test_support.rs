//! Test support shared by the unit tests and the integration tests: where the shared corpus is,
//! and one TSV reader. Compiled only for tests: `#[path]`-included by `tests/suite/common/mod.rs`
//! (which the library's unit tests include too, as `crate::test_support`: see `src/lib.rs`) (or alone by a test crate that needs nothing
//! else from `common`: `#[path = "../src/test_support.rs"] mod test_support;`).
//!
//! The corpus is `../shared/corpus` from the project root (never an absolute path). Without it a
//! corpus test skips, saying so on the terminal (written past libtest's output capture, which
//! hides `eprintln!` of passing tests); with `PROVCHECK_REQUIRE_CORPUS=1` (set by `.ci/run`) it
//! fails instead, so CI cannot pass without having checked anything.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The shared corpus, or `None` after a loud skip notice; panics when it is absent and
/// `PROVCHECK_REQUIRE_CORPUS=1`. `test` names what did not run.
pub fn corpus(test: &str) -> Option<PathBuf> {
    locate(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        required(std::env::var("PROVCHECK_REQUIRE_CORPUS").ok().as_deref()),
        test,
    )
}

/// Whether a value of `PROVCHECK_REQUIRE_CORPUS` requires the corpus (only `1` does).
pub fn required(value: Option<&str>) -> bool {
    value == Some("1")
}

/// `dir` if it is a folder; else a panic when `required`, or `None` after a notice on the
/// terminal.
pub fn locate(dir: &Path, required: bool, test: &str) -> Option<PathBuf> {
    if dir.is_dir() {
        return Some(dir.to_path_buf());
    }
    if required {
        panic!(
            "{test}: the shared corpus is required (PROVCHECK_REQUIRE_CORPUS=1) but {} is not a folder",
            dir.display()
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!!!!! SKIPPED {test}: {} not found; this corpus test checked NOTHING (set PROVCHECK_REQUIRE_CORPUS=1 to make that a failure) !!!!!!!!\n",
        dir.display()
    );
    None
}

/// A file of the shared corpus (`rel` under `../shared/corpus`), with the same rules as
/// [`corpus`]; a corpus that is present but lacks the file fails the test.
pub fn corpus_file(test: &str, rel: &str) -> Option<PathBuf> {
    let p = corpus(test)?.join(rel);
    assert!(
        p.is_file(),
        "{test}: {} is missing from the corpus",
        p.display()
    );
    Some(p)
}

/// The media files under `root` (sorted): what a test checks, without the trust material,
/// the expectation tables, notes and licences that sit beside them in the corpus.
pub fn media_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let n = p.to_string_lossy();
            !n.contains("/trust/")
                && !n.ends_with(".tsv")
                && !n.ends_with(".md")
                && !n.ends_with(".txt")
                && !n.contains("LICENSE")
        })
        .collect();
    out.sort();
    out
}

/// Rows of a tab-separated file with a header line, as column -> value; `#` lines are comments.
/// A row with the wrong number of cells fails the test.
pub fn read_tsv(path: &Path) -> Vec<HashMap<String, String>> {
    read_tsv_from(
        path.display(),
        std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// [`read_tsv`] of text already in memory (e.g. `include_str!`).
pub fn read_tsv_str(name: &str, text: &str) -> Vec<HashMap<String, String>> {
    read_tsv_from(name, text.as_bytes())
}

fn read_tsv_from(
    name: impl std::fmt::Display,
    source: impl std::io::Read,
) -> Vec<HashMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quoting(false)
        .from_reader(source);
    let header = r
        .headers()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .clone();
    r.records()
        .map(|row| {
            let row = row.unwrap_or_else(|e| panic!("{name}: {e}"));
            header
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
