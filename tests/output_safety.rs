//! Output that cannot be turned against its reader, and bounded reads on every path, checked as a
//! user meets them: the release binary on hostile files and hostile file names.
//!
//! - HTML output (`verify --format html`, `scan --html`, `report`) on a 1 GB sparse file, a FIFO
//!   and a link to /dev/zero: refused at once, with small memory (peak RSS of the process tree
//!   from `wait4`), never a hang (a hard time limit kills it).
//! - CSV: formula starts neutralised, no raw control byte in any cell.
//! - Text: a name with ESC or a bidi override never reaches the terminal raw.
//! - `scan --jsonl -` / `--csv -`: standard output carries only that stream.
//! - A name that is not UTF-8 maps back to the exact file, and `--resume` tells such names apart.
#![cfg(unix)]

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const PLAIN: &str = "samples/plain/plain.jpg";
const SIGNED: &str = "samples/composite-dst.jpg";

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Peak resident set size of provcheck and every process it waited for, KiB.
    max_rss_kib: i64,
    elapsed: Duration,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Run provcheck with a hard time limit; a run past it is killed and fails the test.
// The child is reaped by `wait4` (for its resource usage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn provcheck_in(dir: &Path, args: &[&OsStr], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_provcheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("PROVCHECK_TEST_FAULT")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run provcheck");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: plain out-parameters; `pid` is our own child, reaped only here.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break (status, usage);
        }
        assert!(r == 0, "wait4 failed");
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("provcheck {args:?} did not finish within {limit:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        max_rss_kib: usage.ru_maxrss,
        elapsed,
    }
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// A FIFO, a link to /dev/zero and a 1 GB sparse file, in a fresh folder.
fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.jpg");
    let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.jpg")).unwrap();
    let sparse = std::fs::File::create(dir.path().join("sparse.jpg")).unwrap();
    sparse.set_len(1 << 30).unwrap();
    dir
}

/// Refused fast: well under a second of work each, and memory far below the file's size.
const FAST: Duration = Duration::from_secs(20);
const SMALL_KIB: i64 = 150 * 1024;

#[test]
fn verify_html_refuses_sparse_fifo_and_dev_zero_at_once_with_small_memory() {
    let dir = hostile_dir();
    for (name, code) in [
        ("sparse.jpg", "provcheck.limit.size"),
        ("fifo.jpg", "provcheck.io.error"),
        ("zero.jpg", "provcheck.io.error"),
    ] {
        let r = provcheck_in(
            dir.path(),
            &[os("verify"), os("--format"), os("html"), os(name)],
            FAST,
        );
        let page = r.out();
        assert!(page.contains("<!DOCTYPE html>"), "{name}: {}", r.err());
        assert!(page.contains(code), "{name}: the page names {code}");
        assert!(
            r.max_rss_kib < SMALL_KIB,
            "{name}: peak RSS {} KiB",
            r.max_rss_kib
        );
        assert!(
            r.elapsed < Duration::from_secs(10),
            "{name}: {:?}",
            r.elapsed
        );
        eprintln!(
            "verify --format html {name}: {:?}, peak RSS {} KiB",
            r.elapsed, r.max_rss_kib
        );
    }
    // The same three in one page, and the FIFO and the device named as `not a regular file`.
    let r = provcheck_in(
        dir.path(),
        &[
            os("verify"),
            os("--format"),
            os("html"),
            os("fifo.jpg"),
            os("zero.jpg"),
            os("sparse.jpg"),
        ],
        FAST,
    );
    assert!(r.out().contains("not a regular file (a FIFO)"));
    assert!(r.out().contains("not a regular file (a character device)"));
    assert!(r.max_rss_kib < SMALL_KIB, "peak RSS {} KiB", r.max_rss_kib);
}

