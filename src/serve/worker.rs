//! Worker processes for `serve`: each is this same program run as `provcheck __serve-worker`,
//! checking one uploaded file at a time for the server, like `scan`'s workers
//! (`scan --isolate`) but fed bytes instead of paths (the server never reads a path a
//! request names).
//!
//! Protocol (pipes): the server writes one JSON line of [`WorkerConfig`]; then per file one JSON
//! line of [`JobHeader`] followed by exactly `len` bytes of the file; the worker answers each with
//! one JSON `Report` line. A worker that does not answer within the time limit is killed and
//! replaced (`provcheck.timeout`); one that dies (abort, stack overflow, the address-space cap, a
//! signal) is replaced and the file gets `provcheck.crashed`. Workers run in their own process
//! group, so Ctrl-C at the terminal reaches only the server, which drains and then stops them.

use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::read::sniff;
use crate::report::{Input, Report};
use crate::scan::{
    crashed_text, describe_exit, limit_address_space, panic_text, worker_command, Fault,
};
use crate::verifier::{CallOptions, Verifier, VerifierOptions};

/// How the service's worker processes are started. The program must run
/// [`worker_main`] when started with the argument `__serve-worker` (the `provcheck` program
/// does).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WorkerOptions {
    /// The provcheck binary (normally `std::env::current_exe()`).
    pub program: PathBuf,
    /// The options every worker builds its `Verifier` from.
    pub verifier: VerifierOptions,
    /// Address-space cap per worker (`setrlimit(RLIMIT_AS)`), bytes; `None` for no cap.
    pub memory_limit: Option<u64>,
    /// Test hook (`PROVCHECK_TEST_FAULT`): matched against the file's name.
    pub(crate) fault: Option<Fault>,
}

impl Default for WorkerOptions {
    /// This program (`std::env::current_exe()`), default verifier options, the default memory
    /// cap.
    fn default() -> Self {
        WorkerOptions {
            program: std::env::current_exe().unwrap_or_default(),
            verifier: VerifierOptions::default(),
            memory_limit: Some(crate::scan::DEFAULT_MEMORY_LIMIT),
            fault: Fault::from_env(),
        }
    }
}

/// The first line a worker reads.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct WorkerConfig {
    pub verifier: VerifierOptions,
    pub memory_limit: Option<u64>,
    pub fault: Option<Fault>,
}

/// Announces one file: `len` bytes follow the line.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct JobHeader {
    pub name: Option<String>,
    pub expect: Option<String>,
    pub len: u64,
}

/// One file to check.
pub struct Job {
    pub data: bytes::Bytes,
    pub name: Option<String>,
    pub expect: Option<String>,
}

/// How a job ended, besides its report (for metrics and logs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Checked,
    TimedOut,
    Crashed,
}

/// Process ids of the worker processes running now (spawned, not yet reaped), so that shutdown
/// can stop even those whose check is still under way.
static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Kill every worker process still running (the last step of shutdown).
pub fn kill_all() {
    let pids: Vec<u32> = LIVE.lock().map(|v| v.clone()).unwrap_or_default();
    for pid in pids {
        #[cfg(unix)]
        // SAFETY: plain syscall; the pid is a child not yet reaped, so it cannot have been reused.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGKILL);
        }
    }
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<std::io::Result<String>>,
}

/// One worker process, restarted as needed.
pub struct ServeWorker {
    options: WorkerOptions,
    running: Option<Running>,
}

impl ServeWorker {
    /// Start a worker (fails only if the program cannot be started at all).
    pub fn start(options: &WorkerOptions) -> std::io::Result<ServeWorker> {
        let mut w = ServeWorker::idle(options);
        w.running = Some(w.spawn()?);
        Ok(w)
    }

    /// A worker whose process starts with its first job.
    pub fn idle(options: &WorkerOptions) -> ServeWorker {
        ServeWorker {
            options: options.clone(),
            running: None,
        }
    }

