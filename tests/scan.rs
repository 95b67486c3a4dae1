//! `provcheck scan` as a user runs it on a messy folder: one record per selected file whatever
//! happens to it, skips counted by reason, summaries that add up, crashes and hangs contained,
//! `--resume` continuing where a run stopped, and the batch insights.

#[path = "../src/test_support.rs"]
mod test_support;

#[path = "support/hooks.rs"]
mod hooks;
use hooks::program;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const GOOD: &str = "samples/bing_creator_cloud_surfing_puppy.jpg";
const PLAIN: &str = "samples/plain/plain.jpg";
const PLAIN_PNG: &str = "samples/plain/plain.png";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run provcheck with a hard 120 s limit, so a hang fails the test instead of stalling CI.
fn provcheck(args: &[&str], env: &[(&str, &str)]) -> Output {
    provcheck_program(program(env), args, env)
}

fn provcheck_program(program: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(root())
        .env_remove("PROVCHECK_TEST_FAULT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run provcheck");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("provcheck {args:?} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn read(p: &str) -> Vec<u8> {
    std::fs::read(root().join(p)).unwrap()
}

/// The signed sample with one byte of image data changed (after the manifest).
fn tampered() -> Vec<u8> {
    let mut d = read(GOOD);
    let i = d.len() - 200;
    d[i] ^= 0x55;
    d
}

struct Messy {
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// Files that must get a record, by name, with the expected verdict.
    expected: BTreeMap<String, &'static str>,
}

/// A folder with good, tampered, unsigned, non-image, empty, truncated and mislabelled files, a
/// symlink loop, a link to a file, a nested folder and (with the corpus) the TIFF IFD bomb.
fn messy_folder() -> Messy {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().to_path_buf();
    let mut expected = BTreeMap::new();
    let mut put = |name: &str, data: &[u8], verdict: Option<&'static str>| {
        let f = p.join(name);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(&f, data).unwrap();
        if let Some(v) = verdict {
            expected.insert(f.to_string_lossy().into_owned(), v);
        }
    };
    put("good.jpg", &read(GOOD), Some("authentic"));
    put("sub/deeper/good-copy.jpg", &read(GOOD), Some("authentic"));
    put("tampered.jpg", &tampered(), Some("tampered"));
    put("plain.jpg", &read(PLAIN), Some("unsigned"));
    put("sub/plain.png", &read(PLAIN_PNG), Some("unsigned"));
    put("notes.txt", b"just some text, not an image", None);
    put(
        "text-named.jpg",
        b"this is text wearing a .jpg name",
        Some("error"),
    );
    put("empty.png", b"", Some("error"));
    let good = read(GOOD);
    // Cut inside the image data: the manifest is intact, the bytes it binds are not.
    put("truncated.jpg", &good[..good.len() / 3], Some("tampered"));
    // Cut inside the manifest itself.
    put("truncated-early.jpg", &good[..2000], Some("error"));
    // No extension, but JPEG content: selected by sniffing.
    put("no-extension", &read(PLAIN), Some("unsigned"));
    if let Some(bomb) = test_support::corpus_file(
        "messy_folder (the TIFF IFD bomb)",
        "conformance/tiff/tiff_poc.tiff",
    ) {
        put(
            "tiff_poc.tiff",
            &std::fs::read(bomb).unwrap(),
            Some("error"),
        );
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&p, p.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(p.join("good.jpg"), p.join("link-to-good.jpg")).unwrap();
    }
    Messy {
        _dir: dir,
        path: p,
        expected,
    }
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

fn by_path(records: &[Value]) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    for r in records {
        let p = r["input"]["path"].as_str().unwrap().to_string();
        assert!(
            m.insert(p.clone(), r.clone()).is_none(),
            "two records for {p}"
        );
    }
    m
}

fn codes(r: &Value) -> Vec<String> {
    r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap().to_string())
        .collect()
}