#[test]
fn scan_html_and_report_refuse_sparse_fifo_and_dev_zero_with_small_memory() {
    let dir = hostile_dir();
    std::fs::copy(root().join(SIGNED), dir.path().join("signed.jpg")).unwrap();
    // Named one by one (always selected) and as a folder (--follow-symlinks reaches /dev/zero).
    let named = ["sparse.jpg", "fifo.jpg", "zero.jpg", "signed.jpg"];
    for in_process in [false, true] {
        let mut scan: Vec<&OsStr> = vec![os("scan"), os("--html"), os("page.html")];
        let mut report: Vec<&OsStr> = vec![os("report"), os("-o"), os("report.html")];
        let mut folder: Vec<&OsStr> = vec![
            os("report"),
            os("--follow-symlinks"),
            os("-o"),
            os("folder.html"),
        ];
        if in_process {
            for v in [&mut scan, &mut report, &mut folder] {
                v.push(os("--in-process"));
            }
        }
        scan.extend(named.iter().map(|n| os(n)));
        report.extend(named.iter().map(|n| os(n)));
        folder.push(os("."));
        for (args, page) in [
            (&scan, "page.html"),
            (&report, "report.html"),
            (&folder, "folder.html"),
        ] {
            let _ = std::fs::remove_file(dir.path().join(page));
            let r = provcheck_in(dir.path(), args, FAST);
            assert_eq!(r.code, Some(1), "{args:?}: {}", r.err());
            assert!(
                r.max_rss_kib < SMALL_KIB,
                "{args:?}: peak RSS {} KiB (provcheck and its workers)",
                r.max_rss_kib
            );
            let html = std::fs::read_to_string(dir.path().join(page)).unwrap();
            assert!(html.contains("provcheck.limit.size"), "{args:?}");
            // The one real file still has its two thumbnails (made during its check).
            assert!(
                html.matches("data:image/jpeg;base64,").count() >= 2,
                "{args:?}: thumbnails of signed.jpg"
            );
            eprintln!("{args:?}: {:?}, peak RSS {} KiB", r.elapsed, r.max_rss_kib);
        }
    }
}

/// The names of the CSV test: formula starts, ESC, TAB, CR, a C1 control, a bidi override.
fn hostile_names() -> Vec<&'static str> {
    vec![
        "=HYPERLINK(\"evil.example\",\"click\").jpg",
        "+cmd.jpg",
        "-2+3.jpg",
        "@SUM(A1).jpg",
        "esc\x1b[31mred\x1b]0;title\x07.jpg",
        "\ttab.jpg",
        "\rcr.jpg",
        "c1\u{9b}31m.jpg",
        "bidi\u{202e}gpj.exe.jpg",
    ]
}

fn named_copies(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for n in names {
        std::fs::copy(root().join(PLAIN), dir.path().join(n)).unwrap();
    }
    dir
}

/// No C0 control but LF, no DEL, no C1 control, no bidi override anywhere in `bytes`.
fn assert_no_raw_controls(bytes: &[u8], what: &str) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            !bad,
            "{what}: raw {c:?} at byte {i}: {:?}",
            &text[i.saturating_sub(40)..(i + 40).min(text.len())]
        );
    }
}

/// What the CSV documents for a path: controls as `\u{..}` text, then `'` before a formula start.
fn expected_cell(path: &str) -> String {
    let escaped: String = path
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}') {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    if escaped.starts_with(['=', '+', '-', '@']) {
        format!("'{escaped}")
    } else {
        escaped
    }
}

/// `prefix`: what the command puts before each name (`./` for a scan of `.`).
fn check_csv(csv_bytes: &[u8], names: &[&str], prefix: &str, what: &str) {
    assert_no_raw_controls(csv_bytes, what);
    let mut rd = csv::Reader::from_reader(csv_bytes);
    assert_eq!(rd.headers().unwrap().get(0), Some("path"));
    let mut paths = Vec::new();
    for rec in rd.records() {
        let rec = rec.unwrap();
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: cell {cell:?} would run as a formula"
            );
        }
        paths.push(rec.get(0).unwrap().to_string());
    }
    paths.sort();
    let mut want: Vec<String> = names
        .iter()
        .map(|n| expected_cell(&format!("{prefix}{n}")))
        .collect();
    want.sort();
    assert_eq!(paths, want, "{what}");
}