    /// Stop the process (if any) and start a fresh one; on failure the next job tries again.
    pub fn restart(&mut self) {
        self.stop();
        self.running = self.spawn().ok();
    }

    fn spawn(&self) -> std::io::Result<Running> {
        let mut child = worker_command(&self.options.program, "__serve-worker").spawn()?;
        if let Ok(mut v) = LIVE.lock() {
            v.push(child.id());
        }
        let mut stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        widen_pipe(&stdin);
        let config = WorkerConfig {
            verifier: self.options.verifier.clone(),
            memory_limit: self.options.memory_limit,
            fault: self.options.fault.clone(),
        };
        let line = serde_json::to_string(&config).map_err(std::io::Error::other)?;
        writeln!(stdin, "{line}")?;
        stdin.flush()?;
        let (tx, lines) = channel();
        std::thread::Builder::new()
            .name("provcheck-serve-worker-out".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let end = line.is_err();
                    if tx.send(line).is_err() || end {
                        return;
                    }
                }
            })?;
        Ok(Running {
            child,
            stdin,
            lines,
        })
    }

    /// Check one file in the worker within `timeout`; always returns a report. Blocking: call it
    /// on a blocking thread.
    pub fn check(&mut self, job: &Job, timeout: Duration) -> (Report, Outcome) {
        let started = Instant::now();
        if self.running.is_none() {
            match self.spawn() {
                Ok(r) => self.running = Some(r),
                Err(e) => {
                    return (
                        failed_report(
                            job,
                            crate::codes::CRASHED,
                            format!("could not start a worker process: {e}"),
                        ),
                        Outcome::Crashed,
                    )
                }
            }
        }
        let header = JobHeader {
            name: job.name.clone(),
            expect: job.expect.clone(),
            len: job.data.len() as u64,
        };
        let header = match serde_json::to_string(&header) {
            Ok(h) => h,
            Err(e) => {
                return (
                    failed_report(job, crate::codes::CRASHED, e.to_string()),
                    Outcome::Crashed,
                )
            }
        };
        let mut sent = send(self.running.as_mut().expect("running"), &header, &job.data);
        if sent.is_err() {
            // The process died while idle (killed from outside, say): it never saw this job,
            // which only reaches the parser once fully read, so start a fresh one and resend.
            self.restart();
            sent = match self.running.as_mut() {
                Some(r) => send(r, &header, &job.data),
                None => Err(std::io::Error::other("no worker process")),
            };
        }
        let answer = match (sent, self.running.as_mut()) {
            (Ok(()), Some(running)) => running
                .lines
                .recv_timeout(timeout.saturating_sub(started.elapsed())),
            _ => Err(RecvTimeoutError::Disconnected),
        };
        match answer {
            Ok(Ok(line)) => match serde_json::from_str::<Report>(&line) {
                Ok(r) => (r, Outcome::Checked),
                Err(e) => {
                    self.stop();
                    (
                        failed_report(
                            job,
                            crate::codes::CRASHED,
                            format!("the worker process sent an unreadable report: {e}"),
                        ),
                        Outcome::Crashed,
                    )
                }
            },
            Err(RecvTimeoutError::Timeout) => {
                self.stop();
                (
                    failed_report(
                        job,
                        crate::codes::TIMEOUT,
                        crate::scan::timeout_text(timeout, "serve --timeout"),
                    ),
                    Outcome::TimedOut,
                )
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let status = self.stop();
                (
                    failed_report(
                        job,
                        crate::codes::CRASHED,
                        format!(
                            "the worker process checking this file died ({status}): a parser abort, a stack overflow or the memory cap (--worker-memory) can do that"
                        ),
                    ),
                    Outcome::Crashed,
                )
            }
        }
    }

    /// Kill and reap the current process; describes how it ended.
    pub fn stop(&mut self) -> String {
        let Some(mut r) = self.running.take() else {
            return "not running".into();
        };
        let _ = r.child.kill();
        let how = match r.child.wait() {
            Ok(s) => describe_exit(s),
            Err(e) => e.to_string(),
        };
        let pid = r.child.id();
        if let Ok(mut v) = LIVE.lock() {
            v.retain(|p| *p != pid);
        }
        how
    }
}

