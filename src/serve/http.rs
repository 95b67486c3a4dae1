//! The HTTP API (axum): routes, authentication, body limits, JSON answers, request logs.
//!
//! Nothing here reads a path named by a request: `?name=` and multipart file names are labels
//! for the report (and a format hint), bounded in length, never opened.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use http_body_util::BodyExt;
use subtle::ConstantTimeEq;
use tracing::{info, warn, Instrument};

use super::metrics::{Metrics, RequestLabels, VerdictLabels};
use super::pool::{Busy, Pool, Reservation, Ticket};
use super::worker::{Job, Outcome};
use crate::report::{bounded, Report};
use crate::verifier::Verifier;

/// Longest `?name=` / multipart file name kept (characters).
pub const MAX_NAME_CHARS: usize = 255;

/// Limits applied by the service's HTTP layer.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HttpLimits {
    /// Largest request body (413 above).
    pub max_body: u64,
    /// Most files in one multipart request (413 above).
    pub max_files: usize,
    /// The whole body must arrive within this (408 otherwise).
    pub body_timeout: Duration,
}

impl Default for HttpLimits {
    /// 64 MiB bodies, 64 files per request, 60 s to send a body.
    fn default() -> Self {
        HttpLimits {
            max_body: 64 << 20,
            max_files: 64,
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// Everything the handlers share.
pub struct App {
    /// The server's own verifier: trust listings and `?expect=` resolution (checks run in the
    /// worker processes).
    pub verifier: Verifier,
    pub pool: Arc<Pool>,
    pub metrics: Metrics,
    /// SHA-256 of the bearer token, when one is required.
    pub token_digest: Option<[u8; 32]>,
    pub limits: HttpLimits,
    pub draining: AtomicBool,
    ids: RequestIds,
}

impl App {
    pub fn new(
        verifier: Verifier,
        pool: Arc<Pool>,
        token: Option<&[u8]>,
        limits: HttpLimits,
    ) -> App {
        App {
            verifier,
            pool,
            metrics: Metrics::new(),
            token_digest: token.map(sha256),
            limits,
            draining: AtomicBool::new(false),
            ids: RequestIds::new(),
        }
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Request ids: a per-process prefix and a counter, e.g. `5f3a9c01-000042`.
struct RequestIds {
    prefix: u32,
    next: AtomicU64,
}

impl RequestIds {
    fn new() -> RequestIds {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() ^ (d.as_secs() as u32));
        RequestIds {
            prefix: nanos ^ std::process::id().rotate_left(16),
            next: AtomicU64::new(1),
        }
    }

    fn next(&self) -> String {
        format!(
            "{:08x}-{:06}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        )
    }
}

#[derive(Clone)]
struct RequestId(String);

/// The router with every route and layer.
pub fn router(app: Arc<App>) -> Router {
    let protected = Router::new()
        .route("/v1/verify", post(verify))
        .route("/v1/trust", get(trust))
        .route("/metrics", get(metrics))
        .route_layer(from_fn_with_state(app.clone(), require_token));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(protected)
        .fallback(not_found)
        .layer(from_fn_with_state(app.clone(), observe))
        // Bodies are read by `read_body` under `--max-body`; axum's own 2 MB default must not
        // apply to the multipart parser on top of it.
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
}

/// Fixed route names for metrics and logs (never the raw path: it is the client's).
fn route_name(path: &str) -> &'static str {
    match path {
        "/v1/verify" => "/v1/verify",
        "/v1/trust" => "/v1/trust",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        _ => "other",
    }
}

/// Decrements the in-flight gauge even when the client goes away mid-request.
struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.dec();
    }
}

/// Request id, structured log line, metrics.
async fn observe(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let id = app.ids.next();
    let route = route_name(req.uri().path());
    let method = req.method().clone();
    req.extensions_mut().insert(RequestId(id.clone()));
    app.metrics.in_flight.inc();
    let _guard = InFlight(&app.metrics);
    let started = Instant::now();
    let span = tracing::info_span!("request", id = %id, method = %method, route);
    let mut resp = next.run(req).instrument(span.clone()).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let status = resp.status().as_u16();
    app.metrics
        .requests
        .get_or_create(&RequestLabels { route, status })
        .inc();
    span.in_scope(|| {
        info!(
            status,
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "answered"
        )
    });
    resp
}

/// Bearer token check for the protected routes (constant-time compare of SHA-256 digests, so
/// neither the contents nor the length of the token leak through timing).
async fn require_token(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let Some(expected) = &app.token_digest else {
        return next.run(req).await;
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| {
            let (scheme, rest) = s.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    let ok = given.is_some_and(|g| bool::from(sha256(g.as_bytes()).ct_eq(expected)));
    if !ok {
        app.metrics.reject("unauthorized");
        let id = request_id(&req);
        warn!(id = %id, "missing or wrong bearer token");
        let mut r = api_error(
            StatusCode::UNAUTHORIZED,
            &id,
            "a bearer token is required (Authorization: Bearer TOKEN)",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    next.run(req).await
}

fn request_id(req: &Request) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// A JSON error body: `{"status": 413, "error": "...", "request_id": "..."}`.
fn api_error(status: StatusCode, id: &str, message: &str) -> Response {
    let body = serde_json::json!({
        "status": status.as_u16(),
        "error": message,
        "request_id": id,
    });
    (status, json_headers(), body.to_string()).into_response()
}

fn json_headers() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )]
}

/// 503 with `Retry-After`.
fn busy(app: &App, id: &str, why: Busy) -> Response {
    app.metrics.reject(why.as_str());
    let message = match why {
        Busy::Full => "too many verification requests at once; retry later",
        Busy::QueueTimeout => "no worker became free in time; retry later",
        Busy::Memory => "too many request bodies buffered at once; retry later",
    };
    let mut r = api_error(StatusCode::SERVICE_UNAVAILABLE, id, message);
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

async fn not_found(Extension(RequestId(id)): Extension<RequestId>) -> Response {
    api_error(StatusCode::NOT_FOUND, &id, "no such endpoint")
}

async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

async fn readyz(State(app): State<Arc<App>>) -> Response {
    let store = app.verifier.claim_trust.store();
    let claim = store.anchors().count();
    let pins = store.pins().count();
    let tsa = app.verifier.tsa_trust.store().anchors().count();
    let reason = if app.draining.load(Ordering::Acquire) {
        Some("shutting down")
    } else if claim == 0 && pins == 0 {
        Some("no trust material is loaded: nothing could be authenticated")
    } else {
        None
    };
    let body = serde_json::json!({
        "ready": reason.is_none(),
        "reason": reason,
        "trust_lists": crate::bundle::TRUST_LIST_DATES,
        "claim_signing_anchors": claim,
        "time_stamping_anchors": tsa,
        "generator_pins": pins,
        "workers": app.pool.limits().workers,
    });
    let status = if reason.is_none() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, json_headers(), body.to_string()).into_response()
}

/// The same document as `provcheck trust list --json`.
async fn trust(State(app): State<Arc<App>>) -> Response {
    let v = &app.verifier;
    let doc = serde_json::json!({
        "trust_lists": crate::bundle::TRUST_LIST_DATES,
        "claim_signing_anchors": v.claim_signing_anchors().collect::<Vec<_>>(),
        "time_stamping_anchors": v.time_stamping_anchors().collect::<Vec<_>>(),
        "generator_pins": v.generator_pins().collect::<Vec<_>>(),
        "generators": v.generators(),
    });
    (StatusCode::OK, json_headers(), doc.to_string()).into_response()
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    app.metrics.queued.set(app.pool.admitted() as i64);
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(super::metrics::CONTENT_TYPE),
        )],
        app.metrics.encode(),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyQuery {
    name: Option<String>,
    expect: Option<String>,
}

/// `POST /v1/verify`: the body is the file (`?name=`, `?expect=`), or `multipart/form-data`
/// with one part per file (an array of reports comes back).
async fn verify(
    State(app): State<Arc<App>>,
    Extension(RequestId(id)): Extension<RequestId>,
    req: Request,
) -> Response {
    let started = Instant::now();
    let resp = verify_inner(&app, &id, req).await;
    app.metrics
        .request_seconds
        .observe(started.elapsed().as_secs_f64());
    resp
}

async fn verify_inner(app: &Arc<App>, id: &str, req: Request) -> Response {
    let bad = |msg: &str| {
        app.metrics.reject("bad_request");
        api_error(StatusCode::BAD_REQUEST, id, msg)
    };
    let q = match Query::<VerifyQuery>::try_from_uri(req.uri()) {
        Ok(Query(q)) => q,
        Err(e) => return bad(&format!("query: {} (known: name, expect)", e.body_text())),
    };
    let name = q.name.map(|n| bounded(&n, MAX_NAME_CHARS));
    if let Some(e) = &q.expect {
        if let Err(err) = app.verifier.resolve_expect(e) {
            return bad(&bounded(&err.to_string(), 400));
        }
    }
    let ticket = match app.pool.admit() {
        Ok(t) => t,
        Err(why) => return busy(app, id, why),
    };
    let (parts, body) = req.into_parts();
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    let mut reservation = Reservation::default();
    let data = match read_body(app, id, &parts.headers, body, &mut reservation).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    if !multipart {
        let job = Job {
            data,
            name,
            expect: q.expect,
        };
        return match check(app, id, &ticket, job).await {
            Ok(report) => json_ok(&report),
            Err(r) => r,
        };
    }
    // The parser copies each part: account for the copy before making it.
    let doubled = (data.len() as u64).saturating_mul(2);
    if let Err(why) = app.pool.reserve(&mut reservation, doubled) {
        return busy(app, id, why);
    }
    let files = match split_multipart(app, id, parts, data).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let mut reports = Vec::with_capacity(files.len());
    for (part_name, data) in files {
        let job = Job {
            data,
            name: part_name.or_else(|| name.clone()),
            expect: q.expect.clone(),
        };
        match check(app, id, &ticket, job).await {
            Ok(r) => reports.push(r),
            Err(r) => return r,
        }
    }
    match serde_json::to_vec(&reports) {
        Ok(body) => (StatusCode::OK, json_headers(), body).into_response(),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, id, &e.to_string()),
    }
}

fn json_ok(report: &Report) -> Response {
    match serde_json::to_vec(report) {
        Ok(body) => (StatusCode::OK, json_headers(), body).into_response(),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, "", &e.to_string()),
    }
}

