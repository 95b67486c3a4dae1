//! `provcheck serve` as a pipeline uses it: the release binary started on an ephemeral loopback
//! port, spoken to over plain HTTP/1.1 (raw `TcpStream`, so slow and broken clients can be
//! played too). Every file of the shared generator corpus gets the same verdict as
//! `provcheck verify --json`; oversize bodies get 413, garbage a 200 `error` report, a hanging
//! check a `provcheck.timeout` report in time, saturation 503 rather than a hang, a missing or
//! wrong token 401 off loopback, and SIGTERM lets requests in flight finish.

use crate::hooks;
use hooks::program;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const GOOD: &str = "samples/bing_creator_cloud_surfing_puppy.jpg";
const MISMATCHED: &str = "samples/composite-dst.jpg";
const PLAIN: &str = "samples/plain/plain.jpg";
/// Certificate validity is judged at this time by both the server and the CLI.
const AT: &str = "2026-11-23T00:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &str) -> Vec<u8> {
    std::fs::read(root().join(p)).unwrap_or_else(|e| panic!("read {p}: {e}"))
}

/// A running `provcheck serve`, killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::try_start(args, env).unwrap_or_else(|e| panic!("serve {args:?}: {e}"))
    }

    /// Start and wait (30 s at most) for the "listening on" line; Err with stderr otherwise.
    fn try_start(args: &[&str], env: &[(&str, &str)]) -> Result<Server, String> {
        let mut cmd = Command::new(program(env));
        cmd.arg("serve")
            .args(args)
            .current_dir(root())
            .env_remove("PROVCHECK_TEST_FAULT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !args.contains(&"--listen") {
            cmd.args(["--listen", "127.0.0.1:0"]);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start provcheck serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(l)) = lines.next() {
                let _ = tx.send(l);
            }
            for _ in lines {}
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => {
                let addr = line
                    .rsplit("http://")
                    .next()
                    .and_then(|a| a.trim().parse().ok());
                match addr {
                    Some(addr) => Ok(Server { child, addr, log }),
                    None => {
                        let _ = child.kill();
                        let _ = child.wait();
                        Err(format!("unexpected first line {line:?}"))
                    }
                }
            }
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().ok();
                std::thread::sleep(Duration::from_millis(100));
                Err(format!(
                    "no listening line (exit {status:?}); stderr:\n{}",
                    log.lock().unwrap()
                ))
            }
        }
    }

    /// The address to call: loopback even when bound to 0.0.0.0.
    fn target(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.addr.port()))
    }

    fn get(&self, path: &str) -> Resp {
        http(self.target(), "GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &[u8]) -> Resp {
        http(self.target(), "POST", path, &[], body)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn sigterm(&self) {
        // SAFETY: plain kill(2) on our own child.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
    }

    /// Wait for the process to end (at most `limit`).
    fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), 60 s socket time limit.
fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413, 401, 503) and close before reading the whole body.
    let _ = s.write_all(body);
    read_response(&mut s)
}

fn read_response(s: &mut TcpStream) -> Resp {
    let mut raw = Vec::new();
    if let Err(e) = s.read_to_end(&mut raw) {
        if raw.is_empty() {
            panic!("reading the response failed: {e}");
        }
    }
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "not an HTTP response: {:?}",
            String::from_utf8_lossy(&raw[..raw.len().min(300)])
        )
    })
}