#[test]
fn csv_cells_are_neutralised_and_carry_no_raw_control_characters() {
    let names = hostile_names();
    let dir = named_copies(&names);
    // scan --csv FILE
    let r = provcheck_in(
        dir.path(),
        &[os("scan"), os("--csv"), os("out.csv"), os(".")],
        FAST,
    );
    assert_eq!(r.code, Some(1), "{}", r.err());
    let csv_bytes = std::fs::read(dir.path().join("out.csv")).unwrap();
    let _ = std::fs::remove_file(dir.path().join("out.csv"));
    check_csv(&csv_bytes, &names, "./", "scan --csv FILE");
    // verify --format csv, to standard output
    let mut args = vec![os("verify"), os("--format"), os("csv"), os("--")];
    args.extend(names.iter().map(|n| os(n)));
    let r = provcheck_in(dir.path(), &args, FAST);
    check_csv(&r.stdout, &names, "", "verify --format csv");
    // A spelled-out case: the HYPERLINK name is quoted, prefixed and kept whole.
    assert!(r
        .out()
        .contains(r#""'=HYPERLINK(""evil.example"",""click"").jpg""#));
    assert!(r.out().contains(r"esc\u{1b}[31mred\u{1b}]0;title\u{7}.jpg"));
}

#[test]
fn text_output_never_writes_a_raw_escape_from_a_name() {
    let names = hostile_names();
    let dir = named_copies(&names);
    // A skipped (unsupported) file with an ESC in its name, for --list-skipped.
    std::fs::write(dir.path().join("notes\x1b[2J.txt"), "text").unwrap();
    let mut verify = vec![os("verify"), os("--color"), os("never"), os("-v"), os("--")];
    verify.extend(names.iter().map(|n| os(n)));
    let runs = [
        provcheck_in(dir.path(), &verify, FAST),
        provcheck_in(
            dir.path(),
            &[
                os("scan"),
                os("-v"),
                os("--color"),
                os("never"),
                os("--list-skipped"),
                os("."),
            ],
            FAST,
        ),
        provcheck_in(
            dir.path(),
            &[
                os("trust"),
                os("show"),
                os("esc\x1b[31mred\x1b]0;title\x07.jpg"),
            ],
            FAST,
        ),
        // An unreadable trust file named with ESC: the usage error message.
        provcheck_in(
            dir.path(),
            &[
                os("verify"),
                os("--trust-anchors"),
                os("missing\x1b[2J.pem"),
                os("+cmd.jpg"),
            ],
            FAST,
        ),
    ];
    for (i, r) in runs.iter().enumerate() {
        assert_no_raw_controls(&r.stdout, &format!("run {i} stdout"));
        assert_no_raw_controls(&r.stderr, &format!("run {i} stderr"));
        let all = format!("{}{}", r.out(), r.err());
        assert!(
            all.contains(r"\u{1b}["),
            "run {i}: the escape is shown: {all}"
        );
    }
    assert!(runs[0].out().contains(r"bidi\u{202e}gpj.exe.jpg"));
    assert!(runs[1].err().contains(r"notes\u{1b}[2J.txt"));
    assert_eq!(runs[3].code, Some(2));
}

fn json_lines(bytes: &[u8], what: &str) -> Vec<Value> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(!text.is_empty(), "{what}: nothing on stdout");
    text.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .unwrap_or_else(|e| panic!("{what}: stdout line is not JSON ({e}): {l:?}"))
        })
        .collect()
}

#[test]
fn jsonl_and_csv_to_stdout_carry_only_their_stream() {
    let dir = hostile_dir();
    std::fs::copy(root().join(SIGNED), dir.path().join("signed.jpg")).unwrap();
    std::fs::copy(root().join(PLAIN), dir.path().join("plain.jpg")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "text").unwrap();
    for extra in [&[][..], &[os("-v"), os("--list-skipped")][..]] {
        let mut args = vec![os("scan"), os("--jsonl"), os("-")];
        args.extend_from_slice(extra);
        args.push(os("."));
        let r = provcheck_in(dir.path(), &args, FAST);
        assert_eq!(r.code, Some(1), "{}", r.err());
        let lines = json_lines(&r.stdout, "scan --jsonl -");
        assert_eq!(lines.len(), 3, "signed, plain, sparse: {}", r.out());
        assert!(lines.iter().all(|l| l["verdict"].is_string()));
        assert!(r.err().contains("scan complete"), "summary on stderr");
        assert!(r.err().contains("MISMATCHED"), "human lines on stderr");
        if !extra.is_empty() {
            assert!(r.err().contains("skipped not-regular"), "{}", r.err());
        }
        // The same with --csv -: a header and one row per file, nothing else.
        args[1] = os("--csv");
        let r = provcheck_in(dir.path(), &args, FAST);
        let mut rd = csv::Reader::from_reader(r.stdout.as_slice());
        let rows: Vec<_> = rd.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 3, "{}", r.out());
        assert!(rows.iter().all(|row| row.len() == 12));
        assert!(r.err().contains("scan complete"));
        assert!(!r.out().contains("scan complete"));
    }
    // Two streams on stdout would interleave: a usage error, before any work.
    for args in [
        &[
            os("scan"),
            os("--jsonl"),
            os("-"),
            os("--csv"),
            os("-"),
            os("."),
        ][..],
        &[
            os("scan"),
            os("--format"),
            os("json"),
            os("--jsonl"),
            os("-"),
            os("."),
        ][..],
        &[os("report"), os("--jsonl"), os("-"), os(".")][..],
    ] {
        let r = provcheck_in(dir.path(), args, FAST);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.out());
        assert!(r.stdout.is_empty());
        assert!(r.err().contains("standard output"), "{}", r.err());
    }
}