fn scan_json(args: &[&str], env: &[(&str, &str)]) -> (Value, Vec<Value>, Output) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let mut all = vec!["scan", "--format", "json", "--jsonl", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = provcheck(&all, env);
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "summary is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (summary, jsonl(&out), o)
}

#[test]
fn every_selected_file_gets_exactly_one_record_and_skips_are_counted() {
    let m = messy_folder();
    let dir = m.path.to_str().unwrap();
    let (summary, records, o) = scan_json(&[dir, "--jobs", "2"], &[]);
    assert_eq!(o.status.code(), Some(1), "not all authentic: exit 1");
    let got = by_path(&records);
    let want: Vec<&String> = m.expected.keys().collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want,
        "one record per selected file"
    );
    for (path, verdict) in &m.expected {
        assert_eq!(got[path]["verdict"], *verdict, "{path}: {}", got[path]);
    }
    let text_jpg = &got[&m.path.join("text-named.jpg").to_string_lossy().into_owned()];
    assert!(codes(text_jpg).contains(&"provcheck.format.contentMismatch".to_string()));
    assert_eq!(text_jpg["input"]["extension_format"], "jpeg");
    let empty = &got[&m.path.join("empty.png").to_string_lossy().into_owned()];
    assert!(codes(empty).contains(&"provcheck.asset.empty".to_string()));
    let tampered = &got[&m.path.join("tampered.jpg").to_string_lossy().into_owned()];
    // The sample binds its content with a box hash (c2pa.hash.boxes).
    assert!(
        codes(tampered).contains(&"assertion.boxesHash.mismatch".to_string()),
        "{tampered}"
    );

    // The summary adds up to the records.
    assert_eq!(summary["files"], records.len());
    let mut per_verdict: BTreeMap<String, u64> = BTreeMap::new();
    for r in &records {
        *per_verdict
            .entry(r["verdict"].as_str().unwrap().into())
            .or_default() += 1;
    }
    for (v, n) in summary["verdicts"].as_object().unwrap() {
        assert_eq!(
            per_verdict.get(v).copied().unwrap_or(0),
            n.as_u64().unwrap(),
            "{v}"
        );
    }
    let bytes: u64 = records
        .iter()
        .map(|r| r["input"]["size"].as_u64().unwrap())
        .sum();
    assert_eq!(summary["bytes"], bytes);
    assert_eq!(summary["interrupted"], false);
    // Passed over, by reason: notes.txt; the two links (not followed by default).
    assert_eq!(
        summary["skipped"]["unsupported"], 1,
        "{}",
        summary["skipped"]
    );
    if cfg!(unix) {
        assert_eq!(summary["skipped"]["symlink"], 2, "{}", summary["skipped"]);
    }
    // Worst first in the attention list.
    let attention = summary["attention"].as_array().unwrap();
    assert_eq!(attention[0]["verdict"], "tampered");
    assert_eq!(summary["attention_total"], attention.len());
}

