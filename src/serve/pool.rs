//! The bounded verification pool: `workers` worker processes, each driven from a blocking thread
//! (never an async worker thread), and an admission limit of `workers + queue` requests. A
//! request past the limit, or one that waits longer than the queue time limit, is turned away
//! (the server answers 503 with `Retry-After`) instead of piling up.
//!
//! Memory is bounded too: request bodies are buffered against a byte budget
//! ([`Pool::reserve`]); when it is spent, new bodies are turned away the same way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::worker::{Job, Outcome, ServeWorker, WorkerOptions};
use crate::report::Report;

/// Sizes and time limits of the service's worker pool.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PoolLimits {
    /// Worker processes, i.e. files checked at once.
    pub workers: usize,
    /// Requests admitted beyond `workers` that wait for a worker.
    pub queue: usize,
    /// Per-file time limit inside a worker.
    pub timeout: Duration,
    /// Longest wait for a free worker before the request is turned away.
    pub queue_timeout: Duration,
    /// Bytes of request bodies buffered at once, over all requests.
    pub max_buffered: u64,
}

impl Default for PoolLimits {
    /// One worker per core, 64 waiting, 10 s per file and per wait, 1 GiB of bodies.
    fn default() -> Self {
        PoolLimits {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            queue: 64,
            timeout: Duration::from_secs(10),
            queue_timeout: Duration::from_secs(10),
            max_buffered: 1 << 30,
        }
    }
}

/// Why the pool turned a request away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Busy {
    /// `workers + queue` requests are already admitted.
    Full,
    /// No worker became free within the queue time limit.
    QueueTimeout,
    /// The body budget is spent.
    Memory,
}

impl Busy {
    pub fn as_str(self) -> &'static str {
        match self {
            Busy::Full => "queue_full",
            Busy::QueueTimeout => "queue_timeout",
            Busy::Memory => "memory",
        }
    }
}

/// One finished check.
pub struct Checked {
    pub report: Report,
    pub outcome: Outcome,
    /// Time inside the worker (not counting the wait for it).
    pub elapsed: Duration,
}

pub struct Pool {
    limits: PoolLimits,
    options: WorkerOptions,
    admitted: AtomicUsize,
    slots: Arc<Semaphore>,
    idle: Mutex<Vec<ServeWorker>>,
    budget: Arc<Semaphore>,
}

/// An admitted request; dropping it frees its place.
pub struct Ticket {
    pool: Arc<Pool>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.pool.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Body bytes reserved against the budget; released on drop.
#[derive(Default)]
pub struct Reservation {
    permit: Option<OwnedSemaphorePermit>,
    kib: usize,
}

impl Pool {
    /// Start the worker processes.
    pub fn start(options: WorkerOptions, limits: PoolLimits) -> std::io::Result<Arc<Pool>> {
        let workers = limits.workers.max(1);
        let mut idle = Vec::with_capacity(workers);
        for _ in 0..workers {
            idle.push(ServeWorker::start(&options)?);
        }
        let budget_kib = usize::try_from(limits.max_buffered.div_ceil(1024))
            .unwrap_or(usize::MAX)
            .clamp(1, Semaphore::MAX_PERMITS);
        Ok(Arc::new(Pool {
            limits: PoolLimits { workers, ..limits },
            options,
            admitted: AtomicUsize::new(0),
            slots: Arc::new(Semaphore::new(workers)),
            idle: Mutex::new(idle),
            budget: Arc::new(Semaphore::new(budget_kib)),
        }))
    }

    pub fn limits(&self) -> &PoolLimits {
        &self.limits
    }

    /// Requests admitted now (checking or waiting).
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }

    /// Admit one request, or say the pool is full.
    pub fn admit(self: &Arc<Self>) -> Result<Ticket, Busy> {
        let cap = self.limits.workers + self.limits.queue;
        self.admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < cap).then_some(n + 1)
            })
            .map(|_| Ticket { pool: self.clone() })
            .map_err(|_| Busy::Full)
    }

    /// Grow `r` so that it covers `bytes` bytes of body, or say the budget is spent.
    pub fn reserve(&self, r: &mut Reservation, bytes: u64) -> Result<(), Busy> {
        let want = usize::try_from(bytes.div_ceil(1024)).unwrap_or(usize::MAX);
        if want <= r.kib {
            return Ok(());
        }
        let more = u32::try_from(want - r.kib).map_err(|_| Busy::Memory)?;
        let p = self
            .budget
            .clone()
            .try_acquire_many_owned(more)
            .map_err(|_| Busy::Memory)?;
        match r.permit.as_mut() {
            Some(held) => held.merge(p),
            None => r.permit = Some(p),
        }
        r.kib = want;
        Ok(())
    }

    /// Check one file on a worker process. Waits for a free worker at most the queue time limit.
    /// The check runs on a blocking thread that owns the worker until it is done, so a request
    /// dropped by its client does not lose the worker or leave it unaccounted.
    pub async fn verify(self: &Arc<Self>, _ticket: &Ticket, job: Job) -> Result<Checked, Busy> {
        let permit = tokio::time::timeout(
            self.limits.queue_timeout,
            self.slots.clone().acquire_owned(),
        )
        .await
        .map_err(|_| Busy::QueueTimeout)?
        .map_err(|_| Busy::Full)?;
        let pool = self.clone();
        let handle = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut worker = pool
                .idle
                .lock()
                .map(|mut v| v.pop())
                .unwrap_or(None)
                .unwrap_or_else(|| ServeWorker::idle(&pool.options));
            let started = Instant::now();
            let (report, outcome) = worker.check(&job, pool.limits.timeout);
            let elapsed = started.elapsed();
            if outcome != Outcome::Checked {
                // Replace the killed process now so the next request does not wait for it.
                worker.restart();
            }
            if let Ok(mut v) = pool.idle.lock() {
                v.push(worker);
            }
            (report, outcome, elapsed)
        });
        match handle.await {
            Ok((report, outcome, elapsed)) => Ok(Checked {
                report,
                outcome,
                elapsed,
            }),
            Err(e) => Ok(Checked {
                report: Report::error(
                    Default::default(),
                    crate::codes::CRASHED,
                    format!("the check's thread failed: {e}"),
                ),
                outcome: Outcome::Crashed,
                elapsed: Duration::ZERO,
            }),
        }
    }

    /// Stop every idle worker process (at shutdown, once in-flight requests are done).
    pub fn shutdown(&self) {
        if let Ok(mut v) = self.idle.lock() {
            for mut w in v.drain(..) {
                w.stop();
            }
        }
    }
}
