//! The test-support rules themselves: a missing corpus fails when required and skips otherwise,
//! and the TSV reader keeps every cell (no quoting), skips comments and refuses ragged rows.

use crate::test_support::{locate, read_tsv, required};

#[test]
fn only_require_corpus_1_requires_the_corpus() {
    assert!(required(Some("1")));
    for v in [None, Some(""), Some("0"), Some("yes")] {
        assert!(!required(v), "{v:?}");
    }
}

#[test]
#[should_panic(expected = "the shared corpus is required (PROVCHECK_REQUIRE_CORPUS=1)")]
fn a_missing_required_corpus_fails_the_test() {
    let dir = tempfile::tempdir().unwrap();
    locate(&dir.path().join("no-corpus"), true, "a test");
}

#[test]
fn a_missing_optional_corpus_skips_and_a_present_one_is_found() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(locate(&dir.path().join("no-corpus"), false, "a test"), None);
    assert_eq!(
        locate(dir.path(), true, "a test").as_deref(),
        Some(dir.path())
    );
}

#[test]
fn tsv_rows_keep_quotes_and_skip_comments() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.tsv");
    std::fs::write(
        &p,
        "# a comment\npath\tnote\na.jpg\t\"quoted\" text, with a comma\n\n# another\nb.png\t\n",
    )
    .unwrap();
    let rows = read_tsv(&p);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["path"], "a.jpg");
    assert_eq!(rows[0]["note"], "\"quoted\" text, with a comma");
    assert_eq!(rows[1]["note"], "");
}

#[test]
#[should_panic(expected = "t.tsv")]
fn a_ragged_tsv_row_fails() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.tsv");
    std::fs::write(&p, "path\tnote\na.jpg\n").unwrap();
    read_tsv(&p);
}
