//! The scan engine: a walker thread feeds a bounded queue, `jobs` workers check files, the
//! calling thread receives every record in completion order and hands it to a [`Sink`].
//!
//! Every selected file yields exactly one record. A panic is caught per file
//! (`provcheck.crashed`). A file that runs past `file_timeout` gets a `provcheck.timeout` record
//! from the watchdog; in-process the stuck thread cannot be killed, so it is abandoned (its late
//! result dropped) and a fresh worker takes its place, keeping `jobs` workers busy. With worker
//! processes ([`super::isolate`]) the stuck or crashed process is killed and replaced instead,
//! which also survives aborts, stack overflows and the memory cap.
//!
//! Workers are plain threads rather than a rayon pool for that reason: a rayon pool cannot
//! replace a thread stuck inside a parser.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::check::{check_in_process, failed_record, timeout_text, Fault};
use super::isolate::{IsolateOptions, WorkerProcess};
use super::resume::Recorded;
use super::summary::{Summary, SummaryBuilder};
use super::walk::{self, FileToCheck, Found, GlobError, SkipReason, WalkOptions};
use crate::report::Report;
use crate::verifier::Verifier;

/// Default per-file time limit.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(10);

/// How a scan runs. Start from [`ScanOptions::default`] (one job per core, 10 s per file, in
/// this process) and set the fields you need; fields may be added in later versions.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
    /// Workers; 0 means one per core.
    pub jobs: usize,
    /// A file still being checked after this long gets a `provcheck.timeout` record.
    pub file_timeout: Duration,
    /// Check files in worker processes (kill on timeout, survive aborts, cap memory).
    pub isolate: Option<IsolateOptions>,
    /// Files already recorded (by `--resume`): passed over as `already-recorded`.
    pub resume: Option<Arc<Recorded>>,
    /// Set to stop the scan early (Ctrl-C): no new files are started, records already written
    /// stay complete, and the summary says `interrupted`.
    pub stop: Arc<AtomicBool>,
    /// Test hook: make the check of matching files panic, hang or abort (only in the
    /// `provcheck-test-hooks` program; `None` everywhere else).
    pub(crate) fault: Option<Fault>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: Vec::new(),
            walk: WalkOptions::default(),
            jobs: 0,
            file_timeout: DEFAULT_FILE_TIMEOUT,
            isolate: None,
            resume: None,
            stop: Arc::new(AtomicBool::new(false)),
            fault: Fault::from_env(),
        }
    }
}

/// Receives what a scan produces, on the thread that called [`scan`], in completion order.
pub trait Sink {
    /// One record per selected file.
    fn record(&mut self, report: &Report);
    /// A path passed over.
    fn skipped(&mut self, _path: &Path, _reason: SkipReason, _detail: &str) {}
    /// The walk found another selected file of this size (for progress totals).
    fn discovered(&mut self, _size: u64) {}
    /// The walk is complete: `files` selected in all.
    fn walk_done(&mut self, _files: u64) {}
}

/// Why a scan could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    #[error(transparent)]
    Glob(#[from] GlobError),
    #[error("worker process: {0}")]
    Worker(String),
}

enum Event {
    Skipped(PathBuf, SkipReason, String),
    Discovered(u64),
    WalkDone(u64),
    Done(Box<Report>),
    /// A queued file not started because the scan was stopped.
    Unreached,
}