#[test]
fn a_name_that_is_not_utf8_maps_back_to_the_exact_file() {
    let dir = tempfile::tempdir().unwrap();
    let e9 = dir.path().join(OsStr::from_bytes(b"caf\xe9.jpg"));
    let e8 = dir.path().join(OsStr::from_bytes(b"caf\xe8.jpg"));
    std::fs::copy(root().join(PLAIN), &e9).unwrap();
    std::fs::copy(root().join(SIGNED), &e8).unwrap();

    // Both names show as `caf�.jpg`; path_bytes tells them apart and opens the right file.
    let r = provcheck_in(
        dir.path(),
        &[os("scan"), os("--jsonl"), os("first.jsonl"), os(".")],
        FAST,
    );
    assert_eq!(r.code, Some(1), "{}", r.err());
    let text = std::fs::read_to_string(dir.path().join("first.jsonl")).unwrap();
    let records = json_lines(text.as_bytes(), "first.jsonl");
    assert_eq!(records.len(), 2);
    for rec in &records {
        let input = &rec["input"];
        assert_eq!(input["path"].as_str().unwrap(), "./caf\u{fffd}.jpg");
        let raw = hex::decode(input["path_bytes"].as_str().expect("path_bytes")).unwrap();
        let back = dir.path().join(OsStr::from_bytes(&raw));
        let data = std::fs::read(&back).expect("path_bytes names an existing file");
        let sha = hex::encode(ring::digest::digest(&ring::digest::SHA256, &data));
        assert_eq!(
            input["sha256"].as_str(),
            Some(sha.as_str()),
            "the same file"
        );
    }
    let verdicts: std::collections::BTreeSet<_> = records
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["mismatched", "unsigned"].into_iter().collect());
    // A UTF-8 name has no path_bytes.
    let r = provcheck_in(&root(), &[os("verify"), os("--json"), os(PLAIN)], FAST);
    let v: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert!(v["input"].get("path_bytes").is_none());

    // --resume matches on the bytes: record only caf\xe9, then give caf\xe8 the same size and
    // time as caf\xe9; it still gets checked (its lossy path, size and time are all the same).
    std::fs::remove_file(&e8).unwrap();
    let r = provcheck_in(
        dir.path(),
        &[os("scan"), os("--jsonl"), os("run.jsonl"), os(".")],
        FAST,
    );
    assert_eq!(r.code, Some(1), "{}", r.err());
    std::fs::copy(&e9, &e8).unwrap();
    let t = std::fs::metadata(&e9).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(&e8)
        .unwrap()
        .set_modified(t)
        .unwrap();
    let r = provcheck_in(
        dir.path(),
        &[
            os("scan"),
            os("--resume"),
            os("run.jsonl"),
            os("--jsonl"),
            os("run.jsonl"),
            os("--exclude"),
            os("*.jsonl"),
            os("."),
        ],
        FAST,
    );
    assert_eq!(r.code, Some(1), "{}", r.err());
    let all = json_lines(
        &std::fs::read(dir.path().join("run.jsonl")).unwrap(),
        "run.jsonl",
    );
    let bytes_of = |v: &Value| v["input"]["path_bytes"].as_str().unwrap().to_string();
    let e9_hex = hex::encode(b"./caf\xe9.jpg");
    let e8_hex = hex::encode(b"./caf\xe8.jpg");
    assert_eq!(
        all.iter().map(bytes_of).collect::<Vec<_>>(),
        vec![e9_hex, e8_hex],
        "caf\\xe9 once (first run, then passed over), caf\\xe8 checked on resume"
    );
    assert!(r.out().contains("1 already-recorded"), "{}", r.out());
}
