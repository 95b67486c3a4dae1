//! Worker processes of `scan` (the default; `--in-process` uses threads): each worker is this same program run as
//! `provcheck __scan-worker`, checking one file at a time for its parent.
//!
//! Protocol (pipes): the parent writes one JSON line of [`WorkerConfig`], then one line per file
//! (the path's bytes, hex); the worker answers each with one JSON line holding the `Report` (and
//! the HTML thumbnails when asked for). A worker that does not answer within the file time limit
//! is killed and replaced (`provcheck.timeout`); one that dies (abort, stack overflow, the address-space cap set with `setrlimit`, a signal) is
//! replaced and the file gets `provcheck.crashed`. Workers run in their own process group, so
//! Ctrl-C at the terminal reaches only the parent, which stops cleanly.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use super::check::{check_in_process, failed_record, timeout_text, Fault};
use super::walk::FileToCheck;
use crate::report::Report;
use crate::verifier::{Verifier, VerifierOptions};

/// Default address-space cap of a worker process (bytes).
pub const DEFAULT_MEMORY_LIMIT: u64 = 4 << 30;

/// How `scan`'s worker processes are started. The program must run [`worker_main`] when
/// started with the argument `__scan-worker` (the `provcheck` program does).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct IsolateOptions {
    /// The provcheck binary (normally `std::env::current_exe()`).
    pub program: PathBuf,
    /// The options every worker builds its `Verifier` from.
    pub verifier: VerifierOptions,
    /// Address-space cap per worker (`setrlimit(RLIMIT_AS)`), bytes; `None` for no cap.
    pub memory_limit: Option<u64>,
}

impl IsolateOptions {
    /// Workers running `program`, each with a verifier built from `verifier`, capped at
    /// [`DEFAULT_MEMORY_LIMIT`].
    pub fn new(program: PathBuf, verifier: VerifierOptions) -> IsolateOptions {
        IsolateOptions {
            program,
            verifier,
            memory_limit: Some(DEFAULT_MEMORY_LIMIT),
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

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<std::io::Result<String>>,
}

/// A worker's answer for one file: the report and, when the HTML page is being made, the
/// thumbnails (which the report's JSON leaves out).
#[derive(serde::Serialize, serde::Deserialize)]
struct Answer {
    report: Report,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thumbnails: Option<Box<crate::render::thumbs::Thumbnails>>,
    /// Attribution's stripped-credential finding (which the report's JSON leaves out too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    possibly_stripped: Option<crate::report::StrippedTraces>,
}

/// One worker process, restarted as needed.
pub struct WorkerProcess {
    options: IsolateOptions,
    timeout: Duration,
    fault: Option<Fault>,
    running: Option<Running>,
}

impl WorkerProcess {
    /// Start a worker (fails only if the program cannot be started at all).
    pub fn start(
        options: &IsolateOptions,
        timeout: Duration,
        fault: Option<Fault>,
    ) -> std::io::Result<WorkerProcess> {
        let mut w = WorkerProcess {
            options: options.clone(),
            timeout,
            fault,
            running: None,
        };
        w.running = Some(w.spawn()?);
        Ok(w)
    }

    fn spawn(&self) -> std::io::Result<Running> {
        let mut child = worker_command(&self.options.program, "__scan-worker").spawn()?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let config = WorkerConfig {
            verifier: self.options.verifier.clone(),
            memory_limit: self.options.memory_limit,
            fault: self.fault.clone(),
        };
        let line = serde_json::to_string(&config).map_err(std::io::Error::other)?;
        writeln!(stdin, "{line}")?;
        stdin.flush()?;
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let end = line.is_err();
                if tx.send(line).is_err() || end {
                    return;
                }
            }
        });
        Ok(Running {
            child,
            stdin,
            lines,
        })
    }

    /// Check one file in the worker; always returns a record.
    pub fn check(&mut self, c: &FileToCheck) -> Report {
        if self.running.is_none() {
            match self.spawn() {
                Ok(r) => self.running = Some(r),
                Err(e) => {
                    return failed_record(
                        c,
                        crate::codes::CRASHED,
                        format!("could not start a worker process: {e}"),
                    )
                }
            }
        }
        let running = self.running.as_mut().expect("running");
        let sent =
            writeln!(running.stdin, "{}", encode_path(&c.path)).and_then(|_| running.stdin.flush());
        let answer = match sent {
            Ok(()) => running.lines.recv_timeout(self.timeout),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match answer {
            Ok(Ok(line)) => match serde_json::from_str::<Answer>(&line) {
                Ok(Answer {
                    mut report,
                    thumbnails,
                    possibly_stripped,
                }) => {
                    report.input.thumbnails = thumbnails;
                    report.claimed_source.possibly_stripped = possibly_stripped;
                    report
                }
                Err(e) => failed_record(
                    c,
                    crate::codes::CRASHED,
                    format!("the worker process sent an unreadable record: {e}"),
                ),
            },
            Err(RecvTimeoutError::Timeout) => {
                self.stop();
                failed_record(
                    c,
                    crate::codes::TIMEOUT,
                    timeout_text(self.timeout, "--file-timeout"),
                )
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let status = self.stop();
                failed_record(
                    c,
                    crate::codes::CRASHED,
                    format!(
                        "the worker process checking this file died ({status}): a parser abort, a stack overflow or the memory cap (--file-memory) can do that"
                    ),
                )
            }
        }
    }

    /// Kill and reap the current process; describes how it ended.
    fn stop(&mut self) -> String {
        let Some(mut r) = self.running.take() else {
            return "not running".into();
        };
        let _ = r.child.kill();
        match r.child.wait() {
            Ok(s) => describe_exit(s),
            Err(e) => e.to_string(),
        }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The command that starts a worker process of `program` (scan's or serve's): pipes for the
/// protocol, stderr inherited, its own process group so a terminal's Ctrl-C reaches only the
/// parent, which stops the workers itself.
pub(crate) fn worker_command(program: &Path, subcommand: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.arg(subcommand)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd
}

pub(crate) fn describe_exit(s: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            let name = match sig {
                libc::SIGABRT => "SIGABRT",
                libc::SIGSEGV => "SIGSEGV",
                libc::SIGKILL => "SIGKILL",
                libc::SIGBUS => "SIGBUS",
                _ => "signal",
            };
            return format!("killed by signal {sig}, {name}");
        }
    }
    format!("exited with {s}")
}