fn parse_response(raw: &[u8]) -> Option<Resp> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    assert!(
        !headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")),
        "chunked responses are not expected"
    );
    Some(Resp {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

/// A multipart/form-data body with one part per (file name, bytes).
fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "provcheck-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, data) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The report validates against docs/report.schema.json (the API returns the same schema).
fn assert_schema_valid(report: &Value) {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let v = VALIDATOR.get_or_init(|| {
        let schema: Value =
            serde_json::from_slice(&read("docs/report.schema.json")).expect("schema is JSON");
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    });
    let errors: Vec<String> = v.iter_errors(report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{report}");
}

fn codes(report: &Value) -> Vec<String> {
    report["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `provcheck verify --json` on these files: one report per file, in order.
fn cli_reports(files: &[PathBuf], extra: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_provcheck"))
        .arg("verify")
        .arg("--json")
        .args(extra)
        .args(files)
        .current_dir(root())
        .env_remove("PROVCHECK_TEST_FAULT")
        .output()
        .expect("run provcheck verify");
    let v: Value = serde_json::from_slice(&out.stdout).expect("verify --json output");
    match v {
        Value::Array(a) => a,
        one => vec![one],
    }
}

fn generators_corpus() -> Option<PathBuf> {
    let p = root().join("../shared/corpus/generators");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var("PROVCHECK_REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!("PROVCHECK_REQUIRE_CORPUS=1 but {} is missing", p.display());
    }
    eprintln!(
        "\n!!!!!!!! SKIPPED: {} not found; serve was NOT compared with the CLI on the corpus !!!!!!!!\n",
        p.display()
    );
    None
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_file_gets_the_cli_verdict() {
    let Some(dir) = generators_corpus() else {
        return;
    };
    let files = files_under(&dir);
    assert!(files.len() >= 20, "corpus has only {} files", files.len());
    let expected = cli_reports(&files, &["--at", AT]);
    assert_eq!(expected.len(), files.len());
    let server = Server::start(&["--at", AT], &[]);
    let mut verdicts = std::collections::BTreeMap::<String, usize>::new();
    for (file, want) in files.iter().zip(&expected) {
        let rel = file
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let r = server.post(
            &format!("/v1/verify?name={}", encode_query(&rel)),
            &std::fs::read(file).unwrap(),
        );
        assert_eq!(r.status, 200, "{rel}: {}", r.text());
        let got = r.json();
        assert_eq!(
            got["verdict"], want["verdict"],
            "{rel}: serve says {} ({}), verify --json says {} ({})",
            got["verdict"], got["summary"], want["verdict"], want["summary"]
        );
        assert_eq!(got["input"]["sha256"], want["input"]["sha256"], "{rel}");
        assert_eq!(got["input"]["path"], Value::from(rel.clone()));
        assert_schema_valid(&got);
        *verdicts
            .entry(got["verdict"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    // The corpus has every kind of answer; a server answering `error` to everything fails here.
    for v in ["authentic", "mismatched", "tampered", "unsigned", "error"] {
        assert!(verdicts.contains_key(v), "no {v} verdict in {verdicts:?}");
    }
}

#[test]
fn with_sdk_trust_the_report_is_the_cli_report() {
    let files: Vec<PathBuf> = [GOOD, MISMATCHED, PLAIN]
        .iter()
        .map(|f| root().join(f))
        .collect();
    let expected = cli_reports(&files, &["--at", AT, "--sdk-trust"]);
    let server = Server::start(&["--at", AT, "--sdk-trust"], &[]);
    for (file, want) in files.iter().zip(expected) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let r = server.post(
            &format!("/v1/verify?name={name}"),
            &std::fs::read(file).unwrap(),
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        let mut got = r.json();
        let mut want = want;
        // Only where the file came from differs: a path and mtime on disk, a name over HTTP.
        for v in [&mut got, &mut want] {
            let input = v["input"].as_object_mut().unwrap();
            input.remove("path");
            input.remove("modified");
        }
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn multipart_returns_one_report_per_file() {
    let server = Server::start(&[], &[]);
    let good = read(GOOD);
    let mismatched = read(MISMATCHED);
    let (ct, body) = multipart(&[
        ("a.jpg", &good),
        ("b.jpg", &mismatched),
        ("junk.bin", b"not an image"),
    ]);
    let r = http(
        server.target(),
        "POST",
        "/v1/verify",
        &[("Content-Type", &ct)],
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let a = v.as_array().expect("an array of reports");
    let got: Vec<(&str, &str)> = a
        .iter()
        .map(|r| {
            (
                r["input"]["path"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    a.iter().for_each(assert_schema_valid);
    assert_eq!(
        got,
        [
            ("a.jpg", "authentic"),
            ("b.jpg", "mismatched"),
            ("junk.bin", "error")
        ]
    );
    // One file is still an array.
    let (ct, body) = multipart(&[("only.jpg", &good)]);
    let r = http(
        server.target(),
        "POST",
        "/v1/verify",
        &[("Content-Type", &ct)],
        &body,
    );
    assert_eq!(r.json().as_array().map(Vec::len), Some(1));
    // A broken multipart body is the client's error, not a report.
    let r = http(
        server.target(),
        "POST",
        "/v1/verify",
        &[("Content-Type", "multipart/form-data; boundary=nope")],
        b"garbage",
    );
    assert_eq!(r.status, 400, "{}", r.text());
    // Too many files.
    let server = Server::start(&["--max-files", "2"], &[]);
    let (ct, body) = multipart(&[("1.jpg", &good), ("2.jpg", &good), ("3.jpg", &good)]);
    let r = http(
        server.target(),
        "POST",
        "/v1/verify",
        &[("Content-Type", &ct)],
        &body,
    );
    assert_eq!(r.status, 413, "{}", r.text());
}

#[test]
fn oversize_body_is_413_and_the_server_carries_on() {
    let server = Server::start(&["--max-body", "100000"], &[]);
    let good = read(GOOD); // 292010 bytes
    assert!(good.len() > 100_000);
    let r = server.post("/v1/verify", &good);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("--max-body"));
    // Without Content-Length (chunked), the limit holds while reading.
    let mut s = TcpStream::connect(server.target()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    for chunk in good.chunks(16384) {
        let mut c = format!("{:x}\r\n", chunk.len()).into_bytes();
        c.extend_from_slice(chunk);
        c.extend_from_slice(b"\r\n");
        if s.write_all(&c).is_err() {
            break; // the server answered and closed
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let r = read_response(&mut s);
    assert_eq!(r.status, 413, "{}", r.text());
    // Still serving, and a body under the limit is checked.
    let r = server.post("/v1/verify?name=m.jpg", &read(MISMATCHED)); // 129334 > 100000
    assert_eq!(r.status, 413);
    let r = server.post("/v1/verify?name=p.jpg", &read(PLAIN));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["verdict"], "unsigned");
}

#[test]
fn garbage_is_a_200_error_report() {
    let server = Server::start(&[], &[]);
    let mut truncated = read(GOOD);
    truncated.truncate(truncated.len() / 3);
    let mut random = vec![0u8; 50_000];
    let mut x: u32 = 12345;
    for b in random.iter_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    for (name, body) in [
        ("random.bin", random.as_slice()),
        ("empty.jpg", b"".as_slice()),
        ("text.jpg", b"hello, this is not a JPEG".as_slice()),
        ("truncated.jpg", truncated.as_slice()),
    ] {
        let r = server.post(&format!("/v1/verify?name={name}"), body);
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let v = r.json();
        assert_ne!(v["verdict"], "authentic", "{name}");
        if name != "truncated.jpg" {
            assert_eq!(v["verdict"], "error", "{name}: {v}");
        }
        assert!(
            !codes(&v).is_empty(),
            "{name}: an error report names its reason"
        );
        assert_schema_valid(&v);
    }
}

#[test]
fn expect_and_query_checks() {
    let server = Server::start(&[], &[]);
    let good = read(GOOD);
    assert_eq!(
        server.post("/v1/verify", &good).json()["verdict"],
        "authentic"
    );
    let r = server.post("/v1/verify?expect=microsoft", &good);
    assert_eq!(r.json()["verdict"], "authentic");
    // "Azure OpenAI" is Microsoft's product, so it names the same source as the signer.
    let r = server.post("/v1/verify?expect=Azure%20OpenAI", &good);
    assert_eq!(r.json()["verdict"], "authentic");
    let r = server.post("/v1/verify?expect=openai", &good);
    let v = r.json();
    assert_eq!(v["verdict"], "mismatched", "{v}");
    assert!(codes(&v).contains(&"provcheck.expect.mismatch".to_string()));
    // The expectation is per request: the next one without it is authentic again.
    assert_eq!(
        server.post("/v1/verify", &good).json()["verdict"],
        "authentic"
    );
    // An unknown source or a misspelt parameter is refused, not silently ignored.
    let r = server.post("/v1/verify?expect=nobody-at-all", &good);
    assert_eq!(r.status, 400, "{}", r.text());
    let r = server.post("/v1/verify?expected=openai", &good);
    assert_eq!(r.status, 400, "{}", r.text());
    // A name is only a label: a path in it is never opened.
    let r = server.post("/v1/verify?name=/etc/passwd", b"");
    let v = r.json();
    assert_eq!(v["input"]["path"], "/etc/passwd");
    assert_eq!(v["input"]["size"], 0);
    assert_eq!(v["verdict"], "error");
}

#[test]
fn a_hanging_check_answers_in_time_and_the_worker_is_replaced() {
    let server = Server::start(
        &["--timeout", "2", "--workers", "1"],
        &[("PROVCHECK_TEST_FAULT", "hang:slow")],
    );
    let good = read(GOOD);
    let started = Instant::now();
    let r = server.post("/v1/verify?name=slow.jpg", &good);
    let took = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["verdict"], "error");
    assert_eq!(codes(&v), ["provcheck.timeout"]);
    assert_schema_valid(&v);
    assert_eq!(v["input"]["path"], "slow.jpg");
    assert_eq!(
        v["input"]["sha256"],
        "a0de05cb8ba2ee4647c0c630464826d2bae17ce14681e8f4220b7f53d4a6c1bb"
    );
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(6),
        "answered after {took:?}"
    );
    // The only worker was killed and replaced: the next file is checked normally.
    let r = server.post("/v1/verify?name=fine.jpg", &good);
    assert_eq!(r.json()["verdict"], "authentic", "{}", server.log());
    let m = server.get("/metrics").text();
    assert!(
        m.contains("provcheck_worker_restarts_total{reason=\"timeout\"} 1"),
        "{m}"
    );
}

#[test]
fn saturation_is_503_not_a_hang() {
    // One worker, one queue place: two requests are admitted, the third is turned away at once.
    let server = Server::start(
        &["--timeout", "4", "--workers", "1", "--queue", "1"],
        &[("PROVCHECK_TEST_FAULT", "hang:slow")],
    );
    let target = server.target();
    let hung: Vec<_> = (0..2)
        .map(|i| {
            let h = std::thread::spawn(move || {
                http(
                    target,
                    "POST",
                    &format!("/v1/verify?name=slow{i}.jpg"),
                    &[],
                    b"x",
                )
            });
            std::thread::sleep(Duration::from_millis(300));
            h
        })
        .collect();
    let started = Instant::now();
    let r = server.post("/v1/verify?name=other.jpg", &read(PLAIN));
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "503 took {:?}",
        started.elapsed()
    );
    // Health checks still answer while the pool is full.
    assert_eq!(server.get("/healthz").status, 200);
    for h in hung {
        let r = h.join().unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(codes(&r.json()), ["provcheck.timeout"]);
    }
    // Capacity is back.
    let r = server.post("/v1/verify?name=other.jpg", &read(PLAIN));
    assert_eq!(r.status, 200);
    let m = server.get("/metrics").text();
    assert!(
        m.contains("provcheck_rejected_total{reason=\"queue_full\"} 1"),
        "{m}"
    );

    // A queued request that cannot get a worker within --queue-timeout is turned away too.
    let server = Server::start(
        &[
            "--timeout",
            "5",
            "--workers",
            "1",
            "--queue",
            "4",
            "--queue-timeout",
            "1",
        ],
        &[("PROVCHECK_TEST_FAULT", "hang:slow")],
    );
    let target = server.target();
    let h = std::thread::spawn(move || http(target, "POST", "/v1/verify?name=slow.jpg", &[], b"x"));
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let r = server.post("/v1/verify?name=waiting.jpg", &read(PLAIN));
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(h.join().unwrap().status, 200);
}

fn token_file(dir: &Path, token: &str) -> PathBuf {
    let p = dir.join("token");
    std::fs::write(&p, format!("{token}\n")).unwrap();
    p
}

#[test]
fn off_loopback_needs_a_token_and_checks_it() {
    // No token, no explicit opt-out: refused before listening.
    let err = Server::try_start(&["--listen", "0.0.0.0:0"], &[])
        .err()
        .expect("must refuse");
    assert!(err.contains("--token-file"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let short = token_file(dir.path(), "short");
    let err = Server::try_start(
        &[
            "--listen",
            "0.0.0.0:0",
            "--token-file",
            short.to_str().unwrap(),
        ],
        &[],
    )
    .err()
    .expect("short token must be refused");
    assert!(err.contains("at least 16"), "{err}");

    let token = "s3cret-token-0123456789abcdef";
    let file = token_file(dir.path(), token);
    let server = Server::start(
        &[
            "--listen",
            "0.0.0.0:0",
            "--token-file",
            file.to_str().unwrap(),
        ],
        &[],
    );
    let good = read(GOOD);
    let t = server.target();
    let missing = http(t, "POST", "/v1/verify", &[], &good);
    assert_eq!(missing.status, 401);
    assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
    for wrong in [
        "Bearer s3cret-token-0123456789abcdeX",
        "Bearer s3cret-token-0123456789abcdef0",
        "Bearer ",
        "Basic czNjcmV0LXRva2Vu",
        token,
    ] {
        let r = http(t, "POST", "/v1/verify", &[("Authorization", wrong)], &good);
        assert_eq!(r.status, 401, "{wrong}");
    }
    for path in ["/v1/trust", "/metrics"] {
        assert_eq!(server.get(path).status, 401, "{path}");
    }
    let bearer = format!("Bearer {token}");
    let ok = http(
        t,
        "POST",
        "/v1/verify",
        &[("Authorization", &bearer)],
        &good,
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["verdict"], "authentic");
    let r = http(
        t,
        "GET",
        "/metrics",
        &[("authorization", &format!("bearer {token}"))],
        b"",
    );
    assert_eq!(r.status, 200);
    assert!(r
        .text()
        .contains("provcheck_rejected_total{reason=\"unauthorized\"}"));
    // Probes stay open.
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/readyz").status, 200);

    // The explicit opt-out starts without a token.
    let open = Server::start(&["--listen", "0.0.0.0:0", "--insecure-no-auth"], &[]);
    assert_eq!(open.post("/v1/verify", &good).status, 200);
}

#[test]
fn sigterm_lets_requests_in_flight_finish() {
    let mut server = Server::start(
        &["--timeout", "3", "--workers", "1"],
        &[("PROVCHECK_TEST_FAULT", "hang:slow")],
    );
    let target = server.target();
    let in_flight =
        std::thread::spawn(move || http(target, "POST", "/v1/verify?name=slow.jpg", &[], b"x"));
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    server.sigterm();
    std::thread::sleep(Duration::from_millis(300));
    // No new connections once draining.
    assert!(
        TcpStream::connect_timeout(&target, Duration::from_secs(1)).is_err(),
        "still accepting after SIGTERM"
    );
    let r = in_flight.join().unwrap();
    assert_eq!(r.status, 200, "the request in flight was cut off");
    assert_eq!(codes(&r.json()), ["provcheck.timeout"]);
    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("server exits after draining");
    assert!(status.success(), "exit {status:?}\n{}", server.log());
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "did not wait for the request"
    );
    let log = server.log();
    assert!(log.contains("all requests finished"), "{log}");
}

#[test]
fn slow_clients_are_cut_off() {
    let server = Server::start(&["--header-timeout", "1", "--body-timeout", "1"], &[]);
    // A request head that never ends: the connection is closed.
    let mut s = TcpStream::connect(server.target()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "head timeout took {:?}",
        started.elapsed()
    );
    // A body that stops arriving: 408.
    let mut s = TcpStream::connect(server.target()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(
        b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a little",
    )
    .unwrap();
    let started = Instant::now();
    let r = read_response(&mut s);
    assert_eq!(r.status, 408, "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(5));
    // And the server is fine.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn probes_trust_metrics_and_unknown_routes() {
    let server = Server::start(&[], &[]);
    let h = server.get("/healthz");
    assert_eq!((h.status, h.text().as_str()), (200, "ok\n"));
    assert!(h.header("x-request-id").is_some_and(|id| !id.is_empty()));
    let r = server.get("/readyz");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["ready"], true);
    assert!(v["claim_signing_anchors"].as_u64().unwrap() > 10);
    let t = server.get("/v1/trust").json();
    assert!(t["trust_lists"]
        .as_str()
        .unwrap()
        .contains("C2PA Trust List"));
    assert!(t["claim_signing_anchors"].as_array().unwrap().len() > 10);
    assert!(t["generator_pins"].as_array().is_some());

    server.post("/v1/verify?name=a.jpg", &read(GOOD));
    server.post("/v1/verify?name=b.jpg", &read(MISMATCHED));
    server.post("/v1/verify?name=c.bin", b"junk");
    let m = server.get("/metrics");
    assert_eq!(m.status, 200);
    assert!(m
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = m.text();
    for line in [
        "provcheck_verdicts_total{verdict=\"authentic\"} 1",
        "provcheck_verdicts_total{verdict=\"mismatched\"} 1",
        "provcheck_verdicts_total{verdict=\"error\"} 1",
        "provcheck_http_requests_total{route=\"/v1/verify\",status=\"200\"} 3",
        "provcheck_check_duration_seconds_count 3",
        "provcheck_http_in_flight 1",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }

    let r = server.get("/nope/../../etc/passwd");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["status"], 404);
    assert_eq!(server.get("/v1/verify").status, 405);

    // Structured logs carry the request id, never the bytes.
    let log = server.log();
    assert!(log.contains("verdict=\"authentic\""), "{log}");
    assert!(log.contains("id="), "{log}");

    // /readyz reports the trust material actually loaded: without the bundled lists only the
    // generator pins remain (still enough to authenticate pinned generators).
    let bare = Server::start(&["--no-default-trust"], &[]);
    let r = bare.get("/readyz").json();
    assert_eq!(r["claim_signing_anchors"], 0, "{r}");
    assert!(r["generator_pins"].as_u64().unwrap() > 0, "{r}");
}

#[test]
fn json_logs_are_one_object_per_line() {
    let server = Server::start(&["--log-format", "json"], &[]);
    server.post("/v1/verify?name=a.jpg", &read(GOOD));
    std::thread::sleep(Duration::from_millis(200));
    let log = server.log();
    let checked: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "checked")
        .collect();
    assert_eq!(checked.len(), 1, "{log}");
    let c = &checked[0];
    assert_eq!(c["fields"]["verdict"], "authentic");
    assert!(
        c["span"]["id"].as_str().is_some_and(|s| !s.is_empty()),
        "{c}"
    );
    assert!(log.len() < 10_000, "the log is small: no image bytes");
}

#[test]
fn verify_bytes_with_applies_the_expectation_of_the_call() {
    use provcheck::{CallOptions, Verdict, Verifier, VerifierOptions};
    let v = Verifier::new(VerifierOptions::default()).unwrap();
    let good = read(GOOD);
    let call = |e: &str| CallOptions::new().expect(e);
    let r = v.verify_bytes_with(&good, &CallOptions::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Authentic);
    let r = v.verify_bytes_with(&good, &call("openai")).unwrap();
    assert_eq!(r.verdict, Verdict::Mismatched);
    assert_eq!(v.verify_bytes(&good, None).verdict, Verdict::Authentic);
    assert!(v.verify_bytes_with(&good, &call("no-such-source")).is_err());
}

#[test]
fn a_crashing_check_costs_one_report_not_the_server() {
    for (fault, restarts) in [("abort:boom", 1), ("panic:boom", 0)] {
        let server = Server::start(&["--workers", "1"], &[("PROVCHECK_TEST_FAULT", fault)]);
        let r = server.post("/v1/verify?name=boom.jpg", &read(GOOD));
        assert_eq!(r.status, 200, "{fault}: {}", r.text());
        let v = r.json();
        assert_eq!(v["verdict"], "error", "{fault}");
        assert_eq!(codes(&v), ["provcheck.crashed"], "{fault}");
        assert_schema_valid(&v);
        let r = server.post("/v1/verify?name=fine.jpg", &read(GOOD));
        assert_eq!(r.json()["verdict"], "authentic", "{fault}");
        let m = server.get("/metrics").text();
        let line = format!("provcheck_worker_restarts_total{{reason=\"crash\"}} {restarts}");
        assert_eq!(m.contains(&line), restarts > 0, "{fault}: {m}");
    }
}

/// Child processes of `pid` (over all its threads).
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for t in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("children")) {
                out.extend(s.split_whitespace().filter_map(|p| p.parse::<u32>().ok()));
            }
        }
    }
    out
}

#[test]
fn a_worker_killed_while_idle_costs_no_request() {
    let server = Server::start(&["--workers", "1"], &[]);
    assert_eq!(
        server.post("/v1/verify", &read(GOOD)).json()["verdict"],
        "authentic"
    );
    let workers = children(server.child.id());
    assert_eq!(workers.len(), 1, "one worker process: {workers:?}");
    // SAFETY: kill(2) on the server's own worker process, found just above.
    unsafe {
        libc::kill(workers[0] as libc::pid_t, libc::SIGKILL);
    }
    std::thread::sleep(Duration::from_millis(200));
    let r = server.post("/v1/verify?name=after.jpg", &read(GOOD));
    assert_eq!(r.json()["verdict"], "authentic", "{}", server.log());
    let now = children(server.child.id());
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, workers, "the dead worker was replaced");
}