/// Number of workers for `jobs` (0: one per core).
pub fn effective_jobs(jobs: usize) -> usize {
    if jobs > 0 {
        jobs
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// What each in-process worker is doing, for the watchdog.
#[derive(Default)]
struct Slots {
    next: u64,
    busy: HashMap<u64, (FileToCheck, Instant)>,
    /// Workers whose file timed out: their late result is dropped and they exit.
    abandoned: std::collections::HashSet<u64>,
}

/// What every checking thread of one scan shares: the verifier, the queue of files, where to
/// send results, the files in progress (for the time limit), the stop flag.
struct CheckPool {
    verifier: Arc<Verifier>,
    queue: Mutex<Receiver<FileToCheck>>,
    events: SyncSender<Event>,
    slots: Mutex<Slots>,
    stop: Arc<AtomicBool>,
    fault: Option<Fault>,
}

fn next_file(shared: &CheckPool) -> Option<FileToCheck> {
    shared.queue.lock().ok()?.recv().ok()
}

fn spawn_in_process_worker(shared: Arc<CheckPool>) {
    let worker = move || loop {
        let Some(c) = next_file(&shared) else {
            return;
        };
        if shared.stop.load(Ordering::Relaxed) {
            let _ = shared.events.send(Event::Unreached);
            continue;
        }
        let id = {
            let mut s = shared.slots.lock().expect("slots");
            s.next += 1;
            let id = s.next;
            s.busy.insert(id, (c.clone(), Instant::now()));
            id
        };
        let report = check_in_process(&shared.verifier, &c, shared.fault.as_ref());
        let abandoned = {
            let mut s = shared.slots.lock().expect("slots");
            s.busy.remove(&id);
            s.abandoned.remove(&id)
        };
        if abandoned {
            // The watchdog already recorded this file as timed out and started a replacement.
            return;
        }
        let _ = shared.events.send(Event::Done(Box::new(report)));
    };
    std::thread::Builder::new()
        .name("provcheck-scan".into())
        .stack_size(8 << 20)
        .spawn(worker)
        .expect("spawn scan worker");
}

/// Record files past the time limit and replace their workers. Runs until `done` is set.
fn watchdog(shared: Arc<CheckPool>, timeout: Duration, done: Arc<AtomicBool>) {
    let tick = (timeout / 10).clamp(Duration::from_millis(10), Duration::from_millis(250));
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(tick);
        let expired: Vec<FileToCheck> = {
            let mut s = shared.slots.lock().expect("slots");
            let ids: Vec<u64> = s
                .busy
                .iter()
                .filter(|(_, (_, t))| t.elapsed() > timeout)
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter()
                .filter_map(|id| {
                    s.abandoned.insert(id);
                    s.busy.remove(&id).map(|(c, _)| c)
                })
                .collect()
        };
        for c in expired {
            let r = failed_record(
                &c,
                crate::codes::TIMEOUT,
                timeout_text(timeout, "--file-timeout"),
            );
            let _ = shared.events.send(Event::Done(Box::new(r)));
            spawn_in_process_worker(shared.clone());
        }
    }
}

/// Scan `options.paths`, calling `sink` for every record and skipped path, and return the summary.
/// Memory stays bounded whatever the number of files: records are handed over as they complete.
pub fn scan(
    verifier: Arc<Verifier>,
    options: &ScanOptions,
    sink: &mut dyn Sink,
) -> Result<Summary, ScanError> {
    let started = Instant::now();
    let jobs = effective_jobs(options.jobs);
    let (work_tx, work_rx) = sync_channel::<FileToCheck>(jobs * 16);
    let (ev_tx, ev_rx) = sync_channel::<Event>(jobs * 64 + 256);

    options.walk.check()?;

    let shared = Arc::new(CheckPool {
        verifier: verifier.clone(),
        queue: Mutex::new(work_rx),
        events: ev_tx.clone(),
        slots: Mutex::new(Slots::default()),
        stop: options.stop.clone(),
        fault: options.fault.clone(),
    });
    let done = Arc::new(AtomicBool::new(false));
    // Threads that own worker processes: joined at the end so every process is reaped.
    let mut process_owners = Vec::new();
    match &options.isolate {
        None => {
            for _ in 0..jobs {
                spawn_in_process_worker(shared.clone());
            }
            let (s, d, t) = (shared.clone(), done.clone(), options.file_timeout);
            std::thread::spawn(move || watchdog(s, t, d));
        }
        Some(iso) => {
            for _ in 0..jobs {
                let mut process =
                    WorkerProcess::start(iso, options.file_timeout, options.fault.clone())
                        .map_err(|e| ScanError::Worker(e.to_string()))?;
                let shared = shared.clone();
                process_owners.push(std::thread::spawn(move || loop {
                    let Some(c) = next_file(&shared) else {
                        return;
                    };
                    if shared.stop.load(Ordering::Relaxed) {
                        let _ = shared.events.send(Event::Unreached);
                        continue;
                    }
                    let report = process.check(&c);
                    let _ = shared.events.send(Event::Done(Box::new(report)));
                }));
            }
        }
    }

    let walker = {
        let paths = options.paths.clone();
        let walk_options = options.walk.clone();
        let resume = options.resume.clone();
        let stop = options.stop.clone();
        let ev = ev_tx.clone();
        std::thread::spawn(move || {
            let mut sent = 0u64;
            let _ = walk::walk(&paths, &walk_options, |found| {
                if stop.load(Ordering::Relaxed) {
                    return ControlFlow::Break(());
                }
                let ok = match found {
                    Found::Selected(c) => {
                        if resume.as_ref().is_some_and(|r| r.contains(&c)) {
                            ev.send(Event::Skipped(
                                c.path,
                                SkipReason::AlreadyRecorded,
                                "already in the --resume file".into(),
                            ))
                            .is_ok()
                        } else {
                            sent += 1;
                            ev.send(Event::Discovered(c.size)).is_ok() && work_tx.send(c).is_ok()
                        }
                    }
                    Found::Skipped {
                        path,
                        reason,
                        detail,
                    } => ev.send(Event::Skipped(path, reason, detail)).is_ok(),
                };
                if ok {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            });
            let _ = ev.send(Event::WalkDone(sent));
        })
    };
    drop(ev_tx);

    let mut summary = SummaryBuilder::new();
    let mut expected: Option<u64> = None;
    let mut settled = 0u64;
    loop {
        if expected.is_some_and(|n| settled >= n) {
            break;
        }
        let event = match ev_rx.recv_timeout(Duration::from_millis(200)) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        match event {
            Event::Skipped(path, reason, detail) => {
                summary.skipped(reason.as_str());
                sink.skipped(&path, reason, &detail);
            }
            Event::Discovered(size) => sink.discovered(size),
            Event::WalkDone(n) => {
                expected = Some(n);
                sink.walk_done(n);
            }
            Event::Done(report) => {
                settled += 1;
                summary.add(&report);
                sink.record(&report);
            }
            Event::Unreached => settled += 1,
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = walker.join();
    // The queue is closed now (the walker has finished), so each owner thread ends after its
    // current file (bounded by the time limit) and its `WorkerProcess` is dropped: killed and
    // waited for, leaving no zombie and counting its CPU time.
    for owner in process_owners {
        let _ = owner.join();
    }
    let interrupted = options.stop.load(Ordering::Relaxed);
    Ok(summary.finish(
        started.elapsed(),
        jobs,
        options.isolate.is_some(),
        interrupted,
    ))
}