fn encode_path(p: &Path) -> String {
    hex::encode(p.as_os_str().as_encoded_bytes())
}

fn decode_path(line: &str) -> Option<PathBuf> {
    let bytes = hex::decode(line.trim()).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(&bytes)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

#[cfg(unix)]
pub(crate) fn limit_address_space(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct we pass; no memory is shared.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

#[cfg(not(unix))]
pub(crate) fn limit_address_space(_bytes: u64) {}

/// The worker side: `provcheck __scan-worker`. Returns the process exit code.
pub fn worker_main() -> u8 {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let Some(Ok(first)) = lines.next() else {
        return 2;
    };
    let Ok(config) = serde_json::from_str::<WorkerConfig>(&first) else {
        eprintln!("provcheck __scan-worker: bad configuration line");
        return 2;
    };
    if let Some(limit) = config.memory_limit {
        limit_address_space(limit);
    }
    let verifier = match Verifier::new(config.verifier) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("provcheck __scan-worker: {e}");
            return 2;
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in lines {
        let Ok(line) = line else { break };
        let Some(path) = decode_path(&line) else {
            break;
        };
        let meta = std::fs::metadata(&path).ok();
        let c = FileToCheck {
            size: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
            path,
        };
        let mut report = check_in_process(&verifier, &c, config.fault.as_ref());
        let answer = Answer {
            thumbnails: report.input.thumbnails.take(),
            possibly_stripped: report.claimed_source.possibly_stripped.take(),
            report,
        };
        // Plain data always serialises; an empty line would still be one answer (a crash record).
        let line = serde_json::to_string(&answer).unwrap_or_default();
        if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
    0
}