#[test]
fn list_skipped_names_every_path_passed_over() {
    let m = messy_folder();
    let o = provcheck(
        &[
            "scan",
            "--list-skipped",
            "--format",
            "json",
            m.path.to_str().unwrap(),
        ],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("skipped unsupported:") && err.contains("notes.txt"),
        "{err}"
    );
    if cfg!(unix) {
        assert!(
            err.contains("skipped symlink:") && err.contains("loop"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn followed_symlink_loop_is_reported_not_walked() {
    let m = messy_folder();
    let (summary, records, _) = scan_json(&["--follow-symlinks", m.path.to_str().unwrap()], &[]);
    assert_eq!(
        summary["skipped"]["symlink-loop"], 1,
        "{}",
        summary["skipped"]
    );
    // The link to good.jpg is followed now: one more record, nothing walked twice.
    assert_eq!(records.len(), m.expected.len() + 1);
}

#[test]
fn include_exclude_and_max_depth_select_files() {
    let m = messy_folder();
    let dir = m.path.to_str().unwrap();
    let (s, records, _) = scan_json(&[dir, "--include", "*.png"], &[]);
    assert!(records
        .iter()
        .all(|r| r["input"]["path"].as_str().unwrap().ends_with(".png")));
    assert_eq!(records.len(), 2, "sub/plain.png and empty.png");
    assert!(s["skipped"]["excluded"].as_u64().unwrap() > 0);
    let (_, records, _) = scan_json(&[dir, "--exclude", "sub"], &[]);
    assert!(records
        .iter()
        .all(|r| !r["input"]["path"].as_str().unwrap().contains("/sub/")));
    let (_, records, _) = scan_json(&[dir, "--max-depth", "1"], &[]);
    assert!(records
        .iter()
        .all(|r| !r["input"]["path"].as_str().unwrap().contains("/sub/")));
    assert!(!records.is_empty());
}

#[test]
fn a_panicking_check_in_process_is_one_crashed_record_and_the_scan_goes_on() {
    let m = messy_folder();
    let (summary, records, o) = scan_json(
        &[m.path.to_str().unwrap(), "--in-process"],
        &[("PROVCHECK_TEST_FAULT", "panic:tampered")],
    );
    let got = by_path(&records);
    assert_eq!(got.len(), m.expected.len());
    let t = &got[&m.path.join("tampered.jpg").to_string_lossy().into_owned()];
    assert_eq!(t["verdict"], "error");
    assert_eq!(codes(t), vec!["provcheck.crashed"]);
    let good = &got[&m.path.join("good.jpg").to_string_lossy().into_owned()];
    assert_eq!(good["verdict"], "authentic");
    assert_eq!(summary["files"], records.len());
    assert!(o.status.code() == Some(1));
}

#[test]
fn a_hanging_check_in_process_times_out_and_the_scan_completes() {
    let m = messy_folder();
    let (summary, records, _) = scan_json(
        &[
            m.path.to_str().unwrap(),
            "--in-process",
            "--file-timeout",
            "1",
            "--jobs",
            "2",
        ],
        &[("PROVCHECK_TEST_FAULT", "hang:plain.jpg")],
    );
    let got = by_path(&records);
    assert_eq!(got.len(), m.expected.len());
    let p = &got[&m.path.join("plain.jpg").to_string_lossy().into_owned()];
    assert_eq!(codes(p), vec!["provcheck.timeout"]);
    // The replacement worker kept going: every other file has its real verdict.
    let good = &got[&m
        .path
        .join("sub/deeper/good-copy.jpg")
        .to_string_lossy()
        .into_owned()];
    assert_eq!(good["verdict"], "authentic");
    assert_eq!(summary["verdicts"]["error"].as_u64().unwrap(), {
        records.iter().filter(|r| r["verdict"] == "error").count() as u64
    });
}

#[cfg(unix)]
#[test]
fn isolated_workers_survive_aborts_and_hangs() {
    let m = messy_folder();
    let dir = m.path.to_str().unwrap();
    let (summary, records, _) = scan_json(
        // Worker processes are the default.
        &[dir, "--jobs", "2"],
        &[("PROVCHECK_TEST_FAULT", "abort:tampered")],
    );
    assert_eq!(summary["isolated"], true);
    let got = by_path(&records);
    assert_eq!(got.len(), m.expected.len());
    let t = &got[&m.path.join("tampered.jpg").to_string_lossy().into_owned()];
    assert_eq!(codes(t), vec!["provcheck.crashed"]);
    assert!(t["reasons"][0]["explanation"]
        .as_str()
        .unwrap()
        .contains("SIGABRT"));
    for (path, verdict) in &m.expected {
        if !path.ends_with("tampered.jpg") {
            assert_eq!(got[path]["verdict"], *verdict, "{path}");
        }
    }
    let (_, records, _) = scan_json(
        &[dir, "--isolate", "--file-timeout", "1"],
        &[("PROVCHECK_TEST_FAULT", "hang:good.jpg")],
    );
    let got = by_path(&records);
    assert_eq!(got.len(), m.expected.len());
    let g = &got[&m.path.join("good.jpg").to_string_lossy().into_owned()];
    assert_eq!(codes(g), vec!["provcheck.timeout"]);
    let p = &got[&m.path.join("plain.jpg").to_string_lossy().into_owned()];
    assert_eq!(
        p["verdict"], "unsigned",
        "the replacement worker checks the rest"
    );
}

/// What users run ignores the fault-injection variable: `provcheck` (in-process and with worker
/// processes) checks every file normally, while `provcheck-test-hooks` on the same folder and
/// variable does crash (so this test can fail). Built without the test-hooks feature, the
/// provcheck binary does not even contain the hook's variable name.
#[test]
fn the_provcheck_binary_ignores_the_test_fault_hook() {
    let m = messy_folder();
    let dir = m.path.to_str().unwrap();
    let tampered = m.path.join("tampered.jpg").to_string_lossy().into_owned();
    for (mode, fault) in [
        ("--in-process", "panic:tampered"),
        ("--isolate", "abort:tampered"),
        ("--isolate", "hang:good.jpg"),
    ] {
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("out.jsonl");
        let o = provcheck_program(
            env!("CARGO_BIN_EXE_provcheck"),
            &[
                "scan",
                "--format",
                "json",
                "--jsonl",
                out.to_str().unwrap(),
                "--file-timeout",
                "20",
                mode,
                dir,
            ],
            &[("PROVCHECK_TEST_FAULT", fault)],
        );
        assert_eq!(o.status.code(), Some(1), "{mode} {fault}: {o:?}");
        let got = by_path(&jsonl(&out));
        assert_eq!(got.len(), m.expected.len(), "{mode} {fault}");
        for (path, verdict) in &m.expected {
            assert_eq!(got[path]["verdict"], *verdict, "{mode} {fault}: {path}");
            assert!(
                !codes(&got[path])
                    .iter()
                    .any(|c| c == "provcheck.crashed" || c == "provcheck.timeout"),
                "{mode} {fault}: {path}: {:?}",
                codes(&got[path])
            );
        }
    }
    if cfg!(feature = "test-hooks") {
        // The positive control: the hook binary does act on the same variable.
        let (_, records, _) = scan_json(
            &[dir, "--in-process"],
            &[("PROVCHECK_TEST_FAULT", "panic:tampered")],
        );
        assert_eq!(
            codes(&by_path(&records)[&tampered]),
            vec!["provcheck.crashed"]
        );
    } else {
        let bin = std::fs::read(env!("CARGO_BIN_EXE_provcheck")).unwrap();
        assert!(
            !bin.windows(20).any(|w| w == b"PROVCHECK_TEST_FAULT"),
            "a provcheck built without the test-hooks feature contains the hook's variable name"
        );
    }
}

#[test]
fn resume_skips_what_was_recorded_and_appends_the_rest() {
    let m = messy_folder();
    let dir = m.path.to_str().unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("run.jsonl");
    let out_s = out.to_str().unwrap();
    provcheck(&["scan", "--format", "json", "--jsonl", out_s, dir], &[]);
    let first = jsonl(&out);
    assert_eq!(first.len(), m.expected.len());
    // Simulate a run killed after three records, in the middle of the fourth line.
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let kept = format!(
        "{}\n{}\n{}\n{}",
        lines[0],
        lines[1],
        lines[2],
        &lines[3][..20]
    );
    std::fs::write(&out, kept).unwrap();

    let o = provcheck(
        &[
            "scan", "--format", "json", "--resume", out_s, "--jsonl", out_s, dir,
        ],
        &[],
    );
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["skipped"]["already-recorded"], 3, "{summary}");
    assert_eq!(summary["files"], m.expected.len() - 3);
    // The file now holds every file once, plus the torn line, which is not a record.
    let text = std::fs::read_to_string(&out).unwrap();
    let records: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(
        text.lines().count(),
        records.len() + 1,
        "only the torn line is not JSON"
    );
    let got = by_path(&records);
    assert_eq!(got.len(), m.expected.len());

    // A changed file is checked again.
    std::fs::write(m.path.join("plain.jpg"), read(PLAIN_PNG)).unwrap();
    let o = provcheck(&["scan", "--format", "json", "--resume", out_s, dir], &[]);
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["files"], 1, "{summary}");
}

#[test]
fn shared_manifest_on_different_content_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jpg"), read(GOOD)).unwrap();
    std::fs::write(dir.path().join("b-identical-copy.jpg"), read(GOOD)).unwrap();
    let (summary, _, _) = scan_json(&[dir.path().to_str().unwrap()], &[]);
    assert_eq!(
        summary["insights"]["shared_manifests"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "identical copies share content: nothing to flag"
    );
    // Same manifest, different pixels: a transplanted or reused manifest.
    std::fs::write(dir.path().join("c-other-content.jpg"), tampered()).unwrap();
    let (summary, _, o) = scan_json(&[dir.path().to_str().unwrap()], &[]);
    let shared = summary["insights"]["shared_manifests"].as_array().unwrap();
    let label = shared
        .iter()
        .find(|s| s["key"] == "label")
        .unwrap_or_else(|| panic!("{summary}"));
    assert_eq!(label["distinct_contents"], 2);
    assert_eq!(label["file_count"], 3);
    assert_eq!(label["files"].as_array().unwrap().len(), 3);
    // And the text summary says so.
    let o2 = provcheck(
        &["scan", "--color", "never", dir.path().to_str().unwrap()],
        &[],
    );
    let text = String::from_utf8_lossy(&o2.stdout);
    assert!(text.contains("SHARED MANIFEST"), "{text}");
    assert!(o.status.code() == Some(1));
    // And the HTML report (`provcheck report DIR -o FILE`) shows it, linking each file's section.
    let page = dir.path().join("report.html");
    let o3 = provcheck(
        &[
            "report",
            dir.path().to_str().unwrap(),
            "-o",
            page.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        o3.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o3.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    let insight = html
        .split("<div class=\"insight shared-manifest\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no shared-manifest insight in the page"));
    let insight = &insight[..insight.find("</div>").unwrap()];
    for name in ["a.jpg", "b-identical-copy.jpg", "c-other-content.jpg"] {
        assert!(insight.contains(name), "{name} missing from {insight}");
    }
    assert_eq!(insight.matches("href=\"#f-").count(), 3, "{insight}");
}

#[test]
fn same_content_under_two_manifests_is_flagged() {
    // The bundled forged sample (samples/composite-dst.jpg) carries the image of the
    // conformance file for_trusted_read.jpg under a different manifest.
    let Some(corpus) = test_support::corpus_file(
        "same_content_under_two_manifests_is_flagged",
        "conformance/jpeg/for_trusted_read.jpg",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&corpus, dir.path().join("original.jpg")).unwrap();
    std::fs::copy(
        root().join("samples/composite-dst.jpg"),
        dir.path().join("resigned.jpg"),
    )
    .unwrap();
    let (summary, _, _) = scan_json(&[dir.path().to_str().unwrap()], &[]);
    let sc = summary["insights"]["shared_content"].as_array().unwrap();
    assert_eq!(sc.len(), 1, "{summary}");
    assert_eq!(sc[0]["manifests"].as_array().unwrap().len(), 2);
}

#[cfg(unix)]
#[test]
fn a_panicking_check_in_a_worker_process_is_one_crashed_record() {
    let m = messy_folder();
    let (_, records, _) = scan_json(
        &[m.path.to_str().unwrap()],
        &[("PROVCHECK_TEST_FAULT", "panic:tampered")],
    );
    let got = by_path(&records);
    assert_eq!(got.len(), m.expected.len());
    let t = &got[&m.path.join("tampered.jpg").to_string_lossy().into_owned()];
    assert_eq!(codes(t), vec!["provcheck.crashed"]);
    let good = &got[&m.path.join("good.jpg").to_string_lossy().into_owned()];
    assert_eq!(good["verdict"], "authentic");
}

#[test]
fn csv_and_jsonl_stream_to_stdout() {
    let m = messy_folder();
    let o = provcheck(&["scan", "--format", "csv", m.path.to_str().unwrap()], &[]);
    let out = String::from_utf8(o.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "path");
    assert_eq!(rdr.records().count(), m.expected.len());
    // The summary goes to stderr so stdout stays machine-readable.
    assert!(String::from_utf8_lossy(&o.stderr).contains("scan complete"));
    let o = provcheck(
        &["scan", "--format", "jsonl", m.path.to_str().unwrap()],
        &[],
    );
    let lines = String::from_utf8(o.stdout).unwrap();
    assert_eq!(lines.lines().count(), m.expected.len());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_with_complete_lines_and_an_interrupted_summary() {
    let m = messy_folder();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("run.jsonl");
    // One worker; the first file (empty.png, by name order) hangs until the 3 s limit, so the
    // scan is certainly still running when the interrupt arrives.
    let fault = [("PROVCHECK_TEST_FAULT", "hang:empty.png")];
    let mut child = Command::new(program(&fault))
        .args([
            "scan",
            "--format",
            "json",
            "--jobs",
            "1",
            "--file-timeout",
            "3",
            "--jsonl",
            out.to_str().unwrap(),
            m.path.to_str().unwrap(),
        ])
        .envs(fault)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the scan did not stop after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["interrupted"], true);
    // Every line written is a complete record, and the summary counts exactly those.
    let records = jsonl(&out);
    assert_eq!(summary["files"], records.len());
    assert!(records.len() < m.expected.len(), "stopped before the end");
    // The file under way when Ctrl-C came still got its record (here: its time-out).
    let hung = by_path(&records);
    let empty = m.path.join("empty.png").to_string_lossy().into_owned();
    assert_eq!(codes(&hung[&empty]), vec!["provcheck.timeout"]);
}

/// Files without a manifest whose metadata names an AI generator, says AI-made, or points at a
/// manifest are listed as possibly stripped, with the same findings whether files are checked in
/// worker processes (the finding travels beside the JSON report) or on threads; a plain file
/// is not listed.
#[test]
fn possibly_stripped_credentials_are_listed_from_workers_and_threads() {
    let (Some(ai), Some(pointer)) = (
        test_support::corpus_file(
            "possibly_stripped_credentials_are_listed_from_workers_and_threads",
            "generators/none/automatic1111_cropped.png",
        ),
        test_support::corpus_file(
            "possibly_stripped_credentials_are_listed_from_workers_and_threads",
            "conformance/jpeg/no_manifest.jpg",
        ),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&ai, dir.path().join("ai.png")).unwrap();
    std::fs::copy(&pointer, dir.path().join("pointer.jpg")).unwrap();
    std::fs::copy(root().join(PLAIN), dir.path().join("plain.jpg")).unwrap();
    let folder = dir.path().to_str().unwrap();
    let listed = |args: &[&str]| -> BTreeMap<String, (Vec<Value>, Vec<Value>)> {
        let (summary, records, _) = scan_json(args, &[]);
        assert_eq!(records.len(), 3, "{summary}");
        summary["insights"]["stripped_credentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let name = Path::new(c["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let generators = c["generators"].as_array().unwrap().clone();
                (name, (generators, c["reasons"].as_array().unwrap().clone()))
            })
            .collect()
    };
    let workers = listed(&[folder]);
    assert_eq!(
        workers.keys().collect::<Vec<_>>(),
        ["ai.png", "pointer.jpg"],
        "{workers:?}"
    );
    let (ai_generators, ai_reasons) = &workers["ai.png"];
    assert!(!ai_generators.is_empty(), "{workers:?}");
    assert_eq!(
        ai_reasons,
        &["names an AI generator", "says it is AI-generated"]
    );
    assert_eq!(
        workers["pointer.jpg"].1,
        ["XMP dcterms:provenance points to a C2PA manifest the file no longer carries"]
    );
    assert_eq!(listed(&["--in-process", folder]), workers);
}
