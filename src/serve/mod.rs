//! `provcheck serve`: an HTTP verification service on the same [`Verifier`].
//!
//! One process, built once, answering many requests; no request can take it down:
//! - files are checked in worker processes (`worker.rs`) driven from a bounded pool of blocking
//!   threads (`pool.rs`), never on the async threads; a check past the time limit gets a
//!   `provcheck.timeout` report and its process is killed and replaced, a crash costs one
//!   `provcheck.crashed` report;
//! - admission is bounded (`workers + queue`, then 503 with `Retry-After`), and so are the body
//!   size (413), the bytes buffered over all requests (503), the time to send the request head
//!   and body (connection closed / 408), and the number of connections;
//! - SIGTERM or Ctrl-C stops accepting, lets in-flight requests finish (up to the drain time
//!   limit), then stops the workers;
//! - it binds loopback unless told otherwise, and another address needs a bearer token
//!   (`--token-file`) or an explicit `--insecure-no-auth`.

mod http;
mod metrics;
mod pool;
mod worker;

pub use http::HttpLimits;
pub use pool::PoolLimits;
pub use worker::{worker_main, WorkerOptions};

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tracing::{info, warn};

use crate::verifier::Verifier;
use http::App;
use pool::Pool;

/// Shortest bearer token accepted.
pub const MIN_TOKEN_LEN: usize = 16;

/// How the service runs. Start from [`ServeOptions::default`] (loopback port 8080, one worker
/// per core, the limits `provcheck serve` documents) and set the fields you need.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServeOptions {
    pub listen: SocketAddr,
    /// The bearer token every request to `/v1/*` and `/metrics` must carry.
    pub token: Option<Vec<u8>>,
    /// Allow a non-loopback address without a token.
    pub insecure_no_auth: bool,
    pub worker: WorkerOptions,
    pub pool: PoolLimits,
    pub http: HttpLimits,
    /// Time allowed for a request head (and for an idle keep-alive connection).
    pub header_timeout: Duration,
    /// Connections open at once; more are closed on accept.
    pub max_connections: usize,
    /// How long shutdown waits for in-flight requests.
    pub drain_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            insecure_no_auth: false,
            worker: WorkerOptions::default(),
            pool: PoolLimits::default(),
            http: HttpLimits::default(),
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    #[error("refusing to listen on {0} without authentication: pass --token-file FILE (a bearer token) or, on a network you control, --insecure-no-auth")]
    NeedsAuth(SocketAddr),
    #[error("the bearer token must be at least {MIN_TOKEN_LEN} bytes")]
    ShortToken,
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot start worker processes: {0}")]
    Workers(std::io::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// Check the security rules before anything starts.
pub fn check_security(options: &ServeOptions) -> Result<(), ServeError> {
    if let Some(t) = &options.token {
        if t.len() < MIN_TOKEN_LEN {
            return Err(ServeError::ShortToken);
        }
    }
    if !options.listen.ip().is_loopback() && options.token.is_none() && !options.insecure_no_auth {
        return Err(ServeError::NeedsAuth(options.listen));
    }
    Ok(())
}

/// Run the service until SIGTERM / Ctrl-C and the drain that follows. `on_listening` is called
/// with the bound address (the port is the system's choice for `:0`).
pub fn run(
    options: ServeOptions,
    verifier: Verifier,
    on_listening: impl FnOnce(SocketAddr) + Send,
) -> Result<(), ServeError> {
    check_security(&options)?;
    let workers = options.pool.workers.max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().min(4)))
        // Checks hold one blocking thread each (at most `workers`, bounded by the pool).
        .max_blocking_threads(workers + 2)
        .thread_name("provcheck-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let result = runtime.block_on(serve(options, verifier, on_listening));
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn serve(
    options: ServeOptions,
    verifier: Verifier,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| ServeError::Bind(options.listen, e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(options.listen, e))?;
    let pool =
        Pool::start(options.worker.clone(), options.pool.clone()).map_err(ServeError::Workers)?;
    let app = Arc::new(App::new(
        verifier,
        pool.clone(),
        options.token.as_deref(),
        options.http.clone(),
    ));
    let router = http::router(app.clone());
    info!(
        address = %bound,
        workers = pool.limits().workers,
        queue = pool.limits().queue,
        auth = options.token.is_some(),
        "listening"
    );
    on_listening(bound);

    let graceful = GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: wait instead of spinning.
                        warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(permit) = connections.clone().try_acquire_owned() else {
                    app.metrics.reject("connections");
                    drop(stream);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(options.header_timeout)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(permit);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    app.draining.store(true, Ordering::Release);
    info!("shutting down: no new connections; finishing requests in flight");
    tokio::select! {
        _ = graceful.shutdown() => info!("all requests finished"),
        _ = tokio::time::sleep(options.drain_timeout) => {
            warn!(seconds = options.drain_timeout.as_secs_f64(), "drain time limit reached; stopping with requests in flight");
        }
        _ = shutdown_signal() => warn!("second signal: stopping now"),
    }
    pool.shutdown();
    worker::kill_all();
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