/// Read the whole body: at most `--max-body` bytes (413), within `--body-timeout` (408), against
/// the pool's buffer budget (503).
async fn read_body(
    app: &App,
    id: &str,
    headers: &HeaderMap,
    mut body: Body,
    reservation: &mut Reservation,
) -> Result<Bytes, Response> {
    let max = app.limits.max_body;
    let too_large = |app: &App| {
        app.metrics.reject("too_large");
        api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            id,
            &format!("the request body is over the limit of {max} bytes (--max-body)"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(app));
    }
    if let Some(n) = declared {
        if let Err(why) = app.pool.reserve(reservation, n) {
            return Err(busy(app, id, why));
        }
    }
    let deadline = tokio::time::Instant::now() + app.limits.body_timeout;
    // Capacity from the client's header only up to what was reserved for it.
    let mut buf = Vec::with_capacity(declared.unwrap_or(0) as usize);
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => {
                app.metrics.reject("body_timeout");
                return Err(api_error(
                    StatusCode::REQUEST_TIMEOUT,
                    id,
                    &format!(
                        "the request body did not arrive within {:.0} s (--body-timeout)",
                        app.limits.body_timeout.as_secs_f64()
                    ),
                ));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                app.metrics.reject("bad_request");
                return Err(api_error(
                    StatusCode::BAD_REQUEST,
                    id,
                    &format!("reading the request body failed: {e}"),
                ));
            }
            Ok(Some(Ok(f))) => f,
        };
        let Ok(chunk) = frame.into_data() else {
            continue; // trailers
        };
        let len = buf.len() as u64 + chunk.len() as u64;
        if len > max {
            return Err(too_large(app));
        }
        if let Err(why) = app.pool.reserve(reservation, len) {
            return Err(busy(app, id, why));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(buf))
}