impl Drop for ServeWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A 1 MiB pipe instead of Linux's 64 KiB: a multi-megabyte file then crosses in a few writes
/// rather than dozens of write/read context switches. Best effort; the pipe works at any size.
fn widen_pipe(stdin: &ChildStdin) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on a pipe descriptor we own; F_SETPIPE_SZ only resizes its buffer.
        unsafe {
            libc::fcntl(stdin.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stdin;
}

/// Write one job (header line, then the bytes) to a worker.
fn send(running: &mut Running, header: &str, data: &[u8]) -> std::io::Result<()> {
    writeln!(running.stdin, "{header}")?;
    running.stdin.write_all(data)?;
    running.stdin.flush()
}

/// The report for a file the worker could not finish: size and hash are known, the rest is not.
pub(crate) fn failed_report(job: &Job, code: &str, explanation: String) -> Report {
    let input = Input {
        path: job.name.clone(),
        size: job.data.len() as u64,
        sha256: Some(hex::encode(ring::digest::digest(
            &ring::digest::SHA256,
            &job.data,
        ))),
        format: sniff::sniff(&job.data).name().into(),
        ..Default::default()
    };
    Report::error(input, code, explanation)
}

/// Largest header line a worker accepts (the name and expectation are bounded by the server).
const MAX_HEADER_LINE: u64 = 64 * 1024;

/// The worker side: `provcheck __serve-worker`. Returns the process exit code.
pub fn worker_main() -> u8 {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut line = String::new();
    if input.read_line(&mut line).unwrap_or(0) == 0 {
        return 2;
    }
    let Ok(config) = serde_json::from_str::<WorkerConfig>(&line) else {
        eprintln!("provcheck __serve-worker: bad configuration line");
        return 2;
    };
    if let Some(limit) = config.memory_limit {
        limit_address_space(limit);
    }
    let max_len = config.verifier.max_file_size;
    let verifier = match Verifier::new(config.verifier) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("provcheck __serve-worker: {e}");
            return 2;
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    loop {
        line.clear();
        match (&mut input).take(MAX_HEADER_LINE).read_line(&mut line) {
            Ok(0) | Err(_) => return 0,
            Ok(_) => {}
        }
        let Ok(header) = serde_json::from_str::<JobHeader>(&line) else {
            eprintln!("provcheck __serve-worker: bad job line");
            return 2;
        };
        // The server caps bodies far below this; a larger announcement is a protocol error.
        if header.len > max_len.saturating_add(1) {
            eprintln!("provcheck __serve-worker: job larger than the file size cap");
            return 2;
        }
        let mut data = vec![0u8; header.len as usize];
        if input.read_exact(&mut data).is_err() {
            return 0;
        }
        if let (Some(f), Some(name)) = (&config.fault, &header.name) {
            f.trigger(Path::new(name));
        }
        let call = CallOptions {
            expect: header.expect.clone(),
            name: header.name.clone(),
            ..CallOptions::default()
        };
        let checked = catch_unwind(AssertUnwindSafe(|| {
            verifier.verify_bytes_with(&data, &call)
        }));
        let report = match checked {
            Ok(Ok(r)) => r,
            // The server resolves `?expect=` before it sends a job; this is a protocol error.
            Ok(Err(e)) => {
                eprintln!("provcheck __serve-worker: {e}");
                return 2;
            }
            Err(p) => {
                let job = Job {
                    data: bytes::Bytes::from(data),
                    name: header.name,
                    expect: None,
                };
                failed_report(
                    &job,
                    crate::codes::CRASHED,
                    crashed_text(&panic_text(p.as_ref())),
                )
            }
        };
        if writeln!(out, "{}", crate::render::json_line(&report))
            .and_then(|_| out.flush())
            .is_err()
        {
            return 0;
        }
    }
}
