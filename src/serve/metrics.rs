//! `GET /metrics`: Prometheus text format (0.0.4), encoded by `prometheus-client`.
//!
//! Every label value is one of a fixed set chosen by the server (route names, verdicts, status
//! codes, rejection reasons), never a string from a request, so the series count is bounded.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct VerdictLabels {
    pub verdict: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    pub reason: &'static str,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub verdicts: Family<VerdictLabels, Counter>,
    pub rejected: Family<ReasonLabels, Counter>,
    pub worker_restarts: Family<ReasonLabels, Counter>,
    pub in_flight: Gauge,
    pub queued: Gauge,
    pub request_seconds: Histogram,
    pub check_seconds: Histogram,
    pub bytes: Counter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("provcheck");
        let requests = Family::<RequestLabels, Counter>::default();
        let verdicts = Family::<VerdictLabels, Counter>::default();
        let rejected = Family::<ReasonLabels, Counter>::default();
        let worker_restarts = Family::<ReasonLabels, Counter>::default();
        let in_flight = Gauge::default();
        let queued = Gauge::default();
        // 1 ms .. about 33 s
        let request_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        let check_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        let bytes = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status code",
            requests.clone(),
        );
        registry.register("verdicts", "Files checked, by verdict", verdicts.clone());
        registry.register(
            "rejected",
            "Requests turned away before a check: queue_full, queue_timeout, memory (503), too_large (413), body_timeout (408), unauthorized (401), bad_request (400), draining (503)",
            rejected.clone(),
        );
        registry.register(
            "worker_restarts",
            "Worker processes killed and replaced: timeout or crash",
            worker_restarts.clone(),
        );
        registry.register(
            "http_in_flight",
            "HTTP requests being answered now",
            in_flight.clone(),
        );
        registry.register(
            "verify_admitted",
            "Verification requests admitted now (checking or waiting for a worker)",
            queued.clone(),
        );
        registry.register(
            "verify_request_duration_seconds",
            "Time to answer POST /v1/verify, from the request head to the response (waiting, reading the body and checking)",
            request_seconds.clone(),
        );
        registry.register(
            "check_duration_seconds",
            "Time to check one file inside a worker process",
            check_seconds.clone(),
        );
        registry.register("checked_bytes", "Bytes of files checked", bytes.clone());
        Metrics {
            registry,
            requests,
            verdicts,
            rejected,
            worker_restarts,
            in_flight,
            queued,
            request_seconds,
            check_seconds,
            bytes,
        }
    }

    pub fn reject(&self, reason: &'static str) {
        self.rejected.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