/// The files of a `multipart/form-data` body: every part is one file, named by its file name
/// (or its field name).
async fn split_multipart(
    app: &App,
    id: &str,
    parts: axum::http::request::Parts,
    data: Bytes,
) -> Result<Vec<(Option<String>, Bytes)>, Response> {
    let bad = |msg: String| {
        app.metrics.reject("bad_request");
        api_error(StatusCode::BAD_REQUEST, id, &msg)
    };
    let req = Request::from_parts(parts, Body::from(data));
    let mut mp = match Multipart::from_request(req, &()).await {
        Ok(m) => m,
        Err(e) => return Err(bad(format!("multipart: {}", e.body_text()))),
    };
    let mut files = Vec::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(bad(format!("multipart: {}", e.body_text()))),
        };
        if files.len() >= app.limits.max_files {
            app.metrics.reject("too_large");
            return Err(api_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                id,
                &format!(
                    "more than {} files in one request (--max-files)",
                    app.limits.max_files
                ),
            ));
        }
        let name = field
            .file_name()
            .or(field.name())
            .filter(|n| !n.is_empty())
            .map(|n| bounded(n, MAX_NAME_CHARS));
        match field.bytes().await {
            Ok(b) => files.push((name, b)),
            Err(e) => return Err(bad(format!("multipart: {}", e.body_text()))),
        }
    }
    if files.is_empty() {
        return Err(bad("multipart: no file parts".into()));
    }
    Ok(files)
}

/// Check one file on the pool; metrics and one log line per file.
async fn check(app: &Arc<App>, id: &str, ticket: &Ticket, job: Job) -> Result<Report, Response> {
    let size = job.data.len();
    let checked = match app.pool.verify(ticket, job).await {
        Ok(c) => c,
        Err(why) => return Err(busy(app, id, why)),
    };
    let r = checked.report;
    let m = &app.metrics;
    m.verdicts
        .get_or_create(&VerdictLabels {
            verdict: r.verdict.as_str(),
        })
        .inc();
    m.check_seconds.observe(checked.elapsed.as_secs_f64());
    m.bytes.inc_by(size as u64);
    match checked.outcome {
        Outcome::Checked => {}
        Outcome::TimedOut => {
            m.worker_restarts
                .get_or_create(&super::metrics::ReasonLabels { reason: "timeout" })
                .inc();
        }
        Outcome::Crashed => {
            m.worker_restarts
                .get_or_create(&super::metrics::ReasonLabels { reason: "crash" })
                .inc();
        }
    }
    info!(
        name = ?r.input.path,
        size,
        sha256 = r.input.sha256.as_deref().unwrap_or(""),
        verdict = r.verdict.as_str(),
        outcome = ?checked.outcome,
        check_ms = checked.elapsed.as_secs_f64() * 1000.0,
        "checked"
    );
    Ok(r)
}
