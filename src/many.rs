//! Many files, on all cores, reports in the order given: the engine of `provcheck verify a b c`
//! and of [`verify_paths`] for library users.
//!
//! Why not rayon: with a per-file time limit, something must *wait* for each check, and the
//! c2pa SDK's PDF parser itself runs on rayon's global pool. A rayon worker blocked waiting for
//! a check that needs a rayon worker can exhaust the pool and deadlock (an earlier attempt did).
//! Here nothing that waits is a rayon worker: `threads` plain dispatcher threads take the next
//! file; with a time limit each check runs on its own plain thread and the dispatcher waits for it
//! at most the limit (after that the check is abandoned, reported as `provcheck.timeout`, and its
//! thread ends with the process). The only other wait is the reorder window (a dispatcher does not
//! run more than `window` files ahead of the oldest report not yet delivered), and the dispatcher
//! holding that oldest file never waits on it, so every wait ends.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::report::{Input, Report};
use crate::verifier::Verifier;

/// How [`verify_paths`] runs.
#[derive(Clone, Debug, Default)]
pub struct ManyOptions {
    /// Files checked at once; 0: one per core.
    pub threads: usize,
    /// Per-file time limit: past it the file's report is `provcheck.timeout` (`option` names
    /// the flag in its explanation) and the check is abandoned. `None`: no limit.
    pub file_timeout: Option<Duration>,
    /// The flag named in a time-out's explanation (e.g. `--file-timeout`).
    pub timeout_option: &'static str,
}

/// Verify `paths` on `options.threads` threads and hand each report to `emit(index, report)` in
/// the order of `paths`, as soon as it and every earlier one are done. Returns when all are
/// delivered.
pub fn verify_paths<P: AsRef<Path> + Sync>(
    verifier: &Arc<Verifier>,
    paths: &[P],
    options: &ManyOptions,
    mut emit: impl FnMut(usize, Report),
) {
    let n = paths.len();
    if n == 0 {
        return;
    }
    // (one file: no need to ask the system for its cores, which reads cgroup files)
    let threads = match options.threads {
        _ if n == 1 => 1,
        0 => std::thread::available_parallelism().map_or(1, |t| t.get()),
        t => t,
    }
    .min(n);
    if threads == 1 {
        // one at a time on this thread (with a time limit, each check still runs on its own)
        for (i, p) in paths.iter().enumerate() {
            emit(i, check_one(verifier, p.as_ref(), options));
        }
        return;
    }
    let window = (threads * 4).max(16);
    let next = AtomicUsize::new(0);
    // (index of the oldest report not yet delivered, stop: the consumer has gone)
    let state = Mutex::new((0usize, false));
    let moved = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, Report)>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, state, moved) = (&next, &state, &moved);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                {
                    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                    while !st.1 && i >= st.0 + window {
                        st = moved.wait(st).unwrap_or_else(|e| e.into_inner());
                    }
                    if st.1 {
                        break;
                    }
                }
                let report = check_one(verifier, paths[i].as_ref(), options);
                if tx.send((i, report)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Stops the dispatchers if `emit` panics, so the scope can join them.
        struct StopOnDrop<'a>(&'a Mutex<(usize, bool)>, &'a Condvar);
        impl Drop for StopOnDrop<'_> {
            fn drop(&mut self) {
                self.0.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
                self.1.notify_all();
            }
        }
        let _stop = StopOnDrop(&state, &moved);
        let mut pending: BTreeMap<usize, Report> = BTreeMap::new();
        let mut oldest = 0;
        for (i, r) in rx.iter() {
            pending.insert(i, r);
            let before = oldest;
            while let Some(r) = pending.remove(&oldest) {
                emit(oldest, r);
                oldest += 1;
            }
            if oldest != before {
                state.lock().unwrap_or_else(|e| e.into_inner()).0 = oldest;
                moved.notify_all();
            }
        }
    });
}

/// One file, within the time limit when there is one.
fn check_one(verifier: &Arc<Verifier>, path: &Path, options: &ManyOptions) -> Report {
    let Some(limit) = options.file_timeout else {
        return verifier.verify_path(path);
    };
    let started = std::time::Instant::now();
    let (tx, rx) = mpsc::channel();
    let v = Arc::clone(verifier);
    let p: PathBuf = path.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("verify".into())
        .spawn(move || {
            let _ = tx.send(v.verify_path(&p));
        });
    if spawned.is_err() {
        return verifier.verify_path(path);
    }
    match rx.recv_timeout(limit) {
        // the limit is the file's, not the waiter's: a report that came in after it (the waiter
        // was not scheduled in time) is a time-out too, so the outcome does not depend on load
        Ok(r) if started.elapsed() <= limit => r,
        // the check's thread ended without a report (the verifier turns panics into reports,
        // so this is one outside it): a crash, not a time-out
        Err(mpsc::RecvTimeoutError::Disconnected) if started.elapsed() <= limit => Report::error(
            Input::for_path(path),
            crate::codes::CRASHED,
            crate::report::crashed_text("the check ended without a report"),
        ),
        _ => Report::timed_out(Input::for_path(path), limit, options.timeout_option),
    }
}
